"""Engine behaviour shared by all rules: fingerprints, suppressions, config resolution."""

from __future__ import annotations

from pathlib import Path

import pytest

from linter import catalogue
from linter.config import Config, ConfigError, load
from linter.findings import Severity
from linter.lint import lint_text

WIDE = '<table width="700"><tr><td>x</td></tr></table>\n'


def _ids(text: str, config: Config) -> list[tuple[str, int]]:
    return [(f.rule, f.line) for f in lint_text("t.html", text, config) if f.rule != "RSP001"]


def test_fingerprint_survives_lines_inserted_above(default_config: Config) -> None:
    before = lint_text("t.html", WIDE, default_config)
    after = lint_text("t.html", "<p>new</p>\n\n" + WIDE, default_config)
    rsp3 = [f for f in before if f.rule == "RSP003"]
    moved = [f for f in after if f.rule == "RSP003"]
    assert [f.line for f in moved] == [3]
    assert [f.fingerprint for f in rsp3] == [f.fingerprint for f in moved]


def test_second_identical_violation_gets_a_new_fingerprint(default_config: Config) -> None:
    found = [f for f in lint_text("t.html", WIDE + WIDE, default_config) if f.rule == "RSP003"]
    assert len({f.fingerprint for f in found}) == 2


def test_fingerprints_are_sha1_whichever_module_computes_it() -> None:
    """fingerprint() takes SHA-1 from CPython's _sha1 rather than hashlib (which loads
    OpenSSL): the digest, and so every baseline and waiver written before, is the same."""
    import hashlib

    from linter.findings import fingerprint

    raw = "ACC001\x00a/b.html\x00<html> \u00e9t\u00e9\x002"
    expected = hashlib.sha1(raw.encode("utf-8")).hexdigest()[:16]
    assert fingerprint("ACC001", "a/b.html", "  <HTML>\n \u00c9t\u00e9 ", 2) == expected
    assert fingerprint("ACC001", "a/b.html", "<html>", 0) == "a756d1fdd2ae4cd2"  # as before


def test_disable_next_line(default_config: Config) -> None:
    text = "<!-- presend-disable-next-line RSP003 -->\n" + WIDE + WIDE
    assert ("RSP003", 2) not in _ids(text, default_config)
    assert ("RSP003", 3) in _ids(text, default_config)


def test_disable_file_by_name(default_config: Config) -> None:
    text = "<!-- presend-disable fixed-width-over-limit -->\n" + WIDE
    assert not any(r == "RSP003" for r, _ in _ids(text, default_config))


def test_unused_suppression_is_reported(default_config: Config) -> None:
    text = "<!-- presend-disable RSP004 -->\n" + WIDE
    unused = [
        f for f in lint_text("t.html", text, default_config) if f.name == "unused-suppression"
    ]
    assert [(f.line, f.severity) for f in unused] == [(1, Severity.INFO)]
    assert "RSP004" in unused[0].message.upper()


def test_suppression_of_a_rule_switched_off_is_not_stale(
    cat: catalogue.Catalogue, tmp_path: Path
) -> None:
    path = tmp_path / "presend.toml"
    path.write_text('ignore = ["RSP004"]\n')
    config = load(path, cat)
    text = "<!-- presend-disable RSP004 -->\n" + WIDE
    assert not any(f.name == "unused-suppression" for f in lint_text("t.html", text, config))


