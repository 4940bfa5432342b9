"""MessageDocument: one whole email message (.eml, RFC 5322/MIME) as it will be sent.

The standard library's `email` package (policy=default) parses it; presend adds where
things are in the file, so every finding gives a line and column of the .eml itself:

- headers: the line each header starts on;
- a 7bit/8bit/binary body: the decoded text is the file's text, line for line;
- a quoted-printable body: exact too, by walking the encoded line (soft breaks, =XX
  escapes) until the decoded column is reached, only for the places findings name;
- a base64 body: no character of the decoded text has a place in the file, so a finding
  is placed where the part's body starts and its message names the decoded line:col.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from email import policy as email_policy
from email.header import decode_header, make_header
from email.message import EmailMessage, Message
from email.parser import BytesParser
from functools import cached_property

from linter.documents.email import EmailDocument
from linter.encodings import text_encoding

_HEADER_START = re.compile(rb"^([!-9;-~]+)[ \t]*:", re.MULTILINE)  # RFC 5322 field name
_HEX = frozenset(b"0123456789ABCDEFabcdef")


class MessageError(ValueError):
    """The file is not a message presend can read (the message says why)."""


@dataclass(frozen=True)
class Place:
    line: int
    column: int
    note: str = ""  # said in the finding's message when the place is not exact


@dataclass
class Part:
    """One text leaf of the message, with what is needed to place its findings."""

    content_type: str  # "text/html", "text/plain"
    declared_charset: str | None  # the Content-Type charset parameter, as written
    encoding: str  # Content-Transfer-Encoding, lower case; "7bit" when absent
    body_line: int  # the file line the encoded body starts on (1-based)
    raw: bytes  # the encoded body as it is in the file
    payload: bytes  # the body after the transfer encoding is undone
    text: str  # payload decoded (declared charset when it fits the bytes, else sniffed)
    charset_problem: str | None  # why the declared charset does not read the bytes

    @property
    def size(self) -> int:
        """Bytes the part's body takes in the message as sent (encoded)."""
        return len(self.raw)

    def place(self, line: int, column: int) -> Place:
        """Where a (line, column) of `text` is in the file."""
        if self.encoding in ("7bit", "8bit", "binary"):
            return Place(self.body_line + line - 1, column)
        if self.encoding == "quoted-printable":
            return self._qp_place(line, column)
        # base64 (or x-uuencode…): no decoded character has a place in the file
        return Place(self.body_line, 1, f"line {line}:{column} of the {self.encoding}-encoded part")

    @cached_property
    def _qp_lines(self) -> list[bytes]:
        return self.raw.split(b"\n")

    @cached_property
    def _qp_logical(self) -> list[int]:
        """The encoded line each decoded line starts on (soft breaks `=` join lines)."""
        starts, joined = [], False
        for i, line in enumerate(self._qp_lines):
            if not joined:
                starts.append(i)
            joined = line.rstrip(b" \t\r").endswith(b"=")
        return starts

    def _qp_place(self, line: int, column: int) -> Place:
        logical = self._qp_logical
        if not 1 <= line <= len(logical):
            return Place(self.body_line, 1, f"line {line}:{column} of the decoded part")
        decoder = codecs.getincrementaldecoder(self._codec)(errors="replace")
        produced, index, body = 0, logical[line - 1], b""
        while index < len(self._qp_lines):
            encoded = self._qp_lines[index].rstrip(b"\r")
            soft = encoded.rstrip(b" \t").endswith(b"=")
            body = encoded.rstrip(b" \t")[:-1] if soft else encoded
            at = 0
            while at < len(body):
                escape = body[at] == 0x3D and at + 2 < len(body) and _is_hex(body, at)
                width = 3 if escape else 1
                chunk = bytes([int(body[at + 1 : at + 3], 16)]) if escape else body[at : at + 1]
                produced += len(decoder.decode(chunk))
                if produced >= column:
                    return Place(self.body_line + index, _column(body, at))
                at += width
            if not soft or index + 1 == len(self._qp_lines):
                break
            index += 1
        return Place(self.body_line + index, _column(body, len(body)))

    @property
    def _codec(self) -> str:
        return text_encoding(self.declared_charset or "") or "utf-8"


def _is_hex(body: bytes, at: int) -> bool:
    return body[at + 1] in _HEX and body[at + 2] in _HEX


def _column(encoded: bytes, byte_offset: int) -> int:
    """The 1-based character column of a byte offset in an encoded (ASCII) line."""
    return len(encoded[:byte_offset].decode("utf-8", errors="replace")) + 1


