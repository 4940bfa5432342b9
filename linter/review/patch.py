"""Apply a unified diff to files in memory (nothing is written) with whatthepatch.

The patch is read like `git apply` reads it: paths relative to the current folder, with
git's a/ and b/ prefixes removed. A hunk whose context does not match the current file
is an error naming the file and line, never a silent partial apply.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import whatthepatch
from whatthepatch.exceptions import HunkApplyException

from linter.review.compare import FileChange

DEV_NULL = "/dev/null"


class PatchError(ValueError):
    """The patch cannot be read or does not apply; the message names the place."""


@dataclass(frozen=True)
class FilePatch:
    old_path: str | None  # None: the patch creates the file
    new_path: str | None  # None: the patch deletes the file
    diff: whatthepatch.patch.diff


def _strip(path: str | None, prefix: str) -> str | None:
    if path is None or path == DEV_NULL:
        return None
    return path[len(prefix) :] if path.startswith(prefix) else path


def parse(text: str, where: str) -> list[FilePatch]:
    try:
        diffs = list(whatthepatch.parse_patch(text))
    except Exception as exc:  # the parser raises assorted errors on malformed input
        raise PatchError(f"{where}: not a unified diff: {exc}") from None
    if not diffs or all(d.header is None for d in diffs):
        raise PatchError(f"{where}: no file changes found (expected a unified diff)")
    out = []
    for d in diffs:
        if d.header is None:
            continue
        old = _strip(d.header.old_path, "a/")
        new = _strip(d.header.new_path, "b/")
        # git names both sides in its own header even for new and deleted files.
        head = (d.text or "").split("@@", 1)[0]
        if "\nnew file mode" in "\n" + head or d.header.old_path == DEV_NULL:
            old = None
        if "\ndeleted file mode" in "\n" + head or d.header.new_path == DEV_NULL:
            new = None
        out.append(FilePatch(old, new, d))
    return out


def _old_line_anchors(fp: FilePatch) -> Iterator[int]:
    """Base lines the patch touches, doubled: line n is 2n, an insertion after n is 2n+1."""
    last = 0
    for change in fp.diff.changes or ():
        if change.old is not None and change.new is None:
            last = change.old
            yield 2 * change.old
        elif change.old is None and change.new is not None:
            yield 2 * last + 1
        elif change.old is not None:
            last = change.old


def touched(patches: list[FilePatch]) -> dict[str, list[int]]:
    """Per base path, the doubled line anchors the patch changes (see triage.conflicts)."""
    out: dict[str, list[int]] = {}
    for fp in patches:
        path = fp.old_path or fp.new_path
        if path is not None:
            out.setdefault(path, []).extend(_old_line_anchors(fp))
    return out


def apply(
    patches: list[FilePatch], read: Callable[[str], str | None], where: str
) -> list[FileChange]:
    """Before/after texts for every file the patch touches; `read` gives current text."""
    changes = []
    for fp in patches:
        before = read(fp.old_path) if fp.old_path else None
        if fp.old_path and before is None:
            raise PatchError(
                f"{where}: {fp.old_path}: the patch changes a file that does not exist"
            )
        if fp.new_path is None:
            changes.append(FileChange(fp.old_path or "", before, None))
            continue
        try:
            lines = whatthepatch.apply_diff(fp.diff, before or "")
        except HunkApplyException as exc:
            raise PatchError(
                f"{where}: {fp.old_path}: does not apply to the current file ({exc})"
            ) from None
        after = "\n".join(lines) + "\n" if lines else ""
        changes.append(
            FileChange(
                fp.new_path, before, after, fp.old_path if fp.old_path != fp.new_path else None
            )
        )
    return changes
