"""A file as bytes and as the text presend parses, and the way back after editing.

EmailDocument reads text with every line break as "\\n"; a fix computed there is moved
to the file's own text (CRLF kept) and encoded in the file's own charset with its BOM,
so bytes outside the edits are exactly the original ones.
"""

from __future__ import annotations

import bisect
import codecs
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from linter.documents.decode import Decoded
from linter.fixes.edits import Edit

_BOMS = (b"", codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_BREAK = re.compile(r"\r\n|\r|\n")


class NotFixable(ValueError):
    """The file cannot be written back byte for byte (the message says why)."""


@dataclass(frozen=True)
class EncodedText:
    text: str  # decoded, with the file's own line breaks
    encoding: str
    bom: bytes = b""
    newline: str = field(init=False)
    # Offsets (in "\n"-only text) of the line breaks that are "\r\n" in the file.
    _crlf: tuple[int, ...] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        counts = {"\r\n": 0, "\r": 0, "\n": 0}
        crlf: list[int] = []
        removed = 0
        for m in _BREAK.finditer(self.text):
            counts[m.group(0)] += 1
            if m.group(0) == "\r\n":
                crlf.append(m.start() - removed)
                removed += 1
        newline = max(("\n", "\r\n", "\r"), key=lambda k: counts[k])
        object.__setattr__(self, "newline", newline)
        object.__setattr__(self, "_crlf", tuple(crlf))

    @classmethod
    def of(cls, data: bytes, decoded: Decoded) -> EncodedText:
        """The file's text, if encoding it again gives back exactly `data`. (A charset
        guessed from bytes that are not UTF-8 will do: only ASCII is inserted.)"""
        try:
            body = decoded.text.encode(decoded.encoding)
        except (UnicodeError, LookupError):
            body = None
        bom = data[: len(data) - len(body)] if body is not None else None
        if body is None or bom not in _BOMS or not data.endswith(body):
            raise NotFixable(
                f"its bytes do not survive decoding as {decoded.encoding} and encoding back"
            )
        return cls(decoded.text, decoded.encoding, bom)

    def original(self, offset: int) -> int:
        """The offset in this text of an offset in its "\\n"-only form."""
        return offset + bisect.bisect_left(self._crlf, offset)

    def edited(self, edits: Iterable[Edit]) -> list[Edit]:
        """Edits made on the "\\n"-only text, moved to this text and its line breaks."""
        return [
            Edit(
                self.original(e.start),
                self.original(e.end),
                e.text.replace("\n", self.newline),
                e.rule,
            )
            for e in edits
        ]

    def encode(self, text: str) -> bytes:
        # Inserted text is ASCII but for a configured value (lang): a character the
        # charset lacks becomes a character reference, which HTML reads the same.
        return self.bom + text.encode(self.encoding, errors="xmlcharrefreplace")
