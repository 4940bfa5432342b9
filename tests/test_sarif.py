"""SARIF 2.1.0 output: valid against the official schema, with rules, levels, regions and
presend's fingerprints; checked with Microsoft's SARIF multitool where it is installed.

The schema and the multitool come from the npm package @microsoft/sarif-multitool (.ci/run
installs it and sets PRESEND_SARIF_TOOLS to its node_modules folder); without it the
structural tests still run and the two validations are skipped.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from linter.cli import main

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "fixtures" / "email" / "corpus" / "antwort" / "two-cols-simple_build.html"
TOOLS = Path(os.environ.get("PRESEND_SARIF_TOOLS", "/nonexistent"))
SCHEMA = TOOLS / "@microsoft" / "sarif-multitool-linux" / "sarif-2.1.0.json"
MULTITOOL = TOOLS / "@microsoft" / "sarif-multitool" / "bin.js"


@pytest.fixture(scope="module")
def log(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    out = tmp_path_factory.mktemp("sarif") / "presend.sarif"
    result = CliRunner().invoke(main, ["check", str(TEMPLATE), "--format", "sarif", "-o", str(out)])
    assert result.exit_code == 1, result.output  # LNK003 errors in the template
    loaded: dict[str, object] = json.loads(out.read_text(encoding="utf-8"))
    return loaded


def test_results_carry_rules_levels_regions_and_fingerprints(log: dict[str, object]) -> None:
    (run,) = log["runs"]  # type: ignore[misc]
    rules = run["tool"]["driver"]["rules"]
    results = run["results"]
    assert log["version"] == "2.1.0" and results
    ids = [r["id"] for r in rules]
    assert ids == sorted(set(ids)) and {"ACC001", "LNK003"} <= set(ids)
    for result in results:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] in ("error", "warning", "note")
        region = result["locations"][0]["physicalLocation"]["region"]
        assert region["startLine"] >= 1 and region["startColumn"] >= 1
        assert len(result["partialFingerprints"]["presendFingerprint/v1"]) == 16
    lnk003 = next(r for r in rules if r["id"] == "LNK003")
    assert lnk003["defaultConfiguration"]["level"] == "error"
    assert "(preferred)" in lnk003["help"]["text"]
    info = next(r for r in results if r["ruleId"] == "ACC001")
    assert info["level"] == "warning"


@pytest.mark.skipif(not SCHEMA.is_file(), reason="SARIF schema not installed (.ci/run does)")
def test_valid_against_the_official_schema(log: dict[str, object]) -> None:
    import jsonschema

    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    errors = [e.message for e in jsonschema.Draft202012Validator(schema).iter_errors(log)]
    assert errors == []


@pytest.mark.skipif(not MULTITOOL.is_file(), reason="SARIF multitool not installed")
def test_the_sarif_multitool_finds_no_error(log: dict[str, object], tmp_path: Path) -> None:
    sarif, report = tmp_path / "in.sarif", tmp_path / "report.sarif"
    sarif.write_text(json.dumps(log), encoding="utf-8")
    args = ["node", str(MULTITOOL), "validate", str(sarif), "-o", str(report)]
    subprocess.run([*args, "--level", "Error", "Warning"], check=True, capture_output=True)
    findings = json.loads(report.read_text(encoding="utf-8"))["runs"][0]["results"]
    assert [f for f in findings if f.get("level") == "error"] == []
