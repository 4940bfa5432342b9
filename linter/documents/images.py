"""Images: the ones CSS names, and spacers, which only make room, with nothing a reader
needs put in words."""

from __future__ import annotations

import re
from collections.abc import Iterator
from posixpath import basename
from urllib.parse import urlsplit

from linter.documents.css import Declaration
from linter.documents.cssvalues import pixels
from linter.documents.email import EmailDocument, Node
from linter.documents.selectors import selects_anything

# File names email builders give images that show nothing: spacer.gif, blank.png, a CDN's
# "SBb2fQ…_transparent.png". A word of the name, not a substring: "clearance.jpg" is content.
_SPACER_NAME = re.compile(
    r"(?:^|[_.-])(spacer|blank|clear|transparent|trans|shim|spc|pixel_spacer)"
    r"(?:[_.-][\w.-]*)?\.(?:gif|png)$",
    re.IGNORECASE,
)
_SPACER_MAX_PX = 2  # a spacer or a hairline rule
# The URL of a CSS url(...) token, quoted or not; url() names nothing.
CSS_URL = re.compile(r"url\(\s*[\"']?([^\"')]+)", re.IGNORECASE)
# Properties whose url() is an image (not @font-face's src, not a cursor).
IMAGE_PROPERTIES = frozenset(
    {"background", "background-image", "list-style-image", "list-style", "content", "border-image"}
)


def spacer_name(src: str | None) -> bool:
    """The image's file name says it is a spacer."""
    try:
        path = urlsplit((src or "").strip()).path
    except ValueError:
        return False
    return bool(_SPACER_NAME.search(basename(path)))


def is_spacer(doc: EmailDocument, node: Node) -> bool:
    """A spacer by its name, or an image 2px or less on one side (a spacer or a rule).

    A 1x1 open pixel is one too by size; the tracking rules tell it apart by its host.
    """
    if spacer_name(node.get("src")):
        return True
    style = doc.style_map(node)
    sides = (style.get("width") or node.get("width"), style.get("height") or node.get("height"))
    return any((px := pixels(side)) is not None and px <= _SPACER_MAX_PX for side in sides)


def css_images(doc: EmailDocument) -> Iterator[tuple[Declaration, Node, str]]:
    """Each image URL CSS may show: an image property's url() in a style="" attribute, or in
    a <style> rule whose selector matches an element of the document (an unused rule shows
    nothing). With the declaration and the element that carries it."""
    for decl, node in doc.declarations():
        if decl.name not in IMAGE_PROPERTIES:
            continue
        found = CSS_URL.findall(decl.value)
        if found and (decl.selector is None or selects_anything(doc, decl.selector)):
            for url in found:
                yield decl, node, url
