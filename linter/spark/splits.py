"""CSV files read by the check pass itself, in byte ranges, with pyarrow's file systems:
Spark hands each task a split descriptor (a file, a byte start and end), never a line.

A split owns the records that begin inside it, as Hadoop's line reader cuts text files: it
skips the partial record it starts in (unless it starts the file) and reads past its end to
finish its last record, so every record is read by exactly one split. Records end at line
ends; a quoted value holding a line break is an error here, as in the lines path
(`--multiline` reads those through Spark's CSV reader). Each file's first record is its
header: it must be the first file's, and is skipped.

Rows are numbered without a pass of their own: a row's place is (split, position in the
split), packed in one long (`place`) that sorts as the rows do; the driver turns places
into row numbers from per-split counts the check pass reports (`Numbering`).

Nothing here imports pyspark (executors import it); linter.spark.io plans the splits.
"""

from __future__ import annotations

import codecs
import csv
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from urllib.parse import unquote

import polars as pl
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.fs as pafs

from linter.contacts.bytecheck import first_end, line_of
from linter.contacts.reader import BLOCK_BYTES
from linter.contacts.sniff import read_head
from linter.limits import MAX_HEADER_BYTES, MAX_RECORD_BYTES
from linter.spark.batch import ROW, Plan, check_tables, read_text_csv

# A place: the split's index above PLACE_BITS, the row's position in the split below.
PLACE_BITS = 40
_POSITION = (1 << PLACE_BITS) - 1
_PROBE = 64 * 1024
# Schemes Spark knows by other names than pyarrow.
_SCHEMES = {"s3a": "s3", "s3n": "s3"}


class SplitInputError(ValueError):
    """A file that is not CSV as the check reads it; the message names the file and place.
    Its text is marked so the driver finds it in Spark's error (linter.spark.command)."""

    MARK = "PRESEND_INPUT_ERROR"

    def __init__(self, message: str) -> None:
        super().__init__(f"{self.MARK}[{message}]{self.MARK}")
        self.reason = message  # unmarked, for the driver's own errors


@dataclass(frozen=True, slots=True)
class Split:
    path: str  # as pyarrow opens it (see filesystem_path)
    start: int
    end: int


@dataclass(frozen=True)
class CsvSplits:
    """CSV files as byte ranges for the check pass to read (linter.spark.io.read_lines):
    the splits in file order, the first file's header fields and line (every file's first
    line must be it), the delimiter and the byte that ends a line (LF, or CR in old Mac
    files; CRLF ends at LF)."""

    splits: tuple[Split, ...]
    header: tuple[str, ...]
    header_line: str
    delimiter: str
    newline: bytes = b"\n"


def place(split: int, position: int) -> int:
    return (split << PLACE_BITS) | position


@dataclass(frozen=True)
class Numbering:
    """Row numbers of places, from the rows each split holds: split i's rows follow every
    row of splits 0..i-1 (row 1 is the header, so the first row is 2)."""

    bases: tuple[int, ...]

    @classmethod
    def of(cls, counts: dict[int, int], splits: int) -> Numbering:
        bases, row = [], 2
        for i in range(splits):
            bases.append(row)
            row += counts.get(i, 0)
        return cls(tuple(bases))

    def __call__(self, at: int) -> int:
        return self.bases[at >> PLACE_BITS] + (at & _POSITION)


