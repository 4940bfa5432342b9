"""URL helpers shared by the link, security and tracking checks: where URLs live, how to read them.

Nothing here is a check; it only answers questions about URL strings and the elements
that carry them, so other standards (tracking, UTM) can reuse it.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator
from fnmatch import fnmatchcase
from typing import NamedTuple
from urllib.parse import urlsplit

from linter.documents import mergetags
from linter.documents.email import EmailDocument, Node
from linter.documents.vml import background_attribute_image

# Elements whose href the reader clicks: HTML links, image-map areas and VML shapes
# (Outlook "bulletproof" buttons are <v:roundrect href>, inside <!--[if mso]>).
LINK_TAGS = ("a", "area", "v:roundrect", "v:rect", "v:oval", "v:shape")
# Attributes a browser or mail client resolves as a URL.
URL_ATTRS = (
    "href",
    "src",
    "action",
    "formaction",
    "background",
    "lowsrc",
    "dynsrc",
    "data",
    "poster",
    "cite",
    "xlink:href",
    "srcset",
)
# The URL parser drops ASCII tab and newline anywhere and C0 controls and spaces at
# either end (WHATWG URL standard, "basic URL parser"): "java\tscript:" still runs.
_IGNORED = re.compile(r"[\t\n\r]")
_EDGE = re.compile(r"^[\x00-\x20]+|[\x00-\x20]+$")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):", re.IGNORECASE)
_TAG_FILL = "x"
# A single-brace placeholder ESPs fill in a URL: Elastic Email's ?email={email}, Salesforce's
# {!Contact.Id}. Only in URLs: in text and CSS a brace pair is no tag.
_PLACEHOLDER = re.compile(r"\{!?[A-Za-z_][\w.:-]{0,60}\}")


class UrlRef(NamedTuple):
    """One URL in the document: the element, the attribute and its value as parsed."""

    node: Node
    attr: str
    value: str


def link_refs(doc: EmailDocument) -> Iterator[UrlRef]:
    """Every clickable href (a, area, VML shapes), in document order."""
    for node in doc.find(*LINK_TAGS):
        value = node.get("href")
        if value is not None:
            yield UrlRef(node, "href", value)


# Elements whose src is an image readers see: HTML's, a form's image button and the VML
# fills and pictures Outlook for Windows draws.
_IMAGE_SRC = ("img", "input", "v:fill", "v:image", "v:imagedata")
# The tags background="" belongs to (MJML also writes it on others, as a styling hook).
_BACKGROUND_TAGS = ("body", "table", "td", "th")
_CANDIDATE = re.compile(r"[\s,]*(\S+)")


def srcset_urls(value: str) -> list[str]:
    """The URL of each srcset candidate ("a.png 1x, b.png 2x"), split as the HTML standard
    does: a URL runs to white space, a comma ending it ends the candidate, and otherwise
    the candidate's descriptors run to the next comma."""
    found, pos = [], 0
    while match := _CANDIDATE.match(value, pos):
        url, pos = match.group(1), match.end()
        if url.endswith(","):
            url = url.rstrip(",")
        else:
            comma = value.find(",", pos)
            pos = len(value) if comma < 0 else comma + 1
        if url:
            found.append(url)
    return found


def _src_is_image(node: Node) -> bool:
    if node.tag == "input":
        return (node.get("type") or "").strip().lower() == "image"
    return node.tag in _IMAGE_SRC


def image_refs(doc: EmailDocument) -> Iterator[UrlRef]:
    """Every image URL an element names: <img>, <input type=image> and VML src, each srcset
    candidate (<img>, <picture>'s <source>), <video poster> and background="" (not MJML's
    background="left", which names no image). CSS's are `documents.images.css_images`."""
    for node in doc.find(*_IMAGE_SRC, "source", "video", *_BACKGROUND_TAGS):
        tag = node.tag
        if _src_is_image(node) and (src := node.get("src")) is not None:
            yield UrlRef(node, "src", src)
        if tag in ("img", "source"):
            yield from (UrlRef(node, "srcset", u) for u in srcset_urls(node.get("srcset") or ""))
        if tag == "video" and (poster := node.get("poster")) is not None:
            yield UrlRef(node, "poster", poster)
        if tag in _BACKGROUND_TAGS and (url := background_attribute_image(doc, node)):
            yield UrlRef(node, "background", url)


def url_refs(doc: EmailDocument, attrs: tuple[str, ...] = URL_ATTRS) -> Iterator[UrlRef]:
    """Every URL-valued attribute on any element, in document order."""
    for node in doc.nodes:
        for attr in attrs:
            value = node.attrs.get(attr)
            if value is not None:
                yield UrlRef(node, attr, value)


def mask_tags(value: str) -> str:
    """Replace each merge tag with a run of ``x`` of the same length.

    ``https://{{host}}/a?id={{ id }}`` becomes a URL that can be judged for scheme and
    characters without the tag's braces or spaces counting against it; so does a
    single-brace placeholder (``?email={email}``), which no merge-tag dialect names.
    """
    tags = mergetags.find_tags(value)
    if tags:
        out, last = [], 0
        for tag in tags:
            out += [value[last : tag.start], _TAG_FILL * (tag.end - tag.start)]
            last = tag.end
        out.append(value[last:])
        value = "".join(out)
    if "{" in value:
        value = _PLACEHOLDER.sub(lambda m: _TAG_FILL * len(m.group(0)), value)
    return value


def normalise(value: str) -> str:
    """The URL as a browser reads it: controls at the ends and tabs/newlines removed."""
    return _IGNORED.sub("", _EDGE.sub("", value))


def scheme(value: str) -> str:
    """Lower-case scheme (``https``, ``mailto``), or "" for relative and templated starts."""
    m = _SCHEME.match(normalise(value))
    return m.group(1).lower() if m else ""


def host(value: str) -> str:
    """Lower-case host of an absolute or protocol-relative URL, or ""."""
    text = normalise(value)
    if not (_SCHEME.match(text) or text.startswith("//")):
        return ""
    try:
        return (urlsplit(text).hostname or "").rstrip(".").lower()
    except ValueError:  # e.g. an unbalanced "[" in the host
        return ""


_LOCAL_SUFFIXES = (".local", ".localhost", ".internal")


def is_local_host(name: str) -> bool:
    """A host only the developer's machine or network resolves (RFC 6761/6762 names, loopback)."""
    if not name:
        return False
    if name == "localhost" or name.endswith(_LOCAL_SUFFIXES):
        return True
    try:
        ip = ipaddress.ip_address(name.strip("[]"))
    except ValueError:
        return False
    return ip.is_loopback or ip.is_unspecified or ip.is_private or ip.is_link_local


_GLOB = re.compile(r"[*?\[]")


def matches_host(name: str, patterns: tuple[str, ...]) -> str | None:
    """The first pattern the host matches: exact, a subdomain of it, or an fnmatch glob."""
    if not name:
        return None  # a relative URL, or one whose host a tag fills in
    for pattern in patterns:
        p = pattern.strip().lower().rstrip(".")
        if not p:
            continue
        if name == p or name.endswith("." + p) or (_GLOB.search(p) and fnmatchcase(name, p)):
            return pattern
    return None


def goes_nowhere(value: str) -> str | None:
    """Why an href leads nowhere ("empty", "a bare #", "no host"), or None when it leads
    somewhere or is filled at send time."""
    text = normalise(value).strip()
    if text == "":
        return "empty"
    if text == "#":
        return "a bare #"
    if scheme(text) in ("http", "https") and not host(mask_tags(text)):
        return "no host"  # href="http://": a placeholder never filled in
    return None
