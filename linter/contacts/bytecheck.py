"""The byte checks: every byte of a contact file, once, before its rows are parsed (NUL
bytes, UTF-8 validity, line ends, quote balance), and where a problem found later (a failed
parse, a chunk cut inside quotes) really is in the file.

sniff() runs them over the whole file, or leaves them to the reader (sniff(defer=True)),
which feeds each chunk it cuts to a ByteCheck before the chunk is parsed: one read of the
file either way.
"""

from __future__ import annotations

import codecs
import csv
import functools
import io
import mmap
import re
from pathlib import Path
from typing import Any

from linter.contacts.dialect import ContactsInputError, Dialect

HEAD_BYTES = 256 * 1024
SCAN_CHUNK = 4 * 1024 * 1024
DELIMITERS = (",", ";", "\t", "|")


def _position(
    data: bytes | bytearray, offset: int, base_line: int, end: bytes = b"\n"
) -> tuple[int, int]:
    """1-based line and column (in characters, best effort) of byte `offset` in `data`; lines
    end with `end` (CR in old-Mac files)."""
    start = data.rfind(end, 0, offset) + 1
    line = base_line + data.count(end, 0, offset)
    return line, len(data[start:offset].decode("utf-8", "replace")) + 1


def first_end(data: bytes | bytearray, inside: bool = False) -> bytes:
    """The byte that ends lines, from the first line end in `data` outside quoted values
    (`inside`: data starts in one): CR in an old-Mac file."""
    text = unquoted(bytes(data[:HEAD_BYTES]), inside)
    cr, lf = text.find(b"\r"), text.find(b"\n")
    return b"\r" if cr >= 0 and (lf < 0 or lf > cr + 1) else b"\n"


def _line_at(path: str, offset: int, end: bytes = b"\n") -> int:
    """Line number at file offset `offset`: counted only when an error needs it."""
    with open(path, "rb") as fh:
        return line_of(fh, offset, end)


def line_of(fh: Any, offset: int, end: bytes = b"\n") -> int:
    """The line (from 1) byte `offset` is on, reading the open binary file `fh` (any object
    with `read(n)`: a local file, a pyarrow stream) from where it stands, its start."""
    line, left = 1, offset
    while left > 0 and (block := fh.read(min(left, SCAN_CHUNK))):
        line, left = line + block.count(end), left - len(block)
    return line


_BARE_CR = re.compile(rb"\r(?!\n)")


def unquoted(data: bytes, inside: bool) -> bytes:
    """`data` with the CR and LF bytes of quoted values blanked out (same length, so offsets
    hold); `inside`: data starts inside a quoted value. A doubled quote ("") toggles twice."""
    parts = data.split(b'"')
    for i in range(0 if inside else 1, len(parts), 2):
        parts[i] = parts[i].replace(b"\r", b" ").replace(b"\n", b" ")
    return b'"'.join(parts)


def _guess_8bit(data: bytes | bytearray) -> str:
    # Bytes 0x80-0x9F are printable in cp1252 (curly quotes, euro) but C1 controls in latin-1.
    return "cp1252" if re.search(rb"[\x80-\x9f]", data) else "latin-1"


