"""SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.

Each rule a finding names is described once (summary, why, options as help text, default
level); each finding is a result with its region and presend's fingerprint as a partial
fingerprint, so code scanning tracks it across commits as baselines do. Waived findings
are left out: they are accepted, not alerts.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from linter.findings import Finding, Severity
from linter.reporters import ReportContext

_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _uri(path: str) -> str:
    """The file relative to the working directory, as code scanning expects, when it is."""
    try:
        return Path(path).resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return Path(path).as_posix()


def _rule(rule_id: str) -> dict[str, object]:
    from linter.catalogue import load

    rule = next(r for r in load().rules if r.id == rule_id)
    options = "\n".join(f"- {'(preferred) ' if o.preferred else ''}{o.text}" for o in rule.options)
    help_text = f"{rule.why}\n\nOptions:\n{options}"
    if rule.fix_hint:
        help_text += f"\n\n{rule.fix_hint}"
    return {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.why},
        "help": {"text": help_text, "markdown": help_text},
        "defaultConfiguration": {"level": _LEVEL[rule.severity]},
        "properties": {"tags": [rule.standard]},
    }


def _result(f: Finding, index: int) -> dict[str, object]:
    region: dict[str, int] = {"startLine": f.line, "startColumn": f.column}
    if f.end_line is not None and f.end_column is not None:
        region["endLine"], region["endColumn"] = f.end_line, f.end_column
    return {
        "ruleId": f.rule,
        "ruleIndex": index,
        "level": _LEVEL[f.severity],
        "message": {"text": f.message},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": _uri(f.path), "uriBaseId": "%SRCROOT%"},
                    "region": region,
                }
            }
        ],
        "partialFingerprints": {"presendFingerprint/v1": f.fingerprint},
    }


def render(findings: Sequence[Finding], ctx: ReportContext) -> str:
    alerts = [f for f in findings if not f.waived_by]
    rule_ids = sorted({f.rule for f in alerts})
    index = {rule_id: i for i, rule_id in enumerate(rule_ids)}
    log = {
        "$schema": _SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "presend",
                        "version": ctx.version,
                        "semanticVersion": ctx.version,
                        "informationUri": "https://pypi.org/project/presend/",
                        "rules": [_rule(rule_id) for rule_id in rule_ids],
                    }
                },
                "results": [_result(f, index[f.rule]) for f in alerts],
                "columnKind": "unicodeCodePoints",
            }
        ],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"
