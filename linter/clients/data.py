"""Load the vendored caniemail data into frozen, typed records.

Parsing and checking the JSON costs ~0.25 s, more than linting a template, so
``scripts/refresh_caniemail.py`` also writes ``tables.pickle``: the parsed dataset as
plain tuples and strings (no classes: loading it runs no code), with every client's
results already in chronological order. :func:`load_data` reads that (a few ms), and
a feature's per-client results become :class:`VersionStat` records only when asked
for. ``tests/test_clients_data.py`` checks the shipped tables equal a fresh build.

Client ids are ``family.platform`` (``outlook.windows``), the same names caniemail's
own tooling and doiuse-email accept, so targets carry over between the tools.
"""

from __future__ import annotations

import json
import pickle
from collections.abc import Iterator, Mapping
from enum import Enum
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple, cast

from linter.clients.versions import Version, chronological, parse_version
from linter.lazyre import on_first_use
from linter.suggest import close_matches

__all__ = [
    "ClientInfo",
    "DataSource",
    "Dataset",
    "Feature",
    "Support",
    "VersionStat",
    "data_source",
    "get_feature",
    "list_clients",
    "load_data",
    "parse_dataset",
    "tables_from_dataset",
    "tables_to_dataset",
]

_SUPPORT = on_first_use(r"(?P<kind>[ynau])(?P<refs>(?:\s+#\d+)*)")
_DATA_DIR = ("data", "caniemail")
TABLES_FILE = "tables.pickle"
TABLES_FORMAT = 1  # bump when the tuple layout below changes


class Support(Enum):
    """caniemail's support letter for one client version."""

    YES = "y"
    NO = "n"
    PARTIAL = "a"
    UNKNOWN = "u"

    @property
    def label(self) -> str:
        """Word used in findings ("unsupported", "partial")."""
        return _LABELS[self]


_LABELS = {
    Support.YES: "supported",
    Support.NO: "unsupported",
    Support.PARTIAL: "partial",
    Support.UNKNOWN: "unknown",
}


# Support by letter: a dict lookup, where Support(letter) runs Enum's call machinery
# (~1 µs, for ~2,000 results a template reads).
_BY_LETTER: Mapping[str, Support] = MappingProxyType({s.value: s for s in Support})


class VersionStat(NamedTuple):
    """Support of a feature in one version of one client, with its note numbers."""

    version: Version
    support: Support
    note_refs: tuple[str, ...]


class Feature(NamedTuple):
    """One caniemail feature page (``css-display-flex``, ``html-style``, ``image-webp``).

    ``stats`` maps client id to its results, oldest first (see
    :func:`linter.clients.versions.chronological`). ``notes_by_num`` holds the
    numbered notes that partial results cite; ``general_note`` the page-wide note.
    """

    slug: str
    title: str
    category: str
    description: str
    url: str
    keywords: tuple[str, ...]
    last_test_date: str
    general_note: str
    notes_by_num: Mapping[str, str]
    stats: Mapping[str, tuple[VersionStat, ...]]

    def current(self, client: str) -> VersionStat | None:
        """The newest result for ``client``, or None when caniemail never tested it."""
        results = self.stats.get(client, ())
        return results[-1] if results else None

    def notes(self, refs: tuple[str, ...]) -> tuple[str, ...]:
        """Note texts for ``refs``; a ref the page does not define is skipped."""
        return tuple(self.notes_by_num[r] for r in refs if r in self.notes_by_num)


class ClientInfo(NamedTuple):
    """A client id with its display name and every version caniemail tested."""

    id: str
    family: str
    platform: str
    name: str
    versions: tuple[Version, ...]
    feature_count: int


class DataSource(NamedTuple):
    """Where the vendored data came from (``linter/data/caniemail/VERSION``)."""

    package: str
    version: str
    fetched: str
    sha256: str
    data_last_update: str


class Dataset(NamedTuple):
    """The whole caniemail file: features by slug and clients by id."""

    api_version: str
    last_update_date: str
    features: Mapping[str, Feature]
    clients: Mapping[str, ClientInfo]
    category_names: Mapping[str, str]


@cache
def load_data() -> Dataset:
    """The vendored caniemail data, from its prepared tables (once per process)."""
    return tables_to_dataset(load_tables(_data_file(TABLES_FILE).read_bytes()))


def parse_vendored_json() -> Dataset:
    """Parse ``caniemail.json`` itself: what the tables are built from."""
    return parse_dataset(json.loads(_data_file("caniemail.json").read_text(encoding="utf-8")))


# -- prepared tables ---------------------------------------------------------------------
StatRow = tuple[str, str, tuple[str, ...]]  # (version, support letter, note refs)
ClientRow = tuple[str, str, str, str, tuple[str, ...], int]  # ClientInfo's fields
# Feature's fields in order, stats as ((client, (StatRow, ...) oldest first), ...)
FeatureRow = tuple[
    str, str, str, str, str, tuple[str, ...], str, str, dict[str, str],
    tuple[tuple[str, tuple[StatRow, ...]], ...],
]  # fmt: skip
# (format, api_version, last_update_date, category_names, clients, features)
Tables = tuple[int, str, str, dict[str, str], tuple[ClientRow, ...], tuple[FeatureRow, ...]]


