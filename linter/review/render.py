"""Review output as terminal text and as JSON; Markdown is linter/reporters/markdown.py.

All three show the same thing in the same order: a triage table when there are several
requests, then per request the broken standards with findings, impact and options.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Sequence

from linter.findings import Finding
from linter.reporters.json import finding_dict, waiver_dict
from linter.review.brief import (
    PROPOSAL,
    Choice,
    RequestReview,
    RuleImpact,
    standards_broken,
    verdict,
)
from linter.review.triage import Conflict

WIDTH = 88


def _wrap(text: str, indent: str) -> str:
    return textwrap.fill(text, WIDTH, initial_indent=indent, subsequent_indent=indent)


def _where(f: Finding) -> str:
    return f"{f.path}:{f.line}:{f.column}"


def overall(reviews: Sequence[RequestReview]) -> str:
    if len(reviews) == 1:
        return reviews[0].verdict
    failing = sum(r.failing for r in reviews)
    return f"{failing} of {len(reviews)} requests break agreed standards"


def _rule_text(r: RuleImpact) -> list[str]:
    out = [f"  {r.rule.id} {r.rule.name} [{r.rule.severity.value}]"]
    out += [f"    {_where(f)}: {f.message}" for f in r.findings]
    out.append("    Impact:")
    out.append(_wrap(r.rule.why, "      "))
    if r.clients:
        out.append(_wrap(f"Clients affected: {', '.join(r.clients)}", "      "))
    out.append("    Options:")
    for i, c in enumerate(r.choices, 1):
        mark = " (preferred)" if c.preferred else ""
        out.append(
            textwrap.fill(
                f"{i}.{mark} {c.text}",
                WIDTH,
                initial_indent="      ",
                subsequent_indent="         ",
            )
        )
        if c.waiver is not None:
            out.append("         Add to the config, with who approved it and why:")
            out += [f"           {line}" for line in c.waiver.splitlines()]
    if r.rule.fix_hint:
        out.append(f"    {r.rule.fix_hint}")  # unwrapped: the command is copied whole
    return out


def request_text(r: RequestReview) -> str:
    out = [
        f"Review: {r.label} ({len(r.files)} changed file(s) linted, "
        f"{r.unchanged} existing finding(s) unchanged)"
    ]
    out += [f"  note: {n}" for n in r.notes]
    for s in r.standards:
        state = "breaks the standard" if s.broken else "below the failing severity"
        out += ["", f"{s.title} ({s.standard}): {state}"]
        for rule in s.rules:
            out += _rule_text(rule)
    if r.waived:
        out += ["", "Waived (new, but accepted; not failing):"]
        out += [f"  {_where(f)}: {f.rule} {f.message} [waived: {f.waived_by}]" for f in r.waived]
    if r.fixed:
        out += ["", "Fixed by this change:"]
        out += [f"  {_where(f)}: {f.rule} {f.message}" for f in r.fixed]
    for e in r.expired:
        out += ["", f"Warning: {e.message()}"]
    names = ", ".join(s.standard for s in r.broken)
    out += ["", f"Verdict: {r.verdict}{f' ({names})' if names else ''}."]
    if r.proposed_fix:
        out += ["", f"{PROPOSAL}:", r.proposed_fix.rstrip("\n")]
    return "\n".join(out) + "\n"


def triage_text(reviews: Sequence[RequestReview], found: Sequence[Conflict]) -> str:
    columns = standards_broken(reviews)
    header = ["REQUEST", *columns, "VERDICT"]
    rows = [header]
    for r in reviews:
        broken = {s.standard: len(s.findings) for s in r.broken}
        rows.append(
            [r.label, *(f"{broken[c]} new" if c in broken else "-" for c in columns), r.verdict]
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header) - 1)]
    lines = [f"Triage: {len(reviews)} change requests against the same base", ""]
    lines += [
        "  ".join(c.ljust(w) for c, w in zip(row[:-1], widths, strict=True)) + "  " + row[-1]
        for row in rows
    ]
    if found:
        lines += ["", "Conflicting requests (they change the same lines; only one can land as is):"]
        lines += [f"  {c.first} and {c.second}: {c.path} {c.span}" for c in found]
    return "\n".join(lines) + "\n"


def render_text(reviews: Sequence[RequestReview], found: Sequence[Conflict]) -> str:
    if len(reviews) == 1:
        return request_text(reviews[0])
    parts = [triage_text(reviews, found)]
    for r in reviews:
        parts.append(f"\n== {r.label} ==\n" + request_text(r))
    parts.append(f"\nOverall: {overall(reviews)}.\n")
    return "".join(parts)


def _choice_dict(c: Choice) -> dict[str, object]:
    out: dict[str, object] = {"text": c.text, "preferred": c.preferred}
    if c.waiver is not None:
        out["waiver"] = c.waiver
    return out


def _request_dict(r: RequestReview) -> dict[str, object]:
    return {
        "request": r.label,
        "verdict": r.verdict,
        "failing": r.failing,
        "files": list(r.files),
        "broken_standards": [s.standard for s in r.broken],
        "standards": [
            {
                "standard": s.standard,
                "title": s.title,
                "broken": s.broken,
                "rules": [
                    {
                        "id": ri.rule.id,
                        "name": ri.rule.name,
                        "severity": ri.rule.severity.value,
                        "why": ri.rule.why,
                        "options": [_choice_dict(c) for c in ri.choices],
                        "fix": ri.rule.fix,
                        "waiver": ri.waiver,
                        "findings": [finding_dict(f) for f in ri.findings],
                    }
                    for ri in s.rules
                ],
            }
            for s in r.standards
        ],
        "waived": [finding_dict(f) for f in r.waived],
        "fixed": [finding_dict(f) for f in r.fixed],
        "unchanged": r.unchanged,
        "expired_waivers": [e.message() for e in r.expired],
        "waivers": {
            "active": [waiver_dict(w) for w in r.waivers if not w.expired],
            "expired": [waiver_dict(w) for w in r.waivers if w.expired],
        },
        "notes": list(r.notes),
        "proposed_fix": r.proposed_fix,
    }


def render_json(reviews: Sequence[RequestReview], found: Sequence[Conflict], version: str) -> str:
    doc = {
        "version": version,
        "verdict": overall(reviews),
        "standards_broken": len(standards_broken(reviews)),
        "requests": [_request_dict(r) for r in reviews],
        "conflicts": [
            {"requests": [c.first, c.second], "path": c.path, "lines": list(c.lines)} for c in found
        ],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


__all__ = ["overall", "render_json", "render_text", "verdict"]
