"""`presend check`: lint files and report findings."""

from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from linter import __version__
from linter import baseline as bl
from linter import config as cfg
from linter.commands import EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE
from linter.config import load_config
from linter.fileio import refuse_inputs, write_atomic, write_atomic_bytes
from linter.findings import Severity
from linter.limits import MAX_HTML_BYTES
from linter.lint import LintResult, lint_paths
from linter.reporters import ReportContext, renderer
from linter.sources import expand

if TYPE_CHECKING:  # the fix machinery loads only for --fix and --diff, the cache's when on
    from linter.cache import LintCache
    from linter.fixes.session import FixSession


class CheckOptions(NamedTuple):
    paths: tuple[str, ...]
    format: str = "text"
    output: str | None = None
    config: str | None = None
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()
    fail_on: str | None = None
    stdin_filename: str | None = None
    color: bool = False
    quiet: bool = False
    exit_zero: bool = False
    baseline: str | None = None  # report only findings not in this baseline file
    today: date | None = None  # for waiver expiry; None: the real date
    fix: bool = False  # apply the safe fixes to the files, then report what remains
    unsafe_fixes: bool = False  # with fix or diff: also the fixes a recipient may notice
    diff: bool = False  # print the fixes as a unified diff; write nothing
    reports: tuple[tuple[str, str], ...] = ()  # more (format, path) outputs of the same run
    show_files: bool = False  # list what would be linted and what is skipped, and why
    jobs: int = 1  # worker processes; the output is the same for any number
    cache: bool = True  # reuse findings of unchanged files (linter/cache.py)
    cache_dir: str | None = None  # default: $PRESEND_CACHE_DIR, else .presend-cache by the config


def lint_all_or_report(
    config_path: str | None, paths: tuple[str, ...]
) -> tuple[cfg.Config, LintResult] | None:
    """Lint for commands that record results (baseline, snapshot): any unreadable input
    is printed and the result withheld, so nothing is recorded from a partial run."""
    config = load_config(config_path, paths)
    result = lint_paths(paths, config)
    for error in result.errors:
        print(f"presend: {error}", file=sys.stderr)
    return None if result.errors else (config, result)


def _fix_session(opts: CheckOptions, config: cfg.Config) -> FixSession | None:
    if not (opts.fix or opts.diff):
        return None
    from linter.fixes.runner import FixMode
    from linter.fixes.session import FixSession

    today = opts.today or date.today()
    return FixSession(
        FixMode(unsafe=opts.unsafe_fixes),
        write=not opts.diff,
        accept=lambda found: bl.apply_waivers(found, config, today).active,
    )


