"""The per-batch API (linter.contacts.batch): what another engine (Spark's mapInArrow) calls.

Its results must add up to exactly what the streaming runner reports for the whole file:
per-row rules from each batch alone, whole-list rules from the keys resolved across batches.
"""

from __future__ import annotations

import csv
import sys
from collections import Counter
from datetime import date
from pathlib import Path

import polars as pl
import pyarrow as pa
import pytest

from linter.contacts import check_file, split_file
from linter.contacts.batch import BatchContext, check_batch, row_keys
from linter.contacts.hashset import repeated
from linter.contacts.schema import load_schema, parse_schema

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
from contacts_gen import generate  # noqa: E402

TODAY = date(2026, 1, 1)


@pytest.fixture(scope="module")
def listing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("batch") / "contacts.csv"
    generate(path, 12_000, seed=3)
    return path


def _batches(path: Path, size: int) -> list[pa.RecordBatch]:
    """The file as Arrow record batches of text, as Spark hands them to mapInArrow."""
    frame = pl.read_csv(path, infer_schema=False)
    return frame.to_arrow().to_batches(max_chunksize=size)


def test_batches_and_a_shuffle_of_keys_give_the_runners_report(
    listing: Path, tmp_path: Path
) -> None:
    """Per-row results batch by batch, duplicates by grouping the normalised keys over the
    whole list (what a shuffle does): same counts, rejected rows and reasons as split."""
    schema, ctx = load_schema(None), BatchContext(today=TODAY)
    batches = _batches(listing, 2_500)
    # Pass 1: keys only, grouped over the whole list: a row repeats an earlier row's key.
    keys: dict[str, list[pl.Series]] = {}
    for b in batches:
        for k in row_keys(b, schema, ctx):
            keys.setdefault(k.name, []).append(k.values)
    assert set(keys) == {"DAT002:email", "DAT014:customer_id"}
    dup = {}
    for name, parts in keys.items():
        values = pl.concat(parts)
        first = values.is_first_distinct() | values.is_null()
        dup[name] = ~first
    # Pass 2: every batch with its repeats, as the runner does for split.
    counts: Counter[str] = Counter()
    rejected, reasons, start = 0, [], 0
    for b in batches:
        n = b.num_rows
        repeats = {name: mask.slice(start, n) for name, mask in dup.items()}
        result = check_batch(b, schema, ctx, repeats=repeats, with_reasons=True)
        counts.update({k: v for k, v in result.rule_rows.items() if v})
        rejected += int(result.reject.sum())
        assert result.reasons is not None
        reasons += [r for r in result.reasons.to_list() if r is not None]
        start += n
    report = split_file(listing, tmp_path / "c.csv", tmp_path / "r.csv", today=TODAY)
    assert dict(counts) == report.counts_by_rule
    assert rejected == report.rows_rejected
    with open(tmp_path / "r.csv", newline="", encoding="utf-8") as fh:
        assert reasons == [row["_reasons"] for row in csv.DictReader(fh)]


def test_the_key_is_the_normalised_value_and_hashes_follow_it() -> None:
    schema = load_schema(None)
    frame = pl.DataFrame(
        {
            "email": [" Ann@X.com", "ann@x.com", None, "bob@y.org", "BOB@Y.ORG "],
            "customer_id": ["1", "2", "", "1", "3"],
        }
    )
    keys = {k.name: k for k in row_keys(frame, schema, BatchContext(today=TODAY))}
    email = keys["DAT002:email"]
    assert email.values.to_list() == ["ann@x.com", "ann@x.com", None, "bob@y.org", "bob@y.org"]
    assert repeated(email.hashes).to_list() == [False, True, False, False, True]
    ids = keys["DAT014:customer_id"]
    assert ids.values.to_list() == ["1", "2", None, "1", "3"]  # "" is a missing value
    assert repeated(ids.hashes).to_list() == [False, False, False, True, False]


