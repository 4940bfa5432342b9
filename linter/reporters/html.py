"""A self-contained HTML report: one file, no external assets (inline CSS and SVG only, no
script), readable offline and safe to attach to a ticket.

Three parts, from the same findings as every format:

* counts by standard, as bars of errors, warnings and infos;
* the client-support matrix: each caniemail feature the findings name (rows) against
  each target client (columns), coloured by caniemail's support among the targeted
  versions (linter/clients/support.py, as the rules judge it): what a person would
  rather look at than read;
* findings by file, each file a <details> block with its findings in line order.

Every text from an input (paths, messages, merge tags quoted in messages) is escaped
with :func:`html.escape`, in element text and in attributes alike.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from html import escape
from itertools import groupby

from linter.findings import Finding
from linter.reporters import ReportContext
from linter.reporters.summary import WORST_FIRST, plural, severity_counts

# Support colours, also the legend; tests/test_html_report.py finds them in a screenshot.
SUPPORT_COLOURS = {
    "supported": "#2e9e5b",
    "partial": "#e0a82e",
    "unsupported": "#d64545",
    "untested": "#c9ced6",
}
# Kept apart from the support colours, so each colour in a screenshot means one thing.
SEVERITY_COLOURS = {"error": "#b0303a", "warning": "#f2c14e", "info": "#4a7fd1"}
CELL = 22  # matrix cell size in px (tests measure it in a screenshot)
_SLUG = re.compile(r"^([a-z0-9][a-z0-9-]*) `")  # client-support messages start "slug `...`"
_MAX_FEATURES = 60  # the most-found features; the rest are listed by name

_STYLE = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:24px;
color:#1d2330;background:#fff;max-width:1200px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px}
.meta{color:#5a6270;margin:0 0 16px}
table{border-collapse:collapse}td,th{padding:3px 8px;text-align:left;vertical-align:top}
.standards td{border-bottom:1px solid #eef0f3}
.num{text-align:right;font-variant-numeric:tabular-nums}
.legend span{display:inline-block;margin-right:14px}
.legend i{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:-1px}
details{border:1px solid #e3e6eb;border-radius:6px;margin:6px 0;padding:4px 10px}
summary{cursor:pointer;font-weight:600;overflow-wrap:anywhere}
.findings td{border-top:1px solid #f0f1f4;font-size:13px}.msg{overflow-wrap:anywhere}
.sev{font-weight:600}.error{color:#b02a2a}.warning{color:#9a6a00}.info{color:#2f5ea8}
.matrix{overflow-x:auto}
"""


def render(findings: Sequence[Finding], ctx: ReportContext) -> str:
    active = [f for f in findings if not f.waived_by]
    counts = severity_counts(active)
    title = "presend report"
    meta = (
        f"presend {escape(ctx.version)} · {plural(ctx.files, 'file')} linted · "
        f"{plural(len(active), 'finding')} ({counts['error']} errors, "
        f"{counts['warning']} warnings, {counts['info']} infos)"
    )
    if ctx.errors:
        meta += f" · {plural(len(ctx.errors), 'input')} could not be read"
    parts = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{title}</title><style>{_STYLE}</style></head><body>",
        f"<h1>{title}</h1>",
        f'<p class="meta">{meta}</p>',
        _errors(ctx.errors),
        "<h2>By standard</h2>",
        _by_standard(active),
        "<h2>Client support</h2>",
        _matrix(active, ctx.targets),
        "<h2>By file</h2>",
        _by_file(findings),
        "</body></html>",
    ]
    return "\n".join(p for p in parts if p) + "\n"


def _errors(errors: Sequence[str]) -> str:
    if not errors:
        return ""
    items = "".join(f"<li>{escape(e)}</li>" for e in errors)
    return f'<h2>Inputs not linted</h2><ul class="error">{items}</ul>'


def _bar(counts: Counter[str], widest: int) -> str:
    """An inline SVG bar: errors, warnings, infos side by side, scaled to the widest."""
    width, x, rects = 260, 0.0, []
    for level in WORST_FIRST:
        n = counts[level]
        if not n:
            continue
        w = max(2.0, width * n / max(widest, 1))
        rects.append(
            f'<rect x="{x:.1f}" y="2" width="{w:.1f}" height="14" '
            f'fill="{SEVERITY_COLOURS[level]}"><title>{n} {level}</title></rect>'
        )
        x += w
    return f'<svg width="{width}" height="18" role="img">{"".join(rects)}</svg>'


def _by_standard(findings: Sequence[Finding]) -> str:
    if not findings:
        return "<p>No findings.</p>"
    by: dict[str, Counter[str]] = {}
    for f in findings:
        by.setdefault(f.standard, Counter())[f.severity.value] += 1
    widest = max(sum(c.values()) for c in by.values())
    rows = [
        "<tr><th>standard</th><th class=num>errors</th><th class=num>warnings</th>"
        "<th class=num>infos</th><th></th></tr>"
    ]
    for standard, c in sorted(by.items(), key=lambda item: (-sum(item[1].values()), item[0])):
        rows.append(
            f"<tr><td>{escape(standard)}</td><td class=num>{c['error']}</td>"
            f"<td class=num>{c['warning']}</td><td class=num>{c['info']}</td>"
            f"<td>{_bar(c, widest)}</td></tr>"
        )
    return f'<table class="standards">{"".join(rows)}</table>'


