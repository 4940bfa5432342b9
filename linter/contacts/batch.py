"""The checks stage: one batch of rows in, what it breaks out. Pure: nothing carries over
from one batch to the next, so any engine can call it on any batch, in any order.

    result = check_batch(batch, schema, BatchContext(today=date(2026, 12, 6)))
    result.tallies   # per rule and column: how many rows, the first rows, commonest details
    result.reject    # one bool a row: it breaks an error-severity rule
    result.reasons   # one text a row (with_reasons=True): every rule it breaks; null if clean
    result.keys      # the whole-list rules' normalised keys, for the caller to resolve

Per-row rules (types, patterns, email syntax, disposable domains...) are decided here. The
whole-list rules, duplicate addresses ignoring case and unique keys, cannot be decided from
one batch: `keys` (or `row_keys`, which computes only those) gives each row's normalised key,
the caller finds the rows whose key repeats an earlier row's (a running set in file order,
a sort, a shuffle grouped by key) and passes them back as `repeats` to have them counted,
rejected and explained exactly like the per-row rules. docs/contacts.md, "Pipeline stages",
is the contract.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TypeAlias

import polars as pl
import pyarrow as pa

from linter.contacts.checks import (
    CHECKS,
    WHOLE_LIST,
    Batch,
    Context,
    Violation,
    load_all,
    prepare_batch,
)
from linter.contacts.checks.base import Refine, collect, constant, refined, scratch_prefix
from linter.contacts.rules import ContactRule, contact_rules
from linter.contacts.schema import ContactSchema
from linter.findings import Severity

# Every batch needs every check module: load them with this module, not on the first batch,
# where two worker threads would wait on one import. email-validator and phonenumbers load
# only when a value needs them (most lists never do).
load_all()

SAMPLES = 5  # first rows kept per rule and column
COMMONEST = 3  # details kept per rule and column

Frame: TypeAlias = "pl.DataFrame | pa.RecordBatch | pa.Table"


@dataclass
class BatchContext:
    """What a batch is checked with besides the schema: the day "future" is measured from,
    the rules (id, severity, check; default: the whole `contacts` catalogue) and the file's
    header (default: the batch's columns; a required column missing from it fails every row).

    `cache` keeps the slow validators' answers (email-validator, phonenumbers) per distinct
    value across the batches that share the context; it changes no result. One context per
    worker (a Spark partition, say) is right; threads may share one.
    """

    today: date = field(default_factory=date.today)
    rules: tuple[ContactRule, ...] = field(default_factory=contact_rules)
    header: tuple[str, ...] | None = None
    cache: dict[str, dict[str, str | None]] = field(default_factory=dict, repr=False)

    def for_schema(self, schema: ContactSchema, columns: Sequence[str]) -> Context:
        """The checks' own context (the cache is shared, not copied)."""
        header = tuple(columns) if self.header is None else self.header
        return Context(schema, self.today, header, self.cache)


@dataclass(frozen=True, slots=True)
class RuleTally:
    """One rule on one column in one batch. `rows` are 0-based positions in the batch (the
    first SAMPLES), `details` the commonest per-row details with their counts. `at_header`:
    a file-level problem (a required column missing), reported once, not per row. Tallies of
    several batches add up: counts and details add, rows keep the first SAMPLES in file order."""

    rule: ContactRule
    column: str
    count: int
    rows: tuple[int, ...]
    details: Mapping[str, int]
    at_header: bool = False


@dataclass(frozen=True, slots=True)
class RowKey:
    """A whole-list rule's key for every row of a batch.

    `values` is the normalised key: for the email column (duplicate-email) the address
    trimmed and lower-cased; for a `unique` field (or a one-field key) its logical value as
    text (an integer's canonical digits: "01" and "+1" are "1"; a number's float text); for a
    composite primary or unique key a struct of its columns' logical values. Null means no
    key (a missing value, or any part of a composite key missing), which never repeats. A
    row breaks the rule when its key equals an earlier row's in the whole list: the first
    occurrence stays clean. `hashes` are 64-bit hashes of the same keys (UInt64, null
    alike), what presend's own runner compares (equal values, equal hashes).
    """

    rule: ContactRule
    column: str
    hashes: pl.Series
    order: tuple[int, int]  # (rule's position, violation's position): reasons keep rule order
    given: pl.Series | pl.Expr  # `values`, or the expression that makes them from `frame`
    frame: pl.DataFrame = field(repr=False)

    @property
    def name(self) -> str:
        """`RULE:column`, the key of `repeats` in check_batch."""
        return f"{self.rule.id}:{self.column}"

    @property
    def values(self) -> pl.Series:
        """The normalised key of each row (made when first asked for: presend's own runner
        compares `hashes` only)."""
        if isinstance(self.given, pl.Series):
            return self.given
        return self.frame.select(self.given.alias("values")).to_series()


@dataclass(frozen=True, slots=True)
class BatchResult:
    """What one batch breaks (see check_batch). `rule_rows`: rows hit per rule id (a row
    breaking a rule on two columns counts once), for the report's counts by rule."""

    tallies: tuple[RuleTally, ...]
    rule_rows: Mapping[str, int]
    reject: pl.Series
    reasons: pl.Series | None
    keys: tuple[RowKey, ...]


@dataclass(frozen=True, slots=True)
class _Hit:
    """One evaluated violation: the rule, where, and the mask/detail column names in `cols`."""

    rule: ContactRule
    violation: Violation
    mask: str
    detail: str | None
    order: tuple[int, int]


@dataclass(frozen=True, slots=True)
class Evaluated:
    """A batch with every per-row check's mask and detail evaluated (columns of `cols`) and
    the whole-list rules' keys: everything about a batch that needs no other batch. The
    streaming runner makes these on worker threads (`evaluate`) and finishes them in file
    order (`finish`); check_batch does both."""

    frame: pl.DataFrame
    cols: pl.DataFrame
    hits: list[_Hit]
    keys: tuple[RowKey, ...]


def as_frame(batch: Frame) -> pl.DataFrame:
    """A polars frame of a pyarrow RecordBatch or Table (string or large_string columns:
    the values are copied once, into polars' string views), or the frame itself."""
    if isinstance(batch, pl.DataFrame):
        return batch
    frame = pl.from_arrow(batch)
    assert isinstance(frame, pl.DataFrame)
    return frame


def missing_to_null(frame: pl.DataFrame, schema: ContactSchema) -> pl.DataFrame:
    """The schema's missing values (missingValues: a field's own, else the schema's; default
    [""]) as null: every check reads null as "no value"."""
    exprs = []
    for c in frame.columns:
        missing = schema.missing_for(c)
        if missing:
            listed = pl.Series(list(missing), dtype=pl.String).implode()
            exprs.append(pl.when(pl.col(c).is_in(listed)).then(None).otherwise(pl.col(c)).alias(c))
    return frame.with_columns(exprs) if exprs else frame


def evaluate(
    frame: pl.DataFrame, schema: ContactSchema, context: BatchContext, *, nulls_done: bool = False
) -> Evaluated:
    """Run every rule's check over one batch of text columns (`nulls_done`: the schema's
    missing values are already null, as presend's reader makes "" when it is the only one)."""
    view = Batch(frame if nulls_done else missing_to_null(frame, schema))
    ctx = context.for_schema(schema, frame.columns)
    prepare_batch(view, ctx)
    found: list[tuple[int, int, ContactRule, Violation]] = []
    keys = []
    for hit in _violations(view, ctx, context.rules):
        if hit[3].keys is None:
            found.append(hit)
        else:
            keys.append(_row_key(view, *hit))
    cols, hits = _evaluate(view.frame, found)
    return Evaluated(frame, cols, hits, tuple(keys))


def row_keys(batch: Frame, schema: ContactSchema, context: BatchContext) -> tuple[RowKey, ...]:
    """Only the whole-list rules' keys of a batch (what a shuffle groups by): the uniqueness
    checks alone run, not the per-row ones."""
    frame = missing_to_null(as_frame(batch), schema)
    view, ctx = Batch(frame), context.for_schema(schema, frame.columns)
    return tuple(_row_key(view, *hit) for hit in _violations(view, ctx, context.rules, WHOLE_LIST))


def _violations(
    view: Batch, ctx: Context, rules: Sequence[ContactRule], only: Collection[str] | None = None
) -> Iterator[tuple[int, int, ContactRule, Violation]]:
    """Each rule's violations on the batch with (rule index, violation index): the place a
    hit or key keeps in the run's rule order. `only`: these checks alone."""
    for ri, rule in enumerate(rules):
        if only is None or rule.check in only:
            for j, v in enumerate(CHECKS[rule.check](view, ctx, rule.params)):
                yield ri, j, rule, v


def _row_key(view: Batch, ri: int, j: int, rule: ContactRule, v: Violation) -> RowKey:
    assert v.keys is not None and v.values is not None  # a whole-list rule's violation
    return RowKey(rule, v.column, v.keys, (ri, j), v.values, view.frame)


def check_batch(
    batch: Frame,
    schema: ContactSchema,
    context: BatchContext,
    *,
    repeats: Mapping[str, pl.Series] | None = None,
    with_reasons: bool = False,
) -> BatchResult:
    """Check one batch of rows, every column text (strings as read; the schema's missing
    values are made null here). Pure: the same batch gives the same result, whatever came
    before.

    `repeats` maps a whole-list rule's key (RowKey.name) to a boolean mask, one per row, of
    the rows the caller found repeating an earlier row's key; those rules then count, reject
    and explain like the others. Without it, `tallies`, `rule_rows`, `reject` and `reasons`
    cover the per-row rules only and `keys` are left to the caller.
    """
    return finish(evaluate(as_frame(batch), schema, context), repeats, with_reasons)


def finish(
    done: Evaluated, repeats: Mapping[str, pl.Series] | None = None, with_reasons: bool = False
) -> BatchResult:
    """Totals, first rows, commonest details, the reject mask and (optionally) reasons of an
    evaluated batch, with the whole-list rules' masks in `repeats` (see check_batch)."""
    cols, hits = done.cols, done.hits
    if repeats:
        cols, hits = _with_repeats(done, repeats)
    by_rule: dict[str, list[str]] = {}
    for h in hits:
        by_rule.setdefault(h.rule.id, []).append(h.mask)
    errors = [h.mask for h in hits if h.rule.severity is Severity.ERROR]
    # One select for every total, the first rows and the commonest details of each hit.
    summary = (
        cols.select(
            *(pl.col(h.mask).sum().alias(h.mask) for h in hits),
            *(pl.any_horizontal(ms).sum().alias(f"rule:{rid}") for rid, ms in by_rule.items()),
            *(_first_rows(h.mask).alias(f"rows:{h.mask}") for h in hits),
            *(
                _commonest(h.detail, h.mask).alias(f"top:{h.mask}")
                for h in hits
                if h.detail is not None
            ),
        ).row(0, named=True)
        if hits
        else {}
    )
    tallies = []
    for h in hits:
        # A header-only file has no rows to fail, but a missing column is still missing.
        if summary[h.mask] or (h.violation.at_header and done.frame.height == 0):
            top = summary.get(f"top:{h.mask}") or []
            tallies.append(
                RuleTally(
                    h.rule,
                    h.violation.column,
                    int(summary[h.mask]),
                    tuple(summary[f"rows:{h.mask}"]),
                    {str(d["value"]): int(d["count"]) for d in top},
                    h.violation.at_header,
                )
            )
    reject = (
        cols.select(pl.any_horizontal(errors)).to_series().alias("_reject")
        if errors
        else constant(False, done.frame.height, pl.Boolean).alias("_reject")
    )
    reasons = None
    if with_reasons:
        reasons = _reasons(cols, [h for h in hits if summary[h.mask]], reject)
    rule_rows = {rid: int(summary[f"rule:{rid}"]) for rid in by_rule}
    return BatchResult(tuple(tallies), rule_rows, reject, reasons, done.keys)


def _with_repeats(
    done: Evaluated, repeats: Mapping[str, pl.Series]
) -> tuple[pl.DataFrame, list[_Hit]]:
    """The batch's masks and hits plus those of its whole-list rules, in rule order."""
    names = {k.name for k in done.keys}
    unknown = sorted(set(repeats) - names)
    if unknown:
        raise ValueError(f"repeats: no whole-list rule {unknown[0]!r} here (have {sorted(names)})")
    prefix = scratch_prefix(done.frame)
    masks, hits = [], list(done.hits)
    for k in done.keys:
        mask = repeats.get(k.name)
        if mask is None:
            continue
        if len(mask) != done.frame.height:
            raise ValueError(
                f"repeats[{k.name!r}]: {len(mask)} values for {done.frame.height} rows"
            )
        masks.append(mask.fill_null(False).alias(f"{prefix}k{k.order[0]}_{k.order[1]}"))
        violation = Violation(k.column, masks[-1])
        hits.append(_Hit(k.rule, violation, masks[-1].name, None, k.order))
    return done.cols.hstack(masks), sorted(hits, key=lambda h: h.order)


def _evaluate(
    frame: pl.DataFrame, found: list[tuple[int, int, ContactRule, Violation]]
) -> tuple[pl.DataFrame, list[_Hit]]:
    """All masks (nulls as False) and details of a batch as columns of one frame, in one lazy
    select; masks a check already evaluated as Series join the query as input columns. The
    first column is a full-length anchor named `scratch_prefix(frame) + "anchor"`."""
    prefix = scratch_prefix(frame)
    exprs: list[pl.Expr] = []
    series: list[pl.Series] = []
    hits = []
    # Every Refine mask of the batch is narrowed down in the same few calls.
    pairs = [v.mask for _, _, _, v in found if isinstance(v.mask, Refine)]
    narrowed = iter(refined(frame, pairs))
    found = [
        (ri, j, rule, replace(v, mask=next(narrowed)) if isinstance(v.mask, Refine) else v)
        for ri, j, rule, v in found
    ]
    for ri, j, rule, v in found:
        i = f"{ri}_{j}"
        mask, detail = f"{prefix}m{i}", None if v.detail is None else f"{prefix}d{i}"
        for name, value in ((mask, v.mask), (detail, v.detail)):
            if name is None or value is None:
                continue
            assert not isinstance(value, Refine)  # narrowed above
            if isinstance(value, pl.Series):
                series.append(value.alias(name))
                value = pl.col(name)
            exprs.append((value.fill_null(False) if name == mask else value).alias(name))
        hits.append(_Hit(rule, v, mask, detail, (ri, j)))
    # A full-length anchor column makes literal-only expressions broadcast to the batch height.
    anchor = constant(0, frame.height, pl.Int8).alias(f"{prefix}anchor")
    base = frame.with_columns(anchor, *series) if frame.width else pl.DataFrame([anchor, *series])
    cols = collect(base.lazy().select([anchor.name, *exprs]))
    return cols, hits


def _reasons(cols: pl.DataFrame, hits: list[_Hit], reject: pl.Series) -> pl.Series:
    """Every rule a rejected row breaks, as text; null on rows that stay clean (only the
    rejected file shows reasons, so only rejected rows pay for building them)."""
    none = constant(None, cols.height, pl.String).alias("_reasons")
    rows = reject.arg_true()
    if not hits or not len(rows):
        return none
    used = [c for h in hits for c in (h.mask, h.detail) if c is not None]
    picked = cols.select(used).gather(rows)
    parts = []
    for h in hits:
        prefix = f"{h.rule.id} {h.rule.name} [{h.violation.column}]: "
        text = (
            pl.lit(prefix + h.rule.summary)
            if h.detail is None
            else pl.concat_str([pl.lit(prefix), pl.col(h.detail).fill_null(h.rule.summary)])
        )
        parts.append(pl.when(pl.col(h.mask)).then(text))
    joined = picked.select(pl.concat_str(parts, separator="; ", ignore_nulls=True)).to_series()
    return none.scatter(rows, joined)


def _first_rows(mask: str) -> pl.Expr:
    """The first SAMPLES positions where `mask` is True, as one list."""
    return pl.col(mask).arg_true().head(SAMPLES).implode()


def _commonest(detail: str, mask: str) -> pl.Expr:
    """The commonest `detail` texts on the rows of `mask`, as a list of {value, count}.
    Rows a vectorised test flagged have no detail (null): they are counted, not named."""
    named = pl.col(mask) & pl.col(detail).is_not_null()
    top = pl.col(detail).filter(named).value_counts(sort=True, name="count")
    return top.head(COMMONEST).struct.rename_fields(["value", "count"]).implode()


__all__ = [
    "BatchContext",
    "BatchResult",
    "Evaluated",
    "RowKey",
    "RuleTally",
    "as_frame",
    "check_batch",
    "evaluate",
    "finish",
    "missing_to_null",
    "row_keys",
]
