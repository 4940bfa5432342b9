"""`presend baseline`: record today's findings as accepted, so only new ones fail."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from linter import baseline as bl
from linter.commands import EXIT_CLEAN, EXIT_USAGE
from linter.commands.check import lint_all_or_report
from linter.fileio import refuse_inputs
from linter.sources import expand


@dataclass(frozen=True)
class BaselineOptions:
    paths: tuple[str, ...] = (".",)
    output: str = bl.BASELINE_NAME
    config: str | None = None
    today: date | None = None


def run(opts: BaselineOptions) -> int:
    linted = lint_all_or_report(opts.config, opts.paths)
    if linted is None:
        return EXIT_USAGE
    config, result = linted
    # Waived findings stay out: when the waiver expires they must fail again.
    waivers = bl.apply_waivers(result.findings, config, opts.today or date.today())
    new = bl.from_findings(waivers.active)
    refuse_inputs(opts.output, [s.path for s in expand(opts.paths)[0]])
    old: bl.Baseline | None = None
    if Path(opts.output).exists():
        try:
            old = bl.read(opts.output)
        except bl.BaselineError:
            old = None  # unreadable: replaced wholesale, as the user asked for a new one
    bl.write(opts.output, new)
    line = f"Wrote {opts.output}: {len(new.entries)} finding(s) in {result.files} file(s)"
    if old is not None:
        added = len(new.fingerprints - old.fingerprints)
        removed = len(old.fingerprints - new.fingerprints)
        line += f" (+{added} -{removed} since the previous baseline)"
    print(line + ".")
    return EXIT_CLEAN
