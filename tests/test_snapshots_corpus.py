"""Findings on real templates match their reviewed snapshots (tests/snapshots/)."""

from __future__ import annotations

import pytest

from tests.snapshot_corpus import TEMPLATES, findings_lines, read


@pytest.mark.parametrize("template", TEMPLATES)
def test_findings_match_reviewed_snapshot(template: str) -> None:
    notes, expected = read(template)
    assert expected or notes, f"no snapshot yet: python tests/snapshot_corpus.py ({template})"
    assert findings_lines(template) == expected


@pytest.mark.parametrize("template", [t for t in TEMPLATES if t.startswith("Cerberus/")])
def test_every_error_on_cerberus_is_justified(template: str) -> None:
    notes, expected = read(template)
    for line in expected:
        if "[error]" in line:
            rule = line.split()[1]
            assert any(rule in note for note in notes), f"unjustified error on Cerberus: {line}"
