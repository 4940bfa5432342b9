"""Accessibility fixes: the language, empty alt on spacers, role on layout tables."""

from __future__ import annotations

from collections.abc import Iterator

from linter.documents.images import is_spacer
from linter.findings import Finding
from linter.fixes.edits import Edit
from linter.fixes.fixers import FixContext, fixer
from linter.fixes.markup import set_attribute


@fixer("ACC001")
def html_lang(ctx: FixContext, finding: Finding) -> Iterator[Edit | None]:
    """lang from the team's config on <html>; without one, no guess."""
    lang = ctx.policy.accessibility.lang
    html = next((n for n in ctx.doc.find("html") if n.offset >= 0), None)
    if lang and html is not None:
        yield set_attribute(ctx.doc, html, "lang", lang, finding.rule)


@fixer("ACC008")
def spacer_alt(ctx: FixContext, finding: Finding) -> Iterator[Edit | None]:
    """alt="" on spacer images only: a content image needs words, which presend cannot write."""
    node = ctx.node(finding)
    if node is not None and node.tag == "img" and is_spacer(ctx.doc, node):
        yield set_attribute(ctx.doc, node, "alt", "", finding.rule)


@fixer("ACC003")
def layout_table_role(ctx: FixContext, finding: Finding) -> Iterator[Edit | None]:
    """role="presentation", but not over a role already written (SendGrid's editor finds
    its modules by role="module"), nor where the check found a data grid: those header
    cells need <th>, which the finding's own message says."""
    node = ctx.node(finding)
    if (
        node is not None
        and node.tag == "table"
        and "role" not in node.attrs
        and ctx.generic(finding)
    ):
        yield set_attribute(ctx.doc, node, "role", "presentation", finding.rule)
