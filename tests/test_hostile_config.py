"""Hostile side files and team patterns (issue 13): config, schema, baseline and snapshots
that once crashed (exit 3), hung or gave a bare errno are user errors naming the file (and
the key that named it), exit 2."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from linter.cli import main

CLEAN = "<html lang='en'><head><title>x</title></head><body><p>Hi</p></body></html>\n"
CONTACTS = "email,phone\na@example.com,+442079460958\n"


def _team_rule(value: str, rule_id: str = "TEAM001", name: str = "no-link") -> str:
    return f"""
[[rule]]
id = "{rule_id}"
name = "{name}"
standard = "team"
severity = "error"
summary = "A link the team forbids."
why = "Readers reach a page the team retired."
check = "forbids-element"
params = {{ tag = "a", attribute = "href", value = '{value}' }}
options = [{{ text = "Remove it.", preferred = true }}, {{ text = "Waive it." }}]
examples.bad = ['<a href="aaa">x</a>']
examples.good = ['<p>x</p>']
"""


def _run(tmp_path: Path, args: list[str], config: str = "", **files: str | bytes) -> Result:
    if config:
        (tmp_path / "presend.toml").write_text(config, encoding="utf-8")
    for name, content in files.items():
        data = content.encode("utf-8") if isinstance(content, str) else content
        (tmp_path / name.replace("_", ".")).write_bytes(data)
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        return CliRunner().invoke(main, args)
    finally:
        os.chdir(cwd)


def test_a_nested_quantifier_in_a_team_rule_runs_in_linear_time(tmp_path: Path) -> None:
    start = time.perf_counter()
    result = _run(
        tmp_path,
        ["check", "--select", "TEAM001", "t.html"],
        _team_rule("^(a+)+$"),
        t_html='<a href="' + "a" * 5000 + '!">x</a>',
    )
    assert time.perf_counter() - start < 5  # Python's re: exponential, never ended
    assert result.exit_code == 0, result.output


def test_a_team_regex_the_engine_rejects_names_file_rule_and_key(tmp_path: Path) -> None:
    result = _run(tmp_path, ["check", "t.html"], _team_rule("(?=x)a"), t_html=CLEAN)
    assert result.exit_code == 2
    assert "presend.toml: rule[0].params.value: not a regular expression" in (result.output)
    assert "invalid perl operator: (?=" in result.output


def test_only_the_shipped_catalogue_s_patterns_skip_re2(tmp_path: Path) -> None:
    """The catalogue's own patterns run on `re` (a run without a team pattern never loads
    RE2); a team rule's pattern, even the very text of a shipped one, runs on RE2."""
    import pickle
    import re

    from linter import catalogue
    from linter.config import load_config
    from linter.userregex import Reviewed, compile_pattern

    (acc001,) = [r for r in catalogue.load().rules if r.id == "ACC001"]
    assert type(acc001.params.value) is Reviewed  # type: ignore[attr-defined]
    assert type(pickle.loads(pickle.dumps(acc001.params)).value) is Reviewed  # --jobs, caches
    shipped = compile_pattern(Reviewed("^a+$"), ignore_case=True)
    team = compile_pattern("^a+$", ignore_case=True)
    assert isinstance(shipped, re.Pattern) and not isinstance(team, re.Pattern)
    (tmp_path / "presend.toml").write_text(_team_rule("^a+$"), encoding="utf-8")
    config = load_config(None, (str(tmp_path / "t.html"),))
    (rule,) = [r for r in config.catalogue.rules if r.id == "TEAM001"]
    assert type(rule.params.value) is str  # type: ignore[attr-defined]
    assert not isinstance(compile_pattern(rule.params.value, True), re.Pattern)  # type: ignore[attr-defined]


def test_a_duplicate_team_rule_id_names_the_file_and_both_rules(tmp_path: Path) -> None:
    config = _team_rule("x") + _team_rule("y", name="other-name")
    result = _run(tmp_path, ["check", "t.html"], config, t_html=CLEAN)
    assert result.exit_code == 2
    assert "presend.toml: rule[1].id: 'TEAM001' is already used by rule[0]" in result.output


def test_a_team_rule_reusing_a_built_in_name_says_which(tmp_path: Path) -> None:
    result = _run(
        tmp_path, ["check", "t.html"], _team_rule("x", name="missing-viewport"), t_html=CLEAN
    )
    assert result.exit_code == 2
    assert "rule[0].name: 'missing-viewport' is already used by the responsive rule RSP001" in (
        result.output
    )


