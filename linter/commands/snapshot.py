"""`presend snapshot` records a dated summary; `presend report` shows the trend."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from linter import baseline as bl
from linter import snapshots
from linter.commands import EXIT_CLEAN, EXIT_USAGE
from linter.commands.check import load_config
from linter.fileio import write_atomic
from linter.lint import lint_paths


@dataclass(frozen=True)
class SnapshotOptions:
    paths: tuple[str, ...] = (".",)
    folder: str = str(snapshots.SNAPSHOT_DIR)
    config: str | None = None
    now: datetime | None = None


def snapshot(opts: SnapshotOptions) -> int:
    config = load_config(opts.config, opts.paths)
    result = lint_paths(opts.paths, config)
    for error in result.errors:
        print(f"presend: {error}", file=sys.stderr)
    if result.errors:
        return EXIT_USAGE
    now = opts.now or datetime.now()
    waivers = bl.apply_waivers(result.findings, config, now.date())
    snap = snapshots.summarise(waivers.active, result.files, now, len(waivers.waived))
    path = snapshots.save(snap, Path(opts.folder))
    print(f"Wrote {path}: {snap.total} finding(s) in {snap.files} file(s).")
    return EXIT_CLEAN


def report(folder: str = str(snapshots.SNAPSHOT_DIR), html_path: str | None = None) -> int:
    try:
        snaps = snapshots.load_all(Path(folder))
    except snapshots.SnapshotError as exc:
        print(f"presend: {exc}", file=sys.stderr)
        return EXIT_USAGE
    sys.stdout.write(snapshots.trend_text(snaps))
    if html_path:
        write_atomic(html_path, snapshots.trend_html(snaps))
        print(f"Wrote {html_path}.")
    return EXIT_CLEAN


__all__ = ["SnapshotOptions", "report", "snapshot"]
