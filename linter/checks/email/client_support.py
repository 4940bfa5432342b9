"""Client support: features of the email that target clients drop or only partly support."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from linter.checks import check
from linter.clients.assess import Assessment, Level, judge_for
from linter.clients.detect import JudgedUses, Use
from linter.clients.support import format_gaps
from linter.documents.email import EmailDocument
from linter.findings import Hit
from linter.policy import Policy

_LEVELS = {level.value: level for level in Level}


@dataclass(frozen=True)
class ClientSupportParams:
    # Which judgement this rule reports: unsupported, partial or enhancement.
    level: str = "unsupported"
    # caniemail slugs this rule leaves out (e.g. a feature the team has accepted).
    exclude: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.level not in _LEVELS:
            raise ValueError(f"level: expected one of {', '.join(_LEVELS)} but got {self.level!r}")


@check("client-support", ClientSupportParams)
def client_support(doc: EmailDocument, p: ClientSupportParams, policy: Policy) -> Iterator[Hit]:
    """Features that a target client drops or only partly supports, per place used."""
    level = _LEVELS[p.level]
    for use, found in _judged(doc, policy.clients.targets):
        if found.level is level and use.slug not in p.exclude:
            yield Hit(
                use.line,
                use.column,
                _message(use, found),
                f"{use.slug} {use.context}",
                audience=use.audience.value,
                clients=tuple(dict.fromkeys(g.client for g in found.gaps)),
            )


@lru_cache(maxsize=4)
def _judged(doc: EmailDocument, specs: tuple[str, ...]) -> tuple[tuple[Use, Assessment], ...]:
    """Every use with a gap, judged once per document for the three rules."""
    return _judged_uses(specs)(doc)


@lru_cache(maxsize=32)
def _judged_uses(specs: tuple[str, ...]) -> JudgedUses[Assessment]:
    """detect() + judge for the run's targets, remembering judged CSS texts across files."""
    return JudgedUses(judge_for(specs))


def _message(use: Use, found: Assessment) -> str:
    text = f"{use.slug} `{use.construct}`: {format_gaps(found.gaps)}"
    if found.level is Level.ENHANCEMENT:
        text += f"; degrades gracefully: {found.reason}"
    return text  # who sees the code travels as Hit.audience; reporters say it once
