"""Outlook conditional comments and VML: what the other clients are left with."""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from linter.checks import NoParams, check
from linter.checks.hits import at_node, at_offset, clip
from linter.documents.conditionals import Audience
from linter.documents.email import EmailDocument
from linter.findings import Hit
from linter.policy import Policy


@check("closes-conditional-comments", NoParams)
def closes_conditional_comments(doc: EmailDocument, p: NoParams, policy: Policy) -> Iterator[Hit]:
    """Every <!--[if …]> opener has its <![endif]-->."""
    for offset, opener in doc.unclosed_conditionals:
        hidden = "every client but Outlook" if "!" not in opener else "Outlook for Windows"
        yield at_offset(
            doc,
            offset,
            f"{opener} is never closed with <![endif]-->: {hidden} hides everything after it",
            f"unclosed {opener}",
        )


class VmlLinkParams(NamedTuple):
    # VML shapes Outlook renders as clickable buttons or banners.
    shapes: tuple[str, ...] = ("v:roundrect", "v:rect", "v:oval", "v:shape")


@check("vml-link-has-fallback", VmlLinkParams)
def vml_link_has_fallback(doc: EmailDocument, p: VmlLinkParams, policy: Policy) -> Iterator[Hit]:
    """A linked VML shape in Outlook-only code has an <a> to the same place for the others."""
    others = {
        (node.get("href") or "").strip()
        for node in doc.find("a")
        if node.audience is not Audience.MSO
    }
    for node in doc.find(*p.shapes):
        href = (node.get("href") or "").strip()
        if node.audience is Audience.MSO and href and href not in others:
            yield at_node(
                doc,
                node,
                f"<{node.tag} href> links to {clip(href, 60)} only in Outlook: other clients show"
                " no link to it",
                attr="href",
            )
