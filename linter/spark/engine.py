"""The driver side of the Spark engine: rows placed, one pass of presend's batch checks
in executors (linter.spark.batch, via `mapInArrow`), the whole-list rules by Spark's
shuffle, a second look at the repeating rows only, and the report summed from per-batch
records.

    rows  = CSV splits, each read by its task       (Splits: ROW is a place, numbered later)
          | input + ROW                            (number_rows: one count per block)
    out   = rows -> mapInArrow(check_batches)      (one read of the input, one trip to Python)
          -> rows with reject flag and _reasons (split only), per batch tally/rule/total
             records and its key records (rule, key hash, row, reject flag) as one Arrow
             block per bucket of key hashes
    done  = out[blocks, records] -> shuffle by bucket -> mapInArrow(repeats_of)
          -> key records of the rows repeating an earlier row's key, and the records: small
    marks = done[repeats] grouped by row: one flag per whole-list rule, pass 1's reject flag
          -> their sums and first rows join the report
    split = out[rows] LEFT ANTI JOIN marks  UNION  (rows JOIN marks -> mapInArrow(recheck))

Only small records reach the driver (per batch a tally per rule and column hit, rows per
rule, rows and rejected rows; per whole-list rule a count and first rows; with number_rows,
one per block of the input); keys and rows stay in executors. The marks are usually a small
fraction of the rows: they are broadcast into the split's joins (up to BROADCAST_ROWS); a
list full of duplicates is joined by a shuffle instead.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from functools import partial, reduce
from typing import Any

import polars as pl
from pyspark import StorageLevel
from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as sf
from pyspark.sql.pandas.types import from_arrow_schema

from linter.contacts.batch import check_batch
from linter.contacts.dialect import Dialect
from linter.contacts.report import SAMPLES, ContactsReport, Tally
from linter.contacts.rules import ContactRule, contact_rules
from linter.contacts.schema import ContactSchema
from linter.contacts.split import REASONS as REASONS_OUT
from linter.contacts.split import ROW as ROW_OUT
from linter.contacts.split import refuse_reserved
from linter.findings import Severity
from linter.spark.batch import (
    AT_HEADER,
    BLOCK,
    BUCKET,
    COLUMN,
    COUNT,
    DETAILS,
    KEY_ID,
    KEYS,
    KIND,
    LINE,
    PREFIX,
    REASONS,
    RECORD,
    REJECT,
    REJECTED,
    ROW,
    ROWS,
    RULE,
    RULE_ROWS,
    SAMPLED,
    TALLY,
    TOTALS,
    Plan,
    check_batches,
    recheck_batches,
    repeat_column,
    repeats_of,
    resolved_schema,
)
from linter.spark.splits import PLACE_BITS, CsvSplits, Numbering, check_splits

_F, _B, _P = PREFIX + "file", PREFIX + "block", PREFIX + "position"  # see number_rows
_BASE, _HEAD = PREFIX + "base", PREFIX + "head"
# Repeated rows up to this many are broadcast to the check pass (a row number and a flag per
# whole-list rule: ~50 MB); more (a list full of duplicates) are joined by a shuffle.
BROADCAST_ROWS = 2_000_000


class SparkInputError(ValueError):
    """The DataFrame cannot be checked as given (a column name presend needs, say)."""


@dataclass(frozen=True)
class Splits:
    """CSV files as byte ranges read by the check pass itself (linter.spark.splits): `ids`
    holds the splits' descriptors, one a partition (one split a task)."""

    ids: DataFrame
    csv: CsvSplits

    @property
    def header(self) -> tuple[str, ...]:
        return self.csv.header

    @property
    def df(self) -> DataFrame:
        return self.ids


def _numbered(numbering: Numbering) -> Column:
    """ROW's place as its row number: the split's first row number plus the position."""
    split = sf.shiftright(sf.col(ROW), PLACE_BITS).cast("int")
    position = sf.col(ROW).bitwiseAND(sf.lit((1 << PLACE_BITS) - 1))
    return sf.element_at(sf.lit(list(numbering.bases)), split + 1) + position


@dataclass(frozen=True)
class Lines:
    """CSV files as lines (`LINE` and each line's place: linter.spark.io.read_lines), the
    header line's fields, the header line itself (each file's first line, checked to be
    the first file's and skipped) and the delimiter the check pass parses them with."""

    df: DataFrame
    header: tuple[str, ...]
    header_line: str
    delimiter: str


def located(df: DataFrame, file: Column, block: Column) -> DataFrame:
    """`df` with each row's place: its file and block (as `read` gives them, or a partition
    of a DataFrame built otherwise) and its position, increasing through each block."""
    return df.select(
        "*", file.alias(_F), block.alias(_B), sf.monotonically_increasing_id().alias(_P)
    )


