"""The streaming runner: reads a file's batches in order, checks each (the pure per-batch
stage, linter.contacts.batch) on two worker threads, and keeps what spans batches: the
totals, the first rows, the duplicate keys, the rows routed to a split.

bytes (sniff, bytecheck) -> records (reader) -> batches -> checks (batch) -> this -> report /
outputs (report, split).
"""

from __future__ import annotations

import os
from collections import Counter, deque
from collections.abc import Callable, Generator, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import closing
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Protocol, TypeVar

import polars as pl
import pyarrow as pa

from linter.contacts.batch import SAMPLES, BatchContext, Evaluated, RowKey, evaluate, finish
from linter.contacts.bytecheck import raise_undecodable
from linter.contacts.checks import warm
from linter.contacts.dialect import ContactsInputError, Dialect
from linter.contacts.hashset import BatchKeys, HashSet64, batch_keys, repeated
from linter.contacts.progress import Bar, wanted
from linter.contacts.reader import (
    HeadStart,
    Job,
    Parsed,
    Ragged,
    byte_check,
    count_in_polars,
    jobs,
    raise_ragged,
)
from linter.contacts.report import ContactsReport, Tally
from linter.contacts.rules import ContactRule, contact_rules
from linter.contacts.schema import ContactSchema
from linter.fileio import OutputError
from linter.findings import Severity


class RowSink(Protocol):
    """Receives each batch's original rows with the reject mask and per-row reasons."""

    def write(
        self, frame: pl.DataFrame, first_row: int, reject: pl.Series, reasons: pl.Series
    ) -> None: ...


@dataclass(frozen=True, slots=True)
class Prepared:
    """A batch as a worker leaves it: evaluated (batch.evaluate) and, when rows are routed,
    each whole-list key's batch-local part (hashset.batch_keys), by RowKey.name."""

    done: Evaluated
    keys: dict[str, BatchKeys]


def _any(masks: list[pl.Series]) -> pl.Series:
    frame = pl.DataFrame([m.alias(str(i)) for i, m in enumerate(masks)])
    return frame.select(pl.any_horizontal(pl.all())).to_series()