def filesystem_path(uri: str) -> tuple[pafs.FileSystem, str]:
    """pyarrow's file system for a path Spark listed (file:, s3a:, gs:, abfss:, hdfs: ...)
    and the path in it; raises when pyarrow has none for it (or cannot reach it: no
    libhdfs, say). One file system per root (scheme and bucket, container or host) in a
    process: making one can cost a request (S3 looks up the bucket's region)."""
    if uri.startswith("file:") and not uri.startswith("file://"):
        uri = "file://" + uri.removeprefix("file:")  # Spark lists `file:/x` for local files
    scheme, sep, rest = uri.partition("://")
    if not sep:
        fs, path = pafs.FileSystem.from_uri(uri)  # a plain local path
        return fs, path
    authority, _, path = rest.partition("/")
    root = f"{_SCHEMES.get(scheme.lower(), scheme)}://{authority}/"
    if root not in _ROOTS:
        _ROOTS[root] = pafs.FileSystem.from_uri(root)
    fs, base = _ROOTS[root]
    return fs, f"{base.rstrip('/')}/{unquote(path)}"  # Spark's URIs are percent-encoded


_ROOTS: dict[str, tuple[pafs.FileSystem, str]] = {}


def file_sizes(uris: Sequence[str]) -> list[int]:
    """The files' sizes in bytes. Files that share a folder are sized by one listing of it:
    an object store answers a listing with every file's size, where asking file by file is
    a request each (thousands for a table of part files)."""
    located = [filesystem_path(u) for u in uris]
    shared: dict[tuple[int, str], list[str]] = {}
    for fs, path in located:
        shared.setdefault((id(fs), path.rpartition("/")[0]), []).append(path)
    listed: dict[tuple[int, str], dict[str, int]] = {}
    sizes = []
    for fs, path in located:
        key = (id(fs), path.rpartition("/")[0])
        if len(shared[key]) > 1 and key not in listed:
            infos = fs.get_file_info(pafs.FileSelector(key[1] or "/"))
            listed[key] = {i.path: i.size or 0 for i in infos}
        size = listed.get(key, {}).get(path)
        sizes.append(fs.get_file_info(path).size or 0 if size is None else size)
    return sizes


def plan_splits(files: Sequence[tuple[str, int]], max_bytes: int) -> tuple[Split, ...]:
    """Each (path, size) cut into splits of at most `max_bytes`, in file order."""
    splits = []
    for path, size in files:
        starts = range(0, size, max_bytes) if size else range(1)
        splits += [Split(path, s, min(s + max_bytes, size)) for s in starts]
    return tuple(splits)


def first_line(path: str) -> tuple[str, bytes] | None:
    """A file's first non-empty line (its header; a UTF-8 byte-order mark taken off) and the
    byte its lines end with; None for a file of no line. Read as the sniff reads a head
    (up to MAX_HEADER_BYTES): a file without line ends is refused, not read whole."""
    fs, at = filesystem_path(path)
    with fs.open_input_file(at) as fh:
        head = read_head(fh)
        whole = len(head) < MAX_HEADER_BYTES or not fh.read(1)
    text = head.removeprefix(codecs.BOM_UTF8).lstrip(b"\r\n")
    if not text:
        return None
    ends = [i for i in (text.find(b"\n"), text.find(b"\r")) if i >= 0]
    if not ends and not whole:
        raise SplitInputError(
            f"{shown(path)}: no line end in its first {MAX_HEADER_BYTES >> 20} MiB: not a CSV"
            " file of records, or a header line too long"
        )
    line = text[: min(ends)] if ends else text
    return line.decode("utf-8", errors="strict"), first_end(text)


def check_splits(
    batches: Iterable[pa.RecordBatch], plan: Plan, source: CsvSplits
) -> Iterator[pa.RecordBatch]:
    """The check pass (linter.spark.batch.check_tables) over the splits that `batches`
    describe (DESCRIPTOR columns: index, path, start, end; one split a task), each row's
    `ROW` its place. The descriptors come as data, not in `source`: a task ships only the
    format, whatever the number of splits."""

    def tables() -> Iterator[pa.Table]:
        for batch in batches:
            given = (batch.column(name).to_pylist() for name in DESCRIPTOR)
            for index, path, start, end in zip(*given, strict=True):
                yield from read_split(source, Split(path, start, end), index)

    return check_tables(tables(), plan)


# The columns of a split's descriptor, as Spark hands them to check_splits.
DESCRIPTOR = ("id", "path", "start", "end")


