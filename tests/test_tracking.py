"""Tracking rules on hand-written fixtures and edge cases: exact ids and lines."""

from __future__ import annotations

from pathlib import Path

from linter.policy import Policy, TrackingPolicy
from tests.pages import rule_lines

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "email" / "tracking"
POLICY = Policy(
    tracking=TrackingPolicy(
        pixel_required=True,
        pixel_hosts=("t.example.com",),
        utm={"utm_source": (), "utm_medium": ("email",)},
        utm_hosts=("example.com",),
    )
)


def _found(text: str, policy: Policy = POLICY) -> list[tuple[str, int]]:
    return rule_lines(text, "TRK", policy)


def test_bad_fixture_exact_findings() -> None:
    found = _found((FIXTURES / "bad-promo.html").read_text(encoding="utf-8"))
    assert sorted(found) == [
        ("TRK002", 19),
        ("TRK002", 20),  # three pixels load together
        ("TRK003", 19),  # pixel.oldesp.net
        ("TRK004", 20),  # no width/height
        ("TRK005", 8),  # no alt
        ("TRK006", 8),  # inside a display:none preheader
        ("TRK007", 14),  # /stores has no UTM
        ("TRK008", 13),  # utm_medium=e-mail
    ]


def test_good_fixture_is_clean() -> None:
    """MSO/non-MSO pixel pair, spacer, twitter, mailto, merge-tag href, unsubscribe: all fine."""
    assert _found((FIXTURES / "good-promo.html").read_text(encoding="utf-8")) == []


def test_no_policy_keeps_policy_rules_silent() -> None:
    html = '<p>Hi</p><a href="https://example.com/x">x</a>'
    assert _found(html, Policy()) == []


def test_pixel_only_in_outlook_is_reported_for_other_clients() -> None:
    html = (
        '<p>Hi</p><!--[if mso]><img src="https://t.example.com/o.gif" width="1" '
        'height="1" alt=""><![endif]-->'
    )
    assert _found(html) == [("TRK001", 1)]


def test_templated_pixel_counts_and_is_not_judged_by_host() -> None:
    html = '<p>Hi</p><img src="{{ pixel_url }}" width="1" height="1" alt="">'
    assert _found(html) == []


def test_css_sized_pixel_is_a_pixel() -> None:
    html = '<p>Hi</p><img src="https://other.net/p.gif" style="width:1px;height:1px" alt="">'
    assert _found(html) == [("TRK001", 1), ("TRK003", 1)]


def test_data_uri_and_large_images_are_not_pixels() -> None:
    html = (
        '<img src="data:image/gif;base64,R0lGOD" width="1" height="1">'
        '<img src="https://cdn.net/hero.png" width="600" alt="Hero">'
    )
    assert _found(html, Policy(tracking=TrackingPolicy(pixel_hosts=("t.example.com",)))) == []


def test_utm_value_from_merge_tag_is_accepted() -> None:
    html = '<a href="https://example.com/?utm_source=x&amp;utm_medium={{ medium }}">x</a>'
    policy = Policy(tracking=TrackingPolicy(utm={"utm_source": (), "utm_medium": ("email",)}))
    assert _found(html, policy) == []


def test_empty_utm_value_is_missing() -> None:
    html = '<a href="https://shop.example.com/?utm_source=&amp;utm_medium=email">x</a>'
    policy = Policy(tracking=TrackingPolicy(utm={"utm_source": ()}, utm_hosts=("example.com",)))
    assert _found(html, policy) == [("TRK007", 1)]


def test_vml_button_link_is_checked() -> None:
    html = (
        '<!--[if mso]><v:roundrect href="https://example.com/buy" arcsize="10%">'
        "</v:roundrect><![endif]-->"
    )
    policy = Policy(tracking=TrackingPolicy(utm={"utm_source": ()}))
    assert _found(html, policy) == [("TRK007", 1)]