def number_rows(
    df: DataFrame, header_line: str | None = None
) -> tuple[DataFrame, list[DataFrame], int]:
    """`df` with ROW, each row's number as `presend data` gives it (row 1 is the header):
    files in path order, blocks in offset order, rows in order within a block. Returns the
    numbered frame, what was persisted for it, and the number of rows.

    One pass counts the rows of each block (the driver gets one record per block, not per
    row) and the numbers follow by a broadcast join. A DataFrame not read by `read` is
    numbered in its own order (partition, position), pinned by persisting it, so that every
    pass sees the same rows in the same places.
    """
    persisted = []
    if _F not in df.columns:
        df = located(df, sf.lit(""), sf.spark_partition_id().cast("long"))
        df = df.persist(StorageLevel.MEMORY_AND_DISK)
        persisted.append(df)
    blocks = sorted(
        (r[_F], r[_B], r[_P], r["n"])
        for r in df.groupBy(_F, _B).agg(sf.min(_P).alias(_P), sf.count("*").alias("n")).collect()
    )
    bases, row = [], 2
    for file, block, first, n in blocks:
        # `header_line`: each file's first line (block 0's first row) is its header.
        head = first if header_line is not None and block == 0 else None
        bases.append((file, block, row - first - (head is not None), head))
        row += n - (head is not None)
    spark = df.sparkSession
    table = spark.createDataFrame(bases, f"{_F} string, {_B} long, {_BASE} long, {_HEAD} long")
    numbered = df.join(sf.broadcast(table), on=[_F, _B])
    if header_line is not None:
        at_head = sf.coalesce(sf.col(_P) == sf.col(_HEAD), sf.lit(False))
        differs = sf.raise_error(
            sf.concat(sf.col(_F), sf.lit(": its header differs from the first file's"))
        )
        keep = sf.when(at_head & (sf.col(LINE) != header_line), differs).otherwise(~at_head)
        numbered = numbered.where(keep)
    numbered = numbered.select(
        *(c for c in df.columns if c not in (_F, _B, _P)),
        (sf.col(_BASE) + sf.col(_P)).alias(ROW),
    )
    return numbered, persisted, row - 2


def header_of(df: DataFrame) -> tuple[str, ...]:
    return _named(tuple(c for c in df.columns if c not in (_F, _B, _P)))


def _named(header: tuple[str, ...]) -> tuple[str, ...]:
    taken = [c for c in header if c.startswith(PREFIX)]
    if taken:
        raise SparkInputError(f"column {taken[0]!r}: names starting {PREFIX!r} are presend's")
    return header


def checked(data: DataFrame, plan: Plan, check: Callable[..., Any] | None = None) -> DataFrame:
    """Pass 1 over every row (`check`, default `check_batches`): rows (for a split,
    persisted for the two writes), keys and the per-batch records."""
    schema = from_arrow_schema(plan.check_schema())
    out = data.mapInArrow(check or partial(check_batches, plan=plan), schema)
    return out.persist(StorageLevel.MEMORY_AND_DISK) if plan.with_rows else out


def resolved(out: DataFrame) -> DataFrame:
    """The keys grouped by Spark's shuffle: check_batches cuts each batch's key records
    into `plan.buckets` by key hash, one Arrow block a bucket; the shuffle brings each bucket's
    blocks together and `repeats_of` gives the key records of rows repeating an earlier
    row's key (every row but each key's first). The per-batch records pass through. Small:
    persisted. One job reads pass 1 once: no copy of the rows or keys is kept in between.

    Spark moves a few blocks a batch, not two records a row: converting each record between
    Arrow and Spark's rows, shuffling and sorting it (a window, `row_number()` over the key)
    cost ~4 CPU-µs a row, most of the run (docs/scaling.md)."""
    given = out.where(sf.col(KIND) != ROWS).select(KIND, BUCKET, BLOCK, RECORD)
    schema = from_arrow_schema(resolved_schema())
    return (
        given.repartition(BUCKET)  # as many as spark.sql.shuffle.partitions; AQE may merge
        .mapInArrow(repeats_of, schema)
        .persist(StorageLevel.MEMORY_AND_DISK)
    )


def marks(resolved: DataFrame, plan: Plan) -> DataFrame:
    """Per row whose key repeats an earlier row's (for any whole-list rule): its number, one
    flag per rule (`repeat_column(i)`) and its reject flag from pass 1."""
    return (
        resolved.where(sf.col(KIND) == KEYS)
        .groupBy(ROW)
        .agg(
            *(
                sf.max(sf.col(KEY_ID) == i).alias(repeat_column(i))
                for i in range(len(plan.whole_list()))
            ),
            sf.max(REJECT).alias(REJECT),
        )
    )


