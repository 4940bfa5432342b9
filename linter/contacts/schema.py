"""Load a Frictionless Table Schema plus presend's marketing keys into frozen dataclasses.

Table Schema keys keep their camelCase spelling (minLength, primaryKey, missingValues) and so do
the presend keys in the schema's `presend` object, so one JSON file reads in one style.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from linter import sidefiles
from linter.contacts.values import LIST_ITEMS
from linter.limits import MAX_SCHEMA_FIELDS

if TYPE_CHECKING:
    from linter.config import Config

DEFAULT_SCHEMA = Path(__file__).resolve().parent.parent / "data/contacts/default.schema.json"

TYPES = (
    "string",
    "number",
    "integer",
    "boolean",
    "object",
    "array",
    "list",
    "datetime",
    "date",
    "time",
    "year",
    "yearmonth",
    "duration",
    "geopoint",
    "geojson",
    "any",
)
# Formats other than "default" each type takes; date, time and datetime also take "any" and
# a strptime pattern.
FORMATS = {
    "string": ("email", "uri", "binary", "uuid"),
    "geopoint": ("array", "object"),
    "geojson": ("topojson",),
}
_TEMPORAL = ("date", "time", "datetime")
# Which constraints apply to which types (the spec's "Fields" line of each constraint).
_BOUNDED = ("integer", "number", "date", "time", "datetime", "year", "yearmonth")
_SIZED = ("string", "array", "object", "list")
CONSTRAINTS: dict[str, tuple[str, ...] | None] = {  # None: every type
    "required": None,
    "unique": None,
    "enum": None,
    "minLength": _SIZED,
    "maxLength": _SIZED,
    "minimum": _BOUNDED,
    "maximum": _BOUNDED,
    "exclusiveMinimum": _BOUNDED,
    "exclusiveMaximum": _BOUNDED,
    "pattern": ("string",),
}
_TRUE = ("true", "True", "TRUE", "1")
_FALSE = ("false", "False", "FALSE", "0")
# Not supported, refused by name with why (a schema that says more than presend checks
# must not pass as checked).
_REFUSED = {
    "foreignKeys": "foreign keys are not supported: presend checks one file at a time, "
    "so it cannot see the table a key refers to (remove foreignKeys, or check the "
    "reference with frictionless on the whole data package)",
}
_REFUSED_CONSTRAINTS = {
    "jsonSchema": "jsonSchema constraints are not supported",
}


class SchemaError(ValueError):
    """A schema file is not usable: names the file, the key path, what was expected and found."""

    def __init__(self, path: str, where: str, expected: str, found: object) -> None:
        self.path, self.where = path, where
        super().__init__(f"{path}: {where}: expected {expected} but got {found!r}")


class SchemaUnreadable(SchemaError):
    """The schema file cannot be read at all (missing, a folder, not UTF-8, too deep)."""

    def __init__(self, message: str) -> None:
        ValueError.__init__(self, message)
        self.path, self.where = "", ""


Bound = str | int | float  # a constraint's value as the JSON gives it


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    type: str = "string"
    format: str = "default"
    required: bool = False
    unique: bool = False
    pattern: str | None = None
    enum: tuple[Bound, ...] | None = None
    min_length: int | None = None
    max_length: int | None = None
    minimum: Bound | None = None
    maximum: Bound | None = None
    exclusive_minimum: Bound | None = None
    exclusive_maximum: Bound | None = None
    true_values: tuple[str, ...] = _TRUE
    false_values: tuple[str, ...] = _FALSE
    decimal_char: str = "."
    group_char: str = ""
    bare_number: bool = True
    delimiter: str = ","  # list
    item_type: str = "string"  # list
    missing_values: tuple[str, ...] | None = None  # None: the schema's

    @property
    def bounded(self) -> bool:
        """Has a minimum, maximum or exclusive bound."""
        return any(
            b is not None
            for b in (self.minimum, self.maximum, self.exclusive_minimum, self.exclusive_maximum)
        )


@dataclass(frozen=True, slots=True)
class Marketing:
    """presend's marketing rules; an empty column name switches that rule off."""

    email_column: str = ""
    role_addresses: frozenset[str] = frozenset()
    disposable_bundled: bool = False
    disposable_extra: frozenset[str] = frozenset()
    disposable_allow: frozenset[str] = frozenset()
    typo_bundled: bool = False
    typo_extra: Mapping[str, str] = field(default_factory=dict)
    phone_columns: tuple[str, ...] = ()
    phone_region: str | None = None
    country_columns: tuple[str, ...] = ()
    no_future_dates: tuple[str, ...] = ()
    consent_column: str = ""
    consent_accepted: tuple[str, ...] | None = None
    lead_source_column: str = ""
    lead_source_deny: tuple[str, ...] = ()
    free_text: tuple[str, ...] = ()
    personalisation: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ContactSchema:
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...] = ()
    unique_keys: tuple[tuple[str, ...], ...] = ()
    missing_values: tuple[str, ...] = ("",)
    marketing: Marketing = Marketing()
    source: str = "<default>"
    # What presend inferred for a plain schema (no `presend` block), for the report to say.
    inferred: tuple[str, ...] = ()

    def field(self, name: str) -> Field | None:
        return next((f for f in self.fields if f.name == name), None)

    def missing_for(self, name: str) -> tuple[str, ...]:
        """The values that mean "missing" in a column: its field's own, else the schema's."""
        f = self.field(name)
        return self.missing_values if f is None or f.missing_values is None else f.missing_values

    @property
    def empty_is_missing(self) -> bool:
        """Only "" means missing, in every column (the default): the reader makes it null."""
        return self.missing_values == ("",) and all(
            f.missing_values in (None, ("",)) for f in self.fields
        )


