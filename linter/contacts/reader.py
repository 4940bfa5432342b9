"""Stream a sniffed contact file as polars batches of text columns (pyarrow's CSV reader).

pyarrow rather than polars reads the file because it reports rows with too few or too many
fields; polars 2.1 pads short rows with empty values, which would silently mis-parse them.
Reading needs polars only to hand the rows over (`Read.parsed`), so `HeadStart` can cut and
parse a file's first chunks while polars is still being imported.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import stat
import threading
from collections import deque
from collections.abc import Callable, Generator, Iterator
from concurrent.futures import Future
from dataclasses import dataclass, field
from functools import partial
from itertools import islice
from queue import SimpleQueue
from types import ModuleType
from typing import TYPE_CHECKING, BinaryIO

import pyarrow as pa
import pyarrow.csv as pacsv

from linter.contacts.bytecheck import ByteCheck, check_chunk_quotes
from linter.contacts.dialect import ContactsInputError, Dialect, allow_long_fields
from linter.limits import MAX_RECORD_BYTES

if TYPE_CHECKING:
    import polars as pl

_MIB = 1024 * 1024
BLOCK_BYTES = 8 * _MIB
_PROBE = 64 * 1024  # the read that expects the end of the file (it may have grown)


@dataclass
class Ragged:
    """Rows whose field count differs from the header; collected, then reported as one error."""

    count: int = 0
    first_text: str = field(default="")

    def handle(self, row: pacsv.InvalidRow) -> str:
        self.count += 1
        if self.count == 1:
            self.first_text = row.text or ""
        return "skip"

    def add(self, later: Ragged) -> None:
        """Count the rows of a later chunk in."""
        if later.count and not self.count:
            self.first_text = later.first_text
        self.count += later.count


@dataclass(frozen=True, slots=True)
class Parsed:
    """One parsed chunk: its rows (None if it held none), the rows pyarrow found ragged in it,
    and how many bytes of the file are read up to its end (for the progress bar)."""

    frame: pl.DataFrame | None
    ragged: Ragged
    done: int


# A parse job: parses one chunk when called, on whichever thread calls it.
Job = Callable[[], Parsed]


@dataclass(frozen=True, slots=True)
class Read:
    """One chunk as pyarrow parsed it, before its rows go to polars (`parsed`)."""

    table: pa.Table
    ragged: Ragged
    done: int

    def parsed(self) -> Parsed:
        return Parsed(_frame_of(self.table), self.ragged, self.done)


@dataclass(frozen=True, slots=True)
class ChunkJob:
    """The job of one record-aligned chunk of a UTF-8 file (see `jobs`): `read()` is pyarrow's
    part, which needs no polars; calling the job gives the rows in polars."""

    path: str
    chunk: memoryview
    dialect: Dialect
    empty_is_null: bool
    index: int
    done: int
    buffers: Buffers

    def read(self) -> Read:
        ragged = Ragged()
        table = _parse_chunk(self.chunk, self.dialect, ragged, self.empty_is_null, self.index)
        if table.num_rows:  # cut inside quotes?
            last = table.column(table.num_columns - 1)[table.num_rows - 1].as_py()
            check_chunk_quotes(self.path, self.dialect, self.chunk, last)
        self.buffers.put(self.chunk)  # parsed: pyarrow copied what it read
        return Read(table, ragged, self.done)

    def __call__(self) -> Parsed:
        return self.read().parsed()


class CountingFile(io.RawIOBase):
    """Wraps a binary file and counts bytes read, for the progress bar."""

    def __init__(self, raw: BinaryIO) -> None:
        self.raw, self.done = raw, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        n = self.raw.readinto(buffer)  # type: ignore[attr-defined]
        self.done += n or 0
        return int(n or 0)


def _options(
    dialect: Dialect,
    on_invalid: Callable[[pacsv.InvalidRow], str],
    empty_is_null: bool,
    encoding: str,
    block_bytes: int,
    chunk: int | None,
) -> dict[str, object]:
    """pyarrow options; `chunk` is the chunk number when we cut the file (names given, the
    header line skipped in chunk 0), None when pyarrow reads the header itself."""
    return {
        "read_options": pacsv.ReadOptions(
            encoding=encoding,
            block_size=block_bytes,
            column_names=None if chunk is None else list(dialect.header),
            skip_rows=1 if chunk == 0 else 0,
            # Chunks are parsed on the runner's worker threads, which keep the cores busy:
            # pyarrow's thread pool on top costs ~50 % more CPU for the same work.
            use_threads=chunk is None,
        ),
        "parse_options": pacsv.ParseOptions(
            delimiter=dialect.delimiter,
            quote_char=dialect.quote_char,
            newlines_in_values=True,
            invalid_row_handler=on_invalid,
        ),
        "convert_options": pacsv.ConvertOptions(
            column_types={name: pa.string() for name in dialect.header},
            null_values=[""],
            strings_can_be_null=empty_is_null,
            quoted_strings_can_be_null=empty_is_null,
            # The text is valid UTF-8 already: a UTF-8 file's bytes are checked before they
            # are parsed (by sniff() or the reader's ByteCheck, see jobs), other encodings are
            # transcoded by pyarrow. Checking again cost ~15 % of the parse.
            check_utf8=False,
        ),
    }


_POLARS: list[ModuleType] = []  # polars, once the runner has loaded it (count_in_polars)


def count_in_polars() -> None:
    """Count a chunk's quotes in polars from now on: ~0.15 ms per 8 MB against bytes.count's
    ~2.6 ms, with the GIL released, on the thread that feeds the workers. The runner calls
    this once polars is loaded; a head start cuts its first chunks before, in Python."""
    import polars

    _POLARS[:] = [polars]


def _count(data: bytearray, byte: bytes, end: int) -> int:
    """`data.count(byte, 0, end)`."""
    if not _POLARS or end < _MIB:
        return data.count(byte, 0, end)
    pl = _POLARS[0]
    view = pa.Array.from_buffers(pa.uint8(), end, [None, pa.py_buffer(data)])  # no copy
    return int((pl.from_arrow(view) == byte[0]).sum())


class Buffers:
    """Chunk buffers, reused once a chunk is parsed (pyarrow copies what it reads): a fresh
    8 MB bytearray costs a zero-fill and page faults on the thread that feeds the workers,
    with the GIL held. The reader takes buffers, the workers give them back (deque append and
    pop are thread-safe)."""

    def __init__(self) -> None:
        self._free: deque[bytearray] = deque()

    def get(self, size: int) -> bytearray:
        """A buffer of at least `size` bytes; sizes are rounded up to whole MiB, so a chunk
        plus a slightly longer carried-over record still fits a used one."""
        while self._free:
            buffer = self._free.pop()
            if len(buffer) >= size:
                return buffer
        return bytearray(-(-size // _MIB) * _MIB)

    def put(self, chunk: memoryview) -> None:
        """Give back the buffer under a chunk whose rows are parsed."""
        if isinstance(chunk.obj, bytearray):
            self._free.append(chunk.obj)


def record_chunks(
    fh: io.BufferedReader,
    quote: bytes,
    size: int,
    check: ByteCheck | None = None,
    buffers: Buffers | None = None,
    newline: bytes = b"\n",
) -> Iterator[memoryview]:
    """Cut UTF-8 bytes into chunks that end on a record boundary; `check` (if any) is fed
    every chunk before it is handed on, so a byte problem stops the run before its rows.
    A chunk is a view of a buffer from `buffers`, for the consumer to give back.

    A newline (`newline`: CR in old-Mac files) ends a record only outside quotes, and in CSV a
    newline is outside quotes exactly when the number of quote characters before it is even
    ("" escapes come in pairs). Every chunk ends on a record boundary, so each starts outside
    quotes: only the parity of the quotes in the chunk before its last newline matters (that
    count is handed to `check`).
    """
    buffers = buffers or Buffers()
    pending = b""
    verified = False
    info = os.fstat(fh.fileno())
    sized = stat.S_ISREG(info.st_mode)  # a pipe or device has no size to go by
    while True:
        # What is left of the file bounds the read, so the last chunk and the read that finds
        # the end take small buffers, not fresh `size` ones (a zero-fill and page faults).
        left = info.st_size - fh.tell() if sized else size
        want = min(size, left) if left > 0 else min(size, _PROBE)
        data = buffers.get(len(pending) + want)  # one copy from the file, none to join
        data[: len(pending)] = pending
        got = fh.readinto(memoryview(data)[len(pending) : len(pending) + want])
        if got and left <= 0:
            sized = False  # longer than its size said (it grew): full reads from here on
        used = len(pending) + got  # data past `used` is a reused buffer's old bytes
        if not got:
            if check is not None:
                check.feed(data, used)
                check.end_of_file()  # before the last rows are parsed
            if used:
                # The last record has no line end. pyarrow reads it all the same, except a
                # header alone, which it cannot skip: end it, after the byte checks saw it.
                if data[used - 1] not in b"\r\n":
                    if used == len(data):  # a full buffer (it may be exported: no resize)
                        data = bytearray(data[:used] + newline)
                    else:
                        data[used] = newline[0]
                    used += 1
                yield memoryview(data)[:used]
            return
        cut = data.rfind(newline, 0, used)
        quotes = 0
        if data.find(quote, 0, used) >= 0:  # memchr-fast; most chunks need no counting
            quotes = _count(data, quote, max(cut, 0))
            while quotes % 2 and cut >= 0:  # that newline is inside a quoted value: step back
                before = data.rfind(newline, 0, cut)
                quotes -= data.count(quote, max(before, 0), cut)
                cut = before
        if cut < 0:
            pending = bytes(data[:used])  # one record longer than a block: read on
            buffers.put(memoryview(data))
            if check is not None and not verified and len(pending) > MAX_RECORD_BYTES:
                # Most likely a quote that never closes, which would make the rest of the
                # file one "record": a whole pass names it before the file is held in memory.
                check.whole_file()
                verified = True
            continue
        pending = bytes(data[cut + 1 : used])
        if check is not None:
            check.feed(data, cut + 1, quotes if quote == b'"' else None)  # it counts '"'
        yield memoryview(data)[: cut + 1]  # no copy: pyarrow wraps the view


def byte_check(path: str, dialect: Dialect) -> ByteCheck | None:
    """The check of a file's bytes as the reader cuts them, when the sniff left them to it
    (sniff(defer=True)), else None."""
    return None if dialect.bytes_checked else ByteCheck(path, dialect.encoding, dialect.delimiter)


def jobs(
    path: str,
    dialect: Dialect,
    *,
    empty_is_null: bool = False,
    block_bytes: int = BLOCK_BYTES,
    check: ByteCheck | None = None,
) -> Generator[Job]:
    """Parse jobs for the file's rows, in file order, as String columns.

    Empty cells are "" unless `empty_is_null`: then the parser itself makes them null, which
    saves the runner a pass over every column when "" is the schema's only missing value.
    Drawing the next job reads the file on the calling thread (cheap) and feeds its bytes to
    `check` (see record_chunks); the job parses.

    UTF-8 files are cut into record-aligned chunks here, each parsed on its own by its job, so
    several can be parsed at once: pyarrow's streaming reader reads ahead through the whole
    file (seen: 146 MB buffered for a 130 MB file), which would make memory grow with the
    file. Other encodings, rarer and smaller, use the streaming reader with its transcoding:
    drawing a job parses, the job hands the result over.
    """
    if codecs.lookup(dialect.encoding).name in ("utf-8", "utf-8-sig"):
        # pyarrow does not check UTF-8 (see _options): bytes the sniff left unchecked are
        # checked here, by the caller's ByteCheck or, failing one, by our own.
        own = None
        if check is None:
            check = own = byte_check(path, dialect)
        done = 0
        with open(path, "rb") as fh:
            quote = dialect.quote_char.encode()
            buffers = Buffers()
            newline = b"\r" if dialect.line_ending == "\r" else b"\n"
            chunks = record_chunks(fh, quote, block_bytes, check, buffers, newline)
            for i, chunk in enumerate(chunks):
                done += len(chunk)
                yield ChunkJob(path, chunk, dialect, empty_is_null, i, done, buffers)
        if own is not None:
            own.result()
        return
    if _header_alone(path, dialect.encoding):
        return  # pyarrow's reader cannot read a header without a line end: no rows
    ragged = [Ragged()]  # the handler counts into the newest; each batch takes its own
    try:
        with open(path, "rb") as raw:
            counter = CountingFile(raw)
            options = _options(
                dialect,
                lambda row: ragged[-1].handle(row),
                empty_is_null,
                dialect.encoding,
                block_bytes,
                None,
            )
            for record_batch in pacsv.open_csv(counter, **options):
                frame = _frame_of(pa.Table.from_batches([record_batch]))
                yield partial(Parsed, frame, ragged[-1], counter.done)
                ragged.append(Ragged())
            if ragged[-1].count:  # ragged rows after the last batch (or in a file of no batch)
                yield partial(Parsed, None, ragged[-1], counter.done)
    except pa.ArrowInvalid as exc:
        if _straddles(exc):
            raise_long_value(path, dialect, block_bytes)
        raise


def _header_alone(path: str, encoding: str) -> bool:
    """Whether the file is one line without a line end (its header, as sniffed)."""
    with open(path, "rb") as fh:
        head = fh.read(_PROBE + 1)
    if len(head) > _PROBE:
        return False
    text = head.decode(encoding, errors="replace")
    return "\n" not in text and "\r" not in text


class HeadStart:
    """A UTF-8 file's first chunks cut, byte-checked and parsed by pyarrow on a thread of
    their own, started before polars is imported: that import holds the GIL for ~0.1 s of a
    run's start-up, and pyarrow's parse, which releases it, can use the other core meanwhile.

    `jobs()` hands over each of those chunks as soon as it is cut (a job that waits for its
    parse, then moves the rows to polars), then the rest of the file as `jobs` cuts it, and
    what went wrong in the head start where it would have been raised: a byte problem when
    its chunk is drawn, a parse error when its job runs. The caller guesses how the schema
    reads empty cells (`empty_is_null`; "" is the only missing value of most schemas); a
    run with another schema closes this one unused."""

    def __init__(
        self, path: str, dialect: Dialect, *, empty_is_null: bool = True, chunks: int = 2
    ) -> None:
        self.path, self.dialect, self.empty_is_null = path, dialect, empty_is_null
        self.check = byte_check(path, dialect)
        self._todo = jobs(path, dialect, empty_is_null=empty_is_null, check=self.check)
        self._ready: SimpleQueue[Job | None] = SimpleQueue()  # None: no more
        self._failed: BaseException | None = None
        self._thread = threading.Thread(target=self._start, args=(chunks,), name="presend-head")
        self._thread.start()

    def _start(self, chunks: int) -> None:
        try:
            for job in islice(self._todo, chunks):
                assert isinstance(job, ChunkJob)  # head_start reads UTF-8 files only
                read: Future[Read] = Future()
                self._ready.put(partial(_handed_over, read))
                try:
                    read.set_result(job.read())
                except Exception as exc:  # raised when its job runs, as it would have been
                    read.set_exception(exc)
                    break
        except BaseException as exc:  # raised when the chunk is drawn
            self._failed = exc
        finally:
            self._ready.put(None)

    def jobs(self) -> Generator[Job]:
        # Closed early (the runner stopped on an error), the head thread may still be
        # cutting: close() waits for it before closing the generator (and the file) it runs.
        try:
            while (job := self._ready.get()) is not None:
                yield job
            self._thread.join()  # done with the file: this thread reads on
            if self._failed is not None:
                raise self._failed
            yield from self._todo
        finally:
            self.close()

    def close(self) -> None:
        """Stop (after the chunk under way) and close the file; `jobs()` closes it too."""
        self._thread.join()
        self._todo.close()


def head_start(path: str, dialect: Dialect) -> HeadStart | None:
    """Start reading a UTF-8 file's first chunks (HeadStart); None for other encodings, which
    pyarrow's streaming reader transcodes as it reads them."""
    if codecs.lookup(dialect.encoding).name not in ("utf-8", "utf-8-sig"):
        return None
    return HeadStart(path, dialect)


