"""`presend review`: what a change request would break, with impact and options.

Four ways to say what the change is (git refs, two paths, a patch, git branches) all
end in the same list of FileChange, reviewed the same way.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from linter import __version__
from linter.commands import EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE
from linter.config import Config, load_config
from linter.documents.decode import decode_html
from linter.fileio import refuse_inputs, write_atomic
from linter.findings import Severity
from linter.fixes.proposal import propose
from linter.fixes.runner import FixMode
from linter.limits import MAX_PATCH_BYTES, MIB
from linter.reporters import ReportContext, renderer
from linter.reporters.markdown import render_review
from linter.review import git, patch
from linter.review.brief import RequestReview, build
from linter.review.compare import FileChange, compare_changes
from linter.review.contacts import TableReviewError
from linter.review.render import render_json, render_text
from linter.review.triage import Conflict, conflicts
from linter.sources import SKIP_DIRS, InputError, expand, kind_of


class ReviewInputError(ValueError):
    """The request cannot be read (missing file, bad ref, patch that does not apply)."""


@dataclass(frozen=True)
class ReviewOptions:
    paths: tuple[str, ...] = ()  # OLD NEW, or the paths to limit a git/patch review to
    base: str | None = None
    head: str | None = None
    patches: tuple[str, ...] = ()
    branches: tuple[str, ...] = ()  # globs such as 'cr/*'; needs base
    format: str = "text"
    output: str | None = None
    config: str | None = None
    fail_on: str | None = None
    today: date | None = None
    fix: bool = False  # propose the fixes for what the change broke, as a patch
    unsafe_fixes: bool = False


@dataclass(frozen=True)
class Request:
    label: str
    changes: list[FileChange]
    touched: dict[str, list[int]]


def _read(path: str | Path) -> str | None:
    try:
        data = Path(path).read_bytes()
        if kind_of(str(path)) == "table":  # the contacts reader sniffs the encoding itself
            return data.decode("utf-8", "surrogateescape")
        return decode_html(data).text
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise ReviewInputError(f"{path}: cannot read: {exc.strerror or exc}") from None


def _display(top: Path, rel: str) -> str:
    """Repository paths shown relative to the current folder, like `presend check`."""
    return os.path.relpath(top / rel).replace(os.sep, "/")


def _in_scope(path: str, scope: tuple[str, ...]) -> bool:
    if not scope:
        return True
    norm = os.path.normpath(path)
    return any(
        norm == os.path.normpath(s) or norm.startswith(os.path.normpath(s) + os.sep) for s in scope
    )


def git_request(label: str, base: str, head: str | None, scope: tuple[str, ...]) -> Request:
    """Changes from where head (or the working tree) branched off base."""
    top = git.toplevel()
    git.resolve(base)
    tip = git.resolve(head) if head else git.resolve("HEAD")
    before_ref = git.merge_base(base, tip)
    # Pathspecs are given from the current folder; git accepts them as such.
    files = git.changed_files(before_ref, head, scope)
    changes = []
    for cf in files:
        path = cf.new_path or cf.old_path or ""
        if kind_of(path) is None:
            continue
        before = git.show(before_ref, cf.old_path, top) if cf.old_path else None
        if cf.new_path is None:
            after = None
        elif head:
            after = git.show(head, cf.new_path, top)
        else:
            after = _read(top / cf.new_path)
        old = _display(top, cf.old_path) if cf.old_path and cf.old_path != path else None
        changes.append(FileChange(_display(top, path), before, after, old))
    touched: dict[str, list[int]] = {}
    if head:
        text = git.diff_text(before_ref, head, top)
        touched = patch.touched(patch.parse(text, label)) if text.strip() else {}
    return Request(label, changes, touched)


def patch_request(path: str, scope: tuple[str, ...]) -> Request:
    if os.path.isfile(path) and os.path.getsize(path) > MAX_PATCH_BYTES:
        raise ReviewInputError(f"{path}: a patch over {MAX_PATCH_BYTES // MIB} MiB")
    text = _read(path)
    if text is None:
        raise ReviewInputError(f"{path}: no such patch file")
    parsed = patch.parse(text, path)
    root = _repository_root()

    def read_inside(name: str) -> str | None:
        """A contributed patch must not make presend print lines of any file on the
        runner: it reads only files inside the repository (symlinks resolved)."""
        target = Path(name).resolve()
        if Path(name).is_absolute() or not target.is_relative_to(root):
            raise ReviewInputError(
                f"{path}: {name}: outside the repository ({root}); a patch may change only"
                " files inside it"
            )
        return _read(target)

    changes = [c for c in patch.apply(parsed, read_inside, path) if _in_scope(c.path, scope)]
    return Request(Path(path).name, changes, patch.touched(parsed))


def _repository_root() -> Path:
    """The git work tree holding the current folder, or the current folder outside git."""
    try:
        return git.toplevel().resolve()
    except git.GitError:
        return Path.cwd().resolve()


def _files_under(root: Path) -> dict[str, Path]:
    out = {}
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith("."))
        for name in names:
            full = Path(folder) / name
            rel = full.relative_to(root).as_posix()
            # Regular files only (as `check` walks): a symlink to /dev/zero read for ever.
            if kind_of(rel) and full.is_file():
                out[rel] = full
    return out


_KIND_NAMES = {
    "email": "an email",
    "table": "a contact table",
    "message": "an email message (.eml)",
    "mjml": "an MJML source",
}


def paths_request(old: str, new: str) -> Request:
    """Two files, or two folders matched by relative path; findings shown at NEW's paths."""
    old_p, new_p = Path(old), Path(new)
    for p in (old_p, new_p):
        if not p.exists():
            raise ReviewInputError(f"{p}: no such file or directory")
    label = f"{new} (against {old})"
    if old_p.is_file() and new_p.is_file():
        kinds = (kind_of(old) or "email", kind_of(new) or "email")
        if kinds[0] != kinds[1]:
            raise ReviewInputError(
                f"{old} is {_KIND_NAMES[kinds[0]]} and {new} is {_KIND_NAMES[kinds[1]]}:"
                " compare two versions of the same thing"
            )
        return Request(label, [FileChange(new, _read(old_p), _read(new_p))], {})
    if not (old_p.is_dir() and new_p.is_dir()):
        raise ReviewInputError("OLD and NEW must both be files or both be folders")
    before, after = _files_under(old_p), _files_under(new_p)
    changes = []
    for rel in sorted(set(before) | set(after)):
        shown = (new_p / rel).as_posix()
        b = _read(before[rel]) if rel in before else None
        a = _read(after[rel]) if rel in after else None
        if a != b:  # unchanged files cannot introduce findings: skip the lint
            changes.append(FileChange(shown, b, a))
    return Request(label, changes, {})


