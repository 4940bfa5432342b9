"""MIME part checks: the plain-text alternative, declared charsets, the encoded size.

Sources: RFC 2046 multipart/alternative; RFC 2045 (a text part without a charset is
US-ASCII); spamresource.com, "What is Gmail clipping" (2022) and hteumeuleu/email-bugs#41:
Gmail's ~102 KB clip is measured on the HTML as sent, so quoted-printable or base64
encoding brings it closer.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, NamedTuple

from linter.checks import NoParams, check
from linter.checks.email.compliance import visible_text
from linter.findings import Hit
from linter.lazyre import on_first_use
from linter.policy import Policy

if TYPE_CHECKING:  # only .eml runs load the stdlib email package
    from linter.documents.message import MessageDocument, Part

_KB = 1024
_WORD = on_first_use(r"[^\W_]{2,}")
_URL = on_first_use(r"\S+://\S+|\S+@\S+")
# What a plain-text part says when it stands in for the HTML instead of carrying it.
_STUB = on_first_use(
    r"view (this|the) (e-?mail|message) (in|on) (a|your) (web )?browser"
    r"|(client|program|reader) (does not|doesn't|cannot|can't) (support|display|show) html"
    r"|html (version|e-?mail)|requires? html",
    re.IGNORECASE,
)


def _at_part(part: Part, message: str, context: str) -> Hit:
    return Hit(part.body_line, 1, message, context)


def _words(text: str) -> int:
    return len(_WORD().findall(_URL().sub(" ", text)))


class PlainTextParams(NamedTuple):
    share: float = 0.2  # a plain part with fewer words than this share of the HTML's is a stub


@check("has-plain-text-part", PlainTextParams, kind="message")
def has_plain_text_part(doc: MessageDocument, p: PlainTextParams, policy: Policy) -> Iterator[Hit]:
    """An HTML message carries a text/plain alternative with the same message in it."""
    if doc.html is None:
        return
    html = doc.html_document
    html_words = _words(visible_text(html)) if html is not None else 0
    plain = doc.plain
    if plain is None:
        yield Hit(
            doc.html.body_line, 1, "The message has HTML but no text/plain alternative", "no plain"
        )
        return
    words = _words(plain.text)
    if words == 0:
        yield _at_part(plain, "The text/plain part is empty", "plain empty")
    elif words < p.share * html_words or (words < 40 and _STUB().search(plain.text)):
        yield _at_part(
            plain,
            f"The text/plain part is a stub: {words} words against the HTML's {html_words}",
            "plain stub",
        )


@check("charset-matches-bytes", NoParams, kind="message")
def charset_matches_bytes(doc: MessageDocument, p: NoParams, policy: Policy) -> Iterator[Hit]:
    """Each text part's declared charset reads its bytes."""
    for part in doc.parts:
        if part.charset_problem:
            yield _at_part(part, part.charset_problem, f"charset {part.content_type}")


class EncodedSizeParams(NamedTuple):
    over_kb: float = 102


@check("limits-encoded-html-size", EncodedSizeParams, kind="message")
def limits_encoded_html_size(
    doc: MessageDocument, p: EncodedSizeParams, policy: Policy
) -> Iterator[Hit]:
    """The HTML part as sent (transfer-encoded) stays under a size in KB."""
    part = doc.html
    if part is None or len(part.payload) / _KB > p.over_kb:  # over decoded too: GML001 says so
        return
    if part.size / _KB > p.over_kb:
        yield _at_part(
            part,
            f"The HTML part is {part.size / _KB:.1f} KB as sent ({part.encoding}),"
            f" {len(part.payload) / _KB:.1f} KB decoded: over {p.over_kb:g} KB",
            f"encoded html size over {p.over_kb:g} KB",
        )
