"""Writing outputs: atomic, with the modes a normal write gives, never over an input.

A regular output goes to a temp file beside it, then `os.replace` moves it into place, so a
reader never sees half a file. The temp file is given the mode the file had (or, for a new
file, 0666 less the umask, as `open()` gives), and its group and owner where allowed, before
the rename: mkstemp's 0600 would otherwise replace a shared 0644 report, and a colleague or
an uploader running as another user could not read the split's outputs. A symlinked output
is followed deliberately: the file it points to is written, and the link stays a link. A
device or FIFO (`-o /dev/null`, a pipe) is written as a stream, never replaced by a regular
file. Any OSError on the way becomes an OutputError that names the file the user asked for,
never the temp file.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Iterable, Iterator
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
        raise OutputError(exc.errno or 0, f"cannot write {target}: {reason}") from None


def resolved(path: str | Path) -> Path:
    """Where writing `path` lands: symlinks followed, so the link itself stays a link."""
    return Path(os.path.realpath(path))


def is_stream(target: Path) -> bool:
    """An existing device, FIFO or socket: written in place, never renamed over."""
    try:
        return not stat.S_ISREG(os.stat(target).st_mode)
    except OSError:
        return False


def refuse_inputs(output: str | Path, inputs: Iterable[str | Path]) -> None:
    """Writing a report over a template or contact file would destroy it: refuse."""
    if not os.path.exists(output) or is_stream(Path(output)):
        return
    for source in inputs:
        try:
            same = os.path.samefile(output, source)
        except OSError:  # an input that is gone cannot be overwritten
            continue
        if same:
            raise OutputError(errno.EEXIST, f"cannot write {output}: it is an input of this run")


def temp_beside(target: Path) -> tuple[IO[bytes], Path]:
    """An open binary temp file in the (resolved) target's folder, so the rename is atomic."""
    import tempfile  # when writing only: it brings random and shutil, ~3 ms of start-up

    with naming(target):
        fd, tmp = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=".tmp", dir=resolved(target).parent
        )
    return os.fdopen(fd, "wb"), Path(tmp)


def open_output(target: Path) -> tuple[IO[bytes], Path | None]:
    """A device or FIFO opened to write in place (no temp: None), else a temp beside it."""
    if is_stream(target):
        with naming(target):
            return open(target, "wb"), None
    return temp_beside(target)


def current_umask() -> int:
    """The process umask, read without changing it where Linux shows it (/proc, 4.7+):
    setting it to read it, the only portable way, would briefly give files that other
    threads create (split's writer, say) the wrong mode."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    umask = os.umask(0o022)
    os.umask(umask)
    return umask


def _take_over(tmp: Path, real: Path) -> None:
    """Give the temp file what a write in place would have left: the file's mode (a new
    file: 0666 less the umask, as open() gives, not mkstemp's 0600) and, where allowed, its
    group and owner (the rename replaces the inode, and with it both)."""
    try:
        old = os.stat(real)
    except FileNotFoundError:
        os.chmod(tmp, 0o666 & ~current_umask())
        return
    with contextlib.suppress(OSError):  # a group we are in, or any as root
        os.chown(tmp, -1, old.st_gid)
    if old.st_uid != os.geteuid():
        with contextlib.suppress(OSError):  # only root may give a file away
            os.chown(tmp, old.st_uid, -1)
    os.chmod(tmp, stat.S_IMODE(old.st_mode))  # after chown, which may clear setgid bits


def move_into_place(tmp: Path, target: Path) -> None:
    with naming(target):
        real = resolved(target)
        _take_over(tmp, real)
        os.replace(tmp, real)


def commit_all(pairs: list[tuple[Path | None, Path]]) -> None:
    """Move several temp files into place as one change: if a later rename fails, the
    earlier targets get their old content back (hard-link backups), so a failure leaves
    every old file, or the error says exactly which file is new and which is not."""
    files = [(tmp, target) for tmp, target in pairs if tmp is not None]  # streams: written
    backups: list[Path | None] = []
    try:
        for _, target in files:
            backups.append(_backup(resolved(target)))
        for done, (tmp, target) in enumerate(files):
            try:
                move_into_place(tmp, target)
            except OutputError as exc:
                raise _rolled_back(exc, files[:done], backups[:done]) from None
    finally:
        for backup in backups:
            if backup is not None:
                with contextlib.suppress(OSError):
                    backup.unlink()


def _backup(real: Path) -> Path | None:
    """A hard link to the current file (no copy), or None when there is no file."""
    if not real.exists():
        return None
    backup = real.with_name(f".{real.name}.{os.getpid()}.bak")
    with naming(real):
        with contextlib.suppress(FileNotFoundError):
            backup.unlink()
        os.link(real, backup)
    return backup


def _rolled_back(
    exc: OutputError, done: list[tuple[Path, Path]], backups: list[Path | None]
) -> OutputError:
    restored, kept = [], []
    for (_, target), backup in zip(done, backups, strict=True):
        try:
            if backup is None:
                resolved(target).unlink()
            else:
                os.replace(backup, resolved(target))
            restored.append(str(target))
        except OSError:
            kept.append(str(target))
    said = str(exc)
    if restored:
        said += f"; {', '.join(restored)} left as before"
    if kept:
        said += f"; {', '.join(kept)} already written and could not be put back"
    return OutputError(exc.errno or 0, said)


def write_atomic(path: str | Path, text: str) -> None:
    write_atomic_bytes(path, text.encode("utf-8"))


def write_atomic_bytes(path: str | Path, data: bytes) -> None:
    target = Path(path)
    if is_stream(target):
        with naming(target), open(target, "wb") as stream:
            stream.write(data)
        return
    handle, tmp = temp_beside(target)
    try:
        with naming(target), handle:
            handle.write(data)
        move_into_place(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
