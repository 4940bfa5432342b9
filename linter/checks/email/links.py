"""Links: where hrefs go (scheme, host), whether they go anywhere, and whether they are well formed.

Every check reads hrefs of <a>, <area> and VML shapes (Outlook buttons) through
`urls.link_refs`; merge tags are masked before a URL is judged, so ``{{action_url}}`` or
``https://x.com/?id={{ id }}`` are taken as filled in at send time.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Literal, NamedTuple
from urllib.parse import unquote

from linter.checks import NoParams, check
from linter.checks.email import urls
from linter.checks.hits import at_node, clip
from linter.documents.email import EmailDocument, Node
from linter.findings import Hit
from linter.lazyre import on_first_use
from linter.policy import Policy


def _what(ref: urls.UrlRef) -> str:
    return "Link" if ref.attr == "href" else "Image"


class SchemeParams(NamedTuple):
    schemes: tuple[str, ...] = ("http",)


@check("forbids-link-scheme", SchemeParams)
def forbids_link_scheme(doc: EmailDocument, p: SchemeParams, policy: Policy) -> Iterator[Hit]:
    """Link hrefs must not use the listed schemes."""
    banned = {s.lower() for s in p.schemes}
    for ref in urls.link_refs(doc):
        found = urls.scheme(ref.value)
        if found in banned and urls.goes_nowhere(ref.value) is None:  # else LNK003's
            yield at_node(doc, ref.node, f"Link uses {found}:// ({clip(ref.value)})", attr="href")


def _href_and_src(doc: EmailDocument) -> Iterator[urls.UrlRef]:
    yield from urls.link_refs(doc)
    yield from urls.image_refs(doc)


@check("forbids-unreachable-host", NoParams)
def forbids_unreachable_host(doc: EmailDocument, p: NoParams, policy: Policy) -> Iterator[Hit]:
    """Links and images must not point at local machines or the team's staging hosts."""
    staging = policy.links.staging_hosts
    for ref in _href_and_src(doc):
        name = urls.host(urls.mask_tags(ref.value))
        if urls.is_local_host(name):
            why = "a local address"
        elif (pattern := urls.matches_host(name, staging)) is not None:
            why = f"a staging host ({pattern})"
        else:
            continue
        yield at_node(
            doc, ref.node, f"{_what(ref)} points at {why}: {clip(ref.value)}", attr=ref.attr
        )


class LinkTargetParams(NamedTuple):
    # "calls-to-action": every link but a logo's; "logos": only links that are a logo.
    links: Literal["calls-to-action", "logos"] = "calls-to-action"


_LOGO = on_first_use(r"logo", re.IGNORECASE)
# Social icons are often files named "twitter-logo.png": a link to a page, not the brand's mark.
_SOCIAL = on_first_use(
    r"twitter|facebook|instagram|linkedin|youtube|pinterest|tiktok|snapchat|whatsapp"
    r"|dribbble|behance|github|vimeo|tumblr|reddit|google|social|\bx-logo",
    re.IGNORECASE,
)


def _is_logo(attrs: dict[str, str]) -> bool:
    names = " ".join(attrs.get(a) or "" for a in ("alt", "src", "class", "id"))
    return bool(_LOGO().search(names)) and not _SOCIAL().search(names)


def _is_logo_link(doc: EmailDocument, node: Node) -> bool:
    """An <a> whose content is only images, one of them the brand's logo (named so in
    alt, src, class or id): the mark readers tap out of habit, not a call to action."""
    if node.tag != "a" or node.text():
        return False
    return any(_is_logo(doc.attrs_of(img)) for img in node.el.iter("img"))


@check("requires-link-target", LinkTargetParams)
def requires_link_target(doc: EmailDocument, p: LinkTargetParams, policy: Policy) -> Iterator[Hit]:
    """Links with an href must lead somewhere: not empty and not a bare "#"."""
    anchors = {(n.get(a) or "").strip() for n in doc.nodes for a in ("id", "name") if n.get(a)}
    for ref in urls.link_refs(doc):
        if _is_logo_link(doc, ref.node) != (p.links == "logos"):
            continue
        why = urls.goes_nowhere(ref.value) or _dead_fragment(doc, ref, anchors)
        if why == "empty":
            yield at_node(doc, ref.node, f"{_who(ref, p)} has an empty href", attr="href")
        elif why:
            shown = clip(ref.value.strip())
            what = {
                "a bare #": "which",
                "no host": "a URL with no host, which",
            }.get(why, "a jump to an anchor no element has, which")
            yield at_node(
                doc,
                ref.node,
                f'{_who(ref, p)} href is "{shown}", {what} goes nowhere',
                attr="href",
            )


