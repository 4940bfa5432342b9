"""Merge-tag rules on hand-written fixtures and edge cases: exact ids and lines."""

from __future__ import annotations

from pathlib import Path

from linter.policy import MergeTagsPolicy, Policy
from tests.pages import rule_lines

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "email" / "merge-tags"
POLICY = Policy(
    merge_tags=MergeTagsPolicy(
        allowed=("first_name", "plan", "items", "login_url", "unsubscribe_url"), fallbacks=True
    )
)


def _found(text: str, policy: Policy = POLICY) -> list[tuple[str, int]]:
    return rule_lines(text, "MRG", policy)


def test_bad_fixture_exact_findings() -> None:
    found = _found((FIXTURES / "bad-welcome.html").read_text(encoding="utf-8"))
    assert sorted(found) == [
        ("MRG001", 10),  # {{ first_name },
        ("MRG002", 15),  # *|UNSUB|* in a {{ }} file
        ("MRG003", 11),  # acount_id (typo)
        ("MRG004", 11),
        ("MRG004", 12),  # {{ plan }} without default
    ]


def test_good_fixture_is_clean() -> None:
    assert _found((FIXTURES / "good-welcome.html").read_text(encoding="utf-8")) == []


def test_no_policy_checks_only_structure() -> None:
    assert _found("<p>Hi {{ nobody_knows }}</p>", Policy()) == []


def test_css_and_json_braces_are_not_tags() -> None:
    html = (
        "<style>@media screen{.a{color:red}}</style>"
        '<script type="application/ld+json">{"a": {"b": 1}}</script><p>Hi</p>'
    )
    assert _found(html, Policy()) == []


def test_configured_dialect_reports_foreign_tags() -> None:
    policy = Policy(merge_tags=MergeTagsPolicy(dialect="mailchimp"))
    assert _found("<p>Hi *|FNAME|*</p>\n<p>{{ code }}</p>", policy) == [("MRG002", 2)]


def test_handlebars_sections_and_helpers() -> None:
    html = (
        "{{#if name}}Hi {{name}}{{/if}}\n{{#each receipt_details}}{{description}}{{/each}}\n"
        "{{#attachment_details}}{{attachment_name}}{{/attachment_details}}\n"
        '{{formatDate purchase_date "YYYY"}}'
    )
    policy = Policy(merge_tags=MergeTagsPolicy(allowed=("name", "receipt_details"), fallbacks=True))
    assert _found(html, policy) == [("MRG003", 3), ("MRG003", 4), ("MRG004", 4)]


def test_mailchimp_builtins_and_conditions() -> None:
    html = "*|IF:FNAME|*Hi *|FNAME|**|END:IF|* *|LIST:ADDRESS|* *|UNSUB|* *|COUPON|*"
    policy = Policy(merge_tags=MergeTagsPolicy(allowed=("FNAME",)))
    assert _found(html, policy) == [("MRG003", 1)]


def test_liquid_assign_defines_a_name() -> None:
    html = '{% assign greeting = "Hello" %}<p>{{ greeting }} {{ first_name | default: "you" }}</p>'
    assert _found(html) == []
