"""Links standard (LNK): exact findings on the fixtures, plus merge-tag, MSO and edge cases."""

from __future__ import annotations

from pathlib import Path

import pytest

from linter import catalogue
from linter.checks.email import urls
from linter.config import Config
from linter.lint import lint_text
from linter.policy import LinksPolicy, Policy
from tests.pages import rule_lines

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "email" / "links"
STAGING = Policy(links=LinksPolicy(staging_hosts=("staging.example.com", "*.preview.example.net")))


def _found(text: str, policy: Policy | None = None) -> list[tuple[str, int]]:
    return rule_lines(text, "LNK", policy)


def _messages(text: str, policy: Policy | None = None) -> list[str]:
    config = Config.defaults(catalogue.load(), policy)
    return [f.message for f in lint_text("t.html", text, config) if f.rule.startswith("LNK")]


def test_bad_fixture_findings() -> None:
    text = (FIXTURES / "bad-links.html").read_text(encoding="utf-8")
    assert _found(text, STAGING) == [
        ("LNK001", 13),
        ("LNK002", 15),  # VML button inside <!--[if mso]> points at staging
        ("LNK001", 20),
        ("LNK002", 20),
        ("LNK006", 22),
        ("LNK003", 23),
        ("LNK004", 24),
        ("LNK005", 24),
        ("LNK003", 25),
    ]


def test_good_fixture_is_clean() -> None:
    text = (FIXTURES / "good-links.html").read_text(encoding="utf-8")
    assert _found(text, STAGING) == []


def test_staging_hosts_come_from_policy() -> None:
    text = '<a href="https://staging.example.com/x">x</a>'
    assert _found(text) == []
    assert _found(text, STAGING) == [("LNK002", 1)]
    assert _found('<a href="https://a.b.preview.example.net/">x</a>', STAGING) == [("LNK002", 1)]
    assert _found('<a href="https://notstaging.example.com/">x</a>', STAGING) == []


def test_messages_name_the_url() -> None:
    assert _messages('<a href="http://example.com/x">x</a>') == [
        "Link uses http:// (http://example.com/x)"
    ]
    assert _messages('<a href="mailto:a@b">x</a>') == [
        "mailto: link has an invalid address (a@b) (mailto:a@b)"
    ]


@pytest.mark.parametrize(
    "href",
    ["{{action_url}}", "*|UNSUB|*", "%%view_email_url%%", "[[unsubscribe]]", "{% url 'x' %}"],
)
def test_templated_hrefs_are_not_empty_or_broken(href: str) -> None:
    assert _found(f'<a href="{href}">x</a>') == []


def test_merge_tags_inside_urls_are_masked() -> None:
    html = (
        '<a href="https://example.com/u/{{ user.id }}?list=*|LIST:UID|*'
        "&amp;n={{ name | default: 'a b' }}\">x</a>"
    )
    assert _found(html) == []


def test_anchor_without_href_is_not_a_link() -> None:
    assert _found('<a name="top"></a><a id="x">x</a>') == []


@pytest.mark.parametrize(
    "host",
    ["localhost", "127.0.0.1", "0.0.0.0", "[::1]", "192.168.1.20", "shop.local", "app.localhost"],
)
def test_local_hosts(host: str) -> None:
    assert _found(f'<a href="https://{host}/x">x</a>') == [("LNK002", 1)]


def test_public_hosts_are_fine() -> None:
    assert _found('<a href="https://localhost.example.com/">x</a>') == []
    assert _found('<a href="https://8.8.8.8/">x</a>') == []


def test_area_and_mso_and_non_mso_links_are_all_read() -> None:
    html = (
        '<!--[if mso]><v:roundrect href="http://x.com/a"></v:roundrect><![endif]-->\n'
        '<!--[if !mso]><!--><a href="http://x.com/b">b</a><!--<![endif]-->\n'
        '<map name="m"><area href="http://x.com/c" shape="rect" coords="0,0,1,1" alt="c"></map>'
    )
    assert _found(html) == [("LNK001", 1), ("LNK001", 2), ("LNK001", 3)]


