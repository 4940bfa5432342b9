"""Every contacts rule's bad example produces that rule; its good example does not."""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path

import pytest

from linter.contacts import check_file
from linter.contacts.checks import CHECKS

ROOT = Path(__file__).resolve().parent.parent
RULES = tomllib.loads((ROOT / "rules" / "contacts.toml").read_text(encoding="utf-8"))["rule"]
CASES = [
    (r["id"], kind, i, text)
    for r in RULES
    for kind in ("bad", "good")
    for i, text in enumerate(r["examples"][kind])
]


@pytest.mark.parametrize(
    ("rule_id", "kind", "index", "text"), CASES, ids=[f"{c[0]}-{c[1]}{c[2]}" for c in CASES]
)
def test_example(tmp_path: Path, rule_id: str, kind: str, index: int, text: str) -> None:
    path = tmp_path / "example.csv"
    path.write_text(text, encoding="utf-8")
    report = check_file(path, today=date(2026, 1, 1))
    hit = rule_id in report.counts_by_rule
    assert hit == (kind == "bad"), report.counts_by_rule
    if kind == "bad":
        assert any(f.rule == rule_id for f in report.findings)


def test_catalogue_shape() -> None:
    ids = [r["id"] for r in RULES]
    assert ids == sorted(ids) and len(ids) == len(set(ids))
    for r in RULES:
        assert r["check"] in CHECKS, r["id"]
        assert sum(bool(o.get("preferred")) for o in r["options"]) == 1, r["id"]
        assert 2 <= len(r["options"]) <= 3, r["id"]
        assert r["summary"].endswith("."), r["id"]
        assert "should" not in r["why"].lower(), r["id"]
