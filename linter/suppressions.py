"""Inline suppressions in HTML comments.

``<!-- presend-disable RULE[, RULE…] -->`` silences rules for the whole file;
``<!-- presend-disable-next-line RULE… -->`` for the line after the comment. Rules are
named by id or name; no rule at all means every rule. A suppression that silences
nothing is reported (like ruff's RUF100), so stale ones do not pile up.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, NamedTuple

from linter.lazyre import on_first_use

if TYPE_CHECKING:
    from linter.documents.email import EmailDocument

MARKER = "presend-disable"
_DIRECTIVE = on_first_use(
    rf"^\s*{MARKER}(?P<next>-next-line)?(?:\s+(?P<rules>[\w\s,-]{{0,400}}?))?\s*$"
)


class Suppression(NamedTuple):
    offset: int
    line: int  # line of the comment
    column: int
    rules: tuple[str, ...]  # lower-cased refs; empty = all rules
    next_line: int | None  # None: whole file
    used: set[str]

    def matches(self, rule_id: str, rule_name: str, line: int) -> str | None:
        """The ref that silences this finding, or None."""
        if self.next_line is not None and line != self.next_line:
            return None
        if not self.rules:
            return "*"
        for ref in self.rules:
            if ref in (rule_id.lower(), rule_name):
                return ref
        return None


def find(doc: EmailDocument) -> list[Suppression]:
    """The document's suppression comments; a source that never names the marker (most) is
    not scanned comment by comment."""
    if MARKER not in doc.source:
        return []
    found = []
    for offset, inner in doc.comments():
        m = _DIRECTIVE().match(inner)
        if not m:
            continue
        line, column = doc.position(offset)
        end_line = line + inner.count("\n")
        refs = tuple(r.lower() for r in re.split(r"[\s,]+", m.group("rules") or "") if r)
        found.append(
            Suppression(
                offset, line, column, refs, end_line + 1 if m.group("next") else None, set()
            )
        )
    return found
