"""The charset sniffing of linter.documents.decode agrees with bs4's EncodingDetector,
whose BOM table and declaration patterns it carries so that start-up need not import bs4
(see the module's docstring)."""

from __future__ import annotations

from pathlib import Path

from bs4.dammit import EncodingDetector
from hypothesis import given
from hypothesis import strategies as st

from linter.documents.decode import declared_encoding, decode_html, strip_bom

ROOT = Path(__file__).resolve().parent.parent
HTML = sorted(p for p in (ROOT / "fixtures").rglob("*") if p.suffix.lower() in {".html", ".htm"})

PIECES = [
    b"\xef\xbb\xbf",
    b"\xfe\xff",
    b"\xff\xfe",
    b"\x00\x00",
    b"\x00\x00\xfe\xff",
    b"<?xml version='1.0' encoding='iso-8859-1'?>",
    b'<meta charset="windows-1252">',
    b"<META http-equiv=Content-Type content='text/html; charset=UTF-8'>",
    b"<meta charset=>",
    b"<meta name=x>",
    b" ",
    b"\n",
    b"\xe9",
    b"<p>caf\xc3\xa9</p>",
    b"x" * 700,
]


def _agrees(data: bytes) -> None:
    assert strip_bom(data) == EncodingDetector.strip_byte_order_mark(data)
    head = data[:4096]
    assert declared_encoding(head) == EncodingDetector.find_declared_encoding(head, is_html=True)


def test_the_fixtures_sniff_as_bs4_sniffs_them() -> None:
    assert len(HTML) > 200
    for path in HTML:
        _agrees(path.read_bytes())


@given(st.lists(st.sampled_from(PIECES) | st.binary(max_size=8), max_size=12))
def test_generated_bytes_sniff_as_bs4_sniffs_them(parts: list[bytes]) -> None:
    _agrees(b"".join(parts))


def test_a_declared_charset_decides_and_a_bom_beats_it() -> None:
    latin = b'<meta charset="windows-1252"><p>caf\xe9</p>'
    assert decode_html(latin).encoding == "cp1252"
    assert "café" in decode_html(latin).text
    assert decode_html(b"\xef\xbb\xbf" + latin.replace(b"\xe9", b"\xc3\xa9")).encoding == "utf-8"