def read_split(
    source: CsvSplits, split: Split, index: int, chunk: int = BLOCK_BYTES
) -> Iterator[pa.Table]:
    """The records of `split` (the index-th) as tables of the header's text columns plus
    `ROW`, each row's place, about `chunk` bytes of the file at a time."""
    fs, path = filesystem_path(split.path)
    nl = source.newline
    with fs.open_input_file(path) as fh:
        size = fh.size()
        pos = split.start
        if pos > 0:  # the record this split starts in belongs to the one before
            pos = _after_newline(fh, split.path, pos - 1, size, nl)
        header = split.start == 0
        position = 0
        while pos < size and pos < split.end:
            # Up to `chunk` bytes, then on to the end of the record there; never past the
            # first record that starts at or after the split's end. One read takes the chunk
            # and a little more (usually enough to finish its last record); the chunk is
            # then parsed in place, not copied out.
            want = max(min(chunk, split.end - pos), 1)
            data: bytes = fh.read_at(min(want + _PROBE, size - pos), pos)
            stop = _after_newline(fh, split.path, pos + want - 1, size, nl, data, pos)
            if stop > pos + len(data):  # a record longer than the probe: read on
                data += fh.read_at(stop - pos - len(data), pos + len(data))
            begin, end = 0, stop - pos
            bom = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
            if header and _BLANK.fullmatch(data, bom, end) is None:  # the header is here
                begin = _skip_header(data, bom, end, source, split.path)
                header = False
            if not header and _BLANK.fullmatch(data, begin, end) is None:
                table = parse(data, begin, end, source, split.path, pos)
                first = place(index, position)
                ids = pl.int_range(first, first + table.num_rows, dtype=pl.Int64, eager=True)
                position += table.num_rows
                yield table.append_column(ROW, ids.to_arrow())
            pos = stop


_BLANK = re.compile(rb"[\r\n]*")


def _after_newline(
    fh: pa.NativeFile,
    path: str,
    at: int,
    size: int,
    nl: bytes,
    data: bytes = b"",
    data_at: int = 0,
) -> int:
    """The offset just past the first `nl` at or after `at` (the file's size if none). A
    line longer than MAX_RECORD_BYTES is refused: a file without line ends (or a binary
    file) would otherwise be read whole into one task."""
    i = data.find(nl, at - data_at) if data else -1
    if i >= 0:
        return data_at + i + 1
    start, at = at, max(at, data_at + len(data))
    while at < size:
        if at - start > MAX_RECORD_BYTES:
            raise SplitInputError(
                f"a line longer than {MAX_RECORD_BYTES >> 20} MiB at line"
                f" {_line_at(path, start, nl):,} (from byte {start:,} on) of {shown(path)}:"
                " not a CSV file of records, or a record too long"
            )
        block: bytes = fh.read_at(min(_PROBE, size - at), at)
        i = block.find(nl)
        if i >= 0:
            return at + i + 1
        at += len(block)
    return size


def _skip_header(data: bytes, bom: int, end: int, source: CsvSplits, path: str) -> int:
    """Where a file's records start in its first chunk (`data[:end]`): past a byte-order
    mark (`bom` bytes), blank lines and the header line, which must be the first file's."""
    begin = _BLANK.match(data, bom, end).end()  # type: ignore[union-attr]
    stop = data.find(source.newline, begin, end)
    stop = end if stop < 0 else stop
    line = data[begin:stop].rstrip(b"\r").decode("utf-8", errors="replace")
    if line != source.header_line:
        raise SplitInputError(f"{shown(path)}: its header differs from the first file's")
    return min(stop + 1, end)


