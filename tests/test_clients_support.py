"""Support lookup and the compact one-line summary."""

from __future__ import annotations

import pytest

from linter.clients.data import Support
from linter.clients.support import ClientGap, format_gaps, support_for
from linter.clients.targets import resolve_targets


def test_flex_in_global_names_unsupported_and_partial_clients() -> None:
    gaps = support_for("css-display-flex", resolve_targets(["global"]))
    by_client = {g.client: g for g in gaps}
    assert by_client["outlook.windows"].support is Support.NO
    assert by_client["outlook.windows"].versions == ("2013", "2016", "2019")
    assert by_client["gmail.android"].support is Support.PARTIAL
    assert by_client["gmail.android"].notes == ("Not supported with non Google accounts.",)
    assert "apple-mail.ios" not in by_client  # supported
    assert format_gaps(gaps) == (
        "outlook.windows 2013\N{EN DASH}2019, outlook.windows-mail (unsupported); "
        "gmail.android, gmail.ios (partial: Not supported with non Google accounts.)"
    )


def test_current_only_ignores_old_unsupported_versions() -> None:
    # Yahoo Android lacked AMP in 2019-10 and has it since 2022-12.
    assert support_for("amp", resolve_targets(["yahoo.android"])) == []


def test_widened_range_reports_old_versions() -> None:
    gaps = support_for("css-display-flex", resolve_targets(["outlook.windows@all"]))
    assert [g.versions for g in gaps] == [("2007", "2010", "2013", "2016", "2019")]
    assert format_gaps(gaps) == "outlook.windows 2007\N{EN DASH}2019 (unsupported)"


def test_judged_by_current_hides_test_dates() -> None:
    (gap,) = support_for("css-display-flex", resolve_targets(["gmail.android"]))
    assert gap.by_current
    assert len(gap.versions) == 1
    assert format_gaps([gap]).startswith("gmail.android (partial")


def test_current_uses_real_order_where_string_order_says_supported() -> None:
    # String order would take Outlook for Mac "2016" (y) as latest; 16.80 is n.
    (gap,) = support_for("css-animation", resolve_targets(["outlook.macos"]))
    assert gap.support is Support.NO
    assert gap.versions == ("16.80",)


def test_supported_and_untested_clients_give_no_gap() -> None:
    assert support_for("html-style", resolve_targets(["apple-mail.ios"])) == []
    assert support_for("amp", resolve_targets(["wp-pl.desktop-webmail"])) == []


def test_gaps_follow_target_order() -> None:
    gaps = support_for("css-position", resolve_targets(["yahoo.ios", "outlook.windows"]))
    assert [g.client for g in gaps] == ["yahoo.ios", "outlook.windows"]


def test_non_contiguous_versions_become_separate_spans() -> None:
    gap = ClientGap(
        client="outlook.windows",
        support=Support.NO,
        versions=("2007", "2013", "2016"),
        spans=(("2007", "2007"), ("2013", "2016")),
        notes=(),
        by_current=False,
    )
    assert format_gaps([gap]) == "outlook.windows 2007 & 2013\N{EN DASH}2016 (unsupported)"


def test_spans_skip_supported_versions_in_the_selection() -> None:
    # Yahoo desktop: amp is y at every version, so none of it is a gap.
    assert support_for("amp", resolve_targets(["yahoo.desktop-webmail@all"])) == []
    (gap,) = support_for("amp", resolve_targets(["yahoo.android@all"]))
    assert gap.spans == (("2019-10", "2019-10"),)


def test_markdown_links_in_notes_become_text() -> None:
    # caniemail: "Buggy. Only supports [color keywords from CSS Level 1](https://...)."
    (gap,) = support_for("css-background-color", resolve_targets(["orange.ios"]))
    assert gap.support is Support.PARTIAL
    assert any("color keywords from CSS Level 1" in n for n in gap.notes)
    assert not any("](" in n or "https://" in n for n in gap.notes)


def test_unsupported_groups_come_first_in_the_summary() -> None:
    text = format_gaps(support_for("css-display-flex", resolve_targets(["gmail.ios", "global"])))
    assert text.index("(unsupported)") < text.index("(partial")


def test_empty_gaps_format_to_empty_string() -> None:
    assert format_gaps([]) == ""


def test_unknown_feature() -> None:
    with pytest.raises(KeyError):
        support_for("css-nope", resolve_targets(["global"]))


def test_one_target_s_selection_is_its_client_s_union() -> None:
    """support_for takes a client's one target's selection as it is: the union it stands
    for keeps results in their order, once each, and no client lists a result twice."""
    from linter.clients.data import load_data
    from linter.clients.support import _union

    targets = resolve_targets(("global", "outlook.windows>=2013", "apple-mail.*@all"))
    by_client: dict[str, list] = {}
    for target in targets:
        by_client.setdefault(target.client, []).append(target)
    for feature in load_data().features.values():
        for client, results in feature.stats.items():
            assert len(set(results)) == len(results), (feature.slug, client)
            for chosen in by_client.get(client, []):
                picked = {r for r in chosen.selector.select(results)}
                assert _union(results, [chosen]) == [r for r in results if r in picked]
