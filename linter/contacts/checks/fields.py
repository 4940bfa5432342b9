"""Table Schema checks: columns present, required, unique, pattern, enum, length, range, type."""

from __future__ import annotations

from datetime import date

import polars as pl

from linter.contacts import values
from linter.contacts.checks.base import (
    Batch,
    Context,
    Params,
    Refine,
    Violation,
    constant,
    str_list,
)
from linter.contacts.hashset import key_hashes
from linter.contacts.schema import Field

# Shapes that are sure to be of their type (a sound prefilter: every value they accept,
# values.reader accepts): the rest, few, go to values.reader once per distinct value.
_SURE: dict[str, str] = {
    "integer": values.INTEGER,
    "number": f"{values.NUMBER}|{values.SPECIAL_NUMBER}",
    "year": values.YEAR,
    "yearmonth": values.YEARMONTH,
}
_STRING_SURE = {"uuid": values.UUID, "uri": values.URI}
_HOUR_MINUTE = r"(?:[01][0-9]|2[0-3]):[0-5][0-9]"
_CLOCK = _HOUR_MINUTE + r":[0-5][0-9](?:\.[0-9]+)?(?:Z|[+-]" + _HOUR_MINUTE + ")?"
_DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
_EPOCH = date(1970, 1, 1)


def _present(batch: Batch, ctx: Context) -> list[Field]:
    return [f for f in ctx.schema.fields if batch.has(f.name)]


def column_present(batch: Batch, ctx: Context, params: Params) -> list[Violation]:
    """Required fields missing from the header: every row fails, reported once at row 1."""
    required = set(ctx.schema.primary_key)
    missing = [
        f.name
        for f in ctx.schema.fields
        if (f.required or f.name in required) and f.name not in ctx.header
    ]
    return [
        Violation(name, constant(True, batch.height, pl.Boolean), at_header=True)
        for name in missing
    ]


def required_value(batch: Batch, ctx: Context, params: Params) -> list[Violation]:
    keys = set(ctx.schema.primary_key)
    return [
        Violation(f.name, batch.expr(f.name).is_null())
        for f in _present(batch, ctx)
        if f.required or f.name in keys
    ]


def _keys(batch: Batch, f: Field) -> pl.Series:
    """64-bit hashes of a unique column's logical values, null where missing (memoised).

    Most integers are written canonically (no "+", no leading zero): those hash as written,
    and only the others (few) are read as integers and hashed as their canonical text, so
    "01" repeats "1" without every row paying for the parse."""

    def make() -> pl.Series:
        if f.type != "integer" or not _plain(f):  # numbers (rare): every value read
            return batch.frame.select(key_hashes(_logical(f), seed=7)).to_series()
        keys = batch.frame.select(key_hashes(pl.col(f.name), seed=7)).to_series()
        c = pl.col(f.name)
        odd = c.str.starts_with("0") | c.str.starts_with("+") | c.str.starts_with("-0")
        rows = batch.frame.select(odd.fill_null(False)).to_series().arg_true()
        if not len(rows):
            return keys
        fixed = batch.frame.select(pl.col(f.name).gather(rows)).select(
            key_hashes(_logical(f), seed=7)
        )
        return keys.scatter(rows, fixed.to_series())

    return batch.memo(f"keys:{f.name}", make)


def _plain(f: Field) -> bool:
    return f.bare_number and not f.group_char and f.decimal_char == "."


def _logical(f: Field) -> pl.Expr:
    """The value a uniqueness check compares: the spec tests constraints on logical values,
    so "01" repeats "1" in an integer field and "1.0" repeats "1" in a number field. A value
    that is not of the type (a type error of its own) is compared as written; NaN is never
    a repeat (it equals nothing)."""
    c = pl.col(f.name)
    if f.type == "integer" and _plain(f):
        as_int = c.cast(pl.Int64, strict=False)
        return pl.when(as_int.is_not_null()).then(as_int.cast(pl.String)).otherwise(c)
    if f.type == "number" and _plain(f):
        ok = c.str.contains(f"^(?:{values.NUMBER})$")
        as_float = c.cast(pl.Float64, strict=False)
        nan = c.str.contains("^(?i:nan)$")
        return (
            pl.when(nan.fill_null(False))
            .then(None)
            .when(ok & as_float.is_not_null())
            .then(as_float.cast(pl.String))
            .otherwise(c)
        )
    return c


