"""The `contacts` rules: id, name, severity and check read from rules/contacts.toml.

The general catalogue loader validates the full entries; this module reads only what the
contact runner needs, so the runner works before (and independently of) the engine.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from linter.contacts.checks import CHECKS
from linter.findings import Severity

if TYPE_CHECKING:
    from linter.config import Config


@dataclass(frozen=True, slots=True)
class ContactRule:
    id: str
    name: str
    severity: Severity
    summary: str
    check: str
    params: Mapping[str, object] = field(default_factory=dict)


def catalogue_path() -> Path:
    """rules/contacts.toml: beside the package in a checkout, linter/rules in a wheel."""
    here = Path(__file__).resolve().parent.parent
    for candidate in (here / "rules" / "contacts.toml", here.parent / "rules" / "contacts.toml"):
        if candidate.is_file():
            return candidate
    raise FileNotFoundError("rules/contacts.toml is missing from the installation")


@cache
def contact_rules(path: Path | None = None) -> tuple[ContactRule, ...]:
    target = path or catalogue_path()
    data = tomllib.loads(target.read_text(encoding="utf-8"))
    rules = []
    for raw in data.get("rule", []):
        check = str(raw["check"])
        if check not in CHECKS:
            raise ValueError(f"{target}: {raw.get('id')}.check: unknown contact check {check!r}")
        params = raw.get("params", {})
        rules.append(
            ContactRule(
                id=str(raw["id"]),
                name=str(raw["name"]),
                severity=Severity.parse(str(raw["severity"])),
                summary=str(raw["summary"]),
                check=check,
                params=dict(params) if isinstance(params, dict) else {},
            )
        )
    return tuple(sorted(rules, key=lambda r: r.id))


def resolved_rules(path: str, config: Config) -> tuple[ContactRule, ...]:
    """The contact rules the config enables for this path, with their resolved severity."""
    chosen = {r.id: r.severity for r in config.settings_for(path).rules if r.standard == "contacts"}
    return tuple(replace(r, severity=chosen[r.id]) for r in contact_rules() if r.id in chosen)
