"""Outlook (MSO) conditional comments: who sees which part of the source.

Two forms appear in real templates:

* downlevel-hidden  ``<!--[if mso]> … <![endif]-->``: a comment to every client except
  Outlook for Windows (Word engine), which renders the inside.
* downlevel-revealed ``<!--[if !mso]><!--> … <!--<![endif]-->``: ordinary markup for every
  client, which the Word engine skips (also written ``<!-- -->`` or ``<!---->``).

The parser reads the markers of mso-only blocks as blanks (same length, same newlines), so
one lxml parse sees the union of both audiences with exact positions: ghost tables then
wrap the columns they were written for, as they do in Outlook. Each block's byte range gives its
nodes an audience. Blocks for other conditions (``[if IE]``, hidden ``[if !mso]``) are
left as comments: no client we target renders them.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from enum import Enum
from typing import NamedTuple


class Audience(Enum):
    ALL = "all"
    MSO = "mso"  # Outlook for Windows only
    NON_MSO = "non-mso"  # every client except Outlook for Windows


class Block(NamedTuple):
    start: int  # offset of the opening marker
    end: int  # offset just past the closing marker
    audience: Audience
    condition: str


# Starts with the literal "<!" so the regex engine can skip ahead quickly.
_MARKER = re.compile(
    r"<!(?:--\[if\s+(?P<cond>[^\]<>]{1,120})\]>(?P<revealed><!--(?:\s{0,10}--)?>)?"
    r"|(?P<close>(?:--\s{0,10}<!)?\[endif\]\s{0,10}-->))",
    re.IGNORECASE,
)
_MSO = re.compile(r"(?<![!\w])mso\b", re.IGNORECASE)
_NOT_MSO = re.compile(r"!\s*mso\b", re.IGNORECASE)


def _condition_audience(cond: str) -> Audience | None:
    if _NOT_MSO.search(cond):
        return Audience.NON_MSO
    if _MSO.search(cond):
        return Audience.MSO
    return None


def blank(text: str) -> str:
    """Spaces of the same length, keeping newlines, so positions do not move."""
    return "\n".join(" " * len(part) for part in text.split("\n"))


class Conditionals(NamedTuple):
    blocks: list[Block]
    markers: list[tuple[int, int]]  # (start, end) of each marker of an mso-only block
    unclosed: list[tuple[int, str]]  # (offset, opener) of openers with no <![endif]-->


def find_blocks(source: str) -> Conditionals:
    """The conditional blocks, the markers the parser reads as blanks, and openers that
    are never closed (they hide the rest of the email in some clients)."""
    blocks: list[Block] = []
    markers: list[tuple[int, int]] = []
    unclosed: list[tuple[int, str]] = []
    opener: re.Match[str] | None = None
    for match in _MARKER.finditer(source):
        if match.group("cond") is not None:
            if opener is not None:  # opened again before <![endif]-->: blocks do not nest
                unclosed.append((opener.start(), opener.group(0)))
            opener = match
            continue
        if opener is None:
            continue
        audience = _condition_audience(opener.group("cond"))
        revealed = opener.group("revealed") is not None
        if audience is Audience.MSO and not revealed:
            markers += [opener.span(), match.span()]
            blocks.append(Block(opener.start(), match.end(), audience, opener.group("cond")))
        elif audience is Audience.NON_MSO and revealed:
            blocks.append(Block(opener.start(), match.end(), audience, opener.group("cond")))
        opener = None
    if opener is not None:
        unclosed.append((opener.start(), opener.group(0)))
    return Conditionals(blocks, markers, unclosed)


def unwrapped(source: str, markers: list[tuple[int, int]]) -> Iterator[str]:
    """The text the parser reads, in pieces: the source with the markers blanked."""
    copied = 0
    for start, end in markers:
        yield source[copied:start]
        yield blank(source[start:end])
        copied = end
    yield source[copied:]


class AudienceMap:
    """Answers "who sees the code at this offset?" in O(log n)."""

    def __init__(self, blocks: list[Block]) -> None:
        self._blocks = sorted(blocks, key=lambda b: b.start)
        self._starts = [b.start for b in self._blocks]

    def at(self, offset: int) -> Audience:
        i = bisect.bisect_right(self._starts, offset) - 1
        if i >= 0 and offset < self._blocks[i].end:
            return self._blocks[i].audience
        return Audience.ALL

    @property
    def blocks(self) -> list[Block]:
        return self._blocks
