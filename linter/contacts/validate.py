"""The streaming runner: every rule over every batch, totals per rule, optional row routing."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Protocol

import polars as pl
import pyarrow as pa

from linter.contacts.checks import CHECKS, CROSS_BATCH, Batch, Context, Violation, prepare_batch
from linter.contacts.progress import Bar, wanted
from linter.contacts.reader import Ragged, batches, prefetch, raise_ragged
from linter.contacts.report import SAMPLES, ContactsReport, Tally
from linter.contacts.rules import ContactRule, contact_rules
from linter.contacts.schema import ContactSchema
from linter.contacts.sniff import ContactsInputError, Dialect
from linter.findings import Severity


class RowSink(Protocol):
    """Receives each batch's original rows with the reject mask and per-row reasons."""

    def write(
        self, frame: pl.DataFrame, first_row: int, reject: pl.Series, reasons: pl.Series
    ) -> None: ...


def _missing_to_null(frame: pl.DataFrame, missing: tuple[str, ...]) -> pl.DataFrame:
    if not missing or missing == ("",):  # the reader already made empty cells null
        return frame
    return frame.with_columns(
        pl.when(pl.col(c).is_in(list(missing))).then(None).otherwise(pl.col(c)).alias(c)
        for c in frame.columns
    )


@dataclass(frozen=True, slots=True)
class _Hit:
    """One evaluated violation: the rule, where, and the mask/detail column names in `cols`."""

    rule: ContactRule
    violation: Violation
    mask: str
    detail: str | None
    order: tuple[int, int]  # (rule's position, violation's position): reasons keep rule order


# (rule position, violation position, rule, violation)
_Found = list[tuple[int, int, ContactRule, Violation]]


def _prefix(frame: pl.DataFrame) -> str:
    prefix = "__presend_"
    while any(c.startswith(prefix) for c in frame.columns):
        prefix += "_"  # never shadow an input column
    return prefix


@dataclass(frozen=True, slots=True)
class Prepared:
    """A batch as read, its view, and the evaluated masks of every check that keeps no state
    across batches (all but the duplicate checks): see Runner.prepare."""

    frame: pl.DataFrame
    view: Batch
    cols: pl.DataFrame
    hits: list[_Hit]


def _evaluate(frame: pl.DataFrame, found: _Found) -> tuple[pl.DataFrame, list[_Hit]]:
    """All masks (nulls as False) and details of a batch as columns of one frame, in one lazy
    select; masks a check already evaluated as Series join the query as input columns. The
    first column is a full-length anchor named `_prefix(frame) + "anchor"`."""
    prefix = _prefix(frame)
    exprs: list[pl.Expr] = []
    series: list[pl.Series] = []
    hits = []
    for ri, j, rule, v in found:
        i = f"{ri}_{j}"
        mask, detail = f"{prefix}m{i}", None if v.detail is None else f"{prefix}d{i}"
        for name, value in ((mask, v.mask), (detail, v.detail)):
            if name is None or value is None:
                continue
            if isinstance(value, pl.Series):
                series.append(value.alias(name))
                value = pl.col(name)
            exprs.append((value.fill_null(False) if name == mask else value).alias(name))
        hits.append(_Hit(rule, v, mask, detail, (ri, j)))
    # A full-length anchor column makes literal-only expressions broadcast to the batch height.
    anchor = pl.repeat(0, frame.height, dtype=pl.Int8, eager=True).alias(f"{prefix}anchor")
    base = frame.with_columns(anchor, *series) if frame.width else pl.DataFrame([anchor, *series])
    cols = base.lazy().select([anchor.name, *exprs]).collect()
    return cols, hits


def _reasons(cols: pl.DataFrame, hits: list[_Hit], reject: pl.Series) -> pl.Series:
    """Every rule a rejected row breaks, as text; null on rows that stay clean (only the
    rejected file shows reasons, so only rejected rows pay for building them)."""
    none = pl.repeat(None, cols.height, dtype=pl.String, eager=True).alias("_reasons")
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


