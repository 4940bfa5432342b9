"""Reading the files beside the inputs: config, contact schema, baseline, snapshots.

Each is small UTF-8 text. A malformed one (binary, UTF-16, nested past the parser's
recursion limit, a folder, /dev/zero) is a user error naming the file and who named it,
never a crash or a read that grows or waits for ever: special files (devices, FIFOs) are
read only when named on the command line, and never past MAX_SIDE_FILE_BYTES.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

from linter.limits import MAX_SIDE_FILE_BYTES, MIB


class SideFileError(ValueError):
    """A side file cannot be used; the message names it (and the key that named it)."""


def read_text(path: str | Path, *, explicit: bool, named_by: str = "") -> str:
    """The file's text. `explicit`: named on the command line (a FIFO or device is then
    read, up to the size limit); `named_by` is the config key that named it, for errors."""
    where = f"{named_by}: {path}" if named_by else str(path)
    try:
        mode = os.stat(path).st_mode
        if stat.S_ISDIR(mode):
            raise SideFileError(f"{where}: is a folder, not a file")
        if not stat.S_ISREG(mode) and not explicit:
            raise SideFileError(
                f"{where}: not a regular file (a device or FIFO is read only when named"
                " on the command line)"
            )
        with open(path, "rb") as fh:
            data = fh.read(MAX_SIDE_FILE_BYTES + 1)
    except OSError as exc:
        raise SideFileError(f"{where}: cannot read: {exc.strerror or exc}") from None
    if len(data) > MAX_SIDE_FILE_BYTES:
        raise SideFileError(f"{where}: larger than {MAX_SIDE_FILE_BYTES // MIB} MiB")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        kind = "UTF-16 text" if data[:2] in (b"\xff\xfe", b"\xfe\xff") else "not UTF-8 text"
        raise SideFileError(
            f"{where}: {kind} (undecodable byte at offset {exc.start}); save it as UTF-8"
        ) from None


def parse_json(text: str, where: str) -> Any:
    """json.loads; JSONDecodeError passes through (callers name line and column)."""
    try:
        return json.loads(text)
    except RecursionError:
        raise SideFileError(f"{where}: nested too deeply to read") from None


def parse_toml(text: str, where: str) -> dict[str, Any]:
    """tomllib.loads; TOMLDecodeError passes through. tomllib (~2 ms of imports) loads when
    a TOML file is read: a run with no config file and a fresh rules/prepared.json reads none."""
    import tomllib

    try:
        return tomllib.loads(text)
    except RecursionError:
        raise SideFileError(f"{where}: nested too deeply to read") from None
