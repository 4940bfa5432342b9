"""Loading the vendored caniemail data."""

from __future__ import annotations

import hashlib
from importlib import resources

import pytest

from linter.clients.data import (
    TABLES_FILE,
    Support,
    data_source,
    dump_tables,
    get_feature,
    list_clients,
    load_data,
    load_tables,
    parse_dataset,
    parse_vendored_json,
    tables_from_dataset,
    tables_to_dataset,
)


def test_vendored_file_matches_its_recorded_checksum() -> None:
    path = resources.files("linter").joinpath("data", "caniemail", "caniemail.json")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    assert digest == data_source().sha256
    assert data_source().package == "caniemail"
    assert load_data().last_update_date == data_source().data_last_update


def test_shipped_tables_equal_a_fresh_build_from_the_json() -> None:
    """tables.pickle is what start-up reads: it must be the JSON, parsed now. When this
    fails, run `python scripts/refresh_caniemail.py --tables`."""
    fresh = parse_vendored_json()
    shipped = resources.files("linter").joinpath("data", "caniemail", TABLES_FILE).read_bytes()
    assert load_tables(shipped) == tables_from_dataset(fresh)
    assert load_data() == fresh  # the records rebuilt from the tables, feature by feature


def test_tables_round_trip_and_refuse_code() -> None:
    import pickle

    fresh = parse_vendored_json()
    assert tables_to_dataset(load_tables(dump_tables(tables_from_dataset(fresh)))) == fresh
    with pytest.raises(pickle.UnpicklingError, match="data only"):
        load_tables(pickle.dumps((1, print)))  # a callable in the file is never resolved
    with pytest.raises(ValueError, match="not format"):
        load_tables(pickle.dumps((99,)))


def test_licence_is_vendored() -> None:
    licence = resources.files("linter").joinpath("data", "caniemail", "LICENSE").read_text()
    assert "MIT License" in licence


def test_load_is_cached() -> None:
    assert load_data() is load_data()


def test_features_cover_all_categories() -> None:
    features = load_data().features
    assert len(features) > 250
    assert {f.category for f in features.values()} >= {"css", "html", "image"}


def test_partial_support_keeps_note_refs_and_text() -> None:
    flex = get_feature("css-display-flex")
    assert flex.category == "css"
    assert flex.url == "https://www.caniemail.com/features/css-display-flex/"
    current = flex.current("gmail.android")
    assert current is not None
    assert current.support is Support.PARTIAL
    assert current.note_refs == ("1",)
    assert flex.notes(current.note_refs) == ("Not supported with non Google accounts.",)


def test_multiple_note_refs_are_parsed() -> None:
    media = get_feature("css-at-media")
    refs = {r.note_refs for r in media.stats["gmail.android"]}
    assert ("1", "6", "7") in refs


def test_untested_client_has_no_current() -> None:
    assert get_feature("amp").current("wp-pl.desktop-webmail") is None


def test_unknown_feature_suggests_close_slugs() -> None:
    with pytest.raises(KeyError, match="css-display-flex"):
        get_feature("css-display-flx")


def test_clients_have_ids_names_and_real_ordered_versions() -> None:
    clients = {c.id: c for c in list_clients()}
    assert {"gmail.desktop-webmail", "outlook.windows", "apple-mail.ios"} <= set(clients)
    windows = clients["outlook.windows"]
    assert (windows.family, windows.platform, windows.name) == (
        "outlook",
        "windows",
        "Outlook Windows",
    )
    years = [v.raw for v in windows.versions]
    assert years[:4] == ["2003", "2007", "2010", "2013"]
    assert windows.feature_count > 250
    assert [c.id for c in list_clients()] == sorted(clients)


def test_bad_support_value_names_the_place() -> None:
    raw = {
        "nicenames": {"family": {}, "platform": {}},
        "data": [
            {
                "slug": "css-x",
                "title": "x",
                "category": "css",
                "stats": {"gmail": {"ios": {"2020-01": "maybe"}}},
            }
        ],
    }
    with pytest.raises(ValueError, match=r"css-x.*gmail\.ios 2020-01.*'maybe'"):
        parse_dataset(raw)


def test_missing_data_list_is_rejected() -> None:
    with pytest.raises(ValueError, match="data: expected a list"):
        parse_dataset({"nicenames": {"family": {}, "platform": {}}})
