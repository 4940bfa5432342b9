"""Fingerprint matching: a finding is new only when the change introduced it."""

from __future__ import annotations

from pathlib import Path

import pytest

from linter import catalogue
from linter.config import Config, ConfigFile
from linter.review.compare import FileChange, compare_changes

PAGE = """<!DOCTYPE html>
<html>
<head>
<meta name="viewport" content="width=device-width, initial-scale=1">
</head>
<body>
<table width="100%"><tr><td>
<img src="https://img.example.com/hero.png" width="800" alt="Spring sale">
</td></tr></table>
</body>
</html>
"""
WIDE_IMAGE = '<img src="https://img.example.com/hero.png" width="800" alt="Spring sale">'


@pytest.fixture(scope="module")
def config() -> Config:
    # Responsive only: these tests are about matching, not about which rules exist.
    return Config(ConfigFile(standards=("responsive",)), None, Path.cwd(), catalogue.load())


def _rules(findings: list) -> list[tuple[str, int]]:  # type: ignore[type-arg]
    return [(f.rule, f.line) for f in findings]


def test_lines_inserted_above_an_existing_violation_are_not_new(config: Config) -> None:
    after = PAGE.replace("<body>\n", "<body>\n<p>One</p>\n<p>Two</p>\n<p>Three</p>\n")
    result = compare_changes([FileChange("promo.html", PAGE, after)], config)
    assert result.new == []
    assert result.fixed == []
    assert result.unchanged >= 1


def test_a_second_identical_violation_is_new(config: Config) -> None:
    after = PAGE.replace(WIDE_IMAGE, WIDE_IMAGE + "\n" + WIDE_IMAGE)
    result = compare_changes([FileChange("promo.html", PAGE, after)], config)
    assert _rules(result.new) == [("RSP004", 9)]
    assert result.fixed == []


def test_removing_a_violation_lists_it_as_fixed(config: Config) -> None:
    after = PAGE.replace('width="800"', 'width="600"')
    result = compare_changes([FileChange("promo.html", PAGE, after)], config)
    assert result.new == []
    assert _rules(result.fixed) == [("RSP004", 8)]


def test_reindenting_keeps_fingerprints(config: Config) -> None:
    after = PAGE.replace(WIDE_IMAGE, "    " + WIDE_IMAGE.replace(" alt", "\n      alt"))
    result = compare_changes([FileChange("promo.html", PAGE, after)], config)
    assert result.new == []


def test_added_and_deleted_files(config: Config) -> None:
    # Fixed wider than a phone, no viewport: RSP001 and RSP002.
    bare = '<html><body><table width="500"><tr><td><p>Hi</p></td></tr></table></body></html>'
    added = compare_changes([FileChange("new.html", None, bare)], config)
    assert sorted(f.rule for f in added.new) == ["RSP001", "RSP002"]
    deleted = compare_changes([FileChange("old.html", bare, None)], config)
    assert deleted.new == []
    assert sorted(f.rule for f in deleted.fixed) == ["RSP001", "RSP002"]


def test_only_email_files_are_linted(config: Config) -> None:
    result = compare_changes([FileChange("notes.txt", None, "<html></html>")], config)
    assert result.files == [] and result.new == []
