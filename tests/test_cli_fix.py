"""`presend check --fix / --diff / --unsafe-fixes` and `presend review --fix` end to end."""

from __future__ import annotations

import errno
import json
import stat
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from linter.cli import main

EMAIL = (
    "<html lang='en'>\n<head>\n  <meta charset='utf-8'>\n  <title>x</title>\n</head>\n<body>\n"
    "<table width='600'><tr><td><a href='http://x.com/' onclick='t()'>Shop shoes</a></td></tr>"
    "</table>\n"
    "</body>\n</html>\n"
)
FIXED_SAFE = EMAIL.replace(
    "<meta charset='utf-8'>",
    "<meta charset='utf-8'>\n"
    "  <meta name='viewport' content='width=device-width, initial-scale=1'>",
).replace("<table width='600'>", "<table width='600' role='presentation'>")
SELECT = ["--select", "RSP001,ACC003,LNK001,SEC002"]


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def email(tmp_path: Path) -> Path:
    path = tmp_path / "e.html"
    path.write_bytes(EMAIL.encode())
    path.chmod(0o644)
    return path


def test_fix_writes_the_safe_fixes_and_reports_what_remains(runner: CliRunner, email: Path) -> None:
    result = runner.invoke(main, ["check", str(email), "--fix", *SELECT])
    assert email.read_bytes() == FIXED_SAFE.encode()
    assert (
        "Fixed 2 findings in 1 file (ACC003 1, RSP001 1). 2 more with --unsafe-fixes."
        in result.stderr
    )
    assert "LNK001" in result.stdout and "SEC002" in result.stdout
    assert "RSP001" not in result.stdout and "ACC003" not in result.stdout
    assert stat.S_IMODE(email.stat().st_mode) == 0o644  # the file keeps its permissions
    assert [p.name for p in email.parent.iterdir()] == ["e.html"]  # no temp file left


def test_unsafe_fixes_change_links_and_drop_handlers(runner: CliRunner, email: Path) -> None:
    result = runner.invoke(main, ["check", str(email), "--fix", "--unsafe-fixes", *SELECT])
    assert result.exit_code == 0, result.output
    assert "<a href='https://x.com/'>Shop shoes</a>" in email.read_text()


def test_diff_writes_nothing_and_exits_1_when_there_is_a_fix(
    runner: CliRunner, email: Path
) -> None:
    result = runner.invoke(main, ["check", str(email), "--diff", *SELECT])
    assert result.exit_code == 1
    assert email.read_bytes() == EMAIL.encode()
    assert "+<table width='600' role='presentation'>" in result.stdout
    assert "Would fix 2 findings in 1 file (ACC003 1, RSP001 1)." in result.stderr
    clean = runner.invoke(main, ["check", str(email), "--diff", "--select", "ACC004"])
    assert (clean.exit_code, clean.stdout) == (0, "")


