"""The result of checking a contact file: per-rule totals with sample rows, and Findings."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from linter.contacts.dialect import Dialect
from linter.contacts.rules import ContactRule
from linter.findings import Finding, fingerprint

SAMPLES = 5
DETAIL_KEYS = 1000


@dataclass
class Tally:
    """Running total for one rule on one column: a count, the first rows, common details."""

    rule: ContactRule
    column: str
    column_index: int
    at_header: bool = False
    count: int = 0
    samples: list[int] = field(default_factory=list)
    details: Counter[str] = field(default_factory=Counter)

    def add(self, count: int, rows: list[int], details: dict[str, int]) -> None:
        self.count += count
        if len(self.samples) < SAMPLES:
            self.samples.extend(rows[: SAMPLES - len(self.samples)])
        for text, n in details.items():
            if text in self.details or len(self.details) < DETAIL_KEYS:
                self.details[text] += n

    def message(self, rows_in: int) -> str:
        head = self.rule.summary.rstrip(".")
        if self.at_header:
            affected = f"all {rows_in:,} rows affected" if rows_in else "the file has no rows"
            return f"{head}: column '{self.column}' ({affected})"
        rows = ", ".join(str(r) for r in self.samples)
        more = ", ..." if self.count > len(self.samples) else ""
        text = (
            f"{head}: {self.count:,} of {rows_in:,} rows in column '{self.column}' "
            f"(rows {rows}{more})"
        )
        if self.details:
            common = "; ".join(f"{d} ({n:,})" for d, n in self.details.most_common(3))
            text += f"; most common: {common}"
        return text

    def finding(self, path: str, rows_in: int) -> Finding:
        line = 1 if self.at_header or not self.samples else self.samples[0]
        return Finding(
            rule=self.rule.id,
            name=self.rule.name,
            standard="contacts",
            severity=self.rule.severity,
            path=path,
            line=line,
            column=max(self.column_index, 1),
            message=self.message(rows_in),
            # Keyed on the column only: counts change run to run, the problem stays the same.
            fingerprint=fingerprint(self.rule.id, path, self.column, 0),
        )


@dataclass(frozen=True)
class ContactsReport:
    """`rows_in == rows_clean + rows_rejected` always; counts_by_rule counts rows per rule."""

    path: str
    dialect: Dialect
    rows_in: int
    rows_clean: int
    rows_rejected: int
    counts_by_rule: dict[str, int]
    findings: list[Finding]
    clean_path: str | None = None
    rejected_path: str | None = None
    inferred: tuple[str, ...] = ()  # what presend inferred from a plain schema

    def summary(self) -> str:
        lines = [
            f"{self.path}: {self.rows_in:,} rows in = {self.rows_clean:,} clean + "
            f"{self.rows_rejected:,} rejected"
        ]
        lines += [f"  inferred: {note}" for note in self.inferred]
        lines += [f"  {rule}: {n:,}" for rule, n in sorted(self.counts_by_rule.items())]
        return "\n".join(lines)
