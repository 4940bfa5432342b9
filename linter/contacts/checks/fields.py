"""Table Schema checks: columns present, required, unique, pattern, enum, length, range, type."""

from __future__ import annotations

import polars as pl

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

# Table Schema's lexical forms (XML Schema's) take ASCII digits only: [0-9], not \d, which
# polars' Unicode-aware regexes also match on Arabic-Indic or full-width digits.
_INTEGER = r"^[+-]?[0-9]+$"
_NUMBER = r"^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$"
_DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
_DATETIME = (
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{1,9})?)?"
    r"(?:Z|[+-][0-9]{2}:?[0-9]{2})?$"
)
_YEAR = r"^[0-9]{4}$"


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


def _keys(batch: Batch, column: str) -> pl.Series:
    """64-bit hashes of a unique column's values, null where missing (batch-local, memoised)."""
    keys = key_hashes(pl.col(column), seed=7)
    return batch.memo(f"keys:{column}", lambda: batch.frame.select(keys).to_series())


def prepare(batch: Batch, ctx: Context) -> None:
    """Warm the batch's memo with the unique columns' hashes (see checks.prepare_batch)."""
    main = ctx.schema.marketing.email_column
    for f in _present(batch, ctx):
        if f.unique and f.name != main:
            _keys(batch, f.name)


def unique_value(batch: Batch, ctx: Context, params: Params) -> list[Violation]:
    main = ctx.schema.marketing.email_column
    # The main email column has its own case-insensitive rule (unique-email); skip it here.
    out = [
        Violation(f.name, keys=_keys(batch, f.name), values=batch.col(f.name))
        for f in _present(batch, ctx)
        if f.unique and f.name != main
    ]
    pk = [k for k in ctx.schema.primary_key if batch.has(k)]
    if len(pk) > 1 and len(pk) == len(ctx.schema.primary_key):
        # A composite key: a struct of its columns, null when any part is missing.
        present = ~pl.any_horizontal(pl.col(pk).is_null())
        both = batch.frame.select(
            key_hashes(pl.struct(pk), seed=11, present=present).alias("keys"),
            pl.when(present).then(pl.struct(pk)).alias("values"),
        )
        out.append(Violation(pk[0], keys=both.get_column("keys"), values=both.get_column("values")))
    return out


def matches_pattern(batch: Batch, ctx: Context, params: Params) -> list[Violation]:
    # Table Schema patterns follow XML Schema: the whole value must match, so anchor them.
    return [
        Violation(f.name, ~batch.expr(f.name).str.contains(f"^(?:{f.pattern})$").fill_null(True))
        for f in _present(batch, ctx)
        if f.pattern
    ]


def allowed_value(batch: Batch, ctx: Context, params: Params) -> list[Violation]:
    return [
        Violation(f.name, ~batch.expr(f.name).is_in(list(f.enum)).fill_null(True))
        for f in _present(batch, ctx)
        if f.enum is not None
    ]


def _too_long(column: str, limit: int) -> Refine:
    """More than `limit` characters. A value has at most as many characters as bytes, and
    the byte length is stored with each string, so only values longer than `limit` bytes
    (few) have their characters counted."""
    c = pl.col(column)
    return Refine(cheap=c.str.len_bytes() > limit, exact=c.str.len_chars() > limit)


def length_in_range(batch: Batch, ctx: Context, params: Params) -> list[Violation]:
    out = []
    for f in _present(batch, ctx):
        if f.min_length is None and f.max_length is not None:
            out.append(Violation(f.name, _too_long(f.name, f.max_length)))
        elif f.min_length is not None:
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
    iso = pl.when(v.str.contains(_DATE)).then(v.str.to_date("%Y-%m-%d", strict=False))
    return values.to_frame().select(iso).to_series()


def _as_number(batch: Batch, f: Field) -> pl.Expr | pl.Series:
    if f.type in ("date", "datetime"):
        return day_of(batch, f.name).cast(pl.Int64).cast(pl.Float64)
    return batch.expr(f.name).cast(pl.Float64, strict=False)


def _bound(value: str, f: Field) -> float:
    if f.type in ("date", "datetime"):
        return float(pl.Series([value[:10]]).str.to_date("%Y-%m-%d").cast(pl.Int64)[0])
    return float(value)


def value_in_range(batch: Batch, ctx: Context, params: Params) -> list[Violation]:
    out = []
    for f in _present(batch, ctx):
        if (f.minimum is None and f.maximum is None) or f.type not in (
            "integer",
            "number",
            "year",
            "date",
            "datetime",
        ):
            continue
        v = _as_number(batch, f)
        bad: pl.Expr | pl.Series = pl.lit(False)
        if f.minimum is not None:
            bad = (v < _bound(f.minimum, f)).fill_null(False)
        if f.maximum is not None:
            high = (v > _bound(f.maximum, f)).fill_null(False)
            bad = high if f.minimum is None else bad | high
        out.append(Violation(f.name, bad))
    return out


def _not_integer(column: str) -> Refine:
    """Values that are not integers (`_INTEGER`). polars' integer parse accepts only values the
    regex accepts (a test checks) and is cheaper, so only the values it refuses (few: blanks,
    decimals, numbers past Int64) meet the regex."""
    c = pl.col(column)
    return Refine(
        cheap=c.is_not_null() & c.cast(pl.Int64, strict=False).is_null(),
        exact=~c.str.contains(_INTEGER),
    )


def _not_of_type(batch: Batch, f: Field) -> pl.Expr | Refine:
    """Values (not null: a missing value is no type error) that are not of the field's type."""
    if f.type == "integer":
        return _not_integer(f.name)
    return batch.expr(f.name).is_not_null() & ~_type_ok(batch, f).fill_null(True)


def _type_ok(batch: Batch, f: Field) -> pl.Expr:
    """Values of the field's type, for every type but integer (`_not_integer`)."""
    s = batch.expr(f.name)
    if f.type == "number":
        return s.str.contains(_NUMBER)
    if f.type == "boolean":
        return s.is_in([*f.true_values, *f.false_values])
    if f.type == "year":
        return s.str.contains(_YEAR)
    if f.type in ("date", "datetime") and f.format not in ("default", "any"):
        fmt = f.format
        parsed = (
            s.str.to_date(fmt, strict=False)
            if f.type == "date"
            else s.str.to_datetime(fmt, strict=False)
        )
        return parsed.is_not_null()
    if f.type not in ("date", "datetime"):
        return pl.lit(True)
    day = pl.lit(day_of(batch, f.name)).is_not_null()  # the value starts with a real ISO day
    if f.type == "date":
        return day & (s.str.len_bytes() == 10)  # and is nothing more
    return day & s.str.contains(_DATETIME)


def type_matches(batch: Batch, ctx: Context, params: Params) -> list[Violation]:
    types = set(str_list(params, "types"))
    return [
        Violation(f.name, _not_of_type(batch, f)) for f in _present(batch, ctx) if f.type in types
    ]
