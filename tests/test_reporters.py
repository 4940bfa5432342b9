"""Each reporter renders the same findings; golden outputs pin the formats."""

from __future__ import annotations

import json

from linter.findings import Finding, Severity
from linter.reporters import ReportContext, renderer

FINDINGS = [
    Finding(
        "RSP001",
        "missing-viewport",
        "responsive",
        Severity.ERROR,
        "a.html",
        1,
        1,
        "The email has no viewport meta tag.",
        "0123456789abcdef",
    ),
    Finding(
        "OUT004",
        "max-width-without-ghost-table",
        "outlook",
        Severity.WARNING,
        "a.html",
        12,
        5,
        "Outlook ignores max-width: 600px, a,b",
        "fedcba9876543210",
        audience="mso",
    ),
]
CTX = ReportContext("1.2.3", files=2)


def test_text_golden() -> None:
    assert renderer("text")(FINDINGS, CTX) == (
        "a.html:1:1: RSP001 [error] The email has no viewport meta tag.\n"
        "a.html:12:5: OUT004 [warning] Outlook ignores max-width: 600px, a,b"
        " [in <!--[if mso]>: only Outlook for Windows sees it]\n"
        "\n"
        "2 findings (1 error, 1 warning, 0 infos) in 1 of 2 files.\n"
    )


def test_text_colours_only_when_asked() -> None:
    coloured = renderer("text")(FINDINGS, ReportContext("1", 1, color=True))
    assert "\x1b[31m[error]\x1b[0m" in coloured
    assert "\x1b[" not in renderer("text")(FINDINGS, CTX)


def test_json_golden() -> None:
    data = json.loads(renderer("json")(FINDINGS, CTX))
    assert data["version"] == "1.2.3"
    assert data["findings"][1] == {
        "rule": "OUT004",
        "name": "max-width-without-ghost-table",
        "standard": "outlook",
        "severity": "warning",
        "path": "a.html",
        "line": 12,
        "column": 5,
        "message": "Outlook ignores max-width: 600px, a,b",
        "fingerprint": "fedcba9876543210",
        "audience": "mso",
    }
    assert data["summary"]["by_severity"] == {"error": 1, "warning": 1, "info": 0}
    assert data["summary"]["by_standard"] == {"outlook": 1, "responsive": 1}


def test_github_annotations_escape_properties() -> None:
    out = renderer("github")(FINDINGS, CTX).splitlines()
    assert out[0] == (
        "::error file=a.html,line=1,col=1,title=RSP001 missing-viewport::"
        "The email has no viewport meta tag."
    )
    assert out[1].startswith("::warning file=a.html,line=12,col=5,")
    assert out[1].endswith("::Outlook ignores max-width: 600px, a,b")
    assert out[-1] == "presend: 2 findings in 2 files"


def test_empty_report() -> None:
    assert renderer("text")([], CTX) == "No findings in 2 files.\n"


def test_github_puts_errors_first_and_says_how_many_it_cannot_show() -> None:

    error, warning = FINDINGS
    many = [warning._replace(line=n) for n in range(1, 4)] + [
        error._replace(line=n) for n in range(1, 13)
    ]
    out = renderer("github")(many, CTX).splitlines()
    assert [line.split(" ", 1)[0] for line in out[:13]] == ["::error"] * 12 + ["::warning"]
    assert out[-1].startswith("::notice title=presend%3A more findings::")
    assert "2 more are not on the pull request" in out[-1]  # 12 errors, 10 shown
    few = renderer("github")(FINDINGS, CTX).splitlines()
    assert not few[-1].startswith("::notice")


def test_junit_is_xml_with_a_failing_case_per_finding() -> None:
    from xml.etree import ElementTree

    root = ElementTree.fromstring(renderer("junit")(FINDINGS, CTX))
    suite = root.find("testsuite")
    assert suite is not None and suite.get("failures") == "2"
    failures = root.findall(".//testcase/failure")
    assert [f.get("type") for f in failures] == ["error", "warning"]
    assert failures[1].get("message") == "Outlook ignores max-width: 600px, a,b"
    clean = ElementTree.fromstring(renderer("junit")([], CTX))
    assert clean.findall(".//failure") == [] and len(clean.findall(".//testcase")) == 1


def test_gitlab_code_quality_issues() -> None:
    issues = json.loads(renderer("gitlab")(FINDINGS, CTX))
    assert [i["severity"] for i in issues] == ["major", "minor"]
    assert issues[0]["location"] == {"path": "a.html", "lines": {"begin": 1}}
    assert issues[0]["check_name"] == "RSP001 missing-viewport"
    assert len({i["fingerprint"] for i in issues}) == 2
