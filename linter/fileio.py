"""Atomic writes: a reader never sees a half-written output file.

Output goes to a temp file beside the target, then `os.replace` moves it into place. Any
OSError on the way becomes an OutputError that names the file the user asked for, never
the hidden temp file.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO


class OutputError(OSError):
    """An output file cannot be written; the message names it (a user error, exit 2)."""

    def __str__(self) -> str:
        return str(self.strerror)


@contextlib.contextmanager
def naming(target: Path) -> Iterator[None]:
    """Report an OSError against `target`, not the temp file written beside it."""
    try:
        yield
    except OutputError:
        raise
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise OutputError(exc.errno or 0, f"cannot write {target}: {reason}") from exc


def temp_beside(target: Path) -> tuple[IO[bytes], Path]:
    """An open binary temp file in the target's folder (so the final rename is atomic)."""
    with naming(target):
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    return os.fdopen(fd, "wb"), Path(tmp)


def move_into_place(tmp: Path, target: Path) -> None:
    with naming(target):
        os.replace(tmp, target)


def write_atomic(path: str | Path, text: str) -> None:
    target = Path(path)
    handle, tmp = temp_beside(target)
    try:
        with naming(target), handle:
            handle.write(text.encode("utf-8"))
        move_into_place(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
