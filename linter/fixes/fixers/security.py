"""Security fixes (unsafe: a client that ran the handler behaves differently)."""

from __future__ import annotations

from collections.abc import Iterator

from linter.findings import Finding
from linter.fixes.edits import Edit
from linter.fixes.fixers import FixContext, fixer
from linter.fixes.markup import remove_attribute


@fixer("SEC002")
def drop_event_handler(ctx: FixContext, finding: Finding) -> Iterator[Edit | None]:
    """The on* attribute the finding points at is deleted, with its separating space."""
    node = ctx.node(finding)
    if node is None:
        return
    at = ctx.offset(finding)
    for span in ctx.doc.attr_spans(node):
        where = span.value_start if span.has_value else span.start
        if where == at and span.name.startswith("on"):
            yield remove_attribute(ctx.doc, span, finding.rule)
