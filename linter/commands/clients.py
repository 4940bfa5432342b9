"""`presend clients` and `presend rule <feature>`: caniemail clients, presets and features."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from linter.clients import PRESETS, data_source, get_feature, list_clients, load_data
from linter.clients.assess import QUIET_PARTIAL, WORD_ENGINE, enhancement
from linter.clients.support import format_gaps, support_for
from linter.clients.targets import resolve_targets


def table() -> str:
    """Client ids with names and tested versions, then presets and what they expand to."""
    source = data_source()
    out = [
        f"caniemail {source.version} (data {source.data_last_update})",
        "",
        "CLIENTS (id, name, versions tested; * = Word engine, obeys <!--[if mso]>)",
    ]
    for client in list_clients():
        versions = [str(v) for v in client.versions]
        shown = ", ".join(versions[:3] + (["…"] if len(versions) > 4 else versions[3:4]))
        if len(versions) > 4:
            shown += f", {versions[-1]}"
        mark = "*" if client.id in WORD_ENGINE else " "
        out.append(f" {mark}{client.id:<30} {client.name:<34} {shown}")
    out += ["", "PRESETS"]
    for preset in PRESETS.values():
        expanded = ", ".join(str(t) for t in resolve_targets([preset.name]))
        out.append(f"  {preset.name}: {preset.description}")
        out.append(
            textwrap.fill(f"= {expanded}", 88, initial_indent="    ", subsequent_indent="      ")
        )
        out.append(f"    source: {preset.source}")
    return "\n".join(out) + "\n"


def is_feature(ref: str) -> bool:
    return ref in load_data().features


def feature_slugs() -> list[str]:
    return sorted(load_data().features)


def explain_feature(slug: str, specs: Sequence[str]) -> str:
    """A caniemail feature: what it is, how presend judges it, support in the targets."""
    feature = get_feature(slug)
    targets = resolve_targets(specs)
    wrap = textwrap.TextWrapper(width=88, initial_indent="  ", subsequent_indent="  ")
    out = [f"{slug}: {feature.title} ({feature.category})", ""]
    if feature.description:
        out += [wrap.fill(feature.description), ""]
    if (graceful := enhancement(slug)) is not None:
        judged = f"CLS003 ignored-enhancement (info): {graceful}"
    elif slug in QUIET_PARTIAL:
        judged = "CLS001 when unsupported; partial support is not reported (a building block)"
    else:
        judged = "CLS001 when unsupported, CLS002 when only partly supported"
    out += ["Reported as:", wrap.fill(judged), "", f"Support in {', '.join(specs)}:"]
    rows = []
    for target in targets:
        stats = feature.stats.get(target.client, ())
        chosen = target.selector.select(stats)
        if not chosen:
            rows.append((str(target), "not tested"))
            continue
        cells = [
            f"{s.version} {s.support.value}{''.join(' #' + r for r in s.note_refs)}" for s in chosen
        ]
        rows.append((str(target), ", ".join(cells)))
    width = max((len(r[0]) for r in rows), default=0)
    out += [f"  {name:<{width}}  {cells}" for name, cells in rows]
    gaps = support_for(slug, targets)
    out += ["", "Clients that lose it:", wrap.fill(format_gaps(gaps) or "none")]
    if feature.notes_by_num:
        out += ["", "Notes:"]
        out += [
            textwrap.fill(f"#{num} {text}", 88, initial_indent="  ", subsequent_indent="     ")
            for num, text in feature.notes_by_num.items()
        ]
    out += ["", f"Source: {feature.url}"]
    return "\n".join(out) + "\n"


def configured_targets() -> tuple[str, ...]:
    """The target specs of the nearest presend.toml / pyproject.toml (default: global)."""
    from pathlib import Path

    from linter import catalogue, config

    path = config.discover(Path.cwd())
    return config.load(path, catalogue.load()).policy.clients.targets
