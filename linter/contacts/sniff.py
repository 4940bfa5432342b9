"""Sniff a contact file's bytes before parsing: encoding, delimiter, quoting, header, line ends.

Every problem either has an explicit way out (`encoding=`, `delimiter=`) or raises
ContactsInputError naming file:row:col, so a file is never silently mis-parsed.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import replace
from pathlib import Path
from typing import BinaryIO

from linter.contacts.bytecheck import (
    DELIMITERS,
    HEAD_BYTES,
    ByteCheck,
    check_as_utf8,
    unquoted,
)
from linter.contacts.dialect import ContactsInputError, Dialect, allow_long_fields
from linter.encodings import problem, text_encoding, utf16_by_nuls
from linter.limits import MAX_HEADER_BYTES

_LOOKS_LIKE_DATA = re.compile(r"^\s*(?:[^@\s]+@[^@\s]+\.[^@\s]+|[+\-]?[\d .()/:+-]+)\s*$")


def read_head(fh: BinaryIO) -> bytes:
    """The file's first HEAD_BYTES, extended until they hold the whole header line and as
    much again of rows to sniff (up to MAX_HEADER_BYTES): a header wider than the window
    was cut in it, and its missing columns made every row look ragged."""
    head = fh.read(HEAD_BYTES)
    while len(head) < MAX_HEADER_BYTES:
        ends = [i for i in (head.find(b"\n"), head.find(b"\r")) if i >= 0]
        if ends and min(ends) + HEAD_BYTES // 2 <= len(head):
            break
        more = fh.read(HEAD_BYTES)
        if not more:
            break
        head += more
    return head


def _detect_encoding(path: str, head: bytes, encoding: str | None) -> tuple[str, list[str]]:
    if encoding:
        given = text_encoding(encoding)
        if given is None:  # checked before anything is read
            raise ContactsInputError(path, 1, 1, problem(encoding) or "", "check --encoding")
        if given == "utf-8" and head.startswith(codecs.BOM_UTF8):
            # Excel writes UTF-8 with a BOM; read as plain utf-8 it would prefix the header.
            return "utf-8-sig", ["decoded as utf-8 (given), byte-order mark skipped"]
        return encoding, [f"decoded as {encoding} (given)"]
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", ["UTF-8 byte-order mark skipped"]
    if head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):  # before UTF-16: FF FE 00 00
        raise ContactsInputError(
            path, 1, 1, "text is UTF-32, which is not read", "save the file as UTF-8"
        )
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", ["decoded as UTF-16 (byte-order mark)"]
    enc = utf16_by_nuls(head[:4096])
    if enc is not None:
        raise ContactsInputError(
            path, 1, 1, "text is UTF-16 without a byte-order mark", f"pass --encoding {enc}"
        )
    return "utf-8", []


def delimiter_problem(delimiter: str) -> str | None:
    """Why a delimiter the user gave cannot be one (None: it can)."""
    return None if len(delimiter) == 1 else f"delimiter must be one character, got {delimiter!r}"


def _sniff_delimiter(path: str, text: str, delimiter: str | None, suffix: str) -> str:
    if delimiter is not None:
        problem = delimiter_problem(delimiter)
        if problem:
            raise ContactsInputError(path, 1, 1, problem)
        return delimiter
    lines = text.splitlines(keepends=True)[:200]
    fitting: list[tuple[int, str]] = []
    for cand in DELIMITERS:
        counts = [len(r) for r in csv.reader(lines, delimiter=cand) if r]
        if len(counts) > 1 and counts[0] > 1:
            same = sum(c == counts[0] for c in counts) / len(counts)
            if same >= 0.9:
                fitting.append((counts[0], cand))
    if suffix == ".tsv" and any(c == "\t" for _, c in fitting):
        return "\t"
    if len(fitting) == 1:
        return fitting[0][1]
    if not fitting and len(lines) <= 1:
        # Only the header fits in the sniffed head (the next row is longer than 256 KiB, or
        # there is none): the header alone decides.
        header = lines[0] if lines else ""
        present = sorted(((header.count(c), c) for c in DELIMITERS if c in header), reverse=True)
        if suffix == ".tsv" and "\t" in header:
            return "\t"
        if len(present) <= 1 or present[0][0] > present[1][0]:
            return present[0][1] if present else ","  # the one the header uses most
        fitting = [p for p in present if p[0] == present[0][0]]
    elif not fitting:
        return ","  # one column: no delimiter appears, so the choice cannot matter
    shown = " or ".join(repr(c) for _, c in fitting)
    every = "the header" if len(lines) <= 1 else "every row evenly"
    raise ContactsInputError(
        path,
        1,
        1,
        f"the delimiter is ambiguous: {shown} both split {every}",
        "pass --delimiter",
    )


def _sniff_quote(text: str, delimiter: str) -> str:
    if '"' in text:
        return '"'
    d = re.escape(delimiter)
    single = len(re.findall(rf"(?:^|{d})'[^'\n]*'(?={d}|\r?$)", text, re.MULTILINE))
    return "'" if single >= 2 else '"'


_EXCEL_SEP = re.compile(r"^sep=(.)$", re.IGNORECASE)


def check_header(path: str, header: list[str], delimiter: str) -> None:
    """ContactsInputError when the first row cannot be a header: empty, Excel's `sep=`
    hint, one column holding another delimiter, or a name empty or given twice."""
    if not header:
        raise ContactsInputError(
            path, 1, 1, "row 1 is empty: the header must be the first line", "delete blank lines"
        )
    first_line = delimiter.join(header).strip()
    if m := _EXCEL_SEP.match(first_line):
        raise ContactsInputError(
            path,
            1,
            1,
            f"the first line is Excel's {first_line!r} hint, not a header",
            f"delete that line, or save the file again as plain CSV (delimiter {m[1]!r})",
        )
    if len(header) == 1:
        other = next((d for d in ",;\t|" if d != delimiter and d in header[0]), None)
        if other is not None:
            # A one-column header that contains another delimiter: read with the wrong one
            # (an explicit --delimiter, say), every row would "miss" every column.
            raise ContactsInputError(
                path,
                1,
                header[0].index(other) + 1,
                f"the header is one column containing {other!r}: the file is not delimited"
                f" by {delimiter!r}",
                f"pass --delimiter {other!r}" if other != "\t" else "pass --delimiter '\\t'",
            )
    seen: dict[str, int] = {}
    for i, name in enumerate(header, start=1):
        key = name.strip()
        if not key:
            raise ContactsInputError(
                path,
                1,
                i,
                f"header name in column {i} is empty",
                "name every column in the first row",
            )
        if key.lower() in seen:
            raise ContactsInputError(
                path,
                1,
                i,
                f"header name {key!r} repeats column {seen[key.lower()]}",
                "give each column its own name",
            )
        seen[key.lower()] = i
    for i, name in enumerate(header, start=1):
        if "@" in name and _LOOKS_LIKE_DATA.match(name):
            raise ContactsInputError(
                path,
                1,
                i,
                f"row 1 looks like data, not a header ({name!r} is an email address)",
                "add a header row",
            )
    if header and all(_LOOKS_LIKE_DATA.match(n) for n in header):
        raise ContactsInputError(
            path, 1, 1, "row 1 looks like data, not a header", "add a header row"
        )


def sniff(
    path: str | Path,
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
    defer: bool = False,
) -> Dialect:
    """Inspect the whole file's bytes and its head; return how to read it or raise.

    With `defer`, a UTF-8 file's bytes are left to the reader, which checks them as it cuts
    the file (ByteCheck; Dialect.bytes_checked is False): one pass over the file instead of
    two. Byte problems still come first: if the head shows a problem (an ambiguous delimiter,
    say), the bytes are checked before it is raised, since an open quote explains it.
    """
    name = str(path)
    allow_long_fields()  # a value over 128 KiB in the head made the csv module raise
    with open(path, "rb") as fh:
        head = read_head(fh)
        if len(head) >= MAX_HEADER_BYTES and b"\n" not in head and b"\r" not in head:
            raise ContactsInputError(
                name, 1, 1, f"the header line is longer than {MAX_HEADER_BYTES // 2**20} MiB"
            )
    if not head.strip(b"\xef\xbb\xbf\xff\xfe\r\n\t "):
        raise ContactsInputError(name, 1, 1, "the file is empty", "export it again")
    enc, notes = _detect_encoding(name, head, encoding)
    if codecs.lookup(enc).name.startswith("utf-16") or "32" in enc:
        # Decoded by pyarrow's transcoding reader. The checks read ASCII-compatible bytes, so
        # they read the text as UTF-8 (a copy: UTF-16 exports are small); rows and columns
        # count lines and characters, the same in both.
        check_as_utf8(name, enc, delimiter)
        dialect = _sniff_head(name, head, enc, delimiter)
        return replace(dialect, notes=tuple(notes), bytes_checked=True)
    check = ByteCheck(name, enc, delimiter)
    if defer and check.check_utf8:
        try:
            dialect = _sniff_head(name, head, enc, delimiter)
        except (ContactsInputError, csv.Error):
            check.whole_file()  # raises the byte problem behind the head's, if any
            raise
        return replace(dialect, notes=tuple(notes))
    with open(path, "rb") as fh:
        # Before sniffing the delimiter: an open quote swallows the rows after it, so the
        # sniffer would find no delimiter that splits every row and pick a wrong one.
        ending, more = check.run(fh).result()
    dialect = _sniff_head(name, head, enc, delimiter)
    return replace(dialect, line_ending=ending, notes=(*notes, *more), bytes_checked=True)


def columns(
    path: str | Path, *, encoding: str | None = None, delimiter: str | None = None
) -> list[str]:
    """Header names, e.g. to check that every merge tag in a template has a column."""
    return list(sniff(path, encoding=encoding, delimiter=delimiter).header)


def _sniff_head(name: str, head: bytes, enc: str, delimiter: str | None) -> Dialect:
    """Delimiter, quote character and header from the file's first HEAD_BYTES."""
    # Cut the head at its last line end so a multi-byte character is never split (in UTF-16-LE
    # a line end is 0A 00: the cut keeps the 00).
    cut = max(head.rfind(b"\n"), head.rfind(b"\r"))
    codec = codecs.lookup(enc).name  # "UTF-16LE" and "utf_16_le" name utf-16-le
    if codec.startswith("utf-16") and cut >= 0:
        cut += (cut + 1) % 2  # whole two-byte units (the BOM is one)
    text = head[: cut + 1] if 0 <= cut < len(head) - 1 else head
    decoded = text.decode(enc, errors="replace")
    if codec.startswith("utf-16") or codec == "utf-8-sig":
        decoded = decoded.lstrip("\ufeff")
    delim = _sniff_delimiter(name, decoded, delimiter, Path(name).suffix.lower())
    quote = _sniff_quote(decoded, delim)
    # newline=None: read old-Mac CR line ends as line ends (the csv module refuses a bare CR).
    lines = io.StringIO(decoded, newline=None)
    first = next(csv.reader(lines, delimiter=delim, quotechar=quote), [])
    check_header(name, first, delim)
    # Old-Mac files end lines with CR alone; the whole-file check confirms (ByteCheck).
    outside = unquoted(head, inside=False)  # a quoted LF in an old-Mac file is no line end
    ending = "\r" if b"\r" in outside and b"\n" not in outside else "\n"
    return Dialect(enc, delim, quote, tuple(first), ending)


__all__ = ["ContactsInputError", "Dialect", "allow_long_fields", "columns", "read_head", "sniff"]
