"""Content: what readers see is the finished copy and images, not the template's placeholders."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import partial
from typing import NamedTuple

from linter.checks import NoParams, check
from linter.checks.email import urls
from linter.checks.email.compliance import Piece, walk
from linter.checks.hits import at_declaration, at_node, clip
from linter.documents.email import EmailDocument
from linter.documents.images import css_images
from linter.findings import Hit
from linter.policy import Policy

# The printers' dummy text every template gallery ships, and the slot labels templates
# leave for the sender ("Logo here", "Insert headline"). Not "placeholder" or "your
# logo" alone: real copy uses them too.
_SLOT = r"(?:logo|image|picture|photo|text|headline|title|copy|content)"
_LOREM = re.compile(
    rf"\blorem\s+ipsum\b|\bdolor\s+sit\s+amet\b|\binsert\s+(?:your\s+)?{_SLOT}\b"
    rf"|\b{_SLOT}\s+(?:goes\s+)?here\b|\bsnippet\s+text\b",
    re.IGNORECASE,
)
# An image whose whole alt text is the slot's label ("alt_text" in Cerberus, "Your alt
# text"): images-off and screen-reader readers get the label. Whole, since real copy may
# talk about alt text.
_ALT_SLOT = re.compile(r"\s*(?:your\s+|insert\s+)?alt[\s_-]*text(?:\s+here)?\s*", re.IGNORECASE)


def _and_more(count: int, noun: str, tail: str = "") -> str:
    """What one finding per file says of the rest, e.g. ' (and 3 more places)'."""
    return f" (and {count} more {noun}{'s' if count > 1 else ''}{tail})" if count else ""


def _placeholder(piece: Piece) -> re.Match[str] | None:
    if piece.image and (slot := _ALT_SLOT.fullmatch(piece.text)):
        return slot
    return _LOREM.search(piece.text)


@check("forbids-placeholder-copy", NoParams)
def forbids_placeholder_copy(doc: EmailDocument, p: NoParams, policy: Policy) -> Iterator[Hit]:
    """No lorem ipsum or slot label in text or alt text any reader sees (a hidden
    preheader included: the inbox preview shows it). One finding per file, at the first,
    with the count."""
    found = [(piece, m) for piece in walk(doc, outlook=True) if (m := _placeholder(piece))]
    if not found:
        return
    first, match = found[0]
    where = "image alt text" if first.image else "text"
    start = match.start()
    more = _and_more(len(found) - 1, "place")
    yield at_node(
        doc,
        first.node,
        f'The {where} "{clip(first.text[start:], 50)}" is placeholder copy{more}: readers would see'
        " the template's dummy text",
    )


class PlaceholderImageParams(NamedTuple):
    # Services that serve stand-in images by size or at random, nothing else; a subdomain
    # matches too (via.placeholder.com). Several have shut down (placehold.it, lorempixel).
    hosts: tuple[str, ...] = (
        "placehold.it",
        "placehold.co",
        "placeholder.com",
        "placeholder.pics",
        "dummyimage.com",
        "fakeimg.pl",
        "picsum.photos",
        "lorempixel.com",
        "loremflickr.com",
        "placeimg.com",
        "placekitten.com",
        "placebear.com",
        "fillmurray.com",
        "placecage.com",
        "baconmockup.com",
        "placeholdit.imgix.net",
        "source.unsplash.com",
        "pravatar.cc",
    )


@check("forbids-placeholder-image", PlaceholderImageParams)
def forbids_placeholder_image(
    doc: EmailDocument, p: PlaceholderImageParams, policy: Policy
) -> Iterator[Hit]:
    """No image from a placeholder-image service: an element's (`urls.image_refs`) or one
    CSS may show (`images.css_images`). One finding per file, at the first in the source,
    with the count."""
    found: list[tuple[tuple[int, int], str, str, Callable[[str], Hit]]] = []
    for ref in urls.image_refs(doc):
        if urls.matches_host(host := urls.host(urls.mask_tags(ref.value)), p.hosts):
            place = doc.attr_position(ref.node, ref.attr)
            what = f'{ref.attr}="{clip(ref.value, 60)}"'
            found.append((place, what, host, partial(at_node, doc, ref.node, attr=ref.attr)))
    for decl, node, url in css_images(doc):
        if urls.matches_host(host := urls.host(urls.mask_tags(url)), p.hosts):
            place = (decl.line, decl.column)
            found.append(
                (place, f"url({clip(url, 60)})", host, partial(at_declaration, decl, node))
            )
    if not found:
        return
    _, what, host, hit = min(found, key=lambda f: f[0])
    more = _and_more(len(found) - 1, "image", " from such services")
    yield hit(
        f"The image {what} comes from {clip(host, 60)}, a placeholder-image service{more}:"
        " readers would see a stand-in (a grey box giving its size, a random photo) or a"
        " broken image, in place of the real one"
    )
