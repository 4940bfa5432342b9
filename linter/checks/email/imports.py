"""@import rules that no client applies: nested in another @-rule, or after other rules."""

from __future__ import annotations

from collections.abc import Iterator

from linter.checks import NoParams, check
from linter.documents.css import ignored_imports
from linter.documents.email import EmailDocument
from linter.findings import Hit
from linter.policy import Policy


@check("import-is-first", NoParams)
def import_is_first(doc: EmailDocument, p: NoParams, policy: Policy) -> Iterator[Hit]:
    """Each @import is at the top level of its <style>, before any other rule."""
    for block in doc.style_blocks:
        for rule in ignored_imports(block.sheet):
            where = (
                f"inside {rule.at_rules[-1]}"
                if rule.at_rules
                else "after other rules in its <style>"
            )
            yield Hit(
                rule.line,
                rule.column,
                f"@import {rule.prelude} is {where}: CSS ignores it there, so it loads in"
                " no client",
                f"@import {rule.prelude}",
                audience=block.node.audience.value,
            )