class _Reader:
    """Typed access to parsed JSON that raises SchemaError naming the key path."""

    def __init__(self, path: str) -> None:
        self.path = path

    def obj(self, value: object, where: str) -> dict[str, object]:
        if not isinstance(value, dict):
            raise SchemaError(self.path, where, "an object", value)
        return {str(k): v for k, v in value.items()}

    def strs(self, value: object, where: str) -> tuple[str, ...]:
        if isinstance(value, str):
            return (value,)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise SchemaError(self.path, where, "a list of strings", value)
        return tuple(str(v) for v in value)

    def str_(self, value: object, where: str) -> str:
        if not isinstance(value, str):
            raise SchemaError(self.path, where, "a string", value)
        return value

    def bool_(self, value: object, where: str) -> bool:
        if not isinstance(value, bool):
            raise SchemaError(self.path, where, "true or false", value)
        return value

    def int_(self, value: object, where: str) -> int:
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise SchemaError(self.path, where, "a non-negative integer", value)
        return value

    def known(self, value: dict[str, object], keys: set[str], where: str) -> None:
        unknown = sorted(set(value) - keys)
        if unknown:
            raise SchemaError(
                self.path, f"{where}.{unknown[0]}", f"one of {sorted(keys)}", unknown[0]
            )


def _field(r: _Reader, raw: object, where: str) -> Field:
    f = r.obj(raw, where)
    name = r.str_(f.get("name"), f"{where}.name")
    ftype = r.str_(f.get("type", "string"), f"{where}.type")  # v1: string (v2 says any)
    if ftype not in TYPES:
        raise SchemaError(r.path, f"{where}.type", f"one of {', '.join(TYPES)}", ftype)
    fmt = r.str_(f.get("format", "default"), f"{where}.format").removeprefix("fmt:")
    if fmt != "default" and ftype not in _TEMPORAL and fmt not in FORMATS.get(ftype, ()):
        allowed = ", ".join(("default", *FORMATS.get(ftype, ())))
        raise SchemaError(r.path, f"{where}.format", f"a format of {ftype} ({allowed})", fmt)
    c = r.obj(f.get("constraints", {}), f"{where}.constraints")
    cw = f"{where}.constraints"
    for key in c:
        if key in _REFUSED_CONSTRAINTS:
            raise SchemaError(r.path, f"{cw}.{key}", _REFUSED_CONSTRAINTS[key], c[key])
        types = CONSTRAINTS.get(key, ())
        if types is not None and ftype not in types:
            expected = (
                f"one of {sorted(CONSTRAINTS)}"
                if key not in CONSTRAINTS
                else f"a constraint of {ftype} ({key} applies to {', '.join(types)})"
            )
            raise SchemaError(r.path, f"{cw}.{key}", expected, key)

    def opt_int(key: str) -> int | None:
        return None if key not in c else r.int_(c[key], f"{cw}.{key}")

    def opt_bound(key: str) -> Bound | None:
        v = c.get(key)
        if v is None:
            return None
        if isinstance(v, bool) or not isinstance(v, str | int | float):
            raise SchemaError(r.path, f"{cw}.{key}", f"a {ftype} value", v)
        return v

    def text(key: str, default: str) -> str:
        return r.str_(f.get(key, default), f"{where}.{key}")

    missing = f.get("missingValues")
    item_type = text("itemType", "string")
    if ftype == "list" and item_type not in LIST_ITEMS:
        raise SchemaError(r.path, f"{where}.itemType", f"one of {', '.join(LIST_ITEMS)}", item_type)
    field = Field(
        name=name,
        type=ftype,
        format=fmt,
        required=r.bool_(c.get("required", False), f"{cw}.required"),
        unique=r.bool_(c.get("unique", False), f"{cw}.unique"),
        pattern=None if "pattern" not in c else _pattern(r, c["pattern"], f"{cw}.pattern"),
        enum=None if "enum" not in c else _enum(r, c["enum"], f"{cw}.enum"),
        min_length=opt_int("minLength"),
        max_length=opt_int("maxLength"),
        minimum=opt_bound("minimum"),
        maximum=opt_bound("maximum"),
        exclusive_minimum=opt_bound("exclusiveMinimum"),
        exclusive_maximum=opt_bound("exclusiveMaximum"),
        true_values=r.strs(f.get("trueValues", list(_TRUE)), f"{where}.trueValues"),
        false_values=r.strs(f.get("falseValues", list(_FALSE)), f"{where}.falseValues"),
        decimal_char=text("decimalChar", "."),
        group_char=text("groupChar", ""),
        bare_number=r.bool_(f.get("bareNumber", True), f"{where}.bareNumber"),
        delimiter=text("delimiter", ","),
        item_type=item_type,
        missing_values=None if missing is None else _missing(r, missing, f"{where}.missingValues"),
    )
    _check_values(r, field, c, cw)
    return field


