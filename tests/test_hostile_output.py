"""Outputs (issue 13): never over an input, devices and FIFOs written as streams, symlinks
followed to their target, modes kept, and two-file commits all-or-nothing."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from linter import fileio
from linter.cli import main

PAGE = (  # fixed wider than a phone with no viewport: RSP001
    "<html lang='en'><head><title>x</title></head>"
    "<body><table width='600'><tr><td><p>Hi</p></td></tr></table></body></html>\n"
)


@pytest.fixture
def page(tmp_path: Path) -> Path:
    path = tmp_path / "t.html"
    path.write_text(PAGE, encoding="utf-8")
    return path


@pytest.mark.parametrize("command", ["check", "baseline"])
def test_an_output_over_an_input_is_refused(page: Path, command: str) -> None:
    result = CliRunner().invoke(main, [command, "-o", str(page), str(page)])
    assert result.exit_code == 2
    assert f"cannot write {page}: it is an input of this run" in result.output
    assert page.read_text(encoding="utf-8") == PAGE


def test_review_output_over_a_reviewed_file_is_refused(page: Path, tmp_path: Path) -> None:
    old = tmp_path / "old.html"
    old.write_text(PAGE, encoding="utf-8")
    result = CliRunner().invoke(main, ["review", str(old), str(page), "-o", str(old)])
    assert result.exit_code == 2
    assert old.read_text(encoding="utf-8") == PAGE


def test_a_fifo_output_is_written_as_a_stream_not_replaced(page: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    result = CliRunner().invoke(main, ["check", "--fail-on", "info", "-o", str(fifo), str(page)])
    reader.join(timeout=10)
    assert result.exit_code == 1
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert b"RSP001" in received[0]


def test_a_symlinked_output_writes_its_target_and_stays_a_link(page: Path, tmp_path: Path) -> None:
    target = tmp_path / "reports" / "report.txt"
    target.parent.mkdir()
    target.write_text("old", encoding="utf-8")
    link = tmp_path / "report.txt"
    link.symlink_to(target)
    result = CliRunner().invoke(main, ["check", "--fail-on", "info", "-o", str(link), str(page)])
    assert result.exit_code == 1
    assert link.is_symlink()
    assert "RSP001" in target.read_text(encoding="utf-8")


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o600])
def test_an_existing_output_keeps_its_mode(tmp_path: Path, mode: int) -> None:
    out = tmp_path / "report.txt"
    out.write_text("old", encoding="utf-8")
    out.chmod(mode)
    fileio.write_atomic(out, "new")
    assert out.read_text(encoding="utf-8") == "new"
    assert stat.S_IMODE(out.stat().st_mode) == mode


def test_a_new_output_gets_the_modes_open_gives(tmp_path: Path) -> None:
    previous = os.umask(0o027)
    try:
        fileio.write_atomic(tmp_path / "new.txt", "x")
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "new.txt").stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["new.txt"]  # no temp file left


def test_a_failing_second_rename_leaves_both_old_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clean, rejected = tmp_path / "clean.csv", tmp_path / "rejected.csv"
    clean.write_text("old clean", encoding="utf-8")
    rejected.write_text("old rejected", encoding="utf-8")
    temps = []
    for target, text in ((clean, "new clean"), (rejected, "new rejected")):
        handle, tmp = fileio.temp_beside(target)
        with handle:
            handle.write(text.encode())
        temps.append(tmp)
    real_replace = os.replace

    def failing(src: str | Path, dst: str | Path) -> None:
        if Path(dst).name == "rejected.csv" and Path(src).suffix == ".tmp":
            raise OSError(28, "No space left on device")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", failing)
    with pytest.raises(fileio.OutputError) as info:
        fileio.commit_all([(temps[0], clean), (temps[1], rejected)])
    assert str(info.value) == (
        f"cannot write {rejected}: No space left on device; {clean} left as before"
    )
    assert clean.read_text(encoding="utf-8") == "old clean"
    assert rejected.read_text(encoding="utf-8") == "old rejected"
    leftovers = sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(".bak"))
    assert leftovers == []


def test_split_into_a_device_writes_through_it(tmp_path: Path) -> None:
    data = tmp_path / "c.csv"
    data.write_text("email\na@example.com\nnot-an-address\n", encoding="utf-8")
    fifo = tmp_path / "rejected.fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    clean = tmp_path / "clean.csv"
    result = CliRunner().invoke(main, ["data", str(data), "--split", str(clean), str(fifo)])
    reader.join(timeout=10)
    assert result.exit_code == 1, result.output
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert b"not-an-address" in received[0]
    assert clean.read_text(encoding="utf-8").startswith("email")  # committed beside it


def _split(tmp_path: Path, umask: int) -> tuple[Path, Path]:
    """presend data --split in a child process under `umask` (the umask is per process)."""
    source = tmp_path / "list.csv"
    source.write_text(
        "email,first_name,consent\nann@example.com,Ann,yes\nnot-an-email,Bob,yes\n",
        encoding="utf-8",
    )
    clean, rejected = tmp_path / "clean.csv", tmp_path / "rejected.csv"
    code = (
        "import os, sys; from linter.cli import main; os.umask(int(sys.argv[1], 8)); "
        "main(['data', sys.argv[2], '--split', sys.argv[3], sys.argv[4]])"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, oct(umask), str(source), str(clean), str(rejected)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1, done.stderr  # findings: the rejected row
    assert "1 rejected" in done.stdout
    return clean, rejected


@pytest.mark.parametrize("umask", [0o022, 0o002, 0o077])
def test_new_split_outputs_get_the_mode_a_normal_write_gives(tmp_path: Path, umask: int) -> None:
    for out in _split(tmp_path, umask):
        assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~umask, out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["clean.csv", "list.csv", "rejected.csv"]


def test_existing_split_outputs_keep_their_mode_and_group(tmp_path: Path) -> None:
    clean, rejected = tmp_path / "clean.csv", tmp_path / "rejected.csv"
    for out, mode in ((clean, 0o640), (rejected, 0o604)):
        out.write_text("old", encoding="utf-8")
        out.chmod(mode)
    other = next((g for g in os.getgroups() if g != os.getegid()), None)
    if other is not None or os.geteuid() == 0:
        other = 1 if other is None else other
        os.chown(rejected, -1, other)
    _split(tmp_path, 0o077)
    assert stat.S_IMODE(clean.stat().st_mode) == 0o640
    assert stat.S_IMODE(rejected.stat().st_mode) == 0o604
    if other is not None:
        assert rejected.stat().st_gid == other  # the rename kept the file's group
    assert "not-an-email" in rejected.read_text(encoding="utf-8")


def test_the_umask_is_read_without_changing_it() -> None:
    previous = os.umask(0o027)
    try:
        assert fileio.current_umask() == 0o027
        assert os.umask(0o027) == 0o027  # still what it was
    finally:
        os.umask(previous)