class _PlainUnpickler(pickle.Unpickler):
    """Refuses any class or function: the tables are builtins only."""

    def find_class(self, module: str, name: str) -> object:
        raise pickle.UnpicklingError(f"caniemail tables name {module}.{name}; expected data only")


def load_tables(blob: bytes) -> Tables:
    """Decode prepared tables; ValueError when they are of another format."""
    import io

    tables = _PlainUnpickler(io.BytesIO(blob)).load()
    if not isinstance(tables, tuple) or not tables or tables[0] != TABLES_FORMAT:
        raise ValueError(f"{TABLES_FILE}: not format {TABLES_FORMAT}; run the refresh script")
    return cast(Tables, tables)


def dump_tables(tables: Tables) -> bytes:
    """Encode tables (protocol 4: readable by every Python presend supports). Equal strings
    (client ids, version labels, support letters) are made one object first, so the pickle
    holds each once and loading allocates each once: 36 % smaller, ~15 % faster to load."""
    shared: dict[str, str] = {}

    def share(value: Any) -> Any:
        if isinstance(value, str):
            return shared.setdefault(value, value)
        if isinstance(value, tuple):
            return tuple(share(v) for v in value)
        if isinstance(value, dict):
            return {share(k): share(v) for k, v in value.items()}
        return value

    return pickle.dumps(share(tables), protocol=4)


def tables_from_dataset(data: Dataset) -> Tables:
    """The plain-data form of ``data`` that :func:`tables_to_dataset` turns back."""
    clients = tuple(
        (c.id, c.family, c.platform, c.name, tuple(v.raw for v in c.versions), c.feature_count)
        for c in data.clients.values()
    )
    features = tuple(
        (
            f.slug,
            f.title,
            f.category,
            f.description,
            f.url,
            f.keywords,
            f.last_test_date,
            f.general_note,
            dict(f.notes_by_num),
            tuple(
                (client, tuple((s.version.raw, s.support.value, s.note_refs) for s in results))
                for client, results in f.stats.items()
            ),
        )
        for f in data.features.values()
    )
    return (
        TABLES_FORMAT,
        data.api_version,
        data.last_update_date,
        dict(data.category_names),
        clients,
        features,
    )


def tables_to_dataset(tables: Tables) -> Dataset:
    """Rebuild the :class:`Dataset`; per-client results stay raw until read."""
    _, api_version, last_update, categories, clients, features = tables
    return Dataset(
        api_version=str(api_version),
        last_update_date=str(last_update),
        features=MappingProxyType({row[0]: _feature_from_row(row) for row in features}),
        clients=MappingProxyType(
            {
                cid: ClientInfo(cid, fam, plat, name, tuple(map(parse_version, versions)), count)
                for cid, fam, plat, name, versions, count in clients
            }
        ),
        category_names=MappingProxyType(categories),
    )


def _feature_from_row(row: FeatureRow) -> Feature:
    # The row holds Feature's fields in order; the last two become read-only mappings.
    return Feature(*row[:8], MappingProxyType(row[8]), _LazyStats(dict(row[9])))


class _LazyStats(Mapping[str, tuple[VersionStat, ...]]):
    """A feature's results per client, made into records on first read of each client."""

    __slots__ = ("_done", "_raw")

    def __init__(self, raw: dict[str, tuple[StatRow, ...]]) -> None:
        self._raw = raw
        self._done: dict[str, tuple[VersionStat, ...]] = {}

    def __getitem__(self, client: str) -> tuple[VersionStat, ...]:
        done = self._done.get(client)
        if done is None:
            done = tuple(
                VersionStat(parse_version(version), _BY_LETTER[letter], refs)
                for version, letter, refs in self._raw[client]
            )
            self._done[client] = done
        return done

    def __iter__(self) -> Iterator[str]:
        return iter(self._raw)

    def __len__(self) -> int:
        return len(self._raw)

    def __contains__(self, client: object) -> bool:
        return client in self._raw


def version_text() -> str:
    """The data's VERSION file as written: all the cache's key needs of it, without TOML."""
    return _data_file("VERSION").read_text(encoding="utf-8")


@cache
def data_source() -> DataSource:
    """Provenance of the vendored data, read from its VERSION file (the cache's key and
    `presend clients` ask; tomllib is imported then, not by every run)."""
    import tomllib

    raw = tomllib.loads(version_text())
    return DataSource(
        package=str(raw["package"]),
        version=str(raw["version"]),
        fetched=str(raw["fetched"]),
        sha256=str(raw["sha256"]),
        data_last_update=str(raw["data_last_update"]),
    )


