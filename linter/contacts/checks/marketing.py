"""Marketing checks: phones, future dates, countries, consent, lead source, formula cells."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

import polars as pl

from linter.contacts.checks.base import Batch, Context, Params, Refine, Violation, constant
from linter.contacts.checks.fields import day_of

# E.164: "+", a country code not starting with 0, at most 15 digits in all.
_E164 = r"^\+[1-9][0-9]{6,14}$"  # ASCII digits: other digits go to phonenumbers
# A spreadsheet treats a cell starting with these as a formula (OWASP "CSV injection").
_FORMULA = r"^[=+\-@\t\r]"


@cache
def iso_countries() -> frozenset[str]:
    """ISO 3166-1 alpha-2 codes from phonenumbers' region list, corrected to the standard.

    phonenumbers lacks seven codes with no phone plan of their own and adds AC and TA (ISO
    "exceptionally reserved"); XK (Kosovo, user-assigned) is kept because CRMs and the EU use it.
    """
    import phonenumbers  # here, not at the top: only phone and country columns need it

    regions = set(phonenumbers.SUPPORTED_REGIONS) - {"AC", "TA"}
    return frozenset(regions | {"AQ", "BV", "GS", "HM", "PN", "TF", "UM"})


def _phone_reason(region: str | None) -> Callable[[str], str | None]:
    # Reasons name the problem, never the number: messages name rows, never values (the
    # report goes to CI logs and client briefs).
    def judge(value: str) -> str | None:
        import phonenumbers  # ~15 ms of start-up that a list without phone columns skips

        try:
            number = phonenumbers.parse(value, region)
        except phonenumbers.NumberParseException as exc:
            return f"not readable as a phone number ({exc._msg})"
        if not phonenumbers.is_possible_number(number):
            return "the wrong number of digits for its country"
        return None

    return judge


def phone_format(batch: Batch, ctx: Context, params: Params) -> list[Violation]:
    m = ctx.schema.marketing
    out = []
    for column in (c for c in m.phone_columns if batch.has(c)):
        s = batch.col(column)
        # E.164 values are accepted by shape; only the rest pay for a phonenumbers parse.
        rows = (~s.str.contains(_E164)).arg_true()  # not null
        judge = _phone_reason(m.phone_region)
        detail = ctx.reasons(f"phone:{m.phone_region}", s, rows, judge)
        out.append(Violation(column, detail.is_not_null(), detail))
    return out


def not_future_date(batch: Batch, ctx: Context, params: Params) -> list[Violation]:
    out = []
    for column in (c for c in ctx.schema.marketing.no_future_dates if batch.has(c)):
        day = day_of(batch, column)
        out.append(Violation(column, day > ctx.today))
    return out


def _not_in(
    column: str, normalise: Callable[[pl.Expr], pl.Expr], allowed: tuple[str, ...]
) -> Refine:
    """Values (not null) that `normalise` does not map into `allowed`.

    Most values are already spelled as one of a few variants of an allowed value ("GB", "gb",
    "Yes"); one is_in over those variants clears them. Only the rest (blanks around the value,
    unusual casing, invalid values: a few per batch) are trimmed and re-cased, by the same
    polars expression, so the answer is the same as normalising every row.
    """
    c = pl.col(column)
    return Refine(
        cheap=c.is_not_null() & ~c.is_in(_variants(normalise, allowed).implode()),
        exact=c.is_not_null() & ~normalise(c).is_in(allowed),
    )


@cache
def _variants(normalise: Callable[[pl.Expr], pl.Expr], allowed: tuple[str, ...]) -> pl.Series:
    """Spellings of the allowed values (lower, upper, capitalised; every case mix of short
    ones) that `normalise` maps into `allowed`: checked with polars, not assumed."""
    spellings = set(allowed)
    for value in allowed:
        spellings |= {value.lower(), value.upper(), value.capitalize()}
        if len(value) <= 4:
            spellings |= {
                "".join(c.upper() if bit >> i & 1 else c.lower() for i, c in enumerate(value))
                for bit in range(1 << len(value))
            }
    cands = pl.Series("v", sorted(spellings), dtype=pl.String)
    keep = cands.to_frame().select(normalise(pl.col("v")).is_in(allowed)).to_series()
    return cands.filter(keep)


def _upper_trimmed(e: pl.Expr) -> pl.Expr:
    return e.str.strip_chars().str.to_uppercase()


def _lower_trimmed(e: pl.Expr) -> pl.Expr:
    return e.str.strip_chars().str.to_lowercase()


@cache
def _codes() -> tuple[str, ...]:
    return tuple(sorted(iso_countries()))


def warm(ctx: Context) -> None:
    """Build the country and consent spellings (see checks.warm)."""
    m = ctx.schema.marketing
    if m.country_columns:
        _variants(_upper_trimmed, _codes())
    if m.consent_accepted:
        _variants(_lower_trimmed, m.consent_accepted)


def iso_country(batch: Batch, ctx: Context, params: Params) -> list[Violation]:
    # Codes are compared upper-cased: "gb" and "GB" name the same country in every CRM.
    return [
        Violation(c, _not_in(c, _upper_trimmed, _codes()))
        for c in ctx.schema.marketing.country_columns
        if batch.has(c)
    ]


def consent_recorded(batch: Batch, ctx: Context, params: Params) -> list[Violation]:
    m = ctx.schema.marketing
    if not m.consent_column:
        return []
    if not batch.has(m.consent_column):
        every = constant(True, batch.height, pl.Boolean)
        return [Violation(m.consent_column, every, at_header=True)]
    s = batch.expr(m.consent_column)
    if m.consent_accepted is None:
        return [Violation(m.consent_column, s.is_null())]
    refuse = _not_in(m.consent_column, _lower_trimmed, m.consent_accepted)
    missing = s.is_null()
    return [Violation(m.consent_column, Refine(missing | refuse.cheap, missing | refuse.exact))]


def lead_source_allowed(batch: Batch, ctx: Context, params: Params) -> list[Violation]:
    m = ctx.schema.marketing
    if not batch.has(m.lead_source_column) or not m.lead_source_deny:
        return []
    s = batch.expr(m.lead_source_column)
    hit = s.str.contains_any(list(m.lead_source_deny), ascii_case_insensitive=True)
    return [Violation(m.lead_source_column, hit.fill_null(False))]


def _formula(column: str) -> Refine:
    """Cells a spreadsheet would run as a formula. Every formula prefix is an ASCII byte below
    "A", and strings compare bytewise, so one comparison finds the few candidates (values
    starting with a digit, a blank, punctuation) and only those meet the regex."""
    c = pl.col(column)
    return Refine(cheap=c < "A", exact=c.str.contains(_FORMULA))


def no_formula_prefix(batch: Batch, ctx: Context, params: Params) -> list[Violation]:
    # Only free-text columns: "+44..." in a phone column or "-5" in a number is data, not a formula.
    return [Violation(c, _formula(c)) for c in ctx.schema.marketing.free_text if batch.has(c)]


def _blank(column: str) -> Refine:
    """Null or only whitespace. A value that starts with a printable ASCII character ("!" or
    above, below DEL) is not blank, and strings compare bytewise, so only the rest (empty,
    leading blank or control character, non-ASCII start: few) are stripped."""
    c = pl.col(column)
    return Refine(
        cheap=(c < "!") | (c >= "\x7f") | c.is_null(),
        exact=c.str.strip_chars().str.len_chars().fill_null(0) == 0,
    )


def personalisation_filled(batch: Batch, ctx: Context, params: Params) -> list[Violation]:
    return [Violation(c, _blank(c)) for c in ctx.schema.marketing.personalisation if batch.has(c)]
