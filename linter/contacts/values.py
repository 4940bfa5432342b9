"""Table Schema's logical values, one cell at a time: the reference for every type, format
and value constraint (minimum, maximum, exclusive bounds, enum, lengths).

The vectorised checks (checks/fields.py) accept the common shapes of a type at polars speed
and send every other distinct value here, so a verdict is always this module's; tests check
the fast paths against it. Lexical forms follow the spec (specs.frictionlessdata.io
/table-schema/, v1 and v2's stable additions); where frictionless reads a value the spec
does not allow, docs/contacts.md ("Table Schema conformance") quotes the spec line.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Callable
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from linter.contacts.schema import Field

INVALID: Any = object()  # a cell that is not of its field's type
Reader = Callable[[str], Any]

# XML Schema lexical forms (the spec's references), ASCII digits only.
INTEGER = r"[+-]?[0-9]+"
NUMBER = r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
SPECIAL_NUMBER = r"(?i:nan|[+-]?inf)"
DATE = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
_ZONE = r"(?:Z|[+-][0-9]{2}:[0-9]{2})"
TIME = r"[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]+)?" + _ZONE + "?"
DATETIME = DATE + "T" + TIME
YEAR = r"[0-9]{4}"
YEARMONTH = r"[0-9]{4}-(?:0[1-9]|1[0-2])"
DURATION = (
    r"-?P(?=[0-9]|T[0-9])(?:[0-9]+Y)?(?:[0-9]+M)?(?:[0-9]+D)?"
    r"(?:T(?=[0-9])(?:[0-9]+H)?(?:[0-9]+M)?(?:[0-9]+(?:\.[0-9]+)?S)?)?"
)
UUID = r"[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}"
# RFC 3986 URI (a scheme is required): scheme ":" hier-part, no spaces or controls, and
# every "%" followed by two hex digits.
URI = r"[A-Za-z][A-Za-z0-9+.-]*:(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?#\[\]]|%[0-9A-Fa-f]{2})*"

# The spec's bounds (minimum, ...) apply to these types; lengths to these.
ORDERED = ("integer", "number", "date", "time", "datetime", "year", "yearmonth")
SIZED = ("string", "array", "object", "list")
LIST_ITEMS = ("string", "integer", "boolean", "number", "datetime", "date", "time")


def _full(pattern: str) -> re.Pattern[str]:
    return re.compile(f"(?:{pattern})\\Z")


_RE = {
    name: _full(p)
    for name, p in {
        "integer": INTEGER,
        "number": NUMBER,
        "special": SPECIAL_NUMBER,
        "date": DATE,
        "time": TIME,
        "datetime": DATETIME,
        "year": YEAR,
        "yearmonth": YEARMONTH,
        "duration": DURATION,
        "uuid": UUID,
        "uri": URI,
    }.items()
}


_UNBARE = re.compile(r"^[^-0-9]*|[^0-9]*$")


def _unbare(value: str) -> str:
    """bareNumber false: the leading and trailing non-numeric characters stripped ("€95",
    "95%", "EUR 95"), as frictionless strips them (up to a minus sign or a digit in front,
    a digit behind)."""
    return _UNBARE.sub("", value)


def _integer(value: str) -> Any:
    return int(value) if _RE["integer"].match(value) else INVALID


def _number_text(field: Field, value: str) -> str | None:
    """The number's text in the default form (bareNumber, groupChar, decimalChar undone)."""
    if not field.bare_number:
        value = _unbare(value)
    if field.group_char:
        value = value.replace(field.group_char, "")
    if field.decimal_char != ".":
        if "." in value:
            return None
        value = value.replace(field.decimal_char, ".")
    return value


def _number(field: Field) -> Reader:
    def read(value: str) -> Any:
        text = _number_text(field, value)
        if text is None:
            return INVALID
        if _RE["number"].match(text) or _RE["special"].match(text):
            return Decimal(text)
        return INVALID

    return read