def requests(opts: ReviewOptions) -> list[Request]:
    if opts.patches:
        if opts.base or opts.branches:
            raise ReviewInputError("use either --patch or --base/--branches, not both")
        return [patch_request(p, opts.paths) for p in opts.patches]
    if opts.branches:
        if not opts.base:
            raise ReviewInputError("--branches needs --base (the branch the requests target)")
        names = sorted({b for g in opts.branches for b in git.branches(g)} - {opts.base})
        if not names:
            raise ReviewInputError(f"no branch matches {', '.join(opts.branches)}")
        return [git_request(b, opts.base, b, opts.paths) for b in names]
    if opts.base:
        label = f"{opts.head or 'working tree'} against {opts.base}"
        return [git_request(label, opts.base, opts.head, opts.paths)]
    if len(opts.paths) != 2:
        raise ReviewInputError(
            "give OLD NEW, or --base REF, or --patch FILE (see `presend review --help`)"
        )
    return [paths_request(*opts.paths)]


def _config(opts: ReviewOptions) -> Config:
    return load_config(opts.config, opts.paths[-1:] if opts.paths else (".",))


def review(opts: ReviewOptions, config: Config) -> list[RequestReview]:
    fail_on = Severity.parse(opts.fail_on) if opts.fail_on else config.fail_on
    today = opts.today or date.today()
    out = []
    for r in requests(opts):
        brief = build(
            r.label,
            compare_changes(r.changes, config, today=today),
            config,
            fail_on,
            today,
            r.touched,
        )
        if opts.fix:
            patch_text = propose(r.changes, brief.new, config, FixMode(opts.unsafe_fixes))
            brief = replace(brief, proposed_fix=patch_text)
        out.append(brief)
    return out


Renderer = Callable[[Sequence[RequestReview], Sequence[Conflict]], str]


def _as_findings(fmt: str) -> Renderer:
    """A findings format (github annotations, SARIF) over what the change adds: its new
    findings, waived ones marked, as `check` would report them on the changed files."""

    def render(reviews: Sequence[RequestReview], found: Sequence[Conflict]) -> str:
        new = [f for r in reviews for s in r.standards for f in s.findings]
        new += [f for r in reviews for f in r.waived]
        files = len({path for r in reviews for path in r.files})
        ordered = sorted(new, key=lambda f: f.sort_key)
        return renderer(fmt)(ordered, ReportContext(__version__, files))

    return render


RENDERERS: dict[str, Renderer] = {
    "text": render_text,
    "json": lambda reviews, found: render_json(reviews, found, __version__),
    "markdown": render_review,
    "github": _as_findings("github"),
    "sarif": _as_findings("sarif"),
}


def run(opts: ReviewOptions) -> int:
    if opts.unsafe_fixes and not opts.fix:
        print("presend: --unsafe-fixes applies with --fix", file=sys.stderr)
        return EXIT_USAGE
    config = _config(opts)
    try:
        reviews = review(opts, config)
    except (ReviewInputError, git.GitError, patch.PatchError, TableReviewError, InputError) as exc:
        print(f"presend: {exc}", file=sys.stderr)
        return EXIT_USAGE
    found = conflicts(reviews)
    text = RENDERERS[opts.format](reviews, found)
    if opts.output:
        inputs = [s.path for s in expand(opts.paths)[0]]
        refuse_inputs(opts.output, [*inputs, *opts.patches, *filter(None, (config.source,))])
        write_atomic(opts.output, text)
    else:
        sys.stdout.write(text)
    return EXIT_FINDINGS if any(r.failing for r in reviews) else EXIT_CLEAN
