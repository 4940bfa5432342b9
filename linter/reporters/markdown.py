"""Markdown a client-services person pastes into a reply: what breaks, for whom, options.

Plain language from the catalogue (`summary`, `why`, `options`), short tables, no file
internals beyond "which email, which line", and a decision line to fill in. `render`
serves `presend check --format markdown`; `render_review` serves `presend review`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import groupby

from linter import catalogue
from linter.findings import Finding
from linter.reporters import ReportContext
from linter.reporters.summary import plural
from linter.review.brief import PROPOSAL, RequestReview, RuleImpact
from linter.review.render import overall
from linter.review.triage import Conflict

_TAG = re.compile(r"<[^<>\n]{1,200}>")
# A sentence ends at . ! or ? before a capital; "e.g. a" and "; then" do not end one.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


def _plain(text: str) -> str:
    """Catalogue text with HTML tags in backticks, or a Markdown viewer would hide them."""
    return _TAG.sub(lambda m: f"`{m.group(0)}`", text)


def _cell(text: str) -> str:
    """Table cells cannot hold pipes or line breaks."""
    return " ".join(_plain(text).replace("|", "\\|").split())


def _first_sentence(text: str) -> str:
    """The first whole sentence, or all of `text` when a cut could leave a fragment.

    The table stays short; the full `why` follows under the options heading.
    """
    text = text.strip()
    first = _SENTENCE_END.split(text, maxsplit=1)[0]
    balanced = all(first.count(a) == first.count(b) for a, b in ("()", "[]", "<>"))
    return first if balanced and first.count("`") % 2 == 0 else text


def _places(findings: Sequence[Finding]) -> str:
    parts = []
    for path, group in groupby(sorted(findings, key=lambda f: f.sort_key), key=lambda f: f.path):
        lines = sorted({f.line for f in group})
        parts.append(
            f"`{path}` line{'s' if len(lines) > 1 else ''} {', '.join(str(n) for n in lines)}"
        )
    return "; ".join(parts)


def _options(r: RuleImpact) -> list[str]:
    out = [f"Impact: {_cell(r.rule.why)}", ""]
    if r.clients:
        out += [f"Clients affected: {', '.join(r.clients)}", ""]
    for i, c in enumerate(r.choices, 1):
        out.append(f"{i}. {'**Preferred:** ' if c.preferred else ''}{_cell(c.text)}")
        if c.waiver is not None:
            out += [
                "",
                "   Add this to the team's presend config, filling in who approved it and why:",
                "",
                "   ```toml",
                *(f"   {line}" for line in c.waiver.splitlines()),
                "   ```",
            ]
    if r.rule.fix_hint:
        out += ["", _cell(r.rule.fix_hint)]
    return out


def _request(r: RequestReview, level: str) -> list[str]:
    out = [f"{level} Change request: {r.label}", ""]
    broken = ", ".join(s.title for s in r.broken)
    out += [f"**Verdict: this change {r.verdict}{f' ({broken})' if broken else ''}.**", ""]
    if r.notes:
        out += ["Also changed:", "", *(f"- {_cell(n)}" for n in r.notes), ""]
    if r.standards:
        out += [
            "What breaks and for whom:",
            "",
            "| Standard | What breaks | Who is affected | Where |",
            "|---|---|---|---|",
        ]
        for s in r.standards:
            for ri in s.rules:
                out.append(
                    f"| {_cell(s.title)} | {_cell(ri.rule.summary)} | "
                    f"{_cell(_first_sentence(ri.rule.why))} | "
                    f"{_cell(_places(ri.findings))} |"
                )
        out.append("")
        for s in r.standards:
            for ri in s.rules:
                out += [
                    f"{level}# {_cell(ri.rule.summary.rstrip('.'))} ({ri.rule.id}): options",
                    "",
                ]
                out += _options(ri)
                out.append("")
    else:
        out += ["Nothing in this change goes against the standards agreed with you.", ""]
    if r.waived:
        out += ["Already accepted as exceptions:", ""]
        out += [
            f"- {_cell(f.message)} ({f.rule}, `{f.path}` line {f.line}): approved by {f.waived_by}"
            for f in r.waived
        ]
        out.append("")
    if r.fixed:
        out += ["This change also fixes:", ""]
        out += [f"- {_cell(f.message)} ({f.rule}, `{f.path}` line {f.line})" for f in r.fixed]
        out.append("")
    for e in r.expired:
        out += [f"> Note: an earlier exception has lapsed: {_cell(e.message())}", ""]
    if r.proposed_fix:
        out += [f"{PROPOSAL}:", "", "```diff", r.proposed_fix.rstrip("\n"), "```", ""]
    if r.standards:
        out += [
            "Decision: ☐ fix before sending  ☐ send as is, accepting the exception above",
            "",
            "Approved by: ____________________    Date: ____________",
            "",
        ]
    return out


def render_review(reviews: Sequence[RequestReview], found: Sequence[Conflict]) -> str:
    if len(reviews) == 1:
        return "\n".join(_request(reviews[0], "##")).rstrip() + "\n"
    out = [
        "## Change requests: triage",
        "",
        f"**{overall(reviews)}.**",
        "",
        "| Request | Breaks | Verdict |",
        "|---|---|---|",
    ]
    for r in reviews:
        broken = ", ".join(s.title for s in r.broken) or "nothing"
        out.append(f"| {_cell(r.label)} | {_cell(broken)} | {r.verdict} |")
    out.append("")
    if found:
        out += [
            "These requests change the same lines, so only one of each pair can go in as written:",
            "",
        ]
        out += [f"- {c.first} and {c.second}: `{c.path}` {c.span}" for c in found]
        out.append("")
    for r in reviews:
        out += _request(r, "###")
    return "\n".join(out).rstrip() + "\n"


def _waivers(waived: Sequence[Finding], ctx: ReportContext) -> list[str]:
    """The config's exceptions: live ones with approver and use, lapsed ones as warnings."""
    out: list[str] = []
    if ctx.active_waivers:
        out += ["### Accepted exceptions", ""]
        out += [
            f"- {w.rule} on {', '.join(f'`{g}`' for g in w.files)}: approved by "
            f"{_cell(w.approved_by)} until {w.expires.isoformat()} ({_cell(w.reason)}); "
            f"{plural(w.accepted, 'finding')} accepted"
            for w in ctx.active_waivers
        ]
        out.append("")
    if waived:
        out += ["Waived findings (not failing):", ""]
        for rule_id, found in groupby(sorted(waived, key=lambda f: f.rule), key=lambda f: f.rule):
            out.append(f"- {rule_id}: {_cell(_places(list(found)))}")
        out.append("")
    if ctx.expired_waivers:
        out += ["### Lapsed exceptions", ""]
        out += [f"> **Expired:** {_cell(w.message)}" for w in ctx.expired_waivers]
        out.append("")
    return out


