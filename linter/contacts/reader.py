"""Stream a sniffed contact file as polars batches of text columns (pyarrow's CSV reader).

pyarrow rather than polars reads the file because it reports rows with too few or too many
fields; polars 2.1 pads short rows with empty values, which would silently mis-parse them.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import polars as pl
import pyarrow as pa
import pyarrow.csv as pacsv

from linter.contacts.sniff import ContactsInputError, Dialect

BLOCK_BYTES = 16 * 1024 * 1024


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


def _arrow_encoding(encoding: str) -> str:
    # pyarrow decodes UTF-8 natively (and skips a BOM); other codecs go through Python.
    name = codecs.lookup(encoding).name
    return "utf8" if name in ("utf-8", "utf-8-sig") else encoding


def batches(source: str | Path | BinaryIO, dialect: Dialect, ragged: Ragged,
            block_bytes: int = BLOCK_BYTES, empty_is_null: bool = False
            ) -> Iterator[pl.DataFrame]:
    """Yield DataFrames of String columns in file order.

    Empty cells are "" unless `empty_is_null`: then the parser itself makes them null, which
    saves the runner a pass over every column when "" is the schema's only missing value.
    """
    reader = pacsv.open_csv(
        source,
        read_options=pacsv.ReadOptions(encoding=_arrow_encoding(dialect.encoding),
                                       block_size=block_bytes),
        parse_options=pacsv.ParseOptions(delimiter=dialect.delimiter,
                                         quote_char=dialect.quote_char,
                                         newlines_in_values=True,
                                         invalid_row_handler=ragged.handle),
        convert_options=pacsv.ConvertOptions(
            column_types={name: pa.string() for name in dialect.header},
            null_values=[""], strings_can_be_null=empty_is_null,
            quoted_strings_can_be_null=empty_is_null),
    )
    for record_batch in reader:
        if record_batch.num_rows:
            frame = pl.from_arrow(record_batch)
            assert isinstance(frame, pl.DataFrame)
            yield frame


def raise_ragged(path: str, dialect: Dialect, ragged: Ragged) -> None:
    """Locate the first ragged row exactly (slow path, only on error) and raise."""
    expected = len(dialect.header)
    with open(path, encoding=dialect.encoding, newline="") as fh:
        reader = csv.reader(fh, delimiter=dialect.delimiter, quotechar=dialect.quote_char)
        for record in reader:
            if len(record) != expected and record:
                got = len(record)
                line = reader.line_num
                column = expected + 1 if got > expected else got + 1
                what = "more" if got > expected else "fewer"
                raise ContactsInputError(
                    path, line, column,
                    f"row has {got} fields, {what} than the header's {expected}; "
                    f"{ragged.count:,} such rows in the file",
                    "quote values that contain the delimiter, or fix the export")
    raise ContactsInputError(path, 1, 1, f"{ragged.count:,} rows have the wrong number of fields "
                             f"(first: {ragged.first_text[:60]!r})")
