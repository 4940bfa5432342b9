"""Sniffing: every encoding and layout problem is handled explicitly or named at file:row:col."""

from __future__ import annotations

import codecs
import csv
import os
import threading
from datetime import date
from pathlib import Path

import pytest

from linter.contacts import ContactsInputError, check_file, columns, sniff, split_file
from linter.contacts.progress import wanted

FIX = Path(__file__).resolve().parent.parent / "fixtures" / "contacts"
TODAY = date(2026, 1, 1)

ERRORS = [
    ("utf16-no-bom.csv", 1, 1, "UTF-16 without a byte-order mark", "--encoding utf-16-le"),
    ("cp1252.csv", 2, 19, "byte 0xEB is not UTF-8", "--encoding cp1252"),
    ("latin1.csv", 2, 20, "byte 0xE9 is not UTF-8", "--encoding latin-1"),
    ("nul-byte.csv", 3, 8, "NUL byte", "--encoding"),
    ("ragged.csv", 3, 3, "2 fields, fewer than the header's 3; 2 such rows", "quote values"),
    ("duplicate-header.csv", 1, 3, "header name 'Email' repeats column 1", ""),
    ("empty-header.csv", 1, 2, "header name in column 2 is empty", ""),
    ("no-header.csv", 1, 1, "row 1 looks like data", "add a header row"),
    ("bare-cr.csv", 2, 20, "bare CR line ending", ""),
    ("ambiguous-delimiter.csv", 1, 1, "delimiter is ambiguous", "--delimiter"),
    # Was silently read as 2 rows (the open quote paired with row 4's), or as one column.
    ("unterminated.csv", 3, 2, "unclosed quote from 3:2 (column 'first_name')", 'as ""'),
    ("unterminated.tsv", 3, 2, "unclosed quote from 3:2 (column 'first_name')", 'as ""'),
]


@pytest.mark.parametrize(("name", "row", "col", "text", "hint"), ERRORS, ids=[e[0] for e in ERRORS])
def test_problem_named_at_file_row_col(name: str, row: int, col: int, text: str, hint: str) -> None:
    path = FIX / name
    with pytest.raises(ContactsInputError) as info:
        check_file(path, today=TODAY)
    err = info.value
    assert (err.path, err.row, err.column) == (str(path), row, col)
    assert str(err).startswith(f"{path}:{row}:{col}: ")
    assert text in str(err) and hint in str(err)


@pytest.mark.parametrize(("name", "row", "col", "text", "hint"), ERRORS, ids=[e[0] for e in ERRORS])
def test_sniff_alone_names_the_same_problem(
    name: str, row: int, col: int, text: str, hint: str
) -> None:
    # The problems sniff() finds before a row is parsed, as check_file reports them.
    if name == "ragged.csv":
        assert sniff(FIX / name).header  # only reading the rows finds a ragged one
        return
    with pytest.raises(ContactsInputError) as info:
        sniff(FIX / name)
    assert (info.value.row, info.value.column) == (row, col) and text in str(info.value)


