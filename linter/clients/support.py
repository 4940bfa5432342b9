"""Which target clients lose a feature, and a compact one-line summary of them."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

from linter.clients.data import Feature, Support, VersionStat, get_feature
from linter.clients.targets import Mode, Target
from linter.lazyre import on_first_use

__all__ = ["ClientGap", "format_gaps", "support_for"]

_LINK = re.compile(r"\[([^\]]+)\]\([^)\s]+\)")
_REPORTED = (Support.NO, Support.PARTIAL)


class ClientGap(NamedTuple):
    """One target client that does not fully support a feature.

    ``support`` is NO or PARTIAL. ``versions`` are the affected versions among
    those the targets selected, oldest first; ``spans`` groups them into runs of
    consecutive selected versions ("2013", "2021") for display. ``by_current``
    is True when every target for this client judges by its newest version only,
    so the version is a test date rather than something the user chose, and
    is not shown. ``notes`` are caniemail's note texts the affected versions
    cite, links reduced to their text.
    """

    client: str
    support: Support
    versions: tuple[str, ...]
    spans: tuple[tuple[str, str], ...]
    notes: tuple[str, ...]
    by_current: bool


def support_for(feature_slug: str, targets: Sequence[Target]) -> list[ClientGap]:
    """Gaps for ``feature_slug`` in ``targets``, unsupported before partial per client.

    A client caniemail never tested for the feature, or marks "u", gives no gap:
    presend reports what is known to break. KeyError for an unknown slug.
    """
    feature = get_feature(feature_slug)
    gaps: list[ClientGap] = []
    for client, selectors in _by_client(targets).items():
        selected = _union(feature.stats.get(client, ()), selectors)
        if not selected:  # caniemail never tested the feature there: no gap
            continue
        by_current = all(t.selector.mode is Mode.CURRENT for t in selectors)
        for support in _REPORTED:
            gap = _gap(feature, client, selected, support, by_current)
            if gap is not None:
                gaps.append(gap)
    return gaps


_PARTIAL_LEAD = on_first_use(r"^partial(?: support)?\s*[.:]\s*", re.IGNORECASE)


def format_gaps(gaps: Sequence[ClientGap]) -> str:
    """Summarise gaps on one line, grouping clients that lose the feature the same way.

    Version runs are joined with an en dash (shown here as "-"):

    ``outlook.windows 2013-2019, outlook.windows-mail (unsupported); gmail.android,
    gmail.ios (partial: Not supported with non Google accounts.)``
    """
    groups: dict[tuple[Support, tuple[str, ...]], list[str]] = {}
    for gap in sorted(gaps, key=lambda g: _REPORTED.index(g.support)):
        groups.setdefault((gap.support, gap.notes), []).append(_client_label(gap))
    parts = []
    for (support, notes), labels in groups.items():
        how = support.label
        if support is Support.PARTIAL and notes:
            # caniemail's notes often start "Partial." themselves: say it once.
            how = f"{how}: {' '.join(_PARTIAL_LEAD().sub('', note) for note in notes)}"
        parts.append(f"{', '.join(labels)} ({how})")
    return "; ".join(parts)


def _by_client(targets: Sequence[Target]) -> dict[str, list[Target]]:
    grouped: dict[str, list[Target]] = {}
    for target in targets:
        grouped.setdefault(target.client, []).append(target)
    return grouped


def _union(results: Sequence[VersionStat], targets: Sequence[Target]) -> list[VersionStat]:
    """Results any of the client's targets selects, kept in chronological order."""
    if len(targets) == 1:  # most clients: its one selection, in order and without repeats
        return list(targets[0].selector.select(results))
    chosen = {r for t in targets for r in t.selector.select(results)}
    return [r for r in results if r in chosen]


def _gap(
    feature: Feature,
    client: str,
    selected: Sequence[VersionStat],
    support: Support,
    by_current: bool,
) -> ClientGap | None:
    hit = [r.support is support for r in selected]
    if not any(hit):
        return None
    affected = [r for r, h in zip(selected, hit, strict=True) if h]
    refs = tuple(dict.fromkeys(ref for r in affected for ref in r.note_refs))
    return ClientGap(
        client=client,
        support=support,
        versions=tuple(str(r.version) for r in affected),
        spans=_spans(selected, hit),
        notes=tuple(_LINK.sub(r"\1", note) for note in feature.notes(refs)),
        by_current=by_current,
    )


def _spans(selected: Sequence[VersionStat], hit: Sequence[bool]) -> tuple[tuple[str, str], ...]:
    """Runs of consecutive hits, as (first, last) version labels."""
    spans: list[tuple[str, str]] = []
    start: int | None = None
    for index, flag in enumerate([*hit, False]):
        if flag and start is None:
            start = index
        elif not flag and start is not None:
            spans.append((str(selected[start].version), str(selected[index - 1].version)))
            start = None
    return tuple(spans)


def _client_label(gap: ClientGap) -> str:
    if gap.by_current:
        return gap.client
    runs = [first if first == last else f"{first}\N{EN DASH}{last}" for first, last in gap.spans]
    return f"{gap.client} {' & '.join(runs)}"
