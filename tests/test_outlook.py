"""Outlook standard (OUT): exact findings on the fixtures and the MSO / merge-tag edge cases."""

from __future__ import annotations

from pathlib import Path

from linter import catalogue
from linter.config import Config
from linter.lint import lint_text
from tests.pages import rule_lines

FIXTURES = Path(__file__).parent.parent / "fixtures" / "email" / "outlook"
CONFIG = Config.defaults(catalogue.load())


def _found(html: str) -> list[tuple[str, int]]:
    return sorted(rule_lines(html, "OUT"))


def _ids(html: str) -> set[str]:
    return {rule for rule, _ in _found(html)}


def test_bad_fixture_exact_findings() -> None:
    html = (FIXTURES / "bad-newsletter.html").read_text()
    assert _found(html) == [
        ("OUT001", 22),
        ("OUT002", 2),
        ("OUT003", 16),
        ("OUT004", 13),
        ("OUT005", 29),
        ("OUT005", 32),
        ("OUT006", 8),
        ("OUT007", 30),
        ("OUT008", 23),
    ]


def test_good_fixture_is_clean() -> None:
    assert _found((FIXTURES / "good-newsletter.html").read_text()) == []


def test_vml_namespace_on_an_ancestor_counts() -> None:
    html = (
        '<html><body><div xmlns:v="urn:schemas-microsoft-com:vml"><!--[if mso]>'
        '<v:rect style="width:10px"></v:rect><![endif]--></div></body></html>'
    )
    assert "OUT001" not in _ids(html)


def test_pixels_per_inch_must_be_96() -> None:
    html = (
        '<html xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:'
        'office:office"><head><!--[if mso]><xml><o:OfficeDocumentSettings><o:PixelsPerInch>'
        "120</o:PixelsPerInch></o:OfficeDocumentSettings></xml><![endif]--></head><body>"
        '<!--[if mso]><v:rect style="width:600px"></v:rect><![endif]--></body></html>'
    )
    hits = [f for f in lint_text("t.html", html, CONFIG) if f.rule == "OUT002"]
    assert len(hits) == 1 and "'120'" in hits[0].message


def test_no_outlook_only_code_needs_no_dpi_setting() -> None:
    assert "OUT002" not in _ids('<table width="600"><tr><td>x</td></tr></table>')


def test_max_width_inside_non_mso_block_is_not_outlooks_problem() -> None:
    html = '<!--[if !mso]><!--><div style="max-width: 600px">x</div><!--<![endif]-->'
    assert "OUT004" not in _ids(html)


def test_max_width_inside_mso_ghost_table_ancestor() -> None:
    html = (
        '<!--[if mso]><table width="600"><tr><td><![endif]--><table width="100%" '
        'style="max-width: 600px"><tr><td>x</td></tr></table><!--[if mso]></td></tr>'
        "</table><![endif]-->"
    )
    assert "OUT004" not in _ids(html)


def test_full_width_mso_wrapper_is_not_a_ghost_table() -> None:
    html = (
        '<!--[if mso | IE]><table width="100%"><tr><td><![endif]--><div style="max-width: '
        '600px">x</div><!--[if mso | IE]></td></tr></table><![endif]-->'
    )
    assert _found(html) == [("OUT004", 1)]


def test_hidden_preheader_max_width_is_ignored() -> None:
    html = '<div style="display:none; max-height:0; max-width:0px; mso-hide:all">Preview</div>'
    assert _found(html) == []


def test_inline_block_button_link_is_not_a_column() -> None:
    assert "OUT005" not in _ids('<a href="{{url}}" style="display:inline-block">Go</a>')


def test_background_attribute_with_merge_tag_still_needs_vml() -> None:
    html = '<table><tr><td background="{{ hero_url }}">Sale</td></tr></table>'
    assert _found(html) == [("OUT003", 1)]


def test_web_font_wrapped_for_non_mso_is_fine_and_mso_font_alt_counts() -> None:
    face = (
        "@font-face { font-family: Brand; src: url(https://example.com/b.woff2); %s }"
        "td { font-family: Brand, Arial; }"
    )
    assert "OUT006" in _ids(f"<style>{face % ''}</style><table><tr><td>x</td></tr></table>")
    assert "OUT006" not in _ids(
        f"<style>{face % 'mso-font-alt: Arial;'}</style><table><tr><td>x</td></tr></table>"
    )


def test_web_font_only_in_second_place_is_fine() -> None:
    html = (
        "<style>@import url('https://fonts.googleapis.com/css2?family=Roboto:wght@400');"
        "td { font-family: Arial, Roboto; }</style><table><tr><td>x</td></tr></table>"
    )
    assert "OUT006" not in _ids(html)


def test_padding_compensated_for_outlook() -> None:
    mso_class = (
        "<!--[if mso]><style>.pad { padding: 20px !important; }</style><![endif]-->"
        '<table><tr><td class="pad"><p style="padding: 20px">x</p></td></tr></table>'
    )
    spacer = (
        '<table><tr><td><a href="#" style="display:block; padding: 0 10px; border: 15px '
        'solid #222"><!--[if mso]>&nbsp;&nbsp;<![endif]-->Go<!--[if mso]>&nbsp;&nbsp;'
        "<![endif]--></a></td></tr></table>"
    )
    zero = '<table><tr><td><p style="padding: 0; padding-top: 0px">x</p></td></tr></table>'
    assert _found(mso_class) == [] and _found(spacer) == [] and _found(zero) == []


def test_malformed_input_is_judged_like_any_other() -> None:
    assert _found("") == []
    assert _found("<v:rect") == []
    assert _found("<div style='max-width:") == []
    assert _found("<!--[if mso]><table width=600>") == [("OUT009", 1)]
    assert _found("<style>@font-face { font-family: </style>") == []