def prepare(batch: Batch, ctx: Context) -> None:
    """Warm the batch's memo with the unique columns' hashes (see checks.prepare_batch)."""
    for f in _unique_fields(batch, ctx):
        _keys(batch, f)


def _unique_fields(batch: Batch, ctx: Context) -> list[Field]:
    """Fields whose values must be unique on their own: `unique`, a one-field primaryKey or
    uniqueKey. The main email column has its own case-insensitive rule (unique-email)."""
    main = ctx.schema.marketing.email_column
    single = {k[0] for k in (ctx.schema.primary_key, *ctx.schema.unique_keys) if len(k) == 1}
    return [f for f in _present(batch, ctx) if (f.unique or f.name in single) and f.name != main]


def unique_value(batch: Batch, ctx: Context, params: Params) -> list[Violation]:
    out = [
        Violation(f.name, keys=_keys(batch, f), values=_logical(f))
        for f in _unique_fields(batch, ctx)
    ]
    composite = [k for k in (ctx.schema.primary_key, *ctx.schema.unique_keys) if len(k) > 1]
    for i, key in enumerate(dict.fromkeys(composite)):
        if not all(batch.has(k) for k in key):
            continue
        # A composite key: a struct of its columns' logical values, null when any part is
        # missing (such rows are left out of the check, as the spec says for uniqueKeys).
        fields = [ctx.schema.field(k) or Field(k) for k in key]
        parts = pl.struct([_logical(f).alias(f.name) for f in fields])
        present = ~pl.any_horizontal(pl.col(list(key)).is_null())
        both = batch.frame.select(
            key_hashes(parts, seed=11 + i, present=present).alias("keys"),
            pl.when(present).then(parts).alias("values"),
        )
        keys, logical = both.get_column("keys"), both.get_column("values")
        # Named by all its columns ("id+code"): reported at the first.
        out.append(Violation("+".join(key), keys=keys, values=logical))
    return out


def matches_pattern(batch: Batch, ctx: Context, params: Params) -> list[Violation]:
    # Table Schema patterns follow XML Schema: the whole value must match, so anchor them.
    return [
        Violation(f.name, ~batch.expr(f.name).str.contains(f"^(?:{f.pattern})$").fill_null(True))
        for f in _present(batch, ctx)
        if f.pattern
    ]


def _judged(batch: Batch, ctx: Context, f: Field, what: str, rows: pl.Series) -> Violation:
    """A violation decided by values.judge on the values at `rows` (once per distinct value
    in the run), with its reason as the detail."""
    judge = values.judge(f, what)
    detail = ctx.reasons(f"{what}:{f!r}", batch.col(f.name), rows, judge)
    return Violation(f.name, detail.is_not_null(), detail)


def _undecided(batch: Batch, f: Field, sure: pl.Expr) -> pl.Series:
    """Rows with a value that the vectorised test `sure` does not settle."""
    c = pl.col(f.name)
    return batch.frame.select(c.is_not_null() & ~sure.fill_null(False)).to_series().arg_true()


def allowed_value(batch: Batch, ctx: Context, params: Params) -> list[Violation]:
    out = []
    for f in _present(batch, ctx):
        if f.enum is None:
            continue
        listed = pl.Series([str(v) for v in f.enum], dtype=pl.String).implode()
        if f.type in ("string", "any"):
            out.append(Violation(f.name, ~batch.expr(f.name).is_in(listed).fill_null(True)))
            continue
        # Compared as logical values ("01" is 1 in an integer field): a value written as an
        # enum entry is in; the rest are read.
        rows = _undecided(batch, f, pl.col(f.name).is_in(listed))
        out.append(_judged(batch, ctx, f, "enum", rows))
    return out


def _too_long(column: str, limit: int) -> Refine:
    """More than `limit` characters. A value has at most as many characters as bytes, and
    the byte length is stored with each string, so only values longer than `limit` bytes
    (few) have their characters counted."""
    c = pl.col(column)
    return Refine(cheap=c.str.len_bytes() > limit, exact=c.str.len_chars() > limit)


