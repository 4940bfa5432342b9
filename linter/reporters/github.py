"""GitHub Actions workflow commands: each finding becomes an annotation on the pull request."""

from __future__ import annotations

from collections.abc import Sequence

from linter.findings import Finding, Severity
from linter.reporters import ReportContext
from linter.reporters.summary import plural

_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _escape(text: str, *, prop: bool = False) -> str:
    # https://github.com/actions/toolkit/blob/main/packages/core/src/command.ts
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if prop else text


def _annotation(f: Finding) -> str:
    # A waived finding is accepted, not failing: a notice keeps it visible on the line.
    level = _level(f)
    title = f"{f.rule} {f.name}" + (" (waived)" if f.waived_by else "")
    message = f.message + (f" [waived: {f.waived_by}]" if f.waived_by else "")
    return (
        f"::{level} file={_escape(f.path, prop=True)},line={f.line},col={f.column},"
        f"title={_escape(title, prop=True)}::{_escape(message)}"
    )


# GitHub shows at most 10 annotations of each level per step (docs: "Workflow commands",
# limits), so errors come first and a last notice says how many are not shown.
_SHOWN_PER_LEVEL = 10
_ORDER = {"error": 0, "warning": 1, "notice": 2}


def _level(f: Finding) -> str:
    return "notice" if f.waived_by else _LEVEL[f.severity]


def render(findings: Sequence[Finding], ctx: ReportContext) -> str:
    ordered = sorted(findings, key=lambda f: _ORDER[_level(f)])  # stable: path order kept
    lines = [_annotation(f) for f in ordered]
    per_level = {level: sum(1 for f in findings if _level(f) == level) for level in _ORDER}
    hidden = sum(max(n - _SHOWN_PER_LEVEL, 0) for n in per_level.values())
    lines += [
        f"::warning title={_escape(f'presend: waiver for {w.rule} expired', prop=True)}::"
        f"{_escape(w.message)}"
        for w in ctx.expired_waivers
    ]
    waived = sum(1 for f in findings if f.waived_by)
    summary = f"presend: {plural(len(findings) - waived, 'finding')} in {plural(ctx.files, 'file')}"
    lines.append(summary + (f" ({waived} waived)" if waived else ""))
    if hidden:
        note = (
            f"GitHub shows {_SHOWN_PER_LEVEL} annotations of each level a step: {hidden} more"
            " are not on the pull request; every finding is listed in this log (errors first)"
        )
        lines.append(f"::notice title={_escape('presend: more findings', prop=True)}::{note}")
    return "\n".join(lines) + "\n"