def _handed_over(read: Future[Read]) -> Parsed:
    return read.result().parsed()


def batches(
    path: str, dialect: Dialect, ragged: Ragged, *, block_bytes: int = BLOCK_BYTES
) -> Iterator[pl.DataFrame]:
    """The file's rows as DataFrames, parsed one after the other on this thread."""
    for job in jobs(path, dialect, block_bytes=block_bytes):
        parsed = job()
        ragged.add(parsed.ragged)
        if parsed.frame is not None:
            yield parsed.frame


def _straddles(exc: Exception) -> bool:
    # pyarrow cuts its input into blocks and cannot parse a record longer than one block.
    return "straddl" in str(exc)


def _parse_chunk(
    chunk: bytes | memoryview, dialect: Dialect, ragged: Ragged, empty_is_null: bool, i: int
) -> pa.Table:
    """Parse one record-aligned chunk as a single block: a record of any length fits (pyarrow
    cannot parse a record that straddles two blocks), and each column comes out as one
    array, which the checks then read faster than eight 1 MB pieces."""
    whole = len(chunk) + 1
    return pacsv.read_csv(
        pa.py_buffer(chunk), **_options(dialect, ragged.handle, empty_is_null, "utf8", whole, i)
    )


def raise_long_value(path: str, dialect: Dialect, block_bytes: int) -> None:
    """Name the first row holding a record longer than pyarrow's block (slow path, on error).
    Only files in other encodings than UTF-8 get here: they stream through pyarrow's reader,
    whose block size is fixed before the long row is seen."""
    limit = block_bytes // (1024 * 1024)
    allow_long_fields()
    with open(path, encoding=dialect.encoding, newline="") as fh:
        reader = csv.reader(fh, delimiter=dialect.delimiter, quotechar=dialect.quote_char)
        start = 1
        for record in reader:
            if sum(len(v.encode()) + 1 for v in record) >= block_bytes:
                raise ContactsInputError(
                    path,
                    start,
                    1,
                    f"a value longer than {limit} MB at row {start}: too long to read in "
                    f"{dialect.encoding}",
                    "save the file as UTF-8 (long values are read from UTF-8 files) "
                    "or shorten the value",
                )
            start = reader.line_num + 1
    raise ContactsInputError(
        path, 1, 1, f"a row is longer than {limit} MB", "save the file as UTF-8"
    )