def length_in_range(batch: Batch, ctx: Context, params: Params) -> list[Violation]:
    out = []
    for f in _present(batch, ctx):
        if f.min_length is None and f.max_length is None:
            continue
        if f.type != "string":  # array, object, list: items or keys, once read
            rows = _undecided(batch, f, pl.lit(False))
            out.append(_judged(batch, ctx, f, "length", rows))
        elif f.min_length is None and f.max_length is not None:
            out.append(Violation(f.name, _too_long(f.name, f.max_length)))
        else:
            n = batch.expr(f.name).str.len_chars()
            high = n > f.max_length if f.max_length is not None else pl.lit(False)
            out.append(Violation(f.name, ((n < f.min_length) | high).fill_null(False)))
    return out


def day_of(batch: Batch, column: str) -> pl.Series:
    """The date each value starts with, if its first 10 characters are an ISO calendar date
    (YYYY-MM-DD, a real day; null otherwise): parsed once per batch for the type, range and
    future-date checks. The shape is checked first because polars' date parse is lenient
    (it reads " 2024-1-5" too).

    A value of at most 10 bytes is its own first 10 characters, so only longer values (rare:
    a datetime, say) are sliced before they are parsed.
    """

    def make() -> pl.Series:
        s = batch.col(column)
        day = _iso_day(s)
        long = (s.str.len_bytes() > 10).arg_true()
        if len(long):
            day = day.scatter(long, _iso_day(s.gather(long).str.slice(0, 10)))
        return day

    return batch.memo(f"day:{column}", make)


def _iso_day(values: pl.Series) -> pl.Series:
    v = pl.col(values.name)
    # Year 0000 is no year of Python's calendar (nor frictionless'): left to values.reader.
    shape = v.str.contains(_DATE) & ~v.str.starts_with("0000")
    iso = pl.when(shape).then(v.str.to_date("%Y-%m-%d", strict=False))
    return values.to_frame().select(iso).to_series()


def _vector_range(f: Field) -> bool:
    """Bounds polars compares exactly enough: numbers (floats, with values at a bound's
    float read again exactly), years and default-format dates."""
    if f.type == "date":
        return f.format == "default"
    if f.type == "integer":
        return f.bare_number and not f.group_char
    if f.type == "number":
        return f.bare_number and not f.group_char and f.decimal_char == "."
    return f.type == "year"


def _as_number(batch: Batch, f: Field) -> pl.Expr | pl.Series:
    """The values as floats for a bound, null where not of the type (a type error of its
    own, not also a range error)."""
    if f.type == "date":
        return day_of(batch, f.name).cast(pl.Int64).cast(pl.Float64)
    c = batch.expr(f.name)
    if f.type == "integer":  # polars' integer parse accepts only what INTEGER does
        return c.cast(pl.Int64, strict=False).cast(pl.Float64)
    shape = values.YEAR if f.type == "year" else values.NUMBER
    return pl.when(c.str.contains(f"^(?:{shape})$")).then(c.cast(pl.Float64, strict=False))


def _bound(value: object, f: Field) -> float:
    logical = values.bound(f, value)
    if f.type == "date":
        return float((logical - _EPOCH).days)
    return float(logical)


