"""Security standard (SEC): exact findings on the fixtures, obfuscated URLs, MSO and edge cases."""

from __future__ import annotations

from pathlib import Path

import pytest

from linter import catalogue
from linter.config import Config
from linter.lint import lint_text
from tests.pages import rule_lines

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "email" / "security"


def _found(text: str) -> list[tuple[str, int]]:
    return rule_lines(text, "SEC")


def _messages(text: str) -> list[str]:
    config = Config.defaults(catalogue.load())
    return [f.message for f in lint_text("t.html", text, config) if f.rule.startswith("SEC")]


def test_bad_fixture_findings() -> None:
    text = (FIXTURES / "bad-security.html").read_text(encoding="utf-8")
    assert _found(text) == [
        ("SEC007", 7),
        ("SEC001", 8),
        ("SEC002", 10),
        ("SEC004", 15),
        ("SEC005", 19),
        ("SEC006", 20),
        ("SEC003", 21),
    ]


def test_good_fixture_is_clean() -> None:
    text = (FIXTURES / "good-security.html").read_text(encoding="utf-8")
    assert _found(text) == []


@pytest.mark.parametrize(
    "href",
    [
        "javascript:void(0)",
        "JAVASCRIPT:alert(1)",
        "  javascript:alert(1)",
        "java&#x09;script:alert(1)",
        "java&#10;script:alert(1)",
        "&#106;&#97;vascript:alert(1)",
        "javascript&colon;alert(1)",
        "vbscript:msgbox(1)",
    ],
)
def test_obfuscated_script_urls(href: str) -> None:
    assert _found(f'<a href="{href}">x</a>') == [("SEC003", 1)]


def test_script_url_in_other_attributes_and_mso() -> None:
    html = (
        '<img src="javascript:x()" alt="">\n'
        '<!--[if mso]><v:roundrect href="javascript:go()"></v:roundrect><![endif]-->\n'
        '<table background="javascript:x()"><tr><td>x</td></tr></table>'
    )
    assert _found(html) == [("SEC003", 1), ("SEC003", 2), ("SEC003", 3)]


def test_script_url_message_shows_the_obfuscation() -> None:
    assert _messages('<a href="java&#x09;script:go()">x</a>') == [
        "<a> href runs a javascript: URL (java\\tscript:go())"
    ]


def test_text_mentioning_javascript_is_fine() -> None:
    assert _found('<a href="https://example.com/?next=javascript:x">javascript: tips</a>') == []


def test_event_handlers_any_case_on_any_element() -> None:
    html = '<div onMouseOver="x()">a</div>\n<img src="a.png" alt="" ONERROR="y()">'
    assert _found(html) == [("SEC002", 1), ("SEC002", 2)]
    assert _messages('<td onclick="go()">a</td>') == ['<td> has onclick="go()"']


def test_attributes_that_only_start_with_on_letters_are_fine() -> None:
    assert _found('<td one="1" on="x">a</td>') == []


def test_script_in_mso_block_is_still_reported() -> None:
    assert _found("<!--[if mso]><script>x()</script><![endif]-->") == [("SEC001", 1)]


def test_json_ld_with_charset_parameter_is_allowed() -> None:
    html = '<script type="application/ld+json; charset=utf-8">{}</script>'
    assert _found(html) == []


def test_stylesheet_rel_variants() -> None:
    assert _found('<link rel="Alternate Stylesheet" href="https://x.com/a.css">') == [("SEC007", 1)]
    assert _found('<link rel="icon" href="https://x.com/favicon.ico">') == []
    assert (
        _found('<link rel="stylesheet" href="https://fonts.googleapis.com/css2?family=Inter">')
        == []
    )


def test_commented_out_elements_are_not_reported() -> None:
    assert _found("<!-- <script src='x.js'></script> <iframe src='y'></iframe> -->") == []


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("", []),
        ("<script", []),  # a truncated tag is no element in any parser
        ("<a href=javascript:>x", [("SEC003", 1)]),
        ("<iframe><iframe>", [("SEC005", 1)]),  # the inner one is the outer's text
    ],
)
def test_malformed_input_is_judged_like_any_other(html: str, expected: list[object]) -> None:
    assert _found(html) == expected
