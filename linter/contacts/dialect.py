"""What the bytes stage hands on: how to read a file (Dialect), or why it cannot be read
(ContactsInputError, naming file:row:col)."""

from __future__ import annotations

import csv
from dataclasses import dataclass


class ContactsInputError(Exception):
    """The file cannot be read as the contact table it claims to be; names file:row:col."""

    def __init__(self, path: str, row: int, column: int, message: str, hint: str = "") -> None:
        self.path, self.row, self.column, self.hint = path, row, column, hint
        self.message = message
        text = f"{path}:{row}:{column}: {message}"
        super().__init__(f"{text} (hint: {hint})" if hint else text)


@dataclass(frozen=True, slots=True)
class Dialect:
    """How to read the file. `encoding` is a Python codec name (pyarrow accepts the same)."""

    encoding: str
    delimiter: str
    quote_char: str
    header: tuple[str, ...]
    line_ending: str
    notes: tuple[str, ...] = ()
    # True once every byte was checked (sniff() does it, unless defer=True on a UTF-8 file:
    # then the reader checks each chunk as it cuts the file, ByteCheck, and the file is read
    # once). A dialect built by hand is unchecked, so the reader checks it.
    bytes_checked: bool = False


def allow_long_fields() -> None:
    """Let the csv module read values of any realistic size (its default limit is 128 KiB);
    used on the slow paths that locate an error in a file pyarrow has read."""
    if csv.field_size_limit() < 1 << 30:
        csv.field_size_limit(1 << 30)
