"""From a comparison to a brief: per broken standard, the new findings, impact, options.

Impact and options come from the catalogue (each rule's `why` and `options`), so the
words a client reads are the ones the team agreed in rules/*.toml. Every rule's options
end with the exact waiver to add, since accepting a documented exception is an honest way
forward too: attached to the rule's own waiver option when it has one ("Waive it for
Outlook-only sends"), else as an option of its own, so a waiver is never offered twice.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from linter.baseline import ExpiredWaiver, apply_waivers, waiver_snippet
from linter.catalogue import Option, Rule
from linter.config import Config
from linter.findings import Finding, Severity
from linter.reporters import WaiverStatus
from linter.review.compare import Comparison

WAIVER_DAYS = 30  # a suggested exception lasts one campaign cycle, then is revisited
ACCEPT = "Accept it as a documented exception."
PROPOSAL = "Proposed fixes for what this change broke (apply with `git apply`)"
_WAIVER_LIKE = re.compile(r"\bwaive[rd]?\b", re.IGNORECASE)


@dataclass(frozen=True)
class Choice:
    """One way forward as the brief shows it; `waiver` holds the TOML snippet to add."""

    text: str
    preferred: bool = False
    waiver: str | None = None


@dataclass(frozen=True)
class RuleImpact:
    rule: Rule
    findings: tuple[Finding, ...]
    waiver: str  # the TOML snippet accepting these findings

    @property
    def clients(self) -> tuple[str, ...]:
        return tuple(sorted({c for f in self.findings for c in f.clients}))

    @property
    def options(self) -> tuple[Option, ...]:
        """Preferred first, then the catalogue's order."""
        return tuple(sorted(self.rule.options, key=lambda o: not o.preferred))

    @property
    def choices(self) -> tuple[Choice, ...]:
        """The options with the waiver snippet on the last waiver-like one, or added last."""
        options = self.options
        waivers = [i for i, o in enumerate(options) if _WAIVER_LIKE.search(o.text)]
        at = waivers[-1] if waivers else None
        out = [
            Choice(o.text, o.preferred, self.waiver if i == at else None)
            for i, o in enumerate(options)
        ]
        if at is None:
            out.append(Choice(ACCEPT, waiver=self.waiver))
        return tuple(out)


@dataclass(frozen=True)
class StandardImpact:
    standard: str
    title: str
    rules: tuple[RuleImpact, ...]
    broken: bool  # some new finding is at or above the failing severity

    @property
    def findings(self) -> tuple[Finding, ...]:
        return tuple(f for r in self.rules for f in r.findings)


@dataclass(frozen=True)
class RequestReview:
    """One change request reviewed against its base."""

    label: str
    files: tuple[str, ...]
    standards: tuple[StandardImpact, ...]  # standards with new, unwaived findings
    waived: tuple[Finding, ...]  # new findings a live waiver accepts
    fixed: tuple[Finding, ...]
    unchanged: int
    fail_on: Severity
    expired: tuple[ExpiredWaiver, ...] = ()
    notes: tuple[str, ...] = ()
    touched: dict[str, list[int]] = field(default_factory=dict)
    waivers: tuple[WaiverStatus, ...] = ()  # every waiver in the config, for machine output
    proposed_fix: str = ""  # with `review --fix`: a patch fixing what the change broke

    @property
    def broken(self) -> tuple[StandardImpact, ...]:
        return tuple(s for s in self.standards if s.broken)

    @property
    def new(self) -> tuple[Finding, ...]:
        return tuple(f for s in self.standards for f in s.findings)

    @property
    def failing(self) -> bool:
        return bool(self.broken)

    @property
    def below(self) -> int:
        """New findings in standards this change does not break: worth a look, not failing."""
        return sum(len(s.findings) for s in self.standards if not s.broken)

    @property
    def verdict(self) -> str:
        return verdict(len(self.broken), self.below)


def verdict(broken: int, below: int = 0) -> str:
    text = (
        "keeps all agreed standards"
        if broken == 0
        else f"breaks {broken} agreed standard{'' if broken == 1 else 's'}"
    )
    if below:
        text += f" ({below} new finding{'' if below == 1 else 's'} below the failing severity)"
    return text


def build(
    label: str,
    comparison: Comparison,
    config: Config,
    fail_on: Severity,
    today: date,
    touched: dict[str, list[int]] | None = None,
) -> RequestReview:
    waivers = apply_waivers(comparison.new, config, today)
    titles = {s.name: s.title for s in config.catalogue.standards}
    by_standard: dict[str, dict[str, list[Finding]]] = {}
    for f in waivers.active:
        by_standard.setdefault(f.standard, {}).setdefault(f.rule, []).append(f)
    expires = today + timedelta(days=WAIVER_DAYS)
    standards = []
    for name in sorted(by_standard):
        rules = []
        for rule_id in sorted(by_standard[name]):
            found = by_standard[name][rule_id]
            rule = config.catalogue.find(rule_id)
            if rule is None:  # a finding from a rule outside the catalogue: nothing to say
                continue
            snippet = waiver_snippet(rule.id, [_rel(config, f.path) for f in found], expires)
            rules.append(RuleImpact(rule, tuple(found), snippet))
        broken = any(f.severity.rank >= fail_on.rank for r in rules for f in r.findings)
        standards.append(StandardImpact(name, titles.get(name, name), tuple(rules), broken))
    return RequestReview(
        label=label,
        files=tuple(comparison.files),
        standards=tuple(standards),
        waived=tuple(waivers.waived),
        fixed=tuple(comparison.fixed),
        unchanged=comparison.unchanged,
        fail_on=fail_on,
        expired=tuple(waivers.expired),
        notes=tuple(comparison.notes),
        touched=touched or {},
        waivers=waivers.statuses(),
    )


def _rel(config: Config, path: str) -> str:
    # Waiver globs are relative to the config file's folder, like every other glob.
    return config._relative(path)


def standards_broken(reviews: Sequence[RequestReview]) -> list[str]:
    """Every standard any request breaks, for the triage table's columns."""
    return sorted({s.standard for r in reviews for s in r.broken})
