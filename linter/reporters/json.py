"""JSON for machines: findings in a stable order plus summary counts."""

from __future__ import annotations

import json
from collections.abc import Sequence

from linter.findings import Finding
from linter.reporters import ReportContext
from linter.reporters.summary import counts


def finding_dict(f: Finding) -> dict[str, object]:
    out: dict[str, object] = {
        "rule": f.rule,
        "name": f.name,
        "standard": f.standard,
        "severity": f.severity.value,
        "path": f.path,
        "line": f.line,
        "column": f.column,
        "message": f.message,
        "fingerprint": f.fingerprint,
    }
    if f.end_line is not None:
        out["end_line"], out["end_column"] = f.end_line, f.end_column
    if f.audience and f.audience != "all":
        out["audience"] = f.audience
    if f.clients:
        out["clients"] = list(f.clients)
    if f.waived_by:
        out["waived_by"] = f.waived_by
    return out


def render(findings: Sequence[Finding], ctx: ReportContext) -> str:
    doc = {
        "version": ctx.version,
        "findings": [finding_dict(f) for f in findings],
        "summary": {
            "files": ctx.files,
            "findings": len(findings),
            **counts(findings),
            "unreadable": list(ctx.errors),
        },
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
