"""Tracking fixes: the open pixel's empty alt."""

from __future__ import annotations

from collections.abc import Iterator

from linter.findings import Finding
from linter.fixes.edits import Edit
from linter.fixes.fixers import FixContext, fixer
from linter.fixes.markup import set_attribute


@fixer("TRK005")
def pixel_empty_alt(ctx: FixContext, finding: Finding) -> Iterator[Edit | None]:
    """alt="" added, or the pixel's alt text emptied."""
    node = ctx.node(finding)
    if node is not None and node.tag == "img":
        yield set_attribute(ctx.doc, node, "alt", "", finding.rule)
