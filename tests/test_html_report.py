"""`--format html`: one self-contained page (no external assets, no script), every input
text escaped, and a real browser (Debian's chromium, headless) renders the client-support
matrix in its colours."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from linter.cli import main
from linter.findings import Finding, Severity
from linter.reporters import ReportContext
from linter.reporters.html import CELL, SUPPORT_COLOURS, matrix_cells, render

ROOT = Path(__file__).resolve().parent.parent
CLIENT_SUPPORT = ROOT / "fixtures" / "email" / "client-support"
HOSTILE = "<script>alert(1)</script>"


def _finding(path: str, message: str, standard: str = "links") -> Finding:
    return Finding("LNK001", "x", standard, Severity.ERROR, path, 1, 1, message, "f")


def test_paths_and_messages_are_escaped_everywhere() -> None:
    page = render(
        [_finding(f"a/{HOSTILE}.html", f'alt "{HOSTILE}" & <b onload=x>', HOSTILE)],
        ReportContext("1", 1, errors=(f"{HOSTILE}.html: cannot read",)),
    )
    assert "<script" not in page.lower()
    assert "onload=x>" not in page
    # twice the path (file table, details), the message, the standard, the input error
    assert page.count("&lt;script&gt;alert(1)&lt;/script&gt;") == 5


def test_a_hostile_file_name_and_content_from_the_cli(tmp_path: Path) -> None:
    folder = tmp_path / "<script>alert(1)<"
    folder.mkdir()
    (folder / "script>.html").write_text(
        f'<html><body><img src="https://x.test/a.png" alt="{HOSTILE}"><p>x</p></body></html>'
    )
    out = tmp_path / "report.html"
    done = CliRunner().invoke(
        main, ["check", "--no-cache", str(tmp_path), "--report", f"html={out}"]
    )
    assert done.exit_code in (0, 1), done.output
    page = out.read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;.html" in page  # the path, escaped
    assert "<script" not in page.lower()


def test_the_page_needs_nothing_from_outside() -> None:
    findings = [_finding("a.html", "css-display-flex `display: flex`: x", "client-support")]
    page = render(findings, ReportContext("1", 1, targets=("gmail.*",)))
    # Links only within the page (#f0); nothing loaded from anywhere.
    assert not re.search(r"""src\s*=|href="[^#]|@import|url\(|<link|<script""", page, re.I)
    assert 'href="#f0"' in page and 'id="f0"' in page


def test_the_matrix_colours_each_feature_for_each_target() -> None:
    findings = [
        _finding("a.html", "css-display-flex `display: flex`: …", "client-support"),
        _finding("a.html", "css-display-flex `display: flex`: …", "client-support"),
        _finding("b.html", "html-video `<video>`: …", "client-support"),
        _finding("b.html", "no-such-feature `x`: …", "client-support"),  # not caniemail's
    ]
    features, clients, cells = matrix_cells(findings, ("outlook.windows", "apple-mail.ios"))
    assert features == [("css-display-flex", 2), ("html-video", 1)]
    assert clients == ["outlook.windows", "apple-mail.ios"]
    assert cells[("css-display-flex", "outlook.windows")] == "unsupported"
    assert cells[("css-display-flex", "apple-mail.ios")] == "supported"


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        pytest.skip("chromium is not installed (.ci/run installs Debian's chromium)")
    return found


def _browser(chromium: str, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--no-first-run",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        "--force-device-scale-factor=1",
        f"--user-data-dir={tmp_path / 'profile'}",
    ]
    return subprocess.run(
        [chromium, *flags, *args], capture_output=True, text=True, timeout=120, check=False
    )


def test_a_real_browser_renders_the_matrix(tmp_path: Path) -> None:
    from PIL import Image

    chromium = _chromium()
    page = tmp_path / "report.html"
    done = CliRunner().invoke(
        main,
        ["check", "--no-cache", str(CLIENT_SUPPORT), "--format", "html", "-o", str(page)],
    )
    assert done.exit_code == 1, done.output
    url = page.as_uri()
    dom = _browser(chromium, tmp_path, "--dump-dom", url).stdout
    assert "presend report" in dom and "css-values.html" in dom
    assert "Client support" in dom and "outlook.windows" in dom

    shot = tmp_path / "shot.png"
    _browser(chromium, tmp_path, f"--screenshot={shot}", "--window-size=1280,2400", url)
    image = Image.open(shot).convert("RGB")
    assert image.size == (1280, 2400)
    colours = {rgb: n for n, rgb in image.getcolors(maxcolors=1 << 24) or []}
    assert len(colours) > 20  # text, bars and cells, not a blank page
    # Each support colour covers its cells (20 x 20 px each) and its 12 x 12 legend swatch.
    expected = Counter(matrix_cells(_lint(), ())[2].values())
    assert expected["supported"] and expected["partial"] and expected["unsupported"]
    for word, colour in SUPPORT_COLOURS.items():
        rgb = tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))
        area = expected[word] * (CELL - 2) ** 2 + 12 * 12
        assert abs(colours.get(rgb, 0) - area) <= 0.05 * area, (word, colours.get(rgb), area)


def _lint() -> list[Finding]:
    from linter import catalogue
    from linter.config import Config
    from linter.lint import lint_paths

    return lint_paths((str(CLIENT_SUPPORT),), Config.defaults(catalogue.load())).findings
