"""Tracking: the open-tracking pixel and the UTM tags on links, against the team's policy.

What counts as a pixel: an ``<img>`` that is 1x1 or smaller by its width/height
attributes or inline CSS (both dimensions <= 1px), or any ``<img>`` served from a
configured pixel host. Not pixels: ``data:`` images (they load nothing) and spacer
images named like ``spacer.gif``/``blank.gif``/``clear.gif``/``shim.gif``.
An ``src`` whose host is a merge tag (``{{pixel_url}}``) is filled at send time: it counts
as a pixel when it is 1x1, and its host is not judged.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Literal, NamedTuple
from urllib.parse import parse_qs, urlsplit

from linter.checks import NoParams, check
from linter.checks.email.compliance import is_unsubscribe_link
from linter.checks.hits import at_document, at_node, clip
from linter.documents.conditionals import Audience
from linter.documents.cssvalues import pixels
from linter.documents.email import EmailDocument, Node
from linter.documents.images import spacer_name
from linter.findings import Hit
from linter.policy import Policy, TrackingPolicy


def _size(doc: EmailDocument, node: Node) -> tuple[float | None, float | None]:
    """Width and height in px, CSS winning over the attribute."""
    out: list[float | None] = []
    for dim in ("width", "height"):
        value = pixels(doc.style_value(node, dim))
        out.append(value if value is not None else pixels(node.get(dim)))
    return out[0], out[1]


def host_of(doc: EmailDocument, url: str) -> str | None:
    """Lower-case host of an http(s) or protocol-relative URL; None if templated or other."""
    url = url.strip()
    if not re.match(r"(?i)(https?:)?//", url):
        return None
    authority = re.match(r"(?i)(?:https?:)?//([^/?#]*)", url)
    if authority is None or doc.is_templated(authority.group(1)):
        return None
    try:
        return (urlsplit(url if url[:2] != "//" else "https:" + url).hostname or "") or None
    except ValueError:
        return None


def host_in(host: str, hosts: tuple[str, ...]) -> bool:
    """The host is one of `hosts` or a subdomain of one."""
    return any(host == h.lower() or host.endswith("." + h.lower()) for h in hosts)


class Pixel(NamedTuple):
    node: Node
    host: str | None  # None: filled at send time
    width: float | None
    height: float | None


def find_pixels(doc: EmailDocument, policy: TrackingPolicy) -> list[Pixel]:
    found = []
    for node in doc.find("img"):
        src = (node.get("src") or "").strip()
        if not src or src.lower().startswith("data:") or spacer_name(src):
            continue
        width, height = _size(doc, node)
        tiny = width is not None and height is not None and width <= 1 and height <= 1
        host = host_of(doc, src)
        on_host = host is not None and host_in(host, policy.pixel_hosts)
        if tiny or on_host:
            found.append(Pixel(node, host, width, height))
    return found


def _agreed(pixel: Pixel, policy: TrackingPolicy) -> bool:
    return not policy.pixel_hosts or pixel.host is None or host_in(pixel.host, policy.pixel_hosts)


@check("has-open-pixel", NoParams)
def has_open_pixel(doc: EmailDocument, p: NoParams, policy: Policy) -> Iterator[Hit]:
    """When the team requires one, every reader's client loads the agreed open pixel."""
    rule = policy.tracking
    if not rule.pixel_required:
        return
    agreed = [x for x in find_pixels(doc, rule) if _agreed(x, rule)]
    audiences = {x.node.audience for x in agreed}
    if Audience.ALL in audiences or {Audience.MSO, Audience.NON_MSO} <= audiences:
        return
    where = f" from {', '.join(rule.pixel_hosts)}" if rule.pixel_hosts else ""
    if not agreed:
        yield at_document(
            doc,
            f"No open-tracking pixel{where}: opens of this email are not counted",
            "no open pixel",
        )
    elif Audience.MSO in audiences:
        yield at_node(
            doc,
            agreed[0].node,
            "The only open pixel is inside <!--[if mso]>, so opens"
            " outside Outlook for Windows are not counted",
        )
    else:
        yield at_node(
            doc,
            agreed[0].node,
            "The only open pixel is inside <!--[if !mso]>, so"
            " opens in Outlook for Windows are not counted",
        )


@check("single-open-pixel", NoParams)
def single_open_pixel(doc: EmailDocument, p: NoParams, policy: Policy) -> Iterator[Hit]:
    """At most one open pixel loads in any client (one in [if mso] and one in [if !mso] is fine)."""
    found = find_pixels(doc, policy.tracking)
    reported: set[int] = set()
    for excluded in (Audience.NON_MSO, Audience.MSO):  # what Outlook sees, what the rest see
        seen = [x for x in found if x.node.audience is not excluded]
        for extra in seen[1:]:
            if id(extra) in reported:
                continue
            reported.add(id(extra))
            first = seen[0].node
            yield at_node(
                doc,
                extra.node,
                f"{len(seen)} open pixels load together (first at line"
                f" {first.line}): each open is counted more than once",
                attr="src",
            )


