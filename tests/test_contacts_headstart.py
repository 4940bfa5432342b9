"""The reader's head start (pyarrow parses a file's first chunks while polars is imported)
changes nothing a run reports or writes: rows, findings, outputs, and errors at the same place."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from linter.contacts import ContactsInputError, check_file, sniff, split_file
from linter.contacts import reader as reader_module
from linter.contacts.reader import head_start

TODAY = date(2026, 1, 1)
ROWS = [f"user{i}@example.com,Name {i},{'yes' if i % 7 else 'no'}" for i in range(400)]
ROWS[5] = "user5@example,Bad,yes"  # an invalid address in the first chunk
ROWS[300] = ROWS[2]  # a duplicate in a later chunk


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    # ~2 KB chunks: the head start takes the first two of many.
    monkeypatch.setitem(reader_module.jobs.__kwdefaults__, "block_bytes", 2048)


def _write(path: Path, rows: list[str]) -> Path:
    path.write_text("email,first_name,consent\n" + "\n".join(rows) + "\n")
    return path


def _outcome(path: Path, out: Path, head: bool, schema: Path | None = None) -> object:
    dialect = sniff(path, defer=True)
    started = head_start(str(path), dialect) if head else None
    clean, rejected = out / f"clean-{head}.csv", out / f"rejected-{head}.csv"
    try:
        report = split_file(
            path, clean, rejected, schema, today=TODAY, dialect=dialect, head=started
        )
    except ContactsInputError as exc:
        return str(exc)
    finally:
        if started is not None:
            started.close()
    return report.summary(), report.findings, clean.read_bytes(), rejected.read_bytes()


@pytest.fixture
def used(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many chunks each run took from a head start."""
    counts: list[int] = []
    jobs = reader_module.HeadStart.jobs

    def counted(self: reader_module.HeadStart) -> object:
        counts.append(0)
        for job in jobs(self):
            counts[-1] += 1
            yield job

    monkeypatch.setattr(reader_module.HeadStart, "jobs", counted)
    return counts


def test_a_head_start_changes_nothing(tmp_path: Path, used: list[int]) -> None:
    path = _write(tmp_path / "list.csv", ROWS)
    with_head = _outcome(path, tmp_path, head=True)
    assert used and used[0] > 2  # the head's two chunks, then the rest
    assert with_head == _outcome(path, tmp_path, head=False)
    assert "user5@example" in with_head[3].decode()  # type: ignore[index]


@pytest.mark.parametrize(
    ("row", "bad"),
    [(3, "A\x00nn"), (200, "A\x00nn"), (3, '"Ann'), (300, "Ann,extra")],
    ids=["NUL in the head", "NUL after it", "open quote", "ragged row"],
)
def test_errors_are_raised_as_without_a_head_start(tmp_path: Path, row: int, bad: str) -> None:
    rows = list(ROWS)
    rows[row - 2] = f"x{row}@example.com,{bad},yes"
    path = _write(tmp_path / "bad.csv", rows)
    message = _outcome(path, tmp_path, head=True)
    assert isinstance(message, str) and message == _outcome(path, tmp_path, head=False)


def test_a_schema_reading_empty_cells_otherwise_reads_the_file_afresh(
    tmp_path: Path, used: list[int]
) -> None:
    # The head start guesses that "" is the only missing value; with "NA" it is not.
    schema = tmp_path / "s.json"
    fields = [{"name": "email", "format": "email"}, {"name": "first_name"}, {"name": "consent"}]
    schema.write_text(json.dumps({"fields": fields, "missingValues": ["NA"]}))
    rows = list(ROWS)
    rows[1] = "user1@example.com,,yes"
    path = _write(tmp_path / "list.csv", rows)
    assert _outcome(path, tmp_path, True, schema) == _outcome(path, tmp_path, False, schema)
    assert not used


def test_closing_an_unused_head_start_closes_the_file(tmp_path: Path) -> None:
    path = _write(tmp_path / "list.csv", ROWS)
    started = head_start(str(path), sniff(path, defer=True))
    assert started is not None
    started.close()
    assert check_file(path, today=TODAY).rows_in == len(ROWS)


def test_no_head_start_for_other_encodings(tmp_path: Path) -> None:
    path = tmp_path / "latin.csv"
    path.write_bytes("email,first_name\nann@example.com,Zoë\n".encode("latin-1"))
    assert head_start(str(path), sniff(path, encoding="latin-1", defer=True)) is None


def test_counting_in_polars_counts_as_python_does(monkeypatch: pytest.MonkeyPatch) -> None:
    # Chunks of 1 MiB and more count their quotes in polars once the runner has loaded it.
    data = bytearray(b'a,"b""c",d\n' * 200_000)
    data[-1:] = b'"'  # the last byte, and past `end`: not counted
    monkeypatch.setattr(reader_module, "_POLARS", [])
    python = [reader_module._count(data, b'"', end) for end in (len(data), len(data) - 1, 5)]
    reader_module.count_in_polars()
    assert [
        reader_module._count(data, b'"', end) for end in (len(data), len(data) - 1, 5)
    ] == python
    assert python[:2] == [data.count(b'"'), data.count(b'"') - 1]


def test_the_data_command_closes_an_unused_head_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A schema that fails to load leaves the head start unused: its thread ends, its file closes.
    from click.testing import CliRunner

    from linter.cli import main

    started: list[reader_module.HeadStart] = []
    real = reader_module.head_start

    def recorded(path: str, dialect: object) -> reader_module.HeadStart | None:
        head = real(path, dialect)  # type: ignore[arg-type]
        started.extend([head] if head is not None else [])
        return head

    monkeypatch.setattr(reader_module, "head_start", recorded)
    path = _write(tmp_path / "list.csv", ROWS)
    schema = tmp_path / "bad.json"
    schema.write_text('{"fields": [{"name": "email", "constraints": {"pattern": "(?=x)"}}]}')
    result = CliRunner().invoke(main, ["data", str(path), "--schema", str(schema)])
    assert result.exit_code == 2 and "regular expression" in result.output
    assert len(started) == 1 and not started[0]._thread.is_alive()
    with pytest.raises(StopIteration):  # closed: nothing more to read
        next(started[0]._todo)


def test_jobs_closed_early_wait_for_the_head_thread(tmp_path: Path) -> None:
    """A runner that stops after the first job (an output it cannot write, say) closes the
    jobs while the head thread may still be cutting: that must close cleanly, every time
    (closing the cutting generator under the thread raised "generator already executing")."""
    path = _write(tmp_path / "c.csv", ROWS)
    dialect = sniff(path, defer=True)
    for _ in range(30):
        started = head_start(str(path), dialect)
        assert started is not None
        jobs = started.jobs()
        next(jobs)
        jobs.close()  # raised ValueError in about 1 run of 11 before
        assert not started._thread.is_alive()
