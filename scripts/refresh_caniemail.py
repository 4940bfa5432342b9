#!/usr/bin/env python3
"""Refresh the vendored caniemail data from the npm registry and print what changed.

Usage: python scripts/refresh_caniemail.py [--version 2.0.3] [--dry-run]
       python scripts/refresh_caniemail.py --tables   (rebuild tables.pickle only, offline)

Runs ``npm pack caniemail@<version>`` in a temporary directory (the only network
access; presend never downloads at lint time), checks the new file loads, prints
features added/removed and, per feature, each client whose newest support changed,
then replaces ``linter/data/caniemail/`` files one by one with ``os.replace``, and
writes ``tables.pickle``, the parsed data presend loads at start-up (see
``linter/clients/data.py``).
Exit 0 on success, 1 when npm or the new data fails.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run from a checkout without installing

from linter.clients.data import (  # noqa: E402
    TABLES_FILE,
    Dataset,
    Feature,
    dump_tables,
    parse_dataset,
    tables_from_dataset,
)

DATA_DIR = ROOT / "linter" / "data" / "caniemail"
# Where the npm tarball keeps the files; 2.0.2 also has a copy under dist/data/.
HEADER = "# Provenance of the vendored caniemail data; written by scripts/refresh_caniemail.py."
MEMBERS = {"caniemail.json": "package/data/caniemail.json", "LICENSE": "package/LICENSE"}


def main(argv: list[str] | None = None) -> int:
    """Fetch, compare, and (unless --dry-run) install the new data."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--version", default="latest", help="npm version or tag (latest)")
    parser.add_argument("--dry-run", action="store_true", help="print changes, write nothing")
    parser.add_argument(
        "--tables", action="store_true", help=f"only rebuild {TABLES_FILE} from the vendored JSON"
    )
    args = parser.parse_args(argv)
    if args.tables:
        vendored = parse_dataset(json.loads((DATA_DIR / "caniemail.json").read_bytes()))
        write_atomically(DATA_DIR / TABLES_FILE, dump_tables(tables_from_dataset(vendored)))
        print(f"wrote {TABLES_FILE}")
        return 0
    with tempfile.TemporaryDirectory(prefix="caniemail-") as tmp:
        try:
            pack = npm_pack(f"caniemail@{args.version}", Path(tmp))
            files = extract(Path(tmp) / pack["filename"])
            new = parse_dataset(json.loads(files["caniemail.json"]))
        except subprocess.CalledProcessError as error:
            print(f"npm pack failed:\n{error.stderr}", file=sys.stderr)
            return 1
        except (KeyError, ValueError) as error:
            print(f"refresh failed: {error}", file=sys.stderr)
            return 1
        old_path = DATA_DIR / "caniemail.json"
        old = parse_dataset(json.loads(old_path.read_bytes())) if old_path.exists() else None
        print(f"caniemail {pack['version']} (data updated {new.last_update_date})")
        for line in describe_changes(old, new):
            print(line)
        if args.dry_run:
            print("dry run: nothing written")
            return 0
        files[TABLES_FILE] = dump_tables(tables_from_dataset(new))
        files["VERSION"] = version_file(pack, files["caniemail.json"], new).encode()
        for name, content in files.items():  # VERSION last: it vouches for the others
            write_atomically(DATA_DIR / name, content)
    print(f"wrote {', '.join(files)} to {DATA_DIR.relative_to(ROOT)}")
    return 0


def npm_pack(spec: str, dest: Path) -> dict[str, str]:
    """Download ``spec``'s tarball into ``dest``; returns npm's filename, version, integrity."""
    result = subprocess.run(
        ["npm", "pack", spec, "--json", "--pack-destination", str(dest)],
        check=True,
        capture_output=True,
        text=True,
    )
    info = json.loads(result.stdout)[0]
    return {k: str(info[k]) for k in ("filename", "version", "integrity")}


def extract(tarball: Path) -> dict[str, bytes]:
    """Read the data file and licence out of the npm tarball (KeyError if one is missing)."""
    with tarfile.open(tarball) as archive:
        found: dict[str, bytes] = {}
        for name, member in MEMBERS.items():
            handle = archive.extractfile(member)
            if handle is None:
                raise KeyError(f"{member} is not a file in {tarball.name}")
            found[name] = handle.read()
    return found


def version_file(pack: Mapping[str, str], data: bytes, dataset: Dataset) -> str:
    """The TOML provenance record read by ``linter.clients.data.data_source``."""
    fields = {
        "package": "caniemail",
        "version": pack["version"],
        "tarball": f"https://registry.npmjs.org/caniemail/-/caniemail-{pack['version']}.tgz",
        "integrity": pack["integrity"],
        "fetched": dt.datetime.now(dt.UTC).date().isoformat(),
        "sha256": hashlib.sha256(data).hexdigest(),
        "data_last_update": dataset.last_update_date,
        "licence": "MIT",
    }
    lines = [HEADER]
    lines += [f"{key} = {json.dumps(value)}" for key, value in fields.items()]
    return "\n".join(lines) + "\n"


def describe_changes(old: Dataset | None, new: Dataset) -> Iterator[str]:
    """Lines naming added/removed features and per-client changes of newest support."""
    if old is None:
        yield f"no vendored data yet; {len(new.features)} features"
        return
    added = sorted(new.features.keys() - old.features.keys())
    removed = sorted(old.features.keys() - new.features.keys())
    yield f"features: {len(old.features)} -> {len(new.features)}"
    if added:
        yield f"added: {', '.join(added)}"
    if removed:
        yield f"removed: {', '.join(removed)}"
    for slug in sorted(new.features.keys() & old.features.keys()):
        changes = support_changes(old.features[slug], new.features[slug])
        if changes:
            yield f"{slug}: {'; '.join(changes)}"


def support_changes(old: Feature, new: Feature) -> list[str]:
    """Per client, how the newest result changed: ``gmail.ios a #1 -> y (2026-04)``."""
    changes = []
    for client in sorted(old.stats.keys() | new.stats.keys()):
        before, after = old.current(client), new.current(client)
        if before is None and after is not None:
            changes.append(f"{client} new: {_describe(after.support.value, after.note_refs)}")
        elif after is None and before is not None:
            changes.append(f"{client} dropped")
        elif before is not None and after is not None:
            was = _describe(before.support.value, before.note_refs)
            now = _describe(after.support.value, after.note_refs)
            if was != now:
                changes.append(f"{client} {was} -> {now} ({after.version})")
    return changes


def _describe(support: str, refs: tuple[str, ...]) -> str:
    return " ".join([support, *(f"#{r}" for r in refs)])


def write_atomically(path: Path, content: bytes) -> None:
    """Write via a temporary file in the same directory, so readers never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
        os.chmod(tmp, 0o644)  # mkstemp's 0600 would ship unreadable to other users
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


if __name__ == "__main__":
    sys.exit(main())
