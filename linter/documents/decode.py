"""Bytes to text for email HTML: BOM, then UTF-16 by its NULs, then <meta charset>, then
UTF-8, then a stated fallback.

bs4's EncodingDetector already implements the HTML sniffing order (BOM, declared
encoding in the first bytes), so we use it rather than writing our own.
"""

from __future__ import annotations

from dataclasses import dataclass

from linter.encodings import text_encoding, utf16_by_nuls

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
    utf16 = utf16_by_nuls(data[:4096])
    if utf16:
        note = f"no byte-order mark; decoded as {utf16.upper()} (told by its NUL bytes)"
        return Decoded(data.decode(utf16, errors="replace"), utf16, note)
    declared = EncodingDetector.find_declared_encoding(data[:4096], is_html=True)
    for encoding in (_meta_charset(declared), "utf-8"):
        if not encoding:
            continue
        try:
            return Decoded(data.decode(encoding), encoding)
        except UnicodeDecodeError:
            continue
    note = f"not valid {declared or 'UTF-8'}; decoded as {FALLBACK}"
    return Decoded(data.decode(FALLBACK, errors="replace"), FALLBACK, note)


def _meta_charset(declared: str | None) -> str | None:
    """The encoding a declared charset means, as browsers read it (HTML spec, "prescan"):
    a <meta> naming UTF-16 or UTF-32 is read as UTF-8, since it was found in bytes that
    are not UTF-16 (no BOM, no NULs); a name that is no text encoding is ignored."""
    codec = text_encoding(declared) if declared else None
    if codec is None:
        return None
    return "utf-8" if codec.startswith(("utf-16", "utf-32")) else codec
