"""Hostile change requests (issue 13): patches that crashed, hung or read files outside the
repository, and review folders holding device symlinks."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from linter.cli import main

PAGE = "<html lang='en'><head><title>x</title></head><body><p>Hi</p></body></html>\n"
TWO_NEW_FILES = """--- /dev/null
+++ b/x.html
@@ -0,0 +1 @@
+<html><body><script>x</script></body></html>
--- /dev/null
+++ b/y.html
@@ -0,0 +1 @@
+<html><body><iframe src="https://example.com"></iframe></body></html>
"""


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder outside any git repository: the repository root is the current folder."""
    root = tmp_path / "repo"
    root.mkdir()
    (root / "a.html").write_text(PAGE, encoding="utf-8")
    monkeypatch.chdir(root)
    return root


def _review(*args: str) -> Result:
    return CliRunner().invoke(main, ["review", *args])


def _patch(repo: Path, text: str) -> str:
    (repo / "change.diff").write_text(text, encoding="utf-8")
    return "change.diff"


def test_a_patch_creating_two_files_without_diff_lines_reviews_both(repo: Path) -> None:
    result = _review("--patch", _patch(repo, TWO_NEW_FILES), "--format", "json")
    assert result.exit_code == 1, result.output
    assert '"path": "x.html"' in result.output and '"rule": "SEC001"' in result.output
    assert '"path": "y.html"' in result.output and '"rule": "SEC005"' in result.output


def test_a_binary_change_to_an_image_is_skipped_and_the_rest_reviewed(repo: Path) -> None:
    text = (
        "diff --git a/logo.png b/logo.png\nnew file mode 100644\nindex 0000000..e69de29\n"
        "Binary files /dev/null and b/logo.png differ\n"
        "diff --git a/a.html b/a.html\n--- a/a.html\n+++ b/a.html\n@@ -1 +1 @@\n"
        f"-{PAGE}+<html><body><script>x</script></body></html>\n"
    )
    result = _review("--patch", _patch(repo, text), "--format", "json")
    assert result.exit_code == 1, result.output
    assert '"rule": "SEC001"' in result.output


def test_a_binary_change_to_a_template_is_an_input_error(repo: Path) -> None:
    text = (
        "diff --git a/b.html b/b.html\nnew file mode 100644\nindex 0000000..e69de29\n"
        "Binary files /dev/null and b/b.html differ\n"
    )
    result = _review("--patch", _patch(repo, text))
    assert result.exit_code == 2
    assert "change.diff: b.html: a binary change" in result.output


def test_an_empty_new_file_in_a_git_patch_is_reviewed(repo: Path) -> None:
    text = "diff --git a/e.html b/e.html\nnew file mode 100644\nindex 0000000..e69de29\n"
    result = _review("--patch", _patch(repo, text))
    assert result.exit_code in (0, 1), result.output
    assert "crashed" not in result.output


def test_a_long_hunk_header_is_refused_quickly(repo: Path) -> None:
    """whatthepatch's header regex backtracks quadratically: 50 KB took 14 s."""
    text = "--- a/a.html\n+++ b/a.html\n@@ -" + "1" * 50_000 + " +1 @\n-x\n+y\n"
    start = time.perf_counter()
    result = _review("--patch", _patch(repo, text))
    assert time.perf_counter() - start < 5
    assert result.exit_code == 2
    assert "change.diff: line 3: a header line over 1000 characters" in result.output


@pytest.mark.parametrize("target", ["../secret.html", "{abs}"])
def test_a_patch_never_reads_outside_the_repository(repo: Path, target: str) -> None:
    secret = repo.parent / "secret.html"
    secret.write_text("password=hunter2\n", encoding="utf-8")
    name = target.format(abs=secret)
    text = f"--- a/{name}\n+++ b/{name}\n@@ -1 +1 @@\n-other\n+x\n".replace("a//", "/")
    text = text.replace("b//", "/")
    result = _review("--patch", _patch(repo, text))
    assert result.exit_code == 2
    assert "outside the repository" in result.output
    assert "hunter2" not in result.output


def test_a_symlink_out_of_the_repository_is_not_followed(repo: Path) -> None:
    secret = repo.parent / "secret.html"
    secret.write_text("password=hunter2\n", encoding="utf-8")
    (repo / "link.html").symlink_to(secret)
    text = "--- a/link.html\n+++ b/link.html\n@@ -1 +1 @@\n-other\n+x\n"
    result = _review("--patch", _patch(repo, text))
    assert result.exit_code == 2
    assert "link.html: outside the repository" in result.output
    assert "hunter2" not in result.output


def test_review_of_folders_skips_device_symlinks(tmp_path: Path) -> None:
    old, new = tmp_path / "old", tmp_path / "new"
    for folder in (old, new):
        folder.mkdir()
        (folder / "a.html").write_text(PAGE, encoding="utf-8")
    (new / "zero.html").symlink_to("/dev/zero")  # read for ever before
    (old / "null.html").symlink_to(os.devnull)
    start = time.perf_counter()
    result = _review(str(old), str(new))
    assert time.perf_counter() - start < 10
    assert result.exit_code == 0, result.output
    assert "0 changed file(s) linted" in result.output


CORPUS = Path(__file__).parent / "hostile"


@pytest.mark.parametrize("name", sorted(p.name for p in CORPUS.glob("*.diff")))
def test_no_patch_in_the_regression_corpus_crashes(repo: Path, name: str) -> None:
    (repo / "t.html").write_text("<p>x</p>\n", encoding="utf-8")
    text = (CORPUS / name).read_text(encoding="utf-8")
    result = _review("--patch", _patch(repo, text))
    assert result.exit_code in (0, 1, 2), result.output
    assert "crashed" not in result.output and "presend failed" not in result.output


def test_an_svn_style_patch_reviews_each_file_once(repo: Path) -> None:
    """Cutting the patch per file keeps each file's preamble (Index:, ====) with it."""
    (repo / "b.html").write_text(PAGE, encoding="utf-8")
    parts = [
        f"Index: {name}\n{'=' * 67}\n--- {name}\t(revision 1)\n+++ {name}\t(working copy)\n"
        f"@@ -1 +1 @@\n-{PAGE}+{new}\n\\ No newline at end of file\n"
        for name, new in (
            ("a.html", "<html><body><script>x</script></body></html>"),
            ("b.html", '<html><body><iframe src="https://example.com"></iframe></body></html>'),
        )
    ]
    from linter.review.patch import parse

    parsed = parse("".join(parts), "change.diff")
    assert [(p.path, len(p.diff.changes or [])) for p in parsed] == [("a.html", 2), ("b.html", 2)]
    result = _review("--patch", _patch(repo, "".join(parts)), "--format", "json")
    assert result.exit_code == 1, result.output
    assert '"rule": "SEC001"' in result.output and '"rule": "SEC005"' in result.output
