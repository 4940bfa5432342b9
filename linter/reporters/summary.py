"""Counts shared by reporters."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from linter.findings import Finding, Severity

# Severity names, worst first: the order counts and reports list them in.
WORST_FIRST = tuple(s.value for s in sorted(Severity, key=lambda s: -s.rank))


def counts(findings: Sequence[Finding]) -> dict[str, dict[str, int]]:
    return {
        "by_severity": {
            name: sum(f.severity.value == name for f in findings) for name in WORST_FIRST
        },
        "by_standard": dict(sorted(Counter(f.standard for f in findings).items())),
        "by_rule": dict(sorted(Counter(f.rule for f in findings).items())),
    }


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"
