"""check --jobs (same output as one job) and the content-hash cache (linter/cache.py)."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from linter.cache import _NAMES, LintCache
from linter.cli import main

CORPUS = Path(__file__).resolve().parent.parent / "fixtures" / "email" / "corpus"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """Eight real templates, one that is not text (an input error) and a charset guess."""
    for path in sorted(CORPUS.glob("*/*.html"))[:8]:
        shutil.copy(path, tmp_path / f"{path.parent.name}-{path.name}")
    (tmp_path / "nul.html").write_bytes(b"<p>\x00</p>")
    (tmp_path / "latin.html").write_bytes(b"<html><body><p>caf\xe9</p></body></html>")
    return tmp_path


def _check(folder: Path, *args: str) -> tuple[int, str, str]:
    done = CliRunner().invoke(main, ["check", str(folder), "--format", "json", *args])
    return done.exit_code, done.stdout, done.stderr


def test_two_jobs_print_exactly_what_one_job_prints(repo: Path) -> None:
    one = _check(repo, "--no-cache")
    two = _check(repo, "--no-cache", "--jobs", "2")
    assert one == two
    assert one[0] == 2 and "nul.html" in one[2] and "latin.html" in one[2]  # error, note


def _mark(entries: list[Path]) -> None:
    """Every cached finding's message made "from the cache", to see whether it is read."""
    edited = 0
    for entry in entries:
        data = json.loads(entry.read_text())
        for finding in data["findings"]:
            finding["message"] = "from the cache"
            edited += 1
        entry.write_text(json.dumps(data))
    assert edited


