"""Marketing checks: phones, future dates, countries, consent, lead source, formula cells."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

import phonenumbers
import polars as pl

from linter.contacts.checks.base import Batch, Context, Params, Violation

# E.164: "+", a country code not starting with 0, at most 15 digits in all.
_E164 = r"^\+[1-9]\d{6,14}$"
# A spreadsheet treats a cell starting with these as a formula (OWASP "CSV injection").
_FORMULA = r"^[=+\-@\t\r]"


@cache
def iso_countries() -> frozenset[str]:
    """ISO 3166-1 alpha-2 codes from phonenumbers' region list, corrected to the standard.

    phonenumbers lacks seven codes with no phone plan of their own and adds AC and TA (ISO
    "exceptionally reserved"); XK (Kosovo, user-assigned) is kept because CRMs and the EU use it.
    """
    regions = set(phonenumbers.SUPPORTED_REGIONS) - {"AC", "TA"}
    return frozenset(regions | {"AQ", "BV", "GS", "HM", "PN", "TF", "UM"})


def _phone_reason(region: str | None) -> Callable[[str], str | None]:
    def judge(value: str) -> str | None:
        try:
            number = phonenumbers.parse(value, region)
        except phonenumbers.NumberParseException as exc:
            return f"cannot read {value!r} as a phone number ({exc._msg})"
        if not phonenumbers.is_possible_number(number):
            return f"{value!r} has the wrong number of digits for its country"
        return None

    return judge


def phone_format(batch: Batch, ctx: Context, params: Params) -> list[Violation]:
    m = ctx.schema.marketing
    out = []
    for column in (c for c in m.phone_columns if batch.has(c)):
        c = pl.col(column)
        # E.164 values are accepted by shape; only the rest pay for a phonenumbers parse.
        slow = batch.frame.select(c.filter(~c.str.contains(_E164)).unique()).to_series().to_list()
        judge = _phone_reason(m.phone_region)
        reasons = ctx.memo_values(f"phone:{m.phone_region}", slow, judge)
        bad = {v: r for v, r in reasons.items() if r is not None}
        detail = (
            c.replace_strict(bad, default=None, return_dtype=pl.String)
            if bad
            else pl.lit(None, dtype=pl.String)
        )
        out.append(Violation(column, detail.is_not_null(), detail))
    return out


def not_future_date(batch: Batch, ctx: Context, params: Params) -> list[Violation]:
    out = []
    for column in (c for c in ctx.schema.marketing.no_future_dates if batch.has(c)):
        day = batch.expr(column).str.slice(0, 10).str.to_date("%Y-%m-%d", strict=False)
        out.append(Violation(column, (day > ctx.today).fill_null(False)))
    return out


def iso_country(batch: Batch, ctx: Context, params: Params) -> list[Violation]:
    codes = list(iso_countries())
    # Codes are compared upper-cased: "gb" and "GB" name the same country in every CRM.
    return [
        Violation(
            c, ~batch.expr(c).str.strip_chars().str.to_uppercase().is_in(codes).fill_null(True)
        )
        for c in ctx.schema.marketing.country_columns
        if batch.has(c)
    ]


def consent_recorded(batch: Batch, ctx: Context, params: Params) -> list[Violation]:
    m = ctx.schema.marketing
    if not m.consent_column:
        return []
    if not batch.has(m.consent_column):
        every = pl.repeat(True, batch.height, dtype=pl.Boolean, eager=True).alias("mask")
        return [Violation(m.consent_column, every, at_header=True)]
    s = batch.expr(m.consent_column)
    if m.consent_accepted is None:
        return [Violation(m.consent_column, s.is_null())]
    ok = s.str.strip_chars().str.to_lowercase().is_in(list(m.consent_accepted))
    return [Violation(m.consent_column, ~ok.fill_null(False))]


def lead_source_allowed(batch: Batch, ctx: Context, params: Params) -> list[Violation]:
    m = ctx.schema.marketing
    if not batch.has(m.lead_source_column) or not m.lead_source_deny:
        return []
    s = batch.expr(m.lead_source_column)
    hit = s.str.contains_any(list(m.lead_source_deny), ascii_case_insensitive=True)
    return [Violation(m.lead_source_column, hit.fill_null(False))]


def no_formula_prefix(batch: Batch, ctx: Context, params: Params) -> list[Violation]:
    # Only free-text columns: "+44..." in a phone column or "-5" in a number is data, not a formula.
    return [
        Violation(c, batch.expr(c).str.contains(_FORMULA).fill_null(False))
        for c in ctx.schema.marketing.free_text
        if batch.has(c)
    ]


def personalisation_filled(batch: Batch, ctx: Context, params: Params) -> list[Violation]:
    return [
        Violation(c, batch.expr(c).str.strip_chars().str.len_chars().fill_null(0) == 0)
        for c in ctx.schema.marketing.personalisation
        if batch.has(c)
    ]