@pytest.mark.parametrize(
    ("bad", "text"), [(b"\x00", "NUL byte"), (b"\xe9", "byte 0xE9 is not UTF-8"), (b'"', "quote")]
)
def test_a_problem_deep_in_a_big_file_stops_the_run(tmp_path: Path, bad: bytes, text: str) -> None:
    # Past the first chunks: found by the sniff's scan of every byte, before any row is read.
    path = tmp_path / "big.csv"
    rows = [b"email,consent\n"] + [b"u%d@example.com,yes\n" % i for i in range(600_000)]
    rows[550_000] = b"late@example.com,y" + bad + b"s\n"
    path.write_bytes(b"".join(rows))
    for run in (
        check_file,
        lambda p, **kw: split_file(p, tmp_path / "c.csv", tmp_path / "r.csv", **kw),
    ):
        with pytest.raises(ContactsInputError) as info:
            run(path, today=TODAY)
        assert info.value.row == 550_001 and text in str(info.value), str(info.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.csv"]  # no output written


@pytest.mark.parametrize("spelling", ["utf-8", "UTF8", "utf_8"])
def test_bytes_that_are_not_utf8_are_named_however_utf8_is_spelled(spelling: str) -> None:
    # pyarrow is told not to check UTF-8 again, so every spelling must get presend's check.
    with pytest.raises(ContactsInputError, match="byte 0xEB is not UTF-8"):
        check_file(FIX / "cp1252.csv", encoding=spelling, today=TODAY)


def test_a_file_that_ends_inside_a_character_is_named(tmp_path: Path) -> None:
    # pyarrow no longer checks UTF-8; the byte check must see the cut-off last character.
    path = tmp_path / "cut.csv"
    path.write_bytes(b"email,name\na@b.com,Ann\nc@d.com,Bo\xc3")
    for read in (lambda: sniff(path), lambda: check_file(path, today=TODAY)):
        with pytest.raises(ContactsInputError, match="0xC3 is not UTF-8") as info:
            read()
        assert (info.value.row, info.value.column) == (3, 11)


def test_ragged_rows_in_another_encoding_are_named_even_when_no_row_is_left(
    tmp_path: Path,
) -> None:
    path = tmp_path / "latin.csv"
    path.write_bytes("email,name\na@b.com,Zoë,x\n".encode("latin-1"))
    with pytest.raises(ContactsInputError, match="3 fields, more than the header's 2"):
        check_file(path, encoding="latin-1", today=TODAY)


def test_old_mac_line_ends_are_read_in_chunks(tmp_path: Path) -> None:
    # Excel for Mac's "CSV (Macintosh)" still ends lines with CR alone.
    from linter.contacts.reader import Ragged, batches

    path = tmp_path / "mac.csv"
    rows = [b"email,consent"] + [b'u%d@example.com,"y\res"' % i for i in range(2000)]
    path.write_bytes(b"\r".join(rows) + b"\r")
    for dialect in (sniff(path), sniff(path, defer=True)):
        assert dialect.header == ("email", "consent") and dialect.line_ending == "\r"
        frames = list(batches(str(path), dialect, Ragged(), block_bytes=4096))
        assert len(frames) > 5 and sum(f.height for f in frames) == 2000
        assert frames[-1].row(-1) == ("u1999@example.com", "y\res")
    assert check_file(path, today=TODAY).counts_by_rule == {"DAT010": 2000, "DAT016": 2000}


@pytest.mark.parametrize(
    ("data", "where", "text"),
    [
        (b"email,cons\rent\nann@example.com,yes\n", (1, 11), "bare CR"),
        (b"\remail,consent\nann@example.com,yes\n", (1, 1), "bare CR"),
        (b"\nemail,consent\nann@example.com,yes\n", (1, 1), "row 1 is empty"),
    ],
)
def test_a_broken_first_line_is_named(
    tmp_path: Path, data: bytes, where: tuple[int, int], text: str
) -> None:
    # These once escaped as csv.Error or a polars error (exit 3) from check and split.
    path = tmp_path / "head.csv"
    path.write_bytes(data)
    for read in (lambda: sniff(path), lambda: check_file(path, today=TODAY)):
        with pytest.raises(ContactsInputError, match=text) as info:
            read()
        assert (info.value.row, info.value.column) == where


def test_mutated_files_are_read_or_named_never_crash(tmp_path: Path) -> None:
    # Seeded byte mutations of a small list (quotes, delimiters, line ends, NUL, stray UTF-8):
    # every one is either read, with rows in = clean + rejected, or refused by name.
    import random

    rng = random.Random(7)
    base = (FIX / "clean.csv").read_bytes() * 3
    pieces = [b'"', b",", b"\n", b"\r", b"\x00", b"\xc3", b"\xff", b";", b"\t", b"@", b"'"]
    for i in range(200):
        data = bytearray(base)
        for _ in range(rng.randint(1, 5)):
            at = rng.randrange(len(data) + 1)
            data[at : at + rng.randint(0, 2)] = rng.choice(pieces)
        if i % 5 == 0:
            data += rng.choice(pieces)  # the end of the file is where a cut-off character hides
        path = tmp_path / f"m{i}.csv"
        path.write_bytes(bytes(data))
        try:
            report = split_file(path, tmp_path / "c.csv", tmp_path / "r.csv", today=TODAY)
        except ContactsInputError:
            continue
        assert report.rows_in == report.rows_clean + report.rows_rejected, bytes(data)


def _values(tmp_path: Path, name: str, **options: str) -> list[list[str]]:
    clean = tmp_path / "clean.csv"
    split_file(FIX / name, clean, tmp_path / "rejected.csv", today=TODAY, **options)  # type: ignore[arg-type]
    with open(clean, newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh, delimiter=options.get("delimiter") or ","))


