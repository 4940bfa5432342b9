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

from dataclasses import dataclass

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
        """Positions in `keys` (UInt64, no nulls) of the keys added before, ascending."""
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

    def add(self, keys: pl.Series, *, ordered: bool = False) -> None:
        """Add keys that are not yet present (callers pass only new, distinct keys; `ordered`:
        already sorted)."""
        if not len(keys):
            return
        # One thread per sort: the runner's other threads keep the cores busy, and polars'
        # parallel sort costs twice the CPU of a single-threaded one for these sizes.
        run = (keys if ordered else keys.sort(multithreaded=False)).alias("k")
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
            merged = pl.concat(self._runs[-_FANOUT:], rechunk=True).sort(multithreaded=False)
            del self._runs[-_FANOUT:], self._tiers[-_FANOUT:]
            self._runs.append(merged)
            self._tiers.append(tier)

    def repeats(self, batch: BatchKeys) -> pl.Series:
        """True where a row of the batch repeats a key of an earlier row, in the batch or one
        added before; then add the batch's new keys. Batches must come in file order."""
        if not len(batch.distinct):
            return batch.within
        earlier = batch.distinct.gather(self.found(batch.distinct))
        new = batch.distinct
        dup = batch.within
        if len(earlier):
            seen_before = earlier.implode()
            new = new.filter(~new.is_in(seen_before))
            dup = dup | batch.keys.is_in(seen_before).fill_null(False)
        self.add(new, ordered=True)
        return dup


@dataclass(frozen=True, slots=True)
class BatchKeys:
    """What one batch's keys say without any other batch (`batch_keys`): the keys, which rows
    repeat an earlier row of the same batch, and the distinct keys, sorted. The runner makes
    these on its worker threads; only `HashSet64.repeats` must follow file order."""

    keys: pl.Series
    within: pl.Series
    distinct: pl.Series


def batch_keys(keys: pl.Series) -> BatchKeys:
    """One sort of the batch's keys (nulls left out: a missing key never repeats) gives both
    the rows repeating within the batch and the sorted distinct keys the set adds."""
    ordered, again = _sorted(keys)
    return BatchKeys(keys, _marked(keys, ordered.filter(again)), ordered.filter(~again))


def _sorted(keys: pl.Series) -> tuple[pl.Series, pl.Series]:
    """The keys sorted (nulls left out: a missing key never repeats), and where each sorted
    key equals the one before it."""
    ordered = keys.drop_nulls().sort(multithreaded=False)
    return ordered, (ordered == ordered.shift(1)).fill_null(False)


def key_hashes(value: pl.Expr, seed: int, present: pl.Expr | None = None) -> pl.Expr:
    """64-bit hashes of `value` (UInt64), null where it is missing (or `present` is False):
    a missing value never repeats. The duplicate checks' keys, in a select of their batch."""
    return pl.when(value.is_not_null() if present is None else present).then(value.hash(seed))


def repeated(keys: pl.Series) -> pl.Series:
    """True where a key (not null) repeats an earlier row of `keys`: over a whole file's keys at
    once this is the duplicate check itself (`batch_keys`' within-batch answer; sorting finds
    the repeated values, then only the rows holding one are ranked by first occurrence)."""
    ordered, again = _sorted(keys)
    return _marked(keys, ordered.filter(again))


def _marked(keys: pl.Series, twice: pl.Series) -> pl.Series:
    """True on every row holding one of the values `twice` but the first such row."""
    mask = _false(len(keys))
    if not len(twice):
        return mask
    rows = keys.is_in(twice.implode()).fill_null(False).arg_true()
    return mask.scatter(rows.filter(~keys.gather(rows).is_first_distinct()), True)


def repeats(keys: pl.Series, seen: HashSet64) -> pl.Series:
    """True where a key (not null) repeats one from an earlier row, in this batch or one added
    to `seen` before; then add this batch's new keys to `seen`."""
    return seen.repeats(batch_keys(keys))
