"""Accepted findings: waivers from config (documented exceptions) and baseline files.

Both are filter stages after the engine: they never drop a finding silently. A waived
finding keeps `waived_by` so reports can show who accepted it; a baselined finding is
left out of the report but counted, and baseline entries that no longer occur are
listed so the baseline can shrink.

Decisions: an expired waiver is reported as a warning (stderr for `check`, and in its
json, markdown and github reports; in the brief for `review`), not as a finding, since it
is a fault of the config rather than of a template; it stops applying the day after
`expires`. `expires` is required: every exception gets a follow-up date. Baselines leave
out waived findings (so an expiring waiver still bites) and line numbers (so edits do not
churn the file); fingerprints hold the paths as linted, so run `baseline` and
`check --baseline` from the same folder.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import NamedTuple

from linter import sidefiles
from linter.config import Config, Waiver, _glob_match
from linter.fileio import write_atomic
from linter.findings import Finding
from linter.reporters import WaiverStatus

BASELINE_NAME = ".presend-baseline.json"
BASELINE_VERSION = 1


class BaselineError(ValueError):
    """The baseline file cannot be read; the message names it."""


# --- waivers ---------------------------------------------------------------------------


class ExpiredWaiver(NamedTuple):
    position: int  # in the config's waivers
    waiver: Waiver
    where: str  # the config file

    def message(self) -> str:
        w = self.waiver
        return (
            f"{self.where}: waivers[{self.position}] for {w.rule} on {', '.join(w.globs)} "
            f"(approved by {w.approved_by}) expired on {w.expires.isoformat()}; "
            "its findings count again: renew it with a new approval or remove it"
        )


class WaiverResult(NamedTuple):
    findings: list[Finding]  # all findings; accepted ones have waived_by set
    expired: list[ExpiredWaiver]
    live: list[Waiver]
    accepted: Counter[int]  # findings per live[i]

    def statuses(self) -> tuple[WaiverStatus, ...]:
        """Every waiver for the reports: live ones with their counts, then expired ones."""
        live = [
            WaiverStatus(
                w.rule, w.globs, w.approved_by, w.reason, w.expires, accepted=self.accepted[i]
            )
            for i, w in enumerate(self.live)
        ]
        expired = [
            WaiverStatus(
                e.waiver.rule,
                e.waiver.globs,
                e.waiver.approved_by,
                e.waiver.reason,
                e.waiver.expires,
                expired=True,
                message=e.message(),
            )
            for e in self.expired
        ]
        return (*live, *expired)

    @property
    def active(self) -> list[Finding]:
        return [f for f in self.findings if not f.waived_by]

    @property
    def waived(self) -> list[Finding]:
        return [f for f in self.findings if f.waived_by]


def waiver_label(w: Waiver) -> str:
    """What a report shows next to a waived finding."""
    return f"{w.approved_by} until {w.expires.isoformat()}: {w.reason}"


def waiver_matches(w: Waiver, finding: Finding, config: Config) -> bool:
    rule = config.catalogue.find(w.rule)
    rule_id = rule.id if rule is not None else w.rule.upper()
    if finding.rule != rule_id:
        return False
    rel = config._relative(finding.path)
    return any(_glob_match(rel, g) for g in w.globs)


def apply_waivers(findings: Iterable[Finding], config: Config, today: date) -> WaiverResult:
    """Mark findings accepted by a live waiver; list the waivers that have expired.

    A waiver is live through its `expires` day. Expired waivers are reported whether or
    not they still match anything: the team asked for a follow-up on that date.
    """
    live: list[Waiver] = []
    expired: list[ExpiredWaiver] = []
    where = str(config.source) if config.source else "config"
    for i, w in enumerate(config.file.waivers):
        if w.expires < today:
            expired.append(ExpiredWaiver(i, w, where))
        else:
            live.append(w)
    out = []
    accepted: Counter[int] = Counter()
    for f in findings:
        match = next((i for i, w in enumerate(live) if waiver_matches(w, f, config)), None)
        if match is None:
            out.append(f)
        else:
            accepted[match] += 1
            out.append(f._replace(waived_by=waiver_label(live[match])))
    return WaiverResult(out, expired, live, accepted)


def waiver_snippet(rule: str, paths: Sequence[str], expires: date) -> str:
    """The TOML a team adds to accept `rule` in `paths`; reason and approver left to fill.

    They are left empty on purpose: the config refuses a waiver without them, so the
    exception cannot be pasted in without saying who approved it and why.
    """
    files = ", ".join(json.dumps(p) for p in sorted(set(paths)))
    return "\n".join(
        [
            "[[waivers]]",
            f'rule = "{rule}"',
            f"files = [{files}]",
            'reason = ""  # what the client accepted, in their words',
            'approved-by = ""  # who approved, e.g. "Dana Reyes (client), ticket 1234"',
            f"expires = {expires.isoformat()}",
        ]
    )


# --- baselines -------------------------------------------------------------------------


class BaselineEntry(NamedTuple):
    fingerprint: str
    rule: str
    path: str


class Baseline(NamedTuple):
    entries: tuple[BaselineEntry, ...]

    @property
    def fingerprints(self) -> frozenset[str]:
        return frozenset(e.fingerprint for e in self.entries)


class BaselineResult(NamedTuple):
    findings: list[Finding]  # not in the baseline: these are reported
    accepted: int  # findings the baseline accepted
    gone: list[BaselineEntry]  # baseline entries that no longer occur


def from_findings(findings: Iterable[Finding]) -> Baseline:
    entries = {f.fingerprint: BaselineEntry(f.fingerprint, f.rule, f.path) for f in findings}
    return Baseline(tuple(sorted(entries.values(), key=lambda e: (e.path, e.rule, e.fingerprint))))


def dumps(baseline: Baseline) -> str:
    """Sorted, one entry per line and no dates or line numbers, so diffs stay small."""
    counts = dict(sorted(Counter(e.rule for e in baseline.entries).items()))
    rows = [
        json.dumps({"path": e.path, "rule": e.rule, "fingerprint": e.fingerprint})
        for e in baseline.entries
    ]
    findings = "[\n    " + ",\n    ".join(rows) + "\n  ]" if rows else "[]"
    return (
        f'{{\n  "version": {BASELINE_VERSION},\n  "total": {len(rows)},\n'
        f'  "by_rule": {json.dumps(counts)},\n  "findings": {findings}\n}}\n'
    )


def loads(text: str, where: str) -> Baseline:
    try:
        data = sidefiles.parse_json(text, where)
        if not isinstance(data, dict) or data.get("version") != BASELINE_VERSION:
            raise ValueError(f"expected a presend baseline with version {BASELINE_VERSION}")
        entries = tuple(
            BaselineEntry(str(e["fingerprint"]), str(e["rule"]), str(e["path"]))
            for e in data["findings"]
        )
    except (ValueError, KeyError, TypeError) as exc:
        raise BaselineError(f"{where}: not a presend baseline: {exc}") from None
    return Baseline(entries)


def read(path: str | Path) -> Baseline:
    try:
        text = sidefiles.read_text(path, explicit=True)
    except sidefiles.SideFileError as exc:
        raise BaselineError(f"cannot read baseline: {exc}") from None
    return loads(text, str(path))


def write(path: str | Path, baseline: Baseline) -> None:
    write_atomic(path, dumps(baseline))


def apply_baseline(
    findings: Iterable[Finding], baseline: Baseline, linted_paths: Iterable[str] | None = None
) -> BaselineResult:
    """Drop findings the baseline accepts; list entries that are gone.

    `linted_paths` limits "gone" to files that were linted this run, so checking one
    file does not claim every other file's entries have disappeared.
    """
    known = baseline.fingerprints
    seen: set[str] = set()
    kept = []
    for f in findings:
        if f.fingerprint in known:
            seen.add(f.fingerprint)
        else:
            kept.append(f)
    scope = None if linted_paths is None else set(linted_paths)
    gone = [
        e
        for e in baseline.entries
        if e.fingerprint not in seen and (scope is None or e.path in scope)
    ]
    return BaselineResult(kept, len(seen), gone)


def notes_text(
    waived: Sequence[Finding], gone: BaselineResult | None, baseline_path: str | None
) -> str:
    """Lines after a check report: waived findings with approver, and shrinkable entries."""
    lines: list[str] = []
    if waived:
        lines.append(f"Waived ({len(waived)}, not failing):")
        lines += [
            f"  {f.path}:{f.line}:{f.column}: {f.rule} {f.message} [waived: {f.waived_by}]"
            for f in waived
        ]
    if gone is not None:
        lines.append(f"Baseline {baseline_path}: {gone.accepted} known finding(s) not shown.")
        if gone.gone:
            lines.append(
                f"{len(gone.gone)} baseline entr{'y is' if len(gone.gone) == 1 else 'ies are'}"
                " gone; run `presend baseline` to shrink it:"
            )
            lines += [f"  {e.path}: {e.rule} {e.fingerprint}" for e in gone.gone]
    return "\n".join(lines) + "\n" if lines else ""
