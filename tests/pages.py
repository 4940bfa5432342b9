"""Pages and a lint helper shared by several test modules."""

from __future__ import annotations

from linter import catalogue
from linter.config import Config
from linter.lint import lint_text
from linter.policy import Policy

# A page fixed wider than a phone (414px) with no viewport: RSP001 and RSP002, 600px or less
# so RSP003 stays quiet.
BARE = '<html><body><table width="500"><tr><td><p>Hi</p></td></tr></table></body></html>\n'
GOOD = """<html><head><meta name="viewport" content="width=device-width, initial-scale=1">
<style>@media (max-width: 600px) { .w { width: 100% !important; } }</style></head>
<body><table class="w" width="100%"><tr><td><p>Hi</p></td></tr></table></body></html>
"""


def rule_lines(text: str, prefix: str, policy: Policy | None = None) -> list[tuple[str, int]]:
    """(rule, line) of the findings of one standard on a snippet, in report order.

    Every rule of the standard runs, opt-in ones too (named by id, as a user would)."""
    cat = catalogue.load()
    config = Config.defaults(cat, policy)._replace(
        cli_select=tuple(r.id for r in cat.rules if r.id.startswith(prefix)),
    )
    return [
        (f.rule, f.line) for f in lint_text("t.html", text, config) if f.rule.startswith(prefix)
    ]
