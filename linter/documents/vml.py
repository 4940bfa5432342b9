"""VML backgrounds: whether Outlook for Windows gets an element's background image as VML.

The Word engine draws no CSS or attribute background image; the established fallback
(backgrounds.cm, MJML's hero and section backgrounds) is a VML shape in Outlook-only
code: a v:rect with a v:fill inside the cell, around it, or a v:image placed just before
it. Any of those, or a VML fill of the same image anywhere, counts.
"""

from __future__ import annotations

import re
from itertools import islice

from linter.documents.conditionals import Audience
from linter.documents.email import EmailDocument, Node

VML_FILLS = ("v:rect", "v:roundrect", "v:fill", "v:image", "v:background", "v:shape")
_NEIGHBOURS = 2  # preceding siblings looked at (MJML: <v:image> right before the <td>)
_LEVELS = 4  # ancestors whose preceding siblings are looked at (td, tr, tbody, table)


_COLOUR_FUNCTION = re.compile(r"(?:rgba?|hsla?)\s*\(", re.IGNORECASE)


def background_attribute_image(doc: EmailDocument, node: Node) -> str | None:
    """The image URL of a background="" attribute, or None: MJML 3 writes background="left"
    as a styling hook, and a word with no dot or slash (and no merge tag) is no image, nor
    is a CSS colour function (MJML's output carries background="rgba(…)" too)."""
    url = (node.get("background") or "").strip()
    if _COLOUR_FUNCTION.match(url):
        return None  # background="rgba(0, 0, 0, 0.5)": a colour where bgcolor was meant
    if url and ("." in url or "/" in url or doc.is_templated(url)):
        return url
    return None


def _vml_sources(doc: EmailDocument) -> frozenset[str]:
    return frozenset(
        (n.get("src") or "").strip().lower()  # style values reach the checks lower-cased
        for n in doc.find(*VML_FILLS)
        if n.audience is Audience.MSO and (n.get("src") or "").strip()
    )


def _is_vml(doc: EmailDocument, node: Node | None) -> bool:
    return node is not None and node.tag in VML_FILLS and node.audience is Audience.MSO


def has_vml_background(doc: EmailDocument, node: Node, url: str = "") -> bool:
    """True when Outlook for Windows gets this element's background image from VML."""
    if url and url.strip().lower() in doc.memo("vml-sources", lambda: _vml_sources(doc)):
        return True
    if any(_is_vml(doc, doc.node(el)) for el in node.el.iterdescendants()):
        return True
    if any(a.tag in VML_FILLS for a in doc.parents(node)):
        return True
    # MJML's hero: <v:image> just before the <td>, or before the <div> wrapping its table.
    for el in (node.el, *islice(node.el.iterancestors(), _LEVELS)):
        for sibling in islice(el.itersiblings(preceding=True), _NEIGHBOURS):
            if _is_vml(doc, doc.node(sibling)) or any(
                _is_vml(doc, doc.node(inner)) for inner in sibling.iterdescendants()
            ):
                return True
    return False
