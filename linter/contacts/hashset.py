"""A compact, append-only set of 64-bit hashes for cross-batch duplicate detection.

Kept as a few sorted polars UInt64 runs merged like an LSM tree: 8 bytes per distinct key, and a
lookup is a vectorised binary search per run, so 10M keys need ~80 MB and no Python objects.
"""

from __future__ import annotations

import polars as pl


class HashSet64:
    def __init__(self) -> None:
        self._runs: list[pl.Series] = []

    def __len__(self) -> int:
        return sum(len(r) for r in self._runs)

    def contains(self, keys: pl.Series) -> pl.Series:
        """Boolean Series: which of `keys` (UInt64) were added before."""
        found = pl.Series("found", [False] * len(keys), dtype=pl.Boolean)
        for run in self._runs:
            idx = run.search_sorted(keys).clip(0, len(run) - 1)
            found = found | (run.gather(idx) == keys).fill_null(False)
        return found

    def add(self, keys: pl.Series) -> None:
        """Add keys that are not yet present (callers pass only new, distinct keys)."""
        run = keys.sort()
        # Merge runs of similar size so the number of runs stays logarithmic in the key count.
        while self._runs and len(self._runs[-1]) <= 2 * len(run):
            run = pl.concat([self._runs.pop(), run]).sort()
        self._runs.append(run)


def repeats(keys: pl.Series, seen: HashSet64) -> pl.Series:
    """True where a key repeats one from an earlier row (this batch or before); then record keys.

    Null keys never count as duplicates.
    """
    valid = keys.is_not_null()
    earlier = seen.contains(keys.fill_null(0)) & valid
    within = ~keys.is_first_distinct() & valid
    dup = earlier | within
    new = keys.filter(valid & ~dup)
    if len(new):
        seen.add(new)
    return dup
