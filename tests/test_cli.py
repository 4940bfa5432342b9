"""The command line: exit codes, formats, stdin, unreadable inputs, config discovery."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from linter.cli import main

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"

# Fixed wider than a phone with no viewport: RSP001.
NO_VIEWPORT = (
    "<html lang='en'><head><title>x</title></head>"
    "<body><table width='600'><tr><td><p>Hi</p></td></tr></table></body></html>\n"
)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_findings_exit_1_with_location_and_rule(runner: CliRunner, tmp_path: Path) -> None:
    path = _write(tmp_path, "a.html", NO_VIEWPORT)
    result = runner.invoke(main, ["check", str(path), "--select", "RSP001", "--fail-on", "warning"])
    assert result.exit_code == 1
    assert f"{path}:1:1: RSP001 [warning] The email has no viewport meta tag." in result.output
    assert "1 finding (0 errors, 1 warning, 0 infos) in 1 of 1 file." in result.output


def test_clean_exit_0(runner: CliRunner, tmp_path: Path) -> None:
    path = _write(tmp_path, "a.html", NO_VIEWPORT)
    result = runner.invoke(main, ["check", str(path), "--select", "RSP004"])
    assert result.exit_code == 0, result.output
    assert "No findings in 1 file." in result.output


def test_exit_zero_and_fail_on(runner: CliRunner, tmp_path: Path) -> None:
    path = _write(tmp_path, "a.html", NO_VIEWPORT)
    args = ["check", str(path), "--select", "RSP001"]
    assert runner.invoke(main, [*args, "--exit-zero", "--fail-on", "warning"]).exit_code == 0
    assert runner.invoke(main, args).exit_code == 0  # a warning, below the default error
    assert runner.invoke(main, [*args, "--fail-on", "warning"]).exit_code == 1
    config = _write(tmp_path, "presend.toml", '[severity]\nRSP001 = "error"\n')
    assert runner.invoke(main, [*args, "--config", str(config)]).exit_code == 1


def test_json_format(runner: CliRunner, tmp_path: Path) -> None:
    path = _write(tmp_path, "a.html", NO_VIEWPORT)
    result = runner.invoke(main, ["check", str(path), "--select", "RSP001", "--format", "json"])
    data = json.loads(result.output)
    assert data["summary"]["findings"] == 1
    finding = data["findings"][0]
    assert {k: finding[k] for k in ("rule", "name", "standard", "severity", "line", "column")} == {
        "rule": "RSP001",
        "name": "missing-viewport",
        "standard": "responsive",
        "severity": "warning",
        "line": 1,
        "column": 1,
    }
    assert len(finding["fingerprint"]) == 16


def test_stdin_with_filename(runner: CliRunner) -> None:
    result = runner.invoke(
        main,
        ["check", "-", "--stdin-filename", "mail.html", "--select", "RSP001", "--fail-on", "info"],
        input=NO_VIEWPORT,
    )
    assert result.exit_code == 1
    assert "mail.html:1:1: RSP001" in result.output


def test_missing_input_is_reported_and_others_still_run(runner: CliRunner, tmp_path: Path) -> None:
    path = _write(tmp_path, "a.html", NO_VIEWPORT)
    result = runner.invoke(
        main, ["check", str(tmp_path / "nope.html"), str(path), "--select", "RSP001"]
    )
    assert result.exit_code == 2
    assert "nope.html: no such file or directory" in result.stderr
    assert "RSP001" in result.stdout


def test_directories_recurse_and_skip_vendor_folders(runner: CliRunner, tmp_path: Path) -> None:
    _write(tmp_path, "emails/a.html", NO_VIEWPORT)
    _write(tmp_path, "emails/sub/b.htm", NO_VIEWPORT)
    _write(tmp_path, "emails/node_modules/c.html", NO_VIEWPORT)
    _write(tmp_path, "emails/notes.txt", "not an email")
    result = runner.invoke(main, ["check", str(tmp_path / "emails"), "--select", "RSP001"])
    assert "in 2 of 2 files" in result.output
    assert "node_modules" not in result.output


def test_output_file_is_written(runner: CliRunner, tmp_path: Path) -> None:
    path = _write(tmp_path, "a.html", NO_VIEWPORT)
    out = tmp_path / "report.json"
    runner.invoke(main, ["check", str(path), "--format", "json", "-o", str(out)])
    assert json.loads(out.read_text())["summary"]["files"] == 1


def test_config_is_discovered_from_the_input(runner: CliRunner, tmp_path: Path) -> None:
    _write(tmp_path, "pyproject.toml", '[tool.presend]\nignore = ["RSP001"]\n')
    path = _write(tmp_path, "emails/a.html", NO_VIEWPORT)
    result = runner.invoke(main, ["check", str(path), "--select", "responsive"])
    assert "RSP001" not in result.output


def test_bad_config_is_a_usage_error_naming_file_and_key(runner: CliRunner, tmp_path: Path) -> None:
    config = _write(tmp_path, "presend.toml", 'fail-on = "error"\nignor = ["RSP001"]\n')
    path = _write(tmp_path, "a.html", NO_VIEWPORT)
    result = runner.invoke(main, ["check", str(path)])
    assert result.exit_code == 2
    assert f'{config}.ignor: unknown key; did you mean "ignore"?' in result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_rule_in_select_is_a_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    path = _write(tmp_path, "a.html", NO_VIEWPORT)
    result = runner.invoke(main, ["check", str(path), "--select", "missing-viewprt"])
    assert result.exit_code == 2
    assert 'did you mean "missing-viewport"?' in result.stderr


def test_rules_and_rule_commands(runner: CliRunner) -> None:
    table = runner.invoke(main, ["rules", "--standard", "responsive"])
    assert table.exit_code == 0
    assert "RSP001  missing-viewport" in table.output
    detail = runner.invoke(main, ["rule", "missing-viewport"])
    assert "Why it matters:" in detail.output and "preferred:" in detail.output
    assert runner.invoke(main, ["rule", "NOPE999"]).exit_code == 2


def test_init_writes_a_config_that_loads(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert runner.invoke(main, ["init"]).exit_code == 0
    assert runner.invoke(main, ["init"]).exit_code == 2  # refuses to overwrite
    Path("a.html").write_text(NO_VIEWPORT)
    found = runner.invoke(main, ["check", "a.html", "--select", "RSP001", "--fail-on", "warning"])
    assert found.exit_code == 1


def test_version(runner: CliRunner) -> None:
    result = runner.invoke(main, ["--version"])
    assert result.exit_code == 0 and "presend" in result.output


def test_undeclared_legacy_charset_is_decoded_with_a_note(
    runner: CliRunner, tmp_path: Path
) -> None:
    path = tmp_path / "legacy.html"
    path.write_bytes(b"<html lang='fr'><head><title>Caf\xe9</title></head><body></body></html>")
    result = runner.invoke(main, ["check", str(path), "--select", "ACC004"])
    assert result.exit_code == 0
    assert "legacy.html: not valid UTF-8; decoded as cp1252" in result.stderr


def test_unwritable_output_is_a_usage_error_not_a_traceback(
    runner: CliRunner, tmp_path: Path
) -> None:
    path = _write(tmp_path, "a.html", NO_VIEWPORT)
    result = runner.invoke(main, ["check", str(path), "-o", str(tmp_path / "missing" / "r.txt")])
    assert result.exit_code == 2
    assert f"cannot write {tmp_path / 'missing' / 'r.txt'}" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_crash_exits_3_so_ci_never_reads_it_as_findings(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import linter.commands.check as check_cmd

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("bug")

    monkeypatch.setattr(check_cmd, "lint_paths", boom)
    path = _write(tmp_path, "a.html", NO_VIEWPORT)
    result = runner.invoke(main, ["check", str(path)])
    assert result.exit_code == 3
    assert "crashed: please report" in result.stderr


def test_special_files_symlinks_and_empty_folders(runner: CliRunner, tmp_path: Path) -> None:
    import os

    folder = tmp_path / "emails"
    path = _write(tmp_path, "emails/a.html", NO_VIEWPORT)
    os.symlink(path, folder / "link.html")
    os.mkfifo(folder / "pipe.html")  # reading it would block forever
    result = runner.invoke(
        main, ["check", str(folder), "--select", "RSP001", "--fail-on", "warning"]
    )
    assert result.exit_code == 1
    assert "in 1 of 1 file." in result.output  # the symlink is the same file; the FIFO is skipped
    assert runner.invoke(main, ["check", str(folder / "pipe.html")]).exit_code == 2
    (tmp_path / "empty").mkdir()
    empty = runner.invoke(main, ["check", str(tmp_path / "empty")])
    assert empty.exit_code == 2
    assert "no .html/.htm/.csv/.tsv/.eml/.mjml files in this folder" in empty.stderr


def test_starter_config_stays_valid_with_every_setting_uncommented(tmp_path: Path) -> None:
    import re

    from linter import catalogue
    from linter.commands.init import STARTER
    from linter.config import load

    setting = re.compile(r"^# (\[\[?[a-z-]+\]\]?$|[a-z-]+ = )")
    text = "\n".join(ln[2:] if setting.match(ln) else ln for ln in STARTER.splitlines())
    assert text.count("\n# ") < STARTER.count("\n# ")  # something was uncommented
    path = tmp_path / "presend.toml"
    path.write_text(text + "\n")
    config = load(path, catalogue.load())
    assert config.file.tracking.pixel_required
    assert config.file.waivers[0].rule == "OUT003"
    assert config.file.exclude == ("vendor/**",)
    assert config.file.contacts.delimiter == ";"


def test_rule_lookup_suggests_the_closest_rule_or_feature(runner: CliRunner) -> None:
    feature = runner.invoke(main, ["rule", "display-flex"])
    assert feature.exit_code == 2
    assert 'did you mean "css-display-flex"?' in feature.stderr
    rule = runner.invoke(main, ["rule", "missing-viewprt"])
    assert 'did you mean "missing-viewport"?' in rule.stderr


def test_review_refuses_to_compare_an_email_with_a_contact_table(
    runner: CliRunner, tmp_path: Path
) -> None:
    email = _write(tmp_path, "t.html", NO_VIEWPORT)
    table = _write(tmp_path, "c.csv", "email\nann@example.com\n")
    result = runner.invoke(main, ["review", str(email), str(table)])
    assert result.exit_code == 2
    assert "is an email and" in result.stderr and "is a contact table" in result.stderr


def test_help_lists_the_exit_codes(runner: CliRunner) -> None:
    for args in (["--help"], ["check", "--help"]):
        out = " ".join(runner.invoke(main, args).output.split())
        assert "Exit codes: 0 no finding at or above --fail-on; 1 findings; 2 a usage" in out


def test_colour_follows_no_color_and_force_color(monkeypatch: pytest.MonkeyPatch) -> None:
    from linter.cli import _colour

    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    assert _colour(no_color=False) is False  # pytest's stdout is no terminal
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert _colour(no_color=False) is True
    assert _colour(no_color=True) is False  # the flag wins
    monkeypatch.setenv("NO_COLOR", "1")
    assert _colour(no_color=False) is False  # no-color.org: any non-empty value
    monkeypatch.setenv("NO_COLOR", "")
    assert _colour(no_color=False) is True  # empty means unset


def test_review_format_choices_are_the_review_renderers() -> None:
    from linter.commands import REVIEW_FORMATS
    from linter.commands.review import RENDERERS

    assert set(REVIEW_FORMATS) == set(RENDERERS)


def test_check_loads_no_other_command_nor_bs4() -> None:
    """Start-up: `presend check` imports only what linting a template needs (not the
    contact-data package either: the catalogue names its checks from linter.checks.table)."""
    import subprocess
    import sys

    template = FIXTURES / "email" / "corpus" / "Cerberus" / "cerberus-hybrid.html"
    probe = (
        "import sys\nfrom linter.cli import main\n"  # main: the executable's run() ends in os._exit
        f"try: main(['check', {str(template)!r}])\n"
        "except SystemExit: pass\n"
        "print(sorted(m for m in sys.modules"
        " if m.startswith(('linter.commands.', 'linter.contacts', 'bs4'))))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.stdout.strip().splitlines()[-1] == "['linter.commands.check']"


def test_a_template_run_without_config_loads_no_re2_openssl_or_toml_parser(
    tmp_path: Path,
) -> None:
    """Start-up: RE2 is for team patterns (the catalogue's run on `re`); hashlib loads
    OpenSSL (fingerprints and the cache take CPython's own hashes, linter.digests);
    tomllib is for a config file or a rule file newer than rules/prepared.json, and a
    pyproject.toml whose text cannot configure presend is not parsed; no record is a
    dataclass (each costs ~0.5 ms of generated methods: they are NamedTuples); --no-cache
    loads no cache code, and the cache's digests come from linter.digests too."""
    import subprocess
    import sys

    from linter.config import discover

    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "presend"\n[project.scripts]\npresend = "linter.__main__:run"\n'
        "[tool.ruff]\nline-length = 100\n",
        encoding="utf-8",
    )
    if discover(tmp_path) is not None:
        pytest.skip(f"a config file above {tmp_path} would be read")
    template = tmp_path / "t.html"  # ACC001's pattern and RSP001's both read a value
    template.write_text(
        '<html lang="und"><head><meta name="x"></head><body><table width="700"><tr><td>Hi'
        "</td></tr></table></body></html>\n",
        encoding="utf-8",
    )
    cached = ["--cache-dir", str(tmp_path / "cache")]  # the default: the cache on
    for options, loaded in ((["--no-cache"], "[]"), (cached, "['linter.cache']")):
        probe = (
            "import sys\nfrom linter.cli import main\n"
            f"try: main(['check', *{options!r}, {str(template)!r}])\n"
            "except SystemExit: pass\n"
            "print(sorted(m for m in sys.modules if m == 'linter.cache'"
            " or m.split('.')[0] in ('re2', 'hashlib', 'tomllib', 'dataclasses')))"
        )
        done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
        assert "RSP001" in done.stdout and "ACC001" in done.stdout  # both patterns ran
        assert done.stdout.strip().splitlines()[-1] == loaded, options


def test_the_executable_s_check_ends_with_every_output_written(tmp_path: Path) -> None:
    """`check` ends the process without the interpreter's teardown (linter.cli.run): its
    exit code, its whole report on stdout, and the files it writes are all there."""
    import json
    import subprocess
    import sys

    pages = []
    for i in range(40):
        page = tmp_path / f"p{i}.html"
        page.write_text("<html><body><table width='700'><tr><td>x</td></tr></table>\n")
        pages.append(str(page))
    report = tmp_path / "report.sarif"
    args = ["check", "--no-cache", "--fail-on", "warning", "--format", "json"]
    args += ["--report", f"sarif={report}", *pages]
    done = subprocess.run(
        [sys.executable, "-m", "linter", *args], capture_output=True, text=True, cwd=tmp_path
    )
    assert done.returncode == 1, done.stderr
    findings = json.loads(done.stdout)["findings"]
    assert {f["path"] for f in findings} == set(pages)
    assert len(json.loads(report.read_text())["runs"][0]["results"]) == len(findings)


def test_python_dash_m_presend_runs_the_cli() -> None:
    import subprocess
    import sys

    from linter import __version__

    done = subprocess.run(
        [sys.executable, "-m", "presend", "--version"], capture_output=True, text=True, check=True
    )
    assert __version__ in done.stdout


def test_several_reports_from_one_run(runner: CliRunner, tmp_path: Path) -> None:
    path = _write(tmp_path, "a.html", NO_VIEWPORT)
    sarif, summary = tmp_path / "out.sarif", tmp_path / "summary.md"
    reports = ["--report", f"sarif={sarif}", "--report", f"markdown={summary}"]
    result = runner.invoke(
        main, ["check", str(path), "--select", "RSP001", "--format", "github", *reports]
    )
    assert result.output.startswith("::warning file=")
    assert json.loads(sarif.read_text(encoding="utf-8"))["runs"][0]["results"][0]["ruleId"] == (
        "RSP001"
    )
    assert "RSP001" in summary.read_text(encoding="utf-8")
    bad = runner.invoke(main, ["check", str(path), "--report", "pdf=x.pdf"])
    assert bad.exit_code == 2 and "FORMAT=PATH" in bad.output
    over = runner.invoke(main, ["check", str(path), "--report", f"json={path}"])
    assert over.exit_code == 2 and path.read_text(encoding="utf-8") == NO_VIEWPORT


def test_show_files_says_what_is_linted_and_why_the_rest_is_skipped(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import subprocess

    for name in ("dist/a.html", "node_modules/x/b.html", ".cache/c.html", "ignored.html"):
        _write(tmp_path, name, "<p>x</p>")
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    _write(tmp_path, ".gitignore", "ignored.html\n")
    monkeypatch.chdir(tmp_path)
    out = runner.invoke(main, ["check", "--show-files", "."]).output.splitlines()
    assert "lint  dist/a.html" in out or "lint  ./dist/a.html" in out  # build output is linted
    assert any(line.endswith("node_modules  (installed dependencies)") for line in out)
    assert any(line.endswith(".cache  (a hidden folder)") for line in out)
    assert any(line.endswith("ignored.html  (ignored by .gitignore)") for line in out)
    only_skipped = tmp_path / "deps"
    _write(only_skipped, "node_modules/y/c.html", "<p>x</p>")
    result = runner.invoke(main, ["check", str(only_skipped)])
    assert result.exit_code == 2 and "1 skipped: see --show-files" in result.output