class ByteCheck:
    """The checks on every byte of a file, fed its bytes in file order: NUL bytes, UTF-8
    validity, line endings and quote balance. sniff() feeds it the whole file before anything
    is parsed; with sniff(defer=True) the reader feeds it each chunk it cuts, and `result()`
    at the end raises what it found."""

    def __init__(self, path: str, encoding: str, delimiter: str | None) -> None:
        self.path, self.encoding, self.delimiter = path, encoding, delimiter
        self.check_utf8 = codecs.lookup(encoding).name in ("utf-8", "utf-8-sig")
        self.crlf = self.lf = self.cr = 0
        self.quotes = 0  # double-quote bytes: an odd count means a quote never closes
        self.first_cr: tuple[int, int] | None = None
        self._decoder = codecs.getincrementaldecoder("utf-8")()
        self._start = 0  # file offset of the next byte fed
        self._carry = b""  # a CR held back from the last feed

    def run(self, fh: io.BufferedReader) -> ByteCheck:
        """Feed the rest of `fh`."""
        while block := fh.read(SCAN_CHUNK):
            self.feed(block)
        return self

    def feed(
        self, chunk: bytes | bytearray, end: int | None = None, quotes: int | None = None
    ) -> None:
        """Check `chunk[:end]`, the next bytes of the file; `quotes` is the number of '"' in
        them when the caller counted them already (the reader does, to cut)."""
        end = len(chunk) if end is None else end
        start, before = self._start, len(self._carry)
        data: bytes | bytearray = chunk
        if before:  # only after a feed that ended with CR: copy, rarely
            data, end = self._carry + bytes(chunk[:end]), before + end
        # Hold back a trailing CR so a CR+LF split across two feeds counts once.
        self._carry = b"\r" if end and data[end - 1] == 0x0D else b""
        body = end - len(self._carry)  # data[:body] is checked now
        nul = data.find(b"\x00", 0, body)
        if nul >= 0:
            eol = self._end(data)
            row, col = _position(data, nul, _line_at(self.path, start, eol), eol)
            raise ContactsInputError(
                self.path,
                row,
                col,
                "NUL byte in text",
                "the file may be UTF-16 or binary; pass --encoding",
            )
        # ASCII is UTF-8: isascii is ~15x faster than decoding, and bytes that are ASCII
        # cannot finish a character the previous feed started (then the decoder holds bytes
        # and decodes these, which fails as before). `data` may run on past `end` (the
        # reader's next record): a non-ASCII byte there only costs a decode.
        if self.check_utf8 and not (data.isascii() and not self._decoder.getstate()[0]):
            try:
                self._decoder.decode(memoryview(data)[before:end])
            except UnicodeDecodeError as exc:
                at = min(before + max(exc.start, 0), end - 1)
                eol = self._end(data)
                row, col = _position(data, at, _line_at(self.path, start, eol), eol)
                enc = _guess_8bit(data[:end])
                raise ContactsInputError(
                    self.path,
                    row,
                    col,
                    f"byte 0x{data[at]:02X} is not UTF-8",
                    f"the file looks like {enc}; pass --encoding {enc}",
                ) from None
        inside = self.quotes % 2 == 1  # these bytes start inside a quoted value
        self.quotes += data.count(b'"', 0, body) if quotes is None else quotes
        if data.find(b"\r", 0, body) >= 0:  # memchr-fast: only files with CRs count them
            self._endings(data, body, start, inside)
        elif not self.lf and data.find(b"\n", 0, body) >= 0:
            self.lf = 1
        self._start = start + body
        if self.cr and (self.lf or self.crlf):
            _line_ending(self, self.path)  # a bare CR among LFs: raise now, not at the end

    def whole_file(self) -> None:
        """Check the whole file now, in a pass of its own: raises what it finds."""
        with open(self.path, "rb") as fh:
            ByteCheck(self.path, self.encoding, self.delimiter).run(fh).result()

    def end_of_file(self) -> None:
        """No bytes follow: a character the last feed started and did not finish is an
        error. The reader calls this before the last chunk is parsed (pyarrow does not check
        UTF-8 again); result() calls it too."""
        held = self._decoder.getstate()[0]
        if self.check_utf8 and held:
            # The file ends inside a multi-byte character (the decoder holds its first bytes).
            at = self._start - len(held)
            with open(self.path, "rb") as fh:
                fh.seek(max(at - SCAN_CHUNK, 0))
                tail = fh.read()
            offset = at - max(at - SCAN_CHUNK, 0)
            eol = self._end(tail)
            row, col = _position(tail, offset, _line_at(self.path, at - offset, eol), eol)
            enc = _guess_8bit(tail)
            raise ContactsInputError(
                self.path,
                row,
                col,
                f"byte 0x{held[0]:02X} is not UTF-8 (the file ends inside a character)",
                f"the file looks like {enc}; pass --encoding {enc}",
            )

    def result(self) -> tuple[str, tuple[str, ...]]:
        """After the last feed: the line ending and notes on what was handled, or the problem
        (a bare CR among LFs, a quote that never closes)."""
        if self._carry:
            self._endings(self._carry, len(self._carry), self._start, self.quotes % 2 == 1)
            self._start, self._carry = self._start + len(self._carry), b""
        self.end_of_file()
        ending, notes = _line_ending(self, self.path)
        if self.quotes % 2:
            _raise_unbalanced_quote(self.path, self.encoding, self.delimiter, ending)
        return ending, notes

    def _end(self, data: bytes | bytearray) -> bytes:
        """The byte that ends lines (for placing an error): CR in an old-Mac file. The counts
        so far decide (they skip quoted values); before any, the first line end in `data`."""
        if self.cr or self.lf or self.crlf:
            return b"\r" if self.cr and not (self.lf or self.crlf) else b"\n"
        return first_end(data, self.quotes % 2 == 1)

    def _endings(self, data: bytes | bytearray, body: int, start: int, inside: bool) -> None:
        """Count the line ends of `data[:body]` (at file offset `start`; `inside`: it starts
        inside a quoted value). A CR or LF within quotes is part of the value, not a line end:
        when the plain counts show a bare CR beside LFs (rare), they are counted again outside
        quotes (a CRLF file, every chunk of which has CRs, is counted at memchr speed)."""
        ends: bytes | bytearray = data
        crlf = data.count(b"\r\n", 0, body)
        lf, cr = data.count(b"\n", 0, body) - crlf, data.count(b"\r", 0, body) - crlf
        if cr and (lf or crlf or self.lf or self.crlf):
            ends = unquoted(bytes(data[:body]), inside)
            crlf = ends.count(b"\r\n")
            lf, cr = ends.count(b"\n") - crlf, ends.count(b"\r") - crlf
        if cr and self.first_cr is None:
            at = _BARE_CR.search(ends, 0, body)
            assert at is not None  # a bare CR was counted
            self.first_cr = _position(data, at.start(), _line_at(self.path, start))
        self.crlf, self.lf, self.cr = self.crlf + crlf, self.lf + lf, self.cr + cr


