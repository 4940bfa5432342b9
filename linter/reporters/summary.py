"""Counts shared by reporters."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from linter.findings import Finding, Severity

# Severity names, worst first: the order counts and reports list them in.
WORST_FIRST = tuple(s.value for s in sorted(Severity, key=lambda s: -s.rank))


def severity_counts(findings: Iterable[Finding]) -> dict[str, int]:
    """Findings per severity name, worst first, every severity present (0 when none)."""
    found = Counter(f.severity.value for f in findings)
    return {name: found[name] for name in WORST_FIRST}


def counts(findings: Sequence[Finding]) -> dict[str, dict[str, int]]:
    return {
        "by_severity": severity_counts(findings),
        "by_standard": dict(sorted(Counter(f.standard for f in findings).items())),
        "by_rule": dict(sorted(Counter(f.rule for f in findings).items())),
    }


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"
