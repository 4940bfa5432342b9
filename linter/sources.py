"""Which files a command reads: paths, folders (recursive), globs and stdin."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import NamedTuple

from linter.documents.decode import Decoded, decode_html
from linter.limits import MAX_HTML_BYTES, MIB

EMAIL_SUFFIXES = (".html", ".htm")
TABLE_SUFFIXES = (".csv", ".tsv")
MESSAGE_SUFFIXES = (".eml",)  # whole messages, RFC 5322/MIME (docs/messages.md)
MJML_SUFFIXES = (".mjml",)  # MJML sources, compiled in-process (docs/messages.md)
# Folders that never hold templates a team sends: version control, dependencies, virtual
# environments, caches. Build output (dist/, build/) is linted: teams that compile MJML or
# Foundation send what is there. --show-files lists what is skipped and why.
SKIP_DIRS = {
    ".git": "version control",
    ".hg": "version control",
    ".svn": "version control",
    "node_modules": "installed dependencies",
    "__pycache__": "a cache",
    ".venv": "a virtual environment",
    "venv": "a virtual environment",
    ".tox": "a virtual environment",
    ".presend": "presend's own snapshots",
}
STDIN = "-"


class Source(NamedTuple):
    path: str  # as shown in findings (relative when given relative)
    stdin: bool = False


class InputError(Exception):
    """An input cannot be read; the message names it. Other inputs still run."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path


def crash_error(path: str, exc: BaseException) -> InputError:
    """A bug met while linting one file, as that file's input error: the message names the
    file and where in presend it failed, so it can be reported; the other files still run."""
    import traceback

    frame = traceback.extract_tb(exc.__traceback__)[-1:] if exc.__traceback__ else []
    at = f" at {Path(frame[0].filename).name}:{frame[0].lineno}" if frame else ""
    return InputError(
        path,
        f"presend failed on this file ({type(exc).__name__}{at}: {str(exc)[:200]});"
        " please report it with the file",
    )


def kind_of(path: str) -> str | None:
    lower = path.lower()
    if lower.endswith(EMAIL_SUFFIXES):
        return "email"
    if lower.endswith(TABLE_SUFFIXES):
        return "table"
    if lower.endswith(MESSAGE_SUFFIXES):
        return "message"
    if lower.endswith(MJML_SUFFIXES):
        return "mjml"
    return None


def expand(
    paths: Iterable[str],
    stdin_filename: str | None = None,
    suffixes: tuple[str, ...] = EMAIL_SUFFIXES + TABLE_SUFFIXES + MESSAGE_SUFFIXES + MJML_SUFFIXES,
    skipped: list[tuple[str, str]] | None = None,
) -> tuple[list[Source], list[InputError]]:
    """Files to lint in a deterministic order, and the inputs that matched nothing.

    A file reached twice (named twice, or through a symlink) is linted once; special
    files (FIFOs, devices) are never opened, since reading one can block forever.
    """
    found: dict[str, Source] = {}
    seen: set[str] = set()
    errors: list[InputError] = []

    def add(path: str) -> None:
        real = os.path.realpath(path)
        if real not in seen:
            seen.add(real)
            found[path] = Source(path)

    for raw in paths:
        if raw == STDIN:
            name = stdin_filename or "stdin.html"
            found[name] = Source(name, stdin=True)
        elif os.path.isdir(raw):
            passed: list[tuple[str, str]] = []
            matched = _walk(raw, suffixes, passed)
            if skipped is not None:
                skipped.extend(passed)
            if not matched:
                note = f" ({len(passed)} skipped: see --show-files)" if passed else ""
                message = f"no {'/'.join(suffixes)} files in this folder{note}"
                errors.append(InputError(raw, message))
            for path in matched:
                add(path)
        elif os.path.isfile(raw):
            add(raw)  # named explicitly: linted whatever its suffix
        elif os.path.exists(raw):
            errors.append(InputError(raw, "not a regular file"))
        elif any(c in raw for c in "*?["):  # glob.has_magic's test, without its import
            matches = sorted(str(m) for m in _glob(raw) if m.is_file())
            if not matches:
                errors.append(InputError(raw, "no file matches this pattern"))
            for m in matches:
                add(m)
        else:
            errors.append(InputError(raw, "no such file or directory"))
    return sorted(found.values(), key=lambda s: s.path), errors


def _glob(pattern: str) -> Iterator[Path]:
    """pathlib's glob, not glob.glob: its ** never descends into a symlinked folder, so a
    symlink loop (a link to "..") cannot make the expansion run for ever."""
    anchor = Path(pattern).anchor
    return Path(anchor or ".").glob(pattern[len(anchor) :])


def _walk(root: str, suffixes: tuple[str, ...], skipped: list[tuple[str, str]]) -> list[str]:
    """Files under root with the suffixes; skipped folders and git-ignored files, with why."""
    out: list[str] = []
    for folder, dirs, files in os.walk(root):
        kept = []
        for name in sorted(dirs):
            why = SKIP_DIRS.get(name) or ("a hidden folder" if name.startswith(".") else None)
            if why:
                skipped.append((os.path.join(folder, name), why))
            else:
                kept.append(name)
        dirs[:] = kept
        for name in files:
            path = os.path.join(folder, name)
            if name.lower().endswith(suffixes) and os.path.isfile(path):
                out.append(path)
    ignored = _git_ignored(root, out)
    skipped.extend((path, "ignored by .gitignore") for path in out if path in ignored)
    return [path for path in out if path not in ignored]


def _git_ignored(root: str, paths: list[str]) -> set[str]:
    """The paths git ignores, when root is in a git work tree (else none)."""
    import subprocess

    if not paths:
        return set()
    try:
        done = subprocess.run(
            ["git", "-C", root, "check-ignore", "-z", "--stdin"],  # tracked files stay linted
            input="\0".join(os.path.relpath(p, root) for p in paths).encode(),
            capture_output=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return set()
    if done.returncode not in (0, 1):  # 128: not a git repository
        return set()
    names = {n for n in done.stdout.decode(errors="replace").split("\0") if n}
    return {p for p in paths if os.path.relpath(p, root) in names}


def read_bytes(source: Source, stdin: bytes | None = None) -> bytes:
    if source.stdin:
        refuse_oversized(source.path, len(stdin or b""))
        return stdin or b""
    try:
        with open(source.path, "rb") as fh:
            data = fh.read(MAX_HTML_BYTES + 1)  # never the whole of a 2 GB file
    except OSError as exc:
        raise InputError(source.path, f"cannot read: {exc.strerror or exc}") from None
    refuse_oversized(source.path, len(data))
    return data


def refuse_oversized(path: str, size: int) -> None:
    if size > MAX_HTML_BYTES:
        raise InputError(
            path,
            f"larger than {MAX_HTML_BYTES // MIB} MiB, presend's limit for email HTML"
            " (Gmail clips messages at 102 KB)",
        )


def decode_file(path: str, data: bytes, notes: list[str], kind: str) -> Decoded:
    """`decode_html` for a file linted as text: how it was read goes to `notes` when
    presend had to guess, and a file holding NUL bytes is not a ``kind`` text file."""
    decoded = decode_html(data)
    if decoded.note:
        notes.append(f"{path}: {decoded.note}")
    if "\x00" in decoded.text:
        raise InputError(path, f"contains NUL bytes: not an {kind} text file")
    return decoded
