"""`presend check`: lint files and report findings."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from linter import __version__, catalogue
from linter import config as cfg
from linter.commands import EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE
from linter.fileio import write_atomic
from linter.findings import Severity
from linter.lint import lint_paths
from linter.reporters import ReportContext, renderers


@dataclass(frozen=True)
class CheckOptions:
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


def load_config(config_path: str | None, paths: tuple[str, ...], select: tuple[str, ...] = (),
                ignore: tuple[str, ...] = (), targets: tuple[str, ...] = ()) -> cfg.Config:
    cat = catalogue.load()
    if config_path:
        return cfg.load(Path(config_path), cat, select, ignore, targets)
    first = next((p for p in paths if p != "-"), ".")
    return cfg.load(cfg.discover(Path(first)), cat, select, ignore, targets)


def run(opts: CheckOptions) -> int:
    config = load_config(opts.config, opts.paths, opts.select, opts.ignore, opts.targets)
    stdin = sys.stdin.buffer.read() if "-" in opts.paths else None
    result = lint_paths(opts.paths, config, opts.stdin_filename, stdin)
    for error in result.errors:
        print(f"presend: {error}", file=sys.stderr)
    fail_on = Severity.parse(opts.fail_on) if opts.fail_on else config.fail_on
    shown = result.findings
    if opts.quiet:
        shown = [f for f in shown if f.severity.rank >= fail_on.rank]
    ctx = ReportContext(__version__, result.files, opts.color and not opts.output,
                        tuple(str(e) for e in result.errors))
    text = renderers()[opts.format](shown, ctx)
    if opts.output:
        write_atomic(opts.output, text)
    else:
        sys.stdout.write(text)
    if result.errors:
        return EXIT_USAGE
    failing = any(f.severity.rank >= fail_on.rank for f in result.findings)
    return EXIT_FINDINGS if failing and not opts.exit_zero else EXIT_CLEAN