def _enum(r: _Reader, value: object, where: str) -> tuple[Bound, ...]:
    out = []
    for i, v in enumerate(_list(r, value, where)):
        if not isinstance(v, str | int | float):  # bool is an int: a boolean's enum
            raise SchemaError(r.path, f"{where}[{i}]", "a string, number or boolean", v)
        out.append(v)
    return tuple(out)


def _check_values(r: _Reader, field: Field, c: dict[str, object], where: str) -> None:
    """Bounds and enum values must be values of the field's type (the spec: "castable with
    the type and format rules of the field"): one that is not would silently match nothing."""
    from linter.contacts.values import INVALID, bound

    for key in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        if c.get(key) is not None and bound(field, c[key]) is INVALID:
            raise SchemaError(r.path, f"{where}.{key}", f"a {field.type} value", c[key])
    if field.type not in ("string", "any"):
        for i, v in enumerate(field.enum or ()):
            if bound(field, v) is INVALID:
                raise SchemaError(r.path, f"{where}.enum[{i}]", f"a {field.type} value", v)


def _missing(r: _Reader, value: object, where: str) -> tuple[str, ...]:
    """missingValues: strings, or (v2) objects with a `value` and an optional `label`."""
    items = _list(r, value, where)
    if all(isinstance(v, dict) for v in items) and items:
        return tuple(
            r.str_(r.obj(v, f"{where}[{i}]").get("value"), f"{where}[{i}].value")
            for i, v in enumerate(items)
        )
    return r.strs(value, where)


def _pattern(r: _Reader, value: object, where: str) -> str:
    """A pattern the engine that runs it (polars, Rust's linear-time regex) compiles: one it
    rejects (look-around, back-references, a regex past its size limit) crashed the run."""
    import polars as pl  # the contact checks load it anyway

    pattern = r.str_(value, where)
    try:
        pl.Series([""]).str.contains(f"^(?:{pattern})$")
    except pl.exceptions.PolarsError as exc:
        reason = " ".join(str(exc).split("\n\nThis error occurred")[0].split())
        raise SchemaError(r.path, where, f"a regular expression ({reason})", pattern) from None
    return pattern


