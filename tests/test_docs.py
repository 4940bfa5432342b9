"""The README's rule table is generated from the catalogue and must be current."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from linter import catalogue

ROOT = Path(__file__).resolve().parent.parent


def test_readme_rule_table_is_current() -> None:
    spec = importlib.util.spec_from_file_location("gen_docs", ROOT / "scripts" / "gen_docs.py")
    assert spec and spec.loader
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert gen.render(readme, catalogue.load()) == readme, "run: python scripts/gen_docs.py"


def test_prepared_rules_are_the_toml_parsed_now() -> None:
    """Start-up reads rules/prepared.json, not the TOML, when it matches the TOML."""
    import json
    import tomllib

    texts = catalogue.rule_texts()
    tables = catalogue.prepared(texts)
    assert tables is not None, "run: python scripts/gen_docs.py"
    assert tables == {name: tomllib.loads(text) for name, text in texts.items()}
    assert json.loads(catalogue.prepare(texts))["tables"] == tables


def test_an_edited_rule_file_is_read_from_its_toml(monkeypatch: pytest.MonkeyPatch) -> None:
    """A TOML edited after prepared.json was written: the digest differs, the TOML wins."""
    texts = catalogue.rule_texts()
    name = next(iter(texts))
    edited = {**texts, name: texts[name].replace('summary = "', 'summary = "Edited. ', 1)}
    assert catalogue.prepared(edited) is None
    monkeypatch.setattr(catalogue, "rule_texts", lambda: edited)
    catalogue.load.cache_clear()
    try:
        summaries = [r.summary for s in catalogue.load().standards for r in s.rules]
        assert any(s.startswith("Edited. ") for s in summaries)
    finally:
        catalogue.load.cache_clear()


def test_readme_commands_exist() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "pip install -e '.[dev]' && python -m pytest" in readme
    assert (ROOT / "fixtures/email/corpus/Cerberus/cerberus-hybrid.html").is_file()


def test_fixes_doc_lists_every_fixable_rule_with_its_safety() -> None:
    text = (ROOT / "docs" / "fixes.md").read_text(encoding="utf-8")
    rows = {
        cells[1].strip(): cells[2].strip()
        for line in text.splitlines()
        if line.startswith("| ")
        and len(cells := line.split("|")) > 3
        and cells[2].strip() in ("safe", "unsafe")
    }
    assert rows == {r.id: r.fix for r in catalogue.load().rules if r.fix}
