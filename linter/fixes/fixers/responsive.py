"""Responsive fixes: the viewport meta."""

from __future__ import annotations

import re
from collections.abc import Iterator

from linter.findings import Finding
from linter.fixes.edits import Edit
from linter.fixes.fixers import FixContext, fixer
from linter.fixes.markup import head_slot, self_closing, usual_quote, written

VIEWPORT = ("viewport", "width=device-width, initial-scale=1")
_WRITTEN = re.compile(r"<meta\b[^>]*\bname\s*=\s*[\"']?\s*viewport\b", re.IGNORECASE)


@fixer("RSP001")
def viewport_meta(ctx: FixContext, finding: Finding) -> Iterator[Edit | None]:
    """The standard viewport meta, after the other <meta> tags of the <head>."""
    slot = head_slot(ctx.doc)
    if slot is None or written(ctx.doc, _WRITTEN):
        return
    q = usual_quote(ctx.doc)
    end = " />" if self_closing(ctx.doc) else ">"
    name, content = VIEWPORT
    tag = f"<meta name={q}{name}{q} content={q}{content}{q}{end}"
    yield Edit(slot.offset, slot.offset, slot.lead + tag, finding.rule)
