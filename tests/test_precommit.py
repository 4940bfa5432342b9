"""The real pre-commit runs presend's hooks from this repository (`pre-commit try-repo`):
a bad template fails, a good one passes, a template reading a column the contact file
lacks fails when both are in the commit (the hook runs serially, in one batch)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("pre_commit")
ROOT = Path(__file__).resolve().parent.parent
GOOD = (
    '<html lang="en"><head><meta name="viewport" content="width=device-width">'
    "<title>News</title></head><body><p>Hello {{ first_name }}, our news.</p>"
    '<p><a href="https://example.com/unsubscribe">Unsubscribe</a></p>'
    "<p>Acme, 1 Main Street, Springfield</p></body></html>\n"
)
BAD = '<html lang="en"><head><title>t</title></head><body><a href="#">Buy</a></body></html>\n'


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")  # the hook's env, built once


def _try_repo(repo: Path, cache: Path, *files: str) -> subprocess.CompletedProcess[str]:
    for name in files:
        subprocess.run(["git", "-C", str(repo), "add", name], check=True)
    env = {**os.environ, "PRE_COMMIT_HOME": str(cache), "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), "presend", "--files", *files],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def _repo(tmp_path: Path, files: dict[str, str]) -> Path:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def test_a_bad_template_fails_and_a_good_one_passes(tmp_path: Path, cache: Path) -> None:
    repo = _repo(tmp_path, {"Promo.HTML": BAD, "news.html": GOOD})
    bad = _try_repo(repo, cache, "Promo.HTML")  # upper-case suffix: matched all the same
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "LNK003" in bad.stdout
    good = _try_repo(repo, cache, "news.html")
    assert good.returncode == 0, good.stdout + good.stderr


def test_a_template_reading_a_missing_column_fails(tmp_path: Path, cache: Path) -> None:
    repo = _repo(
        tmp_path, {"news.html": GOOD, "list.csv": "email,last_name\nann@example.com,Lee\n"}
    )
    done = _try_repo(repo, cache, "news.html", "list.csv")
    assert done.returncode == 1
    assert "MRG005" in done.stdout  # {{ first_name }}: no such column in list.csv
