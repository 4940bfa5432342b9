"""Sniff a contact file's bytes before parsing: encoding, delimiter, quoting, header, line ends.

Every problem either has an explicit way out (`encoding=`, `delimiter=`) or raises
ContactsInputError naming file:row:col, so a file is never silently mis-parsed.
"""

from __future__ import annotations

import codecs
import csv
import functools
import io
import mmap
import re
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import BinaryIO

from linter.encodings import problem, text_encoding, utf16_by_nuls
from linter.limits import MAX_HEADER_BYTES

HEAD_BYTES = 256 * 1024
SCAN_CHUNK = 4 * 1024 * 1024
DELIMITERS = (",", ";", "\t", "|")
_LOOKS_LIKE_DATA = re.compile(r"^\s*(?:[^@\s]+@[^@\s]+\.[^@\s]+|[+\-]?[\d .()/:+-]+)\s*$")


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


def _position(
    data: bytes | bytearray, offset: int, base_line: int, end: bytes = b"\n"
) -> tuple[int, int]:
    """1-based line and column (in characters, best effort) of byte `offset` in `data`; lines
    end with `end` (CR in old-Mac files)."""
    start = data.rfind(end, 0, offset) + 1
    line = base_line + data.count(end, 0, offset)
    return line, len(data[start:offset].decode("utf-8", "replace")) + 1


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


def _first_end(data: bytes | bytearray, inside: bool = False) -> bytes:
    """The byte that ends lines, from the first line end in `data` outside quoted values
    (`inside`: data starts in one): CR in an old-Mac file."""
    text = _unquoted(bytes(data[:HEAD_BYTES]), inside)
    cr, lf = text.find(b"\r"), text.find(b"\n")
    return b"\r" if cr >= 0 and (lf < 0 or lf > cr + 1) else b"\n"


def _line_at(path: str, offset: int, end: bytes = b"\n") -> int:
    """Line number at file offset `offset`: counted only when an error needs it."""
    line, left = 1, offset
    with open(path, "rb") as fh:
        while left > 0 and (block := fh.read(min(left, SCAN_CHUNK))):
            line, left = line + block.count(end), left - len(block)
    return line


_BARE_CR = re.compile(rb"\r(?!\n)")


def _unquoted(data: bytes, inside: bool) -> bytes:
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
        return _first_end(data, self.quotes % 2 == 1)

    def _endings(self, data: bytes | bytearray, body: int, start: int, inside: bool) -> None:
        """Count the line ends of `data[:body]` (at file offset `start`; `inside`: it starts
        inside a quoted value). A CR or LF within quotes is part of the value, not a line end:
        when the plain counts show a bare CR beside LFs (rare), they are counted again outside
        quotes (a CRLF file, every chunk of which has CRs, is counted at memchr speed)."""
        ends: bytes | bytearray = data
        crlf = data.count(b"\r\n", 0, body)
        lf, cr = data.count(b"\n", 0, body) - crlf, data.count(b"\r", 0, body) - crlf
        if cr and (lf or crlf or self.lf or self.crlf):
            ends = _unquoted(bytes(data[:body]), inside)
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


def _sniff_delimiter(path: str, text: str, delimiter: str | None, suffix: str) -> str:
    if delimiter is not None:
        if len(delimiter) != 1:
            raise ContactsInputError(
                path, 1, 1, f"delimiter must be one character, got {delimiter!r}"
            )
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


def _check_header(path: str, header: list[str], delimiter: str) -> None:
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
        _check_as_utf8(name, enc, delimiter)
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
                eol = _first_end(before)
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


def _check_as_utf8(path: str, encoding: str, delimiter: str | None) -> None:
    """ByteCheck over the file's text encoded as UTF-8; its errors name `path`."""
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
    _check_header(name, first, delim)
    # Old-Mac files end lines with CR alone; the whole-file check confirms (ByteCheck).
    outside = _unquoted(head, inside=False)  # a quoted LF in an old-Mac file is no line end
    ending = "\r" if b"\r" in outside and b"\n" not in outside else "\n"
    return Dialect(enc, delim, quote, tuple(first), ending)
