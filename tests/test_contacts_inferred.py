"""Marketing rules on a plain Table Schema (issue 14): with no `presend` block, the one
`format: email` field is the list's address column, and the report says so."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from click.testing import CliRunner

from linter.cli import main
from linter.contacts import check_file

TODAY = date(2026, 1, 1)
PLAIN = {
    "fields": [
        {"name": "id", "type": "integer", "constraints": {"required": True, "unique": True}},
        {"name": "email", "type": "string", "format": "email", "constraints": {"unique": True}},
        {"name": "status", "type": "string", "constraints": {"enum": ["active", "lapsed"]}},
        {"name": "joined", "type": "datetime"},
    ],
    "primaryKey": ["id"],
}
ROWS = [
    "id,email,status,joined",
    "1,Ann@x.com,active,2024-05-06T10:11:12Z",
    "2,ann@x.com,active,2024-05-06T10:11:12Z",  # the same inbox: a duplicate
    "3,bob@mailinator.com,active,2024-05-06T10:11:12Z",  # disposable
    "4,cy@gmial.com,lapsed,2024-05-06T10:11:12Z",  # typo of gmail.com
    "5,info@example.org,active,2024-05-06T10:11:12Z",  # role address (a warning)
    "6,dee@example.org,active,2024-05-06T10:11:12Z",
]


def _files(tmp_path: Path, schema: dict[str, object]) -> tuple[Path, Path]:
    data, path = tmp_path / "list.csv", tmp_path / "schema.json"
    data.write_text("\n".join(ROWS) + "\n", encoding="utf-8")
    path.write_text(json.dumps(schema), encoding="utf-8")
    return data, path


def test_the_one_email_field_gets_the_marketing_rules(tmp_path: Path) -> None:
    data, schema = _files(tmp_path, PLAIN)
    report = check_file(data, schema, today=TODAY)
    assert report.counts_by_rule == {"DAT002": 1, "DAT003": 1, "DAT004": 1, "DAT005": 1}
    assert report.rows_rejected == 3  # the role address is a warning: it stays clean
    (note,) = report.inferred
    assert note.startswith("no presend block: 'email' (the one field with format email)")
    assert f"inferred: {note}" in report.summary()


def test_a_presend_block_overrides_what_would_be_inferred(tmp_path: Path) -> None:
    data, schema = _files(tmp_path, {**PLAIN, "presend": {}})
    report = check_file(data, schema, today=TODAY)
    # No marketing rules; the exact `unique` of the Table Schema still runs (Ann@ != ann@).
    assert report.counts_by_rule == {}
    assert report.inferred == ()
    block = {"emailColumn": "email", "disposableDomains": {"bundled": True}}
    report = check_file(data, _files(tmp_path, {**PLAIN, "presend": block})[1], today=TODAY)
    # Without the typo table, gmial.com (a squatted catch-all) counts as disposable.
    assert report.counts_by_rule == {"DAT002": 1, "DAT004": 2}


def test_two_email_fields_infer_nothing_and_say_why(tmp_path: Path) -> None:
    fields = [*PLAIN["fields"], {"name": "work", "format": "email"}]  # type: ignore[misc]
    rows = [f"{r},{'work' if i == 0 else 'x@y.com'}" for i, r in enumerate(ROWS)]
    data, schema = _files(tmp_path, {**PLAIN, "fields": fields})
    data.write_text("\n".join(rows) + "\n", encoding="utf-8")
    report = check_file(data, schema, today=TODAY)
    assert "DAT002" not in report.counts_by_rule and "DAT004" not in report.counts_by_rule
    assert report.inferred == (
        "no presend block and 2 fields with format email ('email', 'work'): no marketing "
        "rules inferred (name one in presend.emailColumn)",
    )


def test_the_cli_says_what_it_inferred(tmp_path: Path) -> None:
    data, schema = _files(tmp_path, PLAIN)
    result = CliRunner().invoke(main, ["data", str(data), "--schema", str(schema)])
    assert result.exit_code == 1, result.output
    assert "inferred: no presend block: 'email'" in result.output
    assert "DAT002" in result.output
