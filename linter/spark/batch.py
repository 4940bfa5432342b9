"""The executor side of the Spark engine: presend's per-batch API over Arrow record batches.

Nothing here imports pyspark: the functions below are what `DataFrame.mapInArrow` runs in each
executor's Python worker, and tests call them on plain Arrow batches. They call exactly what
`presend data` calls on its own batches (linter.contacts.batch: `check_batch`).

Every row arrives with its row number (`ROW`, as `presend data` numbers the rows: the header
is row 1), which engine.py gives each row before the checks run, or with its place (split
and position, linter.spark.splits), which sorts as the row numbers do and becomes one on the
driver.

One pass over every row, then a second look at the few rows the shuffle finds repeating:

1. `check_batches`: every per-row rule over each batch, as `check_batch` runs them without
   `repeats`. It emits, per batch, small records (tallies per rule and column, rows per rule,
   rows and rejected rows), the key records (per row and whole-list rule: duplicate-email,
   unique values; the key's 64-bit hash, presend's own, with the row's number and reject
   flag) cut into buckets by hash, one Arrow block a bucket (what Spark shuffles), and, for
   a split, the rows with their reject flag and `_reasons`;
2. `repeats_of`, after the shuffle: each bucket's rows repeating an earlier row's key;
3. `recheck_batches`: the rows repeating an earlier row's key (the `repeat_column(i)`
   columns), checked again with those repeats handed to `check_batch`, so duplicates are
   rejected and explained by the same code as the per-row rules, in the same rule order.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date

import polars as pl
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from linter.contacts.batch import BatchContext, BatchResult, RowKey, as_frame, check_batch, row_keys
from linter.contacts.checks import warm
from linter.contacts.hashset import repeated
from linter.contacts.rules import ContactRule
from linter.contacts.schema import ContactSchema

# Working columns beside the input's (an input column with such a name is refused).
PREFIX = "__presend_"
ROW = PREFIX + "row"  # the row's number in the input (row 1 is the header)
LINE = PREFIX + "line"  # a CSV line as read (linter.spark.io.read_lines)
KEY_ID, KEY = PREFIX + "rule_key", PREFIX + "key"  # which whole-list rule, the key's hash
# A block of key records (Arrow IPC: KEY_ID, KEY, ROW, REJECT) and the bucket its keys hash to.
BUCKET, BLOCK = PREFIX + "bucket", PREFIX + "block"
KIND = PREFIX + "kind"  # what a record is: see ROWS ... KEY_BLOCK
REJECT, REASONS = PREFIX + "reject", PREFIX + "reasons"
RULE, COLUMN, COUNT, REJECTED = PREFIX + "rule", PREFIX + "column", PREFIX + "n", PREFIX + "r"
AT_HEADER, SAMPLED, DETAILS = PREFIX + "header", PREFIX + "samples", PREFIX + "details"
# A per-batch record (a tally, rows per rule, totals) as JSON: a few per batch, read by the
# driver alone, so the row-sized records (rows, keys) carry one null column, not ten.
RECORD = PREFIX + "record"

# KEYS: a repeat (repeats_of's key record of a row repeating an earlier row's key);
# KEY_BLOCK: a batch's key records for one bucket (check_batches).
ROWS, TALLY, RULE_ROWS, TOTALS, KEYS, KEY_BLOCK = 0, 1, 2, 3, 4, 5
# Rows checked together: about 15 ms of a batch's cost is fixed (docs/contacts.md), and
# Spark hands 10,000 rows at a time by default.
BATCH_ROWS = 65_536


def repeat_column(i: int) -> str:
    """The input column marking rows whose i-th whole-list key repeats an earlier row's."""
    return f"{PREFIX}repeat{i}"


