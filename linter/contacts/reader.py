"""Stream a sniffed contact file as polars batches of text columns (pyarrow's CSV reader).

pyarrow rather than polars reads the file because it reports rows with too few or too many
fields; polars 2.1 pads short rows with empty values, which would silently mis-parse them.
"""

from __future__ import annotations

import codecs
import csv
import io
import queue
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import BinaryIO, TypeVar

import polars as pl
import pyarrow as pa
import pyarrow.csv as pacsv

from linter.contacts.sniff import ContactsInputError, Dialect, allow_long_fields

BLOCK_BYTES = 8 * 1024 * 1024
# pyarrow splits each chunk into blocks of this size to parse them on several threads.
PARSE_BLOCK = 1024 * 1024


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
    ragged: Ragged,
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
            # Chunks are parsed on the pipeline's own thread while the other stages keep the
            # cores busy: pyarrow's thread pool on top costs ~50 % more CPU for the same work.
            use_threads=chunk is None,
        ),
        "parse_options": pacsv.ParseOptions(
            delimiter=dialect.delimiter,
            quote_char=dialect.quote_char,
            newlines_in_values=True,
            invalid_row_handler=ragged.handle,
        ),
        "convert_options": pacsv.ConvertOptions(
            column_types={name: pa.string() for name in dialect.header},
            null_values=[""],
            strings_can_be_null=empty_is_null,
            quoted_strings_can_be_null=empty_is_null,
        ),
    }


def record_chunks(fh: BinaryIO, quote: bytes, size: int) -> Iterator[bytes | memoryview]:
    """Cut UTF-8 bytes into chunks that end on a record boundary.

    A newline ends a record only outside quotes, and in CSV a newline is outside quotes exactly
    when the number of quote characters before it is even ("" escapes come in pairs).
    """
    # Every chunk ends on a record boundary, so each new one starts outside quotes.
    pending = b""
    while True:
        block = fh.read(size)
        data = pending + block
        if not block:
            if data:
                yield data
            return
        cut = data.rfind(b"\n")
        quoted = quote in data  # memchr-fast; most chunks of most files need no counting
        while quoted and cut >= 0 and data.count(quote, 0, cut) % 2 == 1:
            cut = data.rfind(b"\n", 0, cut)  # that newline is inside a quoted value
        if cut < 0:
            pending = data  # one record longer than a block: read on
            continue
        pending = data[cut + 1 :]
        yield memoryview(data)[: cut + 1]  # no copy: pyarrow wraps the view


def batches(
    path: str,
    dialect: Dialect,
    ragged: Ragged,
    *,
    empty_is_null: bool = False,
    block_bytes: int = BLOCK_BYTES,
    progress: Callable[[int], None] | None = None,
) -> Iterator[pl.DataFrame]:
    """Yield DataFrames of String columns in file order.

    Empty cells are "" unless `empty_is_null`: then the parser itself makes them null, which
    saves the runner a pass over every column when "" is the schema's only missing value.
    UTF-8 files are cut into record-aligned chunks here and each is parsed on its own:
    pyarrow's streaming reader reads ahead through the whole file (seen: 146 MB buffered for a
    130 MB file), which would make memory grow with the file. Other encodings, rarer and
    smaller, use the streaming reader with its transcoding.
    """
    if codecs.lookup(dialect.encoding).name not in ("utf-8", "utf-8-sig"):
        try:
            with open(path, "rb") as raw:
                counter = CountingFile(raw)
                reader = pacsv.open_csv(
                    counter,
                    **_options(dialect, ragged, empty_is_null, dialect.encoding, block_bytes, None),
                )
                for record_batch in reader:
                    if progress is not None:
                        progress(counter.done)
                    yield from _frames_of(pa.Table.from_batches([record_batch]))
        except pa.ArrowInvalid as exc:
            if _straddles(exc):
                raise_long_value(path, dialect, block_bytes)
            raise
        return
    # validate.run pulls these on a worker thread (see prefetch), so parsing overlaps checking.
    for done, frame in _parsed(path, dialect, ragged, empty_is_null, block_bytes):
        if progress is not None:
            progress(done)
        if frame is not None:
            yield frame


