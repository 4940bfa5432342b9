"""The catalogue's own examples are the rule tests: every bad one fires, every good one does not."""

from __future__ import annotations

import pytest

from linter import catalogue
from linter.config import Config
from linter.lint import lint_text
from linter.messages import lint_eml

CAT = catalogue.load()
EMAIL_RULES = [r for r in CAT.rules if r.kind == "email"]
MESSAGE_RULES = [r for r in CAT.rules if r.kind == "message"]  # examples are whole .eml files


def _cases(kind: str, rules: list[catalogue.Rule] = EMAIL_RULES) -> list[pytest.param]:  # type: ignore[valid-type]
    cases = []
    for rule in rules:
        snippets = rule.examples.bad if kind == "bad" else rule.examples.good
        for i, snippet in enumerate(snippets):
            cases.append(pytest.param(rule, snippet, id=f"{rule.id}-{rule.name}-{kind}{i}"))
    return cases


def _rules_hit(rule: catalogue.Rule, snippet: str, name: str = "example.html") -> list[str]:
    """Rules found on an example, run with the example's params and team policy."""
    standards = tuple(
        s._replace(rules=tuple(r.for_examples() if r.id == rule.id else r for r in s.rules))
        for s in CAT.standards
    )
    config = Config.defaults(catalogue.Catalogue(standards), rule.examples.config)
    if rule.opt_in:
        config = config._replace(cli_select=(rule.id,))
    if name.endswith(".eml"):
        return [f.rule for f in lint_eml(name, snippet.encode("utf-8"), config.settings_for(name))]
    return [f.rule for f in lint_text(name, snippet, config)]


@pytest.mark.parametrize(("rule", "snippet"), _cases("bad"))
def test_bad_example_fires(rule: catalogue.Rule, snippet: str) -> None:
    assert rule.id in _rules_hit(rule, snippet)


@pytest.mark.parametrize(("rule", "snippet"), _cases("good"))
def test_good_example_is_clean(rule: catalogue.Rule, snippet: str) -> None:
    assert rule.id not in _rules_hit(rule, snippet)


@pytest.mark.parametrize(("rule", "snippet"), _cases("bad", MESSAGE_RULES))
def test_bad_message_example_fires(rule: catalogue.Rule, snippet: str) -> None:
    assert rule.id in _rules_hit(rule, snippet, "example.eml")


@pytest.mark.parametrize(("rule", "snippet"), _cases("good", MESSAGE_RULES))
def test_good_message_example_is_clean(rule: catalogue.Rule, snippet: str) -> None:
    assert rule.id not in _rules_hit(rule, snippet, "example.eml")


def test_catalogue_has_the_agreed_standards() -> None:
    names = {s.name for s in CAT.standards}
    assert {"responsive"} <= names


@pytest.mark.parametrize("rule", CAT.rules, ids=lambda r: r.id)
def test_rule_docs_are_complete(rule: catalogue.Rule) -> None:
    assert rule.summary.endswith("."), "summary is one sentence"
    assert "should" not in rule.why.lower(), "why says who sees what, not 'should'"
    assert sum(o.preferred for o in rule.options) == 1
    assert rule.options[0].preferred, "the preferred option comes first"


def test_every_email_rule_says_why_its_severity(cat: catalogue.Catalogue) -> None:
    # error = a recipient sees broken or missing content, or a law is broken; warning =
    # degraded; info = graceful (docs/writing-rules.md). Contact rules reject rows instead.
    for rule in cat.rules:
        if rule.standard != "contacts":
            assert f"Severity: {rule.severity.value}, because" in rule.why, rule.id
