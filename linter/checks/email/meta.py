"""Checks about presend's own directives; the engine does the work, since only it sees
which findings each suppression silenced."""

from __future__ import annotations

from collections.abc import Iterator

from linter.checks import NoParams, check
from linter.documents.email import EmailDocument
from linter.findings import Hit
from linter.policy import Policy


@check("suppressions-are-used", NoParams)
def suppressions_are_used(doc: EmailDocument, p: NoParams, policy: Policy) -> Iterator[Hit]:
    """Every presend-disable comment silences a finding (judged by engine.lint_email)."""
    return iter(())