def test_a_warm_cache_gives_the_cold_result_and_is_read(repo: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    plain = _check(repo, "--no-cache")
    assert not cache.exists()
    assert _check(repo, "--cache-dir", str(cache)) == plain  # cold: writes
    assert _check(repo, "--cache-dir", str(cache)) == plain  # warm: reads
    assert _check(repo, "--cache-dir", str(cache), "--jobs", "2") == plain
    assert (cache / ".gitignore").read_text().endswith("*\n")
    # It is read: an entry edited by hand shows through (a message changed).
    entries = [p for p in (cache / "v1").rglob("*") if p.is_file()]
    assert len(entries) == 9  # one per readable template; the NUL file is not cached
    _mark(entries)
    assert "from the cache" in _check(repo, "--cache-dir", str(cache))[1]


def test_a_changed_file_or_config_misses_the_cache(repo: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    _check(repo, "--cache-dir", str(cache))
    target = next(p for p in sorted(repo.glob("*.html")) if p.name not in ("nul.html",))
    target.write_text(target.read_text(encoding="utf-8") + "<p>more</p>", encoding="utf-8")
    assert _check(repo, "--cache-dir", str(cache)) == _check(repo, "--no-cache")
    for select in (("--select", "ACC"), ("--ignore", "ACC001"), ("--target", "gmail.*")):
        assert _check(repo, "--cache-dir", str(cache), *select) == _check(
            repo, "--no-cache", *select
        )


def test_changed_engine_code_misses_the_cache(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # An editable install edited, or the same version reinstalled from a newer commit: the
    # version is the same, the code is not, so no entry of the old code may be read.
    import linter.cache

    cache = tmp_path / "cache"
    _check(repo, "--cache-dir", str(cache))
    _mark([p for p in (cache / "v1").rglob("*") if p.is_file()])
    assert "from the cache" in _check(repo, "--cache-dir", str(cache))[1]
    code = linter.cache._code()
    assert code
    monkeypatch.setattr(linter.cache, "_code", lambda: code + " edited")
    assert "from the cache" not in _check(repo, "--cache-dir", str(cache))[1]


@pytest.mark.parametrize(
    "garbage",
    [b"", b"\xff\xfe not json", b"[]", b'{"findings": [{"rule": 1}], "notes": []}',
     b'{"findings": [], "notes": []}' * 2],
)  # fmt: skip
def test_corrupt_entries_are_ignored_and_rewritten(
    repo: Path, tmp_path: Path, garbage: bytes
) -> None:
    cache = tmp_path / "cache"
    plain = _check(repo, "--no-cache")
    _check(repo, "--cache-dir", str(cache))
    entries = [p for p in (cache / "v1").rglob("*") if p.is_file()]
    for entry in entries:
        entry.write_bytes(garbage)
    assert _check(repo, "--cache-dir", str(cache)) == plain
    assert all(e.read_bytes() != garbage for e in entries)  # relinted and written again


def test_a_cache_folder_that_is_a_link_is_not_used(repo: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    link = tmp_path / "cache"
    os.symlink(elsewhere, link)
    code, out, err = _check(repo, "--cache-dir", str(link))
    assert (code, out) == _check(repo, "--no-cache")[:2]
    assert "cache off" in err and "symbolic link" in err
    assert list(elsewhere.iterdir()) == []


def test_a_linked_subfolder_or_a_fifo_is_neither_read_nor_written(
    repo: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    plain = _check(repo, "--no-cache")
    _check(repo, "--cache-dir", str(cache))
    outside = tmp_path / "outside"
    outside.mkdir()
    for sub in [p for p in (cache / "v1").iterdir() if p.is_dir()]:
        for entry in sub.iterdir():
            (outside / entry.name).write_text(json.dumps({"findings": [], "notes": []}))
        shutil.rmtree(sub)
        os.symlink(outside, sub)
    assert _check(repo, "--cache-dir", str(cache)) == plain  # links lead nowhere
    assert all(json.loads(p.read_text())["findings"] == [] for p in outside.iterdir())
    shutil.rmtree(cache)
    _check(repo, "--cache-dir", str(cache))
    for entry in [p for p in (cache / "v1").rglob("*") if p.is_file()]:
        entry.unlink()
        os.mkfifo(entry)
    assert _check(repo, "--cache-dir", str(cache)) == plain  # no wait on a FIFO


def test_an_entry_that_is_a_link_is_not_followed(repo: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    plain = _check(repo, "--no-cache")
    _check(repo, "--cache-dir", str(cache))
    outside = tmp_path / "outside.json"
    outside.write_text(json.dumps({"findings": [], "notes": []}))
    for entry in [p for p in (cache / "v1").rglob("*") if p.is_file()]:
        entry.unlink()
        os.symlink(outside, entry)
    assert _check(repo, "--cache-dir", str(cache)) == plain
    assert json.loads(outside.read_text()) == {"findings": [], "notes": []}


def test_diff_with_jobs_is_the_one_job_diff(repo: Path) -> None:
    """Fixes gather their patch in the main process, so --jobs leaves them to one."""
    one = CliRunner().invoke(main, ["check", str(repo), "--diff"])
    two = CliRunner().invoke(main, ["check", str(repo), "--diff", "--jobs", "2"])
    assert (one.exit_code, one.stdout) == (two.exit_code, two.stdout)
    assert "+++ " in one.stdout


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=12,
)
_FIELDS = st.fixed_dictionaries(
    {"findings": st.lists(st.dictionaries(st.sampled_from(_NAMES), _JSON), max_size=2)},
    optional={"notes": _JSON},
)


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    blob=st.binary(max_size=64)
    | _JSON.map(json.dumps).map(str.encode)
    | _FIELDS.map(json.dumps).map(str.encode)
    | st.just(b"[" * 100_000)
)
def test_any_entry_is_an_entry_or_a_miss(tmp_path: Path, blob: bytes) -> None:
    """Fuzz: whatever a cache file holds, reading it gives a valid entry or a miss."""
    cache = LintCache(tmp_path / "fuzz")
    key = "ab" + "0" * 62
    (cache.folder / "ab").mkdir(exist_ok=True)
    (cache.folder / "ab" / key[2:]).write_bytes(blob)
    entry = cache.get(key)
    if entry is not None:
        assert all(isinstance(f.line, int) and isinstance(f.path, str) for f in entry.findings)
        sorted(entry.findings, key=lambda f: f.sort_key)  # what the run does with them