@pytest.mark.parametrize(
    ("name", "encoding", "value"),
    [
        ("cp1252.csv", "cp1252", "Zoë “Ann”"),
        ("latin1.csv", "latin-1", "José"),
        ("utf16-no-bom.csv", "utf-16-le", "Zoë"),
    ],
)
def test_explicit_encoding_decodes(tmp_path: Path, name: str, encoding: str, value: str) -> None:
    rows = _values(tmp_path, name, encoding=encoding)
    assert rows[1][1] == value


def test_bom_and_utf16_are_decoded(tmp_path: Path) -> None:
    assert sniff(FIX / "bom.csv").header == ("email", "consent")
    assert _values(tmp_path, "utf16.csv")[1][1] == "Zoë"
    assert "byte-order mark" in sniff(FIX / "utf16.csv").notes[0]


def test_delimiters_and_quotes() -> None:
    semi = sniff(FIX / "semicolon.csv")
    assert semi.delimiter == ";" and semi.header == ("email", "first_name", "consent")
    assert sniff(FIX / "tab.tsv").delimiter == "\t"
    assert sniff(FIX / "single-quote.csv").quote_char == "'"
    assert sniff(FIX / "ambiguous-delimiter.csv", delimiter=";").header == ("a", "b,c")


def test_semicolon_values_keep_commas(tmp_path: Path) -> None:
    clean = tmp_path / "c.csv"
    split_file(FIX / "semicolon.csv", clean, tmp_path / "r.csv", today=TODAY)
    assert "Ann, the first" in clean.read_text(encoding="utf-8")


def test_single_quoted_values(tmp_path: Path) -> None:
    rows = _values(tmp_path, "single-quote.csv")
    assert rows[1] == ["ann@example.com", "Ann, A.", "yes"]


def test_line_endings_and_quoted_newlines() -> None:
    mixed = sniff(FIX / "mixed-line-endings.csv")
    assert mixed.line_ending == "mixed" and "2 CRLF and 1 LF" in mixed.notes[0]
    assert check_file(FIX / "quoted-newline.csv", today=TODAY).rows_in == 2


@pytest.mark.parametrize("ending", ["\n", "\r\n", "\r"])
def test_a_line_break_inside_quotes_is_part_of_the_value(tmp_path: Path, ending: str) -> None:
    # CR, LF and CRLF within a quoted value are data, whatever ends the file's lines: a bare CR
    # in a file of LF lines is an error only outside quotes (there it would split a row).
    values = [("a@example.com", "\rAnn"), ("b@example.com", "B\nob"), ("c@example.com", "C\r\ny")]
    rows = ["email,first_name,consent"] + [f'{e},"{n}",yes' for e, n in values]
    path = tmp_path / "breaks.csv"
    path.write_bytes((ending.join(rows) + ending).encode())
    assert sniff(path).line_ending == ending
    # The deferred sniff only tells old-Mac files (cut at CR) from the rest (cut at LF).
    assert sniff(path, defer=True).line_ending == ("\r" if ending == "\r" else "\n")
    report = check_file(path, today=TODAY)
    assert report.rows_in == 3 and report.counts_by_rule == {"DAT012": 1}  # "\rAnn"
    split_file(path, tmp_path / "c.csv", tmp_path / "r.csv", today=TODAY)
    with open(tmp_path / "c.csv", newline="", encoding="utf-8") as clean:
        kept = [tuple(r[:2]) for r in list(csv.reader(clean))[1:]]
    with open(tmp_path / "r.csv", newline="", encoding="utf-8") as rejected:
        kept += [tuple(r[:2]) for r in list(csv.reader(rejected))[1:]]
    assert sorted(kept) == sorted(values)