def get_feature(slug: str) -> Feature:
    """The feature called ``slug``; KeyError names close slugs when it is unknown."""
    features = load_data().features
    try:
        return features[slug]
    except KeyError:
        close = close_matches(slug, features, n=3)
        hint = f" (did you mean {', '.join(repr(c) for c in close)}?)" if close else ""
        raise KeyError(f"unknown caniemail feature {slug!r}{hint}") from None


def list_clients() -> list[ClientInfo]:
    """Every client id caniemail has results for, sorted by id."""
    return sorted(load_data().clients.values(), key=lambda c: c.id)


def parse_dataset(raw: object) -> Dataset:
    """Build a :class:`Dataset` from decoded caniemail JSON; ValueError names the bad spot."""
    root = _mapping(raw, "caniemail.json")
    nicenames = _mapping(root.get("nicenames"), "nicenames")
    families = _str_mapping(nicenames.get("family"), "nicenames.family")
    platforms = _str_mapping(nicenames.get("platform"), "nicenames.platform")
    features: dict[str, Feature] = {}
    for index, item in enumerate(_list(root.get("data"), "data")):
        feature = _parse_feature(_mapping(item, f"data[{index}]"), f"data[{index}]")
        features[feature.slug] = feature
    return Dataset(
        api_version=str(root.get("api_version", "")),
        last_update_date=str(root.get("last_update_date", "")),
        features=MappingProxyType(features),
        clients=MappingProxyType(_collect_clients(features, families, platforms)),
        category_names=MappingProxyType(
            _str_mapping(nicenames.get("category", {}), "nicenames.category")
        ),
    )


def _parse_feature(item: Mapping[str, object], where: str) -> Feature:
    slug = _str(item.get("slug"), f"{where}.slug")
    where = f"feature {slug!r}"
    stats: dict[str, tuple[VersionStat, ...]] = {}
    for family, platforms in _mapping(item.get("stats"), f"{where}.stats").items():
        for platform, versions in _mapping(platforms, f"{where}.stats.{family}").items():
            client = f"{family}.{platform}"
            results = [
                _parse_stat(version, value, f"{where}: {client} {version}")
                for version, value in _mapping(versions, f"{where}: {client}").items()
            ]
            stats[client] = tuple(chronological(results, lambda s: s.version))
    notes = item.get("notes_by_num") or {}
    keywords = str(item.get("keywords") or "")
    return Feature(
        slug=slug,
        title=_str(item.get("title"), f"{where}.title"),
        category=_str(item.get("category"), f"{where}.category"),
        description=str(item.get("description") or ""),
        url=str(item.get("url") or ""),
        keywords=tuple(k.strip() for k in keywords.split(",") if k.strip()),
        last_test_date=str(item.get("last_test_date") or ""),
        general_note=str(item.get("notes") or ""),
        notes_by_num=MappingProxyType(_str_mapping(notes, f"{where}.notes_by_num")),
        stats=MappingProxyType(stats),
    )


def _parse_stat(version: str, value: object, where: str) -> VersionStat:
    match = _SUPPORT().fullmatch(_str(value, where).strip())
    if match is None:
        raise ValueError(f"{where}: expected 'y', 'n', 'a' or 'u' then '#N' notes, got {value!r}")
    refs = tuple(ref.lstrip("#") for ref in match["refs"].split())
    return VersionStat(parse_version(version), Support(match["kind"]), refs)


def _collect_clients(
    features: Mapping[str, Feature], families: Mapping[str, str], platforms: Mapping[str, str]
) -> dict[str, ClientInfo]:
    versions: dict[str, set[Version]] = {}
    counts: dict[str, int] = {}
    for feature in features.values():
        for client, results in feature.stats.items():
            versions.setdefault(client, set()).update(r.version for r in results)
            counts[client] = counts.get(client, 0) + 1
    clients: dict[str, ClientInfo] = {}
    for client in sorted(versions):
        family, _, platform = client.partition(".")
        name = f"{families.get(family, family)} {platforms.get(platform, platform)}"
        clients[client] = ClientInfo(
            id=client,
            family=family,
            platform=platform,
            name=name,
            versions=tuple(sorted(versions[client])),
            feature_count=counts[client],
        )
    return clients


def _data_file(name: str) -> Path:
    """A vendored data file, found from this package's file (see catalogue.rules_folder)."""
    return Path(__file__).parent.parent.joinpath(*_DATA_DIR, name)


def _mapping(value: object, where: str) -> Mapping[str, object]:
    if not isinstance(value, dict):
        raise ValueError(f"{where}: expected an object, got {type(value).__name__}")
    return value


def _str_mapping(value: object, where: str) -> dict[str, str]:
    return {str(k): _str(v, f"{where}.{k}") for k, v in _mapping(value, where).items()}


def _list(value: object, where: str) -> list[object]:
    if not isinstance(value, list):
        raise ValueError(f"{where}: expected a list, got {type(value).__name__}")
    return value


def _str(value: object, where: str) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{where}: expected a string, got {value!r}")
    return value