class Runner:
    """The run's state across batches: totals, first rows and the duplicate keys. Each batch
    is checked by the pure per-batch stage (linter.contacts.batch); `batch()` adds its result.

    Duplicates need state across batches. With `route_rows` (split: each batch's rows are
    written when it is done) every key is looked up in a running hash set (HashSet64) as its
    batch finishes, and the repeats go back into the batch's result (check_batch's
    `repeats`). Without it (check) nothing needs a row's fate early: the keys are kept, 8
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
        self.context = BatchContext(today, rules, dialect.header)
        self.index = {name: i for i, name in enumerate(dialect.header, start=1)}
        self.tallies: dict[tuple[str, str], Tally] = {}
        self.counts: Counter[str] = Counter()
        self.rows_in = self.rejected = 0
        self._seen: dict[str, HashSet64] = {}  # route_rows: keys so far, per RowKey.name
        # Without route_rows: every batch's keys per whole-list rule, and which rows other
        # rules rejected (so a duplicate that is also invalid counts once).
        self._keys: dict[tuple[int, int], tuple[RowKey, list[pl.Series]]] = {}
        self._rejects: list[pl.Series] = []

    def warm(self) -> None:
        """Build the per-run lookup tables now (see checks.warm)."""
        warm(self.context.for_schema(self.schema, self.dialect.header))

    def prepare(self, frame: pl.DataFrame) -> Prepared:
        """Everything about a batch that does not depend on earlier batches (batch.evaluate,
        and the sorting of its keys). `run` calls this on a worker thread while this thread
        finishes earlier batches."""
        nulls_done = self.schema.empty_is_missing  # the reader made "" null
        done = evaluate(frame, self.schema, self.context, nulls_done=nulls_done)
        keys = {k.name: batch_keys(k.hashes) for k in done.keys} if self.route_rows else {}
        return Prepared(done, keys)

    def batch(
        self, frame: pl.DataFrame, sink: RowSink | None, prepared: Prepared | None = None
    ) -> None:
        """Check one batch of text columns as read (missing cells null when the schema's only
        missing value is ""), add to the totals and hand the rows to `sink`. Batches must come
        in file order."""
        if sink is not None and not self.route_rows:
            raise ValueError("routing rows to a sink needs Runner(route_rows=True)")
        first_row = self.rows_in + 2  # row 1 is the header
        prepared = prepared or self.prepare(frame)
        done, repeats = prepared.done, None
        if self.route_rows:
            repeats = {
                name: self._seen.setdefault(name, HashSet64()).repeats(keys)
                for name, keys in prepared.keys.items()
            }
        else:
            for k in done.keys:
                self._keys.setdefault(k.order, (k, []))[1].append(k.hashes)
        result = finish(done, repeats, with_reasons=sink is not None)
        for t in result.tallies:
            rows = [r + first_row for r in t.rows]
            self._tally(t.rule, t.column, t.at_header, t.count, rows, dict(t.details))
        self.counts.update(result.rule_rows)
        self.rows_in += frame.height
        self.rejected += int(result.reject.sum())
        if self._keys:
            self._rejects.append(result.reject)
        if sink is not None:
            assert result.reasons is not None
            sink.write(frame, first_row, result.reject, result.reasons)

    def _resolve_keys(self) -> None:
        """Without route_rows: the duplicates of the whole file, in one pass per key."""
        if not self._keys:
            return
        by_rule: dict[str, list[pl.Series]] = {}
        errors = []
        found = [self._keys[k] for k in sorted(self._keys)]
        # One sort per key column; polars releases the GIL, so two columns resolve at once.
        resolved = ordered_map(lambda f: repeated(pl.concat(f[1], rechunk=True)), iter(found))
        for (key, _), mask in zip(found, resolved, strict=True):
            count = int(mask.sum())
            if count:
                rows = [r + 2 for r in mask.arg_true().head(SAMPLES).to_list()]
                self._tally(key.rule, key.column, False, count, rows, {})
            by_rule.setdefault(key.rule.id, []).append(mask)
            if key.rule.severity is Severity.ERROR:
                errors.append(mask)
        for rid, masks in by_rule.items():
            self.counts[rid] += int(_any(masks).sum())
        if errors:
            before = pl.concat(self._rejects, rechunk=True)
            self.rejected += int((_any(errors) & ~before).sum())
        self._keys.clear()
        self._rejects.clear()

    def _tally(
        self,
        rule: ContactRule,
        column: str,
        at_header: bool,
        count: int,
        rows: list[int],
        details: dict[str, int],
    ) -> None:
        key = (rule.id, column)
        tally = self.tallies.get(key)
        if tally is None:
            # A composite key's column is "a+b": placed at its first column.
            index = self.index.get(column) or self.index.get(column.split("+")[0], 0)
            tally = Tally(rule, column, index, at_header)
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
            inferred=self.schema.inferred,
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
    head: HeadStart | None = None,
) -> Runner:
    """Check every row of `path`; rows go to `sink` (if any) as they are checked.

    A dialect from sniff(defer=True) leaves the file's bytes to be checked here, as the reader
    cuts it: byte problems are raised before any other (a parse error, ragged rows). `head`:
    the file's first chunks, already being read (reader.head_start), used when they were
    read as this schema reads empty cells.
    """
    name = str(path)
    count_in_polars()
    runner = Runner(schema, dialect, today, rules or contact_rules(), route_rows=sink is not None)
    ragged = Ragged()
    bar = Bar(os.path.getsize(name), Path(name).name, wanted(progress))
    bar.rows = lambda: runner.rows_in
    if head is not None and (head.path, head.dialect, head.empty_is_null) != (
        name,
        dialect,
        schema.empty_is_missing,
    ):
        head.close()  # another file, or empty cells read otherwise than this schema reads them
        head = None
    if head is not None:
        check = head.check
        todo = head.jobs()
    else:
        check = byte_check(name, dialect)
        todo = jobs(name, dialect, empty_is_null=schema.empty_is_missing, check=check)

    def prepare(job: Job) -> tuple[Parsed, Prepared | None]:
        parsed = job()
        return parsed, None if parsed.frame is None else runner.prepare(parsed.frame)

    def warmed(todo: Generator[Job]) -> Iterator[Job]:
        with closing(todo):  # closing this closes the file too
            for i, job in enumerate(todo):
                yield job
                if i == 0:  # while the first chunk parses (GIL released)
                    runner.warm()

    # Two worker threads parse and check whole batches (pyarrow and polars release the GIL,
    # so they share the cores); this thread cuts the file into chunks and finishes each batch
    # in file order (duplicates, totals, the split output). A head start has parsed the
    # first chunks already: their jobs only hand the rows to polars.
    try:
        for parsed, prepared in ordered_map(prepare, warmed(todo)):
            ragged.add(parsed.ragged)
            if prepared is not None:
                runner.batch(prepared.done.frame, sink, prepared)
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


_T = TypeVar("_T")
_R = TypeVar("_R")


def ordered_map(
    fn: Callable[[_T], _R], items: Iterator[_T], *, workers: int = 2, ahead: int = 3
) -> Iterator[_R]:
    """`fn(item)` for every item on `workers` threads, yielded in the items' order, with at
    most `ahead` items in flight (that bounds memory). Items are drawn on this thread.

    An exception from `fn` is raised here when its item's turn comes; closing this generator
    early (the consumer failed or stopped) cancels the items not started and closes `items`.
    """
    pool = ThreadPoolExecutor(workers, thread_name_prefix="presend-contacts")
    pending: deque[Future[_R]] = deque()
    try:
        for item in items:
            pending.append(pool.submit(fn, item))
            if len(pending) >= ahead:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        close = getattr(items, "close", None)
        if close is not None:
            close()  # release the file now, also when the consumer stopped early
