"""Types shared by the contact checks: a batch view, a violation, the run context."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date

import polars as pl

from linter.contacts.schema import ContactSchema

Params = Mapping[str, object]


@dataclass(frozen=True, slots=True)
class Violation:
    """Rows of one column that break a rule: `mask` is True on those rows.

    A check returns the mask as a polars expression when it can: the runner evaluates all
    expressions of a batch in one lazy select, so polars fuses and parallelises them. Checks
    that need Python per distinct value (email-validator, phonenumbers, the hash set) return
    an evaluated Series.

    `detail` optionally carries a per-row explanation (the validator's reason, the suggested
    domain) for the rejected file; `at_header` marks a file-level problem such as a missing column.

    A uniqueness check gives `keys` instead of a mask: 64-bit hashes of each row's value, null
    where the value is missing. A row breaks the rule when its key repeats an earlier row's, in
    this batch or any before: that state is the runner's (Runner.batch), so checks stay pure.
    """

    column: str
    mask: pl.Series | pl.Expr | None = None
    detail: pl.Series | pl.Expr | None = None
    at_header: bool = False
    keys: pl.Series | None = None

    def __post_init__(self) -> None:
        if (self.mask is None) == (self.keys is None):
            raise ValueError("a Violation has either a mask or keys")


class Batch:
    """One batch of rows, every column text, missing values already null; memoises derived columns
    (lower-cased email, domain) so several checks share one computation."""

    def __init__(self, frame: pl.DataFrame) -> None:
        self.frame = frame
        self._memo: dict[str, pl.Series] = {}

    @property
    def height(self) -> int:
        return self.frame.height

    def has(self, column: str) -> bool:
        return bool(column) and column in self.frame.columns

    def col(self, column: str) -> pl.Series:
        return self.frame.get_column(column)

    def expr(self, column: str) -> pl.Expr:
        return pl.col(column)

    def memo(self, key: str, make: Callable[[], pl.Series]) -> pl.Series:
        if key not in self._memo:
            self._memo[key] = make()
        return self._memo[key]


@dataclass
class Context:
    """What checks may read besides the batch: `cache` memoises slow per-value validators
    across batches (it changes no result)."""

    schema: ContactSchema
    today: date
    header: tuple[str, ...]
    cache: dict[str, dict[str, str | None]] = field(default_factory=dict)

    def memo_values(
        self, name: str, values: list[str], judge: Callable[[str], str | None]
    ) -> dict[str, str | None]:
        """Run `judge` once per distinct value across the whole run (bounded memory)."""
        store = self.cache.setdefault(name, {})
        if len(store) > 200_000:
            store.clear()  # bounded: a fresh start costs time, never correctness
        for value in values:
            if value not in store:
                store[value] = judge(value)
        return {v: store[v] for v in values}


Check = Callable[[Batch, Context, Params], list[Violation]]


def refined(
    frame: pl.DataFrame, pairs: Mapping[str, tuple[pl.Expr, pl.Expr]]
) -> dict[str, pl.Expr]:
    """Per column, a mask equal to its `exact` expression (nulls False), evaluated only on the
    rows some column's `cheap` expression selects. Each `cheap` must be True wherever its
    `exact` is (tests check every pair against the exact expression alone).

    A good `cheap` test passes few rows, which saves work per row; every column goes through
    the same four polars calls, which saves work per batch (a call costs ~60 us whatever its
    size). The masks are expressions (the row's index among the hits) for the batch's select.
    """
    if not pairs:
        return {}
    cands = frame.select(cheap.fill_null(False).alias(c) for c, (cheap, _) in pairs.items())
    rows = cands.select(pl.any_horizontal(pl.all())).to_series().arg_true()
    if not len(rows):
        return {c: pl.repeat(False, pl.len()) for c in pairs}
    # On a row another column's cheap test picked, `exact` is False where `cheap` is: so one
    # gather of the candidate rows serves every column.
    at = pl.lit(rows)
    hits = (
        frame.gather(rows)
        .select(
            at.filter(exact.fill_null(False)).implode().alias(c) for c, (_, exact) in pairs.items()
        )
        .row(0)
    )
    index = pl.int_range(pl.len(), dtype=pl.UInt32)
    return {
        c: index.is_in(pl.lit(pl.Series(h, dtype=pl.UInt32)).implode())
        for c, h in zip(pairs, hits, strict=True)
    }


def str_list(params: Params, key: str) -> list[str]:
    value = params.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise TypeError(f"params.{key}: expected a list of strings but got {value!r}")
    return [str(v) for v in value]
