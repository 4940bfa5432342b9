"""The GitHub Action: inputs reach presend as arguments, never as shell text."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from linter.action import argv_from_env

ROOT = Path(__file__).resolve().parent.parent


def test_paths_are_lines_and_args_are_split_without_a_shell() -> None:
    argv = argv_from_env(
        {
            "PRESEND_PATHS": "My Templates/\nx/$(echo INJECTED)\n",
            "PRESEND_ARGS": "--fail-on warning",
        }
    )
    assert argv == [
        "check",
        "--no-cache",
        "--format",
        "github",
        "--fail-on",
        "warning",
        "--",
        "My Templates/",
        "x/$(echo INJECTED)",
    ]
    assert argv_from_env({}) == ["check", "--no-cache", "--format", "github", "--", "."]
    only_changed = {"PRESEND_ONLY_CHANGED": "true", "GITHUB_BASE_REF": "main"}
    assert argv_from_env({**only_changed, "PRESEND_PATHS": "emails"}) == [
        "review",
        "--base",
        "origin/main",
        "--format",
        "github",
        "--",
        "emails",
    ]
    assert argv_from_env({"PRESEND_ONLY_CHANGED": "true"})[0] == "check"  # not a pull request


def _run_scripts(text: str) -> list[str]:
    """The shell scripts of action.yml's steps (`run:` values, block scalars included)."""
    lines = text.splitlines()
    scripts = []
    for i, line in enumerate(lines):
        found = re.match(r"^(\s*)run: (.*)$", line)
        if not found:
            continue
        indent, body = len(found.group(1)), [found.group(2)]
        if found.group(2).strip() in ("|", ">"):
            for following in lines[i + 1 :]:
                if following.strip() and len(following) - len(following.lstrip()) <= indent:
                    break
                body.append(following)
        scripts.append("\n".join(body))
    return scripts


def test_action_yml_pastes_no_input_into_a_script() -> None:
    text = (ROOT / "action.yml").read_text(encoding="utf-8")
    scripts = _run_scripts(text)
    assert len(scripts) == 3
    for script in scripts:
        assert "${{" not in script, script  # inputs reach steps only through env:
    assert "update-environment: false" in text  # the job's own Python stays on PATH


def test_the_install_is_cached_under_a_key_of_what_it_installs(tmp_path: Path) -> None:
    """A cache hit skips the install; the key changes with the Python version, the extras
    and any installed file, so a moved tag (v0) never restores an older presend."""
    text = (ROOT / "action.yml").read_text(encoding="utf-8")
    assert "if: steps.cache.outputs.cache-hit != 'true'" in text
    key = re.search(r"key: (presend-venv-.*)", text)
    assert key and "steps.python.outputs.python-version" in key[1]
    assert "inputs.contacts" in key[1] and "steps.key.outputs.digest" in key[1]
    script = next(s for s in _run_scripts(text) if "sha256sum" in s).removeprefix("|")
    for name in ("pyproject.toml", "linter/a.py", "rules/r.toml"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text("1", encoding="utf-8")

    def digest() -> str:
        out = tmp_path / "out"
        out.write_text("", encoding="utf-8")
        env = {**os.environ, "PRESEND_SOURCE": str(tmp_path), "GITHUB_OUTPUT": str(out)}
        subprocess.run(["bash", "-c", script], env=env, check=True)
        found = re.fullmatch(r"digest=([0-9a-f]{16})\n", out.read_text(encoding="utf-8"))
        assert found, out.read_text(encoding="utf-8")
        return found[1]

    before = digest()
    assert digest() == before
    (tmp_path / "linter" / "a.py").write_text("2", encoding="utf-8")
    assert digest() != before


def _run_action(cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """The Check step as the runner runs it: `python -m linter.action` with env inputs."""
    return subprocess.run(
        [sys.executable, "-m", "linter.action"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(
    "hostile", ["x/$(touch INJECTED)", "a; touch INJECTED", "`touch INJECTED`"]
)
def test_the_check_step_runs_hostile_paths_as_names(tmp_path: Path, hostile: str) -> None:
    (tmp_path / "My Templates").mkdir()
    (tmp_path / "My Templates" / "a.html").write_text(
        '<html lang="en"><head><title>t</title></head><body><p>Hi</p></body></html>',
        encoding="utf-8",
    )
    env = {**os.environ, "PRESEND_PATHS": f"My Templates\n{hostile}", "PRESEND_ARGS": ""}
    done = _run_action(tmp_path, env)
    assert not (tmp_path / "INJECTED").exists()
    assert done.returncode == 2  # the hostile name matches no file: an input error, named
    assert hostile in done.stdout + done.stderr


def test_hooks_run_serially_and_match_names_case_blind() -> None:
    text = (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    hooks = text.split("- id: ")[1:]
    assert [h.split("\n", 1)[0] for h in hooks] == ["presend", "presend-data", "presend-fix"]
    for hook in hooks:
        assert "require_serial: true" in hook
        pattern = re.search(r"files: (.*)", hook)
        assert pattern is not None
        assert re.search(pattern.group(1), "templates/Promo.HTML") or "csv" in pattern.group(1)
        assert re.search(pattern.group(1), "lists/NEW.CSV") or "html" in pattern.group(1)


def test_a_simulated_runner_gets_annotations_summary_sarif_and_outputs(tmp_path: Path) -> None:
    workspace, runner_files = tmp_path / "workspace", tmp_path / "runner"
    (workspace / "My Templates").mkdir(parents=True)
    runner_files.mkdir()
    (workspace / "My Templates" / "promo.html").write_text(
        '<html><body><a href="#">Shop now</a></body></html>', encoding="utf-8"
    )
    summary, outputs = runner_files / "step_summary", runner_files / "output"
    summary.write_text("", encoding="utf-8")
    env = {
        **os.environ,
        "GITHUB_WORKSPACE": str(workspace),
        "GITHUB_STEP_SUMMARY": str(summary),
        "GITHUB_OUTPUT": str(outputs),
        "RUNNER_TEMP": str(runner_files),
        "PRESEND_PATHS": "My Templates",
        "PRESEND_ARGS": "--fail-on error",
        "PRESEND_SUMMARY": "true",
        "PRESEND_SARIF": "presend.sarif",
    }
    done = _run_action(workspace, env)
    assert done.returncode == 1, done.stderr  # LNK003: the CTA goes nowhere
    assert done.stdout.startswith("::error file=My Templates/promo.html,")
    assert "LNK003" in summary.read_text(encoding="utf-8")
    sarif = json.loads((workspace / "presend.sarif").read_text(encoding="utf-8"))
    assert {r["ruleId"] for r in sarif["runs"][0]["results"]} >= {"LNK003"}
    lines = outputs.read_text(encoding="utf-8").splitlines()
    assert "errors=1" in lines and "sarif=presend.sarif" in lines
    assert any(line.startswith("findings=") and int(line[9:]) >= 2 for line in lines)


def test_the_hooks_data_stack_is_the_contacts_extra() -> None:
    import tomllib

    extra = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "optional-dependencies"
    ]["contacts"]
    hooks = (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8").split("- id: ")[1:]
    for hook in hooks:
        listed = re.findall(r"^    - (\S+)$", hook, re.MULTILINE)
        assert listed in ([], extra), hook.split("\n", 1)[0]  # none, or the extra exactly
    assert sum(1 for hook in hooks if "additional_dependencies" in hook) == 2
