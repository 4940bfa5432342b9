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
    level = "notice" if f.waived_by else _LEVEL[f.severity]
    title = f"{f.rule} {f.name}" + (" (waived)" if f.waived_by else "")
    message = f.message + (f" [waived: {f.waived_by}]" if f.waived_by else "")
    return (
        f"::{level} file={_escape(f.path, prop=True)},line={f.line},col={f.column},"
        f"title={_escape(title, prop=True)}::{_escape(message)}"
    )


def render(findings: Sequence[Finding], ctx: ReportContext) -> str:
    lines = [_annotation(f) for f in findings]
    lines += [
        f"::warning title={_escape(f'presend: waiver for {w.rule} expired', prop=True)}::"
        f"{_escape(w.message)}"
        for w in ctx.expired_waivers
    ]
    waived = sum(1 for f in findings if f.waived_by)
    summary = f"presend: {plural(len(findings) - waived, 'finding')} in {plural(ctx.files, 'file')}"
    lines.append(summary + (f" ({waived} waived)" if waived else ""))
    return "\n".join(lines) + "\n"