def test_unknown_encoding_is_a_clear_error() -> None:
    with pytest.raises(ContactsInputError, match="unknown encoding 'utf-9'"):
        sniff(FIX / "clean.csv", encoding="utf-9")


def test_progress_is_quiet_in_ci_and_off_a_tty(monkeypatch: pytest.MonkeyPatch) -> None:
    class Tty:
        def isatty(self) -> bool:
            return True

    monkeypatch.setenv("CI", "true")
    assert not wanted(True, Tty())  # type: ignore[arg-type]
    monkeypatch.delenv("CI")
    assert wanted(True, Tty())  # type: ignore[arg-type]
    assert not wanted(False, Tty())  # type: ignore[arg-type]


def test_chunks_end_on_record_boundaries(tmp_path: Path) -> None:
    from linter.contacts.reader import Ragged, batches

    path = tmp_path / "multi.csv"
    rows = [["email", "notes"]] + [
        [f"u{i}@example.com", f'say "hi"\nline {i}, ok' if i % 3 else f"plain {i}"]
        for i in range(300)
    ]
    with open(path, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)
    frames = list(batches(str(path), sniff(path), Ragged(), block_bytes=97))
    assert len(frames) > 10
    got = [list(r) for f in frames for r in f.iter_rows()]
    assert got == rows[1:]


def test_the_reader_checks_every_byte_once_as_it_cuts(tmp_path: Path) -> None:
    from linter.contacts.bytecheck import ByteCheck
    from linter.contacts.reader import Buffers, record_chunks

    path = tmp_path / "quoted.csv"
    rows = [["email", "notes"]] + [
        [f"u{i}@example.com", f'a "quoted"\nvalue, {i}' if i % 4 else "plain"] for i in range(400)
    ]
    with open(path, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)
    data = path.read_bytes()
    for size in (61, 97, 256):
        check, buffers, chunks = ByteCheck(str(path), "utf-8", ","), Buffers(), []
        with open(path, "rb") as fh:
            for chunk in record_chunks(fh, b'"', size, check, buffers):
                chunks.append(bytes(chunk))
                buffers.put(chunk)  # reused for a later chunk: its old bytes must not leak
        assert b"".join(chunks) == data
        assert all(c.count(b'"') % 2 == 0 and c.endswith(b"\n") for c in chunks)
        assert check.quotes == data.count(b'"') and check.result() == ("\n", ())
    deferred = sniff(path, defer=True)
    assert not deferred.bytes_checked and sniff(path).bytes_checked