def parse(data: bytes, begin: int, end: int, source: CsvSplits, path: str, at: int) -> pa.Table:
    """Records (`data[begin:end]`, whole lines of a file that `data` holds from byte `at`)
    as the header's columns, every value text, "" for an empty one, quoted or not, as
    presend's reader gives it. A record with too few or too many fields is an error, never
    padded, and so is a quoted value spanning lines (records are lines here) or left open at
    the end of the file."""
    nl = source.newline
    if data[end - len(nl) : end] != nl:  # the file's last line: an open quote then shows
        data, begin, end, at = data[begin:end] + nl, 0, end - begin + len(nl), at + begin
    buffer = pa.py_buffer(data).slice(begin, end - begin)
    try:
        table, bad = read_text_csv(buffer, source.header, source.delimiter, buffer.size + 1)
    except pa.ArrowInvalid as exc:
        if "UTF8" in str(exc) or "UTF-8" in str(exc):
            try:  # the first bad byte (pyarrow's message does not say where)
                data[begin:end].decode("utf-8")
                byte = at + begin
            except UnicodeDecodeError as undecodable:
                byte = at + begin + undecodable.start
            line = _line_at(path, byte, source.newline)
            raise SplitInputError(
                f"{shown(path)}: not UTF-8 text at line {line:,} (byte {byte:,})"
            ) from None
        raise
    # A quote left open takes the line end into its value: two lines in one record (fewer
    # rows than lines, unless blank lines explain it), or the chunk's last value.
    lines = data.count(b"\n", begin, end)  # lines as pyarrow ends them: LF, CRLF or CR
    if data.find(b"\r", begin, end) >= 0:
        lines += data.count(b"\r", begin, end) - data.count(b"\r\n", begin, end)
    joined = table.num_rows != lines and _spans_lines(table)
    last = table.column(table.num_columns - 1)
    if bad or joined or (table.num_rows and _breaks(last[-1].as_py())):
        _raise_malformed(data[begin:end], source, path, at + begin)
    return table


def _spans_lines(table: pa.Table) -> bool:
    """Whether a value holds a line break."""
    return any(
        pc.any(pc.match_substring_regex(column, "[\r\n]")).as_py() for column in table.columns
    )


def _breaks(value: str) -> bool:
    return "\n" in value or "\r" in value


def _raise_malformed(data: bytes, source: CsvSplits, path: str, at: int) -> None:
    """Name the first bad record by its byte offset in the file (slow path, on error)."""
    fields = len(source.header)
    for found in re.finditer(rb"([^\r\n]*)(?:\r\n|\r|\n)", data):  # lines as pyarrow ends them
        offset, text = found.start(), found.group(1).decode("utf-8", errors="replace")
        what = None
        if text.count('"') % 2 and not _parses(text, source.delimiter):
            what = "a quoted value runs past its line; --multiline reads quoted line breaks"
        elif text:
            got = len(next(csv.reader([text], delimiter=source.delimiter)))
            if got != fields:
                what = f"{got} field{'s' * (got != 1)}, not the header's {fields}"
        if what is not None:
            line = _line_at(path, at + offset, source.newline)
            raise SplitInputError(
                f"a malformed CSV record in {shown(path)} at line {line:,} (byte"
                f" {at + offset:,}): {what} [MALFORMED_RECORD]"
            )
    raise SplitInputError(
        f"a malformed CSV record in {shown(path)} after byte {at:,} [MALFORMED_RECORD]"
    )


def _line_at(path: str, offset: int, newline: bytes) -> int:
    """The line (from 1) of the file byte `offset` is on (error path only: a task knows its
    byte range, not how many lines the ranges before it hold)."""
    fs, at = filesystem_path(path)
    with fs.open_input_file(at) as fh:
        return line_of(fh, offset, newline)


def _parses(line: str, delimiter: str) -> bool:
    try:
        next(csv.reader([line], delimiter=delimiter, strict=True))
    except csv.Error:
        return False
    return True


def shown(path: str) -> str:
    """A path as the user gave it: a local file without Spark's `file:` prefix."""
    return path.removeprefix("file://") if path.startswith("file:///") else path
