"""Bytes to text for email HTML: BOM, then <meta charset>, then UTF-8, then a stated fallback.

bs4's EncodingDetector already implements the HTML sniffing order (BOM, declared
encoding in the first bytes), so we use it rather than writing our own.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

FALLBACK = "cp1252"  # what browsers assume for undeclared legacy Western text


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str
    note: str | None = None  # set when we fell back, so the user hears about it


def decode_html(data: bytes) -> Decoded:
    from bs4.dammit import EncodingDetector  # ~60 ms to import: only when a file is read

    bom_text, bom_encoding = EncodingDetector.strip_byte_order_mark(data)
    if bom_encoding:
        return Decoded(bom_text.decode(bom_encoding, errors="replace"), bom_encoding)
    declared = EncodingDetector.find_declared_encoding(data[:4096], is_html=True)
    for encoding in (declared, "utf-8"):
        if not encoding or not _known(encoding):
            continue
        try:
            return Decoded(data.decode(encoding), encoding)
        except UnicodeDecodeError:
            continue
    note = f"not valid {declared or 'UTF-8'}; decoded as {FALLBACK}"
    return Decoded(data.decode(FALLBACK, errors="replace"), FALLBACK, note)


def _known(encoding: str) -> bool:
    try:
        codecs.lookup(encoding)
    except LookupError:
        return False
    return True
