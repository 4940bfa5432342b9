"""Hostile email HTML (issue 13): every input once crashed presend (exit 3), read garbage or
stopped early and called the rest clean. Each is now linted, or refused as that file's
input error (exit 2, file and line named) while the other files are still reported."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from linter.cli import main

CORPUS = Path(__file__).parent / "hostile"
CLEAN = "<html lang='en'><head><title>x</title></head><body><p>Hi</p></body></html>\n"


def _check(*args: str, rules: str = "security") -> Result:
    return CliRunner().invoke(main, ["check", "--select", rules, *args])


@pytest.fixture
def clean(tmp_path: Path) -> Path:
    path = tmp_path / "clean.html"
    path.write_text(CLEAN.replace("<p>", "<script>x</script><p>"), encoding="utf-8")
    return path


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.html")), ids=lambda p: p.name)
def test_no_hostile_input_crashes_or_hides_another_files_findings(path: Path, clean: Path) -> None:
    result = _check(str(path), str(clean), rules="SEC001,client-support,responsive")
    assert result.exit_code in (1, 2), result.output
    assert "crashed" not in result.output and "presend failed" not in result.output
    assert f"{clean}:1:" in result.output  # the other file is still reported


@pytest.mark.parametrize(
    "name",
    [
        "xhtml-prolog.html",  # lxml refused a str with an encoding declaration
        "meta-charset-rot13.html",  # a codec that is no text encoding: ignored
        "meta-charset-base64.html",
        "meta-charset-punycode.html",
        "meta-charset-undefined.html",
        "meta-charset-utf-16-on-ascii.html",  # read as UTF-8, as browsers do
        "utf-16le-without-bom.html",  # told by its NULs, not "contains NUL bytes"
        "utf-16be-without-bom.html",
    ],
)
def test_odd_prologs_and_charsets_are_read_and_linted(name: str) -> None:
    result = _check(str(CORPUS / name))
    assert result.exit_code == 1, result.output
    assert "SEC001 [error] <script> in the email" in result.output
    assert "SEC005" in result.output  # the <iframe> after it


@pytest.mark.parametrize(
    ("name", "line", "reason"),
    [
        ("css-number-5000-digits.html", 2, "a CSS number longer than 4300 digits"),
        ("css-calc-500-deep.html", 2, "CSS nested more than 100 brackets deep"),
        ("css-media-1000-deep.html", 2, "CSS nested more than 100 brackets deep"),
        ("nested-300-deep.html", 2, "the HTML parser stops here"),
    ],
)
def test_past_a_limit_is_that_files_input_error_with_its_line(
    name: str, line: int, reason: str
) -> None:
    result = _check(str(CORPUS / name), rules="client-support,responsive")
    assert result.exit_code == 2, result.output
    assert f"{CORPUS / name}: line {line}: {reason}" in result.output


def test_a_crash_in_one_file_is_its_input_error_and_the_others_are_reported(
    clean: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from linter import lint

    real = lint.lint_email

    def explode(doc: Any, settings: Any) -> object:
        if doc.path.endswith("bad.html"):
            raise RuntimeError("boom")
        return real(doc, settings)

    monkeypatch.setattr(lint, "lint_email", explode)
    bad = tmp_path / "bad.html"
    bad.write_text(CLEAN, encoding="utf-8")
    result = _check(str(bad), str(clean))
    assert result.exit_code == 2
    assert f"presend: {bad}: presend failed on this file (RuntimeError at " in result.output
    assert "boom); please report it with the file" in result.output
    assert f"{clean}:1:" in result.output


def test_findings_per_rule_per_file_are_capped_with_a_final_notice(tmp_path: Path) -> None:
    path = tmp_path / "tags.html"
    path.write_text("<html><body>" + "{{ " * 5000 + "</body></html>", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "--select", "MRG001", str(path)])
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if " MRG001 " in line]
    assert len(lines) == 1001
    assert "only the first 1000 are listed (the limit per rule per file)" in lines[-1]


def test_content_after_the_closing_html_tag_is_linted(tmp_path: Path) -> None:
    """libxml2 2.14 parses it into a second root that lxml drops; browsers show it."""
    path = tmp_path / "after.html"
    path.write_text(CLEAN + "<!-- c --><p>x</p>\n<script>alert(1)</script>", encoding="utf-8")
    result = _check(str(path))
    assert result.exit_code == 1
    assert f"{path}:3:1: SEC001 [error] <script> in the email" in result.output


def test_pathological_image_lists_are_linted(tmp_path: Path) -> None:
    # srcset and url() lists a crafted file makes long: commas only, candidates with no
    # descriptors, many url()s, an unclosed url(. Each is read in one pass.
    # (Under 1 MiB in all: past it the file is refused before any rule runs.)
    srcsets = [", " * 50_000, "a ," * 50_000, "a," * 50_000 + " 1x", "x 1x" + ", ," * 30_000]
    srcsets.append(" " * 4090 + "a 1x," * 20_000)  # padding: one long context, many findings
    css = "background:" + "url(a) " * 30_000 + "; background-image: url('" + "a" * 100_000
    images = "".join(f'<img alt="" srcset="{s}">' for s in srcsets)
    path = tmp_path / "lists.html"
    body = f'{images}<div style="{css}">x</div><a href="https://x.com/?e={{email}}">a</a>'
    path.write_text(f"<html lang='en'><body>{body}</body></html>", encoding="utf-8")
    result = _check(str(path), rules="CNT002,LNK")
    assert result.exit_code in (0, 1), result.output
    assert "crashed" not in result.output and "presend failed" not in result.output
