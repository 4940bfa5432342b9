"""Merge tags: balanced delimiters, one dialect, names the data provides, fallbacks.

Which tags are judged (the decisions behind MRG003 and MRG004):

* Output tags print a variable: ``{{ name }}``, ``{{{ name }}}``, ``*|FNAME|*``.
  Control tags (``{{#if}}``, ``{{/each}}``, ``{% if %}``, ``{% endfor %}``, ``*|IF:X|*``)
  print nothing; the variable a condition or loop reads is still checked against the
  allow-list, the keyword is not.
* Inside a loop or section (``{{#each items}}``, ``{% for item in items %}``, Mustache
  ``{{#section}}``) names are relative to the item, so they are not checked.
* Fallbacks are only asked for tags printed in the text, and not for addresses (``*_url``,
  ``*_link``): a URL in ``href``/``src`` with a
  made-up default would send readers somewhere wrong, and a tag already inside
  ``{% if name %}`` / ``{{#if name}}`` has its fallback in the else branch.
* ESP built-ins (Mailchimp ``*|UNSUB|*``, ``*|LIST:…|*``; Marketing Cloud
  ``%%unsub_center_url%%``) are not contact data and are never in the allow-list.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterator
from typing import Literal, NamedTuple

from linter.checks import NoParams, check
from linter.checks.hits import at_offset
from linter.documents import mergetags
from linter.documents.email import EmailDocument
from linter.documents.mergetags import MergeTag
from linter.findings import Hit
from linter.lazyre import on_first_use
from linter.policy import Policy

# Where "}}" and friends are not template syntax: CSS and scripts (JSON-LD), CDATA,
# inline styles, and openers written as entities to print them literally
# (Postmark: "&#123;&#123; something }} will turn into …").
# Style and script bodies come from doc.raw_text_spans; these are the other literal places.
_LITERAL = on_first_use(
    r"<!\[CDATA\[.*?(?:\]\]>|\Z)"  # unclosed: to the end, which keeps the scan linear
    r"|\sstyle\s*=\s*(\"[^\"]*\"|'[^']*')"
    r"|(?:&#123;|&#x7b;|&lbrace;|&lcub;|\\\{){2}[^\n]{0,200}?\}\}",
    re.IGNORECASE | re.DOTALL,
)
_NAMES = {
    "curly": "{{ }}",
    "mailchimp": "*| |*",
    "ampscript": "%% %%",
    "brackets": "[[ ]]",
    "smarty": "{$ }",
}
# Mailchimp merge tags that the ESP fills (mailchimp.com/help/all-the-merge-tags-cheat-sheet).
_BUILTINS = {
    "mailchimp": {
        "unsub",
        "archive",
        "archive_link_short",
        "update_profile",
        "forward",
        "rewards",
        "rewards_text",
        "current_year",
        "mc_preview_text",
        "mc_language",
        "mc_language_label",
        "about_list",
        "email_uid",
        "unique_email_id",
        "date",
    },
    "ampscript": {
        "unsub_center_url",
        "profile_center_url",
        "subscription_center_url",
        "view_email_url",
        "emailaddr",
        "jobid",
        "member_busname",
        "member_addr",
        "member_city",
        "member_state",
        "member_postalcode",
        "member_country",
        "xtmonthnumeric",
        "xtyear",
        "_subscriberkey",
        "_messagecontext",
    },
}
_WORD = on_first_use(r"[A-Za-z_@$][\w.$@\[\]-]*")
_SCOPES = {"each", "with", "for", "tablerow"}
_CONDITIONS = {"if", "unless", "elsif", "elif", "elseif", "case", "when"}
_DEFINES = {"assign", "set", "capture", "increment", "decrement"}
_SKIP_BLOCKS = {"raw", "comment", "verbatim"}
_OPERATORS = {
    "and",
    "or",
    "not",
    "in",
    "is",
    "contains",
    "==",
    "!=",
    ">",
    "<",
    ">=",
    "<=",
    "true",
    "false",
    "nil",
    "null",
    "none",
    "empty",
    "blank",
    "else",
    "this",
}
_URLISH = on_first_use(r"(url|link|href|uri)$", re.IGNORECASE)
_FALLBACK = on_first_use(r"\|\s*(default|d)\b|\s(or|\?\?)\s", re.IGNORECASE)


def _literal_spans(doc: EmailDocument) -> list[tuple[int, int]]:
    """Where braces are not merge tags: CSS, scripts, CDATA, escaped text (memoised)."""

    def make() -> list[tuple[int, int]]:
        found = [(m.start(), m.end()) for m in _LITERAL().finditer(doc.source)]
        return sorted(found + doc.raw_text_spans)

    return doc.memo("merge-tags:literal-spans", make)


def _inside(spans: list[tuple[int, int]], starts: list[int], offset: int) -> bool:
    i = bisect.bisect_right(starts, offset) - 1
    return i >= 0 and offset < spans[i][1]


def _template_tags(doc: EmailDocument) -> list[MergeTag]:
    """Merge tags outside CSS, scripts and literal (entity-escaped) text."""
    if not doc.merge_tags:
        return []
    spans = _literal_spans(doc)
    starts = [s for s, _ in spans]
    return [t for t in doc.merge_tags if not _inside(spans, starts, t.start)]


def _snippet(doc: EmailDocument, offset: int, before: bool = False) -> str:
    if before:
        start = max(doc.source.rfind("\n", 0, offset) + 1, offset - 30)
        return doc.source[start : offset + 2].strip()
    end = doc.source.find("\n", offset)
    end = len(doc.source) if end < 0 else end
    return doc.source[offset : min(end, offset + 30)].strip()


@check("balanced-merge-tags", NoParams)
def balanced_merge_tags(doc: EmailDocument, p: NoParams, policy: Policy) -> Iterator[Hit]:
    """Every merge-tag delimiter opens and closes a complete tag."""
    if not mergetags.unbalanced(doc.source, doc.merge_tags, doc.raw_text_spans) and not any(
        "{{" in t.text[2:] for t in doc.merge_tags
    ):
        return  # the common case, decided without the costlier literal-span scan
    spans = _literal_spans(doc)
    offsets = set(mergetags.unbalanced(doc.source, doc.merge_tags, spans))
    # "{{first_name} … {{x}}" matches as one long tag: the inner opener shows the typo.
    starts = [s for s, _ in spans]
    for tag in doc.merge_tags:
        if tag.dialect == "curly" and not _inside(spans, starts, tag.start):
            inner = tag.text[3:] if tag.text.startswith("{{{") else tag.text[2:]
            if "{{" in inner or "{%" in inner:
                offsets.add(tag.start)
    for offset in sorted(offsets):
        delim = doc.source[offset : offset + 2]
        if delim in ("{{", "{%", "*|", "[["):
            closer = {"{{": "}}", "{%": "%}", "*|": "|*", "[[": "]]"}[delim]
            message = (
                f'"{delim}" is never closed with "{closer}": readers see the raw text'
                f' "{_snippet(doc, offset)}" or the send fails'
            )
        else:
            message = (
                f'"{delim}" closes no tag: readers see the raw text'
                f' "{_snippet(doc, offset, before=True)}" or the send fails'
            )
        yield at_offset(doc, offset, message, f"unbalanced {_snippet(doc, offset)}")


@check("single-merge-tag-dialect", NoParams)
def single_merge_tag_dialect(doc: EmailDocument, p: NoParams, policy: Policy) -> Iterator[Hit]:
    """All merge tags are in one dialect (the configured one, when set)."""
    tags = _template_tags(doc)
    counts = Counter(t.dialect for t in tags)
    expected: str = policy.merge_tags.dialect
    if expected == "auto":
        if len(counts) < 2:
            return
        expected = max(counts, key=lambda d: (counts[d], -_first(tags, d).start))
        why = f"the rest of the file uses {_NAMES[expected]} ({counts[expected]} tags)"
    else:
        why = f"the team's ESP speaks {expected} ({_NAMES.get(expected, expected)})"
    for dialect in sorted(counts, key=lambda d: _first(tags, d).start):
        if dialect == expected:
            continue
        tag = _first(tags, dialect)
        yield at_offset(
            doc,
            tag.start,
            f"{counts[dialect]} {_NAMES[dialect]} tag(s) such as"
            f' "{tag.text}" but {why}: the ESP leaves them unfilled and readers'
            " see the raw code",
            f"dialect {dialect}",
        )


def _first(tags: list[MergeTag], dialect: str) -> MergeTag:
    return next(t for t in tags if t.dialect == dialect)


class Use(NamedTuple):
    """A variable a tag reads, and whether the tag prints it."""

    tag: MergeTag
    name: str
    prints: bool
    guarded: bool  # inside a condition on the same variable
    has_fallback: bool


def uses(doc: EmailDocument) -> Iterator[Use]:
    """Variables read at the top level of the template (outside loops and sections)."""
    stack: list[tuple[str, str, bool]] = []  # (keyword, variable, opens a scope)
    defined: set[str] = set()
    for tag in _template_tags(doc):
        if tag.dialect != "curly":
            yield from _other_dialect(tag)
            continue
        inner = tag.text.strip("{}%").strip("-~ \n\t")
        sigil = inner[:1]
        words = inner.lstrip("#^&/").split()
        if not words and sigil != "/":
            continue
        keyword = words[0].lower() if words else ""
        statement = tag.text.startswith("{%")
        if sigil == "/" or (statement and keyword.startswith("end")):
            _pop(stack, keyword.removeprefix("end") if statement else keyword)
            continue
        if (stack and stack[-1][0] in _SKIP_BLOCKS) or sigil in ("!", ">"):
            continue  # {% raw %} content, comments, partials
        in_scope = any(scope for _, _, scope in stack)
        section = sigil in ("#", "^")
        if section or (statement and keyword in _CONDITIONS | _SCOPES | _SKIP_BLOCKS):
            variable = "" if keyword in _SKIP_BLOCKS else _block_variable(keyword, words, section)
            if variable and not in_scope and variable.split(".")[0] not in defined:
                yield Use(tag, variable, False, False, True)
            if keyword not in ("elsif", "elif", "elseif", "when"):
                opens_scope = keyword in _SCOPES or (sigil == "#" and keyword not in _CONDITIONS)
                stack.append((variable if sigil == "^" else keyword, variable, opens_scope))
            continue
        if statement:
            if keyword in _DEFINES and len(words) > 1:
                defined.add(words[1].split("=")[0])
            if keyword == "capture":
                stack.append(("capture", "", False))
            continue
        if keyword == "else" or in_scope:
            continue
        variable = _output_variable(inner.lstrip("&"))
        if variable and variable.split(".")[0] not in defined:
            guarded = any(v == variable for _, v, _ in stack)
            yield Use(tag, variable, True, guarded, bool(_FALLBACK().search(inner)))


def _pop(stack: list[tuple[str, str, bool]], word: str) -> None:
    for i in range(len(stack) - 1, -1, -1):
        if stack[i][0] == word or stack[i][1] == word or not word:
            del stack[i:]
            return
    if stack and word in ("if", "unless", "for", "each", "with", "case"):
        stack.pop()


def _block_variable(keyword: str, words: list[str], helper: bool) -> str:
    """The data variable a block tag reads: {{#each items}} -> items, {% for x in xs %} -> xs."""
    if keyword == "for" and "in" in words:
        args = words[words.index("in") + 1 :]
    elif keyword in _CONDITIONS | _SCOPES:
        args = words[1:]
    elif helper:  # Mustache section {{#items}} / inverted {{^items}}
        args = words[:1]
    else:
        return ""
    for arg in args:
        m = _WORD().fullmatch(arg.strip("()"))
        if m and arg.lower() not in _OPERATORS:
            return arg.strip("()")
    return ""


def _output_variable(expression: str) -> str:
    """The variable an output tag prints: the first word, or a helper's first argument."""
    head = expression.split("|")[0].strip()
    words = head.split()
    if not words:
        return ""
    candidates = words[1:] if len(words) > 1 and words[1] not in _OPERATORS else words[:1]
    for word in candidates:
        word = word.strip("()")
        if _WORD().fullmatch(word) and word.lower() not in _OPERATORS and "=" not in word:
            return "" if word.startswith("@") or word in (".", "this") else word
    return ""


def _other_dialect(tag: MergeTag) -> Iterator[Use]:
    inner = tag.text.strip("*|%[]{}$= \n")
    if not inner or tag.text[2:3] in ("=", "["):
        return
    name = inner
    if ":" in inner:
        prefix, _, rest = inner.partition(":")
        if prefix.upper() not in ("IF", "ELSEIF", "IFNOT"):
            return  # LIST:, MC:, DATE:, END:IF, ELSE: are the ESP's own
        name = re.split(r"[\s=!<>]", rest, maxsplit=1)[0]
        if name:
            yield Use(tag, name, False, False, True)
        return
    if name.lower() in _BUILTINS.get(tag.dialect, set()):
        return
    yield Use(tag, name, True, False, False)


def _allowed(name: str, allowed: tuple[str, ...]) -> bool:
    lowered = {a.lower() for a in allowed}
    parts = name.lower().split(".")
    return any(".".join(parts[:i]) in lowered for i in range(1, len(parts) + 1))


class NamesParams(NamedTuple):
    # Where the known names come from: the team's merge-tags.allowed list, or the header
    # of the contact files checked in the same run (`presend check mail.html list.csv`).
    source: Literal["allow-list", "contact-columns"] = "allow-list"


@check("merge-tags-in-allow-list", NamesParams)
def merge_tags_in_allow_list(doc: EmailDocument, p: NamesParams, policy: Policy) -> Iterator[Hit]:
    """Every variable the template reads is one the contact data provides."""
    if p.source == "allow-list":
        allowed, where = policy.merge_tags.allowed, "the contact data does not provide"
    elif policy.contact_columns_source:  # no contact file in the run: the agreed schema
        allowed = policy.contact_columns
        where = f"{policy.contact_columns_source} has no field for"
    else:
        allowed, where = policy.contact_columns, "no column of the contact file has"
    if not allowed:
        return
    listed = ", ".join(allowed[:8]) + (", …" if len(allowed) > 8 else "")
    label = "allowed" if p.source == "allow-list" else "columns"
    for use in uses(doc):
        if not _allowed(use.name, allowed) and not mergetags.is_esp_system_name(use.name):
            yield at_offset(
                doc,
                use.tag.start,
                f'"{use.tag.text}" reads {use.name}, which {where} ({label}: {listed}):'
                " readers see an empty gap",
                f"tag {use.tag.text}",
            )


@check("merge-tags-have-fallback", NoParams)
def merge_tags_have_fallback(doc: EmailDocument, p: NoParams, policy: Policy) -> Iterator[Hit]:
    """Variables printed in the text have a fallback (when the ESP supports fallbacks)."""
    if not policy.merge_tags.fallbacks:
        return
    in_tag = _start_tag_spans(doc)
    starts = [s for s, _ in in_tag]
    for use in uses(doc):
        if use.tag.dialect != "curly" or not use.prints or use.guarded or use.has_fallback:
            continue
        if _inside(in_tag, starts, use.tag.start) or _URLISH().search(use.name):
            continue  # an address (in href/src or printed): a made-up default would mislead
        yield at_offset(
            doc,
            use.tag.start,
            f'"{use.tag.text}" prints nothing when {use.name} is'
            f" empty, leaving a gap in the sentence: add a fallback such as"
            f' {{{{ {use.name} | default: "…" }}}}',
            f"fallback {use.tag.text}",
        )


def _start_tag_spans(doc: EmailDocument) -> list[tuple[int, int]]:
    spans = []
    for node in doc.nodes:
        if node.offset >= 0:
            spans.append((node.offset, node.offset + len(doc.start_tag(node))))
    return sorted(spans)
