"""presend's Table Schema verdicts against frictionless', cell by cell (issue 14).

Every case of tests/tableschema_cases.py (each type, format and constraint of the spec:
valid cells, boundaries, invalid cells and mutations of them, >= 10,000 in all) becomes a
small schema. frictionless validates it in one call; presend checks it as one batch with
its Table Schema rules (check_batch, uniqueness resolved over the whole column). Verdicts
per row must be identical, except where frictionless reads a value the spec does not allow
(or the other way round): each such exception is listed in EXCEPTIONS with the spec line,
in docs/contacts.md too, and must be what explains the disagreement. frictionless is a test
dependency only (the dev extra).
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from importlib.metadata import version

import polars as pl
import pytest

from linter.contacts.batch import BatchContext, check_batch, row_keys
from linter.contacts.hashset import repeated
from linter.contacts.rules import contact_rules
from linter.contacts.schema import parse_schema
from linter.findings import Severity
from tests.tableschema_cases import Case, cases

frictionless = pytest.importorskip("frictionless", reason="frictionless is in the dev extra")

# The Table Schema rules (the rest are marketing rules, which frictionless has no word on).
TABLE_SCHEMA_RULES = {"DAT001", "DAT007", "DAT013", "DAT014", "DAT015", "DAT016", "DAT017"}
TABLE_SCHEMA_RULES |= {"DAT018", "DAT019", "DAT020"}


@dataclass(frozen=True)
class Exception_:
    """A documented disagreement: `applies(case, cell)` says the cell is such a case, and
    presend's verdict on it is `presend_valid` (frictionless says the opposite). `spec`
    quotes the line presend follows (docs/contacts.md, "Table Schema conformance")."""

    name: str
    applies: Callable[[str, str], bool]
    presend_valid: bool
    spec: str


def _kind(*names: str) -> Callable[[str], bool]:
    return lambda case: case.split(" ")[0] in names


def _rx(pattern: str) -> Callable[[str], bool]:
    return lambda cell: re.search(pattern, cell) is not None


def _both(kinds: Callable[[str], bool], cells: Callable[[str], bool]) -> Callable[[str, str], bool]:
    return lambda case, cell: kinds(case) and cells(cell)


_ZONE_FORMS = r"[tz]|[+-][0-9]{4}$|[0-9] [0-9]"
if int(version("python-dateutil").split(".")[0]) < 4:
    _ZONE_FORMS += r"|[+-][0-9]{2}:[0-9]$"

_URI_CHARS = re.compile(r"^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?#\[\]]|%[0-9A-Fa-f]{2})*$")


def _strict_base64(cell: str) -> bool:
    try:
        base64.b64decode(cell, validate=True)
    except ValueError:
        return False
    return True


EXCEPTIONS: list[Exception_] = [
    Exception_(
        "blanks around a number",
        _both(
            _kind("integer", "number", "list"),
            lambda c: c != c.strip() and c.strip() != "",
        ),
        False,
        "number/integer, bareNumber: If `true` the physical contents of this field `MUST` "
        "follow the formatting constraints already set out.",
    ),
    Exception_(
        "integer groupChar",
        lambda case, cell: case == "integer groupChar" and "," in cell,
        True,
        "integer: **groupChar**: A string whose value is used to group digits within the "
        "integer. (frictionless 5 reads groupChar on numbers only)",
    ),
    Exception_(
        "a date not written yyyy-mm-dd",
        _both(
            _kind("date"),
            lambda c: (
                re.fullmatch(r"[0-9]+-[0-9]+-[0-9]+", c) is not None
                and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", c) is None
            ),
        ),
        False,
        "date, default: The lexical representation `MUST` be `yyyy-mm-dd` e.g. `2024-01-26`",
    ),
    Exception_(
        "a time or datetime not in XML Schema's form (t, z, a zone not written +hh:mm)",
        _both(
            _kind("time", "datetime"),
            # "+0100"; and "-05:0" where python-dateutil's isoparse, which frictionless
            # calls, still takes a one-digit zone minute (before 4.0).
            lambda c: re.search(_ZONE_FORMS, c) is not None,
        ),
        False,
        "datetime, default: The lexical representation `MUST` be in a form defined by XML "
        "Schema containing required date and time parts, followed by optional milliseconds "
        "and timezone parts (time: `MUST` be `hh:mm:ss`; XML Schema: 'T', and a zone "
        "written Z or (+|-)hh:mm)",
    ),
    Exception_(
        "a year in other than ASCII digits",
        _both(_kind("year"), lambda c: not c.isascii()),
        False,
        "year: A calendar year as per XMLSchema `gYear`. Usual lexical representation is "
        "`YYYY`. (XML Schema digits are #x30-#x39)",
    ),
    Exception_(
        "a yearmonth not written YYYY-MM",
        _both(
            _kind("yearmonth"),
            lambda c: re.fullmatch(r"[0-9]{4}-[0-9]{2}", c) is None,
        ),
        False,
        "yearmonth: A specific month in a specific year as per XMLSchema `gYearMonth`. "
        "Usual lexical representation is: `YYYY-MM`.",
    ),
    Exception_(
        "a duration of P and T alone",
        _both(_kind("duration"), lambda c: c.strip("-") == "PT"),
        False,
        "duration: We follow the definition of XML Schema duration datatype directly "
        "(XML Schema: 'T' must be absent if all the time items are absent)",
    ),
    Exception_(
        "topojson that is not a Topology",
        lambda case, cell: case == "geojson topojson" and "Topology" not in cell,
        False,
        "geojson, topojson: A topojson object as per the TopoJSON spec (TopoJSON: the "
        'root object is a topology, its type "Topology")',
    ),
    Exception_(
        "a URI with characters RFC 3986 does not allow",
        lambda case, cell: case == "uri" and _URI_CHARS.match(cell) is None,
        False,
        "string, uri: A valid URI. (RFC 3986: no spaces, and % followed by two hex digits)",
    ),
    Exception_(
        "a uuid not written 8-4-4-4-12",
        lambda case, cell: (
            case == "uuid"
            and re.fullmatch(r"[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}", cell) is None
        ),
        False,
        "string, uuid: A string that is a uuid. (RFC 4122's string representation: "
        "8-4-4-4-12 hexadecimal digits)",
    ),
    Exception_(
        "base64 with characters outside its alphabet or padding",
        lambda case, cell: case == "binary" and not _strict_base64(cell),
        False,
        "string, binary: A base64 encoded string representing binary data. (RFC 4648 3.3: "
        "implementations MUST reject encoded data with characters outside the alphabet)",
    ),
    Exception_(
        "an email domain with a one-letter top level",
        lambda case, cell: case == "email" and re.search(r"\.[a-z]$", cell) is not None,
        True,
        "string, email: A valid email address. (RFC 5321 has no minimum length for a "
        "top-level label; presend's check is email-validator's, rule DAT001)",
    ),
]

_ROW = re.compile(r"^[0-9]+$")


def _frictionless_invalid_rows(case: Case) -> set[int]:
    from frictionless import Resource, Schema

    header = ["id", *(str(f["name"]) for f in case.fields)]
    schema = Schema.from_descriptor(case.descriptor())
    resource = Resource(data=[header, *case.rows], schema=schema, datapackage_version="v2")
    report = resource.validate(limit_errors=10**6)
    assert report.tasks, report.flatten(["type", "note"])
    bad = {int(row) - 2 for row, kind in report.flatten(["rowNumber", "type"]) if row}
    errors = [e for e in report.flatten(["type", "note"]) if e[0] not in _ROW_ERRORS]
    assert not errors, errors  # a schema frictionless refuses is a bad case
    return bad


_ROW_ERRORS = {
    "type-error",
    "constraint-error",
    "unique-error",
    "primary-key",
    "missing-cell",
}


def _presend_invalid_rows(case: Case) -> set[int]:
    schema = parse_schema(case.descriptor(), case.name)
    rules = tuple(
        replace(r, severity=Severity.ERROR) for r in contact_rules() if r.id in TABLE_SCHEMA_RULES
    )
    ctx = BatchContext(today=date(2026, 1, 1), rules=rules)
    header = ["id", *(str(f["name"]) for f in case.fields)]
    frame = pl.DataFrame(case.rows, schema=header, orient="row")
    keys = row_keys(frame, schema, ctx)
    result = check_batch(frame, schema, ctx, repeats={k.name: repeated(k.hashes) for k in keys})
    return set(result.reject.arg_true().to_list())


ALL = cases()


def test_the_cases_cover_ten_thousand_cells_of_every_type() -> None:
    cells = sum(len(c.rows) * len(c.fields) for c in ALL)
    assert cells >= 10_000, cells
    types = {str(f.get("type")) for c in ALL for f in c.fields}
    assert types >= {
        "string", "number", "integer", "boolean", "object", "array", "list", "datetime",
        "date", "time", "year", "yearmonth", "duration", "geopoint", "geojson", "any",
    }  # fmt: skip


def test_presend_and_frictionless_agree_cell_by_cell() -> None:
    unexplained, explained = [], set()
    for case in ALL:
        theirs, ours = _frictionless_invalid_rows(case), _presend_invalid_rows(case)
        for i in sorted(theirs ^ ours):
            cells = case.rows[i][1:]
            cell = cells[0]
            match = next((e for e in EXCEPTIONS if e.applies(case.name, cell)), None)
            presend_valid = i not in ours
            if match is None or match.presend_valid != presend_valid:
                unexplained.append((case.name, cells, "presend", presend_valid))
            else:
                explained.add(match.name)
    by_case: dict[str, list[tuple[list[str], bool]]] = {}
    for name, cells, _, valid in unexplained:
        by_case.setdefault(name, []).append((cells, valid))
    said = [f"{n} ({len(v)}): {v[:6]}" for n, v in by_case.items()]
    assert not unexplained, "\n".join(said) + f"\n{len(unexplained)} in all"
    # Every documented exception is met by the generated cells (so the list stays true).
    assert explained == {e.name for e in EXCEPTIONS}


def _schema_error(descriptor: dict[str, object]) -> str:
    from linter.contacts.schema import SchemaError

    with pytest.raises(SchemaError) as caught:
        parse_schema(descriptor, "s.json")
    return str(caught.value)


def test_foreign_keys_are_refused_with_the_reason() -> None:
    said = _schema_error(
        {
            "fields": [{"name": "a"}],
            "foreignKeys": [{"fields": ["a"], "reference": {"resource": "b", "fields": ["id"]}}],
        }
    )
    assert said.startswith("s.json: foreignKeys: expected foreign keys are not supported")
    assert "one file at a time" in said


def test_schema_errors_name_what_the_spec_does_not_allow() -> None:
    field = {"name": "a", "type": "integer", "constraints": {"pattern": "[0-9]+"}}
    assert "pattern applies to string" in _schema_error({"fields": [field]})
    field = {"name": "a", "type": "duration", "constraints": {"minimum": "P1D"}}
    assert "minimum applies to integer, number" in _schema_error({"fields": [field]})
    field = {"name": "a", "type": "date", "constraints": {"minimum": "yesterday"}}
    assert "constraints.minimum: expected a date value" in _schema_error({"fields": [field]})
    field = {"name": "a", "type": "integer", "constraints": {"enum": [1, "two"]}}
    assert "constraints.enum[1]: expected a integer value" in _schema_error({"fields": [field]})
    assert "a format of string" in _schema_error({"fields": [{"name": "a", "format": "wkt"}]})
    field = {"name": "a", "type": "object", "constraints": {"jsonSchema": {}}}
    assert "jsonSchema constraints are not supported" in _schema_error({"fields": [field]})
    field = {"name": "a", "type": "list", "itemType": "object"}
    assert "itemType: expected one of string" in _schema_error({"fields": [field]})


def test_unique_keys_leave_rows_with_a_missing_part_out() -> None:
    schema = parse_schema(
        {
            "fields": [{"name": "a"}, {"name": "b"}],
            "uniqueKeys": [["a", "b"], ["b"]],
            "missingValues": [{"value": "", "label": "omitted"}, {"value": "-"}],
        },
        "s.json",
    )
    frame = pl.DataFrame({"a": ["1", "1", "1", "-", "-"], "b": ["x", "y", "x", "z", "z"]})
    keys = {k.name: repeated(k.hashes).to_list() for k in row_keys(frame, schema, BatchContext())}
    assert keys == {
        "DAT014:b": [False, False, True, False, True],
        "DAT014:a+b": [False, False, True, False, False],  # ("-", "z") has a missing part
    }