def matrix_cells(
    findings: Sequence[Finding], targets: Sequence[str]
) -> tuple[list[tuple[str, int]], list[str], dict[tuple[str, str], str]]:
    """(features with their finding counts, client ids, support word per (feature, client)).

    Features are the caniemail slugs client-support findings name, most found first;
    clients are the targets' (the run's `--target`/config, else caniemail's "global").
    """
    from linter.clients import load_data
    from linter.clients.support import support_for
    from linter.clients.targets import resolve_targets

    known = load_data().features
    found: Counter[str] = Counter()
    for f in findings:
        match = _SLUG.match(f.message) if f.standard == "client-support" else None
        if match and match[1] in known:
            found[match[1]] += 1
    features = sorted(found.items(), key=lambda item: (-item[1], item[0]))[:_MAX_FEATURES]
    resolved = resolve_targets(tuple(targets) or ("global",))
    clients = list(dict.fromkeys(t.client for t in resolved))
    cells: dict[tuple[str, str], str] = {}
    for slug, _ in features:
        gaps = {g.client: g.support.label for g in support_for(slug, resolved)}
        stats = known[slug].stats
        for client in clients:
            cells[slug, client] = gaps.get(client, "supported" if client in stats else "untested")
    return features, clients, cells


def _matrix(findings: Sequence[Finding], targets: Sequence[str]) -> str:
    features, clients, cells = matrix_cells(findings, targets)
    if not features:
        return "<p>No client-support findings: every feature used works in the targets.</p>"
    label_w = 8 + 7 * max(len(slug) + len(str(n)) + 3 for slug, n in features)
    longest = max(len(c) for c in clients)
    head_h = 8 + 6 * longest  # column labels run up and to the right, at 60 degrees
    width = label_w + CELL * len(clients) + 4 * longest + 10
    height = head_h + CELL * len(features) + 10
    svg = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="client support matrix" '
        'font-family="system-ui,sans-serif" font-size="12">'
    ]
    for j, client in enumerate(clients):
        x = label_w + CELL * j + CELL / 2 + 4
        svg.append(
            f'<text x="{x:.0f}" y="{head_h - 6}" transform="rotate(-60 {x:.0f} {head_h - 6})">'
            f"{escape(client)}</text>"
        )
    for i, (slug, count) in enumerate(features):
        y = head_h + CELL * i
        svg.append(
            f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end">'
            f"{escape(slug)} ({count})</text>"
        )
        for j, client in enumerate(clients):
            word = cells[(slug, client)]
            svg.append(
                f'<rect x="{label_w + CELL * j}" y="{y}" width="{CELL - 2}" '
                f'height="{CELL - 2}" fill="{SUPPORT_COLOURS[word]}">'
                f"<title>{escape(slug)} in {escape(client)}: {word}</title></rect>"
            )
    svg.append("</svg>")
    legend = "".join(
        f'<span><i style="background:{colour}"></i>{word}</span>'
        for word, colour in SUPPORT_COLOURS.items()
    )
    return (
        f'<p class="legend">{legend}</p><div class="matrix">{"".join(svg)}</div>'
        f'<p class="meta">Rows: features the findings name (how many findings); columns: '
        f"the target clients; colour: caniemail's support in the targeted versions.</p>"
    )


def _by_file(findings: Sequence[Finding]) -> str:
    """A table of files, worst first, each linking to its findings below in path order."""
    if not findings:
        return "<p>Nothing to list.</p>"
    ordered = sorted(findings, key=lambda f: f.sort_key)
    groups = [(path, list(g)) for path, g in groupby(ordered, key=lambda f: f.path)]
    table, blocks = [], []
    for n, (path, items) in enumerate(groups):
        counts = severity_counts(f for f in items if not f.waived_by)
        worst = next((s for s, n in counts.items() if n), None)
        badge = f' <span class="sev {worst}">({worst})</span>' if worst else ""
        open_ = " open" if worst == "error" and len(groups) <= 10 else ""
        table.append(
            (
                (-counts["error"], -counts["warning"], -counts["info"], path),
                f'<tr><td><a href="#f{n}">{escape(path)}</a></td><td class=num>'
                f"{counts['error']}</td><td class=num>{counts['warning']}</td>"
                f"<td class=num>{counts['info']}</td></tr>",
            )
        )
        rows = "".join(_row(f) for f in items)
        blocks.append(
            f'<details id="f{n}"{open_}><summary>{escape(path)} — '
            f"{plural(len(items), 'finding')}{badge}</summary>"
            f'<table class="findings">{rows}</table></details>'
        )
    head = (
        "<tr><th>file (worst first)</th><th class=num>errors</th><th class=num>warnings</th>"
        "<th class=num>infos</th></tr>"
    )
    rows = "".join(row for _, row in sorted(table))
    return f'<table class="standards">{head}{rows}</table>{"".join(blocks)}'


def _row(f: Finding) -> str:
    severity = "waived" if f.waived_by else f.severity.value
    return (
        f"<tr><td class=num>{f.line}:{f.column}</td>"
        f'<td class="sev {escape(severity)}">{escape(severity)}</td>'
        f"<td>{escape(f.rule)}</td><td>{escape(f.name)}</td>"
        f'<td class="msg">{escape(f.message)}</td></tr>'
    )
