"""`presend snapshot` records a dated summary; `presend report` shows the trend."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from linter import baseline as bl
from linter import snapshots
from linter.commands import EXIT_CLEAN, EXIT_USAGE
from linter.commands.check import lint_all_or_report
from linter.fileio import write_atomic


@dataclass(frozen=True)
class SnapshotOptions:
    paths: tuple[str, ...] = (".",)
    folder: str = str(snapshots.SNAPSHOT_DIR)
    config: str | None = None
    now: datetime | None = None


def snapshot(opts: SnapshotOptions) -> int:
    linted = lint_all_or_report(opts.config, opts.paths)
    if linted is None:
        return EXIT_USAGE
    config, result = linted
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