def _line_ending(scan: ByteCheck, path: str) -> tuple[str, tuple[str, ...]]:
    if scan.cr and (scan.lf or scan.crlf):
        row, col = scan.first_cr or (1, 1)
        raise ContactsInputError(
            path,
            row,
            col,
            "a bare CR line ending in a file that ends other lines with LF",
            "save the file with one kind of line end",
        )
    if scan.cr:
        return "\r", ("old Mac (CR) line endings",)
    if scan.crlf and scan.lf:
        return "mixed", (f"mixed line endings handled: {scan.crlf} CRLF and {scan.lf} LF",)
    return ("\r\n" if scan.crlf else "\n"), ()


@functools.cache
def _well_formed(delimiters: str) -> re.Pattern[bytes]:
    """Matches text whose quotes are all well formed: quoted values that start a field and
    end one (a delimiter or line end follows), "" inside them; it stops at the first other
    quote."""
    ends = re.escape(delimiters.encode() + b"\r\n")
    return re.compile(
        rb'(?:[^"]++|(?<![^' + ends + rb'])"[^"]*+(?:""[^"]*+)*+"(?=[' + ends + rb"]|\Z))*+"
    )


def check_chunk_quotes(
    path: str, dialect: Dialect, chunk: bytes | memoryview, last_value: object
) -> None:
    """Raise at the first quote that breaks the quoting in `chunk` (a record-aligned piece of
    the file), if there is one, when the chunk may have been cut inside a quoted value.

    Such a cut leaves the chunk's last value open: pyarrow reads it to the end of the chunk,
    so it ends with the line break the cut was made at. The cut can only land there when a
    quote inside an unquoted value (`5" tall`) threw the count off. A value that really ends
    with a line break looks the same from here (the bytes before the break cannot tell a
    closing quote from an escaped or an opening one), so such chunks are scanned too: ~10 ms
    per 8 MB, in files whose last column often ends with a line break. Only `"` is checked,
    as the byte checks count only `"`."""
    if dialect.quote_char != '"' or not (
        isinstance(last_value, str) and last_value.endswith(("\n", "\r"))
    ):
        return
    start = 3 if bytes(chunk[:3]) == codecs.BOM_UTF8 else 0
    match = _well_formed(dialect.delimiter).match(memoryview(chunk)[start:])
    if match is not None and start + match.end() < len(chunk):
        _raise_unbalanced_quote(path, dialect.encoding, dialect.delimiter, dialect.line_ending)


