"""Edits on markup as written: attributes in a start tag, lines in the <head>.

Every helper reads the source around the place it edits (quote style, indentation,
XHTML-style "/>") so the new text looks like the text beside it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from linter.documents.conditionals import Audience
from linter.documents.email import AttrSpan, EmailDocument, Node
from linter.fixes.edits import Edit

_INDENT = re.compile(r"[ \t]*")


def quote_for(doc: EmailDocument, node: Node) -> str:
    """The quote the tag's attributes use, or (a tag with none) the file's usual one."""
    tag = doc.start_tag(node)
    if "='" in tag or '="' in tag:
        return "'" if '="' not in tag else '"'
    return usual_quote(doc)


def usual_quote(doc: EmailDocument) -> str:
    """The quote most attributes of the file use."""
    source = doc.source
    return doc.memo("fixes.quote", lambda: "'" if source.count("='") > source.count('="') else '"')


def _quoted(value: str, quote: str) -> str:
    escaped = value.replace("&", "&amp;").replace(quote, "&#39;" if quote == "'" else "&quot;")
    return quote + escaped + quote


def span_of(doc: EmailDocument, node: Node, name: str) -> AttrSpan | None:
    return next((s for s in doc.attr_spans(node) if s.name == name), None)


def add_attribute(doc: EmailDocument, node: Node, name: str, value: str, rule: str) -> Edit | None:
    """Append name="value" at the end of the start tag (before its ">" or "/>")."""
    if node.offset < 0:
        return None  # implied by the parser: there is no tag to edit
    if span_of(doc, node, name) is not None:
        # Written, but the parser read another tag (a second <html>): never write it twice.
        return None
    end = doc.start_tag_end(node)
    if doc.source[end - 1 : end] != ">" or "<" in doc.parsed_text[node.offset + 1 : end]:
        return None  # a start tag cut off, or run into the next tag: no sure place
    at = end - 2 if doc.source[end - 2 : end] == "/>" else end - 1
    while at > node.offset and doc.source[at - 1] in " \t":
        at -= 1  # <td  > keeps its spaces after the new attribute
    return Edit(at, at, f" {name}={_quoted(value, quote_for(doc, node))}", rule)


def set_attribute(doc: EmailDocument, node: Node, name: str, value: str, rule: str) -> Edit | None:
    """Give an attribute `value`: its quoted value replaced, or the attribute added."""
    span = span_of(doc, node, name)
    if span is None:
        return add_attribute(doc, node, name, value, rule)
    quote = doc.source[span.value_start - 1 : span.value_start]
    if span.has_value and quote in ("'", '"'):
        return Edit(span.value_start, span.value_end, _quoted(value, quote)[1:-1], rule)
    # Bare (alt) or unquoted (alt=x): write the whole attribute, quoted.
    written = doc.source[span.start : span.start + len(name)]
    return Edit(span.start, span.end, f"{written}={_quoted(value, quote_for(doc, node))}", rule)


def remove_attribute(doc: EmailDocument, span: AttrSpan, rule: str) -> Edit:
    """Delete an attribute and the white space that separated it.

    The space before it goes, unless that holds a line break (attributes one per line):
    then the space after it goes, so the next attribute takes its place and indentation.
    """
    src = doc.source
    before = span.start
    while src[before - 1] in " \t\n":
        before -= 1
    after = span.end
    while after < len(src) and src[after] in " \t\n":
        after += 1
    if "\n" in src[before : span.start] and src[after : after + 1] not in (">", "/"):
        return Edit(span.start, after, "", rule)
    return Edit(before, span.end, "", rule)


def line_indent(doc: EmailDocument, offset: int) -> str:
    line, _ = doc.position(offset)
    start = doc.offset_of(line, 1)
    m = _INDENT.match(doc.source, start)
    return m.group(0) if m else ""


def self_closing(doc: EmailDocument) -> bool:
    """Whether the file writes void elements XHTML-style (<meta … />)."""
    return any(doc.start_tag(n).endswith("/>") for n in doc.find("meta"))


@dataclass(frozen=True)
class HeadSlot:
    """Where new <head> content goes: after the last <meta> every client reads, or after
    <head>; `lead` starts a new line indented like its neighbours, or is empty when the
    neighbours share one line."""

    offset: int
    lead: str
    indent: str


def written(doc: EmailDocument, pattern: re.Pattern[str]) -> bool:
    """Whether the source already holds `pattern` where the parser may not see it (a
    broken tag, a second <head>): a fix that inserts it again would only repeat it."""
    return pattern.search(doc.parsed_text) is not None


def head_slot(doc: EmailDocument) -> HeadSlot | None:
    head = next((n for n in doc.find("head") if n.offset >= 0), None)
    if head is None:
        return None  # no <head> written: adding one is more than a minimal edit
    metas = [
        n
        for n in doc.find("meta")
        if n.offset >= 0 and n.audience is Audience.ALL and n.el.getparent() is head.el
    ]
    anchor = metas[-1] if metas else head
    at = doc.start_tag_end(anchor)
    if "<" in doc.parsed_text[anchor.offset + 1 : at]:
        return None  # an unclosed start tag ran into the next tag: no sure place
    line_end = doc.source.find("\n", at)
    if doc.source[at : line_end if line_end >= 0 else len(doc.source)].strip():
        return HeadSlot(at, "", "")  # more on the same line: stay on it
    if anchor is head:
        next_line = line_end + 1
        indent = line_indent(doc, next_line) if next_line else ""
        if not next_line or doc.source.startswith("</head", next_line + len(indent)):
            indent = line_indent(doc, head.offset) + "  "
    else:
        indent = line_indent(doc, anchor.offset)
    return HeadSlot(at, "\n" + indent, indent)
