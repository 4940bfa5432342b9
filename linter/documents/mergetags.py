"""Merge tags (template placeholders) in email source: find them, name their dialect.

A link whose href is a merge tag is filled in at send time, so rules must not call it
empty or broken; `is_templated()` is how they ask. Finding tags never changes the
text's length, so every position stays exact.
"""

from __future__ import annotations

import bisect
import re
from typing import NamedTuple

from linter.lazyre import on_first_use

# Dialect families: tags of one family can mix freely ({{ }} with {% %} is normal Liquid).
DIALECTS: dict[str, str] = {
    # Mustache, Handlebars ({{{ raw }}}), Liquid, Jinja; braces never nest inside a tag.
    "curly": r"\{\{\{[^{}]{0,400}\}\}\}|\{\{[^{}]{0,400}\}\}|\{%.{0,400}?%\}",
    "mailchimp": r"\*\|[^|\n]{1,100}\|\*",
    "ampscript": r"%%=?[^%\n]{1,100}=?%%",
    "brackets": r"\[\[[^\[\]\n]{1,100}\]\]",
    "smarty": r"\{\$[^{}\n]{1,100}\}",
}
_BY_DIALECT = {name: re.compile(rx, re.DOTALL) for name, rx in DIALECTS.items()}
_ANY = re.compile("|".join(f"(?:{rx})" for rx in DIALECTS.values()), re.DOTALL)
# Literals every tag of the dialect starts with: most templates use one dialect or none,
# and a substring test is far cheaper than running a regex over the whole file.
_OPENERS_OF = {
    "curly": ("{{", "{%"),
    "mailchimp": ("*|",),
    "ampscript": ("%%",),
    "brackets": ("[[",),
    "smarty": ("{$",),
}
_OPENERS = re.compile(r"\{\{|\{%|\*\||\[\[")
_CLOSERS = re.compile(r"\}\}|%\}|\|\*|\]\]")


class MergeTag(NamedTuple):
    start: int
    end: int
    text: str
    dialect: str

    @property
    def name(self) -> str:
        """The variable the tag reads: ``first_name`` in ``{{ first_name | default: "x" }}``."""
        inner = self.text.strip("{}%*|[]$=").strip()
        inner = inner.lstrip("#/^&>!").strip()
        return re.split(r"[\s|(]", inner, maxsplit=1)[0] if inner else ""


def find_tags(text: str) -> list[MergeTag]:
    tags = [
        MergeTag(m.start(), m.end(), m.group(0), dialect)
        for dialect, rx in _BY_DIALECT.items()
        if any(opener in text for opener in _OPENERS_OF[dialect])
        for m in rx.finditer(text)
    ]
    tags.sort(key=lambda t: t.start)
    # Keep the first of overlapping matches ({$x} inside {{ }}, say).
    kept: list[MergeTag] = []
    for tag in tags:
        if not kept or tag.start >= kept[-1].end:
            kept.append(tag)
    return kept


# Names ESPs fill in themselves rather than from contact data: unsubscribe and preference
# links, the web version, forwarding, the subject. (SendGrid {{unsubscribe}}, Postmark
# {{{ pm:unsubscribe }}}, Customer.io {% unsubscribe_url %}, Braze ${unsubscribe_url}, …)
_ESP_SYSTEM_NAME = on_first_use(
    r"unsub|opt_?out|preference|update_profile|profile_center|subscription_center"
    r"|view_?(in_?browser|online|email)|web_?version|archive|forward|^subject$|^pm:",
    re.IGNORECASE,
)


def is_esp_system_name(name: str) -> bool:
    """True for variables the sending platform provides (not a contact column)."""
    return _ESP_SYSTEM_NAME().search(name) is not None


def is_templated(value: str) -> bool:
    """True when the value contains any merge tag (filled in at send time)."""
    return _ANY.search(value) is not None


def unbalanced(text: str, tags: list[MergeTag], skip: list[tuple[int, int]]) -> list[int]:
    """Offsets of delimiters that open or close no complete tag.

    `skip` holds ranges where ``}}`` is legitimate, such as nested CSS blocks.
    """
    spans = sorted([(t.start, t.end) for t in tags] + skip)
    starts = [s for s, _ in spans]
    out: list[int] = []
    for rx in (_OPENERS, _CLOSERS):
        for m in rx.finditer(text):
            i = bisect.bisect_right(starts, m.start()) - 1
            if i < 0 or m.start() >= spans[i][1]:
                out.append(m.start())
    return sorted(out)


_HIDDEN = frozenset("<>\"'")


def needs_mask(tags: list[MergeTag]) -> bool:
    """Whether any tag holds an angle bracket or quote that mask() hides."""
    return any(_HIDDEN.intersection(t.text) for t in tags)


def mask(text: str, tags: list[MergeTag]) -> str:
    """Hide angle brackets and quotes inside tags from the HTML parser: ``{% if a > b %}``
    opens no tag, and ``src="{{var:badge:""}}.png"`` (Mailjet's default value) does not
    end the attribute early; the ESP replaces the whole tag before anyone parses it."""
    if not needs_mask(tags):
        return text
    chars = list(text)
    for t in tags:
        for i in range(t.start, t.end):
            if chars[i] in _HIDDEN:
                chars[i] = "_"
    return "".join(chars)
