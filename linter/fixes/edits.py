"""Edits: replace source[start:end] with text; ordering, conflicts and application."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True, order=True, slots=True)
class Edit:
    """Replace `start:end` (character offsets) with `text`; start == end inserts."""

    start: int
    end: int
    text: str
    rule: str = ""  # the rule whose finding this edit fixes (for counting and order)

    @property
    def span(self) -> tuple[int, int, str]:
        """What the edit does, whichever rule asked for it (two rules may ask the same)."""
        return (self.start, self.end, self.text)

    def overlaps(self, other: Edit) -> bool:
        """Two edits conflict when their spans share a character, or when one inserts
        strictly inside the span the other replaces. Insertions at one point do not."""
        if self.start == self.end and other.start == other.end:
            return False
        if self.start == self.end:
            return other.start < self.start < other.end
        if other.start == other.end:
            return self.start < other.start < self.end
        return self.start < other.end and other.start < self.end


def resolve(edits: Iterable[Edit]) -> tuple[list[Edit], list[Edit]]:
    """(kept, dropped): equal edits merged (whichever rules asked), then in (start, end,
    rule) order, and the order the fixers gave them within that (findings come in
    document order), each edit is kept unless it overlaps one kept before it. The dropped
    ones are retried on the next pass, against the fixed text."""
    kept: list[Edit] = []
    dropped: list[Edit] = []
    unique: dict[tuple[int, int, str], Edit] = {}
    for edit in edits:
        unique.setdefault(edit.span, edit)
    for edit in sorted(unique.values(), key=lambda e: (e.start, e.end, e.rule)):
        if any(edit.overlaps(k) for k in kept):
            dropped.append(edit)
        else:
            kept.append(edit)
    return kept, dropped


def apply(text: str, edits: Sequence[Edit]) -> str:
    """`text` with non-overlapping `edits` (as resolve() returns them) applied."""
    pieces: list[str] = []
    copied = 0
    for edit in edits:
        pieces += [text[copied : edit.start], edit.text]
        copied = edit.end
    pieces.append(text[copied:])
    return "".join(pieces)