def _frame_of(table: pa.Table) -> pl.DataFrame | None:
    if not table.num_rows:
        return None
    import polars as pl  # loaded by then (the runner imports it): not at start-up

    frame = pl.from_arrow(table)
    assert isinstance(frame, pl.DataFrame)
    return frame


def raise_ragged(path: str, dialect: Dialect, ragged: Ragged) -> None:
    """Locate the first ragged row exactly (slow path, only on error) and raise."""
    expected = len(dialect.header)
    allow_long_fields()
    with open(path, encoding=dialect.encoding, newline="") as fh:
        reader = csv.reader(fh, delimiter=dialect.delimiter, quotechar=dialect.quote_char)
        # Rows count records, as in findings: the header is row 1, blank lines are skipped.
        for row, record in enumerate((r for r in reader if r), start=1):
            if len(record) != expected:
                got = len(record)
                column = expected + 1 if got > expected else got + 1
                what = "more" if got > expected else "fewer"
                raise ContactsInputError(
                    path,
                    row,
                    column,
                    f"row has {got} fields, {what} than the header's {expected}; "
                    f"{ragged.count:,} such rows in the file",
                    "quote values that contain the delimiter, or fix the export",
                )
    raise ContactsInputError(
        path,
        1,
        1,
        f"{ragged.count:,} rows have the wrong number of fields "
        f"(first: {ragged.first_text[:60]!r})",
    )
