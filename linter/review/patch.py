"""Apply a unified diff to files in memory (nothing is written) with whatthepatch.

The patch is read like `git apply` reads it: paths relative to the current folder, with
git's a/ and b/ prefixes removed. A hunk whose context does not match the current file
is an error naming the file and line, never a silent partial apply.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import whatthepatch
from whatthepatch.exceptions import HunkApplyException

from linter.limits import MAX_PATCH_HEADER_LINE
from linter.review.compare import FileChange
from linter.sources import kind_of

DEV_NULL = "/dev/null"


class PatchError(ValueError):
    """The patch cannot be read or does not apply; the message names the place."""


# whatthepatch's header regexes backtrack quadratically on long lines (a 50 KB hunk header
# took 14 s); git writes these lines short (hunk-header context is cut at 80 characters).
MAX_HEADER_LINE = MAX_PATCH_HEADER_LINE
_HEADERS = ("diff ", "@@", "--- ", "+++ ", "index ", "Binary files ")
# Linear: digits then fixed text, no nested quantifiers.
_HUNK = re.compile(r"@@ -\d+(?:,(\d+))? \+\d+(?:,(\d+))? @@")


@dataclass(frozen=True)
class FilePatch:
    old_path: str | None  # None: the patch creates the file
    new_path: str | None  # None: the patch deletes the file
    diff: whatthepatch.patch.diff
    binary: bool = False  # git's "Binary files ... differ": no text to apply

    @property
    def path(self) -> str:
        return self.new_path or self.old_path or ""


def _strip(path: str | None, prefix: str) -> str | None:
    if path is None or path == DEV_NULL:
        return None
    return path[len(prefix) :] if path.startswith(prefix) else path


def _sections(text: str, where: str) -> Iterator[str]:
    """The patch cut into one piece per file, counting each hunk's lines as its header
    says: whatthepatch does not, so without `diff` lines a second file's `---`/`+++`
    were read as lines of the first file's hunk. A cut falls just after a file's last
    hunk, so the next file's preamble (`Index:`, `diff --git`, `index`) stays with it."""
    lines = text.splitlines(keepends=True)
    start = 0
    after_hunks: int | None = None  # the line after the current file's last hunk, if any
    old_left = new_left = 0
    for i, line in enumerate(lines):
        if old_left > 0 or new_left > 0:  # inside a hunk: a content line
            tag = line[:1]
            old_left -= tag in (" ", "-") or line.strip() == ""
            new_left -= tag in (" ", "+") or line.strip() == ""
            after_hunks = i + 1
            continue
        if line.startswith("\\") and after_hunks == i:  # "\ No newline at end of file"
            after_hunks = i + 1
            continue
        if line.startswith(_HEADERS) and len(line) > MAX_HEADER_LINE:
            raise PatchError(
                f"{where}: line {i + 1}: a header line over {MAX_HEADER_LINE} characters"
            )
        hunk = _HUNK.match(line)
        if hunk:
            old_left = int(hunk.group(1) or 1)
            new_left = int(hunk.group(2) or 1)
            after_hunks = i + 1
        elif line.startswith(("--- ", "diff ")) and after_hunks is not None:
            yield "".join(lines[start:after_hunks])
            start, after_hunks = after_hunks, None
    yield "".join(lines[start:])


def parse(text: str, where: str) -> list[FilePatch]:
    try:
        diffs = [d for part in _sections(text, where) for d in whatthepatch.parse_patch(part)]
    except PatchError:
        raise
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
        binary = d.changes is None and "\nBinary files " in "\n" + head
        out.append(FilePatch(old, new, d, binary))
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
        if fp.binary:
            if kind_of(fp.path) is None:
                continue  # an image or font: nothing presend lints
            raise PatchError(
                f'{where}: {fp.path}: a binary change (git\'s "Binary files ... differ"):'
                " presend reviews text changes only"
            )
        before = read(fp.old_path) if fp.old_path else None
        if fp.old_path and before is None:
            raise PatchError(
                f"{where}: {fp.old_path}: the patch changes a file that does not exist"
            )
        if fp.new_path is None:
            changes.append(FileChange(fp.old_path or "", before, None))
            continue
        if not fp.diff.changes:  # a new empty file, a rename or a mode change
            changes.append(_unchanged_text(fp, before))
            continue
        try:
            lines = whatthepatch.apply_diff(fp.diff, before or "")
        except HunkApplyException as exc:
            raise PatchError(
                f"{where}: {fp.old_path}: does not apply to the current file ({exc})"
            ) from None
        except (IndexError, TypeError, ValueError):  # hunks that contradict their headers
            raise PatchError(
                f"{where}: {fp.path}: a malformed hunk (its lines do not match its header)"
            ) from None
        after = "\n".join(lines) + "\n" if lines else ""
        changes.append(
            FileChange(
                fp.new_path, before, after, fp.old_path if fp.old_path != fp.new_path else None
            )
        )
    return changes


def _unchanged_text(fp: FilePatch, before: str | None) -> FileChange:
    renamed = fp.old_path if fp.old_path != fp.new_path else None
    return FileChange(fp.path, before, before or "", renamed)
