"""Content-hash cache of one file's findings, so a large repository re-lints only what changed.

Like ruff's cache, an entry is valid for exactly one input: its key hashes the file's
bytes, the path it is reported under, presend's version and its code (a checkout edited, or
the same version reinstalled from another commit, starts afresh; see `_code`), the
caniemail data's checksum and everything that decides the findings for
that file (its rules with their severity, summary and params, and the policy; see
:func:`settings_digest`). Nothing is ever invalidated: a change gives a new key, and
`rm -rf .presend-cache` empties it.

Safety: entries are named by their hex digest inside the cache folder (no path from the
input reaches the file system), written atomically (temporary file, then ``os.replace``),
opened without following symbolic links, size-capped, and any entry that cannot be read
or decoded is treated as a miss and rewritten. A cache folder that is itself a symbolic
link, or cannot be created, turns the cache off for the run with a note: a cache never
fails a lint.
"""

from __future__ import annotations

import json
import os
import stat
from functools import cache
from pathlib import Path
from typing import NamedTuple

from linter import __version__
from linter.config import RunSettings
from linter.digests import blake2b, sha256
from linter.findings import Finding, Severity

DEFAULT_DIR = ".presend-cache"
_LAYOUT = "v1"  # bump when the entry format changes
_MAX_ENTRY_BYTES = 16 * 1024 * 1024


class Entry(NamedTuple):
    """What linting one file produced besides errors: its findings and notes."""

    findings: tuple[Finding, ...]
    notes: tuple[str, ...]


@cache  # once a process, however many rule sets a run's overrides make
def _code() -> str:
    """What the engine's code is. Installed from a wheel: its RECORD, which holds every
    file's SHA-256, so a reinstall of the same wheel (a CI job restoring its cache into a
    fresh venv) still hits and other code misses. A checkout or editable install has none
    beside the package: each module's path in it and its bytes, hashed (file times would
    change with every clone)."""
    package = Path(__file__).parent
    try:
        record = (package.parent / f"presend-{__version__}.dist-info" / "RECORD").read_text("utf-8")
    except OSError:
        pass
    else:  # the package's own lines: the console script's differs with each venv's path
        return "\n".join(sorted(line for line in record.splitlines() if line.startswith("linter/")))
    digest = blake2b()
    for path in sorted(package.rglob("*.py")):
        digest.update(str(path.relative_to(package)).encode() + b"\x00" + path.read_bytes())
    return digest.hexdigest()


def settings_digest(settings: RunSettings) -> str:
    """A stable hash of what decides one file's findings (reprs of frozen plain data)."""
    from linter.clients.data import version_text

    rules = tuple(
        (r.id, r.name, r.standard, r.severity.value, r.summary, r.check.name, repr(r.params))
        for r in settings.rules
    )
    unused = settings.unused_suppression.id if settings.unused_suppression else None
    parts = (__version__, _code(), version_text(), rules, unused, repr(settings.policy))
    hexdigest: str = sha256(repr(parts).encode()).hexdigest()
    return hexdigest