def test_unencoded_characters() -> None:
    assert _found('<a href="https://x.com/a|b">x</a>') == [("LNK006", 1)]
    assert _found('<a href="https://x.com/a%2">x</a>') == [("LNK006", 1)]
    assert _found('<a href="https://x.com/a%20b">x</a>') == []
    # Browsers trim white space around an href; only spaces inside the URL break it.
    assert _found('<a href="  https://x.com/a  ">x</a>') == []
    # mailto: subjects with spaces work in every mail app: only http(s) URLs are judged.
    assert _found('<a href="mailto:a@example.com?subject=Hi there">x</a>') == []


def test_mailto_and_tel_variants() -> None:
    assert _found('<a href="MAILTO:a@example.com,b@example.org">x</a>') == []
    assert _found('<a href="mailto:a%40example.com">x</a>') == []
    assert _found('<a href="mailto:?cc=a@example.com">x</a>') == [("LNK004", 1)]
    assert _found('<a href="tel:%2B1%20555">x</a>') == []


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("", []),
        ("<a href>", [("LNK003", 1)]),
        ("<a href='http://[x/'>x</a>", [("LNK003", 1)]),  # no host it could reach
        ('<a href="https://">x</a>', [("LNK003", 1)]),  # a placeholder never filled in
        ("<<<>>>", []),
    ],
)
def test_malformed_input_is_judged_like_any_other(html: str, expected: list[object]) -> None:
    assert _found(html) == expected


def test_url_helpers() -> None:
    assert urls.scheme(" Java\tScript:x") == "javascript"
    assert urls.host("//cdn.example.com/a.png") == "cdn.example.com"
    assert urls.host("/relative/path") == ""
    assert urls.mask_tags("https://x/{{a b}}") == "https://x/xxxxxxx"
    assert (
        urls.matches_host("a.staging.example.com", ("staging.example.com",))
        == "staging.example.com"
    )


@pytest.mark.parametrize(
    ("srcset", "found"),
    [
        ("a.png 1x, b.png 2x", ["a.png", "b.png"]),
        ("a.png, b.png", ["a.png", "b.png"]),  # a comma ending a URL ends its candidate
        ("https://x.com/w_100,h_50/a.png 100w", ["https://x.com/w_100,h_50/a.png"]),
        ("a.png 1x,b.png 2x", ["a.png", "b.png"]),
        ("", []),
        (" , ,", []),
    ],
)
def test_srcset_candidates_are_split_as_browsers_split_them(srcset: str, found: list[str]) -> None:
    assert urls.srcset_urls(srcset) == found


def test_relative_images_include_outlooks_vml_and_not_colours() -> None:
    vml = '<!--[if mso]><v:image src="images/bg.jpg" style="width:600px"/><![endif]-->'
    assert ("LNK007", 1) in _found(f"<html><body>{vml}</body></html>")
    colour = '<table background="rgba(0, 0, 0, 0.5)"><tr><td>x</td></tr></table>'
    assert "LNK007" not in {r for r, _ in _found(f"<html><body>{colour}</body></html>")}


def test_single_brace_placeholders_in_a_url_are_filled_at_send_time() -> None:
    # Elastic Email's {email}, Salesforce's {!Contact.Id}: no merge-tag dialect, still a tag.
    for href in (
        "https://x.com/unsub?email={email}&token={title}",
        "https://x.com/p?id={!Contact.Id}",
    ):
        assert _found(f'<html><body><a href="{href}">Unsubscribe</a></body></html>') == [], href
    # A brace that is no placeholder is still reported.
    for href in ('https://x.com/?q={"a":1}', "https://x.com/?q={ a }", "https://x.com/{"):
        html = f"<html><body><a href='{href}'>Shop</a></body></html>"
        assert ("LNK006", 1) in _found(html), href