def _integer_of(field: Field) -> Reader:
    if field.bare_number and not field.group_char:
        return _integer

    def read(value: str) -> Any:
        text = _unbare(value) if not field.bare_number else value
        if field.group_char:
            text = text.replace(field.group_char, "")
        return _integer(text)

    return read


def _date(value: str) -> Any:
    if not _RE["date"].match(value):
        return INVALID
    try:
        return date.fromisoformat(value)
    except ValueError:
        return INVALID


def _clock(value: str) -> Any:
    """hh:mm:ss[.s+][zone] as a time (24:00:00 is the end of a day, as XML Schema allows)."""
    if value.startswith("24:00:00"):
        rest = value[8:]
        fraction = re.match(r"(?:\.0+)?", rest)
        assert fraction is not None
        if rest[fraction.end() :] in ("", "Z") or re.fullmatch(
            r"[+-][0-9]{2}:[0-9]{2}", rest[fraction.end() :]
        ):
            return _clock("23:59:59.999999" + rest[fraction.end() :])
        return INVALID
    try:
        return time.fromisoformat(_micro(value))
    except ValueError:
        return INVALID


def _micro(value: str) -> str:
    """Python reads at most 6 fraction digits; the spec allows any number (cut, not
    rounded: the order of two values is kept)."""
    return re.sub(r"(\.[0-9]{6})[0-9]+", r"\1", value)


def _time(value: str) -> Any:
    if not _RE["time"].match(value):
        return INVALID
    clock = _clock(value)
    if clock is INVALID or clock.tzinfo is None:
        return clock
    return _aware(datetime.combine(date(2000, 1, 1), clock)).time()  # as UTC


def _datetime(value: str) -> Any:
    if not _RE["datetime"].match(value):
        return INVALID
    day = _date(value[:10])
    clock = _clock(value[11:])
    if day is INVALID or clock is INVALID:
        return INVALID
    return _aware(datetime.combine(day, clock))


def _aware(moment: datetime) -> datetime:
    """Values with and without a zone compare (as UTC): frictionless compares them too."""
    offset = moment.utcoffset()
    if offset is None:
        return moment
    return (moment - offset).replace(tzinfo=None)


def _year(value: str) -> Any:
    return int(value) if _RE["year"].match(value) else INVALID


def _yearmonth(value: str) -> Any:
    return (int(value[:4]), int(value[5:])) if _RE["yearmonth"].match(value) else INVALID


def _duration(value: str) -> Any:
    return value if _RE["duration"].match(value) else INVALID


def _boolean(field: Field) -> Reader:
    mapping = {**dict.fromkeys(field.false_values, False), **dict.fromkeys(field.true_values, True)}
    return lambda value: mapping.get(value, INVALID)


def _json(kind: type) -> Reader:
    def read(value: str) -> Any:
        try:
            parsed = json.loads(value)
        except ValueError:
            return INVALID
        return parsed if isinstance(parsed, kind) else INVALID

    return read


def _geo_number(value: object) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return None
    number = Decimal(str(value))
    return number if number.is_finite() else None


def _geopoint(field: Field) -> Reader:
    def read(value: str) -> Any:
        try:
            if field.format == "array":
                pair = json.loads(value, parse_float=Decimal)
                if not isinstance(pair, list) or len(pair) != 2:
                    return INVALID
                lon, lat = (_geo_number(v) for v in pair)
            elif field.format == "object":
                point = json.loads(value, parse_float=Decimal)
                if not isinstance(point, dict) or set(point) != {"lon", "lat"}:
                    return INVALID
                lon, lat = _geo_number(point["lon"]), _geo_number(point["lat"])
            else:
                parts = value.split(",")
                if len(parts) != 2:
                    return INVALID
                texts = (parts[0].strip(), parts[1].strip())  # "lon, lat" (frictionless strips)
                if not all(_RE["number"].match(t) for t in texts):
                    return INVALID
                lon, lat = (Decimal(t) for t in texts)
        except ValueError:
            return INVALID
        if lon is None or lat is None or not (-180 <= lon <= 180 and -90 <= lat <= 90):
            return INVALID
        return (lon, lat)

    return read