def test_diff_paths_are_relative_and_apply(
    runner: CliRunner, email: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(email.parent)
    result = runner.invoke(main, ["check", "e.html", "--diff", *SELECT])
    assert result.stdout.startswith("--- a/e.html\n+++ b/e.html\n")
    subprocess.run(["git", "init", "-q"], check=True)
    Path("p.diff").write_bytes(result.stdout_bytes)
    subprocess.run(["git", "apply", "p.diff"], check=True)
    assert email.read_bytes() == FIXED_SAFE.encode()


def test_unsafe_fixes_alone_is_a_usage_error(runner: CliRunner, email: Path) -> None:
    result = runner.invoke(main, ["check", str(email), "--unsafe-fixes"])
    assert result.exit_code == 2 and "--unsafe-fixes applies with --fix" in result.stderr


def test_fix_through_a_symlink_writes_the_target_and_keeps_the_link(
    runner: CliRunner, email: Path
) -> None:
    link = email.parent / "link.html"
    link.symlink_to(email.name)
    runner.invoke(main, ["check", str(link), "--fix", *SELECT])
    assert link.is_symlink() and email.read_bytes() == FIXED_SAFE.encode()


def test_a_waived_finding_is_not_fixed(runner: CliRunner, email: Path) -> None:
    config = email.parent / "presend.toml"
    config.write_text(
        '[[waivers]]\nrule = "ACC003"\nfiles = ["e.html"]\nreason = "data table"\n'
        'approved-by = "Dana"\nexpires = 2999-01-01\n'
    )
    runner.invoke(main, ["check", str(email), "--fix", *SELECT])
    assert "<table width='600'>" in email.read_text() and "name='viewport'" in email.read_text()


def test_stdin_is_not_written_with_fix_but_diffs(runner: CliRunner) -> None:
    fixed = runner.invoke(main, ["check", "-", "--fix", *SELECT], input=EMAIL)
    assert "fixes not written: standard input is not a file (--diff shows" in fixed.stderr
    assert "ACC003" in fixed.stdout  # not written, so still reported
    diff = runner.invoke(main, ["check", "-", "--diff", *SELECT], input=EMAIL)
    assert diff.exit_code == 1 and "+<table width='600' role='presentation'>" in diff.stdout


def test_an_unwritable_file_is_an_input_error(
    runner: CliRunner, email: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(path: object, data: bytes) -> None:
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr("linter.fixes.session.write_atomic_bytes", refuse)
    result = runner.invoke(main, ["check", str(email), "--fix", *SELECT])
    assert result.exit_code == 2
    assert "e.html: fixes not written: cannot write" in result.stderr
    assert "Read-only file system" in result.stderr
    assert email.read_bytes() == EMAIL.encode()


def test_a_file_that_does_not_round_trip_is_reported_not_rewritten(
    runner: CliRunner, tmp_path: Path
) -> None:
    path = tmp_path / "bad.html"
    data = EMAIL.replace("<meta charset='utf-8'>", "").encode() + b"\x81\xff"
    path.write_bytes(data)
    result = runner.invoke(main, ["check", str(path), "--fix", *SELECT])
    assert path.read_bytes() == data
    assert "bad.html: fixes not written: its bytes do not survive decoding as cp1252" in (
        result.stderr
    )
    assert "ACC003" in result.stdout


def test_rule_page_shows_the_fix_command(runner: CliRunner) -> None:
    safe = runner.invoke(main, ["rule", "RSP001"]).output
    assert "presend can apply this: `presend check --fix --select RSP001`" in safe
    unsafe = runner.invoke(main, ["rule", "LNK001"]).output
    assert "`presend check --fix --unsafe-fixes --select LNK001`" in unsafe
    assert "presend can apply" not in runner.invoke(main, ["rule", "CMP001"]).output


def test_review_fix_proposes_a_patch_for_new_findings_only(
    runner: CliRunner, tmp_path: Path
) -> None:
    old, new = tmp_path / "old.html", tmp_path / "new.html"
    old.write_text(EMAIL)
    new.write_text(EMAIL.replace("</body>", "<table><tr><td>new</td></tr></table>\n</body>"))
    result = runner.invoke(main, ["review", str(old), str(new), "--fix"])
    assert "Proposed fixes for what this change broke" in result.stdout
    assert "+<table role='presentation'><tr><td>new</td>" in result.stdout
    assert "+<table role='presentation'><tr><td><a" not in result.stdout  # was there before
    brief = runner.invoke(main, ["review", str(old), str(new), "--fix", "--format", "markdown"])
    assert "```diff\n--- a/" in brief.stdout
    assert "presend can apply this: `presend check --fix --select ACC003`" in brief.stdout
    data = json.loads(
        runner.invoke(main, ["review", str(old), str(new), "--fix", "--format", "json"]).stdout
    )
    request = data["requests"][0]
    assert "+<table role='presentation'><tr><td>new</td>" in request["proposed_fix"]
    rules = {r["id"]: r["fix"] for s in request["standards"] for r in s["rules"]}
    assert rules["ACC003"] == "safe"


def test_review_fix_patch_applies_to_a_crlf_working_tree(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    page = tmp_path / "e.html"
    page.write_bytes(FIXED_SAFE.replace("\n", "\r\n").encode())

    def git(*args: str) -> None:
        subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@x", *args], check=True)

    git("init", "-q", "-b", "main")
    git("add", "e.html")
    git("commit", "-qm", "base")
    changed = page.read_bytes().replace(
        b"</body>", b"<table><tr><td>new</td></tr></table>\r\n</body>"
    )
    page.write_bytes(changed)
    result = runner.invoke(main, ["review", "--base", "main", "--fix"])
    patch = result.stdout_bytes[result.stdout_bytes.index(b"--- a/e.html") :]
    (tmp_path / "p.diff").write_bytes(patch)
    git("apply", "p.diff")
    assert page.read_bytes() == changed.replace(
        b"<table><tr><td>new", b"<table role='presentation'><tr><td>new"
    )


def test_rules_table_has_a_fix_column(runner: CliRunner) -> None:
    lines = runner.invoke(main, ["rules", "--standard", "links"]).output.splitlines()
    assert lines[0].split()[4] == "FIX"
    fix = {line.split()[0]: line.split()[4] for line in lines[1:]}
    assert fix["LNK001"] == "unsafe" and fix["LNK003"] == "-"


def test_a_file_saved_meanwhile_is_not_overwritten(
    runner: CliRunner, email: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from linter.fixes import session

    def fix_while_an_editor_saves(*args: object, **kwargs: object) -> object:
        outcome = fix_text(*args, **kwargs)  # type: ignore[arg-type]
        email.write_text("<p>saved by an editor</p>")
        return outcome

    fix_text = session.fix_text
    monkeypatch.setattr(session, "fix_text", fix_while_an_editor_saves)
    result = runner.invoke(main, ["check", str(email), "--fix", *SELECT])
    assert email.read_text() == "<p>saved by an editor</p>"
    assert "e.html: fixes not written: changed while presend ran" in result.stderr
    assert "ACC003" in result.stdout and "Fixed 0 findings in 0 files." in result.stderr


def test_an_undeclared_windows_1252_file_is_fixed_in_its_bytes(
    runner: CliRunner, tmp_path: Path
) -> None:
    path = tmp_path / "legacy.html"
    text = EMAIL.replace("<meta charset='utf-8'>", "").replace("Shop", "Caf\u00e9")
    path.write_bytes(text.encode("cp1252"))
    result = runner.invoke(main, ["check", str(path), "--fix", "--select", "RSP001,ACC003"])
    assert "not valid UTF-8; decoded as cp1252" in result.stderr
    viewport = "<meta name='viewport' content='width=device-width, initial-scale=1'>"
    want = text.replace("<head>\n", f"<head>\n  {viewport}\n")
    assert path.read_bytes() == want.replace(
        "<table width='600'>", "<table width='600' role='presentation'>"
    ).encode("cp1252")


def test_diff_output_never_replaces_an_input(runner: CliRunner, email: Path) -> None:
    result = runner.invoke(main, ["check", str(email), "--diff", "-o", str(email), *SELECT])
    assert result.exit_code == 2 and "it is an input of this run" in result.stderr
    assert email.read_bytes() == EMAIL.encode()
