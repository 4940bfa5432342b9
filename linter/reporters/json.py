"""JSON for machines: findings in a stable order, summary counts and the config's waivers.

Waived findings stay in `findings` at their place in the order, marked `waived_by`;
`summary.findings` and the counts leave them out (they are not failing) and
`summary.waived` counts them.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from linter.findings import Finding
from linter.reporters import ReportContext, WaiverStatus
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


def waiver_dict(w: WaiverStatus) -> dict[str, object]:
    out: dict[str, object] = {
        "rule": w.rule,
        "files": list(w.files),
        "approved_by": w.approved_by,
        "reason": w.reason,
        "expires": w.expires.isoformat(),
    }
    if w.expired:
        out["message"] = w.message
    else:
        out["count"] = w.accepted
    return out


def render(findings: Sequence[Finding], ctx: ReportContext) -> str:
    failing = [f for f in findings if not f.waived_by]
    doc = {
        "version": ctx.version,
        "findings": [finding_dict(f) for f in findings],
        "summary": {
            "files": ctx.files,
            "findings": len(failing),
            "waived": len(findings) - len(failing),
            **counts(failing),
            "unreadable": list(ctx.errors),
        },
        "waivers": {
            "active": [waiver_dict(w) for w in ctx.active_waivers],
            "expired": [waiver_dict(w) for w in ctx.expired_waivers],
        },
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