def repeat_records(marks: DataFrame, plan: Plan) -> tuple[list[dict[str, Any]], int, int]:
    """What the repeats add to the report, as the per-batch records `_Totals` sums (a tally
    per whole-list rule and column with its count and first rows, rows per rule), the rows
    they newly reject (an error-severity rule, on a row pass 1 left clean), and how many
    rows repeat. Two small jobs over the marks: their sums, and each rule's first rows."""
    whole = plan.whole_list()
    flag = [sf.col(repeat_column(i)) for i in range(len(whole))]
    by_rule: dict[str, list[Column]] = {}
    for k, f in zip(whole, flag, strict=True):
        by_rule.setdefault(k.rule.id, []).append(f)
    errors = [f for k, f in zip(whole, flag, strict=True) if k.rule.severity is Severity.ERROR]

    def count(condition: Column) -> Column:
        return sf.sum(condition.cast("long"))

    sums = marks.agg(
        sf.count("*").alias("rows"),
        *(count(f).alias(f"n{i}") for i, f in enumerate(flag)),
        *(count(_any(fs)).alias(f"rule{j}") for j, fs in enumerate(by_rule.values())),
        count(_any(errors) & ~sf.col(REJECT)).alias("rejected"),
    ).collect()[0]  # one row: first() would plan a limit, a job more under AQE
    hit = [i for i in range(len(whole)) if sums[f"n{i}"]]
    firsts: dict[int, list[int]] = {i: [] for i in hit}
    if hit:
        samples = [
            marks.where(flag[i]).select(sf.lit(i).alias(KEY_ID), ROW).orderBy(ROW).limit(SAMPLES)
            for i in hit
        ]
        for r in reduce(DataFrame.unionByName, samples).collect():
            firsts[r[KEY_ID]].append(r[ROW])
    records: list[dict[str, Any]] = [
        {KIND: TALLY, RULE: whole[i].rule.id, COLUMN: whole[i].column, AT_HEADER: False,
         COUNT: sums[f"n{i}"], SAMPLED: sorted(firsts[i]), DETAILS: {}, ROW: min(firsts[i])}
        for i in hit
    ]  # fmt: skip
    records += [
        {KIND: RULE_ROWS, RULE: rid, COUNT: sums[f"rule{j}"]} for j, rid in enumerate(by_rule)
    ]
    return records, sums["rejected"] or 0, sums["rows"]


def _any(flags: list[Column]) -> Column:
    return reduce(Column.__or__, flags) if flags else sf.lit(False)


@dataclass
class _Totals:
    """The per-batch records summed on the driver."""

    rows: int = 0
    rejected: int = 0
    tallies: list[Any] = field(default_factory=list)
    rule_rows: Counter[str] = field(default_factory=Counter)
    # Rows per split, when rows are numbered by place (Splits); then what numbers them.
    split_rows: Counter[int] = field(default_factory=Counter)
    numbering: Numbering | None = None

    def add(self, record: dict[str, Any]) -> None:
        kind = record[KIND]
        if kind == TOTALS:
            self.rows += record[COUNT]
            self.rejected += record[REJECTED]
            self.split_rows[record[ROW] >> PLACE_BITS] += record[COUNT]
        elif kind == TALLY:
            self.tallies.append(record)
        elif kind == RULE_ROWS:
            self.rule_rows[record[RULE]] += record[COUNT] or 0

    def report(
        self, path: str, plan: Plan, delimiter: str, rules: tuple[ContactRule, ...]
    ) -> ContactsReport:
        index = {name: i for i, name in enumerate(plan.header, start=1)}
        tallies: dict[tuple[str, str], Tally] = {}
        samples: dict[tuple[str, str], list[int]] = {}
        by_id = {r.id: r for r in rules}
        records = self.tallies
        if not self.rows:  # no batch ran: judge the header alone, as presend data does
            empty = pl.DataFrame(schema=dict.fromkeys(plan.header, pl.String))
            result = check_batch(empty, plan.schema, plan.context())
            records = [
                {RULE: t.rule.id, COLUMN: t.column, AT_HEADER: t.at_header, COUNT: t.count,
                 SAMPLED: [], DETAILS: {}, ROW: 0}
                for t in result.tallies
            ]  # fmt: skip
        # Details add up batch by batch in row order, as presend data adds them.
        for r in sorted(records, key=lambda r: r[ROW]):
            key = (r[RULE], r[COLUMN])
            tally = tallies.get(key)
            if tally is None:
                rule = by_id[r[RULE]]
                tally = tallies[key] = Tally(rule, r[COLUMN], index.get(r[COLUMN], 0), r[AT_HEADER])
            tally.add(r[COUNT], [], r[DETAILS])
            number = self.numbering or int
            samples.setdefault(key, []).extend(number(at) for at in r[SAMPLED])
        for key, tally in tallies.items():
            tally.samples = sorted(samples.get(key, []))[:SAMPLES]
        findings = sorted(
            (t.finding(path, self.rows) for t in tallies.values()),
            key=lambda f: (f.line, f.column, f.rule),
        )
        return ContactsReport(
            path=path,
            dialect=Dialect("utf-8", delimiter, '"', plan.header, "\n", bytes_checked=True),
            rows_in=self.rows,
            rows_clean=self.rows - self.rejected,
            rows_rejected=self.rejected,
            counts_by_rule={k: v for k, v in sorted(self.rule_rows.items()) if v},
            findings=findings,
        )