def test_overrides_and_severity_by_standard(cat: catalogue.Catalogue, tmp_path: Path) -> None:
    path = tmp_path / "presend.toml"
    path.write_text(
        '[severity]\nresponsive = "info"\nRSP003 = "warning"\n\n'
        '[[overrides]]\nfiles = ["legacy/**"]\nignore = ["RSP003"]\n'
    )
    config = load(path, cat)
    rules = {r.id: r.severity for r in config.settings_for(str(tmp_path / "new.html")).rules}
    assert rules["RSP003"] is Severity.WARNING  # the id is more specific than the standard
    assert rules["RSP001"] is Severity.INFO
    legacy = {r.id for r in config.settings_for(str(tmp_path / "legacy/old.html")).rules}
    assert "RSP003" not in legacy


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('standards = ["responsiv"]', 'did you mean "responsive"?'),
        ('fail-on = "fatal"', "expected one of 'error', 'warning', 'info' but got 'fatal'"),
        ("[tracking]\npixel-requred = true", "tracking.pixel-requred: unknown key; did you mean"),
        ('[severity]\nRSP001 = "loud"', "severity.RSP001: expected one of"),
        ("[[overrides]]\nignore = []", "overrides[0]: missing required key(s): files"),
        ("this is = not toml", "invalid TOML"),
    ],
)
def test_config_errors_name_file_key_and_hint(
    cat: catalogue.Catalogue, tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "presend.toml"
    path.write_text(text + "\n")
    with pytest.raises(ConfigError) as err:
        load(path, cat)
    assert str(path) in str(err.value)
    assert message in str(err.value)


def test_opt_in_rules_run_only_when_named(cat: catalogue.Catalogue, tmp_path: Path) -> None:
    opt_in = [r for r in cat.rules if r.opt_in]
    assert opt_in, "the catalogue has an opt-in rule to test with"
    rule = opt_in[0]
    default = {r.id for r in Config.defaults(cat).settings_for("a.html").rules}
    assert rule.id not in default
    by_standard = load(None, cat, cli_select=(rule.standard,)).settings_for("a.html").rules
    assert rule.id not in {r.id for r in by_standard}
    named = load(None, cat, cli_select=(rule.name,)).settings_for("a.html").rules
    assert rule.id in {r.id for r in named}


def test_fingerprints_do_not_depend_on_how_the_path_is_spelled(
    cat: catalogue.Catalogue, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "presend.toml").write_text("")
    (tmp_path / "e.html").write_text(WIDE)
    monkeypatch.chdir(tmp_path)
    config = load(tmp_path / "presend.toml", cat)
    spellings = ["e.html", "./e.html", str(tmp_path / "e.html")]
    prints = [{f.fingerprint for f in lint_text(p, WIDE, config)} for p in spellings]
    assert prints[0] == prints[1] == prints[2]
    assert {f.path for f in lint_text("./e.html", WIDE, config)} == {"./e.html"}


TEAM_RULE = """
[[rule]]
standard = "brand"
id = "BRD001"
name = "missing-apple-reformat-meta"
severity = "warning"
summary = "The email lets Apple Mail reformat it."
why = "Apple Mail re-flows the layout on iPhones: readers do not see the approved design."
check = "requires-element"
params = { tag = "meta", attribute = "name", value = "^x-apple-disable-message-reformatting$" }
options = [{ text = "Add the meta tag.", preferred = true }, { text = "Waive it." }]
examples.bad = ["<html><head></head></html>"]
examples.good = ["<html><head><meta name='x-apple-disable-message-reformatting'></head></html>"]
"""


def test_a_team_adds_its_own_rule_in_config(cat: catalogue.Catalogue, tmp_path: Path) -> None:
    path = tmp_path / "presend.toml"
    path.write_text(TEAM_RULE)
    config = load(path, cat)
    rule = config.catalogue.find("BRD001")
    assert rule is not None and rule.standard == "brand"
    for text, fires in [(rule.examples.bad[0], True), (rule.examples.good[0], False)]:
        assert ("BRD001" in {f.rule for f in lint_text("t.html", text, config)}) is fires
    path.write_text(TEAM_RULE.replace('"requires-element"', '"requires-elemnt"'))
    with pytest.raises(
        ConfigError, match=r"rule\[0\]: BRD001.check: unknown check 'requires-elemnt'"
    ):
        load(path, cat)


def test_a_team_rules_bad_param_names_its_place_once(
    cat: catalogue.Catalogue, tmp_path: Path
) -> None:
    path = tmp_path / "presend.toml"
    path.write_text(TEAM_RULE.replace('tag = "meta"', "tag = 7"))
    with pytest.raises(ConfigError) as error:
        load(path, cat)
    message = str(error.value)
    assert message.endswith("rule[0]: BRD001.params.tag: expected str but got 7")
    assert message.count("BRD001") == 1  # the place was printed twice before


def test_params_take_each_plain_type_exactly() -> None:
    """params.coerce's shortcut for plain values gives what its full checks give: a bool is
    no int, an int becomes a float, a wrong type names the field."""
    from linter import params as P

    assert P.coerce(int, 3, "x") == 3 and P.coerce(float, 2.5, "x") == 2.5
    assert type(P.coerce(float, 2, "x")) is float
    assert P.coerce(bool, True, "x") is True and P.coerce(str, "a", "x") == "a"
    for hint, value in ((int, True), (str, 7), (bool, 1), (float, "1")):
        with pytest.raises(P.ParamError, match=f"x: expected {hint.__name__} but got"):
            P.coerce(hint, value, "x")


def test_the_check_modules_are_those_pkgutil_lists() -> None:
    import pkgutil

    from linter.checks import email, message
    from linter.checks.registry import module_names

    for package in (email, message):
        listed = sorted(m.name for m in pkgutil.iter_modules(package.__path__))
        assert module_names(package.__path__[0]) == listed and listed


def test_a_path_is_a_glob_exactly_when_glob_says_so() -> None:
    """linter.sources tests a path for glob characters itself (glob's import is not needed
    for the paths most runs are given)."""
    import glob

    from linter.sources import expand

    for raw in ("a.html", "*.html", "t?.html", "[ab].html", "dir/x.htm", "a]b", "{a,b}", "**"):
        assert any(c in raw for c in "*?[") == glob.has_magic(raw)
    folder = Path(__file__).resolve().parent.parent / "fixtures" / "email" / "corpus" / "Cerberus"
    sources, errors = expand([f"{folder}/*.html"], None)
    assert len(sources) >= 3 and not errors


def test_an_editors_lock_file_beside_the_checks_is_not_a_module(tmp_path: Path) -> None:
    from linter.checks.registry import module_names

    for name in ("links.py", ".#links.py", "__init__.py", "notes.txt", "x-y.py"):
        (tmp_path / name).write_text("", encoding="utf-8")
    assert module_names(str(tmp_path)) == ["links"]  # as pkgutil lists importable ones