_GEOMETRIES = {
    "Point": 1,
    "MultiPoint": 2,
    "LineString": 2,
    "MultiLineString": 3,
    "Polygon": 3,
    "MultiPolygon": 4,
}


def _position(value: object) -> bool:
    return (
        isinstance(value, list)
        and len(value) >= 2
        and all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
    )


def _nested(value: object, depth: int) -> bool:
    if depth == 1:
        return _position(value)
    return isinstance(value, list) and all(_nested(v, depth - 1) for v in value)


def _geometry(obj: object) -> bool:
    if not isinstance(obj, dict):
        return False
    kind = obj.get("type")
    if kind == "GeometryCollection":
        parts = obj.get("geometries")
        return isinstance(parts, list) and all(_geometry(g) for g in parts)
    depth = _GEOMETRIES.get(kind) if isinstance(kind, str) else None
    return depth is not None and _nested(obj.get("coordinates"), depth)


def _feature(obj: object) -> bool:
    return (
        isinstance(obj, dict)
        and obj.get("type") == "Feature"
        and "geometry" in obj  # RFC 7946 3.2: a Feature has both members (null allowed)
        and (obj["geometry"] is None or _geometry(obj["geometry"]))
        and "properties" in obj
        and isinstance(obj["properties"], dict | type(None))
    )


def geojson_ok(obj: object, topo: bool = False) -> bool:
    """A GeoJSON object (RFC 7946: a geometry, Feature or FeatureCollection) or, with `topo`,
    a TopoJSON Topology (its "objects" an object, its "arcs" an array)."""
    if not isinstance(obj, dict):
        return False
    if topo:
        return (
            obj.get("type") == "Topology"
            and isinstance(obj.get("objects"), dict)
            and isinstance(obj.get("arcs"), list)
        )
    if obj.get("type") == "FeatureCollection":
        features = obj.get("features")
        return isinstance(features, list) and all(_feature(f) for f in features)
    return _feature(obj) or _geometry(obj)


def _geojson(field: Field) -> Reader:
    read_object = _json(dict)

    def read(value: str) -> Any:
        obj = read_object(value)
        if obj is INVALID or not geojson_ok(obj, topo=field.format == "topojson"):
            return INVALID
        return obj

    return read


def _strptime(field: Field) -> Reader:
    """A <PATTERN> format (Python's strptime), or "any" (dateutil's parser, the spec's own
    example), for date, time and datetime."""
    kind = field.type

    def read(value: str) -> Any:
        try:
            if field.format == "any":
                from dateutil.parser import parse  # only schemas that ask for it

                moment = parse(value)
            else:
                moment = datetime.strptime(value, field.format)
        except (ValueError, OverflowError):
            return INVALID
        if kind == "date":
            return moment.date()
        if kind == "time":
            return moment.time().replace(tzinfo=None)
        return _aware(moment)

    return read


def _string(field: Field) -> Reader:
    if field.format == "uuid":
        return lambda value: value if _RE["uuid"].match(value) else INVALID
    if field.format == "uri":
        return lambda value: value if _RE["uri"].match(value) else INVALID
    if field.format == "binary":

        def read(value: str) -> Any:
            try:
                base64.b64decode(value, validate=True)
            except (binascii.Error, ValueError):
                return INVALID
            return value

        return read
    return lambda value: value  # email is its own rule (DAT001)


def _list(field: Field) -> Reader:
    from linter.contacts.schema import Field as FieldType

    item = reader(FieldType(name=field.name, type=field.item_type))

    def read(value: str) -> Any:
        items = [item(part) for part in value.split(field.delimiter)]
        return INVALID if any(i is INVALID for i in items) else items

    return read


def reader(field: Field) -> Reader:
    """The field's cell reader: a cell's logical value, or INVALID."""
    return _reader(field)