@dataclass
class SparkRun:
    """A finished check: the report and, for a split, the two DataFrames (lazy: each write
    reads the checked rows, which stay persisted until `unpersist()`)."""

    report: ContactsReport
    clean: DataFrame | None = None
    rejected: DataFrame | None = None
    _persisted: list[DataFrame] = field(default_factory=list)

    def unpersist(self) -> None:
        for df in self._persisted:
            df.unpersist()
        self._persisted.clear()


def run(
    source: DataFrame | Lines | Splits,
    schema: ContactSchema,
    *,
    rules: tuple[ContactRule, ...] | None = None,
    today: date | None = None,
    split: bool = False,
    path: str = "<dataframe>",
    delimiter: str = ",",
) -> SparkRun:
    """Check `source` (a DataFrame, every column read as text, or CSV lines) against
    `schema`; with `split`, also the clean rows (the input's columns) and the rejected ones
    (plus `_row` and `_reasons`)."""
    header = _named(source.header) if isinstance(source, Lines | Splits) else header_of(source)
    if split:
        try:
            refuse_reserved(header)
        except ValueError as exc:
            raise SparkInputError(str(exc)) from None
    rules = rules or contact_rules()
    spark = (source if isinstance(source, DataFrame) else source.df).sparkSession
    plan = Plan(
        header, schema, rules, today or date.today(), with_rows=split,
        delimiter=source.delimiter if isinstance(source, Lines) else None,
        buckets=int(spark.conf.get("spark.sql.shuffle.partitions") or 200),
    )  # fmt: skip
    persisted: list[DataFrame] = []
    if isinstance(source, Splits):  # each task reads its split: no rows to number first
        shipped = replace(source.csv, splits=())  # the descriptors are source.ids' rows
        out = checked(source.ids, plan, partial(check_splits, plan=plan, source=shipped))
    elif isinstance(source, Lines):
        numbered, persisted, _ = number_rows(source.df, source.header_line)
        out = checked(numbered.select(LINE, ROW), plan)
    else:
        numbered, persisted, _ = number_rows(source)
        out = checked(numbered.select(*header, ROW), plan)
    done = resolved(out)
    persisted += [out, done] if split else [done]
    totals = _Totals()
    for row in done.where(sf.col(KIND) != KEYS).select(RECORD).collect():  # a few per batch
        totals.add(json.loads(row[RECORD]))
    if isinstance(source, Splits):  # rows are numbered by place: see linter.spark.splits
        totals.numbering = Numbering.of(totals.split_rows, len(source.csv.splits))
    repeats, repeated = None, 0
    if plan.whole_list():
        repeats = marks(done, plan).persist(StorageLevel.MEMORY_AND_DISK)
        persisted.append(repeats)
        more, newly_rejected, repeated = repeat_records(repeats, plan)
        for record in more:
            totals.add(record)
        totals.rejected += newly_rejected
    report = totals.report(path, plan, delimiter, rules)
    if not split:
        for frame in persisted:
            frame.unpersist()
        return SparkRun(report)
    rows = out.where(sf.col(KIND) == ROWS).select(*header, ROW, REJECT, REASONS)
    if repeats is not None and repeated:
        # The second look: only the repeating rows are checked again, with their repeats.
        flags = repeats.drop(REJECT)
        flags = sf.broadcast(flags) if repeated <= BROADCAST_ROWS else flags
        again = (
            rows.drop(REJECT, REASONS)
            .join(flags, on=ROW)
            .mapInArrow(
                partial(recheck_batches, plan=plan),
                from_arrow_schema(plan.check_schema(with_rows=True)),
            )
            .select(*header, ROW, REJECT, REASONS)
        )
        rows = rows.join(flags.select(ROW), on=ROW, how="left_anti").unionByName(again)
    number = sf.col(ROW) if totals.numbering is None else _numbered(totals.numbering)
    rejected = rows.where(sf.col(REJECT)).select(
        *header, number.alias(ROW_OUT), sf.col(REASONS).alias(REASONS_OUT)
    )
    clean = rows.where(~sf.col(REJECT)).select(*header)
    return SparkRun(report, clean, rejected, persisted)