def _list(r: _Reader, value: object, where: str) -> list[object]:
    if not isinstance(value, list):
        raise SchemaError(r.path, where, "a list", value)
    return value


_PRESEND_KEYS = {
    "emailColumn",
    "roleAddresses",
    "disposableDomains",
    "typoDomains",
    "phone",
    "countryColumns",
    "noFutureDates",
    "consent",
    "leadSource",
    "freeText",
    "personalisation",
}


def _marketing(r: _Reader, raw: object) -> Marketing:
    p = r.obj(raw, "presend")
    r.known(p, _PRESEND_KEYS, "presend")
    disp = r.obj(p.get("disposableDomains", {"bundled": False}), "presend.disposableDomains")
    r.known(disp, {"bundled", "extra", "allow"}, "presend.disposableDomains")
    typo = r.obj(p.get("typoDomains", {"bundled": False}), "presend.typoDomains")
    r.known(typo, {"bundled", "extra"}, "presend.typoDomains")
    extra = r.obj(typo.get("extra", {}), "presend.typoDomains.extra")
    phone = r.obj(p.get("phone", {}), "presend.phone")
    r.known(phone, {"columns", "defaultRegion"}, "presend.phone")
    consent = r.obj(p.get("consent", {}), "presend.consent")
    r.known(consent, {"column", "accepted"}, "presend.consent")
    lead = r.obj(p.get("leadSource", {}), "presend.leadSource")
    r.known(lead, {"column", "deny"}, "presend.leadSource")
    accepted = consent.get("accepted")
    region = phone.get("defaultRegion")
    return Marketing(
        email_column=r.str_(p.get("emailColumn", ""), "presend.emailColumn"),
        role_addresses=frozenset(
            x.lower() for x in r.strs(p.get("roleAddresses", []), "presend.roleAddresses")
        ),
        disposable_bundled=r.bool_(disp.get("bundled", False), "presend.disposableDomains.bundled"),
        disposable_extra=frozenset(
            x.lower() for x in r.strs(disp.get("extra", []), "presend.disposableDomains.extra")
        ),
        disposable_allow=frozenset(
            x.lower() for x in r.strs(disp.get("allow", []), "presend.disposableDomains.allow")
        ),
        typo_bundled=r.bool_(typo.get("bundled", False), "presend.typoDomains.bundled"),
        typo_extra={
            k.lower(): r.str_(v, f"presend.typoDomains.extra.{k}").lower() for k, v in extra.items()
        },
        phone_columns=r.strs(phone.get("columns", []), "presend.phone.columns"),
        phone_region=None if region is None else r.str_(region, "presend.phone.defaultRegion"),
        country_columns=r.strs(p.get("countryColumns", []), "presend.countryColumns"),
        no_future_dates=r.strs(p.get("noFutureDates", []), "presend.noFutureDates"),
        consent_column=r.str_(consent.get("column", ""), "presend.consent.column"),
        consent_accepted=None
        if accepted is None
        else tuple(x.strip().lower() for x in r.strs(accepted, "presend.consent.accepted")),
        lead_source_column=r.str_(lead.get("column", ""), "presend.leadSource.column"),
        lead_source_deny=tuple(
            x.lower() for x in r.strs(lead.get("deny", []), "presend.leadSource.deny")
        ),
        free_text=r.strs(p.get("freeText", []), "presend.freeText"),
        personalisation=r.strs(p.get("personalisation", []), "presend.personalisation"),
    )


