"""Fixing the files of one `presend check` run: each email is fixed as it is linted, then
written back (atomically, in its own encoding) or turned into a diff."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from linter.config import RunSettings
from linter.documents.decode import Decoded
from linter.documents.email import EmailDocument
from linter.engine import lint_email
from linter.fileio import OutputError, write_atomic_bytes
from linter.findings import Finding
from linter.fixes.diff import unified
from linter.fixes.encoded import EncodedText, NotFixable
from linter.fixes.runner import Accept, FixMode, fix_text
from linter.sources import InputError, Source


@dataclass
class FixSession:
    """An EmailLinter (see linter.lint) that fixes each file it lints.

    `write`: replace the files (`--fix`); otherwise only collect a diff (`--diff`).
    """

    mode: FixMode
    write: bool
    accept: Accept
    fixed: Counter[str] = field(default_factory=Counter)  # findings repaired, by rule
    files: int = 0  # files changed (or, without write, that would change)
    unsafe_available: int = 0
    diffs: list[bytes] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def __call__(
        self, source: Source, data: bytes, decoded: Decoded, settings: RunSettings
    ) -> list[Finding]:
        try:
            encoded = EncodedText.of(data, decoded)
        except NotFixable as exc:
            return self._unfixed(source, decoded, settings, str(exc))
        outcome = fix_text(source.path, encoded, settings, self.mode, self.accept)
        self.unsafe_available += outcome.unsafe_available
        if not outcome.changed(encoded.text):
            return outcome.findings
        fixed = encoded.encode(outcome.text)
        if self.write and source.stdin:
            return self._unfixed(
                source, decoded, settings, "standard input is not a file (--diff shows the fixes)"
            )
        if self.write and not _replace(source.path, data, fixed):
            return self._unfixed(source, decoded, settings, "changed while presend ran")
        self.fixed.update(outcome.fixed)
        self.files += 1
        if not self.write:
            self.diffs.append(unified(_shown(source.path), data, fixed))
        return outcome.findings

    def _unfixed(
        self, source: Source, decoded: Decoded, settings: RunSettings, why: str
    ) -> list[Finding]:
        """The file's findings as read, with a note saying why it was not written."""
        self.notes.append(f"{source.path}: fixes not written: {why}")
        return lint_email(EmailDocument(source.path, decoded.text), settings)

    def summary(self) -> str:
        """E.g. "Fixed 3 findings in 1 file (ACC003 2, RSP001 1). 1 more with --unsafe-fixes."."""
        done = "Fixed" if self.write else "Would fix"
        total = self.fixed.total()
        text = f"{done} {total} finding{'s' * (total != 1)} in {self.files} file"
        text += "s" * (self.files != 1)
        if total:
            text += " (" + ", ".join(f"{r} {n}" for r, n in sorted(self.fixed.items())) + ")"
        text += "."
        if self.unsafe_available:
            text += f" {self.unsafe_available} more with --unsafe-fixes."
        return text


def _replace(path: str, read: bytes, data: bytes) -> bool:
    """Write over the linted file itself (fileio follows a symlink to it and keeps its
    permissions), unless it no longer holds what was read (an editor saved it
    meanwhile): False then. An unwritable file is an input error naming it."""
    target = Path(path).resolve()
    try:
        if target.read_bytes() != read:
            return False
        write_atomic_bytes(target, data)
        return True
    except OSError as exc:
        reason = exc.strerror or str(exc)
        if isinstance(exc, OutputError):
            raise InputError(path, f"fixes not written: {reason}") from None
        raise InputError(path, f"fixes not written: cannot write {path}: {reason}") from None


def _shown(path: str) -> str:
    """The path as a diff names it: relative to the current folder when inside it."""
    try:
        return Path(path).resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return Path(path).as_posix()
