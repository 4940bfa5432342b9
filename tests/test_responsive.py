"""Responsive standard on hand-written newsletters and edge cases."""

from __future__ import annotations

from pathlib import Path

from linter import catalogue
from linter.config import Config
from linter.lint import lint_text

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "email" / "responsive"
CONFIG = Config.defaults(catalogue.load())


def _found(text: str) -> list[tuple[str, int, int]]:
    findings = lint_text("t.html", text, CONFIG._replace(cli_select=("responsive", "RSP005")))
    return [(f.rule, f.line, f.column) for f in findings if f.rule.startswith("RSP")]


def test_bad_newsletter_breaks_every_responsive_rule_where_it_should() -> None:
    text = (FIXTURES / "bad-newsletter.html").read_text(encoding="utf-8")
    assert _found(text) == [
        ("RSP001", 2, 1),  # no viewport: reported on <html>
        ("RSP002", 8, 3),  # the 700px table, no media query, no fluid width
        ("RSP003", 8, 37),  # at its width="700" attribute
        ("RSP005", 10, 18),  # the 12px that sets the body copy
        ("RSP004", 11, 56),  # the 1200px image's width attribute
        ("RSP003", 14, 21),  # the 660px div's style
    ]


def test_good_newsletter_is_clean() -> None:
    text = (FIXTURES / "good-newsletter.html").read_text(encoding="utf-8")
    assert _found(text) == []


def test_outlook_only_ghost_tables_may_be_fixed_and_wide() -> None:
    ghost = (
        '<meta name="viewport" content="width=device-width">'
        '<!--[if mso]><table width="680"><tr><td><![endif]-->'
        '<div style="max-width:680px">x</div><!--[if mso]></td></tr></table><![endif]-->'
    )
    assert _found(ghost) == []


def test_css_width_wins_over_the_attribute() -> None:
    # width="700" is overridden by style width:100% in every client but Outlook.
    html = (
        '<meta name="viewport" content="width=device-width"><table width="700" style="width:100%">'
    )
    assert _found(html) == []


def test_small_footer_text_is_not_body_copy() -> None:
    body = "Thanks for joining us. " * 8
    html = (
        '<meta name="viewport" content="width=device-width">'
        f'<td style="font-size:16px">{body}</td><td style="font-size:11px">© 2026 Example</td>'
    )
    assert _found(html) == []


def test_the_viewport_name_matches_what_the_re2_pattern_did() -> None:
    """RSP001 read <meta name> with "^\\s*viewport\\s*$" on RE2 (case-insensitive) until it
    took an `re` pattern that needs no RE2: the same names, whatever their characters.
    (Run once over every code point; here over Latin, the white space and case-folding
    oddities, and a sample of the rest.)"""
    from linter.checks.email.responsive import _VIEWPORT_NAME
    from linter.userregex import compile_user

    before = compile_user(r"^\s*viewport\s*$", ignore_case=True)
    odd = "\v\x1c\x1f\x85\xa0\u1680\u2000\u2028\u202f\u3000\ufeff\u0130\u0131\u017f\u212a\uff56"
    chars = (
        {chr(c) for c in range(0x300)} | set(odd) | {chr(c) for c in range(0x300, 0x10FFFF, 997)}
    )
    chars -= {chr(c) for c in range(0xD800, 0xE000)}  # not in a parsed document's text
    word = "viewport"
    for c in chars:
        for name in (c + word, word + c, c, *(word[:i] + c + word[i + 1 :] for i in range(8))):
            was = before.search(name) is not None
            assert (_VIEWPORT_NAME.fullmatch(name) is not None) == was, (hex(ord(c)), name)
    for name in (
        "",
        "\n",
        "viewport\n",
        " \tVIEWPORT\r\n",
        "view port",
        "viewport\nx",
        "viewports",
    ):
        assert (_VIEWPORT_NAME.fullmatch(name) is not None) == (before.search(name) is not None)
