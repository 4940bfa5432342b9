"""Dated summaries of findings in `.presend/snapshots/` and the trend across them.

A snapshot holds counts only (per severity, standard, rule and file), never findings,
so the folder stays small enough to commit and a team can show a client how the agreed
standards held over time: as text, or as one self-contained HTML page with an SVG chart.
"""

from __future__ import annotations

import html
import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from linter import sidefiles
from linter.fileio import write_atomic
from linter.findings import Finding
from linter.reporters.summary import counts

SNAPSHOT_DIR = Path(".presend") / "snapshots"
VERSION = 1


class SnapshotError(ValueError):
    """A snapshot file cannot be read; the message names it."""


@dataclass(frozen=True)
class Snapshot:
    taken: str  # ISO timestamp, seconds precision
    files: int
    waived: int
    by_severity: dict[str, int]
    by_standard: dict[str, int]
    by_rule: dict[str, int]
    by_file: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.by_severity.values())

    @property
    def day(self) -> str:
        return self.taken[:10]


def summarise(
    findings: Sequence[Finding], files: int, taken: datetime, waived: int = 0
) -> Snapshot:
    return Snapshot(
        taken=taken.replace(microsecond=0).isoformat(),
        files=files,
        waived=waived,
        **counts(findings),
        by_file=dict(sorted(Counter(f.path for f in findings).items())),
    )


def to_json(s: Snapshot) -> str:
    doc = {
        "version": VERSION,
        "taken": s.taken,
        "files": s.files,
        "total": s.total,
        "waived": s.waived,
        "by_severity": s.by_severity,
        "by_standard": s.by_standard,
        "by_rule": s.by_rule,
        "by_file": s.by_file,
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def from_json(text: str, where: str) -> Snapshot:
    try:
        d = sidefiles.parse_json(text, where)
        if d.get("version") != VERSION:
            raise ValueError(f"expected version {VERSION}")
        return Snapshot(
            str(d["taken"]),
            int(d["files"]),
            int(d.get("waived", 0)),
            dict(d["by_severity"]),
            dict(d["by_standard"]),
            dict(d["by_rule"]),
            dict(d["by_file"]),
        )
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise SnapshotError(f"{where}: not a presend snapshot: {exc}") from None


def save(snapshot: Snapshot, folder: Path = SNAPSHOT_DIR) -> Path:
    """Append: a new file named by its timestamp; an existing one is never overwritten."""
    folder.mkdir(parents=True, exist_ok=True)
    stem = snapshot.taken.replace(":", "")
    path = folder / f"{stem}.json"
    n = 2
    while path.exists():
        path = folder / f"{stem}-{n}.json"
        n += 1
    write_atomic(path, to_json(snapshot))
    return path


def load_all(folder: Path = SNAPSHOT_DIR) -> list[Snapshot]:
    if not folder.is_dir():
        return []
    snaps = [from_json(_read(p), str(p)) for p in sorted(folder.glob("*.json"))]
    return sorted(snaps, key=lambda s: s.taken)


def _read(path: Path) -> str:
    try:
        return sidefiles.read_text(path, explicit=False)
    except sidefiles.SideFileError as exc:
        raise SnapshotError(f"cannot read snapshot: {exc}") from None


def _standards(snaps: Sequence[Snapshot]) -> list[str]:
    return sorted({k for s in snaps for k in s.by_standard})


def _delta(now: int, before: int | None) -> str:
    if before is None or now == before:
        return ""
    return f" ({now - before:+d})"


def _count_cell(s: Snapshot, prev: Snapshot | None, standard: str) -> str:
    now = s.by_standard.get(standard, 0)
    return f"{now}{_delta(now, prev.by_standard.get(standard, 0) if prev else None)}"


def trend_text(snaps: Sequence[Snapshot]) -> str:
    if not snaps:
        return "No snapshots yet: run `presend snapshot` to record one.\n"
    cols = _standards(snaps)
    header = ["DATE", "FILES", "FINDINGS", "ERRORS", "WAIVED", *cols]
    rows = [header]
    prev: Snapshot | None = None
    for s in snaps:
        rows.append(
            [
                s.taken.replace("T", " "),
                str(s.files),
                f"{s.total}{_delta(s.total, prev.total if prev else None)}",
                str(s.by_severity.get("error", 0)),
                str(s.waived),
                *(_count_cell(s, prev, c) for c in cols),
            ]
        )
        prev = s
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    lines = [f"Trend across {len(snaps)} snapshot(s), {snaps[0].day} to {snaps[-1].day}", ""]
    lines += [
        "  ".join(
            c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True))
        ).rstrip()
        for r in rows
    ]
    first, last = snaps[0], snaps[-1]
    change = last.total - first.total
    word = "down" if change < 0 else "up" if change > 0 else "unchanged"
    lines += ["", f"Findings {word}{f' by {abs(change)}' if change else ''} since {first.day}."]
    return "\n".join(lines) + "\n"


