"""The subject of a <style> selector: which elements it can select.

Only the subject (the compound after the last combinator) is read: `.ExternalClass p` and
`u + .body a` wrap the email in elements the client adds, so their ancestors are never in
the file, while a subject the file lacks (`ul` without a <ul>, `.button` without
class="button") selects nothing in any client. Attribute selectors are read by name
only, and a class or id written with a merge tag matches any name, so every answer errs
towards "may select".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import NamedTuple

from linter.documents.email import EmailDocument, Node
from linter.lazyre import on_first_use

_SPLIT = re.compile(r"""\\.|"[^"]*"|'[^']*'|[()\[\],>+~\s]""")
_STATE = re.compile(r":(hover|active|focus|visited|focus-within|focus-visible)\b|::")
_PSEUDO = re.compile(r"::?[\w-]+")
_TAG = re.compile(r"^([a-zA-Z][\w-]*|\*)")
_CLASS = re.compile(r"\.(-?[_a-zA-Z][\w-]*)")
_ID = re.compile(r"#(-?[_a-zA-Z][\w-]*)")
_ATTR = re.compile(r"\[\s*([\w-]+)")


class Compound(NamedTuple):
    """What an element must have to be a selector's subject."""

    tag: str | None
    classes: frozenset[str]
    ids: frozenset[str]
    attrs: frozenset[str]
    state: bool  # :hover, ::before...: a state or a part, not the element as drawn

    def may_match(self, node: Node) -> bool:
        if self.tag not in (None, "*", node.tag):
            return False
        classes = set((node.get("class") or "").split())
        return (
            self.classes <= classes
            and self.ids <= {node.get("id") or ""}
            and all(a in node.attrs for a in self.attrs)
        )


def _subject_texts(selector: str) -> list[str]:
    """The subject compound's text for each selector of a group (brackets kept)."""
    subjects: list[str] = []
    start = depth = 0
    for m in _SPLIT.finditer(selector):
        token = m.group(0)
        if token in ("(", "["):
            depth += 1
        elif token in (")", "]"):
            depth = max(depth - 1, 0)
        elif depth == 0 and token == ",":
            subjects.append(selector[start : m.start()])
            start = m.end()
        elif depth == 0 and (token in (">", "+", "~") or token.isspace()):
            start = m.end()  # what came before is an ancestor or a sibling
    subjects.append(selector[start:])
    return [s.strip() for s in subjects]


@lru_cache(maxsize=4096)
def subjects(selector: str) -> tuple[Compound, ...]:
    """The subject of each selector in a group, e.g. `td.x:not(.y) a, p` -> a, p."""
    found = []
    for text in _subject_texts(selector):
        bare = re.sub(r"\([^()]*\)", "", text)  # :not(.y), :nth-child(2n)
        tag = _TAG.match(bare)
        found.append(
            Compound(
                tag.group(1).lower() if tag else None,
                frozenset(_CLASS.findall(_PSEUDO.sub("", bare))),
                frozenset(_ID.findall(bare)),
                frozenset(a.lower() for a in _ATTR.findall(bare)),
                bool(_STATE.search(bare)),
            )
        )
    return tuple(found)


class _Names(NamedTuple):
    tags: frozenset[str]
    classes: frozenset[str]  # lower-cased: quirks-mode documents match classes so
    ids: frozenset[str]
    any_class: bool  # a class="" or id="" filled at send time
    any_id: bool


def _names(doc: EmailDocument) -> _Names:
    classes: set[str] = set()
    ids: set[str] = set()
    any_class = any_id = False
    for node in doc.nodes:
        value = node.attrs.get("class")
        if value:
            any_class = any_class or doc.is_templated(value)
            classes.update(value.lower().split())
        value = node.attrs.get("id")
        if value:
            any_id = any_id or doc.is_templated(value)
            ids.add(value.strip().lower())
    return _Names(frozenset(doc.by_tag), frozenset(classes), frozenset(ids), any_class, any_id)


def _present(c: Compound, names: _Names) -> bool:
    return (
        (c.tag in (None, "*") or c.tag in names.tags)
        and (names.any_class or all(k.lower() in names.classes for k in c.classes))
        and (names.any_id or all(i.lower() in names.ids for i in c.ids))
    )


def selects_anything(doc: EmailDocument, selector: str) -> bool:
    """False only when no element of the document can be the selector's subject."""
    names = doc.memo("selector-names", lambda: _names(doc))
    return any(_present(c, names) for c in subjects(selector))


# Wrappers and attributes a client adds to the email: a rule that names one applies in that
# client only. Compiled when first tried: most templates' selectors never reach them.
_CLIENT_HOOKS: tuple[tuple[Callable[[], re.Pattern[str]], str], ...] = (
    (on_first_use(r"\.moz-text-html\b", re.IGNORECASE), "thunderbird"),
    (on_first_use(r"\.ExternalClass\b", re.IGNORECASE), "outlook.outlook-com"),
    (on_first_use(r"\[owa\]|\[data-ogs[cb]\]", re.IGNORECASE), "outlook.outlook-com"),
    (on_first_use(r"#MessageViewBody\b|#MessageWebViewDiv\b", re.IGNORECASE), "samsung-email"),
    (on_first_use(r"\bu\s*\+\s*\.body\b|\bu\s*~\s*div\b", re.IGNORECASE), "gmail"),
    # Apple Mail marks the links it makes of dates, addresses and phone numbers.
    (on_first_use(r"\[\s*x-apple-data-detectors\b", re.IGNORECASE), "apple-mail"),
    # Android 4.4's mail app wraps the message in <div style="margin: 16px 0">.
    (
        on_first_use(r"div\[\s*style\s*\*=\s*[\"']?margin:\s*16px\s+0", re.IGNORECASE),
        "android-mail",
    ),
)


def hook_client(selector: str) -> str | None:
    """The client family (caniemail id prefix) a selector is written for, if it names one."""
    return next((client for hook, client in _CLIENT_HOOKS if hook().search(selector)), None)


def selects_only_empty(doc: EmailDocument, selector: str) -> bool:
    """True when every element the selector may select has no content at all (answered
    once per selector and document: a template repeats its selectors in every rule)."""
    known: dict[str, bool] = doc.memo("selects-only-empty", dict)
    if selector not in known:
        compounds = [c for c in subjects(selector) if not c.state]
        matched = [n for n in doc.nodes if any(c.may_match(n) for c in compounds)]
        known[selector] = bool(matched) and all(is_empty(n) for n in matched)
    return known[selector]


def is_empty(node: Node) -> bool:
    """No child element and no text: nothing inside to draw."""
    return not len(node.el) and not (node.el.text or "").strip()