class MessageDocument:
    """A parsed .eml: `MessageDocument(path, data)`; message rules only read it."""

    def __init__(self, path: str, data: bytes) -> None:
        self.path = path
        if b"\x00" in data:
            raise MessageError("contains NUL bytes: not an email message (.eml) text file")
        parsed = BytesParser(policy=email_policy.default).parsebytes(data)
        assert isinstance(parsed, EmailMessage)
        self.message = parsed
        headers_end = re.search(rb"\r?\n\r?\n", data)
        self.header_lines = _header_lines(data[: headers_end.start() + 1] if headers_end else data)
        if not self.header_lines:
            raise MessageError("no header fields before the first blank line: not an email message")
        self._cursor = headers_end.end() if headers_end else len(data)
        self.parts: list[Part] = [
            self._part(leaf, data)
            for leaf in parsed.walk()
            if not leaf.is_multipart() and leaf.get_content_maintype() == "text"
        ]
        self.html = self._body("text/html")
        self.plain = self._body("text/plain")

    @cached_property
    def html_document(self) -> EmailDocument | None:
        """The HTML part parsed once, for the HTML standards and the message checks."""
        return EmailDocument(self.path, self.html.text) if self.html else None

    def header(self, name: str) -> str | None:
        """A top-level header's value (unfolded, RFC 2047 words decoded), or None."""
        try:
            value = self.message.get(name)
        except Exception:  # a header the policy's parser fails on (stdlib bugs included)
            return self._raw_header(name)
        return None if value is None else str(value)

    def _raw_header(self, name: str) -> str | None:
        raw = next((v for k, v in self.message.raw_items() if k.lower() == name.lower()), None)
        if raw is None:
            return None
        try:
            return str(make_header(decode_header(raw)))
        except Exception:  # undecodable encoded words: the text as written
            return str(raw)

    def header_place(self, name: str) -> Place:
        """The line a header starts on; line 1 for one that is missing."""
        return Place(self.header_lines.get(name.lower(), 1), 1)

    def _body(self, content_type: str) -> Part | None:
        """The part a reader's client shows for this type: the first such text leaf that
        is not an attachment (multipart/alternative puts the preferred one last, but a
        message has one HTML body and one plain-text body in practice)."""
        return next((p for p in self.parts if p.content_type == content_type), None)

    def _part(self, leaf: Message, data: bytes) -> Part:
        """The text leaf as a Part, placed in `data` after the previous one."""
        raw = _raw_payload(leaf)
        found = data.find(raw, self._cursor) if raw else -1
        start = found if found >= 0 else self._cursor
        self._cursor = start + len(raw)
        body_line = data.count(b"\n", 0, start) + 1
        encoding = str(leaf.get("content-transfer-encoding", "7bit")).strip().lower()
        try:
            payload = leaf.get_payload(decode=True)
        except Exception:  # malformed base64 or quoted-printable: lint what is there
            payload = raw
        payload = payload if isinstance(payload, bytes) else raw
        declared = leaf.get_param("charset")
        declared_name = declared if isinstance(declared, str) else None
        text, problem = _decode(payload, declared_name, leaf.get_content_type())
        return Part(
            content_type=leaf.get_content_type(),
            declared_charset=declared_name,
            encoding=encoding,
            body_line=body_line,
            raw=raw,
            payload=payload,
            text=text,
            charset_problem=problem,
        )


def _raw_payload(leaf: Message) -> bytes:
    """The body as the file has it. get_payload() re-decodes 8-bit bytes with the declared
    charset, so the parser's own text (bytes kept as surrogate escapes) is read instead."""
    payload = getattr(leaf, "_payload", None)
    if not isinstance(payload, str):
        return b""
    return payload.encode("ascii", "surrogateescape")


def _header_lines(block: bytes) -> dict[str, int]:
    """The line each top-level header first starts on (lower-case name -> line), in the
    header block (the bytes before the first blank line)."""
    found: dict[str, int] = {}
    for match in _HEADER_START.finditer(block):
        name = match.group(1).decode("ascii").lower()
        found.setdefault(name, block.count(b"\n", 0, match.start()) + 1)
    return found


def _decode(payload: bytes, declared: str | None, content_type: str) -> tuple[str, str | None]:
    """The part's text, and why its declared charset does not read its bytes (None: it
    does). RFC 2045: a text part without a charset is US-ASCII."""
    codec = text_encoding(declared) if declared else "ascii"
    if declared and codec is None:
        problem = f"charset={declared!r} is not a text encoding a mail client knows"
    else:
        try:
            return payload.decode(codec or "ascii"), None
        except UnicodeDecodeError as exc:
            named = f"charset={declared}" if declared else "no charset (so US-ASCII)"
            problem = (
                f"the {content_type} part declares {named}, but byte {exc.start + 1}"
                f" (0x{payload[exc.start]:02x}) is not {codec or 'US-ASCII'}"
            )
    from linter.documents.decode import decode_html

    return decode_html(payload).text, problem
