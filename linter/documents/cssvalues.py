"""Small readers for HTML/CSS values that several checks share."""

from __future__ import annotations

import re

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
