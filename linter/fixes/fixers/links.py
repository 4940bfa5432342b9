"""Link fixes (unsafe: the recipient lands on another URL)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from linter.findings import Finding
from linter.fixes.edits import Edit
from linter.fixes.fixers import FixContext, fixer

_HTTP = re.compile(r"[ \t\n]*(http)(?=:)", re.IGNORECASE)


@fixer("LNK001")
def https_link(ctx: FixContext, finding: Finding) -> Iterator[Edit | None]:
    """http:// becomes https://; unsafe because the page may not be served over HTTPS."""
    m = _HTTP.match(ctx.doc.source, ctx.offset(finding))
    if m:
        yield Edit(m.start(1), m.end(1), "https", finding.rule)