@check("pixel-on-agreed-host", NoParams)
def pixel_on_agreed_host(doc: EmailDocument, p: NoParams, policy: Policy) -> Iterator[Hit]:
    """Pixels are served from the configured pixel hosts (silent when none are configured)."""
    rule = policy.tracking
    if not rule.pixel_hosts:
        return
    for pixel in find_pixels(doc, rule):
        if not _agreed(pixel, rule):
            yield at_node(
                doc,
                pixel.node,
                f"1x1 image from {pixel.host}, not the agreed pixel"
                f" host ({', '.join(rule.pixel_hosts)}): these opens land in another"
                " tool's report",
                attr="src",
            )


def _size_problem(doc: EmailDocument, pixel: Pixel) -> str | None:
    w, h = pixel.width, pixel.height
    if w == 1 and h == 1:
        return None
    if w is None or h is None:
        return (
            "Open pixel has no width/height of 1: where images are blocked, clients draw a"
            " placeholder box in the layout"
        )
    return (
        f"Open pixel is {w:g}x{h:g}, not 1x1: a larger one shows in the layout, a 0x0 one"
        " some clients do not load"
    )


def _alt_problem(doc: EmailDocument, pixel: Pixel) -> str | None:
    alt = pixel.node.get("alt")
    if alt is None:
        return (
            "Open pixel has no alt attribute: screen readers announce its file name and"
            " clients that block images show it"
        )
    if alt.strip():
        return f'Open pixel has alt="{alt}": screen readers read it out; use alt=""'
    return None


def _hidden_problem(doc: EmailDocument, pixel: Pixel) -> str | None:
    for node in (pixel.node, *doc.parents(pixel.node)):
        if doc.style_value(node, "display") == "none":
            what = "The open pixel" if node is pixel.node else f"The open pixel's <{node.tag}>"
            return (
                f"{what} (line {node.line}) has display:none: some clients then skip"
                " loading it and the open is not counted"
            )
    return None


_PROBLEMS: dict[str, Callable[[EmailDocument, Pixel], str | None]] = {
    "size": _size_problem,
    "alt": _alt_problem,
    "hidden": _hidden_problem,
}


class PixelParams(NamedTuple):
    problem: Literal["size", "alt", "hidden"]


@check("pixel-is-well-formed", PixelParams)
def pixel_is_well_formed(doc: EmailDocument, p: PixelParams, policy: Policy) -> Iterator[Hit]:
    """Each open pixel is 1x1, has alt="" and is not hidden with display:none."""
    problem = _PROBLEMS[p.problem]
    for pixel in find_pixels(doc, policy.tracking):
        message = problem(doc, pixel)
        if message:
            yield at_node(doc, pixel.node, message)


class UtmParams(NamedTuple):
    problem: Literal["missing", "value"]


def _tracked_links(doc: EmailDocument, policy: TrackingPolicy) -> Iterator[tuple[Node, str]]:
    """(link, href) of http(s) links that carry UTM tags: on the UTM hosts, not unsubscribe."""
    for node in doc.nodes:
        href = (node.get("href") or "").strip()
        if not href or node.tag in ("link", "base"):
            continue
        host = host_of(doc, href)
        if host is None:  # mailto:, tel:, #, or a URL filled in at send time
            continue
        if policy.utm_hosts and not host_in(host, policy.utm_hosts):
            continue
        if is_unsubscribe_link(doc, node):
            continue
        yield node, href


@check("links-carry-utm", UtmParams)
def links_carry_utm(doc: EmailDocument, p: UtmParams, policy: Policy) -> Iterator[Hit]:
    """Links carry the UTM parameters the team requires, with agreed values."""
    rule = policy.tracking
    if not rule.utm:
        return
    for node, href in _tracked_links(doc, rule):
        query = parse_qs(urlsplit(href).query, keep_blank_values=True)
        short = clip(href)
        if p.problem == "missing":
            missing = [k for k in rule.utm if not any(v.strip() for v in query.get(k, []))]
            if missing:
                yield at_node(
                    doc,
                    node,
                    f"Link {short} has no {', '.join(missing)}: clicks are"
                    " not attributed to this email in analytics",
                    attr="href",
                )
            continue
        for key, allowed in rule.utm.items():
            for value in query.get(key, []):
                if (
                    value.strip()
                    and allowed
                    and value not in allowed
                    and not doc.is_templated(value)
                ):
                    yield at_node(
                        doc,
                        node,
                        f'Link {short} has {key}="{value}", not an agreed value'
                        f" ({', '.join(allowed)}): its clicks land in a separate row"
                        " of the report",
                        attr="href",
                    )