def _inferred(fields: tuple[Field, ...]) -> tuple[Marketing, tuple[str, ...]]:
    """Marketing rules for a plain Table Schema (no `presend` block): the one field with
    `format: email` is the list's address column, so duplicates ignoring case, disposable and
    mistyped domains and role addresses are checked on it, as the bundled schema does. With
    none or several such fields nothing is inferred (which one is the list's is a guess)."""
    emails = [f.name for f in fields if f.format == "email"]
    if len(emails) != 1:
        if not emails:
            return Marketing(), ()
        named = ", ".join(repr(e) for e in emails)
        return Marketing(), (
            f"no presend block and {len(emails)} fields with format email ({named}): no "
            "marketing rules inferred (name one in presend.emailColumn)",
        )
    bundled = _bundled_marketing()
    marketing = Marketing(
        email_column=emails[0],
        role_addresses=bundled.role_addresses,
        disposable_bundled=True,
        typo_bundled=True,
    )
    note = (
        f"no presend block: {emails[0]!r} (the one field with format email) is the email "
        "column: duplicates ignoring case, disposable and mistyped domains, role addresses "
        "(a presend block overrides)"
    )
    return marketing, (note,)


@cache
def _bundled_marketing() -> Marketing:
    """The bundled schema's marketing keys (its role names, for an inferred email column)."""
    data = json.loads(DEFAULT_SCHEMA.read_text(encoding="utf-8"))
    return _marketing(_Reader(str(DEFAULT_SCHEMA)), data["presend"])


def parse_schema(data: object, source: str) -> ContactSchema:
    """Build a ContactSchema from parsed JSON; `source` names the file in errors."""
    r = _Reader(source)
    top = r.obj(data, "(top level)")
    listed = _list(r, top.get("fields"), "fields")
    if len(listed) > MAX_SCHEMA_FIELDS:
        raise SchemaError(source, "fields", f"at most {MAX_SCHEMA_FIELDS} fields", len(listed))
    fields = tuple(_field(r, f, f"fields[{i}]") for i, f in enumerate(listed))
    names = [f.name for f in fields]
    seen: set[str] = set()
    for i, name in enumerate(names):
        if name in seen:
            raise SchemaError(source, f"fields[{i}].name", "a name used once", name)
        seen.add(name)
    for key, why in _REFUSED.items():
        if top.get(key):
            raise SchemaError(source, key, why, top[key])
    pk = r.strs(top.get("primaryKey", []), "primaryKey")
    for key in pk:
        if key not in names:
            raise SchemaError(source, "primaryKey", f"field names from {names}", key)
    unique_keys = tuple(
        r.strs(k, f"uniqueKeys[{i}]")
        for i, k in enumerate(_list(r, top.get("uniqueKeys", []), "uniqueKeys"))
    )
    for i, ukey in enumerate(unique_keys):
        for key in ukey:
            if key not in names:
                raise SchemaError(source, f"uniqueKeys[{i}]", f"field names from {names}", key)
    inferred: tuple[str, ...] = ()
    if "presend" in top:
        marketing = _marketing(r, top["presend"])
    else:
        marketing, inferred = _inferred(fields)
    return ContactSchema(
        fields=fields,
        primary_key=pk,
        unique_keys=unique_keys,
        missing_values=_missing(r, top.get("missingValues", [""]), "missingValues"),
        marketing=marketing,
        source=source,
        inferred=inferred,
    )


def as_schema(schema: str | Path | ContactSchema | None) -> ContactSchema:
    """A schema given to the Python API: one already loaded, or loaded from its path (None:
    the bundled default)."""
    return schema if isinstance(schema, ContactSchema) else load_schema(schema)


def load_schema(path: str | Path | None, named_by: str = "") -> ContactSchema:
    """Read a Table Schema JSON file; None loads the bundled default schema. `named_by` is
    the config key that named the file (empty: named on the command line)."""
    target = Path(path) if path is not None else DEFAULT_SCHEMA
    try:
        text = sidefiles.read_text(target, explicit=not named_by, named_by=named_by)
        data = sidefiles.parse_json(text, str(target))
    except sidefiles.SideFileError as exc:
        raise SchemaUnreadable(str(exc)) from None
    except json.JSONDecodeError as exc:
        raise SchemaError(
            str(target), f"line {exc.lineno} column {exc.colno}", "valid JSON", exc.msg
        ) from None
    return parse_schema(data, str(target))


def configured_schema(config: Config, given: str | None = None) -> ContactSchema:
    """The schema named on the command line, else the config's, else the bundled one."""
    if given:
        return load_schema(given)
    if config.schema_path is None:
        return load_schema(None)
    return load_schema(config.schema_path, named_by=f"{config.source}: contacts.schema")
