"""Outlook (MSO) conditional comments: who sees which part of the source.

Two forms appear in real templates:

* downlevel-hidden  ``<!--[if mso]> … <![endif]-->``: a comment to every client except
  Outlook for Windows (Word engine), which renders the inside.
* downlevel-revealed ``<!--[if !mso]><!--> … <!--<![endif]-->``: ordinary markup for every
  client, which the Word engine skips (also written ``<!-- -->`` or ``<!---->``).

We blank the markers of mso-only blocks (same length, same newlines) so one lxml parse
sees the union of both audiences with exact positions: ghost tables then wrap the
columns they were written for, as they do in Outlook. Each block's byte range gives its
nodes an audience. Blocks for other conditions (``[if IE]``, hidden ``[if !mso]``) are
left as comments: no client we target renders them.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from enum import Enum
from typing import NamedTuple


class Audience(Enum):
    ALL = "all"
    MSO = "mso"  # Outlook for Windows only
    NON_MSO = "non-mso"  # every client except Outlook for Windows


@dataclass(frozen=True, slots=True)
class Block:
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
    text: str  # the source with the markers of mso-only blocks blanked
    unclosed: list[tuple[int, str]]  # (offset, opener) of openers with no <![endif]-->


def find_blocks(source: str) -> Conditionals:
    """The conditional blocks, the source with mso-only markers blanked, and openers that
    are never closed (they hide the rest of the email in some clients)."""
    blocks: list[Block] = []
    unclosed: list[tuple[int, str]] = []
    pieces: list[str] = []
    copied = 0
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
            pieces += [source[copied : opener.start()], blank(opener.group(0))]
            pieces += [source[opener.end() : match.start()], blank(match.group(0))]
            copied = match.end()
            blocks.append(Block(opener.start(), match.end(), audience, opener.group("cond")))
        elif audience is Audience.NON_MSO and revealed:
            blocks.append(Block(opener.start(), match.end(), audience, opener.group("cond")))
        opener = None
    if opener is not None:
        unclosed.append((opener.start(), opener.group(0)))
    pieces.append(source[copied:])
    return Conditionals(blocks, "".join(pieces), unclosed)


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
