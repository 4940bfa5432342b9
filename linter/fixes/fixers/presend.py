"""presend's own fixes: deleting a suppression comment that silences nothing."""

from __future__ import annotations

from collections.abc import Iterator

from linter import suppressions
from linter.findings import Finding
from linter.fixes.edits import Edit
from linter.fixes.fixers import FixContext, fixer


@fixer("PRS001")
def unused_suppression(ctx: FixContext, finding: Finding) -> Iterator[Edit | None]:
    """The comment goes (with its line, if it is alone on it) once none of its rules is
    used; a comment that still silences one rule is left for a person to trim."""
    doc = ctx.doc
    at = ctx.offset(finding)
    directive = next((d for d in suppressions.find(doc) if d.offset == at), None)
    if directive is None:
        return
    unused = sum(
        1
        for f in ctx.findings
        if f.rule == finding.rule and (f.line, f.column) == (finding.line, finding.column)
    )
    if unused < max(len(directive.rules), 1):
        return
    end = doc.source.find("-->", at)
    end = len(doc.source) if end < 0 else end + 3
    line_start = doc.source.rfind("\n", 0, at) + 1
    line_end = doc.source.find("\n", end)
    line_end = len(doc.source) if line_end < 0 else line_end + 1
    alone = not (doc.source[line_start:at] + doc.source[end:line_end]).strip()
    yield Edit(line_start, line_end, "", finding.rule) if alone else Edit(at, end, "", finding.rule)
