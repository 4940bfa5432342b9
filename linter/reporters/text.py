"""Plain text: `path:line:col: ID [severity] message`, grouped by file, with a summary."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import groupby

from linter.findings import Finding, Severity
from linter.reporters import ReportContext
from linter.reporters.summary import plural, severity_counts

_COLOURS = {Severity.ERROR: "31", Severity.WARNING: "33", Severity.INFO: "36"}


_AUDIENCE = {
    "mso": " [in <!--[if mso]>: only Outlook for Windows sees it]",
    "non-mso": " [in <!--[if !mso]>: Outlook for Windows skips it]",
}


def _paint(text: str, code: str, on: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if on else text


def render(findings: Sequence[Finding], ctx: ReportContext) -> str:
    lines: list[str] = []
    for path, group in groupby(findings, key=lambda f: f.path):
        for f in group:
            where = _paint(f"{path}:{f.line}:{f.column}:", "1", ctx.color)
            level = _paint(f"[{f.severity.value}]", _COLOURS[f.severity], ctx.color)
            extra = _AUDIENCE.get(f.audience or "", "")
            lines.append(f"{where} {f.rule} {level} {f.message}{extra}")
        lines.append("")
    files_with = len({f.path for f in findings})
    if findings:
        parts = [plural(n, name) for name, n in severity_counts(findings).items()]
        lines.append(
            f"{plural(len(findings), 'finding')} ({', '.join(parts)}) in "
            f"{files_with} of {plural(ctx.files, 'file')}."
        )
    else:
        lines.append(f"No findings in {plural(ctx.files, 'file')}.")
    if ctx.errors:
        lines.append(f"{plural(len(ctx.errors), 'input')} could not be read (see above).")
    return "\n".join(lines) + "\n"
