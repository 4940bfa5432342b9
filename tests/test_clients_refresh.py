"""The maintainer refresh script's change report and atomic write (no network)."""

from __future__ import annotations

import importlib.util
import sys
import tomllib
from pathlib import Path
from types import ModuleType

from linter.clients.data import Dataset, parse_dataset

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "refresh_caniemail.py"


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("refresh_caniemail", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("refresh_caniemail", module)
    spec.loader.exec_module(module)
    return module


def _dataset(features: dict[str, dict[str, dict[str, str]]]) -> Dataset:
    """Tiny caniemail JSON: slug -> client id -> version -> support."""
    data = []
    for slug, clients in features.items():
        stats: dict[str, dict[str, dict[str, str]]] = {}
        for client, versions in clients.items():
            family, platform = client.split(".")
            stats.setdefault(family, {})[platform] = versions
        data.append({"slug": slug, "title": slug, "category": "css", "stats": stats})
    return parse_dataset({"nicenames": {"family": {}, "platform": {}}, "data": data})


def test_change_report_names_features_and_client_support_changes() -> None:
    old = _dataset(
        {
            "css-a": {"gmail.ios": {"2023-01": "a #1"}, "outlook.windows": {"2016": "n"}},
            "css-gone": {"gmail.ios": {"2023-01": "y"}},
        }
    )
    new = _dataset(
        {
            "css-a": {
                "gmail.ios": {"2023-01": "a #1", "2026-04": "y"},
                "outlook.windows": {"2016": "n", "2019": "n"},  # newer test, same support
                "yahoo.ios": {"2026-04": "n"},
            },
            "css-new": {"gmail.ios": {"2026-04": "y"}},
        }
    )
    lines = list(_script().describe_changes(old, new))
    assert lines == [
        "features: 2 -> 2",
        "added: css-new",
        "removed: css-gone",
        "css-a: gmail.ios a #1 -> y (2026-04); yahoo.ios new: n",
    ]


def test_change_report_uses_real_version_order() -> None:
    # "10" is newest; a string sort would still take "9" (y) as newest and see no change.
    old = _dataset({"css-a": {"gmail.android": {"9": "y"}}})
    new = _dataset({"css-a": {"gmail.android": {"9": "y", "10": "n"}}})
    assert list(_script().describe_changes(old, new))[-1] == "css-a: gmail.android y -> n (10)"


def test_write_atomically_replaces_and_leaves_no_temp_files(tmp_path: Path) -> None:
    target = tmp_path / "caniemail.json"
    target.write_bytes(b"old")
    _script().write_atomically(target, b"new")
    assert target.read_bytes() == b"new"
    assert [p.name for p in tmp_path.iterdir()] == ["caniemail.json"]


def test_version_file_is_read_back_by_the_loader(tmp_path: Path) -> None:
    script = _script()
    dataset = _dataset({"css-a": {"gmail.ios": {"2026-04": "y"}}})
    pack = {"filename": "caniemail-9.9.9.tgz", "version": "9.9.9", "integrity": "sha512-x"}
    record = tomllib.loads(script.version_file(pack, b"{}", dataset))
    assert record["version"] == "9.9.9"
    assert record["sha256"] == "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"
    assert set(record) >= {"package", "fetched", "data_last_update", "integrity"}