def test_a_composite_primary_key_is_a_struct_null_when_a_part_is_missing() -> None:
    schema = parse_schema(
        {
            "fields": [{"name": "a"}, {"name": "b"}],
            "primaryKey": ["a", "b"],
        },
        "s.json",
    )
    frame = pl.DataFrame({"a": ["1", "1", "1", None], "b": ["x", "y", "x", "x"]})
    (key,) = row_keys(frame, schema, BatchContext(today=TODAY))
    assert key.values.to_list() == [
        {"a": "1", "b": "x"},
        {"a": "1", "b": "y"},
        {"a": "1", "b": "x"},
        None,
    ]
    assert repeated(key.hashes).to_list() == [False, False, True, False]


def test_check_batch_is_pure_and_takes_arrow_or_polars(listing: Path) -> None:
    schema = load_schema(None)
    (first, *_) = _batches(listing, 4_000)
    ctx = BatchContext(today=TODAY)
    a = check_batch(first, schema, ctx, with_reasons=True)
    b = check_batch(pa.Table.from_batches([first]), schema, BatchContext(today=TODAY))
    c = check_batch(pl.from_arrow(first), schema, ctx)  # type: ignore[arg-type]
    assert a.tallies == b.tallies == c.tallies
    assert a.reject.equals(b.reject) and a.reject.equals(c.reject)
    assert a.reasons is not None and b.reasons is None
    assert a.reasons.is_not_null().equals(a.reject)  # reasons exactly on the rejected rows
    # Without repeats, the whole-list rules are the caller's: not in the tallies.
    assert not {t.rule.id for t in a.tallies} & {"DAT002", "DAT014"}
    assert {k.name for k in a.keys} == {"DAT002:email", "DAT014:customer_id"}


def test_tallies_add_up_to_the_file_report(listing: Path) -> None:
    schema, ctx = load_schema(None), BatchContext(today=TODAY)
    totals: Counter[tuple[str, str]] = Counter()
    first_rows: dict[tuple[str, str], list[int]] = {}
    start = 2  # row 1 is the header
    for b in _batches(listing, 3_000):
        for t in check_batch(b, schema, ctx).tallies:
            totals[(t.rule.id, t.column)] += t.count
            first_rows.setdefault((t.rule.id, t.column), []).extend(r + start for r in t.rows)
        start += b.num_rows
    report = check_file(listing, today=TODAY)
    for f in report.findings:
        if f.rule in ("DAT002", "DAT014"):
            continue
        key = next(k for k in totals if k[0] == f.rule and f"'{k[1]}'" in f.message)
        assert f"{totals[key]:,} of" in f.message
        assert f.line == first_rows[key][0]


def test_repeats_must_name_a_whole_list_rule_and_fit_the_batch() -> None:
    field = {"name": "email", "format": "email", "constraints": {"unique": True}}
    schema = parse_schema({"fields": [field], "presend": {"emailColumn": "email"}}, "s.json")
    frame = pl.DataFrame({"email": ["a@x.com", "a@x.com"]})
    ctx = BatchContext(today=TODAY)
    with pytest.raises(ValueError, match="no whole-list rule"):
        check_batch(frame, schema, ctx, repeats={"DAT999:email": pl.Series([False, True])})
    with pytest.raises(ValueError, match="1 values for 2 rows"):
        check_batch(frame, schema, ctx, repeats={"DAT002:email": pl.Series([True])})
    result = check_batch(
        frame, schema, ctx, repeats={"DAT002:email": pl.Series([False, True])}, with_reasons=True
    )
    assert result.reject.to_list() == [False, True]
    assert result.rule_rows["DAT002"] == 1
    assert result.reasons is not None
    assert result.reasons[1].startswith("DAT002 duplicate-email [email]: ")


def test_rows_a_vectorised_test_flags_are_counted_not_named_as_none() -> None:
    # An integer past Int64 is judged value by value (with a reason); the rest of the
    # out-of-range rows by polars, with no detail: the finding must not say "None".
    schema = parse_schema(
        {"fields": [{"name": "n", "type": "integer", "constraints": {"maximum": 10}}]},
        "s.json",
    )
    frame = pl.DataFrame({"n": ["11", "12", "99999999999999999999", "5"]})
    result = check_batch(frame, schema, BatchContext(today=TODAY))
    (tally,) = [t for t in result.tallies if t.column == "n"]
    assert tally.count == 3
    assert "None" not in tally.details and sum(tally.details.values()) == 1