class Runner:
    """Holds the run's totals; `batch()` is pure apart from adding to them and to ctx.seen."""

    def __init__(
        self, schema: ContactSchema, dialect: Dialect, today: date, rules: tuple[ContactRule, ...]
    ) -> None:
        self.schema, self.dialect, self.rules = schema, dialect, rules
        self.ctx = Context(schema, today, dialect.header)
        self.index = {name: i for i, name in enumerate(dialect.header, start=1)}
        self.tallies: dict[tuple[str, str], Tally] = {}
        self.counts: Counter[str] = Counter()
        self.rows_in = self.rejected = 0

    def _found(self, view: Batch, cross_batch: bool) -> _Found:
        return [
            (ri, j, rule, v)
            for ri, rule in enumerate(self.rules)
            if (rule.check in CROSS_BATCH) == cross_batch
            for j, v in enumerate(CHECKS[rule.check](view, self.ctx, rule.params))
        ]

    def derive(self, frame: pl.DataFrame) -> tuple[pl.DataFrame, Batch]:
        """The batch's view and the columns checks derive from it (lower-cased addresses,
        hashes, domains, the email prefilter): batch-local, so `run` does this on the parsing
        thread, which has the least to do."""
        view = Batch(_missing_to_null(frame, self.schema.missing_values))
        prepare_batch(view, self.ctx)
        return frame, view

    def prepare(self, frame: pl.DataFrame, view: Batch | None = None) -> Prepared:
        """Everything about a batch that does not depend on earlier batches: the view and its
        derived columns (see `derive`) and the masks of every check but the duplicate ones.
        `run` calls this on a worker thread while this thread finishes the batch before; only
        the cross-batch checks (ctx.seen) must run in file order."""
        if view is None:
            frame, view = self.derive(frame)
        cols, hits = _evaluate(view.frame, self._found(view, cross_batch=False))
        return Prepared(frame, view, cols, hits)

    def batch(
        self, frame: pl.DataFrame, sink: RowSink | None, prepared: Prepared | None = None
    ) -> None:
        """Check one batch of text columns as read (missing cells null when the schema's only
        missing value is ""), add to the totals and hand the rows to `sink`."""
        first_row = self.rows_in + 2  # row 1 is the header
        if prepared is None:
            prepared = self.prepare(frame)
        view = prepared.view
        cols, hits = _evaluate(view.frame, self._found(view, cross_batch=True))
        anchor = _prefix(view.frame) + "anchor"
        cols = prepared.cols.hstack(cols.drop(anchor).get_columns())
        hits = sorted(prepared.hits + hits, key=lambda h: h.order)
        by_rule: dict[str, list[str]] = {}
        for h in hits:
            by_rule.setdefault(h.rule.id, []).append(h.mask)
        errors = [h.mask for h in hits if h.rule.severity is Severity.ERROR]
        summary = cols.select(
            *(pl.col(h.mask).sum().alias(h.mask) for h in hits),
            *(pl.any_horizontal(ms).sum().alias(f"rule:{rid}") for rid, ms in by_rule.items()),
            (pl.any_horizontal(errors).sum() if errors else pl.lit(0)).alias("rejected"),
        ).row(0, named=True)
        for h in hits:
            if summary[h.mask]:
                self._tally(h, cols, int(summary[h.mask]), first_row)
        for rid in by_rule:
            self.counts[rid] += int(summary[f"rule:{rid}"])
        self.rows_in += frame.height
        self.rejected += int(summary["rejected"])
        if sink is not None:
            reject = (
                cols.select(pl.any_horizontal(errors)).to_series()
                if errors
                else pl.repeat(False, frame.height, dtype=pl.Boolean, eager=True)
            )
            hit = [h for h in hits if summary[h.mask]]
            sink.write(frame, first_row, reject, _reasons(cols, hit, reject))

    def _tally(self, h: _Hit, cols: pl.DataFrame, count: int, first_row: int) -> None:
        v = h.violation
        key = (h.rule.id, v.column)
        tally = self.tallies.get(key)
        if tally is None:
            tally = Tally(h.rule, v.column, self.index.get(v.column, 0), v.at_header)
            self.tallies[key] = tally
        mask = cols.get_column(h.mask)
        rows = (mask.arg_true().head(SAMPLES) + first_row).to_list()
        details: dict[str, int] = {}
        if h.detail is not None:
            top = cols.get_column(h.detail).filter(mask).value_counts(sort=True).head(3)
            details = {str(k): int(n) for k, n in top.iter_rows()}
        tally.add(count, rows, details)

    def report(
        self, path: str, clean: str | None = None, rejected: str | None = None
    ) -> ContactsReport:
        findings = sorted(
            (t.finding(path, self.rows_in) for t in self.tallies.values()),
            key=lambda f: (f.line, f.column, f.rule),
        )
        return ContactsReport(
            path=path,
            dialect=self.dialect,
            rows_in=self.rows_in,
            rows_clean=self.rows_in - self.rejected,
            rows_rejected=self.rejected,
            counts_by_rule={k: v for k, v in sorted(self.counts.items()) if v},
            findings=findings,
            clean_path=clean,
            rejected_path=rejected,
        )


def _frames(
    path: str, dialect: Dialect, ragged: Ragged, empty_is_null: bool, bar: Bar
) -> Iterator[pl.DataFrame]:
    seen_any = False
    try:
        for frame in batches(
            path,
            dialect,
            ragged,
            empty_is_null=empty_is_null,
            progress=lambda done: bar.update(done, -1) if bar.enabled else None,
        ):
            seen_any = True
            yield frame
    except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
        raise ContactsInputError(
            path, 1, 1, f"cannot parse the file: {exc}", "check --encoding and --delimiter"
        ) from None
    if not seen_any:
        # A header-only file still gets file-level checks (missing columns).
        yield pl.DataFrame(schema={name: pl.String for name in dialect.header})


def run(
    path: str | Path,
    schema: ContactSchema,
    dialect: Dialect,
    *,
    today: date,
    sink: RowSink | None = None,
    progress: bool = False,
    rules: tuple[ContactRule, ...] | None = None,
) -> Runner:
    """Check every row of `path`; rows go to `sink` (if any) as they are checked."""
    name = str(path)
    runner = Runner(schema, dialect, today, rules or contact_rules())
    ragged = Ragged()
    bar = Bar(os.path.getsize(name), Path(name).name, wanted(progress))
    bar.rows = lambda: runner.rows_in
    try:
        frames = _frames(name, dialect, ragged, schema.missing_values == ("",), bar)
        # A three-stage pipeline, one batch in each: a thread parses batch n+2 and derives
        # its shared columns, another prepares batch n+1 (every check without cross-batch
        # state), this one finishes batch n. pyarrow and polars release the GIL, so the
        # stages use the cores together.
        derived = prefetch(runner.derive(f) for f in frames)
        for prepared in prefetch(runner.prepare(f, v) for f, v in derived):
            runner.batch(prepared.frame, sink, prepared)
    finally:
        bar.close()
    if ragged.count:
        raise_ragged(name, dialect, ragged)
    return runner
