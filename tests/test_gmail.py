"""Gmail standard (GML): exact findings on the fixtures, sizes at the limits, edge cases."""

from __future__ import annotations

from pathlib import Path

from linter import catalogue
from linter.config import Config
from linter.lint import lint_text
from tests.pages import rule_lines

FIXTURES = Path(__file__).parent.parent / "fixtures" / "email" / "gmail"
CONFIG = Config.defaults(catalogue.load())


def _found(html: str) -> list[tuple[str, int]]:
    return sorted(rule_lines(html, "GML"))


def _padded(size: int) -> str:
    """An email of exactly `size` bytes."""
    head, tail = "<html><body><p>", "</p></body></html>"
    return head + "x" * (size - len(head) - len(tail)) + tail


def test_bad_fixture_exact_findings() -> None:
    html = (FIXTURES / "bad-promo.html").read_text()
    assert _found(html) == [("GML004", 10), ("GML005", 15), ("GML006", 23)]


def test_good_fixture_is_clean() -> None:
    assert _found((FIXTURES / "good-promo.html").read_text()) == []


def test_clip_limit_boundaries() -> None:
    assert _found(_padded(102 * 1024)) == [("GML002", 1)]
    assert _found(_padded(102 * 1024 + 1)) == [("GML001", 1)]
    assert _found(_padded(90 * 1024)) == []
    assert _found(_padded(90 * 1024 + 1)) == [("GML002", 1)]


def test_clip_message_counts_utf8_bytes_and_mentions_merge_tags() -> None:
    html = _padded(103 * 1024).replace("xxxx", "{{a}}", 1).replace("xx", "é", 1)
    (hit,) = [f for f in lint_text("t.html", html, CONFIG) if f.rule == "GML001"]
    assert "before merge tags are filled in" in hit.message


def test_style_limit_is_cumulative_and_skips_mso_blocks() -> None:
    rule = ".c{color:#333333;}\n"
    half = rule * (9 * 1024 // len(rule))
    html = (
        f"<html><head><style>{half}</style>\n<!--[if mso]><style>{half}</style><![endif]-->"
        f"\n<style>{half}</style></head><body></body></html>"
    )
    third = html.rindex("<style>")
    assert _found(html) == [("GML003", html.count("\n", 0, third) + 1)]


def test_nested_at_rule_in_mso_only_style_is_ignored() -> None:
    html = "<!--[if mso]><style>@media all { @page { margin: 0 } }</style><![endif]-->"
    assert _found(html) == []


_SENDGRID_HEAD = (
    # SendGrid's shape: the web font hidden in @media screen shares the block with resets
    # only other clients read, rules on <body> (Gmail replaces it) and what Gmail shows.
    "<html><head><style>@media screen { @font-face { font-family: S; src: url(s.woff); } }"
    " body, table, td, a { -webkit-text-size-adjust: 100%; } table { mso-table-lspace: 0pt; }"
    " a[x-apple-data-detectors] { color: inherit !important; } ul { margin: 0; }"
    " a { color: #1a82e2; } h1 { margin: 0; } h1 { color: #333; }"
    " body { margin: 0 !important; } p { margin: 0; } img { border: 0; }"
)
_SENDGRID_BODY = (
    "<h1>Hi</h1><p class='intro'><a href='https://example.com'>Go</a><img src='x.png'></p>"
)


def _gmail_messages(html: str) -> list[tuple[str, str]]:
    return [
        (f.rule, f.message) for f in lint_text("t.html", html, CONFIG) if f.rule.startswith("GML")
    ]


def test_nested_at_rule_with_only_resets_is_info_naming_what_is_lost() -> None:
    html = f"{_SENDGRID_HEAD}</style></head><body>{_SENDGRID_BODY}</body></html>"
    ((rule, message),) = _gmail_messages(html)
    assert rule == "GML007"
    assert message.endswith(
        "its readers lose a { color }, h1 { margin, color }, p { margin } and 1 more rule"
    )


def test_nested_at_rule_with_the_phone_layout_is_a_warning_naming_it() -> None:
    mobile = " .intro { padding: 12px; } @media (max-width: 480px) { h1 { font-size: 24px; } }"
    html = f"{_SENDGRID_HEAD}{mobile}</style></head><body>{_SENDGRID_BODY}</body></html>"
    ((rule, message),) = _gmail_messages(html)
    assert rule == "GML004"
    assert message.endswith("its readers lose h1 { font-size }")


def test_closing_brace_without_opener() -> None:
    assert _found("<style>\n.a { color: red; } }\n</style>") == [("GML005", 2)]


def test_braces_in_comments_strings_and_merge_tags_are_not_structure() -> None:
    html = (
        '<style>/* { */ a::after { content: "}"; } b { color: {{ c }}; }'
        " i { color: *|C|*; }</style>"
    )
    assert _found(html) == []


def test_data_uri_case_insensitive_and_https_fine() -> None:
    assert _found('<img src=" DATA:image/gif;base64,R0lG" alt="">') == [("GML006", 1)]
    assert _found('<img src="{{ logo_url }}" alt="">') == []


def test_malformed_input_is_judged_like_any_other() -> None:
    assert _found("") == []
    assert _found("<style>") == []
    assert _found("<style>{{{</style>") == [("GML005", 1)]
    assert _found("<img src=data:>") == [("GML006", 1)]
    assert _found("<style>@media{@") == [("GML005", 1)]
