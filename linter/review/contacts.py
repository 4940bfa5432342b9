"""Contact imports in review: a new import against the previous one and the schema.

Both sides are checked with the contacts standard under the same display name, so a
finding's fingerprint (rule + path + column) matches across imports. Rows add up within
a finding, so a matched fingerprint alone would hide growth: a rule that fires on more
rows than in the previous import counts as newly broken (with the delta in the message),
and one on fewer rows as improved. Columns that appeared or disappeared are notes.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from linter.contacts.schema import ContactSchema, SchemaError, load_schema
from linter.contacts.sniff import ContactsInputError, sniff
from linter.findings import Finding
from linter.sources import crash_error


class TableReviewError(ValueError):
    """A contact file in the change cannot be read as a table; the message names it."""


@dataclass(frozen=True)
class TableResult:
    findings: list[Finding]
    columns: tuple[str, ...]
    rows: int
    counts: dict[str, int]  # rows per rule id
    # Rows per finding (by fingerprint); findings about a column's header (a missing
    # required column) are left out: their problem is the column, not the row count.
    row_counts: dict[str, int]


def check_table_text(display: str, text: str, schema: ContactSchema, today: date) -> TableResult:
    # The contacts reader streams from a file; git and patches give text, so spool it.
    with tempfile.TemporaryDirectory(prefix="presend-review-") as folder:
        tmp = Path(folder) / (Path(display).name or "contacts.csv")
        tmp.write_text(text, encoding="utf-8", errors="surrogateescape", newline="")
        try:
            dialect = sniff(tmp)
            from linter.contacts.runner import run  # polars: only when a table is reviewed

            runner = run(tmp, schema, dialect, today=today)
        except ContactsInputError as exc:
            raise TableReviewError(f"{display}: {exc}") from None
        except Exception as exc:  # a bug met on this table: name it, as check does
            raise TableReviewError(str(crash_error(display, exc))) from exc
    report = runner.report(display)
    rows = {
        t.finding(display, runner.rows_in).fingerprint: t.count
        for t in runner.tallies.values()
        if not t.at_header
    }
    return TableResult(
        report.findings, tuple(dialect.header), report.rows_in, dict(report.counts_by_rule), rows
    )


def default_schema() -> ContactSchema:
    try:
        return load_schema(None)
    except SchemaError as exc:  # the bundled schema is ours: a failure here is a bug
        raise RuntimeError(f"bundled contact schema is invalid: {exc}") from exc


def row_changes(before: TableResult, after: TableResult) -> tuple[list[Finding], list[Finding]]:
    """Findings in both imports that now hit more rows (grown) or fewer rows (shrunk).

    Both lists hold the new import's finding with the change in its message, e.g.
    "50 more rows than the previous import (1 → 51)".
    """
    grown: list[Finding] = []
    shrunk: list[Finding] = []
    for f in after.findings:
        was, now = before.row_counts.get(f.fingerprint), after.row_counts.get(f.fingerprint)
        if was is None or now is None or was == now:
            continue
        more, n = now > was, abs(now - was)
        delta = f"{n:,} {'more' if more else 'fewer'} row{'' if n == 1 else 's'}"
        found = f._replace(
            message=f"{f.message}; {delta} than the previous import ({was:,} → {now:,})"
        )
        (grown if more else shrunk).append(found)
    return grown, shrunk


def column_notes(display: str, before: TableResult | None, after: TableResult | None) -> list[str]:
    """What changed in shape: new and missing columns (row volume is in row_changes)."""
    if before is None or after is None:
        return []
    notes: list[str] = []
    added = [c for c in after.columns if c not in before.columns]
    missing = [c for c in before.columns if c not in after.columns]
    if added:
        notes.append(f"{display}: new column(s) not in the previous import: {', '.join(added)}")
    if missing:
        notes.append(
            f"{display}: column(s) in the previous import now missing: {', '.join(missing)}"
        )
    return notes