def _who(ref: urls.UrlRef, p: LinkTargetParams) -> str:
    return "The logo's <a>" if p.links == "logos" else f"<{ref.node.tag}>"


def _dead_fragment(doc: EmailDocument, ref: urls.UrlRef, anchors: set[str]) -> str | None:
    """An in-page link (#name) to no id or name in the email; MJML's carousel thumbnails
    (a <label> inside does the work) and templated fragments are live."""
    value = ref.value.strip()
    if not value.startswith("#") or len(value) == 1 or doc.is_templated(value):
        return None
    if value[1:] in anchors or next(ref.node.el.iter("label"), None) is not None:
        return None
    return "a missing anchor"


# A pragmatic address shape (not full RFC 5322): what ESPs and clients accept.
_ADDRESS = on_first_use(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
_DIGIT = on_first_use(r"\d")


def _mailto_problem(rest: str) -> str | None:
    addresses, _, query = rest.partition("?")
    found = [unquote(a).strip() for a in addresses.split(",") if a.strip()]
    if not found:
        # "mailto:?subject=…&body=…" is the forward-to-a-friend pattern: the reader picks
        # the recipient (RFC 6068 section 2 allows an empty address list).
        fields = {f.split("=", 1)[0].lower() for f in query.split("&")}
        return None if fields & {"subject", "body"} else "has no address"
    bad = [a for a in found if not _ADDRESS().match(a)]
    return f"has an invalid address ({bad[0]})" if bad else None


def _tel_problem(rest: str) -> str | None:
    return None if _DIGIT().search(unquote(rest)) else "has no phone number"


_PROBLEMS = {"mailto": _mailto_problem, "tel": _tel_problem}


class ContactParams(NamedTuple):
    scheme: Literal["mailto", "tel"] = "mailto"


@check("valid-contact-link", ContactParams)
def valid_contact_link(doc: EmailDocument, p: ContactParams, policy: Policy) -> Iterator[Hit]:
    """mailto: links name a valid address; tel: links hold a number."""
    problem_of = _PROBLEMS[p.scheme]
    for ref in urls.link_refs(doc):
        if urls.scheme(ref.value) != p.scheme or doc.is_templated(ref.value):
            continue
        rest = urls.normalise(ref.value)[len(p.scheme) + 1 :]
        problem = problem_of(rest)
        if problem:
            yield at_node(
                doc, ref.node, f"{p.scheme}: link {problem} ({clip(ref.value)})", attr="href"
            )


# RFC 3986 never allows these raw in a URL; clients and click-tracking redirects cut the
# link at a space or quote, or re-encode it differently.
_UNSAFE = re.compile(r"[\s\"<>\\^`{|}]|%(?![0-9A-Fa-f]{2})")
_NAMES = {" ": "a space", "%": "a stray %", "\u00a0": "a non-breaking space"}


@check("requires-encoded-url", NoParams)
def requires_encoded_url(doc: EmailDocument, p: NoParams, policy: Policy) -> Iterator[Hit]:
    """http(s) links and image URLs are percent-encoded: no spaces or unsafe characters."""
    for ref in _href_and_src(doc):
        masked = urls.mask_tags(ref.value).strip()
        if urls.scheme(masked) not in ("http", "https"):
            continue
        m = _UNSAFE.search(masked)
        if m is None:
            continue
        char = m.group(0)
        name = _NAMES.get(char) or (
            "a line break"
            if char in "\n\r"
            else "a tab"
            if char == "\t"
            else f'an unencoded "{char}"'
        )
        yield at_node(
            doc, ref.node, f"{_what(ref)} URL contains {name} ({clip(ref.value)})", attr=ref.attr
        )


# Tags that ESPs replace with a whole URL but that are no merge-tag dialect of their own:
# SendGrid's <%asm_group_unsubscribe_raw_url%> and its [unsubscribe] substitution tags.
_ESP_TAG = re.compile(r"^(?:<%.*%>|\[[\w -]+\])$")


@check("requires-absolute-url", NoParams)
def requires_absolute_url(doc: EmailDocument, p: NoParams, policy: Policy) -> Iterator[Hit]:
    """Links and images use absolute URLs: an email has no page address to resolve against."""
    for ref in _href_and_src(doc):
        value = urls.normalise(ref.value).strip()
        if (
            not value
            or value.startswith(("#", "//"))
            or urls.scheme(value)
            or doc.is_templated(value)
            or _ESP_TAG.match(value)
        ):
            continue
        what = "image" if ref.attr != "href" else "link"
        yield at_node(
            doc,
            ref.node,
            f'{_what(ref)} {ref.attr}="{clip(value)}" is a relative URL: a mail client has no'
            f" page address to resolve it against, so the {what} is broken for every reader",
            attr=ref.attr,
        )
