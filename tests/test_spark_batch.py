"""The executor side of the Spark engine (linter.spark.batch) without Spark: the functions
mapInArrow runs, called on plain Arrow batches, with the key grouping done in polars. Runs
where pyspark or Java is missing; tests/test_spark.py runs the same through Spark."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pyarrow as pa

from linter.contacts import check_file, split_file
from linter.contacts.rules import contact_rules
from linter.contacts.schema import load_schema
from linter.spark import batch as sb
from tests import test_contacts_batch as per_batch

# The generated list the per-batch API's own tests use (12,000 rows with known defects).
listing = per_batch.listing
TODAY = per_batch.TODAY


def _numbered(path: Path) -> pl.DataFrame:
    frame = pl.read_csv(path, infer_schema=False)
    return frame.with_columns(pl.int_range(2, frame.height + 2, dtype=pl.Int64).alias(sb.ROW))


def _batches(frame: pl.DataFrame, size: int) -> list[pa.RecordBatch]:
    # Shuffled into batches out of row order, as a join or a partition of several files gives.
    return frame.reverse().to_arrow().to_batches(max_chunksize=size)


def test_two_passes_over_arrow_batches_give_split_files_answers(
    listing: Path, tmp_path: Path
) -> None:
    frame = _numbered(listing)
    header = tuple(c for c in frame.columns if c != sb.ROW)
    plan = sb.Plan(header, load_schema(None), contact_rules(), TODAY)
    # Pass 1 on the key columns only, then "the shuffle": every row but a key's first repeats.
    keys = pl.from_arrow(
        pa.Table.from_batches(
            list(sb.key_batches(_batches(frame.select(*plan.key_columns(), sb.ROW), 700), plan))
        )
    )
    assert isinstance(keys, pl.DataFrame)
    repeats = keys.filter(pl.col(sb.ROW).rank("ordinal").over(sb.KEY_ID, sb.KEY) > 1)
    marks = repeats.group_by(sb.ROW).agg(
        *((pl.col(sb.KEY_ID) == i).any().alias(sb.repeat_column(i)) for i in range(2))
    )
    joined = frame.join(marks, on=sb.ROW, how="left")
    out = pl.from_arrow(pa.Table.from_batches(list(sb.check_batches(_batches(joined, 900), plan))))
    assert isinstance(out, pl.DataFrame)

    report = split_file(listing, tmp_path / "c.csv", tmp_path / "r.csv", None, today=TODAY)
    totals = out.filter(pl.col(sb.KIND) == sb.TOTALS)
    assert totals[sb.COUNT].sum() == report.rows_in
    assert totals[sb.REJECTED].sum() == report.rows_rejected
    rule_rows = (
        out.filter(pl.col(sb.KIND) == sb.RULE_ROWS).group_by(sb.RULE).agg(pl.col(sb.COUNT).sum())
    )
    assert dict(rule_rows.iter_rows()) == report.counts_by_rule
    rows = out.filter(pl.col(sb.KIND) == sb.ROWS)
    rejected = rows.filter(pl.col(sb.REJECT)).sort(sb.ROW).select(sb.ROW, sb.REASONS)
    expected = pl.read_csv(tmp_path / "r.csv", infer_schema=False)
    assert rejected[sb.ROW].to_list() == [int(r) for r in expected["_row"]]
    assert rejected[sb.REASONS].to_list() == expected["_reasons"].to_list()
    # Each tally's first rows are the smallest row numbers of its batch, whatever the order.
    tallies = out.filter(pl.col(sb.KIND) == sb.TALLY)
    assert all(s == sorted(s) for s in tallies[sb.SAMPLED].to_list())
    assert check_file(listing, None, today=TODAY).counts_by_rule == report.counts_by_rule
