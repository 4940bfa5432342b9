"""Before/after comparison by fingerprint: what a change introduces and what it fixes.

Fingerprints leave out line numbers and number identical contexts in document order, so
lines inserted above a violation keep it matched (not new) while a second identical
violation gets occurrence 1 and shows as new.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date

from linter.config import Config
from linter.findings import Finding
from linter.limits import LimitError
from linter.lint import lint_text
from linter.sources import InputError, crash_error, kind_of


@dataclass(frozen=True)
class FileChange:
    """One file in a change. The before side is linted under `path` (the name after the
    change), so a renamed file's findings keep their fingerprints."""

    path: str
    before: str | None  # None: the change adds the file
    after: str | None  # None: the change deletes the file
    old_path: str | None = None  # set when the change renames the file


@dataclass
class Comparison:
    new: list[Finding] = field(default_factory=list)
    fixed: list[Finding] = field(default_factory=list)
    unchanged: int = 0  # findings present before and after
    files: list[str] = field(default_factory=list)  # files linted
    notes: list[str] = field(default_factory=list)  # e.g. contact columns added/removed


def diff_findings(before: Sequence[Finding], after: Sequence[Finding]) -> Comparison:
    old = {f.fingerprint for f in before}
    now = {f.fingerprint for f in after}
    return Comparison(
        new=[f for f in after if f.fingerprint not in old],
        fixed=[f for f in before if f.fingerprint not in now],
        unchanged=len(old & now),
    )


Linter = Callable[[str, str, Config], list[Finding]]


def _compare_table(change: FileChange, today: date) -> Comparison:
    # Imported here: the contacts stack (polars, pyarrow) loads only when a CSV changed.
    from linter.review import contacts

    schema = contacts.default_schema()
    before, after = (
        None if text is None else contacts.check_table_text(change.path, text, schema, today)
        for text in (change.before, change.after)
    )
    part = diff_findings(before.findings if before else [], after.findings if after else [])
    if before is not None and after is not None:
        # Same fingerprint, different volume: growth is newly broken, a drop is a fix.
        grown, shrunk = contacts.row_changes(before, after)
        part.new += grown
        part.fixed += shrunk
        part.unchanged -= len(grown) + len(shrunk)
    part.notes = contacts.column_notes(change.path, before, after)
    return part


def _lint_side(lint: Linter, path: str, text: str | None, config: Config) -> list[Finding]:
    """One side of a change; a file presend cannot lint is that file's input error."""
    if text is None:
        return []
    try:
        return lint(path, text, config)
    except LimitError as exc:
        raise InputError(path, exc.located) from None
    except Exception as exc:
        raise crash_error(path, exc) from exc


def compare_changes(
    changes: Sequence[FileChange],
    config: Config,
    lint: Linter = lint_text,
    today: date | None = None,
) -> Comparison:
    """Lint only the changed files, both sides, and diff their findings."""
    total = Comparison()
    for change in sorted(changes, key=lambda c: c.path):
        kind = kind_of(change.path)
        if kind is None or config.excluded(change.path):
            continue
        if kind == "table":
            part = _compare_table(change, today or date.today())
        else:
            before = _lint_side(lint, change.path, change.before, config)
            after = _lint_side(lint, change.path, change.after, config)
            part = diff_findings(before, after)
        total.new += part.new
        total.fixed += part.fixed
        total.unchanged += part.unchanged
        total.notes += part.notes
        total.files.append(change.path)
    total.new.sort(key=lambda f: f.sort_key)
    total.fixed.sort(key=lambda f: f.sort_key)
    return total
