"""Git plumbing for review, via the git command line (no library: git is always there).

Paths come back relative to the repository's top folder; callers show them relative to
the current folder so config globs and editors agree with `presend check`.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path


class GitError(ValueError):
    """A git command failed (unknown ref, not a repository); the message says which."""


@dataclass(frozen=True)
class ChangedFile:
    status: str  # A(dded), M(odified), D(eleted), R(enamed), C(opied), T(ype change)
    old_path: str | None  # None when added
    new_path: str | None  # None when deleted


def _git(args: list[str], cwd: str | Path) -> str:
    try:
        proc = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except OSError as exc:
        raise GitError(f"cannot run git: {exc.strerror or exc}") from None
    if proc.returncode != 0:
        err = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(f"git {' '.join(args[:2])}: {err[-1] if err else 'failed'}")
    return proc.stdout.decode("utf-8", "surrogateescape")


def toplevel(cwd: str | Path = ".") -> Path:
    return Path(_git(["rev-parse", "--show-toplevel"], cwd).strip())


def resolve(ref: str, cwd: str | Path = ".") -> str:
    """The commit a ref names; a clear error for a typo'd branch."""
    try:
        return _git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], cwd).strip()
    except GitError:
        raise GitError(f"unknown git ref {ref!r}") from None


def merge_base(a: str, b: str, cwd: str | Path = ".") -> str:
    """Where a request branched off: the fair 'before' when the base has moved on since."""
    return _git(["merge-base", a, b], cwd).strip()


def changed_files(
    base: str, head: str | None, pathspecs: tuple[str, ...] = (), cwd: str | Path = "."
) -> list[ChangedFile]:
    """Files that differ between base and head (or the working tree), renames followed.

    Without a head, untracked files that git does not ignore count as added: a new
    template not yet `git add`ed is part of the change under review.
    """
    args = ["diff", "--name-status", "-M", "-z", base] + ([head] if head else [])
    out = _git([*args, "--", *pathspecs], cwd)
    parts = out.split("\0")
    files: list[ChangedFile] = []
    i = 0
    while i < len(parts) - 1:
        status = parts[i][:1]
        if status in ("R", "C"):
            old, new = parts[i + 1], parts[i + 2]
            files.append(ChangedFile(status, old if status == "R" else None, new))
            i += 3
            continue
        path = parts[i + 1]
        files.append(
            ChangedFile(status, None if status == "A" else path, None if status == "D" else path)
        )
        i += 2
    if head is None:
        untracked = _git(
            ["ls-files", "--others", "--exclude-standard", "-z", "--full-name", "--", *pathspecs],
            cwd,
        )
        files += [ChangedFile("A", None, p) for p in untracked.split("\0") if p]
    return files


def show(ref: str, path: str, cwd: str | Path = ".") -> str:
    """A file's text at a ref (path relative to the top folder)."""
    return _git(["show", f"{ref}:{path}"], cwd)


def diff_text(base: str, head: str, cwd: str | Path = ".", pathspecs: tuple[str, ...] = ()) -> str:
    """A zero-context diff: exactly the lines a request touches, for conflict detection."""
    return _git(["diff", "-U0", "-M", base, head, "--", *pathspecs], cwd)


def branches(pattern: str, cwd: str | Path = ".") -> list[str]:
    """Local branches matching a glob such as 'cr/*', sorted by name."""
    out = _git(["for-each-ref", "--format=%(refname:short)", f"refs/heads/{pattern}"], cwd)
    return sorted(line for line in out.splitlines() if line)
