"""Adapter for `presend check`: lint one contact table with the config's resolved rules.

The engine resolves select/ignore/severity per path; this keeps those decisions (a rule
turned off does not run, an overridden severity decides rejection) and maps contact input
errors to the engine's InputError so other inputs still run.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from linter.config import Config
from linter.contacts.rules import contact_rules
from linter.contacts.schema import SchemaError, load_schema
from linter.contacts.sniff import ContactsInputError, sniff
from linter.contacts.validate import run
from linter.findings import Finding
from linter.sources import InputError, Source


def _schema_path(config: Config) -> Path | None:
    # `[contacts] schema = "..."` once the config grows that section; relative to the config.
    section = getattr(config.file, "contacts", None)
    schema = getattr(section, "schema", None)
    return None if not schema else config.root / str(schema)


def lint_table(source: Source, config: Config) -> list[Finding]:
    if source.stdin:
        raise InputError(source.path, "contact tables are read from a file, not stdin")
    chosen = {r.id: r.severity for r in config.settings_for(source.path).rules
              if r.standard == "contacts"}
    rules = tuple(replace(r, severity=chosen[r.id]) for r in contact_rules() if r.id in chosen)
    if not rules:
        return []
    try:
        schema = load_schema(_schema_path(config))
        dialect = sniff(source.path)
        runner = run(source.path, schema, dialect, today=date.today(), rules=rules)
    except (ContactsInputError, SchemaError) as exc:
        raise InputError(source.path, str(exc).removeprefix(f"{source.path}:")) from None
    return runner.report(source.path).findings
