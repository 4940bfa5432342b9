"""Compliance: an unsubscribe link readers can see, the sender's postal address, a preheader.

Sources for what counts:

* CAN-SPAM (15 U.S.C. 7704(a)(5)): commercial email carries a clear opt-out and the
  sender's valid physical postal address (a street address or a registered PO box).
* Gmail sender guidelines (support.google.com/mail/answer/81126, Feb 2024; Yahoo the same):
  marketing and subscribed mail supports one-click unsubscribe (List-Unsubscribe headers)
  *and* shows a clearly visible unsubscribe link in the body. Password resets, receipts and
  one-time codes are not subscription mail (answer/15263077), so they need no link; the
  file alone cannot tell which kind it is, hence the rule's default severity and options.
* ESP unsubscribe tags: Mailchimp ``*|UNSUB|*``/``*|UPDATE_PROFILE|*``; SendGrid
  ``{{{unsubscribe}}}``, ``<%asm_group_unsubscribe_raw_url%>``; Salesforce Marketing Cloud
  ``%%unsub_center_url%%``/``%%profile_center_url%%``; Mailgun ``%unsubscribe_url%``
  (documentation.mailgun.com, tracking-messages); Klaviyo ``{% unsubscribe %}``; HubSpot
  ``{{ unsubscribe_link }}``; Postmark ``{{{ pm:unsubscribe }}}``; Mailjet
  ``[[UNSUB_LINK_EN]]``; Campaign Monitor's ``<unsubscribe>``/``<preferences>`` elements.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from typing import NamedTuple

from lxml import etree

from linter.checks import NoParams, check
from linter.checks.email.urls import goes_nowhere
from linter.checks.hits import at_document, at_node, clip
from linter.documents import mergetags
from linter.documents.conditionals import Audience
from linter.documents.cssvalues import is_hidden
from linter.documents.email import EmailDocument, Node
from linter.findings import Hit
from linter.lazyre import on_first_use
from linter.policy import Policy

_SKIP_TAGS = {"head", "style", "script", "title", "xml"}
_ZERO_WIDTH = "\u200b\u200c\u200d\u034f\u00ad\ufeff\u2007\u00a0"
_STRIP = " \t\n\r\f\v" + _ZERO_WIDTH

# Link text that offers an opt-out, in the languages our clients send in.
_UNSUB_TEXT = re.compile(
    r"unsubscri|opt[\s-]?out|(manage|update|change|edit)\s+(your\s+)?(email\s+|mail\s+"
    r"|subscription\s+|communication\s+|notification\s+)?(preferences|subscriptions?)"
    r"|email\s+preferences|(subscription|email|mailing|notification)\s+settings|d[ée]sabonner|d[ée]sinscri|abmelden"
    r"|abbestellen|dar(se)?\s+de\s+baja|cancelar\s+(la\s+)?(suscripci[óo]n|inscri[çc][ãa]o)"
    r"|anular\s+(la\s+)?suscripci[óo]n|annulla\s+(l'\s*)?iscrizione|disiscriviti"
    r"|cancella\s+iscrizione|afmelden|uitschrijven|descadastr|avregistrer|avsluta\s+prenumeration"
    r"|afmeld|meld\s+(deg\s+)?av|wypisz|zrezygnuj|odhl[áa]sit",
    re.IGNORECASE,
)
_UNSUB_HREF = re.compile(
    r"unsub|opt[-_]?out|(email|mail|subscription|communication)[-_]?preferences"
    r"|manage[-_]?subscription|preference[-_]?cent(er|re)",
    re.IGNORECASE,
)
# One identifier between template delimiters that names an unsubscribe or preference URL.
_UNSUB_TAG = re.compile(
    r"(?:\*\||\{\{\{?|\{%-?|%%|<%|\[\[?|%|\$\{)\s*[#$&]?\{?\s*[\w.:]{0,40}?"
    r"(?:unsub|opt_?out|update_profile|profile_center|subscription_center|manage_preferences"
    r"|preferences_url|asm_\w*preferences)[\w.:()]{0,40}\s*"
    r"(?:\}\}\}?|-?%\}|\|\*|%%|%>|\]\]?|%|\})",
    re.IGNORECASE,
)
_CM_UNSUB_TAGS = ("unsubscribe", "preferences")  # Campaign Monitor template elements
# What mail the reader triggered says of itself in its title, headings or first lines:
# CAN-SPAM (16 CFR 316.3), PECR and Gmail's bulk-sender rules ask no unsubscribe link of a
# password reset, receipt or payment notice. "Welcome" is left out: it is often marketing.
_TRANSACTIONAL = re.compile(
    r"\b(?:reset (?:your )?password|password reset|forgot (?:your )?password"
    r"|verify (?:your )?(?:e-?mail|account|address)|verification code|confirm (?:your )?"
    r"(?:e-?mail|account|address|order|booking)|(?:order|booking|payment) confirmation"
    r"|receipt|invoice|payment (?:failed|declined|received|due)|unable to process"
    r"|has (?:been )?shipped|security alert|sign-?in (?:code|link|attempt)|log-?in (?:code|link)"
    r"|one-time (?:code|password)|activate your account|(?:has )?invited you to"
    r"|trial (?:has )?(?:ended|expired|ends|period))\b",
    re.IGNORECASE,
)
_OPENING = 400  # characters of visible text read for what kind of mail it is


def reads_transactional(doc: EmailDocument) -> bool:
    """The title, a heading or the opening text names a transaction the reader made."""
    title = " ".join(n.text() for n in doc.find("title"))
    headings = " ".join(n.text() for n in doc.find("h1", "h2"))
    return bool(_TRANSACTIONAL.search(f"{title} {headings} {visible_text(doc)[:_OPENING]}"))


class Piece(NamedTuple):
    """A run of text (or an image) in document order, with what the reader sees of it."""

    text: str
    node: Node
    hidden: bool
    image: bool = False
    outlook_only: bool = False  # only Outlook for Windows renders it


def walk(doc: EmailDocument, outlook: bool = False) -> tuple[Piece, ...]:
    """Text runs and images of the body in document order (computed once per document).

    White space alone between tags (most text runs of a template) makes no piece: every
    reader of the pieces joins them with a space or skips blank ones.

    Outlook-only code is left out unless `outlook` is true. Its elements are still
    descended into: a ghost table opened in <!--[if mso]> and never closed there wraps the
    whole email in the parse, yet its content is for everyone. Both walks share one set of
    pieces (the one without Outlook's is a filter of the other), since on a large email
    the pieces and their text are a large part of presend's memory.
    """

    def everything() -> tuple[Piece, ...]:
        body = doc.find("body")
        root = body[0] if body else doc.node(doc.root)
        found: list[Piece] = []
        if root is not None:
            _walk(doc, root, False, found)
        return tuple(found)

    pieces = doc.memo("compliance:walk:True", everything)
    if outlook:
        return pieces
    return doc.memo("compliance:walk:False", lambda: tuple(p for p in pieces if not p.outlook_only))


def _walk(doc: EmailDocument, node: Node, hidden: bool, out: list[Piece]) -> None:
    # Appends rather than yields: a generator chain costs every piece a step per level of
    # nesting, and email tables nest deep.
    if node.tag in _SKIP_TAGS:
        return
    hidden = hidden or is_hidden(doc.style_map(node))
    mso = node.audience is Audience.MSO
    if node.tag == "img":
        out.append(Piece(node.get("alt") or "", node, hidden, image=True, outlook_only=mso))
    if _has_text(node.el.text):
        out.append(Piece(node.el.text, node, hidden, outlook_only=mso))
    for child in node.el:
        child_node = doc.node(child) if isinstance(child.tag, str) else None
        if child_node is not None:
            _walk(doc, child_node, hidden, out)
        child_mso = child_node is not None and child_node.audience is Audience.MSO
        if _has_text(child.tail):
            out.append(Piece(child.tail, node, hidden, outlook_only=mso and child_mso))


def _has_text(text: str | None) -> bool:
    """Anything but ASCII white space (a &nbsp; counts: the preview reads it as text)."""
    return bool(text and text.strip(" \t\n\r\f\v"))


def visible_text(doc: EmailDocument) -> str:
    """Text every reader sees (not hidden inline, not Outlook-only), white space collapsed
    (once per document: CMP001 reads its opening, CMP002 all of it)."""

    def joined() -> str:
        text = " ".join(p.text for p in walk(doc) if not p.hidden and not p.image)
        return re.sub(r"\s+", " ", text).strip()

    return doc.memo("compliance:visible-text", joined)


def _link_nodes(doc: EmailDocument) -> Iterator[Node]:
    for node in doc.nodes:
        if "href" in node.attrs and node.tag not in ("link", "base"):
            yield node


def is_unsubscribe_link(doc: EmailDocument, node: Node) -> bool:
    """A link that unsubscribes: by its text, its href or an ESP unsubscribe tag in it."""
    href = node.get("href") or ""
    if _UNSUB_HREF.search(href) or _UNSUB_TAG.search(href):
        return True
    return bool(_UNSUB_TEXT.search(node.text()))


class _Unsub(NamedTuple):
    line: int
    column: int
    audience: Audience
    hidden: bool
    node: Node


def _unsubscribe_places(doc: EmailDocument) -> list[_Unsub]:
    found = [
        _Unsub(n.line, n.column, n.audience, doc.is_hidden(n), n)
        for n in _link_nodes(doc)
        if is_unsubscribe_link(doc, n)
    ]
    for tag in _CM_UNSUB_TAGS:
        found += [_Unsub(n.line, n.column, n.audience, doc.is_hidden(n), n) for n in doc.find(tag)]
    # Tags that print a whole unsubscribe link ({{{unsubscribe}}}, *|UNSUB|* in text).
    for piece in walk(doc, outlook=True):
        if not piece.image and _UNSUB_TAG.search(piece.text):
            n = piece.node
            found.append(_Unsub(n.line, n.column, n.audience, piece.hidden, n))
    return found


def _dead(node: Node) -> bool:
    """A link whose href leads nowhere (a tag such as <unsubscribe> has none to judge)."""
    return "href" in node.attrs and goes_nowhere(node.attrs["href"]) is not None


@check("has-unsubscribe-link", NoParams)
def has_unsubscribe_link(doc: EmailDocument, p: NoParams, policy: Policy) -> Iterator[Hit]:
    """Every reader (Outlook and the rest) sees a working unsubscribe link."""
    found = _unsubscribe_places(doc)
    places = [u for u in found if not _dead(u.node)]
    if found and not places:
        dead = found[0].node
        yield at_node(
            doc,
            dead,
            f'The only unsubscribe link goes nowhere (href="{clip(dead.get("href") or "")}"),'
            " so no reader can unsubscribe",
            attr="href",
        )
        return
    shown = [u for u in places if not u.hidden]
    audiences = {u.audience for u in shown}
    if Audience.ALL in audiences or {Audience.MSO, Audience.NON_MSO} <= audiences:
        return
    if not places:
        if reads_transactional(doc):
            return  # a receipt or reset: the law asks no unsubscribe link of it
        yield at_document(
            doc,
            'No unsubscribe link: no link text like "Unsubscribe", no'
            " unsubscribe URL and no ESP unsubscribe tag (*|UNSUB|*,"
            " {{unsubscribe_url}}, %%unsub_center_url%%); marketing mail needs one, transactional"
            " mail (receipts, password resets) does not",
            "no unsubscribe link",
        )
        return
    first = shown[0] if shown else places[0]
    if not shown:
        message = (
            "The only unsubscribe link is hidden (display:none or similar), so readers"
            " cannot see it"
        )
    elif first.audience is Audience.MSO:
        message = (
            "The only unsubscribe link is inside <!--[if mso]>, so readers outside"
            " Outlook for Windows see none"
        )
    else:
        message = (
            "The only unsubscribe link is inside <!--[if !mso]>, so Outlook for"
            " Windows readers see none"
        )
    yield at_node(doc, first.node, message)


# A street line ("123 Fake Street", "7-11 Commercial Ct"), a PO box, a European street
# ("Hauptstraße 5", "12 rue de la Paix"), or a UK / US postcode next to a state.
_STREET = on_first_use(
    r"(?i:\b\d+[\w/-]*,?\s+(?:[\w'.-]+\s+){0,4}(?:street|st|road|rd|avenue|ave|boulevard"
    r"|blvd|lane|ln|drive|dr|court|ct|place|pl|square|sq|parkway|pkwy|highway|hwy|terrace"
    r"|crescent|suite)\b"
    r"|\b(?:p\.?\s?o\.?\s+box|postfach|apartado|bo[iî]te\s+postale)\s*\d+"
    r"|\b[\w-]*(?:stra(?:ß|ss)e|str\.|weg|gasse|platz|allee|straat|laan|gracht|gatan|vej)\s+\d+"
    r"|\b\d+,?\s+(?:rue|avenue|boulevard|bd|place|chemin|all[ée]e|quai|calle|via|viale"
    r"|piazza|avenida|rua)\b"
    r"|\b(?:calle|via|viale|piazza|avenida|rua|rue)\s+[\w' ]{2,40}?,?\s+\d+)"
    r"|\b[A-Z]{1,2}\d[A-Z\d]?\s+\d[A-Z]{2}\b"
    r"|\b[A-Z]{2},?\s+\d{5}(?:-\d{4})?\b",
)
# ESP tags that print the sender address: Mailchimp *|LIST:ADDRESS|* (and _HTML),
# SendGrid {{Sender_Address}}, Salesforce %%Member_Addr%%, HubSpot
# {{ site_settings.company_street_address_1 }}, Klaviyo {{ organization.full_address }}.
_TAG_NAME = on_first_use(
    r"(?:\*\||\{\{\{?|%%|\[)\s*([\w:.]{1,60})[^|}\]%\n]{0,60}(?:\|\*|\}\}|%%|\])"
)
_NOT_POSTAL = ("email", "mail_", "ip_")


def _has_address_tag(text: str) -> bool:
    for m in _TAG_NAME().finditer(text):
        name = m.group(1).lower()
        if "addr" in name and not any(x in name for x in _NOT_POSTAL):
            return True
    return False


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text).casefold()


@check("has-postal-address", NoParams)
def has_postal_address(doc: EmailDocument, p: NoParams, policy: Policy) -> Iterator[Hit]:
    """When the team requires it, readers see the sender's postal address."""
    rule = policy.compliance
    if not rule.postal_address_required:
        return
    text = visible_text(doc)
    if rule.postal_address:
        if _squash(rule.postal_address) in _squash(text):
            return
        if _has_address_tag(text):
            return
        yield at_document(
            doc,
            f'The agreed postal address "{rule.postal_address}" is not in the visible text',
            "no postal address",
        )
        return
    if _STREET().search(text) or _has_address_tag(text):
        return
    yield at_document(
        doc,
        "No postal address in the visible text (no street line, PO box,"
        " postcode or address merge tag such as *|LIST:ADDRESS|*)",
        "no postal address",
    )


# The "View in browser" line templates put first (matched on the first text run only).
_VIEW_ONLINE = re.compile(
    r"\b(view|read|open|see)\s+(this|the|it|our)?\s*(e-?mail|message|newsletter|version)?\s*"
    r"(in\s+(your|a)\s+(web\s*)?browser|online|as\s+a\s+web\s*page)"
    r"|\bweb\s*version\b|webversion|online[-\s]version|trouble\s+(viewing|reading)"
    r"|not\s+display(ing)?\s+(correctly|properly)|can.?t\s+see\s+(this|the)\s+(e-?mail|images)"
    r"|im\s+browser\s+(ansehen|anzeigen|öffnen)|dans\s+(votre|le)\s+navigateur"
    r"|en\s+(el|tu)\s+navegador|nel\s+browser|in\s+de\s+browser",
    re.IGNORECASE,
)


def _link_of(node: Node) -> etree._Element | None:
    """The <a> the node is, or is inside."""
    if node.tag == "a":
        return node.el
    return next(node.el.iterancestors("a"), None)


def _in_sentence(link: etree._Element) -> bool:
    """Text follows the link in the same element: "{{author}} commented on …" is copy
    that starts with a link, not a header link standing alone."""
    return bool((link.tail or "").strip(_STRIP))


# Mail whose first line is the message itself: a transaction (above) or a notice of
# something that happened to the reader's account or content.
_NOTICE = on_first_use(
    r"\b(?:(?:has|have) been (?:updated|changed|reset|approved|cancel?led|declined)"
    r"|commented on|replied to|mentioned you|new (?:comment|message|reply)"
    r"|thanks? (?:you )?for your (?:recent )?(?:order|purchase|payment))\b",
    re.IGNORECASE,
)
_PREVIEW = 80  # characters an inbox preview shows after the subject line


def _is_copy(piece: Piece) -> bool:
    """Body copy: text that is neither an image, a "View in browser" line nor a link
    standing alone."""
    link = _link_of(piece.node)
    return (
        not piece.image
        and not _VIEW_ONLINE.search(piece.text)
        and (link is None or _in_sentence(link))
    )


_SECTION = ("{{#", "{{/", "{{^")  # Handlebars/Mustache section markers render nothing


def _copy_follows(rest: list[Piece]) -> bool:
    """The preview's next words are body copy: no image alt text, link or "View in
    browser" line among them. A text that is one merge tag ({{body}}) is copy of unknown
    length, filled in at send time."""
    shown = 0
    for piece in rest:
        text = piece.text.strip(_STRIP)
        tags = mergetags.find_tags(text)
        if (
            tags
            and all(t.text.startswith(_SECTION) for t in tags)
            and len(text) == sum(t.end - t.start for t in tags)
        ):
            continue
        if not _is_copy(piece):
            return False
        if len(tags) == 1 and tags[0].text == text:
            return True
        shown += len(text)
        if shown >= _PREVIEW:
            break
    return shown > 0


def _message_comes_first(doc: EmailDocument, rest: list[Piece]) -> bool:
    """Transactional or notice mail whose preview, after its logo's alt text, is the
    message: "Acme Your password was reset…", which a preheader would repeat (the rule's
    own waiver)."""
    if not _copy_follows(rest):
        return False
    return reads_transactional(doc) or bool(_NOTICE().search(visible_text(doc)[:_OPENING]))


# A brand name in a header link ("Acme", "[Product Name]"), not a sentence.
_BRAND_LINK = 30


@check("has-preheader", NoParams)
def has_preheader(doc: EmailDocument, p: NoParams, policy: Policy) -> Iterator[Hit]:
    """The first text in the body (hidden or not) is real copy, so the inbox preview reads well.

    Inbox previews show the first text of the body, hidden text included (that is how a
    hidden preheader works). The preview goes wrong when the body starts with an image
    (its alt text shows), with a "View in browser" line, or has no text at all, unless
    the mail is transactional and the message follows its brand straight away.
    """
    pieces = [piece for piece in walk(doc) if piece.text.strip(_STRIP)]
    if not pieces:
        yield at_document(
            doc,
            "The body has no text, so the inbox preview is empty or shows the subject line only",
            "no preheader",
        )
        return
    if pieces[0].image:
        if not _message_comes_first(doc, pieces[1:]):
            alt = pieces[0].text.strip(_STRIP)
            yield at_node(
                doc,
                pieces[0].node,
                f'The inbox preview starts with image alt text "{clip(alt, 50)}":'
                " no preheader text comes before it",
            )
        return
    first = pieces[0]  # text, not an image: the preview's first words
    lead = first.text.strip(_STRIP)
    texts = (t.text.strip(_STRIP) for t in pieces if not t.image)
    opener = " ".join(itertools.islice(texts, 8))[:_PREVIEW]
    in_web_version = any(el.tag == "webversion" for el in first.node.el.iterancestors()) or (
        first.node.tag == "webversion"
    )
    if in_web_version or (len(lead) <= 120 and _VIEW_ONLINE.search(lead)):
        yield at_node(
            doc,
            first.node,
            f'The inbox preview starts with "{clip(opener, 50)}": add a preheader before it',
        )
    elif (
        (link := _link_of(first.node)) is not None
        and not _in_sentence(link)
        and not (len(lead) <= _BRAND_LINK and _copy_follows(pieces[1:]))
    ):
        yield at_node(
            doc,
            first.node,
            f"The inbox preview starts with the link text"
            f' "{clip(lead, 50)}" ("{clip(opener, 50)}"): add a preheader before it',
        )
