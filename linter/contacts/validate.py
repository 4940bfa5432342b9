"""The streaming runner: every rule over every batch, totals per rule, optional row routing."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import BinaryIO, Protocol

import polars as pl
import pyarrow as pa

from linter.contacts.checks import CHECKS, Batch, Context, Violation
from linter.contacts.progress import Bar, wanted
from linter.contacts.reader import CountingFile, Ragged, batches, raise_ragged
from linter.contacts.report import SAMPLES, ContactsReport, Tally
from linter.contacts.rules import ContactRule, contact_rules
from linter.contacts.schema import ContactSchema
from linter.contacts.sniff import ContactsInputError, Dialect
from linter.findings import Severity


class RowSink(Protocol):
    """Receives each batch's original rows with the reject mask and per-row reasons."""

    def write(self, frame: pl.DataFrame, first_row: int, reject: pl.Series,
              reasons: pl.Series) -> None: ...


def _missing_to_null(frame: pl.DataFrame, missing: tuple[str, ...]) -> pl.DataFrame:
    if not missing:
        return frame
    return frame.with_columns(
        pl.when(pl.col(c).is_in(list(missing))).then(None).otherwise(pl.col(c)).alias(c)
        for c in frame.columns)


def _reason_text(rule: ContactRule, v: Violation) -> pl.Expr:
    prefix = f"{rule.id} {rule.name} [{v.column}]: "
    if v.detail is None:
        return pl.lit(prefix + rule.summary)
    return pl.concat_str([pl.lit(prefix), pl.lit(v.detail).fill_null(rule.summary)])


def _reasons(hits: list[tuple[ContactRule, Violation]], height: int) -> pl.Series:
    if not hits:
        return pl.Series("_reasons", [None] * height, dtype=pl.String)
    parts = [pl.when(pl.lit(v.mask)).then(_reason_text(rule, v)) for rule, v in hits]
    return pl.select(pl.concat_str(parts, separator="; ", ignore_nulls=True)
                     .alias("_reasons")).to_series()


class Runner:
    """Holds the run's totals; `batch()` is pure apart from adding to them and to ctx.seen."""

    def __init__(self, schema: ContactSchema, dialect: Dialect, today: date,
                 rules: tuple[ContactRule, ...]) -> None:
        self.schema, self.dialect, self.rules = schema, dialect, rules
        self.ctx = Context(schema, today, dialect.header)
        self.index = {name: i for i, name in enumerate(dialect.header, start=1)}
        self.tallies: dict[tuple[str, str], Tally] = {}
        self.counts: Counter[str] = Counter()
        self.rows_in = self.rejected = 0

    def batch(self, frame: pl.DataFrame, sink: RowSink | None) -> None:
        first_row = self.rows_in + 2  # row 1 is the header
        view = Batch(_missing_to_null(frame, self.schema.missing_values))
        reject = pl.repeat(False, frame.height, dtype=pl.Boolean, eager=True).alias("reject")
        hits: list[tuple[ContactRule, Violation]] = []
        for rule in self.rules:
            rule_mask = pl.repeat(False, frame.height, dtype=pl.Boolean, eager=True).alias("m")
            for v in CHECKS[rule.check](view, self.ctx, rule.params):
                idx = v.mask.arg_true()
                if len(idx) == 0:
                    continue
                hits.append((rule, v))
                rule_mask = rule_mask | v.mask
                self._tally(rule, v, idx, first_row)
            self.counts[rule.id] += int(rule_mask.sum())
            if rule.severity is Severity.ERROR:
                reject = reject | rule_mask
        self.rows_in += frame.height
        self.rejected += int(reject.sum())
        if sink is not None:
            reasons = _reasons(hits, frame.height) if reject.any() else _reasons([], frame.height)
            sink.write(frame, first_row, reject, reasons)

    def _tally(self, rule: ContactRule, v: Violation, idx: pl.Series, first_row: int) -> None:
        key = (rule.id, v.column)
        tally = self.tallies.get(key)
        if tally is None:
            tally = Tally(rule, v.column, self.index.get(v.column, 0), v.at_header)
            self.tallies[key] = tally
        details: dict[str, int] = {}
        if v.detail is not None:
            counts = v.detail.filter(v.mask).value_counts(sort=True).head(3)
            details = {str(k): int(n) for k, n in counts.iter_rows()}
        tally.add(len(idx), (idx.head(SAMPLES) + first_row).to_list(), details)

    def report(self, path: str, clean: str | None = None,
               rejected: str | None = None) -> ContactsReport:
        findings = sorted((t.finding(path, self.rows_in) for t in self.tallies.values()),
                          key=lambda f: (f.line, f.column, f.rule))
        return ContactsReport(
            path=path, dialect=self.dialect, rows_in=self.rows_in,
            rows_clean=self.rows_in - self.rejected, rows_rejected=self.rejected,
            counts_by_rule={k: v for k, v in sorted(self.counts.items()) if v},
            findings=findings, clean_path=clean, rejected_path=rejected)


def _frames(source: str | BinaryIO, path: str, dialect: Dialect,
            ragged: Ragged) -> Iterator[pl.DataFrame]:
    seen_any = False
    try:
        for frame in batches(source, dialect, ragged):
            seen_any = True
            yield frame
    except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
        raise ContactsInputError(path, 1, 1, f"cannot parse the file: {exc}",
                                 "check --encoding and --delimiter") from None
    if not seen_any:
        # A header-only file still gets file-level checks (missing columns).
        yield pl.DataFrame(schema={name: pl.String for name in dialect.header})


def run(path: str | Path, schema: ContactSchema, dialect: Dialect, *, today: date,
        sink: RowSink | None = None, progress: bool = False,
        rules: tuple[ContactRule, ...] | None = None) -> Runner:
    """Check every row of `path`; rows go to `sink` (if any) as they are checked."""
    name = str(path)
    runner = Runner(schema, dialect, today, rules or contact_rules())
    ragged = Ragged()
    bar = Bar(os.path.getsize(name), Path(name).name, wanted(progress))
    with open(name, "rb") as raw:
        # Count bytes only when a bar is drawn: pyarrow reads a plain path faster.
        counter = CountingFile(raw) if bar.enabled else None
        source: str | BinaryIO = counter if counter is not None else name  # type: ignore[assignment]
        try:
            for frame in _frames(source, name, dialect, ragged):
                runner.batch(frame, sink)
                if counter is not None:
                    bar.update(counter.done, runner.rows_in)
        finally:
            bar.close()
    if ragged.count:
        raise_ragged(name, dialect, ragged)
    return runner