def run(opts: CheckOptions) -> int:
    if opts.unsafe_fixes and not (opts.fix or opts.diff):
        print("presend: --unsafe-fixes applies with --fix or --diff", file=sys.stderr)
        return EXIT_USAGE
    config = load_config(opts.config, opts.paths, opts.select, opts.ignore, opts.targets)
    if opts.show_files:
        return show_files(opts, config)
    stdin = sys.stdin.buffer.read(MAX_HTML_BYTES + 1) if "-" in opts.paths else None
    session = _fix_session(opts, config)
    cache = _cache(opts, config) if session is None else None
    if cache is not None and cache.note:
        print(f"presend: note: {cache.note}", file=sys.stderr)
    result = lint_paths(
        opts.paths, config, opts.stdin_filename, stdin, session, jobs=opts.jobs, cache=cache
    )
    for error in result.errors:
        print(f"presend: {error}", file=sys.stderr)
    for note in result.notes + (session.notes if session else []):
        print(f"presend: note: {note}", file=sys.stderr)
    if session is not None:
        print(f"presend: {session.summary()}", file=sys.stderr)
        if opts.diff:
            return _print_diff(opts, config, session, result)
    fail_on = Severity.parse(opts.fail_on) if opts.fail_on else config.fail_on
    # Filter stage: waivers mark accepted findings, then the baseline drops known ones.
    waivers = bl.apply_waivers(result.findings, config, opts.today or date.today())
    for expired in waivers.expired:
        print(f"presend: warning: {expired.message()}", file=sys.stderr)
    findings, gone = waivers.findings, None
    if opts.baseline:
        try:
            known = bl.read(opts.baseline)
        except bl.BaselineError as exc:
            print(f"presend: {exc}", file=sys.stderr)
            return EXIT_USAGE
        linted = {s.path for s in expand(opts.paths, opts.stdin_filename)[0]}
        filtered = bl.apply_baseline(findings, known, linted)
        findings, gone = filtered.findings, filtered
    active = [f for f in findings if not f.waived_by]
    waived = [f for f in findings if f.waived_by]
    shown = active
    if opts.quiet:
        shown = [f for f in shown if f.severity.rank >= fail_on.rank]
    ctx = ReportContext(
        __version__,
        result.files,
        opts.color and not opts.output,
        tuple(str(e) for e in result.errors),
        waivers.statuses(),
        config.policy.clients.targets,
    )
    notes = bl.notes_text(waived, gone, opts.baseline)

    def rendered(fmt: str, report: ReportContext) -> str:
        if fmt == "text":
            return renderer(fmt)(shown, report) + notes
        # other formats carry waived findings marked with waived_by, in the usual order
        return renderer(fmt)(sorted(shown + waived, key=lambda f: f.sort_key), report)

    text = rendered(opts.format, ctx)
    if opts.format != "text":
        sys.stderr.write(notes)
    if opts.output:
        refuse_inputs(opts.output, _inputs(opts, config))
        write_atomic(opts.output, text)
    else:
        sys.stdout.write(text)
    for fmt, path in opts.reports:  # the same findings in more formats, linted once
        refuse_inputs(path, _inputs(opts, config))
        write_atomic(path, rendered(fmt, ctx._replace(color=False)))
    if result.errors:
        return EXIT_USAGE
    failing = any(f.severity.rank >= fail_on.rank for f in active)
    return EXIT_FINDINGS if failing and not opts.exit_zero else EXIT_CLEAN


def _cache(opts: CheckOptions, config: cfg.Config) -> LintCache | None:
    if not opts.cache:
        return None
    from linter.cache import DEFAULT_DIR, LintCache

    folder = opts.cache_dir or os.environ.get("PRESEND_CACHE_DIR")
    return LintCache(Path(folder) if folder else config.root / DEFAULT_DIR)


def show_files(opts: CheckOptions, config: cfg.Config) -> int:
    """`--show-files`: each file the run would lint, and each one skipped with the reason."""
    skipped: list[tuple[str, str]] = []
    sources, errors = expand(opts.paths, opts.stdin_filename, skipped=skipped)
    for source in sources:
        if config.excluded(source.path):
            skipped.append((source.path, "excluded by the config's exclude"))
        else:
            print(f"lint  {source.path}")
    for path, why in sorted(skipped):
        print(f"skip  {path}  ({why})")
    for error in errors:
        print(f"presend: {error}", file=sys.stderr)
    return EXIT_USAGE if errors else EXIT_CLEAN


def _inputs(opts: CheckOptions, config: cfg.Config) -> list[str | Path]:
    """The files this run reads, which an --output must never replace."""
    inputs: list[str | Path] = [s.path for s in expand(opts.paths)[0] if not s.stdin]
    return inputs + [p for p in (opts.baseline, config.source) if p]


def _print_diff(
    opts: CheckOptions, config: cfg.Config, session: FixSession, result: LintResult
) -> int:
    """`--diff`: the fixes as one patch (in the files' own bytes); exit 1 when there are any."""
    patch = b"".join(session.diffs)
    if opts.output:
        refuse_inputs(opts.output, _inputs(opts, config))
        write_atomic_bytes(opts.output, patch)
    else:
        sys.stdout.flush()
        sys.stdout.buffer.write(patch)
        sys.stdout.buffer.flush()
    if result.errors:
        return EXIT_USAGE
    return EXIT_FINDINGS if patch and not opts.exit_zero else EXIT_CLEAN
