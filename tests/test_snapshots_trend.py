"""`presend snapshot` and `presend report`: dated summaries and the trend across them."""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from linter.cli import main
from linter.commands.snapshot import SnapshotOptions, snapshot
from linter.snapshots import load_all, trend_html, trend_text
from tests.pages import BARE, GOOD


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    config = 'standards = ["responsive"]\n\n[severity]\nresponsive = "error"\n'
    (tmp_path / "presend.toml").write_text(config, encoding="utf-8")
    (tmp_path / "a.html").write_text(BARE, encoding="utf-8")
    (tmp_path / "b.html").write_text(BARE, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_snapshots_append_dated_summaries(project: Path) -> None:
    assert snapshot(SnapshotOptions(("a.html", "b.html"), now=datetime(2025, 3, 1, 9, 30))) == 0
    (project / "b.html").write_text(GOOD, encoding="utf-8")
    assert snapshot(SnapshotOptions(("a.html", "b.html"), now=datetime(2025, 4, 1, 9, 30))) == 0
    assert snapshot(SnapshotOptions(("a.html", "b.html"), now=datetime(2025, 4, 1, 9, 30))) == 0
    names = sorted(p.name for p in (project / ".presend" / "snapshots").iterdir())
    assert names == ["2025-03-01T093000.json", "2025-04-01T093000-2.json", "2025-04-01T093000.json"]
    first = json.loads((project / ".presend/snapshots/2025-03-01T093000.json").read_text())
    assert first["total"] == 4
    assert first["by_standard"] == {"responsive": 4}
    assert first["by_rule"] == {"RSP001": 2, "RSP002": 2}
    assert first["by_file"] == {"a.html": 2, "b.html": 2}
    snaps = load_all(project / ".presend" / "snapshots")
    assert [s.total for s in snaps] == [4, 2, 2]


def test_trend_text_and_self_contained_html(project: Path) -> None:
    snapshot(SnapshotOptions(("a.html", "b.html"), now=datetime(2025, 3, 1)))
    (project / "b.html").write_text(GOOD, encoding="utf-8")
    snapshot(SnapshotOptions(("a.html", "b.html"), now=datetime(2025, 4, 1)))
    snaps = load_all(project / ".presend" / "snapshots")
    text = trend_text(snaps)
    assert "Trend across 2 snapshot(s), 2025-03-01 to 2025-04-01" in text
    assert re.search(r"2025-04-01 00:00:00\s+2\s+2 \(-2\)\s+2\s+0\s+2 \(-2\)", text)
    assert text.endswith("Findings down by 2 since 2025-03-01.\n")
    page = trend_html(snaps)
    assert "<svg" in page and "<polyline" in page and "responsive" in page
    # Self-contained: nothing loads from elsewhere, nothing runs.
    assert not re.search(r"\s(src|href)=", page)
    assert "<script" not in page and "@import" not in page and "url(" not in page


def test_report_command_writes_html(project: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(main, ["report"]).output.startswith("No snapshots yet")
    result = runner.invoke(main, ["snapshot", "a.html"])
    assert result.exit_code == 0 and result.output.startswith("Wrote .presend/snapshots/")
    result = runner.invoke(main, ["report", "--html", "trend.html"])
    assert result.exit_code == 0
    assert "Wrote trend.html." in result.output
    assert (project / "trend.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_corrupt_snapshot_is_a_usage_error(project: Path) -> None:
    folder = project / ".presend" / "snapshots"
    folder.mkdir(parents=True)
    (folder / "2025-01-01T000000.json").write_text("{}", encoding="utf-8")
    result = CliRunner().invoke(main, ["report"])
    assert result.exit_code == 2
    assert "not a presend snapshot" in result.output
