"""The check pass's own CSV reading (linter.spark.splits) without Spark: files cut into byte
ranges at every size give the rows of the whole file exactly once, numbered as `presend data`
numbers them, and refuse what the lines path refuses. tests/test_spark.py runs it on Spark."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from linter.spark.batch import ROW
from linter.spark.splits import (
    CsvSplits,
    Numbering,
    SplitInputError,
    first_line,
    plan_splits,
    read_split,
)


def _source(paths: list[Path], size: int, delimiter: str = ",") -> CsvSplits:
    head = first_line(str(paths[0]))
    assert head is not None
    line, newline = head
    header = tuple(line.split(delimiter))
    files = [(str(p), p.stat().st_size) for p in paths]
    return CsvSplits(plan_splits(files, size), header, line, delimiter, newline)


def _rows(source: CsvSplits, chunk: int = 1 << 20) -> list[tuple[int, dict[str, str]]]:
    """(row number, values) of every split's rows, numbered from the splits' counts."""
    places: list[tuple[int, dict[str, str]]] = []
    counts: dict[int, int] = {}
    for i in range(len(source.splits)):
        for table in read_split(source, source.splits[i], i, chunk):
            counts[i] = counts.get(i, 0) + table.num_rows
            for row in table.to_pylist():
                at = row.pop(ROW)
                places.append((at, row))
    number = Numbering.of(counts, len(source.splits))
    return [(number(at), row) for at, row in sorted(places, key=lambda p: p[0])]


TEXT = (
    "\ufeffemail,name,notes\r\n"
    "ann@example.com,Ann,plain\r\n"
    "\r\n"
    'bob@example.com,"Bob, Jr.","says ""hi"""\r\n'
    "carl@example.com,,\r\n"
    '"",Dee,"a,b"\r\n'
    "\r\n\r\n"
    "eve@example.com,Eve,last line without its end"
)


def _expected(text: str) -> list[tuple[int, dict[str, str]]]:
    import csv
    import io

    lines = [r for r in csv.reader(io.StringIO(text.removeprefix("\ufeff"))) if r]
    header, body = lines[0], lines[1:]
    return [(n, dict(zip(header, r, strict=True))) for n, r in enumerate(body, start=2)]


def test_every_split_size_gives_each_row_once_in_order(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_bytes(TEXT.encode())
    size = path.stat().st_size
    want = _expected(TEXT)
    for split in range(1, size + 2):
        for chunk in (1, 7, 1 << 20):
            assert _rows(_source([path], split), chunk) == want, (split, chunk)


def test_rows_are_numbered_across_files_and_headers_are_skipped(tmp_path: Path) -> None:
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_text("email,name\nann@example.com,Ann\nbob@example.com,Bob\n", encoding="utf-8")
    b.write_text("email,name\n\ncarl@example.com,Carl\n", encoding="utf-8")
    for split in (1, 5, 100):
        got = _rows(_source([a, b], split))
        assert [(n, r["email"]) for n, r in got] == [
            (2, "ann@example.com"),
            (3, "bob@example.com"),
            (4, "carl@example.com"),
        ]


def test_old_mac_line_ends(tmp_path: Path) -> None:
    path = tmp_path / "mac.csv"
    path.write_bytes(b"email,name\rann@example.com,Ann\rbob@example.com,Bob\r")
    source = _source([path], 9)
    assert source.newline == b"\r"
    assert [r["name"] for _, r in _rows(source)] == ["Ann", "Bob"]


@pytest.mark.parametrize(
    ("body", "where"),
    [
        ('ann@example.com,"two\nlines"\n', "quoted value runs past its line"),
        ("ann@example.com,Ann\nbob@example.com\n", "1 field, not the header's 2"),
        ('ann@example.com,"open at the end', "quoted value runs past its line"),
        ("ann@example.com,Ann,extra\n", "3 fields, not the header's 2"),
    ],
)
def test_malformed_records_are_refused_at_any_split_size(
    tmp_path: Path, body: str, where: str
) -> None:
    """As the lines path: never padded, never two lines made one record, at any cut."""
    path = tmp_path / "bad.csv"
    path.write_text("email,name\n" + body, encoding="utf-8")
    for split in range(1, path.stat().st_size + 1):
        with pytest.raises(SplitInputError, match="MALFORMED_RECORD") as caught:
            _rows(_source([path], split))
    assert where in str(caught.value) and "bad.csv at line" in str(caught.value)


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_a_malformed_record_is_named_by_its_line(tmp_path: Path, newline: str) -> None:
    """Whichever split finds it, the message names the file's line, as presend data does."""
    lines = ["email,name", *(f"u{i}@example.com,U{i}" for i in range(40)), "bad@example.com"]
    path = tmp_path / "bad.csv"
    path.write_bytes(newline.join([*lines, "last@example.com,L", ""]).encode())
    bad = path.read_bytes().index(b"bad@")
    for split in (7, 64, 10_000):
        with pytest.raises(SplitInputError) as caught:
            _rows(_source([path], split))
        assert f"bad.csv at line 42 (byte {bad:,}): 1 field" in str(caught.value)


def test_a_last_column_quote_open_across_a_chunk_is_refused(tmp_path: Path) -> None:
    """The chunk ends inside a quoted value of the last column: its line end is taken into
    the value, rows still equal lines, and it must be refused all the same."""
    path = tmp_path / "open.csv"
    path.write_text('email\n"ann@example.com\nbob@example.com"\n', encoding="utf-8")
    for chunk in (1, 5, 1 << 20):
        with pytest.raises(SplitInputError, match="quoted value runs past"):
            _rows(_source([path], 1 << 20), chunk)


def test_a_different_header_and_bad_utf8_are_refused(tmp_path: Path) -> None:
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_text("email,name\nann@example.com,Ann\n", encoding="utf-8")
    b.write_text("name,email\nBob,bob@example.com\n", encoding="utf-8")
    with pytest.raises(SplitInputError, match=r"b\.csv: its header differs"):
        _rows(_source([a, b], 100))
    b.write_bytes(b"email,name\nbob@example.com,B\xffb\n")
    with pytest.raises(SplitInputError, match=r"b\.csv: not UTF-8 text at line 2 \(byte 28\)"):
        _rows(_source([a, b], 100))


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    lines=st.lists(st.text(alphabet='ab,"\r\n ', max_size=12), max_size=8),
    split=st.integers(1, 40),
    chunk=st.integers(1, 30),
)
def test_fuzz_any_cut_reads_what_one_split_reads(
    tmp_path: Path, lines: list[str], split: int, chunk: int
) -> None:
    """Hostile text: cut anywhere, the rows (or the refusal) are those of one whole split."""
    path = tmp_path / "fuzz.csv"
    path.write_text("a,b\n" + "\n".join(lines), encoding="utf-8")
    whole = _source([path], 1 << 20)

    def outcome(source: CsvSplits, chunk: int) -> object:
        try:
            return _rows(source, chunk)
        except SplitInputError:
            return "refused"
        except pa.ArrowInvalid:
            return "arrow"

    assert outcome(_source([path], split), chunk) == outcome(whole, 1 << 20)


