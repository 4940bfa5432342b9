"""Findings: what a rule reports, with severity ordering and a stable fingerprint."""

from __future__ import annotations

import re
from enum import Enum
from typing import NamedTuple

from linter.digests import sha1


class Severity(Enum):
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return _RANK[self]

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls(text.strip().lower())
        except ValueError:
            raise ValueError(f"expected one of error, warning, info but got {text!r}") from None


_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}


class Hit(NamedTuple):
    """What a check yields: a place and a message; the engine adds the rule's identity.

    `context` is the normalised text the fingerprint is made from (the offending tag,
    declaration or URL), so a finding keeps its fingerprint when unrelated lines move.
    """

    line: int
    column: int
    message: str
    context: str
    end_line: int | None = None
    end_column: int | None = None
    audience: str | None = None
    clients: tuple[str, ...] = ()


class Finding(NamedTuple):
    rule: str
    name: str
    standard: str
    severity: Severity
    path: str
    line: int
    column: int
    message: str
    fingerprint: str
    end_line: int | None = None
    end_column: int | None = None
    audience: str | None = None
    clients: tuple[str, ...] = ()
    # Set by the filter stage when a waiver or baseline accepts the finding.
    waived_by: str | None = None

    @property
    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.path, self.line, self.column, self.rule, self.message)


_SPACE = re.compile(r"\s+")


def normalise_context(text: str) -> str:
    """Collapse white space and case so re-indenting a line keeps its fingerprint."""
    return _SPACE.sub(" ", text).strip().lower()[:300]


def fingerprint(rule: str, path: str, context: str, occurrence: int) -> str:
    """Stable id: rule + path + normalised context + which identical occurrence it is.

    Line numbers are deliberately left out: inserting lines above a finding must not
    make it look new, while a second identical violation (occurrence 1) must.
    """
    return fingerprint_of(rule, path, normalise_context(context), occurrence)


def fingerprint_of(rule: str, path: str, normalised: str, occurrence: int) -> str:
    """`fingerprint` of a context already normalised (`normalise_context`)."""
    raw = f"{rule}\x00{path}\x00{normalised}\x00{occurrence}"
    digest: str = sha1(raw.encode("utf-8")).hexdigest()
    return digest[:16]
