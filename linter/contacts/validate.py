"""The streaming runner: every rule over every batch, totals per rule, optional row routing."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Generator, Iterator
from contextlib import closing
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Protocol

import polars as pl
import pyarrow as pa

from linter.contacts.checks import (
    CHECKS,
    Batch,
    Context,
    Violation,
    load_all,
    prepare_batch,
    warm,
)
from linter.contacts.checks.base import Refine, collect, constant, refined, scratch_prefix
from linter.contacts.hashset import HashSet64, repeated, repeats
from linter.contacts.progress import Bar, wanted
from linter.contacts.reader import Job, Parsed, Ragged, jobs, ordered_map, raise_ragged
from linter.contacts.report import SAMPLES, ContactsReport, Tally
from linter.contacts.rules import ContactRule, contact_rules
from linter.contacts.schema import ContactSchema
from linter.contacts.sniff import ByteCheck, ContactsInputError, Dialect, raise_undecodable
from linter.fileio import OutputError
from linter.findings import Severity

# Every run needs every check module (email-validator, phonenumbers): they load with the
# runner, not on the first batch, where both worker threads would wait on one import.
load_all()


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


@dataclass(frozen=True, slots=True)
class _Keyed:
    """A uniqueness violation of one batch (Violation.keys): the runner decides its rows."""

    rule: ContactRule
    violation: Violation
    order: tuple[int, int]


@dataclass(frozen=True, slots=True)
class Prepared:
    """A batch as read, its view, the evaluated masks of every check and the keys of the
    uniqueness checks, which only the runner can resolve: see Runner.prepare."""

    frame: pl.DataFrame
    view: Batch
    cols: pl.DataFrame
    hits: list[_Hit]
    keyed: list[_Keyed]


def _evaluate(frame: pl.DataFrame, found: _Found) -> tuple[pl.DataFrame, list[_Hit]]:
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
    """The three commonest `detail` texts on the rows of `mask`, as a list of {value, count}."""
    top = pl.col(detail).filter(pl.col(mask)).value_counts(sort=True, name="count").head(3)
    return top.struct.rename_fields(["value", "count"]).implode()


def _any(masks: list[pl.Series]) -> pl.Series:
    frame = pl.DataFrame([m.alias(str(i)) for i, m in enumerate(masks)])
    return frame.select(pl.any_horizontal(pl.all())).to_series()


class Runner:
    """Holds the run's totals and the uniqueness state; `batch()` adds to them.

    Duplicates need state across batches. With `route_rows` (split: each batch's rows are
    written when it is done) every key is looked up in a running hash set (HashSet64) as its
    batch finishes. Without it (check) nothing needs a row's fate early: the keys are kept, 8
    bytes a row, and resolved by one sort per key column when the report is made, which costs
    a fraction of the running set's sorting and probing. Both give the same counts and rows.
    """

    def __init__(
        self,
        schema: ContactSchema,
        dialect: Dialect,
        today: date,
        rules: tuple[ContactRule, ...],
        *,
        route_rows: bool = False,
    ) -> None:
        self.schema, self.dialect, self.rules = schema, dialect, rules
        self.route_rows = route_rows
        self.ctx = Context(schema, today, dialect.header)
        self.index = {name: i for i, name in enumerate(dialect.header, start=1)}
        self.tallies: dict[tuple[str, str], Tally] = {}
        self.counts: Counter[str] = Counter()
        self.rows_in = self.rejected = 0
        self._seen: dict[tuple[int, int], HashSet64] = {}  # route_rows: keys so far
        # Without route_rows: every batch's keys per violation, and which rows other rules
        # rejected (so a duplicate that is also invalid counts once).
        self._keys: dict[tuple[int, int], tuple[ContactRule, Violation, list[pl.Series]]] = {}
        self._rejects: list[pl.Series] = []

    def prepare(self, frame: pl.DataFrame) -> Prepared:
        """Everything about a batch that does not depend on earlier batches: its view (missing
        values null), the columns checks share (lower-cased addresses, hashes, domains, the
        email prefilter), every check's masks and the uniqueness checks' keys. `run` calls
        this on a worker thread while this thread finishes earlier batches."""
        view = Batch(_missing_to_null(frame, self.schema.missing_values))
        prepare_batch(view, self.ctx)
        found: _Found = []
        keyed = []
        for ri, rule in enumerate(self.rules):
            for j, v in enumerate(CHECKS[rule.check](view, self.ctx, rule.params)):
                if v.keys is None:
                    found.append((ri, j, rule, v))
                else:
                    keyed.append(_Keyed(rule, v, (ri, j)))
        cols, hits = _evaluate(view.frame, found)
        return Prepared(frame, view, cols, hits, keyed)

    def batch(
        self, frame: pl.DataFrame, sink: RowSink | None, prepared: Prepared | None = None
    ) -> None:
        """Check one batch of text columns as read (missing cells null when the schema's only
        missing value is ""), add to the totals and hand the rows to `sink`. Batches must come
        in file order."""
        if sink is not None and not self.route_rows:
            raise ValueError("routing rows to a sink needs Runner(route_rows=True)")
        first_row = self.rows_in + 2  # row 1 is the header
        if prepared is None:
            prepared = self.prepare(frame)
        cols, hits = prepared.cols, prepared.hits
        if self.route_rows:
            cols, hits = self._look_up(prepared)
        for k in () if self.route_rows else prepared.keyed:
            assert k.violation.keys is not None
            self._keys.setdefault(k.order, (k.rule, k.violation, []))[2].append(k.violation.keys)
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
        for h in hits:
            # A header-only file has no rows to fail, but a missing column is still missing.
            if summary[h.mask] or (h.violation.at_header and frame.height == 0):
                rows = [r + first_row for r in summary[f"rows:{h.mask}"]]
                top = summary.get(f"top:{h.mask}") or []
                details = {str(d["value"]): int(d["count"]) for d in top}
                self._tally(h.rule, h.violation, int(summary[h.mask]), rows, details)
        for rid in by_rule:
            self.counts[rid] += int(summary[f"rule:{rid}"])
        reject = (
            cols.select(pl.any_horizontal(errors)).to_series()
            if errors
            else constant(False, frame.height, pl.Boolean)
        )
        self.rows_in += frame.height
        self.rejected += int(reject.sum())
        if self._keys:
            self._rejects.append(reject)
        if sink is not None:
            hit = [h for h in hits if summary[h.mask]]
            sink.write(frame, first_row, reject, _reasons(cols, hit, reject))

    def _look_up(self, prepared: Prepared) -> tuple[pl.DataFrame, list[_Hit]]:
        """With route_rows: the batch's masks and hits plus those of its uniqueness checks,
        each key looked up in (then added to) the running set of its check."""
        if not prepared.keyed:
            return prepared.cols, prepared.hits
        prefix = scratch_prefix(prepared.view.frame)
        masks, hits = [], list(prepared.hits)
        for k in prepared.keyed:
            assert k.violation.keys is not None
            seen = self._seen.setdefault(k.order, HashSet64())
            masks.append(repeats(k.violation.keys, seen).alias(f"{prefix}k{k.order}"))
            hits.append(_Hit(k.rule, k.violation, masks[-1].name, None, k.order))
        return prepared.cols.hstack(masks), sorted(hits, key=lambda h: h.order)

    def _resolve_keys(self) -> None:
        """Without route_rows: the duplicates of the whole file, in one pass per violation."""
        if not self._keys:
            return
        by_rule: dict[str, list[pl.Series]] = {}
        errors = []
        found = [self._keys[k] for k in sorted(self._keys)]
        # One sort per key column; polars releases the GIL, so two columns resolve at once.
        resolved = ordered_map(lambda f: repeated(pl.concat(f[2], rechunk=True)), iter(found))
        for (rule, violation, _), mask in zip(found, resolved, strict=True):
            count = int(mask.sum())
            if count:
                rows = [r + 2 for r in mask.arg_true().head(SAMPLES).to_list()]
                self._tally(rule, violation, count, rows, {})
            by_rule.setdefault(rule.id, []).append(mask)
            if rule.severity is Severity.ERROR:
                errors.append(mask)
        for rid, masks in by_rule.items():
            self.counts[rid] += int(_any(masks).sum())
        if errors:
            before = pl.concat(self._rejects, rechunk=True)
            self.rejected += int((_any(errors) & ~before).sum())
        self._keys.clear()
        self._rejects.clear()

    def _tally(
        self, rule: ContactRule, v: Violation, count: int, rows: list[int], details: dict[str, int]
    ) -> None:
        key = (rule.id, v.column)
        tally = self.tallies.get(key)
        if tally is None:
            tally = Tally(rule, v.column, self.index.get(v.column, 0), v.at_header)
            self.tallies[key] = tally
        tally.add(count, rows, details)

    def report(
        self, path: str, clean: str | None = None, rejected: str | None = None
    ) -> ContactsReport:
        self._resolve_keys()
        if self.rows_in == 0:  # no batch ran: judge the header alone
            self.batch(pl.DataFrame(schema=dict.fromkeys(self.dialect.header, pl.String)), None)
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
    """Check every row of `path`; rows go to `sink` (if any) as they are checked.

    A dialect from sniff(defer=True) leaves the file's bytes to be checked here, as the reader
    cuts it: byte problems are raised before any other (a parse error, ragged rows).
    """
    name = str(path)
    check = None if dialect.bytes_checked else ByteCheck(name, dialect.encoding, dialect.delimiter)
    runner = Runner(schema, dialect, today, rules or contact_rules(), route_rows=sink is not None)
    ragged = Ragged()
    bar = Bar(os.path.getsize(name), Path(name).name, wanted(progress))
    bar.rows = lambda: runner.rows_in

    def prepare(job: Job) -> tuple[Parsed, Prepared | None]:
        parsed = job()
        return parsed, None if parsed.frame is None else runner.prepare(parsed.frame)

    def warmed(todo: Generator[Job]) -> Iterator[Job]:
        with closing(todo):  # closing this closes the file too
            for i, job in enumerate(todo):
                yield job
                if i == 0:  # while the first chunk parses (GIL released)
                    warm(runner.ctx)

    # Two worker threads parse and check whole batches (pyarrow and polars release the GIL,
    # so they share the cores); this thread cuts the file into chunks and finishes each batch
    # in file order (duplicates, totals, the split output).
    todo = jobs(name, dialect, empty_is_null=schema.missing_values == ("",), check=check)
    try:
        for parsed, prepared in ordered_map(prepare, warmed(todo)):
            ragged.add(parsed.ragged)
            if prepared is not None:
                runner.batch(prepared.frame, sink, prepared)
            if bar.enabled:
                bar.update(parsed.done, -1)
    except (pa.ArrowInvalid, UnicodeError) as exc:  # UnicodeError: a given codec that fails
        if check is not None:
            check.whole_file()  # a byte problem anywhere (an open quote, say) comes first
        if isinstance(exc, UnicodeError):
            raise_undecodable(name, dialect.encoding)  # where the transcoding failed
        raise ContactsInputError(
            name, 1, 1, f"cannot parse the file: {exc}", "check --encoding and --delimiter"
        ) from None
    except (ContactsInputError, OutputError):
        raise  # already says what is wrong (an output that cannot be written is not the input's)
    except Exception:
        if check is not None:
            check.whole_file()  # a byte problem explains a failure better than a traceback
        raise
    finally:
        bar.close()
    if check is not None:
        ending, notes = check.result()
        runner.dialect = replace(
            dialect, line_ending=ending, notes=dialect.notes + notes, bytes_checked=True
        )
    if ragged.count:
        raise_ragged(name, dialect, ragged)
    return runner
