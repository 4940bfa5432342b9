"""Outlook fixes: the Office namespaces on <html> and the PixelsPerInch setting.

Both go where Outlook for Windows reads them: the xmlns on the root element, the
OfficeDocumentSettings in an <xml> block that only Word-engine Outlook sees
(<!--[if gte mso 9]>, the form Microsoft's own HTML export writes).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from linter.documents.conditionals import Audience
from linter.documents.email import EmailDocument, Node
from linter.findings import Finding
from linter.fixes.edits import Edit
from linter.fixes.fixers import FixContext, fixer
from linter.fixes.markup import add_attribute, head_slot, written

NAMESPACES = {
    "v": "urn:schemas-microsoft-com:vml",
    "o": "urn:schemas-microsoft-com:office:office",
    "w": "urn:schemas-microsoft-com:office:word",
}
_DPI = "<o:PixelsPerInch>96</o:PixelsPerInch>"
_WRITTEN = re.compile(r"<o:PixelsPerInch\b", re.IGNORECASE)
_SETTINGS = (
    "<!--[if gte mso 9]>",
    "<xml>",
    "  <o:OfficeDocumentSettings>",
    "    " + _DPI,
    "  </o:OfficeDocumentSettings>",
    "</xml>",
    "<![endif]-->",
)


def _html(doc: EmailDocument) -> Node | None:
    return next((n for n in doc.find("html") if n.offset >= 0), None)


def declare(doc: EmailDocument, prefix: str, rule: str) -> Edit | None:
    """xmlns:prefix on <html>, unless it is there already."""
    html = _html(doc)
    attr = f"xmlns:{prefix}"
    if html is None or prefix not in NAMESPACES or attr in html.attrs:
        return None
    return add_attribute(doc, html, attr, NAMESPACES[prefix], rule)


@fixer("OUT001")
def office_namespace(ctx: FixContext, finding: Finding) -> Iterator[Edit | None]:
    """The finding sits on the first element of the undeclared prefix: declare that one
    (or, reported elsewhere, every known prefix the file uses)."""
    node = ctx.node(finding)
    if node is not None and ":" in node.tag:
        yield declare(ctx.doc, node.tag.split(":", 1)[0], finding.rule)
        return
    used = {n.tag.split(":", 1)[0] for n in ctx.doc.nodes if ":" in n.tag}
    for prefix in sorted(used & set(NAMESPACES)):
        yield declare(ctx.doc, prefix, finding.rule)


def _mso(doc: EmailDocument, tag: str) -> Node | None:
    return next((n for n in doc.find(tag) if n.audience is Audience.MSO and n.offset >= 0), None)


@fixer("OUT002")
def pixels_per_inch(ctx: FixContext, finding: Finding) -> Iterator[Edit | None]:
    """96 in an existing <o:PixelsPerInch> or <o:OfficeDocumentSettings>, else the block
    in the <head>; and xmlns:o on <html>, without which Outlook ignores the setting."""
    doc, rule = ctx.doc, finding.rule
    if _html(doc) is None:
        return  # no root to declare xmlns:o on: Outlook would ignore the setting
    edit = _dpi_edit(doc, rule)
    if edit is None and _mso(doc, "o:pixelsperinch") is None:
        return  # no place for the setting: leave the namespace alone too
    yield edit
    yield declare(doc, "o", rule)


def _dpi_edit(doc: EmailDocument, rule: str) -> Edit | None:
    """The edit that makes Outlook's PixelsPerInch 96 (None: it is, or no sure place)."""
    dpi, settings = _mso(doc, "o:pixelsperinch"), _mso(doc, "o:officedocumentsettings")
    if dpi is not None:
        start = doc.start_tag_end(dpi)
        end = doc.source.find("<", start)
        if end < 0 or "\n" in doc.source[start:end]:
            return None
        return Edit(start, end, "96", rule)  # dropped as a no-op where it is 96 already
    if settings is not None:
        return Edit(doc.start_tag_end(settings), doc.start_tag_end(settings), _DPI, rule)
    slot = head_slot(doc)
    if slot is None or written(doc, _WRITTEN):
        return None  # (one outside Outlook-only code needs a person: move it, or not)
    if slot.lead:  # one line each, indented like the neighbours
        unit = "\t" if "\t" in slot.indent else "  "
        block = "".join(slot.lead + line.replace("  ", unit) for line in _SETTINGS)
    else:
        block = "".join(line.strip() for line in _SETTINGS)
    return Edit(slot.offset, slot.offset, block, rule)
