"""Responsive layout: media queries, fluid widths, fixed widths, image scaling, text size."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

from linter.checks import check
from linter.checks.email.colours import SheetTargets
from linter.checks.hits import at_document, at_node
from linter.documents.conditionals import Audience
from linter.documents.css import is_width_query
from linter.documents.cssvalues import pixels
from linter.documents.email import EmailDocument, Node
from linter.findings import Hit
from linter.policy import Policy

_CONTAINERS = ("table", "td", "th", "div", "center")
_FLUID = re.compile(r"^(100%|\d{2,3}(\.\d+)?%)$")


class MechanismParams(NamedTuple):
    # Widest common phone viewport in CSS pixels (iPhone Plus/Max class): a fixed width
    # above it cannot fit a phone without a mechanism to adapt.
    phone_width: int = 414


@check("has-responsive-mechanism", MechanismParams)
def has_responsive_mechanism(
    doc: EmailDocument, p: MechanismParams, policy: Policy
) -> Iterator[Hit]:
    """A layout with fixed widths wider than a phone adapts: @media queries or fluid widths.

    An email that fixes no width at all reflows on its own and needs neither.
    """
    if _has_width_query(doc):
        return
    widest: tuple[float, Node] | None = None
    for node in doc.find(*_CONTAINERS):
        if node.audience is Audience.MSO or _adapts(doc.style_map(node), p.phone_width):
            continue  # Outlook's own fixed ghost table, or capped to shrink with the screen
        fixed = _declared_width(doc, node)
        if fixed is not None and (widest is None or fixed[0] > widest[0]):
            widest = (fixed[0], node)
    if widest is not None and widest[0] > p.phone_width:
        yield at_node(
            doc,
            widest[1],
            f"The layout is fixed at {widest[0]:g}px with no media query or fluid width,"
            f" wider than a phone ({p.phone_width}px)",
        )


# RSP001 was requires-element with name = "^\s*viewport\s*$" before it asked whether the
# layout needs it: that pattern ran on RE2 (linter.userregex), whose \s is ASCII white space
# without \v and whose case folding adds no other letter to these eight. This `re` pattern
# matches exactly the names it did (every code point compared, tests/test_responsive.py)
# and spares every run RE2's import; the finding's context, which its fingerprint is made
# from, keeps the text requires-element gave it.
_VIEWPORT_NAME = re.compile(r"[\t\n\f\r ]*viewport[\t\n\f\r ]*", re.IGNORECASE | re.ASCII)
_NO_VIEWPORT = r"missing meta name=^\s*viewport\s*$"


@check("requires-viewport", MechanismParams)
def requires_viewport(doc: EmailDocument, p: MechanismParams, policy: Policy) -> Iterator[Hit]:
    """A layout sized for screens declares the viewport: one with a width media query
    (which fires on phones only at device width) or a width wider than a phone. Text that
    fixes no width and queries none reflows on its own, viewport or not."""
    needed = _has_width_query(doc) or _wider_than(doc, p.phone_width)
    if needed and not any(_VIEWPORT_NAME.fullmatch(m.get("name") or "") for m in doc.find("meta")):
        yield at_document(doc, "", _NO_VIEWPORT)


def _wider_than(doc: EmailDocument, limit: float) -> bool:
    """Some element (not Outlook's own) asks for a pixel width or max-width over `limit`."""
    return any(
        width > limit
        for node in doc.find(*_CONTAINERS, "img")
        if node.audience is not Audience.MSO
        for width in (
            (_declared_width(doc, node) or (0.0, ""))[0],
            pixels(doc.style_value(node, "max-width")) or 0.0,
        )
    )


def _has_width_query(doc: EmailDocument) -> bool:
    """A media query on the viewport's width (css.is_width_query)."""
    return any(
        is_width_query(f"@{a.keyword} {a.prelude}")
        for block in doc.style_blocks
        for a in block.sheet.at_rules
    )


def _adapts(style: dict[str, str], phone_width: int) -> bool:
    """The element's own CSS lets it shrink: a fluid width, or a max-width a phone fits."""
    if _FLUID.match(style.get("width", "").replace("!important", "").strip()):
        return True
    cap = style.get("max-width", "").replace("!important", "").strip()
    limit = pixels(cap)
    return cap.endswith("%") or (limit is not None and limit <= phone_width)


class WidthParams(NamedTuple):
    max_width: int = 600


def _declared_width(doc: EmailDocument, node: Node) -> tuple[float, str] | None:
    """The fixed pixel width an element asks for, and where (CSS wins over the attribute)."""
    css_width = pixels(doc.style_value(node, "width"))
    if css_width is not None:
        return css_width, "style"
    if doc.style_value(node, "width") is None:
        attr = pixels(node.get("width"))
        if attr is not None:
            return attr, "width"
    return None


@check("limits-fixed-width", WidthParams)
def limits_fixed_width(doc: EmailDocument, p: WidthParams, policy: Policy) -> Iterator[Hit]:
    """Containers wider than the agreed width must be capped with max-width."""
    for node in doc.find(*_CONTAINERS):
        # Outlook for Windows is a fixed-width desktop client: ghost tables may be wide.
        if node.audience is Audience.MSO:
            continue
        found = _declared_width(doc, node)
        if found is None or found[0] <= p.max_width:
            continue
        if "max-width" in doc.style_map(node):
            continue
        width, where = found
        yield at_node(
            doc,
            node,
            f"<{node.tag}> is fixed at {width:g}px (over {p.max_width}px) with no max-width,"
            " so phones scroll sideways",
            attr=where,
        )


@check("scales-wide-images", WidthParams)
def scales_wide_images(doc: EmailDocument, p: WidthParams, policy: Policy) -> Iterator[Hit]:
    """Images wider than the container must scale down (max-width or width 100%)."""
    for node in doc.find("img"):
        if node.audience is Audience.MSO:
            continue
        found = _declared_width(doc, node)
        if found is None or found[0] <= p.max_width:
            continue
        style = doc.style_map(node)
        if style.get("max-width") == "100%" or style.get("width") == "100%":
            continue
        width, where = found
        yield at_node(
            doc,
            node,
            f"Image is {width:g}px wide (over {p.max_width}px) and does not scale"
            " (add max-width: 100%)",
            attr=where,
        )


class FontSizeParams(NamedTuple):
    min_px: int = 14


# What a client draws text in when no CSS sizes it (Apple Mail, Gmail, Outlook: 16px, or
# Outlook's 11pt/15px Calibri for plain paragraphs); either is above a 14px minimum.
_CLIENT_DEFAULT_PX = 16.0
_UNKNOWN = -1.0  # sized by a <style> rule presend does not resolve


@check("body-text-size", FontSizeParams)
def body_text_size(doc: EmailDocument, p: FontSizeParams, policy: Policy) -> Iterator[Hit]:
    """The size most of the visible text is set in (the body copy) meets the minimum.

    Judging the dominant size, weighted by characters, keeps 12px footers and captions
    out of it: those are small on purpose. Link text (buttons, navigation) is not body
    copy; text no CSS sizes is the client's default; text a <style> rule may size is
    unknown, and a finding needs the small size to outweigh it.
    """
    sheet = SheetTargets.of(doc)
    weight: dict[float, int] = {}
    setter: dict[float, Node] = {}
    for node in doc.nodes:
        chars = len((node.el.text or "").strip()) + sum(
            len((child.tail or "").strip()) for child in node.el
        )
        if not chars or node.tag in ("style", "script", "title", "a") or doc.is_hidden(node):
            continue
        if any(parent.tag == "a" for parent in doc.parents(node)):
            continue
        size, source = _font_size(doc, node, sheet)
        weight[size] = weight.get(size, 0) + chars
        setter.setdefault(size, source)
    known = {s: w for s, w in weight.items() if s != _UNKNOWN}
    if not known:
        return
    dominant = max(known, key=lambda s: (known[s], s))
    if dominant < p.min_px and known[dominant] > weight.get(_UNKNOWN, 0):
        node = setter[dominant]
        share = 100 * known[dominant] // sum(weight.values())
        yield at_node(
            doc,
            node,
            f"Body copy is {dominant:g}px ({share}% of the text), below {p.min_px}px",
            attr="style",
        )


def _font_size(doc: EmailDocument, node: Node, sheet: SheetTargets) -> tuple[float, Node]:
    """The px font-size that applies to a node and the element that sets it: inline CSS,
    else unknown where a <style> rule may set it, else the client's default."""
    for current in (node, *doc.parents(node)):
        size = pixels(doc.style_value(current, "font-size"))
        if size is not None:
            return size, current
        if sheet.may_set(current, "font-size") or sheet.may_set(current, "font"):
            return _UNKNOWN, current
    return _CLIENT_DEFAULT_PX, node
