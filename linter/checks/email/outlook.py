"""Outlook for Windows (Word engine): VML set-up, DPI scaling, ghost tables, fonts, spacing.

Facts relied on (caniemail data vendored in linter/data/caniemail, outlook.windows 2007-2019):
max-width is not supported (only on tables in 2019), `display` supports only `none`,
`width` is ignored on <div>/<p>, padding works only on table cells, background-image
needs VML, and elements using an @font-face font "ignore the font stack and fall back to
Times New Roman" (caniemail css-at-font-face note 5). The DPI fix, as its finders published
it (Campaign Monitor forums post 30337, 2014; Email on Acid, "Coding for DPI Scaling in
Outlook 2007-2013"), is the <o:OfficeDocumentSettings> block *and* the Office namespaces on
<html>: the Word engine reads the o: prefix only where xmlns:o declares it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Literal, NamedTuple

from linter.checks import NoParams, check
from linter.checks.hits import at_declaration, at_document, at_node
from linter.documents.conditionals import Audience
from linter.documents.css import ignored_imports
from linter.documents.cssvalues import pixels
from linter.documents.email import EmailDocument, Node
from linter.documents.images import CSS_URL
from linter.documents.vml import background_attribute_image, has_vml_background
from linter.documents.webfonts import google_families
from linter.findings import Hit
from linter.lazyre import on_first_use
from linter.policy import Policy

_CELLS = ("td", "th")
_COLOUR = on_first_use(r"^(?:#[0-9a-f]{3,8}|rgba?\(.*|[a-z]+)$")
_CLASS = on_first_use(r"\.([\w-]+)")
_GENERIC = {"serif", "sans-serif", "monospace", "cursive", "fantasy", "system-ui", "inherit"}


@lru_cache(maxsize=32)
def _tag_scan(tag: str) -> re.Pattern[str]:
    return re.compile(r"<(/?)" + re.escape(tag) + r"(?=[\s/>])", re.IGNORECASE)


def _seen_by_outlook(doc: EmailDocument, node: Node) -> bool:
    """Rendered by Outlook for Windows: not in an [if !mso] block and not hidden."""
    return node.audience is not Audience.NON_MSO and not doc.is_hidden(node)


def _px_width(doc: EmailDocument, node: Node) -> float | None:
    """A pixel width Outlook honours: the width attribute, or CSS width on a table/cell."""
    attr = pixels(node.get("width"))
    if attr is not None and attr > 0:
        return attr
    if node.tag in ("table", *_CELLS):
        return pixels(doc.style_value(node, "width"))
    return None


# -- namespaces and DPI ---------------------------------------------------------------


class NamespaceParams(NamedTuple):
    prefixes: tuple[str, ...] = ("v", "o")


@check("declares-office-namespaces", NamespaceParams)
def declares_office_namespaces(
    doc: EmailDocument, p: NamespaceParams, policy: Policy
) -> Iterator[Hit]:
    """VML and Office elements need their xmlns declared on <html> (or on the element)."""
    for prefix in p.prefixes:
        attr = f"xmlns:{prefix}"
        # <o:OfficeDocumentSettings> only tunes DPI scaling: without xmlns:o it is ignored,
        # which OUT002 reports as PixelsPerInch not set; nothing visible is missing.
        used = [
            n for n in doc.nodes if n.tag.startswith(prefix + ":") and n.tag not in _OFFICE_SETTINGS
        ]
        missing = [
            n
            for n in used
            if attr not in n.attrs and not any(attr in a.attrs for a in doc.parents(n))
        ]
        if missing:
            first = missing[0]
            yield at_node(
                doc,
                first,
                f"<{first.tag}> ({len(missing)} {prefix}: element(s)) is used but {attr} is not"
                " declared on <html>: Outlook does not render it",
                context=f"missing {attr}",
            )


_OFFICE_SETTINGS = frozenset(
    {"o:officedocumentsettings", "o:pixelsperinch", "o:allowpng", "o:dpi", "o:targetscreensize"}
)


def _pixels_per_inch(doc: EmailDocument) -> str | None:
    """PixelsPerInch as Outlook reads it: None when absent or its namespace is undeclared."""
    for node in doc.find("o:pixelsperinch"):
        declared = any("xmlns:o" in n.attrs for n in (node, *doc.parents(node)))
        if node.audience is Audience.MSO and declared:
            return (node.el.text or "").strip()
    return None


@check("sets-office-dpi", NoParams)
def sets_office_dpi(doc: EmailDocument, p: NoParams, policy: Policy) -> Iterator[Hit]:
    """Documents with VML or pixel-sized Outlook-only tables declare PixelsPerInch 96."""
    vml = next((n for n in doc.nodes if n.tag.startswith("v:")), None)
    ghost = next(
        (
            n
            for n in doc.find("table", *_CELLS)
            if n.audience is Audience.MSO and _px_width(doc, n) is not None
        ),
        None,
    )
    reason = vml or ghost
    if reason is None:
        return
    value = _pixels_per_inch(doc)
    if value == "96":
        return
    what = (
        f"VML (<{reason.tag}> line {reason.line})"
        if vml
        else (f"a {_px_width(doc, reason):g}px Outlook-only <{reason.tag}> (line {reason.line})")
    )
    if value is not None:
        found = f"<o:PixelsPerInch> is {value!r}"
    elif doc.find("o:pixelsperinch"):
        found = (
            "<o:PixelsPerInch> without xmlns:o declared on <html>, which the fix needs"
            " (the Word engine reads the o: prefix only where it is declared)"
        )
    else:
        found = "no <o:PixelsPerInch>"
    yield at_document(
        doc,
        f"The layout uses {what} but has {found} (expected 96 in an"
        " <!--[if mso]> <xml><o:OfficeDocumentSettings> block)",
        "pixels-per-inch",
    )


# -- background images ----------------------------------------------------------------


def _background_image(doc: EmailDocument, node: Node) -> tuple[str, str] | None:
    """(where, url) of the element's background image: where is 'style' or 'background'."""
    style = doc.style_map(node)
    for prop in ("background-image", "background"):
        found = CSS_URL.search(style.get(prop, ""))
        if found:
            return "style", found.group(1)
    url = background_attribute_image(doc, node)
    return ("background", url) if url else None