def render(findings: Sequence[Finding], ctx: ReportContext) -> str:
    """`presend check --format markdown`: findings per standard, with why and options;
    waived findings and the config's waivers after them."""
    cat = catalogue.load()
    titles = {s.name: s.title for s in cat.standards}
    failing = [f for f in findings if not f.waived_by]
    files = len({f.path for f in failing})
    out = [
        f"## presend: {plural(len(failing), 'finding')} in {files} of {plural(ctx.files, 'file')}",
        "",
    ]
    by_standard = sorted(failing, key=lambda f: (f.standard, f.rule, f.sort_key))
    for standard, group in groupby(by_standard, key=lambda f: f.standard):
        out += [f"### {titles.get(standard, standard)}", ""]
        for rule_id, found in groupby(group, key=lambda f: f.rule):
            items = list(found)
            rule = cat.find(rule_id)
            summary = rule.summary if rule else items[0].message
            out += [f"**{_cell(summary)}** ({rule_id}): {_cell(_places(items))}", ""]
            if rule:
                out += [_cell(rule.why), ""]
                preferred = next(o for o in rule.options if o.preferred)
                out += [f"Preferred fix: {_cell(preferred.text)}", ""]
    out += _waivers([f for f in findings if f.waived_by], ctx)
    if ctx.errors:
        out += [f"{plural(len(ctx.errors), 'file')} could not be read.", ""]
    return "\n".join(out).rstrip() + "\n"