def test_deeply_nested_toml_is_a_config_error(tmp_path: Path) -> None:
    result = _run(tmp_path, ["check", "t.html"], "x = " + "[" * 5000 + "]" * 5000, t_html=CLEAN)
    assert result.exit_code == 2
    assert "presend.toml: nested too deeply to read" in result.output


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (json.dumps({"fields": [{"name": "email"}]}).encode("utf-16"), "UTF-16 text"),
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply to read"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\xff", "not UTF-8 text"),
    ],
    ids=["utf-16", "deep", "binary"],
)
def test_unreadable_schema_json_is_an_input_error(
    tmp_path: Path, content: bytes, reason: str
) -> None:
    args = ["data", "c.csv", "--schema", "s.json"]
    result = _run(tmp_path, args, c_csv=CONTACTS, s_json=content)
    assert result.exit_code == 2
    assert f"presend: s.json: {reason}" in result.output


def test_a_schema_pattern_the_engine_rejects_names_the_key(tmp_path: Path) -> None:
    schema = {"fields": [{"name": "email", "constraints": {"pattern": "(?=x)a"}}]}
    args = ["data", "c.csv", "--schema", "s.json"]
    result = _run(tmp_path, args, c_csv=CONTACTS, s_json=json.dumps(schema))
    assert result.exit_code == 2
    assert "s.json: fields[0].constraints.pattern: expected a regular expression" in result.output
    assert "look-around" in result.output


@pytest.mark.parametrize(
    ("schema", "reason"),
    [
        ("nope.json", "nope.json: cannot read: No such file or directory"),
        (".", ": is a folder, not a file"),
        ("/dev/zero", "/dev/zero: not a regular file"),
    ],
)
def test_a_configured_schema_that_cannot_be_read_names_the_config_key(
    tmp_path: Path, schema: str, reason: str
) -> None:
    config = f'[contacts]\nschema = "{schema}"\n'
    for command in (["data", "c.csv"], ["check", "c.csv"]):
        result = _run(tmp_path, command, config, c_csv=CONTACTS)
        assert result.exit_code == 2
        assert "presend.toml: contacts.schema: " in result.output
        assert reason in result.output
        assert "[Errno" not in result.output


def test_a_fifo_named_by_the_config_is_never_opened(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "s.json")
    start = time.perf_counter()
    result = _run(tmp_path, ["data", "c.csv"], '[contacts]\nschema = "s.json"\n', c_csv=CONTACTS)
    assert time.perf_counter() - start < 5
    assert result.exit_code == 2
    assert "s.json: not a regular file" in result.output


def test_an_explicit_device_is_read_only_up_to_the_size_limit(tmp_path: Path) -> None:
    result = _run(tmp_path, ["data", "c.csv", "--schema", "/dev/zero"], c_csv=CONTACTS)
    assert result.exit_code == 2
    assert "/dev/zero: larger than 16 MiB" in result.output


def test_too_many_schema_fields_is_a_schema_error(tmp_path: Path) -> None:
    schema = {"fields": [{"name": f"f{i}"} for i in range(2001)]}
    args = ["data", "c.csv", "--schema", "s.json"]
    result = _run(tmp_path, args, c_csv=CONTACTS, s_json=json.dumps(schema))
    assert result.exit_code == 2
    assert "fields: expected at most 2000 fields but got 2001" in result.output


def test_many_schema_fields_load_fast(tmp_path: Path) -> None:
    """Duplicate names were found by rescanning every earlier name: 60k fields took 76 s."""
    from linter.contacts.schema import parse_schema

    start = time.perf_counter()
    schema = parse_schema({"fields": [{"name": f"f{i}"} for i in range(2000)]}, "s.json")
    assert len(schema.fields) == 2000
    assert time.perf_counter() - start < 1


@pytest.mark.parametrize("content", [b"\xff\xfe\x00\x01binary", b"[" * 100_000])
def test_a_binary_or_deep_baseline_is_a_usage_error(tmp_path: Path, content: bytes) -> None:
    args = ["check", "--baseline", "b.json", "t.html"]
    result = _run(tmp_path, args, t_html=CLEAN, b_json=content)
    assert result.exit_code == 2
    assert "b.json" in result.output and "Traceback" not in result.output


def test_a_binary_snapshot_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / ".presend" / "snapshots").mkdir(parents=True)
    (tmp_path / ".presend" / "snapshots" / "2026-01-01.json").write_bytes(b"\x00\xff\xfe")
    result = _run(tmp_path, ["report"])
    assert result.exit_code == 2
    assert "cannot read snapshot: .presend/snapshots/2026-01-01.json: not UTF-8 text" in (
        result.output
    )