def _is_texture(doc: EmailDocument, node: Node) -> bool:
    """The image tiles in one direction (repeat-x, repeat-y): a gradient or gloss strip,
    decoration over the colour beneath, not a picture the design depends on."""
    style = doc.style_map(node)
    repeat = style.get("background-repeat", "") + " " + style.get("background", "")
    return "repeat-x" in repeat or "repeat-y" in repeat


def _background_colour(doc: EmailDocument, node: Node) -> str | None:
    """The colour Outlook paints instead: background-color, bgcolor or the shorthand's."""
    style = doc.style_map(node)
    colour = style.get("background-color") or node.get("bgcolor")
    if colour:
        return colour
    shorthand = CSS_URL.sub(" ", style.get("background", ""))
    return next((w for w in shorthand.split() if _COLOUR().match(w)), None)


@check("has-vml-background", NoParams)
def has_vml_background_check(doc: EmailDocument, p: NoParams, policy: Policy) -> Iterator[Hit]:
    """A CSS or attribute background image has a VML fill for Outlook (backgrounds.cm)."""
    for node in doc.nodes:
        if node.audience is Audience.MSO or not _seen_by_outlook(doc, node):
            continue
        found = _background_image(doc, node)
        if found is None or has_vml_background(doc, node, found[1]):
            continue
        colour = _background_colour(doc, node)
        if colour and _is_texture(doc, node):
            continue  # a tiled gloss or gradient over a colour: Outlook shows the colour
        fallback = f"the {colour} background colour" if colour else "no background colour"
        yield at_node(
            doc,
            node,
            f"<{node.tag}> has a background image but no VML fill (<v:rect>/<v:fill>,"
            f" <v:image>) in an <!--[if mso]> block: Outlook shows {fallback} instead",
            attr=found[0],
        )


# -- ghost tables ---------------------------------------------------------------------


class GhostParams(NamedTuple):
    # "max-width": containers capped with CSS max-width; "inline-block": side-by-side columns.
    layout: Literal["max-width", "inline-block"] = "max-width"


