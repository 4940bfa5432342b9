"""The driver side of the Spark engine: two passes of presend's batch checks in executors
(linter.spark.batch, via `mapInArrow`), the whole-list rules by Spark's shuffle, and the
report summed from per-batch records.

    keys  = rows -> mapInArrow(key_batches)            (rule, normalised key, order key)
    marks = keys -> row_number() over (rule, key) ordered by order key > 1
                 -> grouped by order key: one repeat flag per whole-list rule
    out   = rows LEFT JOIN marks -> mapInArrow(check_batches)
          -> rows with reject flag and _reasons, and per-batch tally/rule/block records

Only the small records reach the driver (per batch: a tally per rule and column hit, rows per
rule, rows per block); keys and rows stay in executors. The marks are usually a small
fraction of the rows, so Spark's adaptive execution broadcasts them into the join; a list full
of duplicates becomes a sort-merge join instead.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from typing import Any

import polars as pl
from pyspark import StorageLevel
from pyspark.sql import DataFrame, SparkSession, Window
from pyspark.sql import functions as sf
from pyspark.sql.pandas.types import from_arrow_schema

from linter.contacts.batch import check_batch
from linter.contacts.dialect import Dialect
from linter.contacts.report import SAMPLES, ContactsReport, Tally
from linter.contacts.rules import ContactRule, contact_rules
from linter.contacts.schema import ContactSchema
from linter.contacts.split import REASONS as REASONS_OUT
from linter.contacts.split import ROW as ROW_OUT
from linter.spark.batch import (
    AT_HEADER,
    BLOCK,
    COLUMN,
    COUNT,
    DETAILS,
    KEY,
    KEY_ID,
    KIND,
    ORDER,
    PREFIX,
    REASONS,
    REJECT,
    REJECTED,
    ROW,
    RULE,
    RULE_ROWS,
    SAMPLED,
    TALLY,
    B,
    F,
    P,
    Plan,
    check_batches,
    key_batches,
    repeat_column,
)

_BASE = PREFIX + "base"


class SparkInputError(ValueError):
    """The DataFrame cannot be checked as given (a column name presend needs, say)."""


def with_order(df: DataFrame) -> DataFrame:
    """`df` with an order key: kept when `read` added it (file, block, position), else the
    DataFrame's own order (partition, position), pinned by persisting it so that both passes
    see the same rows in the same places."""
    if all(c in df.columns for c in ORDER):
        return df
    ordered = df.select(
        "*",
        sf.lit("").alias(F),
        sf.spark_partition_id().cast("long").alias(B),
        sf.monotonically_increasing_id().alias(P),
    )
    return ordered.persist(StorageLevel.MEMORY_AND_DISK)


def header_of(df: DataFrame) -> tuple[str, ...]:
    header = tuple(c for c in df.columns if c not in ORDER)
    taken = [c for c in header if c.startswith(PREFIX)]
    if taken:
        raise SparkInputError(f"column {taken[0]!r}: names starting {PREFIX!r} are presend's")
    return header


def _marks(data: DataFrame, plan: Plan) -> DataFrame | None:
    """Per row whose key repeats an earlier row's (for any whole-list rule): its order key and
    one flag per rule. One shuffle of (rule, key, order key) triples, grouped by key."""
    whole = plan.whole_list()
    if not whole:
        return None
    keys = data.mapInArrow(partial(key_batches, plan=plan), from_arrow_schema(plan.key_schema()))
    first = Window.partitionBy(KEY_ID, KEY).orderBy(*ORDER)
    repeats = keys.withColumn("n", sf.row_number().over(first)).where(sf.col("n") > 1)
    return repeats.groupBy(*ORDER).agg(
        *(sf.max(sf.col(KEY_ID) == i).alias(repeat_column(i)) for i in range(len(whole)))
    )


def checked(df: DataFrame, plan: Plan) -> DataFrame:
    """Pass 1 and the shuffle (`_marks`), then pass 2: see the module's docstring."""
    data = df.select(*plan.header, *ORDER)
    marks = _marks(data, plan)
    if marks is not None:
        data = data.join(marks, on=list(ORDER), how="left")
    return data.mapInArrow(partial(check_batches, plan=plan), from_arrow_schema(plan.check_schema()))