def test_a_line_longer_than_the_limit_is_refused_not_read_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file without line ends (or a binary one) would otherwise be one task's memory."""
    from linter.spark import splits

    monkeypatch.setattr(splits, "MAX_RECORD_BYTES", 200_000)
    path = tmp_path / "long.csv"
    path.write_bytes(b"email\n" + b"x" * 300_000 + b"\nann@example.com\n")
    for split in (1000, 1 << 20):
        with pytest.raises(SplitInputError, match=r"a line longer than .* at line 2 \(from byte"):
            _rows(_source([path], split), 1000)


def test_file_sizes_from_one_listing_per_folder_and_percent_encoded_names(
    tmp_path: Path,
) -> None:
    """Spark lists files as percent-encoded URIs; files sharing a folder are sized by one
    listing of it (on object stores a request per file would be thousands)."""
    from linter.spark.splits import file_sizes

    folder = tmp_path / "My Campaigns"
    folder.mkdir()
    (folder / "a b%.csv").write_bytes(b"email\nx\n")
    (folder / "c.csv").write_bytes(b"email\n")
    (tmp_path / "other.csv").write_bytes(b"email\nann@example.com\n")
    uris = [
        f"file://{str(folder).replace(' ', '%20')}/a%20b%25.csv",
        f"file:{folder}/c.csv",
        f"file://{tmp_path}/other.csv",
    ]
    assert file_sizes(uris) == [8, 6, 22]


def test_a_file_without_line_ends_is_refused_from_its_head(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The header is read as the sniff reads a head, up to MAX_HEADER_BYTES: a file with no
    line end (a binary file, a one-line dump) is refused there, never read whole."""
    import importlib

    from linter.spark import splits

    for module in (importlib.import_module("linter.contacts.sniff"), splits):
        monkeypatch.setattr(module, "MAX_HEADER_BYTES", 300_000)
    path = tmp_path / "one-line.csv"
    path.write_bytes(b"x" * 1_000_000)
    with pytest.raises(SplitInputError, match=r"one-line\.csv: no line end in its first 0 MiB"):
        first_line(str(path))
    pytest.importorskip("pyspark")
    from linter.spark.engine import SparkInputError
    from linter.spark.io import csv_splits

    with pytest.raises(SparkInputError, match=r"one-line\.csv: no line end"):
        csv_splits(None, [str(path)], ",")  # type: ignore[arg-type]  # refused before Spark
    path.write_bytes(b"email,name")  # shorter than the limit: a header without records
    assert first_line(str(path)) == ("email,name", b"\n")


def test_blank_lines_longer_than_a_chunk_before_the_header(tmp_path: Path) -> None:
    """The header is checked in the first chunk holding something, not the first chunk."""
    path = tmp_path / "blank.csv"
    path.write_bytes(b"\n" * 5000 + b"email,name\nann@example.com,Ann\nbob@example.com,Bob\n")
    for chunk in (64, 1000, 1 << 20):
        assert [r["name"] for _, r in _rows(_source([path], 1 << 20), chunk)] == ["Ann", "Bob"]