def _in_ghost_cell(doc: EmailDocument, node: Node) -> bool:
    """The nearest table cell around the node is an Outlook-only (MSO) one."""
    for parent in doc.parents(node):
        if parent.tag in _CELLS:
            return parent.audience is Audience.MSO
    return False


def _bounded_for_outlook(doc: EmailDocument, node: Node) -> bool:
    """Outlook gets a pixel width here: on the node, around it, or from a ghost table inside."""
    if _px_width(doc, node) is not None and node.tag != "div":
        return True
    for parent in doc.parents(node):
        if (
            parent.tag in ("table", *_CELLS)
            and parent.audience is not Audience.NON_MSO
            and _px_width(doc, parent) is not None
        ):
            return True
    for el in node.el.iterdescendants("table"):
        inner = doc.node(el)
        if inner is not None and inner.audience is Audience.MSO and _px_width(doc, inner):
            return True
    return False


@check("requires-mso-ghost-table", GhostParams)
def requires_mso_ghost_table(doc: EmailDocument, p: GhostParams, policy: Policy) -> Iterator[Hit]:
    """Layouts Outlook ignores (max-width, inline-block columns) sit in an MSO ghost table."""
    for node in doc.find("div", "table", *_CELLS, "center"):
        if node.audience is Audience.MSO or not _seen_by_outlook(doc, node):
            continue
        style = doc.style_map(node)
        inline_block = node.tag == "div" and style.get("display") == "inline-block"
        max_width = pixels(style.get("max-width"))
        if p.layout == "inline-block":
            sized = max_width or pixels(style.get("width")) or style.get("width")
            if inline_block and sized and not _in_ghost_cell(doc, node):
                shown = sized if isinstance(sized, str) else f"{sized:g}px"
                yield at_node(
                    doc,
                    node,
                    f"Column <div> (display: inline-block, width {shown})"
                    " is not inside an <!--[if mso]> ghost table cell: Outlook stacks it full"
                    " width",
                    attr="style",
                )
        elif max_width and not inline_block and not _bounded_for_outlook(doc, node):
            yield at_node(
                doc,
                node,
                f"<{node.tag}> is capped with max-width: {max_width:g}px but has no"
                f" <!--[if mso]> ghost table of {max_width:g}px: Outlook stretches it to the"
                " full window width",
                attr="style",
            )


# -- web fonts ------------------------------------------------------------------------


def _family_names(value: str) -> list[str]:
    return [f.strip().strip("'\"").strip().lower() for f in value.split(",") if f.strip()]


def _web_fonts(doc: EmailDocument) -> list[tuple[str, int, int, str]]:
    """(family, line, column, how) for each web font Outlook can see being declared."""
    found: list[tuple[str, int, int, str]] = []
    for block in doc.style_blocks:
        if block.node.audience is not Audience.ALL:
            continue
        # Outlook ignores @media, so a font declared inside one is hidden from it (Litmus'
        # `@media screen { @font-face {...} }`); a nested or late @import loads nowhere.
        for decl in block.sheet.declarations:
            if decl.name == "font-family" and decl.at_rules and decl.at_rules[-1] == "@font-face":
                if any(a.startswith("@media") for a in decl.at_rules):
                    continue
                for name in [decl.value.split(",")[0].strip().strip("'\"")][:1]:
                    found.append((name, decl.line, decl.column, "@font-face"))
        ignored = ignored_imports(block.sheet)
        for rule in block.sheet.at_rules:
            if rule.keyword == "import" and rule not in ignored:
                url = re.sub(r"^url\(|\)$", "", rule.prelude.split(" ")[0])
                for name in google_families(url):
                    found.append((name, rule.line, rule.column, "@import"))
    for link in doc.find("link"):
        if link.audience is Audience.ALL:
            for name in google_families(link.get("href") or ""):
                found.append((name, link.line, link.column, "<link>"))
    return found


def _has_mso_font_override(doc: EmailDocument) -> bool:
    """An Outlook-only <style> sets font-family (Cerberus `* {…}`, Postmark `.f-fallback`),
    or mso-font-alt names the fallback (caniemail css-at-font-face note 5)."""
    for block in doc.style_blocks:
        if block.node.audience is Audience.MSO and any(
            d.name == "font-family" for d in block.sheet.declarations
        ):
            return True
    return any(decl.name == "mso-font-alt" for decl, _ in doc.declarations())