def _first_unbalanced_quote(path: str, delimiters: str) -> tuple[int, bool]:
    """File offset of the first quote that breaks the quoting, and whether it opens a value
    (at the start of a field) or sits inside an unquoted value. Called only when the file
    holds an odd number of quote characters, so there is one; the delimiter may be unknown,
    so a field may start after any candidate.

    A well-formed quoted value starts a field and its closing quote ends it (a delimiter or
    line end follows); a quote opening a value that never closes would otherwise pair with
    the next row's opening quote, which is why parsers report it far away or mis-split rows.
    """
    with open(path, "rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as data:
        match = _well_formed(delimiters).match(data)
        at = match.end() if match else 0
        opens = at == 0 or data[at - 1 : at] in (b"\r", b"\n") or chr(data[at - 1]) in delimiters
        return at, opens


def _raise_unbalanced_quote(path: str, encoding: str, delimiter: str | None, line_end: str) -> None:
    at, opens = _first_unbalanced_quote(path, delimiter or "".join(DELIMITERS))
    end = b"\r" if line_end == "\r" else b"\n"
    with open(path, "rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as data:
        start = data.rfind(end, 0, at) + 1
        prefix = data[start:at].decode(encoding, errors="replace")
        nl = data.find(end, 0, HEAD_BYTES)
        first = data[: nl if nl >= 0 else HEAD_BYTES].decode(encoding, errors="replace")
    row = _line_at(path, at, end)
    # The field index needs the delimiter: the given one, else the one the header uses most.
    delim = delimiter or max(DELIMITERS, key=first.count)
    column = len(next(csv.reader([prefix], delimiter=delim))) if prefix else 1
    header = next(csv.reader([first.lstrip("\ufeff")], delimiter=delim), [])
    name = f" (column {header[column - 1]!r})" if row > 1 and column <= len(header) else ""
    if opens:
        raise ContactsInputError(
            path,
            row,
            column,
            f"unclosed quote from {row}:{column}{name}: the quoted value never ends, so the "
            "rows after it would be read into it",
            'end the value with a quote; inside a quoted value write a quote as ""',
        )
    raise ContactsInputError(
        path,
        row,
        column,
        f"unbalanced quote at {row}:{column}{name}: a quote character inside a value "
        "that is not quoted",
        'quote the whole value and double the quote inside it: "5"" screen"',
    )


def raise_undecodable(path: str, encoding: str) -> None:
    """Raise at the first byte `encoding` cannot decode, if any (after a failed parse: the
    transcoding reader names only an offset inside its block)."""
    decoder = codecs.getincrementaldecoder(encoding)()
    offset = 0
    with open(path, "rb") as fh:
        while block := fh.read(SCAN_CHUNK):
            held = len(decoder.getstate()[0])  # bytes of the last block not decoded yet
            try:
                decoder.decode(block)
            except UnicodeDecodeError as exc:
                at = max(offset - held + exc.start, 0)
                fh.seek(max(at - SCAN_CHUNK, 0))
                before = fh.read(at - max(at - SCAN_CHUNK, 0) + 1)
                eol = first_end(before)
                start = at - len(before) + 1
                row, col = _position(before, len(before) - 1, _line_at(path, start, eol), eol)
                raise ContactsInputError(
                    path,
                    row,
                    col,
                    f"byte 0x{before[-1]:02X} cannot be read as {encoding}",
                    "check --encoding (without it the encoding is detected)",
                ) from None
            offset += len(block)


def check_as_utf8(path: str, encoding: str, delimiter: str | None) -> None:
    """ByteCheck over the file's text encoded as UTF-8; its errors name `path`."""
    import tempfile  # here only: this module loads with every HTML run (the catalogue)

    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "utf8.csv"
        try:
            with open(path, encoding=encoding, newline="") as src, open(copy, "wb") as dst:
                dst.write(src.read(SCAN_CHUNK).removeprefix("\ufeff").encode("utf-8"))
                while block := src.read(SCAN_CHUNK):
                    dst.write(block.encode("utf-8"))
            with open(copy, "rb") as fh:
                ByteCheck(str(copy), "utf-8", delimiter).run(fh).result()
        except ContactsInputError as error:
            raise ContactsInputError(
                path, error.row, error.column, error.message, error.hint
            ) from None
        except UnicodeError as error:
            raise ContactsInputError(path, 1, 1, f"cannot decode the file: {error}") from None
