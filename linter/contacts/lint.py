"""Adapter for `presend check`: lint one contact table with the config's resolved rules.

The engine resolves select/ignore/severity per path; this keeps those decisions (a rule
turned off does not run, an overridden severity decides rejection) and maps contact input
errors to the engine's InputError so other inputs still run.
"""

from __future__ import annotations

from datetime import date

from linter.config import Config
from linter.contacts.rules import resolved_rules
from linter.contacts.runner import run
from linter.contacts.schema import SchemaError, configured_schema
from linter.contacts.sniff import ContactsInputError, sniff
from linter.findings import Finding
from linter.sources import InputError, Source


def lint_table(source: Source, config: Config) -> list[Finding]:
    if source.stdin:
        raise InputError(source.path, "contact tables are read from a file, not stdin")
    rules = resolved_rules(source.path, config)
    if not rules:
        return []
    reading = config.file.contacts
    try:
        schema = configured_schema(config)
        dialect = sniff(
            source.path, encoding=reading.encoding or None, delimiter=reading.delimiter or None
        )
        # A progress bar on a terminal for long files; wanted() keeps it off in CI and pipes.
        runner = run(source.path, schema, dialect, today=date.today(), rules=rules, progress=True)
    except (ContactsInputError, SchemaError) as exc:
        raise InputError(source.path, str(exc).removeprefix(f"{source.path}:")) from None
    # Fingerprint under the config-relative identity; report under the path as given.
    report = runner.report(config.identity(source.path))
    return [f._replace(path=source.path) for f in report.findings]
