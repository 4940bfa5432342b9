"""Several change requests against one base: which conflict (touch the same lines)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations

from linter.review.brief import RequestReview


@dataclass(frozen=True)
class Conflict:
    first: str  # request labels
    second: str
    path: str  # the file in the base
    lines: tuple[int, int]  # first and last base line both requests touch (or sit between)

    @property
    def span(self) -> str:
        a, b = self.lines
        return f"line {a}" if a == b else f"lines {a}-{b}"


def _span(anchors: Sequence[int]) -> tuple[int, int]:
    # Anchors are doubled (line n = 2n, insertion after n = 2n+1); report real lines.
    lo, hi = min(anchors), max(anchors)
    return max(lo // 2, 1), max(hi // 2, 1)


def conflicts(reviews: Sequence[RequestReview]) -> list[Conflict]:
    """Pairs of requests whose edits overlap or touch adjacent base lines.

    Adjacent counts because git cannot merge two edits that share a boundary either:
    whoever lands second has to redo the work by hand.
    """
    out = []
    for a, b in combinations(reviews, 2):
        for path in sorted(set(a.touched) & set(b.touched)):
            near = [(x, y) for x in a.touched[path] for y in b.touched[path] if abs(x - y) <= 1]
            if near:
                out.append(
                    Conflict(a.label, b.label, path, _span([v for pair in near for v in pair]))
                )
    return out