class LintCache:
    """Entries under ``folder/v1/ab/cdef…``; ``note`` says why the cache is off, if it is."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder / _LAYOUT
        self.note: str | None = None
        # Within a run only the rule set and severities vary by file (overrides), so the
        # digest is computed once per distinct set, not once per file.
        self._digests: dict[tuple[object, ...], str] = {}
        try:
            if folder.is_symlink() or self.folder.is_symlink():
                raise OSError("it is a symbolic link")
            self.folder.mkdir(parents=True, exist_ok=True)
            _mark(folder)
        except OSError as exc:
            self.note = f"cache off: cannot use {folder} ({exc.strerror or exc})"

    @property
    def usable(self) -> bool:
        return self.note is None

    def key(self, path: str, data: bytes, settings: RunSettings) -> str:
        memo = (
            tuple((r.id, r.severity) for r in settings.rules),
            settings.unused_suppression.id if settings.unused_suppression else None,
        )
        if memo not in self._digests:
            self._digests[memo] = settings_digest(settings)
        digest = sha256(self._digests[memo].encode())
        digest.update(b"\0" + path.encode("utf-8", "surrogateescape") + b"\0")
        digest.update(settings.identity.encode("utf-8", "surrogateescape") + b"\0")
        digest.update(data)
        hexdigest: str = digest.hexdigest()
        return hexdigest

    def _file(self, key: str) -> Path:
        return self.folder / key[:2] / key[2:]

    def get(self, key: str) -> Entry | None:
        """The entry for ``key``; None when absent, unreadable or not a valid entry."""
        if not self.usable:
            return None
        path = self._file(key)
        if path.parent.is_symlink():
            return None  # a linked subfolder would lead outside the cache
        try:
            # No link followed, no wait on a FIFO; only a regular file is read.
            flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
            fd = os.open(path, flags)
            with os.fdopen(fd, "rb") as handle:
                if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                    return None
                raw = handle.read(_MAX_ENTRY_BYTES + 1)
            if len(raw) > _MAX_ENTRY_BYTES:
                return None
            return _decode(json.loads(raw))
        except (OSError, ValueError, TypeError, KeyError, RecursionError):
            return None  # missing or corrupt (even nested past json's depth): lint again

    def put(self, key: str, entry: Entry) -> None:
        if not self.usable:
            return
        target = self._file(key)
        blob = json.dumps(
            {"findings": [_encode(f) for f in entry.findings], "notes": list(entry.notes)}
        ).encode()
        try:
            target.parent.mkdir(exist_ok=True)
            if target.parent.is_symlink():
                return  # never write through a link out of the cache folder
            import tempfile  # when storing only (see fileio.temp_beside)

            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(blob)
                os.replace(tmp, target)  # replaces a link itself, never its target
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError:
            pass  # a full disk or a read-only folder costs speed, never a result


def _mark(folder: Path) -> None:
    """Keep the folder out of git and of backups, as ruff and pytest do with theirs."""
    for name, text in (
        (".gitignore", "# Created by presend automatically.\n*\n"),
        ("CACHEDIR.TAG", "Signature: 8a477f597d28d172789f06886806bc55\n"),
    ):
        marker = folder / name
        if not marker.exists() and not marker.is_symlink():
            marker.write_text(text, encoding="utf-8")


_NAMES = Finding._fields


def _encode(finding: Finding) -> dict[str, object]:
    encoded = {name: getattr(finding, name) for name in _NAMES}  # asdict() deep-copies: slow
    encoded["severity"] = finding.severity.value
    return encoded


_FIELD_TYPES: dict[str, tuple[type, ...]] = {
    **dict.fromkeys(("rule", "name", "standard", "path", "message", "fingerprint"), (str,)),
    **dict.fromkeys(("line", "column"), (int,)),
    **dict.fromkeys(("end_line", "end_column"), (int, type(None))),
    "audience": (str, type(None)),
    "waived_by": (type(None),),  # waivers are applied after the cache, on every run
}


def _decode(raw: object) -> Entry:
    """An entry from its JSON; TypeError/KeyError/ValueError on anything out of shape."""
    if not isinstance(raw, dict) or not isinstance(raw["findings"], list):
        raise TypeError("entry is not an object with a findings list")
    findings = []
    for item in raw["findings"]:
        fields = dict(item)
        if any(not isinstance(fields[k], t) for k, t in _FIELD_TYPES.items()):
            raise TypeError("a finding field has the wrong type")
        fields["severity"] = Severity(fields["severity"])
        if not all(isinstance(c, str) for c in fields["clients"]):
            raise TypeError("clients must be strings")
        fields["clients"] = tuple(fields["clients"])
        findings.append(Finding(**fields))
    return Entry(tuple(findings), tuple(str(n) for n in raw["notes"]))
