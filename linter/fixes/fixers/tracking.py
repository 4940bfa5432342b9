"""Tracking fixes: the open pixel's empty alt and its 1x1 size."""

from __future__ import annotations

from collections.abc import Iterator

from linter.documents.cssvalues import pixels
from linter.findings import Finding
from linter.fixes.edits import Edit
from linter.fixes.fixers import FixContext, fixer
from linter.fixes.markup import set_attribute

_SIDES = ("width", "height")


@fixer("TRK005")
def pixel_empty_alt(ctx: FixContext, finding: Finding) -> Iterator[Edit | None]:
    """alt="" added, or the pixel's alt text emptied."""
    node = ctx.node(finding)
    if node is not None and node.tag == "img":
        yield set_attribute(ctx.doc, node, "alt", "", finding.rule)


@fixer("TRK004")
def pixel_one_by_one(ctx: FixContext, finding: Finding) -> Iterator[Edit | None]:
    """width="1" height="1" on a pixel with no size or a 0 one. Unsafe: an unsized image
    from the pixel host may be content. Larger images and CSS sizes are left to a person."""
    node = ctx.node(finding)
    if node is None or node.tag != "img" or set(_SIDES) & set(ctx.doc.style_map(node)):
        return
    sizes = {side: node.get(side) for side in _SIDES}
    if any(v is not None and ((px := pixels(v)) is None or px > 1) for v in sizes.values()):
        return
    for side, value in sizes.items():
        if value is None or pixels(value) != 1:
            yield set_attribute(ctx.doc, node, side, "1", finding.rule)
