"""Duplicate keys: `repeated` over a whole file's keys at once (what check does at the end),
and a compact, append-only set of 64-bit hashes for split, which must decide each batch's
duplicates as the batch finishes (`repeats`).

The set has two layers, both polars Series (no Python objects per key):

- a bitmap indexed by the key's low bits, 16 to 32 bits per key (2-4 bytes), doubled by
  rebuilding from the runs: a clear bit proves a key is new, so for a typical list (few
  duplicates) only about 1 key in 16 or fewer goes on to the exact test;
- the keys themselves as sorted UInt64 runs (8 bytes per key), one per batch, merged in tiers
  (every _FANOUT runs of one tier become one run of the next, so each key is re-sorted about
  log8(n / batch) times and there are at most 7 runs per tier): the exact test is a vectorised
  binary search of the few candidate keys in each run.

So 10M keys need about 80 MB of runs plus a 32 MB bitmap (2**28 bits).
"""

from __future__ import annotations

import polars as pl

from linter.contacts.checks.base import constant

# Bitmap bits per key at least this (false-positive rate of the prefilter at most 1/16).
_BITS_PER_KEY = 16
_MIN_BITS = 1 << 20
_FANOUT = 8


def _false(n: int) -> pl.Series:
    return constant(False, n, pl.Boolean)


class HashSet64:
    def __init__(self) -> None:
        self._runs: list[pl.Series] = []
        self._tiers: list[int] = []
        self._size = 0
        self._bits = _MIN_BITS
        self._bitmap = _false(self._bits)

    def __len__(self) -> int:
        return self._size

    def _slots(self, keys: pl.Series) -> pl.Series:
        return (keys & (self._bits - 1)).cast(pl.UInt32 if self._bits <= 1 << 32 else pl.UInt64)

    def found(self, keys: pl.Series) -> pl.Series:
        """Positions in `keys` (UInt64) of the keys added before, ascending."""
        if not self._runs or not len(keys):
            return pl.Series("i", [], dtype=pl.UInt32)
        where = self._bitmap.gather(self._slots(keys)).arg_true()
        if not len(where):
            return where
        # Only the candidates (a set bit) pay for the exact test: one binary search per run,
        # all runs in one select.
        probe = keys.gather(where).to_frame("p")
        hit = probe.select(
            pl.any_horizontal(
                pl.lit(run).gather(pl.lit(run).search_sorted(pl.col("p")).clip(0, len(run) - 1))
                == pl.col("p")
                for run in self._runs
            )
        ).to_series()
        return where.filter(hit)

    def add(self, keys: pl.Series) -> None:
        """Add keys that are not yet present (callers pass only new, distinct keys)."""
        if not len(keys):
            return
        run = keys.sort().alias("k")
        self._size += len(run)
        if self._size * _BITS_PER_KEY > self._bits:
            while self._size * _BITS_PER_KEY > self._bits:
                self._bits *= 2
            self._bitmap = _false(self._bits)
            for old in self._runs:
                self._bitmap.scatter(self._slots(old), True)
        self._bitmap.scatter(self._slots(run), True)
        self._runs.append(run)
        self._tiers.append(0)
        while len(self._tiers) >= _FANOUT and len(set(self._tiers[-_FANOUT:])) == 1:
            tier = self._tiers[-1] + 1
            merged = pl.concat(self._runs[-_FANOUT:], rechunk=True).sort()
            del self._runs[-_FANOUT:], self._tiers[-_FANOUT:]
            self._runs.append(merged)
            self._tiers.append(tier)


def key_hashes(value: pl.Expr, seed: int, present: pl.Expr | None = None) -> pl.Expr:
    """64-bit hashes of `value` (UInt64), null where it is missing (or `present` is False):
    a missing value never repeats. The duplicate checks' keys, in a select of their batch."""
    return pl.when(value.is_not_null() if present is None else present).then(value.hash(seed))


def repeated(keys: pl.Series) -> pl.Series:
    """True where a key (not null) repeats an earlier row of `keys`: over a whole file's keys at
    once this is the duplicate check itself.

    Sorting finds the repeated values (a parallel sort of 1M keys: ~20 ms, against ~65 ms for
    `is_first_distinct`'s hash table when most keys are distinct); only the rows holding one
    (few) are then ranked by first occurrence.
    """
    # One thread per sort: the runner sorts its key columns on threads of its own, where
    # polars' parallel sort only adds overhead (two 1M-key columns: 30 ms, 18 ms without).
    ordered = keys.sort(multithreaded=False)
    twice = ordered.filter((ordered == ordered.shift(1)).fill_null(False))
    rows = keys.is_in(twice.implode()).fill_null(False).arg_true()
    mask = _false(len(keys))
    if not len(rows):
        return mask
    return mask.scatter(rows.filter(~keys.gather(rows).is_first_distinct()), True)


def repeats(keys: pl.Series, seen: HashSet64) -> pl.Series:
    """True where a key (not null) repeats one from an earlier row, in this batch or one added
    to `seen` before; then add this batch's new keys to `seen`."""
    earlier = seen.found(keys)
    frame = pl.DataFrame({"k": keys, "w": repeated(keys)})
    dup = pl.col("w")
    if len(earlier):
        row = pl.int_range(pl.len(), dtype=pl.UInt32)
        dup = dup | (pl.col("k").is_not_null() & row.is_in(earlier.cast(pl.UInt32).implode()))
    out = frame.select(dup.alias("dup"), (pl.col("k").is_not_null() & ~dup).alias("new"))
    new = keys.filter(out.get_column("new"))
    if len(new):
        seen.add(new)
    return out.get_column("dup")
