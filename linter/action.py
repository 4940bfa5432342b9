"""The GitHub Action's entry: inputs arrive as environment variables, never as shell text.

action.yml passes `paths` (one per line, so a folder may contain spaces) and `args` (split
like a shell would, but never run by one) in PRESEND_PATHS and PRESEND_ARGS, so an input such
as `x/$(echo INJECTED)` is a path name, not a command. One lint run prints the annotations
and writes the job summary (Markdown), a SARIF file for code scanning and the step's outputs.
"""

from __future__ import annotations

import json
import os
import shlex
import sys
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path


def argv_from_env(env: Mapping[str, str]) -> list[str]:
    """`presend check` arguments for the action's inputs (`presend review` against the pull
    request's base with `only-changed`: the findings the change adds)."""
    paths = [line.strip() for line in env.get("PRESEND_PATHS", ".").splitlines() if line.strip()]
    args = shlex.split(env.get("PRESEND_ARGS", ""))
    base = env.get("GITHUB_BASE_REF", "")
    if env.get("PRESEND_ONLY_CHANGED") == "true" and base:
        return ["review", "--base", f"origin/{base}", "--format", "github", *args, "--", *paths]
    reports: list[str] = []
    if env.get("PRESEND_SARIF"):
        reports += ["--report", f"sarif={env['PRESEND_SARIF']}"]
    if env.get("GITHUB_STEP_SUMMARY") and env.get("PRESEND_SUMMARY", "true") == "true":
        reports += ["--report", f"markdown={env['GITHUB_STEP_SUMMARY']}"]
    if env.get("PRESEND_JSON"):
        reports += ["--report", f"json={env['PRESEND_JSON']}"]
    # --no-cache: a pull request could commit a .presend-cache/ whose entries hide findings.
    return ["check", "--no-cache", "--format", "github", *reports, *args, "--", *(paths or ["."])]


def _outputs(json_report: Path, env: Mapping[str, str]) -> str:
    """name=value lines for GITHUB_OUTPUT: counts from the run's JSON report."""
    try:
        summary = json.loads(json_report.read_text(encoding="utf-8"))["summary"]
    except (OSError, ValueError, KeyError):
        return ""  # the run ended before reporting (a usage error): no counts to give
    lines = [
        f"findings={summary['findings']}",
        f"errors={summary['by_severity'].get('error', 0)}",
        f"sarif={env.get('PRESEND_SARIF', '')}",
    ]
    return "".join(line + "\n" for line in lines)


def main(argv: Sequence[str] | None = None) -> None:
    from linter.cli import main as cli

    if argv is not None:
        cli(args=list(argv), prog_name="presend")
        return
    env = dict(os.environ)
    with tempfile.TemporaryDirectory() as scratch:
        env["PRESEND_JSON"] = str(Path(scratch) / "presend.json")
        try:
            cli(args=argv_from_env(env), prog_name="presend")
            code = 0
        except SystemExit as done:
            code = done.code if isinstance(done.code, int) else 2
        outputs = _outputs(Path(env["PRESEND_JSON"]), env)
    if outputs and env.get("GITHUB_OUTPUT"):
        with open(env["GITHUB_OUTPUT"], "a", encoding="utf-8") as handle:
            handle.write(outputs)
    sys.exit(code)


if __name__ == "__main__":
    main()