# Colour-blind-safe palette (Okabe-Ito), so the chart reads in print and on projectors.
_PALETTE = ("#000000", "#E69F00", "#56B4E9", "#009E73", "#D55E00", "#0072B2", "#CC79A7", "#F0E442")


def _chart(snaps: Sequence[Snapshot], width: int = 720, height: int = 300) -> str:
    series = [("all findings", [s.total for s in snaps])]
    series += [(c, [s.by_standard.get(c, 0) for s in snaps]) for c in _standards(snaps)]
    top = max(1, *(v for _, vals in series for v in vals))
    left, right, upper, lower = 48, 160, 16, 40
    plot_w, plot_h = width - left - right, height - upper - lower
    step = plot_w / max(1, len(snaps) - 1)

    def xy(i: int, v: int) -> str:
        return f"{left + i * step:.1f},{upper + plot_h - v / top * plot_h:.1f}"

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="Findings over time">',
        f'<line x1="{left}" y1="{upper + plot_h}" x2="{left + plot_w}" y2="{upper + plot_h}" '
        'stroke="#999"/>',
        f'<line x1="{left}" y1="{upper}" x2="{left}" y2="{upper + plot_h}" stroke="#999"/>',
        f'<text x="{left - 6}" y="{upper + 4}" text-anchor="end" font-size="11">{top}</text>',
        f'<text x="{left - 6}" y="{upper + plot_h}" text-anchor="end" font-size="11">0</text>',
    ]
    for i, s in enumerate(snaps):
        if len(snaps) <= 12 or i in (0, len(snaps) - 1):
            parts.append(
                f'<text x="{left + i * step:.1f}" y="{height - lower + 16}" '
                f'text-anchor="middle" font-size="11">{html.escape(s.day)}</text>'
            )
    for n, (name, vals) in enumerate(series):
        colour = _PALETTE[n % len(_PALETTE)]
        points = " ".join(xy(i, v) for i, v in enumerate(vals))
        width_attr = 3 if n == 0 else 2
        parts.append(
            f'<polyline fill="none" stroke="{colour}" stroke-width="{width_attr}" '
            f'points="{points}"><title>{html.escape(name)}</title></polyline>'
        )
        parts += [
            f'<circle cx="{xy(i, v).split(",")[0]}" cy="{xy(i, v).split(",")[1]}" r="3" '
            f'fill="{colour}"><title>{html.escape(name)}: {v}</title></circle>'
            for i, v in enumerate(vals)
        ]
        ly = upper + 14 + n * 18
        parts.append(
            f'<rect x="{left + plot_w + 16}" y="{ly - 9}" width="12" height="12" '
            f'fill="{colour}"/><text x="{left + plot_w + 34}" y="{ly + 1}" '
            f'font-size="12">{html.escape(name)}</text>'
        )
    parts.append("</svg>")
    return "\n".join(parts)


def trend_html(snaps: Sequence[Snapshot], title: str = "Agreed standards over time") -> str:
    """One file, no scripts or external assets: safe to attach to an email to the client."""
    text = html.escape(trend_text(snaps))
    chart = _chart(snaps) if snaps else "<p>No snapshots yet.</p>"
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2rem; color: #222; }}
pre {{ background: #f6f6f6; padding: 1rem; overflow-x: auto; }}
</style>
</head>
<body>
<h1>{html.escape(title)}</h1>
<figure>
{chart}
<figcaption>Findings per standard at each snapshot (presend).</figcaption>
</figure>
<pre>{text}</pre>
</body>
</html>
"""
