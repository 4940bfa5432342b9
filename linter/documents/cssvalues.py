"""Small readers for HTML/CSS values that several checks share."""

from __future__ import annotations

import re
from collections.abc import Collection

_LENGTH = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*(px|pt|%|em|rem)?\s*$", re.IGNORECASE)
_PT_TO_PX = 96 / 72


def length(value: str | None) -> tuple[float, str] | None:
    """(number, unit) of a CSS length or HTML width attribute; unit "px" when bare."""
    if value is None:
        return None
    m = _LENGTH.match(value.replace("!important", ""))
    if not m:
        return None
    return float(m.group(1)), (m.group(2) or "px").lower()


def pixels(value: str | None) -> float | None:
    """A length in CSS pixels, or None for relative units (%, em) and non-lengths."""
    parsed = length(value)
    if parsed is None:
        return None
    number, unit = parsed
    if unit == "px":
        return number
    if unit == "pt":
        return number * _PT_TO_PX
    return None


def is_hidden(style: dict[str, str]) -> bool:
    """Hidden the way preheaders and mobile-only blocks are hidden."""
    return (
        style.get("display") == "none"
        or style.get("mso-hide") == "all"
        or style.get("max-height", "").startswith("0")
        or style.get("visibility") == "hidden"
    )


# Values that leave an element as every client draws it without the declaration: the
# property's initial value (CSS specs, "Initial:" lines) where no user-agent style of an
# email element differs from it. A client that drops such a declaration loses nothing,
# and that holds for a reset too (`float: none` in a media query): a client without the
# property never applied the value being reset either.
# Properties whose user-agent default differs by element are absent on purpose:
# text-decoration (links are underlined), font-weight (<th>, <strong>, <h1>), margin
# (<p>, <body>), text-align (<th>), list-style (<ul>), vertical-align (<td>).
_NO_OP: dict[str, frozenset[str]] = {
    name: frozenset(values.split())
    for name, values in {
        "word-spacing": "normal 0 0px",
        "letter-spacing": "normal",  # 0 is a change from a font's own spacing
        "float": "none",
        "clear": "none",
        "position": "static",
        "overflow": "visible",
        "overflow-x": "visible",
        "overflow-y": "visible",
        "visibility": "visible",
        "min-height": "0 0px auto",
        "min-width": "0 0px auto",
        "max-height": "none",
        "max-width": "none",
        "z-index": "auto",
        "transform": "none",
        "filter": "none",
        "box-shadow": "none",
        "text-shadow": "none",
        "text-transform": "none",
        "text-indent": "0 0px",
        "white-space": "normal",
        "word-break": "normal",
        "overflow-wrap": "normal",
        "word-wrap": "normal",
        "hyphens": "manual",
        "direction": "ltr",
        "opacity": "1",
        "background-image": "none",
        "background-position": "0 0px 0% left top",
        "background-attachment": "scroll",
        "font-variant": "normal",
        "font-stretch": "normal",
        "font-style": "normal",
        "table-layout": "auto",
        "object-fit": "fill",
        "cursor": "auto",
        "resize": "none",
        "user-select": "auto",
        "animation": "none",
        "transition": "none",
        "flex-wrap": "nowrap",
        "flex-direction": "row",
    }.items()
}
_OFFSETS = ("top", "right", "bottom", "left")
# A percentage min-height resolves against the containing block's height, which in an
# email is never set, so it computes to auto (CSS 2.1 §10.7): body { min-height: 100% }.
_PERCENT = re.compile(r"^\d+(?:\.\d+)?%$")
_VALUE_SPACE = re.compile(r"\s+")


def changes_nothing(name: str, value: str, block: Collection[str] = ()) -> bool:
    """True when ``name: value`` is the property's initial value (or acts as one).

    ``block``: the property names declared beside it, for values whose effect depends on
    them: position: relative moves nothing unless the block also sets an offset.
    """
    name = name.lower()
    known = _NO_OP.get(name)
    if known is None:
        return False
    bare = value.lower().replace("!important", "").strip()
    if name == "min-height" and _PERCENT.match(bare):
        return True
    if name == "position" and bare == "relative":
        return not any(offset in block for offset in _OFFSETS)
    words = _VALUE_SPACE.split(bare)
    return bool(words) and all(word in known for word in words)