def value_in_range(batch: Batch, ctx: Context, params: Params) -> list[Violation]:
    out = []
    for f in _present(batch, ctx):
        if not f.bounded:
            continue
        if not _vector_range(f):  # time, datetime, yearmonth, patterns: read every value
            out.append(_judged(batch, ctx, f, "range", _undecided(batch, f, pl.lit(False))))
            continue
        v = _as_number(batch, f)
        bad: pl.Expr | pl.Series = pl.lit(False)
        near: pl.Expr | pl.Series = pl.lit(False)
        for said, op in (
            (f.minimum, "lt"),
            (f.exclusive_minimum, "le"),
            (f.maximum, "gt"),
            (f.exclusive_maximum, "ge"),
        ):
            if said is None:
                continue
            limit = _bound(said, f)
            bad = bad | getattr(v, op)(limit).fill_null(False)
            near = near | (v == limit).fill_null(False)
        c = batch.expr(f.name)
        if f.type == "integer":
            # Integers past Int64 (the parse refuses them) are read exactly by values.py;
            # so are values that are no integer at all (no range error: a type error).
            huge = c.is_not_null() & c.cast(pl.Int64, strict=False).is_null()
            rows = batch.frame.select(huge).to_series().arg_true()
            if len(rows):
                exact = _judged(batch, ctx, f, "range", rows)
                assert isinstance(exact.mask, pl.Series)
                keep = batch.frame.select(bad).to_series()
                out.append(Violation(f.name, keep | exact.mask, exact.detail))
                continue
        if f.type == "number":
            # Floats round: a value equal to a bound as a float, and NaN or INF, are read
            # exactly (Decimal) instead.
            special = c.str.contains(f"^(?:{values.SPECIAL_NUMBER})$").fill_null(False)
            rows = batch.frame.select(near | special).to_series().arg_true()
            exact = _judged(batch, ctx, f, "range", rows)
            keep = batch.frame.select(bad & ~(near | special)).to_series()
            assert isinstance(exact.mask, pl.Series)
            out.append(Violation(f.name, keep | exact.mask, exact.detail))
            continue
        out.append(Violation(f.name, bad))
    return out


def _sure(batch: Batch, f: Field) -> pl.Expr:
    """A vectorised test that is True only on values of the field's type."""
    c = pl.col(f.name)
    default = f.format == "default"
    if f.type in ("integer", "number") and not (
        f.bare_number and not f.group_char and f.decimal_char == "."
    ):
        return pl.lit(False)
    if f.type in _SURE:
        return c.str.contains(f"^(?:{_SURE[f.type]})$")
    if f.type == "boolean":
        return c.is_in(pl.Series([*f.true_values, *f.false_values], dtype=pl.String).implode())
    if f.type == "string":
        sure = _STRING_SURE.get(f.format)
        return (
            pl.lit(f.format in ("default", "email"))
            if sure is None
            else c.str.contains(f"^(?:{sure})$")
        )
    if f.type == "any":
        return pl.lit(True)
    if f.type == "time" and default:
        return c.str.contains(f"^{_CLOCK}$")
    if f.type in ("date", "datetime") and default:
        day = pl.lit(day_of(batch, f.name)).is_not_null()  # starts with a real ISO day
        if f.type == "date":
            return day & (c.str.len_bytes() == 10)
        return day & c.str.contains(f"^.{{10}}T{_CLOCK}$")
    return pl.lit(False)  # read every value: patterns, any, geo, JSON, lists


def _not_integer(column: str) -> Refine:
    """Values that are not integers. polars' integer parse accepts only values the regex
    accepts (a test checks) and is cheaper, so only the values it refuses (few: blanks,
    decimals, numbers past Int64) meet the regex."""
    c = pl.col(column)
    return Refine(
        cheap=c.is_not_null() & c.cast(pl.Int64, strict=False).is_null(),
        exact=~c.str.contains(f"^(?:{values.INTEGER})$"),
    )


# Types whose sure test is also exact (values.reader accepts nothing more): no detail needed.
_EXACT = ("integer", "number", "year", "yearmonth", "boolean")


def type_matches(batch: Batch, ctx: Context, params: Params) -> list[Violation]:
    types = set(str_list(params, "types"))
    out = []
    for f in _present(batch, ctx):
        if f.type not in types or (f.type == "string" and f.format in ("default", "email")):
            continue
        plain = f.bare_number and not f.group_char and f.decimal_char == "."
        if f.type == "integer" and plain:
            out.append(Violation(f.name, _not_integer(f.name)))
        elif (f.type in _EXACT and (plain or f.type not in ("integer", "number"))) or (
            f.type == "date" and f.format == "default"  # day_of is the reader's own test
        ):
            c = batch.expr(f.name)
            out.append(Violation(f.name, c.is_not_null() & ~_sure(batch, f).fill_null(False)))
        else:
            out.append(_judged(batch, ctx, f, "type", _undecided(batch, f, _sure(batch, f))))
    return out
