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


def render(findings: Sequence[Finding], ctx: ReportContext) -> str:
    lines = [
        f"::{_LEVEL[f.severity]} file={_escape(f.path, prop=True)},line={f.line},col={f.column},"
        f"title={_escape(f'{f.rule} {f.name}', prop=True)}::{_escape(f.message)}"
        for f in findings
    ]
    lines.append(f"presend: {plural(len(findings), 'finding')} in {plural(ctx.files, 'file')}")
    return "\n".join(lines) + "\n"
