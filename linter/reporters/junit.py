"""JUnit XML, for CI systems that show test reports: one failing test case per finding."""

from __future__ import annotations

from collections.abc import Sequence
from xml.etree import ElementTree

from linter.findings import Finding
from linter.reporters import ReportContext


def render(findings: Sequence[Finding], ctx: ReportContext) -> str:
    failing = [f for f in findings if not f.waived_by]
    suites = ElementTree.Element("testsuites", name="presend")
    suite = ElementTree.SubElement(
        suites,
        "testsuite",
        name="presend",
        tests=str(max(len(failing), 1)),
        failures=str(len(failing)),
        errors=str(len(ctx.errors)),
    )
    for f in failing:
        case = ElementTree.SubElement(
            suite,
            "testcase",
            classname=f.path,
            name=f"{f.rule} {f.name} ({f.line}:{f.column})",
            file=f.path,
            line=str(f.line),
        )
        failure = ElementTree.SubElement(case, "failure", message=f.message, type=f.severity.value)
        failure.text = f"{f.path}:{f.line}:{f.column}: {f.rule} [{f.severity.value}] {f.message}"
    for error in ctx.errors:
        case = ElementTree.SubElement(suite, "testcase", classname="presend", name="input")
        ElementTree.SubElement(case, "error", message=error).text = error
    if not failing and not ctx.errors:
        ElementTree.SubElement(suite, "testcase", classname="presend", name="all standards")
    ElementTree.indent(suites)
    return ElementTree.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"