@dataclass
class _Totals:
    """The per-batch records summed on the driver."""

    header: tuple[str, ...]
    blocks: dict[tuple[str, int], list[int]] = field(default_factory=dict)  # min P, rows, rejected
    tallies: list[Any] = field(default_factory=list)
    rule_rows: Counter[str] = field(default_factory=Counter)

    def add(self, record: Any) -> None:
        kind = record[KIND]
        if kind == BLOCK:
            block = self.blocks.setdefault((record[F], record[B]), [record[P], 0, 0])
            block[0] = min(block[0], record[P])
            block[1] += record[COUNT]
            block[2] += record[REJECTED]
        elif kind == TALLY:
            self.tallies.append(record)
        elif kind == RULE_ROWS:
            self.rule_rows[record[RULE]] += record[COUNT]

    def bases(self) -> dict[tuple[str, int], int]:
        """Row number = base + position: blocks in input order, row 1 the header."""
        bases, row = {}, 2
        for key in sorted(self.blocks):
            first, rows, _ = self.blocks[key]
            bases[key] = row - first
            row += rows
        return bases

    def report(
        self, path: str, plan: Plan, delimiter: str, rules: tuple[ContactRule, ...]
    ) -> ContactsReport:
        bases = self.bases()
        rows_in = sum(b[1] for b in self.blocks.values())
        rejected = sum(b[2] for b in self.blocks.values())
        index = {name: i for i, name in enumerate(plan.header, start=1)}
        tallies: dict[tuple[str, str], Tally] = {}
        samples: dict[tuple[str, str], list[tuple[str, int, int]]] = {}
        by_id = {r.id: r for r in rules}
        records = self.tallies
        if not rows_in:  # no batch ran: judge the header alone, as presend data does
            empty = pl.DataFrame(schema=dict.fromkeys(plan.header, pl.String))
            result = check_batch(empty, plan.schema, plan.context())
            records = [
                {RULE: t.rule.id, COLUMN: t.column, AT_HEADER: t.at_header, COUNT: t.count,
                 SAMPLED: [], DETAILS: [], F: "", B: 0, P: 0}
                for t in result.tallies
            ]  # fmt: skip
        # Details add up batch by batch in input order, as presend data adds them.
        for r in sorted(records, key=lambda r: (r[F], r[B], r[P])):
            key = (r[RULE], r[COLUMN])
            tally = tallies.get(key)
            if tally is None:
                rule = by_id[r[RULE]]
                tally = tallies[key] = Tally(rule, r[COLUMN], index.get(r[COLUMN], 0), r[AT_HEADER])
            tally.add(r[COUNT], [], {d["t"]: d["n"] for d in r[DETAILS]})
            samples.setdefault(key, []).extend((s[F], s[B], s[P]) for s in r[SAMPLED])
        for key, tally in tallies.items():
            first = sorted(samples.get(key, []))[:SAMPLES]
            tally.samples = [bases[(f, b)] + p for f, b, p in first]
        findings = sorted(
            (t.finding(path, rows_in) for t in tallies.values()),
            key=lambda f: (f.line, f.column, f.rule),
        )
        return ContactsReport(
            path=path,
            dialect=Dialect("utf-8", delimiter, '"', plan.header, "\n", bytes_checked=True),
            rows_in=rows_in,
            rows_clean=rows_in - rejected,
            rows_rejected=rejected,
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
    df: DataFrame,
    schema: ContactSchema,
    *,
    rules: tuple[ContactRule, ...] | None = None,
    today: date | None = None,
    split: bool = False,
    path: str = "<dataframe>",
    delimiter: str = ",",
) -> SparkRun:
    """Check `df` (every column read as text) against `schema`; with `split`, also the clean
    rows (the input's columns) and the rejected ones (plus `_row` and `_reasons`)."""
    header = header_of(df)
    if split:
        for name in (ROW_OUT, REASONS_OUT):
            if name in header:
                raise SparkInputError(
                    f"the input already has a column named {name!r}; rename it before splitting"
                )
    rules = rules or contact_rules()
    plan = Plan(header, schema, rules, today or date.today(), with_rows=split)
    ordered = with_order(df)
    persisted = [ordered] if ordered is not df else []
    out = checked(ordered, plan)
    totals = _Totals(header)
    if split:
        out = out.persist(StorageLevel.MEMORY_AND_DISK)
        persisted.append(out)
        summary = out.where(sf.col(KIND) != ROW).drop(*header)
    else:
        summary = out
    for record in summary.collect():  # small: a few records per batch
        totals.add(record.asDict())
    report = totals.report(path, plan, delimiter, rules)
    if not split:
        for df_ in persisted:
            df_.unpersist()
        return SparkRun(report)
    rows = out.where(sf.col(KIND) == ROW)
    spark = SparkSession.getActiveSession() or df.sparkSession
    bases = spark.createDataFrame(
        [(f, b, base) for (f, b), base in totals.bases().items()],
        f"{F} string, {B} long, {_BASE} long",
    )
    rejected = (
        rows.where(sf.col(REJECT))
        .join(sf.broadcast(bases), on=[F, B])
        .select(
            *header,
            (sf.col(_BASE) + sf.col(P)).alias(ROW_OUT),
            sf.col(REASONS).alias(REASONS_OUT),
        )
    )
    clean = rows.where(~sf.col(REJECT)).select(*header)
    return SparkRun(report, clean, rejected, persisted)
