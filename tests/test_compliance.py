"""Compliance rules on hand-written fixtures and edge cases: exact ids and lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from linter.checks.email.compliance import visible_text, walk
from linter.documents.email import EmailDocument
from linter.policy import CompliancePolicy, Policy
from tests.pages import rule_lines

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "email" / "compliance"
POLICY = Policy(compliance=CompliancePolicy(postal_address_required=True))


def _found(text: str, policy: Policy = POLICY) -> list[tuple[str, int]]:
    return rule_lines(text, "CMP", policy)


def test_bad_fixture_exact_findings() -> None:
    found = _found((FIXTURES / "bad-newsletter.html").read_text(encoding="utf-8"))
    assert sorted(found) == [
        ("CMP001", 21),  # the only unsubscribe link is Outlook-only
        ("CMP002", 2),  # no postal address
        ("CMP003", 11),  # preview starts with "View this email in your browser"
    ]


def test_good_fixture_is_clean() -> None:
    assert _found((FIXTURES / "good-newsletter.html").read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    "footer",
    [
        '<a href="{{unsubscribe_url}}">Stop these emails</a>',
        '<a href="<%asm_group_unsubscribe_raw_url%>">Stop</a>',
        "<p>%unsubscribe_url%</p>",
        '<a href="https://x.com/p">Manage your email preferences</a>',
        '<a href="https://x.com/a">Newsletter abbestellen</a>',
        '<a href="https://x.com/a">Darse de baja</a>',
        "<p>{{{ pm:unsubscribe }}}</p>",
        "<p>{% unsubscribe %}</p>",
        "<preferences>Update your preferences</preferences>",
    ],
)
def test_recognised_unsubscribe_forms(footer: str) -> None:
    assert _found(f"<html><body><p>Sale</p>{footer}</body></html>", Policy()) == []


def test_commented_out_unsubscribe_does_not_count() -> None:
    html = '<html><body><p>Sale</p><!-- <a href="*|UNSUB|*">Unsubscribe</a> --></body></html>'
    assert _found(html, Policy()) == [("CMP001", 1)]


def test_address_merge_tag_counts_but_email_address_does_not() -> None:
    ok = "<html><body><p>Sale</p><p>{{ Sender_Address }}</p></body></html>"
    bad = "<html><body><p>Sale</p><p>Sent to {{ email_address }}</p></body></html>"
    assert ("CMP002", 1) not in _found(ok)
    assert ("CMP002", 1) in _found(bad)


def test_postal_address_heuristics() -> None:
    for address in (
        "123 Fake Street, Springfield",
        "PO Box 42",
        "Hauptstraße 5, Berlin",
        "7-11 Commercial Ct, Belfast BT1 2NB",
        "12 rue de la Paix, Paris",
    ):
        html = f"<html><body><p>Sale</p><p>Acme, {address}</p></body></html>"
        assert ("CMP002", 1) not in _found(html), address


def test_preheader_first_alt_text() -> None:
    html = '<html>\n<body>\n<img src="logo.png" alt="Acme"><p>Hello</p></body></html>'
    assert _found(html, Policy()) == [("CMP001", 1), ("CMP003", 3)]


def test_transactional_preheader_from_first_copy_is_fine() -> None:
    html = (
        "<html><body><h1>Reset your password</h1><p>Use the link below.</p>"
        '<a href="https://x.com/unsubscribe">Unsubscribe</a></body></html>'
    )
    assert _found(html, Policy()) == []


def test_ghost_table_content_is_not_outlook_only() -> None:
    """An [if mso] table never closed there wraps the email in the parse; text is for all."""
    html = (
        "<html><body><!--[if mso]><table><tr><td><![endif]-->"
        '<div style="display:none">Preview</div><p>Hi</p>'
        '<a href="https://x.com/unsubscribe">Unsubscribe</a>'
        "<!--[if mso]></td></tr></table><![endif]--></body></html>"
    )
    assert _found(html, Policy()) == []


def test_walk_makes_no_piece_of_white_space_alone_and_keeps_a_nbsp() -> None:
    """Indentation between tags is most text runs of a template, and no reader of the
    pieces needs it (they join pieces with a space); a &nbsp; is text to the preview."""
    doc = EmailDocument(
        "e.html",
        "<html><body><table>\n  <tr>\n    <td>&nbsp;</td>\n    <td>Hi <b>there</b> \n"
        "</td></tr></table></body></html>",
    )
    assert [p.text for p in walk(doc)] == ["\xa0", "Hi ", "there"]
    assert visible_text(doc) == "Hi there"
