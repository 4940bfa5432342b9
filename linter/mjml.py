"""Lint an MJML source (.mjml): compile it in-process with mrml, lint the HTML with every
standard, and place each finding in the .mjml (docs/messages.md).

- Judged on the MJML itself, at the element's line: `<mjml lang>` (ACC001), `mj-image`
  alt (ACC002) and `mj-button` href (LNK003). The compiled HTML hides these (MJML writes
  alt="" and lang="und", and a button without href is no link). The preheader (CMP003)
  is judged on the compiled HTML and placed on `mj-preview` (or `mj-head`).
- Every other finding is traced to the MJML element that produced it (by the URL or text
  it carries) and placed there; one that cannot be traced is placed on `<mjml>` and says
  where it is in the compiled output.
- A file mrml rejects is an input error with mrml's message and line. mj-include is never
  followed (no file or network is read).
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass

from linter.catalogue import Rule
from linter.checks.email.urls import goes_nowhere
from linter.config import RunSettings
from linter.documents.email import EmailDocument, Node, lf_lines
from linter.engine import lint_email, to_findings
from linter.findings import Finding, Hit
from linter.limits import MAX_DEPTH, LimitError
from linter.sources import InputError, decode_file

EXTRA = "pip install 'presend[mjml]'"
# Rules judged on the MJML source; their findings on the compiled HTML are replaced.
_JUDGED_AT_SOURCE = {"ACC001": None, "ACC002": "mj-image", "LNK003": "mj-button"}
_KEYS = ("src", "href", "background", "action")  # URLs MJML copies from source to output
_SOURCE_KEYS = ("src", "href", "background-url", "action")
_POSITION = re.compile(r"at position (\d+):(\d+)")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class MjElement:
    tag: str
    line: int
    column: int
    attrs: dict[str, str]
    text: str  # its own text, white space folded


def lint_mjml(path: str, data: bytes, settings: RunSettings, notes: list[str]) -> list[Finding]:
    """Findings of the MJML file at ``path``; how its bytes were decoded, when presend had
    to guess, goes to ``notes`` as for HTML."""
    # mrml rejects some CRLF line ends ("unexpected token"); the lines stay the same.
    text = lf_lines(decode_file(path, data, notes, "MJML").text)
    elements = _elements(text)
    compiled = _compile(path, text)
    html = EmailDocument(path, compiled)
    root = next((e for e in elements if e.tag == "mjml"), None)
    at_root = (root.line, root.column) if root else (1, 1)
    tracer = _Tracer(html, elements)
    traced = [(f, tracer.source_of(f.line, f.column)) for f in lint_email(html, settings)]
    found = [
        _placed(f, source, tracer, at_root)
        for f, source in traced
        if not _judged_at_source(f, source)
    ]
    found += _source_findings(path, elements, settings, root, at_root)
    return sorted(found, key=lambda f: f.sort_key)


def _compile(path: str, text: str) -> str:
    try:
        import mrml
    except ModuleNotFoundError:
        raise InputError(path, f"MJML needs the mjml extra: {EXTRA}") from None
    options = mrml.ParserOptions(include_loader=mrml.noop_loader())  # never read a file
    try:
        return str(mrml.to_html(text, parser_options=options).content)
    except Exception as exc:  # mrml reports every rejection as an OSError with its message
        message = str(exc) or type(exc).__name__
        raise InputError(path, f"{_where(text, message)}MJML compiler: {message}") from None


def _where(text: str, message: str) -> str:
    """ "line N: " for mrml's "at position START:END" (character offsets), or where the
    text ends for "unexpected end of stream"; "" when mrml names no place."""
    match = _POSITION.search(message)
    if match:
        return f"line {text.count(chr(10), 0, int(match.group(1))) + 1}: "
    if "end of stream" in message:
        return f"line {text.rstrip().count(chr(10)) + 1}: "
    return ""


def _elements(text: str) -> list[MjElement]:
    """The source's elements with their places (html.parser keeps each tag's line and
    column, and reads `<mj-image/>` as empty). Deeper than MAX_DEPTH is refused before
    mrml sees it: mrml recurses per level and crashes the process past a few thousand."""
    from bs4 import BeautifulSoup, Tag

    soup = BeautifulSoup(text, "html.parser")
    out: list[MjElement] = []
    stack: list[tuple[Tag, int]] = [(soup, 0)]
    while stack:
        tag, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise LimitError(
                f"elements nested more than {MAX_DEPTH} deep (presend's limit)",
                tag.sourceline or 0,
            )
        children = [c for c in tag.children if isinstance(c, Tag)]
        stack.extend((c, depth + 1) for c in reversed(children))
        if tag is soup:
            continue
        own = " ".join(s.strip() for s in tag.find_all(string=True, recursive=False))
        attrs = {k: v if isinstance(v, str) else " ".join(v) for k, v in tag.attrs.items()}
        column = (tag.sourcepos or 0) + 1
        out.append(MjElement(tag.name, tag.sourceline or 1, column, attrs, _fold(own)))
    out.sort(key=lambda e: (e.line, e.column))
    return out


def _fold(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


class _Tracer:
    """Which MJML element produced a compiled node: the n-th node carrying a URL is the
    n-th MJML element carrying it; else the first MJML element whose text holds the
    node's text. Only mj-* elements (and what is inside mj-text/mj-raw) are candidates."""

    def __init__(self, html: EmailDocument, elements: list[MjElement]) -> None:
        self.html = html
        self.elements = elements
        self._starts = [(n.line, n.column) for n in html.nodes]
        self._by_value: dict[str, list[MjElement]] = {}
        for e in elements:
            for key in _SOURCE_KEYS:
                if e.attrs.get(key):
                    self._by_value.setdefault(e.attrs[key].strip(), []).append(e)
        # (value, node index) -> which occurrence of the value that node is, 0-based
        self._nth: dict[tuple[str, int], int] = {}
        counts: dict[str, int] = {}
        self._index = {id(node): i for i, node in enumerate(html.nodes)}
        for index, node in enumerate(html.nodes):
            for key in _KEYS:
                value = (node.get(key) or "").strip()
                if value and (value, index) not in self._nth:
                    self._nth[value, index] = counts.get(value, 0)
                    counts[value] = counts.get(value, 0) + 1

    def node_at(self, line: int, column: int) -> Node | None:
        i = bisect.bisect_right(self._starts, (line, column)) - 1
        return self.html.nodes[i] if i >= 0 else None

    def source_of(self, line: int, column: int) -> MjElement | None:
        node = self.node_at(line, column)
        chain = [node, *itertools.islice(self.html.parents(node), 4)] if node else []
        for candidate in chain:
            for key in _KEYS:
                value = (candidate.get(key) or "").strip()
                if value in self._by_value:
                    index = self._index[id(candidate)]
                    nth = self._nth.get((value, index), 0)
                    matches = self._by_value[value]
                    return matches[min(nth, len(matches) - 1)]
        for candidate in chain:
            words = candidate.text()[:40]  # Node.text() folds white space
            if len(words) >= 3:
                found = next((e for e in self.elements if words in e.text), None)
                if found:
                    return found
        return None