@cache
def _reader(field: Field) -> Reader:
    kind = field.type
    if kind in ("date", "time", "datetime") and field.format != "default":
        return _strptime(field)
    simple: dict[str, Reader] = {
        "date": _date,
        "time": _time,
        "datetime": _datetime,
        "year": _year,
        "yearmonth": _yearmonth,
        "duration": _duration,
        "object": _json(dict),
        "array": _json(list),
    }
    if kind in simple:
        return simple[kind]
    made: dict[str, Callable[[Field], Reader]] = {
        "integer": _integer_of,
        "number": _number,
        "boolean": _boolean,
        "geopoint": _geopoint,
        "geojson": _geojson,
        "list": _list,
        "string": _string,
    }
    if kind in made:
        return made[kind](field)
    return lambda value: value  # any


def bound(field: Field, value: object) -> Any:
    """A constraint's value (JSON number or string) as a logical value of the field's type."""
    if isinstance(value, bool):
        return value if field.type == "boolean" else INVALID
    if field.type in ("integer", "year") and isinstance(value, int):
        return value
    if field.type == "number" and isinstance(value, int | float):
        return Decimal(str(value))
    return reader(field)(value) if isinstance(value, str) else INVALID


def length(value: object) -> int:
    return len(value) if isinstance(value, str | list | dict) else 0


Verdict = Callable[[str], "str | None"]


def judge(field: Field, what: str) -> Verdict:
    """Why a cell (not missing) breaks the field's type (`what` = "type") or one family of
    its value constraints ("enum", "range": minimum, maximum and the exclusive bounds,
    "length": minLength and maxLength), or None. A cell of the wrong type breaks only "type":
    constraints apply to logical values (the spec), as frictionless reads them too."""
    return _judge(field, what)


@cache
def _judge(field: Field, what: str) -> Verdict:
    read = reader(field)
    if what == "type":
        kind = field.type + ("" if field.format == "default" else f" ({field.format})")
        return lambda value: f"not a {kind}" if read(value) is INVALID else None
    if what == "enum":
        allowed = [bound(field, v) for v in field.enum or ()]

        def enum(value: str) -> str | None:
            logical = read(value)
            if logical is INVALID or any(_equal(logical, e) for e in allowed):
                return None
            return "not one of the allowed values"

        return enum
    if what == "length":

        def size(value: str) -> str | None:
            logical = read(value)
            if logical is INVALID:
                return None
            if field.min_length is not None and length(logical) < field.min_length:
                return f"shorter than {field.min_length}"
            if field.max_length is not None and length(logical) > field.max_length:
                return f"longer than {field.max_length}"
            return None

        return size
    limits = [
        (bound(field, said), op, said, name)
        for said, op, name in (
            (field.minimum, ">=", "minimum"),
            (field.exclusive_minimum, ">", "exclusive minimum"),
            (field.maximum, "<=", "maximum"),
            (field.exclusive_maximum, "<", "exclusive maximum"),
        )
        if said is not None
    ]

    def in_range(value: str) -> str | None:
        logical = read(value)
        if logical is INVALID:
            return None
        for limit, op, said, name in limits:
            if not _holds(logical, op, limit):
                side = "below" if "minimum" in name else "above"
                return f"{side} the {name} {said}"
        return None

    return in_range


def _holds(value: Any, op: str, limit: Any) -> bool:
    if _nan(value) or _nan(limit):
        return False  # NaN is not comparable: it meets no bound (frictionless agrees)
    try:
        if op == ">=":
            return bool(value >= limit)
        if op == ">":
            return bool(value > limit)
        if op == "<=":
            return bool(value <= limit)
        return bool(value < limit)
    except (InvalidOperation, TypeError):
        return False


def _nan(value: object) -> bool:
    return isinstance(value, Decimal) and value.is_nan()


def _equal(a: object, b: object) -> bool:
    if a is INVALID or b is INVALID or _nan(a) or _nan(b):
        return False
    try:
        return bool(a == b)
    except (InvalidOperation, TypeError):
        return False
