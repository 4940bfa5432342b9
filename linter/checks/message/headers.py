"""Header checks: one-click unsubscribe (RFC 8058), Subject and From.

Sources: RFC 2369 (List-Unsubscribe) and RFC 8058 (List-Unsubscribe-Post: the one-click
POST to an https URL); Google's email sender guidelines and Yahoo's sender requirements
(February 2024) require both of bulk senders' marketing mail.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, NamedTuple

from linter.checks import NoParams, check
from linter.checks.email.urls import scheme
from linter.checks.hits import clip
from linter.documents import mergetags
from linter.findings import Hit
from linter.lazyre import on_first_use
from linter.policy import Policy

if TYPE_CHECKING:  # only .eml runs load the stdlib email package
    from linter.documents.message import MessageDocument

_URLS = on_first_use(r"<\s*([^>]*?)\s*>")
_ONE_CLICK = on_first_use(r"^\s*List-Unsubscribe\s*=\s*One-Click\s*$", re.IGNORECASE)


def _at_header(doc: MessageDocument, name: str, message: str, context: str) -> Hit:
    place = doc.header_place(name)
    return Hit(place.line, place.column, message, context)


@check("has-one-click-unsubscribe", NoParams, kind="message")
def has_one_click_unsubscribe(doc: MessageDocument, p: NoParams, policy: Policy) -> Iterator[Hit]:
    """List-Unsubscribe names an https URL and List-Unsubscribe-Post asks for one click."""
    value = doc.header("List-Unsubscribe")
    if value is None:
        yield _at_header(
            doc,
            "List-Unsubscribe",
            "No List-Unsubscribe header, so mailbox providers show no unsubscribe button",
            "list-unsubscribe missing",
        )
        return
    urls = _URLS().findall(value)
    if not any(scheme(u) == "https" or mergetags.is_templated(u) for u in urls):
        shown = ", ".join(clip(u, 60) for u in urls) or clip(value, 60)
        yield _at_header(
            doc,
            "List-Unsubscribe",
            f"List-Unsubscribe names no https URL ({shown}): one-click unsubscribe needs one",
            "list-unsubscribe no https",
        )
    post = doc.header("List-Unsubscribe-Post")
    if post is None or not _ONE_CLICK().match(post):
        said = "is missing" if post is None else f'is "{clip(post, 60)}"'
        yield _at_header(
            doc,
            "List-Unsubscribe-Post" if post is not None else "List-Unsubscribe",
            f'List-Unsubscribe-Post {said}, not "List-Unsubscribe=One-Click"',
            "list-unsubscribe-post",
        )


@check("has-subject", NoParams, kind="message")
def has_subject(doc: MessageDocument, p: NoParams, policy: Policy) -> Iterator[Hit]:
    """The message has a Subject with words in it."""
    subject = doc.header("Subject")
    if subject is None or not subject.strip():
        said = "no Subject header" if subject is None else "an empty Subject"
        yield _at_header(doc, "Subject", f"The message has {said}", "subject missing")


@check("limits-subject-length", NoParams, kind="message")
def limits_subject_length(doc: MessageDocument, p: NoParams, policy: Policy) -> Iterator[Hit]:
    """The Subject fits the team's length (message.subject-max-length)."""
    subject = " ".join((doc.header("Subject") or "").split())
    limit = policy.message.subject_max_length
    if len(subject) > limit:
        yield _at_header(
            doc,
            "Subject",
            f"The Subject is {len(subject)} characters, over {limit}: inboxes cut it"
            f' after "{subject[:limit]}"',
            "subject length",
        )


@check("forbids-merge-tags-in-headers", NoParams, kind="message")
def forbids_merge_tags_in_headers(
    doc: MessageDocument, p: NoParams, policy: Policy
) -> Iterator[Hit]:
    """Subject and From hold no merge tag left unfilled."""
    for name in ("Subject", "From"):
        value = doc.header(name) or ""
        for tag in mergetags.find_tags(value):
            yield _at_header(
                doc,
                name,
                f"The {name} holds the unfilled merge tag {clip(tag.text, 60)}:"
                " recipients see it as written",
                f"{name} {tag.text}",
            )


class _Sender(NamedTuple):
    address: str
    display_name: str


def _sender(doc: MessageDocument) -> _Sender | None:
    try:
        header = doc.message["From"]
        addresses = getattr(header, "addresses", ())
    except Exception:  # a From the policy cannot parse is judged on its raw text
        addresses = ()
    if addresses:
        return _Sender(addresses[0].addr_spec, addresses[0].display_name)
    raw = doc.header("From")
    return None if raw is None else _Sender(raw.strip(), "")


@check("has-sender-name", NoParams, kind="message")
def has_sender_name(doc: MessageDocument, p: NoParams, policy: Policy) -> Iterator[Hit]:
    """From names the sender: "Acme News <news@acme.example>", not a bare address."""
    sender = _sender(doc)
    if sender is None:
        yield _at_header(doc, "From", "The message has no From header", "from missing")
    elif not sender.display_name.strip():
        yield _at_header(
            doc,
            "From",
            f"From is the bare address {clip(sender.address, 60) or '(empty)'}: inboxes show"
            " it instead of a name",
            "from no display name",
        )