@dataclass(frozen=True)
class Plan:
    """What every executor needs, pickled with the task: the input's text columns (its
    header), the schema, the rules with their resolved severity, the day that future dates
    are judged against, and whether the rows themselves are wanted (split) or only totals."""

    header: tuple[str, ...]
    schema: ContactSchema
    rules: tuple[ContactRule, ...]
    today: date
    with_rows: bool = True
    # Buckets the key records are cut into by key hash, one shuffle partition each.
    buckets: int = 8
    # Set when the rows arrive as CSV lines (`LINE`, linter.spark.io.read_lines): the
    # delimiter they are parsed with here, by pyarrow, instead of by Spark's CSV reader.
    delimiter: str | None = None
    # Names this plan in a worker's cache of contexts (a plan is unpickled once per task).
    token: str = field(default_factory=lambda: uuid.uuid4().hex)

    def context(self) -> BatchContext:
        return BatchContext(self.today, self.rules, self.header)

    def whole_list(self) -> tuple[RowKey, ...]:
        """The whole-list rules' keys for this header, from an empty batch (which rules and
        columns they are depends on the schema and header only)."""
        empty = pl.DataFrame(schema=dict.fromkeys(self.header, pl.String))
        return row_keys(empty, self.schema, self.context())

    def check_schema(self, with_rows: bool | None = None) -> pa.Schema:
        """The input's columns (with_rows, default the plan's) and order key, then the
        engine's columns: a row's reject flag and reasons, a key, a per-batch record."""
        with_rows = self.with_rows if with_rows is None else with_rows
        rows = [pa.field(c, pa.string()) for c in self.header] if with_rows else []
        return pa.schema(
            [
                *rows,
                pa.field(ROW, pa.int64()),
                pa.field(KIND, pa.int8()),
                pa.field(REJECT, pa.bool_()),
                pa.field(REASONS, pa.string()),
                pa.field(BUCKET, pa.int32()),
                pa.field(BLOCK, pa.binary()),
                pa.field(RECORD, pa.string()),
            ]
        )


_CONTEXTS: dict[str, BatchContext] = {}


def _context(plan: Plan) -> BatchContext:
    """One context per plan and Python worker (Spark reuses workers across tasks), so the
    slow validators' answers (email-validator, phonenumbers) are kept across batches."""
    context = _CONTEXTS.get(plan.token)
    if context is None:
        _CONTEXTS.clear()  # a worker serves one run at a time; keep its memory bounded
        context = _CONTEXTS[plan.token] = plan.context()
        warm(context.for_schema(plan.schema, plan.header))
    return context


def regroup(batches: Iterable[pa.RecordBatch], rows: int = BATCH_ROWS) -> Iterator[pa.Table]:
    """Spark's Arrow batches as tables of at least `rows` rows (the last may be smaller)."""
    pending: list[pa.RecordBatch] = []
    size = 0
    for batch in batches:
        pending.append(batch)
        size += batch.num_rows
        if size >= rows:
            yield pa.Table.from_batches(pending)
            pending, size = [], 0
    if size:
        yield pa.Table.from_batches(pending)


def _text(frame: pl.DataFrame, plan: Plan) -> pl.DataFrame:
    """The input's columns as text. Spark's CSV reader gives an empty unquoted cell as null
    and a quoted one as "": the per-batch API makes the schema's missing values null itself,
    so with the default missingValues ([""]) both are missing, as in `presend data`."""
    return frame.select(pl.col(c).cast(pl.String) for c in plan.header)


def check_batches(batches: Iterable[pa.RecordBatch], plan: Plan) -> Iterator[pa.RecordBatch]:
    """Pass 1: every per-row rule over each batch (see the module's docstring): the rows
    (with_rows), each row's whole-list keys, and the records the report is summed from."""
    tables = (_in_order(table) for table in regroup(batches))
    if plan.delimiter is not None:
        tables = (parse_lines(table, plan.header, plan.delimiter) for table in tables)
    return check_tables(tables, plan)


def check_tables(tables: Iterable[pa.Table], plan: Plan) -> Iterator[pa.RecordBatch]:
    """check_batches' work on tables of the header's columns and `ROW`, in row order."""
    context, schema = _context(plan), plan.check_schema()
    ids = {k.name: i for i, k in enumerate(plan.whole_list())}
    for table in tables:
        frame = as_frame(table)
        result = check_batch(_text(frame, plan), plan.schema, context, with_reasons=plan.with_rows)
        order = frame.get_column(ROW)
        if plan.with_rows:
            yield _rows(table, order, result.reject, result.reasons, plan, schema)
        yield from _key_blocks(result.keys, ids, order, result.reject, plan.buckets, schema)
        yield _summary(order, result, schema)


def recheck_batches(batches: Iterable[pa.RecordBatch], plan: Plan) -> Iterator[pa.RecordBatch]:
    """The second look: rows repeating an earlier row's key (the `repeat_column(i)` columns,
    null read as False) checked with every rule, the repeats included: the rows alone, with
    their reject flag and `_reasons`."""
    context, schema = _context(plan), plan.check_schema(with_rows=True)
    names = [k.name for k in plan.whole_list()]
    for table in regroup(batches):
        frame = as_frame(table)
        repeats = {
            name: frame.get_column(repeat_column(i)).fill_null(False)
            for i, name in enumerate(names)
        }
        result = check_batch(
            _text(frame, plan), plan.schema, context, repeats=repeats, with_reasons=True
        )
        order = frame.get_column(ROW)
        yield _rows(table, order, result.reject, result.reasons, plan, schema)


