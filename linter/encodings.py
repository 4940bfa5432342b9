"""Which encodings presend decodes text with: real text encodings only.

Python's codec registry also holds bytes-to-bytes and str-to-str transforms (rot13, base64,
hex, zlib, bz2, uu, quopri) and oddities (punycode, undefined) that are no text encoding;
named in a `<meta charset>` or `--encoding` they crashed the decoder. `_is_text_encoding`
is how the standard library itself tells them apart (str.encode refuses the others).
"""

from __future__ import annotations

import codecs

EXAMPLES = "e.g. utf-8, cp1252, latin-1, utf-16"
# No text is written in these; punycode is for host names only.
_NOT_FOR_TEXT = {"punycode", "undefined", "idna"}


def text_encoding(name: str) -> str | None:
    """The codec's canonical name when `name` is a text encoding, else None."""
    try:
        info = codecs.lookup(name)
    except (LookupError, ValueError):  # ValueError: a name with NUL in it
        return None
    if not getattr(info, "_is_text_encoding", True) or info.name in _NOT_FOR_TEXT:
        return None
    return info.name


def problem(name: str) -> str | None:
    """Why `name` cannot be used to read text, or None when it can."""
    if text_encoding(name) is not None:
        return None
    try:
        codecs.lookup(name)
    except (LookupError, ValueError):
        return f"unknown encoding {name!r} ({EXAMPLES})"
    return f"{name!r} is not a text encoding ({EXAMPLES})"


def utf16_by_nuls(sample: bytes) -> str | None:
    """UTF-16 without a byte-order mark, told by where its NULs fall: Latin text in UTF-16LE
    has a NUL after every letter, in UTF-16BE before it. None when the sample is not that."""
    if not sample or sample.count(b"\x00") * 4 <= len(sample):
        return None
    odd = sample[1::2].count(b"\x00") > sample[0::2].count(b"\x00")
    return "utf-16-le" if odd else "utf-16-be"
