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
        if not self._runs or not len(keys):
            return pl.repeat(False, len(keys), dtype=pl.Boolean, eager=True)
        # Probing in sorted order walks each run forwards, about twice as fast as random order.
        order = keys.arg_sort()
        probe = keys.gather(order)
        found = pl.repeat(False, len(keys), dtype=pl.Boolean, eager=True)
        for run in self._runs:
            idx = run.search_sorted(probe).clip(0, len(run) - 1)
            found = found | (run.gather(idx) == probe)
        # Back to input order: scatter is linear, a second arg_sort would be another sort.
        return pl.repeat(False, len(keys), dtype=pl.Boolean, eager=True).scatter(order, found)

    def add(self, keys: pl.Series) -> None:
        """Add keys that are not yet present (callers pass only new, distinct keys)."""
        run = keys.sort().alias("k")
        # Merge a run into the one before while that is at most 8x larger: few runs to search
        # (log base 8 of the key count) for a little more merging;
        # merge_sorted is a linear merge of two sorted runs, not a re-sort.
        while self._runs and len(self._runs[-1]) <= 8 * len(run):
            last = self._runs.pop()
            run = last.to_frame("k").merge_sorted(run.to_frame("k"), key="k").to_series()
        self._runs.append(run.rechunk())


def repeats(keys: pl.Series, valid: pl.Series, seen: HashSet64) -> pl.Series:
    """True where a key repeats one from an earlier row (this batch or before); then record keys.

    Rows where `valid` is False (missing values) never count as duplicates.
    """
    earlier = seen.contains(keys) & valid
    within = ~keys.is_first_distinct() & valid
    dup = earlier | within
    new = keys.filter(valid & ~dup)
    if len(new):
        seen.add(new)
    return dup
