"""Types shared by the contact checks: a batch view, a violation, the run context."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TypeVar, cast

import polars as pl

from linter.contacts.schema import ContactSchema

Params = Mapping[str, object]
_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class Violation:
    """Rows of one column that break a rule: `mask` is True on those rows (null reads as False).

    A check returns the mask as a polars expression when it can: the runner evaluates all
    expressions of a batch in one lazy select, so polars fuses and parallelises them. A
    `Refine` mask adds a cheap test that spares most rows the exact expression. Checks
    that need Python per distinct value (email-validator, phonenumbers) return
    an evaluated Series.

    `detail` optionally carries a per-row explanation (the validator's reason, the suggested
    domain) for the rejected file; `at_header` marks a file-level problem such as a missing column.

    A uniqueness check (a whole-list rule) gives `keys` instead of a mask: 64-bit hashes of
    each row's normalised value, null where the value is missing, and `values`, that
    normalised value itself (what a distributed engine groups by). A row breaks the rule when
    its key repeats an earlier row's, in this batch or any before: that state is the caller's
    (the streaming runner, or a shuffle), so checks stay pure.
    """

    column: str
    mask: pl.Series | pl.Expr | Refine | None = None
    detail: pl.Series | pl.Expr | None = None
    at_header: bool = False
    keys: pl.Series | None = None
    values: pl.Series | pl.Expr | None = None  # an expression: evaluated when asked for

    def __post_init__(self) -> None:
        if (self.mask is None) == (self.keys is None):
            raise ValueError("a Violation has either a mask or keys")


class Batch:
    """One batch of rows, every column text, missing values already null; memoises derived columns
    (lower-cased email, domain) so several checks share one computation."""

    def __init__(self, frame: pl.DataFrame) -> None:
        self.frame = frame
        self._memo: dict[str, object] = {}

    @property
    def height(self) -> int:
        return self.frame.height

    def has(self, column: str) -> bool:
        return bool(column) and column in self.frame.columns

    def col(self, column: str) -> pl.Series:
        return self.frame.get_column(column)

    def expr(self, column: str) -> pl.Expr:
        return pl.col(column)

    def memo(self, key: str, make: Callable[[], _T]) -> _T:
        if key not in self._memo:
            self._memo[key] = make()
        return cast(_T, self._memo[key])


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
        """Run `judge` once per distinct value across the whole run (bounded memory). Both
        workers call this: each answer is read once and kept, so another thread clearing
        the store meanwhile cannot lose one."""
        store = self.cache.setdefault(name, {})
        if len(store) > 200_000:
            store.clear()  # bounded: a fresh start costs time, never correctness
        out: dict[str, str | None] = {}
        for value in values:
            answer = store.get(value, ...)  # one read: another thread may clear the store
            if answer is ...:
                answer = store[value] = judge(value)
            out[value] = answer
        return out

    def reasons(
        self, name: str, column: pl.Series, rows: pl.Series, judge: Callable[[str], str | None]
    ) -> pl.Series:
        """Per-row details for a slow validator: `judge`'s reason for each value of `column`
        at `rows` (each distinct value judged once per run, see memo_values), null on the
        rows it accepts and on every other row."""
        values = column.gather(rows)
        verdicts = self.memo_values(name, values.unique().to_list(), judge)
        bad = {v: r for v, r in verdicts.items() if r is not None}
        detail = constant(None, len(column), pl.String)
        if not bad:
            return detail
        return detail.scatter(
            rows, values.replace_strict(bad, default=None, return_dtype=pl.String)
        )


Check = Callable[[Batch, Context, Params], list[Violation]]


def constant(value: object, n: int, dtype: pl.DataType | type[pl.DataType]) -> pl.Series:
    """`n` copies of `value`: ~5 us, where `pl.repeat(..., eager=True)` costs ~150 us (it
    plans and runs a query), and batches build several such columns."""
    return pl.Series([value], dtype=dtype).new_from_index(0, n)


def collect(query: pl.LazyFrame) -> pl.DataFrame:
    """Run a batch's query on polars' in-memory engine. A batch is already in memory; the
    default engine's set-up for streaming cost ~2 ms a batch and woke threads of its own."""
    return query.collect(engine="in-memory")


def scratch_prefix(frame: pl.DataFrame) -> str:
    """A prefix no column of `frame` starts with, for working columns beside the input's."""
    prefix = "__presend_"
    while any(c.startswith(prefix) for c in frame.columns):
        prefix += "_"  # never shadow an input column
    return prefix


@dataclass(frozen=True, slots=True)
class Refine:
    """A mask given as its `exact` expression and a `cheap` one that is True wherever `exact`
    is (a superset: tests check each pair against `exact` alone). The runner evaluates `cheap`
    on every row and `exact` only on the rows some cheap test of the batch picked (refined)."""

    cheap: pl.Expr
    exact: pl.Expr


def refined(frame: pl.DataFrame, pairs: Sequence[Refine]) -> list[pl.Expr]:
    """Each pair's mask (its `exact` expression, nulls False) for the rows of `frame`, with
    `exact` evaluated only on the rows some pair's `cheap` test selects.

    A good cheap test passes few rows, which saves work per row; every pair of a batch goes
    through the same four polars calls, which saves work per batch (a call costs ~130 us
    whatever its size). The masks are expressions (the row's index among the hits) for the
    batch's one select.
    """
    if not pairs:
        return []
    cands = frame.select(p.cheap.fill_null(False).alias(str(i)) for i, p in enumerate(pairs))
    rows = cands.select(pl.any_horizontal(pl.all())).to_series().arg_true()
    if not len(rows):
        return [pl.repeat(False, pl.len()) for _ in pairs]
    # On a row only another pair's cheap test picked, this pair's `exact` is False (its
    # `cheap` is, and `cheap` covers `exact`): one gather of the candidates serves every pair.
    at = pl.lit(rows)
    hits = (
        frame.gather(rows)
        .select(
            at.filter(p.exact.fill_null(False)).implode().alias(str(i)) for i, p in enumerate(pairs)
        )
        .row(0)
    )
    index = pl.int_range(pl.len(), dtype=pl.UInt32)
    return [index.is_in(pl.lit(pl.Series(h, dtype=pl.UInt32)).implode()) for h in hits]


def str_list(params: Params, key: str) -> list[str]:
    value = params.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise TypeError(f"params.{key}: expected a list of strings but got {value!r}")
    return [str(v) for v in value]