def test_an_unclosed_quote_is_named_before_the_rest_of_the_file_is_held(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # An open quote makes the rest of the file one "record"; past MAX_RECORD_BYTES the reader
    # checks the whole file in a pass of its own instead of reading on into memory.
    from linter.contacts import reader
    from linter.contacts.bytecheck import ByteCheck

    passes: list[int] = []
    whole_file = ByteCheck.whole_file

    def counted(self: ByteCheck) -> None:
        passes.append(len(passes))
        whole_file(self)

    monkeypatch.setattr(reader, "MAX_RECORD_BYTES", 4096)
    monkeypatch.setattr(ByteCheck, "whole_file", counted)
    path = tmp_path / "open.csv"
    rows = ["email,notes"] + [f"u{i}@example.com,fine" for i in range(20_000)]
    rows[300] = 'open@example.com,"never closed'
    path.write_text("\n".join(rows) + "\n")
    check = ByteCheck(str(path), "utf-8", ",")
    with pytest.raises(ContactsInputError, match="unclosed quote from 301:2") as info:
        for _ in reader.jobs(str(path), sniff(path, defer=True), block_bytes=1024, check=check):
            pass
    assert info.value.row == 301 and passes == [0]  # raised by the whole-file pass
    with pytest.raises(ContactsInputError, match="unclosed quote from 301:2"):
        check_file(path, today=TODAY)  # the same from the end of the file


def test_reading_a_deferred_dialect_alone_still_checks_the_bytes() -> None:
    from linter.contacts.reader import Ragged, batches

    dialect = sniff(FIX / "cp1252.csv", encoding="utf-8", defer=True)
    assert not dialect.bytes_checked
    with pytest.raises(ContactsInputError, match="byte 0xEB is not UTF-8"):
        list(batches(str(FIX / "cp1252.csv"), dialect, Ragged()))


def test_ragged_row_in_a_later_chunk_is_found(tmp_path: Path) -> None:
    path = tmp_path / "late.csv"
    lines = ["email,consent"] + [f"u{i}@example.com,yes" for i in range(5000)]
    lines[4321] = "broken@example.com"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(ContactsInputError) as info:
        check_file(path, today=TODAY)
    assert (info.value.row, info.value.column) == (4322, 2)


def test_ordered_map_keeps_order_raises_worker_errors_and_stops_early() -> None:
    import threading
    import time

    from linter.contacts.runner import ordered_map

    def slow_square(n: int) -> int:
        time.sleep(0.002 * (n % 3))  # later items often finish first
        return n * n

    assert list(ordered_map(slow_square, iter(range(50)))) == [n * n for n in range(50)]

    def failing(n: int) -> int:
        if n == 3:
            raise ValueError("bad chunk")
        return n

    got = []
    with pytest.raises(ValueError, match="bad chunk"):
        for item in ordered_map(failing, iter(range(10))):
            got.append(item)
    assert got == [0, 1, 2]  # in order, up to the failing item

    closed = threading.Event()
    started: list[int] = []

    def endless() -> object:
        try:
            n = 0
            while True:
                yield n
                n += 1
        finally:
            closed.set()

    stream = ordered_map(started.append, endless(), ahead=3)  # type: ignore[arg-type]
    next(stream)
    stream.close()  # the consumer stops: nothing more is drawn, the source is closed
    assert closed.is_set() and len(started) <= 4
    assert not any(t.name.startswith("presend-contacts") for t in threading.enumerate())


@pytest.mark.parametrize("name", ["unterminated.csv", "unterminated.tsv"])
def test_unclosed_quote_with_an_explicit_delimiter(name: str) -> None:
    delimiter = "\t" if name.endswith(".tsv") else ","
    with pytest.raises(ContactsInputError) as info:
        check_file(FIX / name, delimiter=delimiter, today=TODAY)
    assert (info.value.row, info.value.column) == (3, 2)  # not "row has 1 fields"
    assert "unclosed quote from 3:2" in str(info.value)


def test_unclosed_quote_after_the_sniffed_head_is_found(tmp_path: Path) -> None:
    path = tmp_path / "late.csv"
    rows = [f'p{i}@example.com,"Name {i}",GB,2024-01-05,yes' for i in range(2, 8002)]
    rows[7000] = 'late@example.com,GB,"open,2024-01-05,yes'  # row 7002, field 3
    path.write_text("email,first_name,country,signup_date,consent\n" + "\n".join(rows) + "\n")
    assert path.stat().st_size > 256 * 1024
    with pytest.raises(ContactsInputError) as info:
        check_file(path, today=TODAY)
    assert (info.value.row, info.value.column) == (7002, 3)
    assert "unclosed quote from 7002:3 (column 'country')" in str(info.value)


def test_quote_inside_an_unquoted_value_is_named(tmp_path: Path) -> None:
    path = tmp_path / "stray.csv"
    path.write_text('email,notes\na@example.com,"fine ""x"""\nb@example.com,5" screen\n')
    with pytest.raises(ContactsInputError) as info:
        check_file(path, today=TODAY)
    assert (info.value.row, info.value.column) == (3, 2)
    assert "unbalanced quote at 3:2 (column 'notes')" in str(info.value)


def test_balanced_quotes_still_parse(tmp_path: Path) -> None:
    path = tmp_path / "ok.csv"
    path.write_text('email,notes\na@example.com,"say ""hi""\nthere"\nb@example.com,plain\n')
    assert split_file(path, tmp_path / "c.csv", tmp_path / "r.csv", today=TODAY).rows_in == 2


def test_a_value_longer_than_a_chunk_is_read(tmp_path: Path) -> None:
    # pyarrow once failed with "straddling object straddles two block boundaries" at 1:1.
    path = tmp_path / "long.csv"
    long = "x" * (10 * 1024 * 1024)  # longer than an 8 MB record-aligned chunk
    path.write_text(f"email,notes\na@example.com,{long}\nb@example.com,short\n")
    rejected = tmp_path / "rejected.csv"  # the default schema wants consent: both rows
    report = split_file(path, tmp_path / "clean.csv", rejected, today=TODAY)
    assert (report.rows_in, report.rows_rejected) == (2, 2)
    csv.field_size_limit(1 << 30)
    with open(rejected, newline="", encoding="utf-8") as fh:
        assert [r[1] for r in csv.reader(fh)] == ["notes", long, "short"]


def test_a_header_alone_in_the_sniffed_head_decides_the_delimiter(tmp_path: Path) -> None:
    path = tmp_path / "long.tsv"
    path.write_text("email\tnotes\na@example.com\t" + "x" * 300_000 + "\n")
    assert sniff(path).delimiter == "\t"  # was ",": one column, the email column "missing"
    path.write_text("email;notes\na@example.com;" + "x" * 300_000 + "\n")
    assert sniff(path).header == ("email", "notes")


def test_a_too_long_value_in_another_encoding_names_its_row(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    text = "email,notes\na@example.com,short\nb@example.com," + "é" * (9 * 1024 * 1024) + "\n"
    path.write_bytes(text.encode("cp1252"))
    with pytest.raises(ContactsInputError) as info:
        check_file(path, encoding="cp1252", today=TODAY)
    assert (info.value.row, info.value.column) == (3, 1)
    assert "a value longer than 8 MB at row 3" in str(info.value)
    assert "save the file as UTF-8" in str(info.value)


def test_a_value_over_128_kib_in_a_ragged_file_is_sniffed_and_located(tmp_path: Path) -> None:
    # The csv module's 128 KiB field limit crashed the sniffer ("field larger than field limit").
    path = tmp_path / "wide.csv"
    path.write_text("email,notes\na@example.com," + "x" * 200_000 + "\nb@example.com\n")
    with pytest.raises(ContactsInputError) as info:
        check_file(path, today=TODAY)
    assert (info.value.row, info.value.column) == (3, 2)
    assert "row has 1 fields" in str(info.value)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_pipe_is_read_in_full_chunks(tmp_path: Path) -> None:
    # A regular file's last reads are bounded by what is left of it; a pipe has no size, so
    # its reads must stay full-size (small reads would make thousands of tiny batches).
    from linter.contacts.reader import record_chunks

    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    data = b"".join(b"u%d@example.com,yes\n" % i for i in range(60_000))
    writer = threading.Thread(target=lambda: pipe.write_bytes(data))
    writer.start()
    with open(pipe, "rb") as fh:
        chunks = [bytes(c) for c in record_chunks(fh, b'"', 256 * 1024)]
    writer.join()
    assert b"".join(chunks) == data
    assert all(len(c) > 250 * 1024 for c in chunks[:-1]) and len(chunks) == 6  # 5.2 x 256 KiB


def test_a_file_that_grows_while_read_is_read_on_in_full_chunks(tmp_path: Path) -> None:
    # Reads are bounded by the size the file had when opened; once it turns out longer (it
    # grew, or its size was wrong) the reader goes back to full reads, not 64 KiB probes.
    from linter.contacts.reader import record_chunks

    path = tmp_path / "growing.csv"
    row = b"u@example.com,yes\n"
    path.write_bytes(row * 20_000)  # 360 kB
    chunks = []
    with open(path, "rb") as fh:
        for chunk in record_chunks(fh, b'"', 256 * 1024):
            if not chunks:
                with open(path, "ab") as more:
                    more.write(row * 200_000)  # 3.6 MB more
            chunks.append(bytes(chunk))
    assert b"".join(chunks) == row * 220_000
    assert len(chunks) < 20  # 64 KiB reads would make ~60


def test_odd_but_readable_files_are_read(tmp_path: Path) -> None:
    # Found by fuzzing malformed files: each was refused, crashed or mis-read.
    utf16_header = codecs.BOM_UTF16_LE + "email,first_name,consent\n".encode("utf-16-le")
    cases = [
        (b"email,first_name,consent", {}, 0),  # a header alone, no line end
        (utf16_header, {}, 0),  # the head was cut inside the last 0A 00
        (b"\xef\xbb\xbfemail,consent\nann@example.com,yes\n", {"encoding": "utf-8"}, 1),
        (b"email,first_name,consent", {"encoding": "latin-1"}, 0),  # the transcoding reader
        (codecs.BOM_UTF16_LE + "email,first_name,consent".encode("utf-16-le"), {}, 0),
    ]
    for i, (data, options, rows) in enumerate(cases):
        path = tmp_path / f"odd{i}.csv"
        path.write_bytes(data)
        report = check_file(path, today=TODAY, **options)
        assert report.rows_in == rows and report.counts_by_rule == {}, data
        assert "email" in columns(path), data


@pytest.mark.parametrize(
    ("data", "options", "where", "text"),
    [
        ("email,consent\nann@example.com,yes\n".encode("utf-32"), {}, (1, 1), "UTF-32"),
        (b"email,consent\nann@example.com,yes\n", {"encoding": "utf-16"}, (1, 1), "BOM"),
        # A ragged row is placed by record (row 3), though its quoted value spans lines.
        (
            b'email,consent\na@x.com,yes\nb@x.com,"multi\nline",x\nc@x.com,yes\n',
            {},
            (3, 3),
            "3 fields",
        ),
    ],
)
def test_unreadable_files_are_named_not_crashed(
    tmp_path: Path, data: bytes, options: dict[str, str], where: tuple[int, int], text: str
) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(data)
    with pytest.raises(ContactsInputError, match=text) as info:
        check_file(path, today=TODAY, **options)
    assert (info.value.row, info.value.column) == where


def test_a_quote_inside_an_unquoted_value_never_splits_a_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The reader cuts chunks where the quotes before a line end pair up. A stray quote
    # (5" tall: read as a character) throws the count off, so a cut can land inside a later
    # quoted value; a chunk whose last value ends with a line break shows it. Wherever the
    # chunks are cut, the file is either read as the csv module reads it or refused at the
    # stray quote: never read as four rows.
    from linter.contacts import reader

    path = tmp_path / "stray.csv"
    refused = 0
    # The multi-line value plain, with a line that ends in an escaped quote, and starting with
    # the line break (the bytes before those cuts end in a quote that closes nothing).
    for value in (b'"multi\nline,x,y"', b'"he said ""hi""\nx,y,z"', b'"\nx,y,z"'):
        path.write_bytes(
            b'email,first_name,consent\nq@example.com,5" tall,yes\n'
            b"m@example.com,Ann," + value + b'\nr@example.com,6" wide,yes\n'
        )
        for size in range(30, 140, 1):
            monkeypatch.setitem(reader.jobs.__kwdefaults__, "block_bytes", size)
            try:
                assert check_file(path, today=TODAY).rows_in == 3, (value, size)
            except ContactsInputError as error:
                assert (error.row, error.column) == (2, 2) and "quote" in str(error), size
                refused += 1
    assert refused  # some cuts land inside the multi-line value


def test_utf16_files_get_the_same_checks(tmp_path: Path) -> None:
    # Read by pyarrow's transcoding reader, UTF-16 files once skipped the byte checks: an
    # open quote silently swallowed the rows after it.
    bom = codecs.BOM_UTF16_LE
    good = 'email,first_name\na@example.com,"Ann, A."\nb@example.com,"B""ob"\n'
    bad = 'email,first_name\na@example.com,"Ann\nb@example.com,Bob\nc@example.com,"Cat"\n'
    (tmp_path / "good.csv").write_bytes(bom + good.encode("utf-16-le"))
    (tmp_path / "bad.csv").write_bytes(bom + bad.encode("utf-16-le"))
    assert check_file(tmp_path / "good.csv", today=TODAY).rows_in == 2
    with pytest.raises(ContactsInputError, match="unclosed quote") as info:
        check_file(tmp_path / "bad.csv", today=TODAY)
    assert (info.value.path, info.value.row, info.value.column) == (str(tmp_path / "bad.csv"), 2, 2)


@pytest.mark.parametrize(
    ("data", "where"),
    [
        (
            b"email,first_name,consent\rann@example.com,A\x00nn,yes\rbob@example.com,Bob,yes\r",
            (2, 18),
        ),
        (
            b"email,first_name,consent\rann@example.com,Ann,yes\rbob@example.com,B\xe9b,yes\r",
            (3, 18),
        ),
        # an LF file whose first line end is a quoted CR (no line end either)
        (b'name,email,"no\rte"\na,a@x.com,x\nb,b@x.com,y\x00z\n', (3, 12)),
        # a quoted LF is no line end; a file that ends inside a UTF-8 character
        (b'email,name\rann@example.com,"A\nB"\rbob@example.com,Bob\rcat@x.com,C\x00at\r', (4, 12)),
        (b"email,name\rann@example.com,Ann\rbob@example.com,Bob\rcat@example.com,Cat\xc3", (4, 20)),
    ],
)
def test_byte_problems_in_old_mac_files_are_placed_by_their_cr_lines(
    tmp_path: Path, data: bytes, where: tuple[int, int]
) -> None:
    path = tmp_path / "mac.csv"
    path.write_bytes(data)
    for read in (lambda: sniff(path), lambda: check_file(path, today=TODAY)):
        with pytest.raises(ContactsInputError) as info:
            read()
        assert (info.value.row, info.value.column) == where


def test_a_wrong_encoding_given_is_placed_at_the_byte(tmp_path: Path) -> None:
    # The transcoding reader names an offset inside its block; the error names row and column.
    path = tmp_path / "utf8.csv"
    path.write_bytes(b"email,first_name,consent\nann@example.com,Ann \xe2\x80\x9dx,yes\n")
    with pytest.raises(ContactsInputError, match="0x9D cannot be read as cp1252") as info:
        check_file(path, today=TODAY, encoding="cp1252")
    assert info.value.row == 2


def test_values_that_end_with_a_line_break_are_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A last value that ends with a line break inside its quotes is whole: the quote scan such
    # chunks get finds nothing to refuse, wherever the cuts fall, also with a BOM and a quoted
    # header (both once made the scan refuse the file).
    from linter.contacts import reader

    rows = [f'u{i}@example.com,yes,"note {i}\nends with a break\n"' for i in range(60)]
    rows += ['v@example.com,yes,"\nstarts with one"', 'w@example.com,yes,"ends ""quoted""\n"']
    path = tmp_path / "breaks.csv"
    text = '"email","consent","notes"\n' + "\n".join(rows) + "\n"
    path.write_bytes(codecs.BOM_UTF8 + text.encode())
    for size in (200, 331, 4096):
        monkeypatch.setitem(reader.jobs.__kwdefaults__, "block_bytes", size)
        assert check_file(path, today=TODAY).rows_in == 62
