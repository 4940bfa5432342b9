"""Images: where CSS names one, and spacers, which only make room, with nothing a reader
needs put in words."""

from __future__ import annotations

import re
from posixpath import basename
from urllib.parse import urlsplit

from linter.documents.cssvalues import pixels
from linter.documents.email import EmailDocument, Node

# File names email builders give images that show nothing: spacer.gif, blank.png, a CDN's
# "SBb2fQ…_transparent.png". A word of the name, not a substring: "clearance.jpg" is content.
_SPACER_NAME = re.compile(
    r"(?:^|[_.-])(spacer|blank|clear|transparent|trans|shim|spc|pixel_spacer)"
    r"(?:[_.-][\w.-]*)?\.(?:gif|png)$",
    re.IGNORECASE,
)
_SPACER_MAX_PX = 2  # a spacer or a hairline rule
# The URL of a CSS url(...) token, quoted or not (background, background-image, ...).
CSS_URL = re.compile(r"url\(\s*[\"']?([^\"')]*)", re.IGNORECASE)


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
