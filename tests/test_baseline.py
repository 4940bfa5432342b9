"""Baselines and waivers in `presend check`: accept known findings, fail only on new ones."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from linter.baseline import Baseline, BaselineEntry, dumps, from_findings, loads
from linter.cli import main
from tests.pages import BARE, GOOD

# Responsive only, so the counts below do not move when other standards grow; its rules
# are warnings by default, raised to errors here so that they fail a check.
CONFIG = 'standards = ["responsive"]\n\n[severity]\nresponsive = "error"\n'


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "presend.toml").write_text(CONFIG, encoding="utf-8")
    (tmp_path / "t").mkdir()
    (tmp_path / "t" / "a.html").write_text(BARE, encoding="utf-8")
    (tmp_path / "t" / "b.html").write_text(GOOD, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_baseline_file_is_sorted_and_stable(project: Path) -> None:
    code, out, _ = run("baseline", "t")
    assert code == 0
    assert out == "Wrote .presend-baseline.json: 2 finding(s) in 2 file(s).\n"
    first = (project / ".presend-baseline.json").read_text(encoding="utf-8")
    doc = json.loads(first)
    assert doc["total"] == 2 and doc["by_rule"] == {"RSP001": 1, "RSP002": 1}
    assert [(e["path"], e["rule"]) for e in doc["findings"]] == [
        ("t/a.html", "RSP001"),
        ("t/a.html", "RSP002"),
    ]
    assert "line" not in first  # line numbers would churn the diff on every edit
    code, out, _ = run("baseline", "t")
    assert out.endswith("(+0 -0 since the previous baseline).\n")
    assert (project / ".presend-baseline.json").read_text(encoding="utf-8") == first


def test_check_with_baseline_reports_only_new_findings(project: Path) -> None:
    run("baseline", "t")
    code, out, _ = run("check", "t", "--baseline", ".presend-baseline.json")
    assert code == 0
    assert "No findings in 2 files." in out
    assert "Baseline .presend-baseline.json: 2 known finding(s) not shown." in out
    (project / "t" / "b.html").write_text(BARE, encoding="utf-8")  # a new problem file
    code, out, _ = run("check", "t", "--baseline", ".presend-baseline.json")
    assert code == 1
    assert "t/b.html:1:1: RSP001" in out and "t/a.html" not in out


def test_check_lists_baseline_entries_that_are_gone(project: Path) -> None:
    run("baseline", "t")
    (project / "t" / "a.html").write_text(GOOD, encoding="utf-8")  # fixed
    code, out, _ = run("check", "t", "--baseline", ".presend-baseline.json")
    assert code == 0
    assert "2 baseline entries are gone; run `presend baseline` to shrink it:" in out
    assert "  t/a.html: RSP001 " in out
    # Checking another file alone does not claim a.html's entries are gone.
    code, out, _ = run("check", "t/b.html", "--baseline", ".presend-baseline.json")
    assert "gone" not in out


def test_unreadable_baseline_is_a_usage_error(project: Path) -> None:
    (project / "bad.json").write_text("[]", encoding="utf-8")
    code, _, err = run("check", "t", "--baseline", "bad.json")
    assert code == 2
    assert "bad.json: not a presend baseline" in err


def test_dumps_round_trips_and_dedupes() -> None:
    b = Baseline((BaselineEntry("bb", "RSP002", "x.html"), BaselineEntry("aa", "RSP001", "x.html")))
    assert loads(dumps(b), "x") == b
    assert dumps(Baseline(())).endswith('"findings": []\n}\n')
    assert from_findings([]) == Baseline(())


WAIVER = """
[[waivers]]
rule = "RSP001"
files = ["t/a.html"]
reason = "Desktop-only B2B send"
approved-by = "Dana Reyes (client)"
expires = {expires}
"""


def test_waived_finding_is_shown_with_approver_and_not_failing(project: Path) -> None:
    # RSP002 as a warning, so the only error left is the waived one.
    config = CONFIG + 'RSP002 = "warning"\n' + WAIVER.format(expires="2999-12-31")
    (project / "presend.toml").write_text(config, encoding="utf-8")
    code, out, _ = run("check", "t")
    assert code == 0
    assert "Waived (1, not failing):" in out
    assert (
        "t/a.html:1:1: RSP001 The email has no viewport meta tag. [waived: Dana Reyes "
        "(client) until 2999-12-31: Desktop-only B2B send]"
    ) in out
    code, out, _ = run("check", "t", "--format", "json")
    waived = [f for f in json.loads(out)["findings"] if "waived_by" in f]
    assert [f["rule"] for f in waived] == ["RSP001"]


def test_expired_waiver_stops_applying_and_warns(project: Path) -> None:
    (project / "presend.toml").write_text(
        CONFIG + WAIVER.format(expires="2020-01-31"), encoding="utf-8"
    )
    code, out, err = run("check", "t")
    assert code == 1
    assert "t/a.html:1:1: RSP001" in out and "Waived" not in out
    assert (
        "waivers[0] for RSP001 on t/a.html (approved by Dana Reyes (client)) expired on "
        "2020-01-31; its findings count again" in err
    )


@pytest.mark.parametrize(
    "body, message",
    [
        (
            'rule = "RSP001"\nfiles = ["*"]\nexpires = 2030-01-01\napproved-by = "Dana"',
            "waivers[0]: a waiver needs reason",
        ),
        (
            'rule = "RSP001"\nfiles = ["*"]\nexpires = 2030-01-01\nreason = "x"\napproved-by = " "',
            "waivers[0]: a waiver needs approved-by",
        ),
        (
            'rule = "RSP999"\nfiles = ["*"]\nexpires = 2030-01-01\nreason = "x"\napproved-by = "D"',
            "waivers[0].rule: 'RSP999' names no rule",
        ),
        (
            'rule = "RSP001"\nfiles = ["*"]\nexpires = "soon"\nreason = "x"\napproved-by = "D"',
            "waivers[0].expires: expected a date like 2025-06-30 but got 'soon'",
        ),
        (
            'rule = "RSP001"\nfiles = ["*"]\nreason = "x"\napproved-by = "D"',
            "waivers[0]: missing required key(s): expires",
        ),
    ],
)
def test_invalid_waivers_are_config_errors(project: Path, body: str, message: str) -> None:
    (project / "presend.toml").write_text(f"[[waivers]]\n{body}\n", encoding="utf-8")
    code, _, err = run("check", "t")
    assert code == 2
    assert "presend.toml" in err and message in err


def test_json_counts_waived_findings_apart_and_keeps_their_place(project: Path) -> None:
    (project / "presend.toml").write_text(
        CONFIG + WAIVER.format(expires="2999-12-31"), encoding="utf-8"
    )
    code, out, _ = run("check", "t", "--format", "json")
    doc = json.loads(out)
    # The documented order (path, line, column, rule), waived or not: not appended last.
    assert [(f["rule"], "waived_by" in f) for f in doc["findings"]] == [
        ("RSP001", True),
        ("RSP002", False),
    ]
    assert doc["summary"]["findings"] == 1
    assert doc["summary"]["waived"] == 1
    assert doc["summary"]["by_rule"] == {"RSP002": 1}
    assert doc["waivers"] == {
        "active": [
            {
                "rule": "RSP001",
                "files": ["t/a.html"],
                "approved_by": "Dana Reyes (client)",
                "reason": "Desktop-only B2B send",
                "expires": "2999-12-31",
                "count": 1,
            }
        ],
        "expired": [],
    }
    assert code == 1  # RSP002 still fails


def test_expired_waiver_is_in_json_markdown_and_github(project: Path) -> None:
    (project / "presend.toml").write_text(
        CONFIG + WAIVER.format(expires="2020-01-31"), encoding="utf-8"
    )
    _, out, _ = run("check", "t", "--format", "json")
    doc = json.loads(out)
    assert doc["waivers"]["active"] == []
    [expired] = doc["waivers"]["expired"]
    assert (expired["rule"], expired["files"], expired["expires"]) == (
        "RSP001",
        ["t/a.html"],
        "2020-01-31",
    )
    assert "expired on 2020-01-31; its findings count again" in expired["message"]
    assert doc["summary"]["findings"] == 2 and doc["summary"]["waived"] == 0

    _, out, _ = run("check", "t", "--format", "markdown")
    assert "### Lapsed exceptions" in out
    assert "> **Expired:** " in out and "expired on 2020-01-31" in out

    _, out, _ = run("check", "t", "--format", "github")
    [warning] = [line for line in out.splitlines() if "expired" in line]
    assert warning.startswith("::warning title=presend%3A waiver for RSP001 expired::")
    assert "expired on 2020-01-31" in warning


def test_active_waiver_in_markdown_and_github(project: Path) -> None:
    (project / "presend.toml").write_text(
        CONFIG + WAIVER.format(expires="2999-12-31"), encoding="utf-8"
    )
    _, out, _ = run("check", "t", "--format", "markdown")
    assert out.startswith("## presend: 1 finding in 1 of 2 files\n")
    assert (
        "- RSP001 on `t/a.html`: approved by Dana Reyes (client) until 2999-12-31 "
        "(Desktop-only B2B send); 1 finding accepted"
    ) in out
    assert "- RSP001: `t/a.html` line 1" in out
    assert "(RSP001): `t/a.html`" not in out  # not listed as a failing finding

    _, out, _ = run("check", "t", "--format", "github")
    lines = out.splitlines()
    assert lines[0].startswith("::error file=t/a.html,")  # failing findings come first
    assert lines[1].startswith(
        "::notice file=t/a.html,line=1,col=1,title=RSP001 missing-viewport (waived)::"
    )
    assert lines[-1] == "presend: 1 finding in 2 files (1 waived)"
