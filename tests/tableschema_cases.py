"""Generated Table Schema cells for the differential test against frictionless
(tests/test_tableschema_differential.py): for each type, format and constraint, valid values,
values at the boundaries and invalid ones, plus seeded mutations of them (a character
dropped, doubled or swapped, blanks around, case changed), so the cells cover what exports
really hold, not only what the cases list names.

A case is one field (or, for keys, a few) and its column of cells; each case becomes its own
small schema, checked by frictionless in one call and by presend in one batch.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

Descriptor = dict[str, object]


@dataclass
class Case:
    name: str
    fields: list[Descriptor]
    rows: list[list[str]]
    top: Descriptor = field(default_factory=dict)  # primaryKey, uniqueKeys, missingValues

    def descriptor(self) -> Descriptor:
        return {
            "$schema": "https://datapackage.org/profiles/2.0/tableschema.json",  # v2 keys
            "fields": [{"name": "id", "type": "string"}, *self.fields],
            **self.top,
        }


def _mutations(value: str, rng: random.Random) -> list[str]:
    out = [value.upper(), value.lower(), f" {value}", f"{value} ", value + value[-1:]]
    if len(value) > 1:
        i = rng.randrange(len(value))
        out.append(value[:i] + value[i + 1 :])  # one character dropped
        j = rng.randrange(len(value) - 1)
        out.append(value[:j] + value[j + 1] + value[j] + value[j + 2 :])  # two swapped
        out.append(value[:i] + rng.choice("0123456789-.:/+eEZT ,") + value[i:])
    return out


def _with_mutations(values: list[str], rng: random.Random, extra: int = 240) -> list[str]:
    cells = list(values)
    pool = [v for v in values if v]
    while pool and len(cells) < len(values) + extra:
        cells.extend(_mutations(rng.choice(pool), rng))
    return cells


def _numbers(rng: random.Random, n: int, decimals: bool) -> list[str]:
    out = []
    for _ in range(n):
        whole = rng.choice([0, 1, 7, 42, 99, 100, 101, 1000, 65535, 2**31, 2**63, 10**20])
        sign = rng.choice(["", "", "-", "+"])
        text = f"{sign}{rng.randrange(whole + 1)}"
        if decimals and rng.random() < 0.6:
            text += "." + str(rng.randrange(1000)).rjust(rng.choice([1, 2, 3]), "0")
        if decimals and rng.random() < 0.15:
            text += rng.choice(["e3", "E-2", "e+10"])
        out.append(text)
    return out


def _dates(rng: random.Random, n: int) -> list[str]:
    out = []
    for _ in range(n):
        y, m, d = rng.randrange(1, 3000), rng.randrange(0, 14), rng.randrange(0, 33)
        out.append(f"{y:04d}-{m:02d}-{d:02d}")
    return out


def _times(rng: random.Random, n: int, zones: bool = True) -> list[str]:
    """Times, some with zones (not for bounds: frictionless raises TypeError comparing a
    zoned value with an unzoned bound; presend compares both as UTC)."""
    out = []
    for _ in range(n):
        h, m, s = rng.randrange(0, 26), rng.randrange(0, 61), rng.randrange(0, 61)
        zone = rng.choice(["", "", "Z", "+01:00", "-05:30", "+14:00"]) if zones else ""
        frac = rng.choice(["", "", ".5", ".123456", ".1234567"])
        out.append(f"{h:02d}:{m:02d}:{s:02d}{frac}{zone}")
    return out


def cases(seed: int = 14) -> list[Case]:
    rng = random.Random(seed)
    out: list[Case] = []

    def add(name: str, desc: Descriptor, values: list[str], extra: int = 240) -> None:
        cells = _with_mutations(values, rng, extra)
        out.append(Case(name, [{"name": "v", **desc}], [[str(i), c] for i, c in enumerate(cells)]))

    ints = _numbers(rng, 60, decimals=False)
    bad_ints = ["1.0", "1e3", "abc", "0x1F", "12a", "--1", "+-1", "1 000", "1,000", "", "\u22121"]
    add("integer", {"type": "integer"}, [*ints, *bad_ints, "007", "+0", "-0"])
    add(
        "integer bounds",
        {"type": "integer", "constraints": {"minimum": 10, "maximum": 100}},
        [*ints, "9", "10", "11", "99", "100", "101", "-10", "0010", "+100"],
    )
    add(
        "integer exclusive bounds",
        {"type": "integer", "constraints": {"exclusiveMinimum": 0, "exclusiveMaximum": 50}},
        [*ints, "-1", "0", "1", "49", "50", "51"],
    )
    add(
        "integer enum",
        {"type": "integer", "constraints": {"enum": [1, 2, 30]}},
        ["1", "2", "30", "01", "+2", "3", "0", "-1", "30.0", "x", *ints[:20]],
    )
    add(
        "integer groupChar",
        {"type": "integer", "groupChar": ","},
        ["1,000", "1,000,000", "12", "1.000"],
    )
    add(
        "integer bareNumber false",
        {"type": "integer", "bareNumber": False},
        ["€95", "95%", "EUR 95", "95", "-5 pts", "a5b", "5.5%"],
    )
    nums = _numbers(rng, 80, decimals=True)
    special = ["NaN", "nan", "INF", "-INF", "inf", "-inf", "Inf"]
    bad_nums = ["1,5", "abc", "1.2.3", "e5", "1e", "1e5.5", ".", "-", "+", "1..2", "1-2"]
    add("number", {"type": "number"}, [*nums, *special, *bad_nums, ".5", "5.", "-.5", "0e0"])
    add(
        "number bounds",
        {"type": "number", "constraints": {"minimum": 1.5, "maximum": 100}},
        [
            *nums,
            "1.4999",
            "1.5",
            "1.50",
            "1.5001",
            "100",
            "100.0",
            "100.0001",
            "NaN",
            "INF",
            "-INF",
        ],
    )
    add(
        "number exclusive bounds",
        {"type": "number", "constraints": {"exclusiveMinimum": "0", "exclusiveMaximum": "1"}},
        [*nums, "0", "0.0", "1e-9", "0.999", "1", "1.0", "-0"],
    )
    add(
        "number enum",
        {"type": "number", "constraints": {"enum": [1, 2.5, "3"]}},
        ["1", "1.0", "2.5", "2.50", "3", "3e0", "4", "NaN", *nums[:20]],
    )
    add(
        "number decimalChar groupChar",
        {"type": "number", "decimalChar": ",", "groupChar": "."},
        ["1.234,5", "1,5", "12", "1.5", "1.234.567,89", "1,2,3", ",5", "abc"],
    )
    add(
        "number bareNumber false",
        {"type": "number", "bareNumber": False},
        ["€95.5", "95%", "EUR 95", "95", "1.5 kg", "a1.5b", "-2.5%"],
    )
    add(
        "boolean",
        {"type": "boolean"},
        ["true", "True", "TRUE", "1", "false", "False", "FALSE", "0", "yes", "no", "t", "tRUE"],
    )
    add(
        "boolean custom values",
        {"type": "boolean", "trueValues": ["yes", "Y"], "falseValues": ["no", "N"]},
        ["yes", "Y", "no", "N", "true", "1", "YES", "y"],
    )
    add(
        "boolean enum",
        {"type": "boolean", "constraints": {"enum": [True]}},
        ["true", "1", "True", "false", "0", "x"],
    )
    dates = _dates(rng, 80)
    add(
        "date",
        {"type": "date"},
        [
            *dates,
            "2024-02-29",
            "2023-02-29",
            "2024-13-01",
            "2024-1-5",
            "20240105",
            "05/01/2024",
            "2024-01-05T00:00:00",
        ],
    )
    add(
        "date bounds",
        {"type": "date", "constraints": {"minimum": "2000-01-01", "maximum": "2030-12-31"}},
        [*dates, "1999-12-31", "2000-01-01", "2000-01-02", "2030-12-31", "2031-01-01"],
    )
    add(
        "date exclusive bounds",
        {"type": "date", "constraints": {"exclusiveMinimum": "2020-01-01"}},
        [*dates[:40], "2019-12-31", "2020-01-01", "2020-01-02"],
    )
    add(
        "date pattern",
        {"type": "date", "format": "%d/%m/%Y"},
        [
            "05/01/2024",
            "5/1/2024",
            "31/02/2024",
            "2024-01-05",
            "05-01-2024",
            "29/02/2023",
            "01/13/2024",
        ],
    )
    add(
        "date any",
        {"type": "date", "format": "any"},
        ["2024-01-05", "5 Jan 2024", "Jan 5, 2024", "05/01/2024", "not a date", "2024-02-30"],
    )
    times = _times(rng, 80)
    add(
        "time",
        {"type": "time"},
        [*times, "10:11", "1:02:03", "10:11:12 ", "101112", "24:00:00", "T10:11:12"],
    )
    add(
        "time bounds",
        {"type": "time", "constraints": {"minimum": "09:00:00", "maximum": "17:30:00"}},
        [*_times(rng, 40, zones=False), "08:59:59", "09:00:00", "17:30:00", "17:30:01"],
    )
    stamps = [f"{d}T{t}" for d, t in zip(_dates(rng, 80), _times(rng, 80), strict=True)]
    add(
        "datetime",
        {"type": "datetime"},
        [
            *stamps,
            "2024-05-06T10:11:12",
            "2024-05-06 10:11",
            "2024-05-06T25:00:00Z",
            "2024-05-06",
            "2024-05-06T10:11:12.300-05:00",
        ],
    )
    add(
        "datetime bounds",
        {
            "type": "datetime",
            "constraints": {
                "minimum": "2024-01-01T00:00:00",
                "exclusiveMaximum": "2025-01-01T00:00:00",
            },
        },
        [
            *[f"{d}T{t}" for d, t in zip(_dates(rng, 40), _times(rng, 40, False), strict=True)],
            "2023-12-31T23:59:59",
            "2024-01-01T00:00:00",
            "2024-12-31T23:59:59",
            "2025-01-01T00:00:00",
        ],
    )
    add(
        "datetime pattern",
        {"type": "datetime", "format": "%d/%m/%Y %H:%M"},
        [
            "05/01/2024 10:11",
            "5/1/2024 9:05",
            "05/01/2024",
            "2024-01-05T10:11:00",
            "31/12/2024 24:00",
        ],
    )
    years = [f"{rng.randrange(0, 10000):04d}" for _ in range(40)]
    add(
        "year",
        {"type": "year"},
        [*years, "999", "10000", "-2024", "2024.0", "\uff12\uff10\uff12\uff14", "20x4"],
    )
    add(
        "year bounds",
        {"type": "year", "constraints": {"minimum": 1900, "maximum": "2100"}},
        [*years, "1899", "1900", "2100", "2101"],
    )
    months = [f"{rng.randrange(0, 10000):04d}-{rng.randrange(0, 14):02d}" for _ in range(50)]
    add("yearmonth", {"type": "yearmonth"}, [*months, "2024-5", "2024/05", "2024-05-01", "202405"])
    add(
        "yearmonth bounds",
        {"type": "yearmonth", "constraints": {"minimum": "2020-06", "maximum": "2024-02"}},
        [*months[:30], "2020-05", "2020-06", "2024-02", "2024-03"],
    )
    add(
        "duration",
        {"type": "duration"},
        [
            "P1Y",
            "PT1H",
            "P1Y2M3DT4H5M6S",
            "PT1.5S",
            "P0D",
            "-P1Y",
            "P",
            "1Y",
            "P-1Y",
            "PT",
            "P1H",
            "PT1D",
            "P1Y2Y",
            "P1M2Y",
        ],
    )
    geo = [
        "90.5, 45.5",
        "90.5,45.5",
        "-180,-90",
        "180,90",
        "181,0",
        "0,91",
        "a,b",
        "1",
        "1,2,3",
        "0, 0",
    ]
    add("geopoint", {"type": "geopoint"}, geo)
    add(
        "geopoint array",
        {"type": "geopoint", "format": "array"},
        ["[90.5, 45.5]", "[180, 90]", "[181, 0]", "[1]", "[1,2,3]", "{}", "90,45", '["a", 1]'],
    )
    add(
        "geopoint object",
        {"type": "geopoint", "format": "object"},
        [
            '{"lon": 90.5, "lat": 45.5}',
            '{"lon": 190, "lat": 0}',
            '{"lat": 1}',
            '{"lon": 1, "lat": 2, "x": 3}',
            "[1, 2]",
        ],
    )
    add(
        "geojson",
        {"type": "geojson"},
        [
            '{"type": "Point", "coordinates": [1, 2]}',
            '{"type": "LineString", "coordinates": [[1, 2], [3, 4]]}',
            '{"type": "Feature", "geometry": {"type": "Point", "coordinates": [1, 2]},'
            ' "properties": {}}',
            '{"type": "FeatureCollection", "features": []}',
            '{"type": "Point"}',
            '{"type": "Nope", "coordinates": [1, 2]}',
            "[1, 2]",
            "not json",
        ],
        extra=10,
    )
    add(
        "geojson topojson",
        {"type": "geojson", "format": "topojson"},
        [
            '{"type": "Topology", "objects": {}, "arcs": []}',
            '{"type": "Topology"}',
            '{"type": "Point", "coordinates": [1, 2]}',
            "{}",
        ],
        extra=10,
    )
    add(
        "object",
        {"type": "object", "constraints": {"minLength": 1, "maxLength": 2}},
        ["{}", '{"a": 1}', '{"a": 1, "b": 2}', '{"a": 1, "b": 2, "c": 3}', "[]", "1", '{"a": }'],
        extra=20,
    )
    add(
        "array",
        {"type": "array", "constraints": {"minLength": 1, "maxLength": 3}},
        ["[]", "[1]", "[1, 2, 3]", "[1, 2, 3, 4]", "{}", '"x"', "[1,", "null"],
        extra=20,
    )
    add(
        "list of integers",
        {
            "type": "list",
            "itemType": "integer",
            "delimiter": ";",
            "constraints": {"minLength": 2, "maxLength": 3},
        },
        ["1;2", "1;2;3", "1;2;3;4", "1", "1;x", "1,2", ";", "1;;2"],
    )
    add("list of strings", {"type": "list"}, ["a,b", "a", "", "a,,b"], extra=10)
    words = ["apple", "plum", "kiwi", "fig", "banana", "grapefruit", "a", "", "Apple", "apple pie"]
    add(
        "string lengths",
        {"type": "string", "constraints": {"minLength": 3, "maxLength": 6}},
        [*words, "ééé", "日本語", "ab", "abcdefg"],
    )
    add(
        "string pattern",
        {"type": "string", "constraints": {"pattern": "[a-z]{2}(-[A-Z]{2})?"}},
        ["en", "en-GB", "EN", "en-gb", "eng", "e", "en-GBR", "xen-GB"],
    )
    add(
        "string enum",
        {"type": "string", "constraints": {"enum": ["yes", "no", "1"]}},
        ["yes", "no", "1", "Yes", "YES", "y", "01", " yes"],
    )
    add(
        "string required",
        {"type": "string", "constraints": {"required": True}},
        ["x", "", "  ", "NA"],
    )
    add(
        "uri",
        {"type": "string", "format": "uri"},
        [
            "https://example.com/a?b=c#d",
            "mailto:ann@example.com",
            "urn:isbn:0451450523",
            "example.com",
            "http://",
            "ftp://x y",
            "//example.com",
            "https://ex%zz.com",
            "a:b",
        ],
    )
    add(
        "uuid",
        {"type": "string", "format": "uuid"},
        [
            "2bc1c94f-0deb-43e9-92a1-4775189ec9f8",
            "2BC1C94F-0DEB-43E9-92A1-4775189EC9F8",
            "2bc1c94f0deb43e992a14775189ec9f8",
            "{2bc1c94f-0deb-43e9-92a1-4775189ec9f8}",
            "2bc1c94f-0deb-43e9-92a1",
            "not-a-uuid",
        ],
    )
    add(
        "binary",
        {"type": "string", "format": "binary"},
        ["aGVsbG8=", "aGVsbG8", "aGVsbG8==", "!!!!", "aGVs bG8=", "", "YQ=="],
    )
    add(
        "email",
        {"type": "string", "format": "email"},
        [
            "ann@example.com",
            "Ann.Lee+tag@sub.example.co.uk",
            "ann@",
            "@example.com",
            "ann example.com",
            "ann@example",
            "ann@@example.com",
            "a@b.cd",
        ],
    )
    add(
        "any enum",
        {"type": "any", "constraints": {"enum": ["a", "1"]}},
        ["a", "1", "A", "01", "b"],
        extra=10,
    )

    # Missing values, the schema's and a field's own.
    cells = ["", "NA", "-", "x", "na", " "]
    out.append(
        Case(
            "missingValues",
            [{"name": "v", "type": "integer", "constraints": {"required": True}}],
            [[str(i), c] for i, c in enumerate([*cells, "1", "2"])],
            {"missingValues": ["", "NA", "-"]},
        )
    )
    out.append(
        Case(
            "field missingValues",
            [
                {"name": "v", "type": "number", "missingValues": ["n/a"]},
                {"name": "w", "type": "integer"},
            ],
            [[str(i), c, c] for i, c in enumerate(["n/a", "", "1", "NA"])],
            {"missingValues": ["", "NA"]},
        )
    )
    # Uniqueness on logical values, and keys.
    uniq = ["1", "01", "2", "+2", "3", "x", "x", "", "", "4"]
    out.append(
        Case(
            "integer unique",
            [{"name": "v", "type": "integer", "constraints": {"unique": True}}],
            [[str(i), c] for i, c in enumerate(uniq)],
        )
    )
    strs = ["a", "A", "a", "b", " b", "b", "", ""]
    out.append(
        Case(
            "string unique",
            [{"name": "v", "type": "string", "constraints": {"unique": True}}],
            [[str(i), c] for i, c in enumerate(strs)],
        )
    )
    out.append(
        Case(
            "primaryKey one field",
            [{"name": "v", "type": "string"}],
            [[str(i), c] for i, c in enumerate(["a", "b", "a", "c", "c"])],
            {"primaryKey": ["v"]},
        )
    )
    pairs = [("1", "x"), ("1", "y"), ("1", "x"), ("2", "x"), ("2", "x"), ("3", "z")]
    out.append(
        Case(
            "primaryKey composite",
            [{"name": "v", "type": "string"}, {"name": "w", "type": "string"}],
            [[str(i), a, b] for i, (a, b) in enumerate(pairs)],
            {"primaryKey": ["v", "w"]},
        )
    )
    return out
