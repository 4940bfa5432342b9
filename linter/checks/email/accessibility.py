"""Accessibility: what screen-reader users hear and low-vision readers can see."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

from lxml import etree

from linter.checks import NoParams, check
from linter.checks.email import colours
from linter.checks.hits import at_document, at_node, clip
from linter.documents.conditionals import Audience
from linter.documents.cssvalues import pixels
from linter.documents.email import EmailDocument, Node
from linter.documents.images import is_spacer
from linter.findings import Hit
from linter.policy import Policy


def _is_pixel(doc: EmailDocument, node: Node) -> bool:
    """A 1x1 (or smaller) image: a tracking pixel, which the tracking standard judges."""
    style = doc.style_map(node)
    width = pixels(style.get("width") or node.get("width"))
    height = pixels(style.get("height") or node.get("height"))
    return width is not None and height is not None and width <= 1 and height <= 1


def _images_without_alt(doc: EmailDocument) -> Iterator[tuple[Node, bool]]:
    """Visible images with no alt attribute, and whether each is a spacer (not pixels:
    the tracking standard judges those)."""
    for node in doc.find("img"):
        if "alt" in node.attrs or _is_pixel(doc, node) or doc.is_hidden(node):
            continue
        yield node, is_spacer(doc, node)


@check("requires-img-alt", NoParams)
def requires_img_alt(doc: EmailDocument, p: NoParams, policy: Policy) -> Iterator[Hit]:
    """Every visible content image has an alt attribute (spacers are ACC008's)."""
    for node, spacer in _images_without_alt(doc):
        if not spacer:
            src = node.get("src") or ""
            yield at_node(doc, node, f"Image has no alt attribute ({clip(src) or 'no src'})")


@check("requires-spacer-empty-alt", NoParams)
def requires_spacer_empty_alt(doc: EmailDocument, p: NoParams, policy: Policy) -> Iterator[Hit]:
    """Spacer images carry alt="", so screen readers skip them and nothing shows when blocked."""
    for node, spacer in _images_without_alt(doc):
        if spacer:
            src = node.get("src") or ""
            yield at_node(doc, node, f'Spacer image has no alt="" ({clip(src) or "no src"})')


def _owner_table(el: etree._Element) -> etree._Element | None:
    return next(el.iterancestors("table"), None)


def _is_header_cell(doc: EmailDocument, th: etree._Element) -> bool:
    """A <th> that heads data: it holds text and no table. Foundation for Emails builds its
    columns from <th class="columns"> holding tables, and its <th class="expander"> is
    empty: layout, not headers."""
    attrs = doc.attrs_of(th)
    if attrs.get("scope") or attrs.get("abbr") or attrs.get("headers"):
        return True
    return next(th.iter("table"), None) is None and bool("".join(th.itertext()).strip())


def _is_data_table(doc: EmailDocument, node: Node) -> bool:
    """Header cells, a caption or a summary of its own (not of a nested table)."""
    el = node.el
    if node.get("summary"):
        return True
    return any(
        _owner_table(x) is el and (x.tag == "caption" or _is_header_cell(doc, x))
        for x in el.iter("th", "caption")
    )


# Roles that say what a table is: layout (presentation, none) or data (table, grid…).
# Anything else (SendGrid's role="content-container") is no ARIA role: screen readers
# ignore it and announce a data table.
_TABLE_ROLES = frozenset({"presentation", "none", "table", "grid", "treegrid"})


def _grid_with_bold_head(doc: EmailDocument, node: Node) -> int:
    """Rows under the header when the table reads as data laid out with <td> only: two or
    more rows of the same number (≥ 2) of plain-text cells, the first row bold."""
    rows = [r for r in node.el.iter("tr") if _owner_table(r) is node.el]
    cells = [[c for c in r if c.tag == "td"] for r in rows]
    if len(cells) < 2 or len(cells[0]) < 2 or any(len(r) != len(cells[0]) for r in cells):
        return 0
    if any(next(c.iter("table", "img"), None) is not None for r in cells for c in r):
        return 0

    def bold(cell: etree._Element) -> bool:
        found = doc.node(cell)
        weight = doc.style_map(found).get("font-weight", "") if found is not None else ""
        whole = len(cell) == 1 and cell[0].tag in ("b", "strong") and not (cell.text or "").strip()
        return weight.startswith(("bold", "7", "8", "9")) or whole

    return len(cells) - 1 if all(bold(c) for c in cells[0]) else 0


@check("requires-layout-table-role", NoParams)
def requires_layout_table_role(doc: EmailDocument, p: NoParams, policy: Policy) -> Iterator[Hit]:
    """Layout tables (no th, caption or summary) carry role="presentation"."""
    for node in doc.find("table"):
        role = (node.get("role") or "").strip().lower()
        if role in _TABLE_ROLES or doc.is_templated(role) or _is_data_table(doc, node):
            continue
        if doc.is_hidden(node) or next(node.el.iter("td", "th"), None) is None:
            continue  # a hidden preheader table, or no cells: nothing is announced
        rows = _grid_with_bold_head(doc, node)
        if rows:
            yield at_node(
                doc,
                node,
                f"This table holds data ({rows} row{'s' if rows > 1 else ''} under a bold"
                " header row of <td> cells):"
                ' make the header cells <th scope="col"> rather than role="presentation",'
                " so screen readers can read each value with its column",
            )
        else:
            yield at_node(doc, node, "")


@check("requires-title", NoParams)
def requires_title(doc: EmailDocument, p: NoParams, policy: Policy) -> Iterator[Hit]:
    """The document has a <title> with text (a merge tag counts as text)."""
    titles = doc.find("title")
    if not titles:
        yield at_document(doc, "The email has no <title>", "missing title")
        return
    if not any(t.text() for t in titles):
        yield at_node(doc, titles[0], "The <title> is empty")


class LinkTextParams(NamedTuple):
    phrases: tuple[str, ...] = ("click here", "here", "read more", "learn more", "more")


_EDGE_PUNCT = re.compile(r"^[^\w]+|[^\w]+$")


@check("requires-descriptive-link-text", LinkTextParams)
def requires_descriptive_link_text(
    doc: EmailDocument, p: LinkTextParams, policy: Policy
) -> Iterator[Hit]:
    """Link text names its destination, unless aria-label does."""
    phrases = {x.lower() for x in p.phrases}
    for node in doc.find("a"):
        labels = (node.attrs.get("aria-label", ""), node.attrs.get("aria-labelledby", ""))
        if any(label.strip() for label in labels):
            continue
        text = _EDGE_PUNCT.sub("", node.text().lower())
        if text in phrases:
            yield at_node(doc, node, f'Link text "{node.text()}" does not say where it goes')


@check("requires-link-name", NoParams)
def requires_link_name(doc: EmailDocument, p: NoParams, policy: Policy) -> Iterator[Hit]:
    """A link whose only content is images names itself: an image alt, aria-label or title.

    A named link to the same address elsewhere (MJML's social icon beside its label)
    leaves nothing missing, so it is enough.
    """
    named = {
        n.get("href")
        for n in doc.find("a")
        if n.text() or any((doc.attrs_of(i).get("alt") or "").strip() for i in n.el.iter("img"))
    }
    for node in doc.find("a"):
        if node.get("href") in named or (node.get("href") or "").startswith("#"):
            continue  # named elsewhere, or a carousel or in-page control
        if not node.get("href") or node.text() or doc.is_hidden(node):
            continue
        images = [doc.attrs_of(img) for img in node.el.iter("img")]
        if not images or any((img.get("alt") or "").strip() for img in images):
            continue  # no image (an empty link is LNK003's), or one that names the link
        if any((node.get(a) or "").strip() for a in ("aria-label", "aria-labelledby", "title")):
            continue
        if any(img.get("alt") is None for img in images):
            continue  # an image with no alt at all is ACC002's
        yield at_node(
            doc,
            node,
            f'Link to {clip(node.get("href") or "", 60)} holds only images with alt="": screen'
            " readers announce it by its URL, and with images off it is invisible",
            attr="href",
        )


# -- contrast ----------------------------------------------------------------------
# WCAG 2.x success criterion 1.4.3 (Contrast, Minimum, level AA): 4.5:1 for text, 3:1
# for large text, which is 18pt (24px) or 14pt (18.66px) bold.
# https://www.w3.org/TR/WCAG21/#contrast-minimum


class ContrastParams(NamedTuple):
    min_ratio: float = 4.5
    large_ratio: float = 3.0
    large_px: float = 24.0
    large_bold_px: float = 18.66


Rgb = tuple[float, float, float]
_LETTER = re.compile(r"\w")
_SKIP_TEXT_IN = {"style", "script", "title", "head", "noscript", "xml"}
_BOLD_TAGS = {"b", "strong", "h1", "h2", "h3", "h4", "h5", "h6", "th"}
# Default sizes of headings (HTML user-agent style sheet) for 16px body text.
_HEADING_PX = {"h1": 32.0, "h2": 24.0, "h3": 18.72}


@check("requires-text-contrast", ContrastParams)
def requires_text_contrast(doc: EmailDocument, p: ContrastParams, policy: Policy) -> Iterator[Hit]:
    """Text and background colours set inline meet the WCAG AA contrast ratio.

    Judged only where both colours are known from inline styles or bgcolor/color
    attributes and no <style> rule could override them; anything else is skipped.
    """
    sheet = colours.SheetTargets.of(doc)
    seen: set[tuple[object, ...]] = set()
    for node in doc.nodes:
        if not _has_own_text(doc, node) or doc.is_hidden(node):
            continue
        for view in _views(node):
            found = _failure(doc, _chain(doc, node, view), sheet, p)
            if found is None:
                continue
            fg, bg, ratio, need, what = found
            # One finding per pair of colour-setting elements, and per line and values.
            keys = {(id(fg.node), id(bg.node)), (node.line, fg.text, bg.text)}
            if keys & seen:
                continue
            seen |= keys
            where = (
                " in Outlook for Windows"
                if view is Audience.MSO and (node.audience is Audience.ALL)
                else ""
            )
            yield at_node(
                doc,
                node,
                f"Text colour {fg.text} on background {bg.text} has contrast {ratio:.2f}:1,"
                f" below {need:g}:1 for {what}{where}",
            )
            break


def _views(node: Node) -> tuple[Audience, ...]:
    """The renderings that show the node: Outlook for Windows, the other clients, or both."""
    if node.audience is Audience.ALL:
        return (Audience.NON_MSO, Audience.MSO)
    return (node.audience,)


def _failure(
    doc: EmailDocument, chain: list[Node], sheet: colours.SheetTargets, p: ContrastParams
) -> tuple[colours.Colour, colours.Colour, float, float, str] | None:
    fg = colours.text_colour(doc, chain, sheet)
    bg = colours.background_colour(doc, chain, sheet) if fg else None
    if fg is None or bg is None:
        return None
    ratio = colours.contrast(fg.rgb, bg.rgb)
    size = _text_size(doc, chain, sheet, p)
    # Lenient (large-text threshold) when a style sheet may set the size.
    need = p.min_ratio if size == "normal" else p.large_ratio
    if ratio >= need:
        return None
    what = {
        "large": "large text",
        "normal": "text",
        "unknown": "text of a size a style sheet sets (judged as large text)",
    }[size]
    return fg, bg, ratio, need, what


def _has_own_text(doc: EmailDocument, node: Node) -> bool:
    el = node.el
    own = (el.text or "") + "".join(c.tail or "" for c in el)
    if node.tag in _SKIP_TEXT_IN or _LETTER.search(own) is None:
        return False
    # Ancestors walked by lxml (C), not doc.parents: 200-deep nesting made this quadratic
    # in Python (16 s on 5 MB).
    return next(el.iterancestors(*_SKIP_TEXT_IN), None) is None


def _chain(doc: EmailDocument, node: Node, view: Audience) -> list[Node]:
    """The node and its ancestors as one rendering sees them.

    Outlook-only wrappers (ghost tables) exist only in the MSO view, and code inside
    <!--[if !mso]> only outside it, so their colours count only there.
    """
    hidden = Audience.NON_MSO if view is Audience.MSO else Audience.MSO
    return [node, *(p for p in doc.parents(node) if p.audience is not hidden)]


def _text_size(
    doc: EmailDocument, chain: list[Node], sheet: colours.SheetTargets, p: ContrastParams
) -> str:
    """ "large", "normal" or "unknown" (a style sheet may set the size)."""
    size: float | None = None
    for n in chain:
        value = doc.style_value(n, "font-size")
        if value is not None:
            size = pixels(value)
            break
        if sheet.may_set(n, "font-size") or n.tag in _HEADING_PX:
            size = _HEADING_PX.get(n.tag)
            break
    if size is None:
        return "unknown"
    bold = False
    for n in chain:
        weight = doc.style_value(n, "font-weight")
        if weight is not None:
            bold = weight in ("bold", "bolder") or (weight.isdigit() and int(weight) >= 700)
            break
        if n.tag in _BOLD_TAGS:
            bold = True
            break
    if size >= p.large_px or (bold and size >= p.large_bold_px):
        return "large"
    return "normal"
