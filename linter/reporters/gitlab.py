"""GitLab code quality report (JSON), shown on merge requests: one issue per finding."""

from __future__ import annotations

import json
from collections.abc import Sequence

from linter.findings import Finding, Severity
from linter.reporters import ReportContext

# GitLab's scale is info, minor, major, critical, blocker; presend's error is content a
# recipient loses, which code-quality tools conventionally report as major.
_SEVERITY = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}


def _issue(f: Finding) -> dict[str, object]:
    return {
        "type": "issue",
        "check_name": f"{f.rule} {f.name}",
        "description": f.message,
        "categories": [f.standard],
        "severity": _SEVERITY[f.severity],
        "fingerprint": f.fingerprint,
        "location": {"path": f.path, "lines": {"begin": f.line}},
    }


def render(findings: Sequence[Finding], ctx: ReportContext) -> str:
    issues = [_issue(f) for f in findings if not f.waived_by]
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"
