"""`presend review --fix`: the fixes for what a change broke, as a patch on its files.

Only the change's new findings are fixed (matched by fingerprint, which the fix loop's
re-lints keep for untouched code), so the proposal never rewrites what was already there.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from linter.config import Config
from linter.documents.decode import decode_html
from linter.findings import Finding
from linter.fixes.diff import unified
from linter.fixes.encoded import EncodedText, NotFixable
from linter.fixes.runner import FixMode, fix_text
from linter.review.compare import FileChange
from linter.sources import kind_of


def propose(
    changes: Sequence[FileChange], new: Sequence[Finding], config: Config, mode: FixMode
) -> str:
    """A unified diff (git apply -p1) fixing `new` in the changes' after side."""
    wanted = {f.fingerprint for f in new}
    paths = {f.path for f in new}
    patches = []
    for change in sorted(changes, key=lambda c: c.path):
        # Fixes edit HTML text; a contact file, a message or an MJML source has none to edit.
        if (
            change.after is None
            or change.path not in paths
            or (kind_of(change.path) or "email") != "email"
        ):
            continue
        encoded, data = _as_written(change.path, change.after)
        outcome = fix_text(
            change.path,
            encoded,
            config.settings_for(change.path),
            mode,
            lambda found: [f for f in found if f.fingerprint in wanted],
        )
        if outcome.changed(encoded.text):
            patches.append(unified(change.path, data, encoded.encode(outcome.text)))
    return b"".join(patches).decode("utf-8", errors="replace")


def _as_written(path: str, text: str) -> tuple[EncodedText, bytes]:
    """The file's own bytes and charset when the file on disk is the reviewed text (a
    working-tree or two-path review); otherwise the text as UTF-8."""
    try:
        data = Path(path).read_bytes()
        encoded = EncodedText.of(data, decode_html(data))
        if encoded.text == text:
            return encoded, data
    except (OSError, NotFixable):
        pass
    return EncodedText(text, "utf-8"), text.encode("utf-8")
