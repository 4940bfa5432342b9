"""Target specs, version selectors and presets."""

from __future__ import annotations

import pytest

from linter.clients.data import get_feature, load_data
from linter.clients.targets import PRESETS, Mode, Target, resolve_targets


def _clients(*specs: str) -> list[str]:
    return [t.client for t in resolve_targets(specs)]


def test_family_glob_expands_to_every_platform() -> None:
    assert _clients("gmail.*") == [
        "gmail.android",
        "gmail.desktop-webmail",
        "gmail.ios",
        "gmail.mobile-webmail",
    ]


def test_platform_glob() -> None:
    ios = _clients("*.ios")
    assert "apple-mail.ios" in ios
    assert all(c.endswith(".ios") for c in ios)


def test_exact_id_defaults_to_current() -> None:
    (target,) = resolve_targets(["outlook.windows"])
    assert target == Target("outlook.windows")
    assert target.selector.mode is Mode.CURRENT


def test_duplicates_are_dropped_in_first_seen_order() -> None:
    assert _clients("outlook.windows", "gmail.ios", "outlook.windows") == [
        "outlook.windows",
        "gmail.ios",
    ]


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("outlook.windows", ["2019"]),
        ("outlook.windows@current", ["2019"]),
        ("outlook.windows@all", ["2007", "2010", "2013", "2016", "2019"]),
        ("outlook.windows>=2013", ["2013", "2016", "2019"]),
        ("outlook.windows>2013", ["2016", "2019"]),
        ("outlook.windows<=2010", ["2007", "2010"]),
        ("outlook.windows<2010", ["2007"]),
        ("outlook.windows=2016", ["2016"]),
        ("outlook.windows@2010..2016", ["2010", "2013", "2016"]),
    ],
)
def test_selectors_pick_versions(spec: str, expected: list[str]) -> None:
    (target,) = resolve_targets([spec])
    results = get_feature("css-display-flex").stats["outlook.windows"]
    assert [r.version.raw for r in target.selector.select(results)] == expected
    assert str(target) == spec.removesuffix("@current")


def test_selector_uses_real_order_not_string_order() -> None:
    (target,) = resolve_targets(["thunderbird.macos>=91"])
    results = get_feature("html-style").stats["thunderbird.macos"]
    # "102.7" < "91" as strings; it is newer.
    assert [r.version.raw for r in target.selector.select(results)] == ["102.7"]


def test_other_scheme_versions_are_placed_by_their_neighbours() -> None:
    results = get_feature("css-animation").stats["outlook.macos"]  # 2011, 2016, 16.80
    (newer,) = resolve_targets(["outlook.macos>=2016"])
    (older,) = resolve_targets(["outlook.macos<=2011"])
    assert [r.version.raw for r in newer.selector.select(results)] == ["2016", "16.80"]
    assert [r.version.raw for r in older.selector.select(results)] == ["2011"]


def test_global_preset_expands_to_the_market_share_leaders() -> None:
    targets = resolve_targets(["global"])
    clients = [t.client for t in targets]
    assert {"apple-mail.ios", "apple-mail.macos", "gmail.desktop-webmail", "gmail.android"} <= set(
        clients
    )
    assert {"outlook.windows", "outlook.outlook-com", "yahoo.desktop-webmail"} <= set(clients)
    assert "orange.ios" not in clients
    windows = next(t for t in targets if t.client == "outlook.windows")
    assert str(windows) == "outlook.windows>=2013"


def test_every_preset_resolves_and_documents_its_source() -> None:
    known = set(load_data().clients)
    for name, preset in PRESETS.items():
        assert preset.name == name
        assert preset.source
        assert {t.client for t in resolve_targets([name])} <= known


def test_mobile_preset_is_only_mobile() -> None:
    platforms = {c.split(".")[1] for c in _clients("mobile")}
    assert platforms <= {"ios", "android", "mobile-webmail"}


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("gmial.*", 'did you mean "gmail.*"'),
        ("outlok.windows", 'did you mean "outlook.windows"'),
        ("globl", 'did you mean "global"'),
        ("gmail", 'did you mean "gmail.*"'),
        ("outlook.windows>=16", "numbered like '16'"),
        ("outlook.windows@2019..2013", "runs backwards"),
        ("outlook.windows@newest", "expected '@current', '@all' or '@OLD..NEW'"),
        ("outlook windows", "unknown target"),
    ],
)
def test_bad_specs_explain_themselves(spec: str, message: str) -> None:
    with pytest.raises(ValueError, match=message.replace(".", r"\.").replace("*", r"\*")):
        resolve_targets([spec])
