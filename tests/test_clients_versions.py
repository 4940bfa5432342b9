"""Version parsing and ordering: real semantics, never string order."""

from __future__ import annotations

import pytest

from linter.clients.data import load_data
from linter.clients.versions import Scheme, chronological, parse_version, version_key


@pytest.mark.parametrize(
    ("older", "newer"),
    [
        ("9", "10"),  # string order puts "10" first
        ("16.4", "16.10"),
        ("16.80", "16.103"),  # Outlook for Mac builds
        ("60.3", "102.7"),  # Thunderbird
        ("6.1.31.2", "6.1.42.0"),
        ("137.0b3", "137.0"),  # a beta comes before its release
        ("137.0", "137.0.1"),
        ("2019-10", "2020-01"),
        ("2016", "2019"),
        ("2019", "2019-02"),  # a product year sorts before that year's tests
    ],
)
def test_real_order(older: str, newer: str) -> None:
    assert version_key(older) < version_key(newer)


@pytest.mark.parametrize(("a", "b"), [("13", "13.0"), ("6.1.31.", "6.1.31"), ("14", "14.0.0")])
def test_equal_versions_share_a_key(a: str, b: str) -> None:
    assert parse_version(a).key == parse_version(b).key


@pytest.mark.parametrize(
    ("raw", "scheme"),
    [
        ("2016", Scheme.CALENDAR),
        ("2023-04", Scheme.CALENDAR),
        ("16.80", Scheme.RELEASE),
        ("10", Scheme.RELEASE),
        ("16005.13426.20316.0", Scheme.RELEASE),
        ("137.0b3", Scheme.RELEASE),
        ("beta-2", Scheme.OTHER),
    ],
)
def test_scheme(raw: str, scheme: Scheme) -> None:
    assert parse_version(raw).scheme is scheme


def test_other_versions_sort_naturally() -> None:
    labels = ["build-10", "build-9", "build-10a"]
    assert sorted(labels, key=version_key) == ["build-9", "build-10", "build-10a"]


def test_sorting_fixes_string_order_on_a_real_client() -> None:
    apple_ios = [v.raw for v in load_data().clients["apple-mail.ios"].versions]
    releases = [v for v in apple_ios if parse_version(v).scheme is Scheme.RELEASE]
    assert releases.index("6.1") < releases.index("10") < releases.index("16.4")
    assert releases[-1] == "26"  # the string sort would end on "6.1"
    assert sorted(releases)[-1] == "6.1"


def test_chronological_sorts_within_a_scheme_and_keeps_scheme_slots() -> None:
    labels = ["2011", "2016", "16.80", "2024-02"]
    assert chronological(labels, parse_version) == labels
    # Slips inside one scheme are fixed; "16.80" keeps its slot between dates.
    assert chronological(["2024-04", "16.80", "2024-01"], parse_version) == [
        "2024-01",
        "16.80",
        "2024-04",
    ]


def test_current_differs_from_string_sort_where_caniemail_gets_it_wrong() -> None:
    """Outlook for Mac: caniemail's string sort takes "2016" (y) as latest, not build 16.80 (n)."""
    results = load_data().features["css-animation"].stats["outlook.macos"]
    assert [r.version.raw for r in results] == ["2011", "2016", "16.80"]
    assert max(r.version.raw for r in results) == "2016"
    assert results[-1].support.value == "n"


def test_every_feature_client_is_in_chronological_order_within_schemes() -> None:
    for feature in load_data().features.values():
        for results in feature.stats.values():
            for scheme in Scheme:
                versions = [r.version for r in results if r.version.scheme is scheme]
                assert versions == sorted(versions), (feature.slug, versions)