def _parsed(
    path: str, dialect: Dialect, ragged: Ragged, empty_is_null: bool, block_bytes: int
) -> Iterator[tuple[int, pl.DataFrame | None]]:
    done = 0
    with open(path, "rb") as fh:
        for i, chunk in enumerate(record_chunks(fh, dialect.quote_char.encode(), block_bytes)):
            table = _parse_chunk(chunk, dialect, ragged, empty_is_null, i)
            done += len(chunk)
            frames = list(_frames_of(table))
            yield done, frames[0] if frames else None


def _straddles(exc: Exception) -> bool:
    # pyarrow cuts its input into blocks and cannot parse a record longer than one block.
    return "straddl" in str(exc)


def _parse_chunk(
    chunk: bytes | memoryview, dialect: Dialect, ragged: Ragged, empty_is_null: bool, i: int
) -> pa.Table:
    """Parse one record-aligned chunk, in PARSE_BLOCK blocks (several threads) when every
    record fits in one; a record longer than that (a multi-megabyte value) makes pyarrow fail
    with "straddling object", and the chunk is parsed again as one block."""
    buffer = pa.py_buffer(chunk)
    count, first = ragged.count, ragged.first_text
    try:
        return pacsv.read_csv(
            buffer, **_options(dialect, ragged, empty_is_null, "utf8", PARSE_BLOCK, i)
        )
    except pa.ArrowInvalid as exc:
        if not _straddles(exc):
            raise
    ragged.count, ragged.first_text = count, first  # the retry sees those rows again
    whole = len(chunk) + 1
    return pacsv.read_csv(buffer, **_options(dialect, ragged, empty_is_null, "utf8", whole, i))


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


_T = TypeVar("_T")
_END = object()


def prefetch(items: Iterator[_T], depth: int = 1) -> Iterator[_T]:
    """Run `items` on a worker thread, at most `depth` items ahead of the consumer.

    An exception in the worker is re-raised here; closing this generator early (the consumer
    failed or stopped) stops the worker before its next item.
    """
    ready: queue.Queue[object] = queue.Queue(maxsize=depth)
    stop = threading.Event()
    failure: list[BaseException] = []

    def put(item: object) -> bool:
        while not stop.is_set():
            try:
                ready.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def work() -> None:
        try:
            for item in items:
                if not put(item):
                    return
        except BaseException as exc:  # handed to the consumer
            failure.append(exc)
        finally:
            close = getattr(items, "close", None)
            if close is not None:
                close()  # release the file now, also when the consumer stopped early
            put(_END)

    worker = threading.Thread(target=work, name="presend-csv-prefetch", daemon=True)
    worker.start()
    try:
        while True:
            item = ready.get()
            if item is _END:
                break
            yield item  # type: ignore[misc]
        if failure:
            raise failure[0]
    finally:
        stop.set()
        worker.join()


def _frames_of(table: pa.Table) -> Iterator[pl.DataFrame]:
    if table.num_rows:
        frame = pl.from_arrow(table)
        assert isinstance(frame, pl.DataFrame)
        yield frame


def raise_ragged(path: str, dialect: Dialect, ragged: Ragged) -> None:
    """Locate the first ragged row exactly (slow path, only on error) and raise."""
    expected = len(dialect.header)
    allow_long_fields()
    with open(path, encoding=dialect.encoding, newline="") as fh:
        reader = csv.reader(fh, delimiter=dialect.delimiter, quotechar=dialect.quote_char)
        for record in reader:
            if len(record) != expected and record:
                got = len(record)
                line = reader.line_num
                column = expected + 1 if got > expected else got + 1
                what = "more" if got > expected else "fewer"
                raise ContactsInputError(
                    path,
                    line,
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
