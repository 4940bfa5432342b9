"""Contact imports in review: a new import against the previous one and the schema.

Both sides are checked with the contacts standard under the same display name, so a
finding's fingerprint (rule + path + column) matches across imports. Rows add up within
a finding, so a rule that fires on more rows than before is reported as a note, and so
are columns that appeared or disappeared.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from linter.contacts.schema import ContactSchema, SchemaError, load_schema
from linter.contacts.sniff import ContactsInputError, sniff
from linter.contacts.validate import run
from linter.findings import Finding


class TableReviewError(ValueError):
    """A contact file in the change cannot be read as a table; the message names it."""


@dataclass(frozen=True)
class TableResult:
    findings: list[Finding]
    columns: tuple[str, ...]
    rows: int
    counts: dict[str, int]  # rows per rule id


def check_table_text(display: str, text: str, schema: ContactSchema, today: date) -> TableResult:
    # The contacts reader streams from a file; git and patches give text, so spool it.
    with tempfile.TemporaryDirectory(prefix="presend-review-") as folder:
        tmp = Path(folder) / (Path(display).name or "contacts.csv")
        tmp.write_text(text, encoding="utf-8", errors="surrogateescape", newline="")
        try:
            dialect = sniff(tmp)
            report = run(tmp, schema, dialect, today=today).report(display)
        except ContactsInputError as exc:
            raise TableReviewError(f"{display}: {exc}") from None
    return TableResult(
        report.findings, tuple(dialect.header), report.rows_in, dict(report.counts_by_rule)
    )


def default_schema() -> ContactSchema:
    try:
        return load_schema(None)
    except SchemaError as exc:  # the bundled schema is ours: a failure here is a bug
        raise RuntimeError(f"bundled contact schema is invalid: {exc}") from exc


def column_notes(display: str, before: TableResult | None, after: TableResult | None) -> list[str]:
    """What changed in shape and volume: new and missing columns, rules on more rows."""
    if before is None or after is None:
        return []
    notes = []
    added = [c for c in after.columns if c not in before.columns]
    missing = [c for c in before.columns if c not in after.columns]
    if added:
        notes.append(f"{display}: new column(s) not in the previous import: {', '.join(added)}")
    if missing:
        notes.append(
            f"{display}: column(s) in the previous import now missing: {', '.join(missing)}"
        )
    for rule in sorted(set(after.counts) & set(before.counts)):
        if after.counts[rule] > before.counts[rule]:
            notes.append(
                f"{display}: {rule} now affects {after.counts[rule]:,} of "
                f"{after.rows:,} rows (was {before.counts[rule]:,} of {before.rows:,})"
            )
    return notes
