"""MRG005 without the contact file: when the config names a contact schema, its field
names are the agreed columns, so a commit that changes only a template (what a
pre-commit hook sees) is still checked against them."""

from __future__ import annotations

import json
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from linter.cli import main

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = {"fields": [{"name": "email", "type": "string"}, {"name": "first_name"}]}
READS = '<html lang="en"><head><title>t</title></head><body><p>Hi {{{{ {} }}}}</p></body></html>'


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "presend.toml").write_text('[contacts]\nschema = "contacts.schema.json"\n')
    (tmp_path / "contacts.schema.json").write_text(json.dumps(SCHEMA))
    (tmp_path / "typo.html").write_text(READS.format("firstname"))
    (tmp_path / "fine.html").write_text(READS.format("first_name"))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _check(*args: str) -> tuple[int, str, str]:
    done = CliRunner().invoke(main, ["check", "--no-cache", "--select", "MRG005", *args])
    return done.exit_code, done.stdout, done.stderr


def test_a_template_alone_is_checked_against_the_schema_fields(repo: Path) -> None:
    code, out, _ = _check("typo.html")
    assert code == 1
    assert "MRG005" in out
    assert "the agreed contact schema (contacts.schema.json) has no field for" in out
    assert "columns: email, first_name" in out
    assert _check("fine.html")[:2] == (0, _check("fine.html")[1])
    assert "MRG005" not in _check("fine.html")[1]


def test_the_contact_file_in_the_run_decides_over_the_schema(repo: Path) -> None:
    (repo / "list.csv").write_text("email,firstname\nann@example.com,Ann\n")
    code, out, _ = _check("typo.html", "fine.html", "list.csv", "--select", "MRG005")
    assert code == 1
    assert "typo.html" not in out  # the file has firstname
    assert "fine.html" in out and "no column of the contact file has" in out


def test_without_a_schema_in_the_config_a_template_alone_is_not_checked(repo: Path) -> None:
    (repo / "presend.toml").write_text("")
    assert _check("typo.html")[:2] == (0, _check("typo.html")[1])
    assert "MRG005" not in _check("typo.html")[1]


@pytest.mark.parametrize("schema", ["{not json", '{"fields": [{"name": 1}]}', None])
def test_a_bad_schema_is_an_input_error_naming_it(repo: Path, schema: str | None) -> None:
    target = repo / "contacts.schema.json"
    if schema is None:
        target.unlink()
    else:
        target.write_text(schema)
    code, _, err = _check("typo.html")
    assert code == 2
    assert "contacts.schema.json" in err


def test_the_pre_commit_hook_on_a_template_only_commit(repo: Path) -> None:
    """What pre-commit runs for a commit that touches only typo.html: the hook's entry
    and args from .pre-commit-hooks.yaml, then the file (tests/test_precommit.py runs the
    real tool; this is the same command line, without building its environment)."""
    yaml = pytest.importorskip("yaml")
    hooks = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    argv = [*shlex.split(hooks["presend"]["entry"]), *hooks["presend"].get("args", [])]
    assert argv[0] == "presend"
    done = CliRunner().invoke(main, [*argv[1:], "typo.html"])
    assert done.exit_code == 1
    assert "MRG005" in done.stdout
    assert CliRunner().invoke(main, [*argv[1:], "fine.html"]).stdout.count("MRG005") == 0