@check("web-font-has-mso-fallback", NoParams)
def web_font_has_mso_fallback(doc: EmailDocument, p: NoParams, policy: Policy) -> Iterator[Hit]:
    """Web fonts Outlook can see come with an Outlook-only font-family override."""
    fonts = _web_fonts(doc)
    if not fonts or _has_mso_font_override(doc):
        return
    first_in_stack: dict[str, int] = {}
    for decl, node in doc.declarations():
        if decl.name != "font-family" or "@font-face" in decl.at_rules:
            continue
        if node.audience is Audience.NON_MSO or node.audience is Audience.MSO:
            continue
        if any(a.startswith("@media") for a in decl.at_rules):
            continue  # Outlook for Windows never applies @media
        names = _family_names(decl.value)
        if names and names[0] not in _GENERIC:
            first_in_stack[names[0]] = first_in_stack.get(names[0], 0) + 1
    for name, line, column, how in fonts:
        uses = first_in_stack.get(name.lower(), 0)
        if uses:
            yield Hit(
                line,
                column,
                f"Web font '{name}' ({how}) leads {uses} font-family stack(s) and no"
                " <!--[if mso]> style overrides it: Outlook shows Times New Roman",
                f"web font {name}",
            )


# -- spacing ----------------------------------------------------------------------------


class PaddingParams(NamedTuple):
    tags: tuple[str, ...] = ("div", "p")


def _has_padding(value: str) -> bool:
    return any(pixels(v) not in (None, 0.0) or v.endswith("%") for v in value.split())


def _mso_padded_classes(doc: EmailDocument) -> set[str]:
    """Classes an Outlook-only <style> gives padding to (Mailgun's `.mso-padding`)."""
    classes: set[str] = set()
    for block in doc.style_blocks:
        if block.node.audience is Audience.MSO:
            for decl in block.sheet.declarations:
                if decl.name.startswith("padding") and decl.selector:
                    classes.update(_CLASS().findall(decl.selector))
    return classes


def _end_offset(doc: EmailDocument, node: Node) -> int:
    """Offset of the element's end tag (depth-aware), or the end of the file."""
    depth = 0
    for m in _tag_scan(node.tag).finditer(doc.parsed_text, node.offset):
        depth += -1 if m.group(1) else 1
        if depth == 0:
            return m.start()
    return len(doc.parsed_text)


def _compensated_for_outlook(doc: EmailDocument, node: Node, padded: set[str]) -> bool:
    """Outlook gets its own spacing: mso-padding-alt, an MSO-padded cell, or MSO-only
    spacer content inside (Cerberus' &nbsp; and the <i mso-font-width> button hack)."""
    cell = next((a for a in doc.parents(node) if a.tag in _CELLS), None)
    for target in (node, cell):
        if target is not None and "mso-padding-alt" in doc.style_map(target):
            return True
    if cell is not None and padded & set((cell.get("class") or "").split()):
        return True
    if node.offset < 0:
        return False
    end = _end_offset(doc, node)
    return any(
        b.audience is Audience.MSO and node.offset < b.start < end for b in doc.audiences.blocks
    )


@check("padding-outside-table-cells", PaddingParams)
def padding_outside_table_cells(
    doc: EmailDocument, p: PaddingParams, policy: Policy
) -> Iterator[Hit]:
    """Spacing Outlook must show is padding on a table cell, not on the given elements."""
    padded = _mso_padded_classes(doc)
    for node in doc.find(*p.tags):
        if node.audience is Audience.MSO or not _seen_by_outlook(doc, node):
            continue
        decl = next(
            (
                d
                for d in doc.inline_style(node)
                if d.name.startswith("padding") and _has_padding(d.value)
            ),
            None,
        )
        if decl is None or _compensated_for_outlook(doc, node, padded):
            continue
        yield at_declaration(
            decl,
            node,
            f"<{node.tag}> has {decl.text}: Outlook ignores padding outside table cells,"
            " so this spacing disappears",
        )