_TOOL = ("tool", '"tool"', "'tool'", '"\\u0074ool"', '"t\\U0000006Fol"')
_PRESEND = ("presend", '"presend"', "'presend'", '"pres\\u0065nd"', "other")
_DOT = (".", " . ", "\t.")
_FORMS = (
    "[{t}{d}{p}]\nx = 1\n",
    "[[{t}{d}{p}]]\nx = 1\n",
    "[ {t}{d}{p} ]\n",
    "[{t}]\n{p} = {{}}\n",
    "[{t}]\n{p}{d}x = 1\n",
    "[ {t} ]\n{p}{d}x = 1\n",
    "{t}{d}{p} = {{ x = 1 }}\n",
    "{t}{d}{p}{d}x = 1\n",
    "{t} = {{ {p} = {{}} }}\n",
    "{t}={{{p}{d}x=1}}\n",
    "{t} = [{p!r}]\n",
    '[project]\nname = "presend"\nscripts = {{ {p} = "x" }}\n[{t}{d}ruff]\n{p} = 1\n',
)


def test_a_pyproject_is_parsed_whenever_it_may_configure_presend(tmp_path: Path) -> None:
    """config.discover reads a pyproject.toml's TOML only if its text may give `tool` a
    `presend` key (_MAY_CONFIGURE): every spelling TOML allows is caught, so a skipped file
    is one tomllib would have found no [tool.presend] in."""
    import itertools
    import tomllib

    from linter.config import _MAY_CONFIGURE, discover

    found = 0
    for form, t, d, p in itertools.product(_FORMS, _TOOL, _DOT, _PRESEND):
        text = form.format(t=t, d=d, p=p)
        try:
            tool = tomllib.loads(text).get("tool", {})
        except tomllib.TOMLDecodeError:
            continue
        if "presend" in tool:
            found += 1
            assert _MAY_CONFIGURE().search(text), text
        elif not _MAY_CONFIGURE().search(text):
            assert "presend" not in tool
    assert found > 300  # the spellings above that do configure presend were all tried
    own = Path(__file__).resolve().parent.parent / "pyproject.toml"  # names presend often
    assert _MAY_CONFIGURE().search(own.read_text(encoding="utf-8")) is None
    (tmp_path / "pyproject.toml").write_text("[tool.presend]\nignore = []\n", encoding="utf-8")
    assert discover(tmp_path) == tmp_path / "pyproject.toml"
    # A root `tool` that is no table configures nothing (and is no crash).
    for value in ("5", '"presend"', '["presend"]'):
        (tmp_path / "pyproject.toml").write_text(f"tool = {value}\n", encoding="utf-8")
        assert discover(tmp_path) is None, value


def test_a_team_rule_s_examples_are_checked_when_its_config_loads(tmp_path: Path) -> None:
    """Rule options and examples are parsed when shown, not as the catalogue loads (no
    lint needs them), except a team rule's: a malformed one is still a config error."""
    bad = _team_rule("x").replace("examples.good = ['<p>x</p>']", "examples.good = []")
    result = _run(tmp_path, ["check", "t.html"], bad, t_html=CLEAN)
    assert result.exit_code == 2
    assert "rule[0]: TEAM001.examples: expected at least one bad and one good" in result.output
    params = _team_rule("x").replace(
        "examples.good", "examples.params = { tag = 7 }\nexamples.good"
    )
    result = _run(tmp_path, ["check", "t.html"], params, t_html=CLEAN)
    assert result.exit_code == 2
    assert "TEAM001.examples.params.tag: expected str but got 7" in result.output
    one = _team_rule("x").replace(', { text = "Waive it." }', "")
    result = _run(tmp_path, ["check", "t.html"], one, t_html=CLEAN)
    assert result.exit_code == 2
    assert "rule[0]: TEAM001.options: expected 2 or 3 options" in result.output


def test_the_shipped_rules_options_and_examples_are_parsed_only_when_shown(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from linter import catalogue
    from linter.checks.registry import registry

    def refuse(raw: object, where: str) -> object:
        raise catalogue.CatalogueError(f"{where}: parsed")

    monkeypatch.setattr(catalogue, "_examples", refuse)
    monkeypatch.setattr(catalogue, "_options", refuse)
    texts = catalogue.rule_texts()
    tables = catalogue.prepared(texts)
    assert tables is not None
    name = "accessibility.toml"
    standard = catalogue.standard_from_data(tables[name], f"rules/{name}", registry())
    with pytest.raises(catalogue.CatalogueError, match="ACC001: parsed"):
        standard.rules[0].examples  # noqa: B018
    with pytest.raises(catalogue.CatalogueError, match="ACC001: parsed"):
        standard.rules[0].options  # noqa: B018