def resolved_schema() -> pa.Schema:
    """What `repeats_of` gives: a repeat's rule, row and reject flag, or a per-batch record."""
    return pa.schema(
        [
            pa.field(KIND, pa.int8()),
            pa.field(KEY_ID, pa.int32()),
            pa.field(ROW, pa.int64()),
            pa.field(REJECT, pa.bool_()),
            pa.field(RECORD, pa.string()),
        ]
    )


def repeats_of(batches: Iterable[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """One shuffle partition of check_batches' records: the per-batch records as they are,
    and of the key blocks (every block of a bucket lands in the same partition, and every
    record of a key in the same bucket), the key records of rows repeating an earlier row's
    key: every row of a key but its first, by row number, found by presend's own
    `hashset.repeated` over each rule's keys in row order."""
    schema = resolved_schema()
    blocks = []
    for batch in batches:
        kind = batch.column(KIND)
        records = batch.filter(pc.not_equal(kind, KEY_BLOCK))
        if records.num_rows:
            given = {KIND: records.column(KIND), RECORD: records.column(RECORD)}
            yield _record_batch(given, records.num_rows, schema)
        for block in batch.filter(pc.equal(kind, KEY_BLOCK)).column(BLOCK):
            blocks.append(pa.ipc.open_stream(block.as_buffer()).read_all())
    if not blocks:
        return
    keys = pl.from_arrow(pa.concat_tables(blocks))
    assert isinstance(keys, pl.DataFrame)
    for rule in keys.partition_by(KEY_ID, maintain_order=False):
        rule = rule.sort(ROW)
        found = rule.filter(repeated(rule.get_column(KEY)))
        n = found.height
        given = {c: found.get_column(c).to_arrow() for c in (KEY_ID, ROW, REJECT)}
        yield _record_batch({**given, KIND: pa.array([KEYS] * n, pa.int8())}, n, schema)


class MalformedLines(ValueError):
    """CSV lines that are not one record each of the header's fields."""


def read_text_csv(
    buffer: pa.Buffer, header: tuple[str, ...], delimiter: str, block_size: int | None = None
) -> tuple[pa.Table, list[int]]:
    """CSV records (no header line) as the header's columns, every value text (an empty one
    "", quoted or not, as presend's reader gives it), and the numbers of the records pyarrow
    found with too few or too many fields: skipped, never padded. The check pass's parse of
    lines and of byte ranges (linter.spark.splits) alike."""
    bad: list[int] = []

    def invalid(row: pacsv.InvalidRow) -> str:
        bad.append(row.number or 0)
        return "skip"

    sized = {"block_size": block_size} if block_size else {}
    table = pacsv.read_csv(
        pa.BufferReader(buffer),
        read_options=pacsv.ReadOptions(column_names=list(header), use_threads=False, **sized),
        parse_options=pacsv.ParseOptions(delimiter=delimiter, invalid_row_handler=invalid),
        convert_options=pacsv.ConvertOptions(
            column_types=dict.fromkeys(header, pa.string()),
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
    )
    return table, bad


def parse_lines(table: pa.Table, header: tuple[str, ...], delimiter: str) -> pa.Table:
    """The table's CSV lines (`LINE`, in row order) as the header's columns, every value
    text (an empty value "", quoted or not, as presend's reader gives it), beside `ROW`.

    As Spark's CSV reader in FAILFAST mode: a line with too few or too many fields is an
    error, never padded, and so is a quoted value spanning lines (two lines, one record)."""
    lines = table.column(LINE).combine_chunks()
    rows = table.column(ROW).combine_chunks()
    joined = pc.binary_join(
        pa.ListArray.from_arrays(pa.array([0, len(lines)], pa.int32()), lines), "\n"
    )
    buffer = joined[0].as_buffer() if len(lines) else pa.py_buffer(b"")
    parsed, bad = read_text_csv(buffer, header, delimiter)
    if bad or parsed.num_rows != len(lines):
        at = rows[max(bad[0] - 1, 0)].as_py() if bad else rows[0].as_py()
        what = "too few or too many fields" if bad else "a line break inside quotes"
        raise MalformedLines(
            f"PRESEND_MALFORMED row {at}: a malformed CSV record ({what}; --multiline reads"
            " quoted line breaks) [MALFORMED_RECORD]"
        )
    return parsed.append_column(ROW, rows)


def _in_order(table: pa.Table) -> pa.Table:
    """The table in row order: a batch's tallies name its first rows by position. A Spark
    partition may hold blocks of several files, largest first, and a join may reorder."""
    if pl.Series(table.column(ROW).combine_chunks()).is_sorted():
        return table
    return table.sort_by(ROW)


def _rows(
    table: pa.Table,
    order: pl.Series,
    reject: pl.Series,
    reasons: pl.Series | None,
    plan: Plan,
    schema: pa.Schema,
) -> pa.RecordBatch:
    n = table.num_rows
    given = {
        **{c: table.column(c).combine_chunks() for c in plan.header},
        ROW: order.to_arrow(),
        KIND: pa.array([ROWS] * n, pa.int8()),
        REJECT: reject.to_arrow(),
        REASONS: pa.nulls(n, pa.string()) if reasons is None else reasons.to_arrow(),
    }
    return _record_batch(given, n, schema)


def _key_blocks(
    keys: tuple[RowKey, ...],
    ids: dict[str, int],
    order: pl.Series,
    reject: pl.Series,
    buckets: int,
    schema: pa.Schema,
) -> Iterator[pa.RecordBatch]:
    """The batch's key records (rule, the key's hash, row, reject flag; a missing key never
    repeats) cut by key hash into `buckets`, each bucket's as one Arrow IPC block: Spark
    shuffles a few blocks a batch instead of two records a row (its per-record cost, moving
    them between Arrow and its rows and through the shuffle, was most of the run)."""
    if not keys:
        return
    records = pl.concat(
        [
            pl.DataFrame({KEY: key.hashes, ROW: order, REJECT: reject}).with_columns(
                pl.lit(ids[key.name], pl.Int32).alias(KEY_ID)
            )
            for key in keys
        ]
    ).filter(pl.col(KEY).is_not_null())
    bucket = (pl.col(KEY) % buckets).cast(pl.Int32).alias(BUCKET)
    parts = records.with_columns(bucket).partition_by(BUCKET, as_dict=True)
    numbers, blocks = [], []
    for (number,), part in parts.items():
        sink = pa.BufferOutputStream()
        table = part.select(KEY_ID, KEY, ROW, REJECT).to_arrow()
        with pa.ipc.new_stream(sink, table.schema) as writer:
            writer.write_table(table)
        numbers.append(number)
        blocks.append(sink.getvalue())
    n = len(blocks)
    given = {
        KIND: pa.array([KEY_BLOCK] * n, pa.int8()),
        BUCKET: pa.array(numbers, pa.int32()),
        BLOCK: pa.array([b.to_pybytes() for b in blocks], pa.binary()),
    }
    yield _record_batch(given, n, schema)


def _record_batch(given: dict[str, pa.Array], n: int, schema: pa.Schema) -> pa.RecordBatch:
    """The columns given, the rest of `schema` null."""
    arrays = [
        given[f.name].cast(f.type) if f.name in given else pa.nulls(n, f.type) for f in schema
    ]
    return pa.RecordBatch.from_arrays(arrays, schema=schema)


def _summary(order: pl.Series, result: BatchResult, schema: pa.Schema) -> pa.RecordBatch:
    """The batch's tallies (first rows by number), rows per rule, rows and rejected rows."""
    first = int(order[0]) if len(order) else 0  # details add up in row order, as presend's do
    records: list[dict[str, object]] = [
        {
            KIND: TALLY,
            ROW: first,
            RULE: t.rule.id,
            COLUMN: t.column,
            COUNT: t.count,
            AT_HEADER: t.at_header,
            SAMPLED: order.gather(list(t.rows)).to_list() if t.rows else [],
            DETAILS: dict(t.details),
        }
        for t in result.tallies
    ]
    records += [{KIND: RULE_ROWS, RULE: rid, COUNT: n} for rid, n in result.rule_rows.items() if n]
    records.append(
        {KIND: TOTALS, ROW: first, COUNT: len(order), REJECTED: int(result.reject.sum())}
    )
    given = {
        KIND: pa.array([r[KIND] for r in records], pa.int8()),
        RECORD: pa.array([json.dumps(r) for r in records], pa.string()),
    }
    return _record_batch(given, len(records), schema)
