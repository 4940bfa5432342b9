"""The executor side of the Spark engine (linter.spark.batch) without Spark: the functions
mapInArrow runs, called on plain Arrow batches, with the key grouping done in polars. Runs
where pyspark or Java is missing; tests/test_spark.py runs the same through Spark."""

from __future__ import annotations

import json
from collections import Counter
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


def test_one_pass_and_a_second_look_at_repeats_give_split_files_answers(
    listing: Path, tmp_path: Path
) -> None:
    frame = _numbered(listing)
    header = tuple(c for c in frame.columns if c != sb.ROW)
    plan = sb.Plan(header, load_schema(None), contact_rules(), TODAY)
    whole = plan.whole_list()
    pass1 = list(sb.check_batches(_batches(frame, 900), plan))
    out = pl.from_arrow(pa.Table.from_batches(pass1))
    assert isinstance(out, pl.DataFrame)
    rows = out.filter(pl.col(sb.KIND) == sb.ROWS)
    assert out.filter(pl.col(sb.KIND) == sb.KEY_BLOCK)[sb.BUCKET].n_unique() == plan.buckets

    # The shuffle: each bucket's key blocks (and the per-batch records) in one partition.
    shuffled = sorted(
        (b.slice(i, 1) for b in pass1 for i in range(b.num_rows) if b[sb.KIND][i].as_py()),
        key=lambda b: b[sb.BUCKET][0].as_py() or -1,
    )
    resolved = pl.from_arrow(pa.Table.from_batches(list(sb.repeats_of(shuffled))))
    assert isinstance(resolved, pl.DataFrame)
    repeats = resolved.filter(pl.col(sb.KIND) == sb.KEYS)
    records = [json.loads(r) for r in resolved.filter(pl.col(sb.RECORD).is_not_null())[sb.RECORD]]
    marks = repeats.group_by(sb.ROW).agg(
        *((pl.col(sb.KEY_ID) == i).any().alias(sb.repeat_column(i)) for i in range(len(whole)))
    )
    again = pl.from_arrow(
        pa.Table.from_batches(
            list(sb.recheck_batches(_batches(frame.join(marks, on=sb.ROW), 300), plan))
        )
    )
    assert isinstance(again, pl.DataFrame)
    final = pl.concat(
        [
            rows.join(marks, on=sb.ROW, how="anti").select(sb.ROW, sb.REJECT, sb.REASONS),
            again.select(sb.ROW, sb.REJECT, sb.REASONS),
        ]
    )

    report = split_file(listing, tmp_path / "c.csv", tmp_path / "r.csv", None, today=TODAY)
    assert len(marks) and all(k.rule.severity.value == "error" for k in whole)
    totals = [r for r in records if r[sb.KIND] == sb.TOTALS]
    assert sum(r[sb.COUNT] for r in totals) == report.rows_in == final.height
    newly = marks.join(rows.select(sb.ROW, sb.REJECT), on=sb.ROW).filter(~pl.col(sb.REJECT))
    assert sum(r[sb.REJECTED] for r in totals) + newly.height == report.rows_rejected
    counts = Counter[str]()
    for r in records:
        if r[sb.KIND] == sb.RULE_ROWS:
            counts[r[sb.RULE]] += r[sb.COUNT]
    for i, k in enumerate(whole):  # one rule per key here (DAT002 on email, DAT014 on id)
        counts[k.rule.id] += int(marks[sb.repeat_column(i)].sum())
    assert dict(counts) == report.counts_by_rule
    rejected = final.filter(pl.col(sb.REJECT)).sort(sb.ROW)
    expected = pl.read_csv(tmp_path / "r.csv", infer_schema=False)
    assert rejected[sb.ROW].to_list() == [int(r) for r in expected["_row"]]
    assert rejected[sb.REASONS].to_list() == expected["_reasons"].to_list()
    # Each tally's first rows are the smallest row numbers of its batch, whatever the order.
    tallies = [r[sb.SAMPLED] for r in records if r[sb.KIND] == sb.TALLY]
    assert tallies and all(s == sorted(s) for s in tallies)
    assert check_file(listing, None, today=TODAY).counts_by_rule == report.counts_by_rule