def _judged_at_source(f: Finding, source: MjElement | None) -> bool:
    if f.rule not in _JUDGED_AT_SOURCE:
        return False
    tag = _JUDGED_AT_SOURCE[f.rule]
    return tag is None or (source is not None and source.tag == tag)


def _placed(
    f: Finding, source: MjElement | None, tracer: _Tracer, at_root: tuple[int, int]
) -> Finding:
    if f.rule == "CMP003":  # the preheader is <mj-preview>'s: placed there, or on <mj-head>
        head = [e for e in tracer.elements if e.tag in ("mj-preview", "mj-head")]
        source = head[-1] if head else None
        where = "set it with <mj-preview> in <mj-head>"
        line, column = (source.line, source.column) if source else at_root
    elif source is None:
        where = f"in the compiled HTML at line {f.line}:{f.column}; no MJML element traced"
        line, column = at_root
    else:
        where = f"in the HTML compiled from this <{source.tag}>"
        line, column = source.line, source.column
    return f._replace(
        line=line,
        column=column,
        message=f"{f.message} ({where})",
        end_line=None,
        end_column=None,
    )


def _source_findings(
    path: str,
    elements: list[MjElement],
    settings: RunSettings,
    root: MjElement | None,
    at_root: tuple[int, int],
) -> list[Finding]:
    rules = {r.id: r for r in settings.rules}
    hits: list[tuple[Rule, Hit]] = []

    def add(rule_id: str, where: tuple[int, int], message: str, context: str) -> None:
        if rule_id in rules:
            hits.append((rules[rule_id], Hit(where[0], where[1], message, context)))

    lang = (root.attrs.get("lang") or "").strip() if root else ""
    if lang.lower() in ("", "und", "zxx"):
        add(
            "ACC001",
            at_root,
            'The <mjml> element has no lang attribute: MJML writes lang="und" on <html>,'
            " so screen readers guess the language",
            "mjml lang",
        )
    for e in elements:
        if e.tag == "mj-image" and "alt" not in e.attrs:
            add(
                "ACC002",
                (e.line, e.column),
                f"<mj-image> has no alt attribute ({e.attrs.get('src', 'no src')}): MJML"
                ' writes alt="", so the image says nothing when blocked or read aloud',
                f"mj-image {e.attrs.get('src', '')}",
            )
        if e.tag == "mj-button":
            href = e.attrs.get("href")
            why = goes_nowhere(href) if href is not None else None
            if href is None or why:
                has = "no href" if href is None else f"an href that is {why}"
                add(
                    "LNK003",
                    (e.line, e.column),
                    f'<mj-button> "{e.text[:40]}" has {has}: it leads nowhere',
                    f"mj-button {e.text[:40]}",
                )
    return to_findings(path, hits, settings.identity)
