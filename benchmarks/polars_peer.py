"""The "bare polars read + checks" peer for bench_contacts.py.

What a data engineer would write with polars for the bundled default schema
(`linter/data/contacts/default.schema.json`) in an afternoon: read the whole file as text, one
`select` of a boolean column per rule, rows rejected when any error rule hits. No sniffing,
no streaming (the whole file in memory), no ragged-row detection, no row numbers, samples or
per-row reasons. Email syntax and phone numbers use the same libraries as presend
(email-validator, phonenumbers) on the distinct values a regex cannot accept, and the domain
lists are presend's, so both do the same per-row work: this measures what presend's engine
adds on top of polars.
"""

from __future__ import annotations

import re
from datetime import date

import phonenumbers
import polars as pl
from email_validator import EmailNotValidError, validate_email

from linter.contacts.domains import disposable_domains, typo_domains

SIMPLE_EMAIL = (
    r"^[A-Za-z0-9_%+=-]+(?:\.[A-Za-z0-9_%+=-]+)*@"
    r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}$"
)
# Reserved domains and IDNA labels: only email-validator can judge those.
RESERVED = r"(?i)(?:\.(?:arpa|invalid|local|localhost|onion|test)$|--)"
ROLES = ["abuse", "admin", "billing", "careers", "contact", "enquiries", "help", "hello"]
ROLES += ["hostmaster", "hr", "info", "jobs", "marketing", "media", "no-reply", "noreply"]
ROLES += ["office", "postmaster", "press", "privacy", "sales", "security", "support", "team"]
ROLES += ["webmaster"]
FREE_TEXT = ["first_name", "last_name", "company", "notes", "lead_source"]
MAX_LENGTH = {"email": 254, "first_name": 100, "last_name": 100, "company": 200, "phone": 32}


def _bad_email(value: str) -> bool:
    try:
        validate_email(value, check_deliverability=False)
    except EmailNotValidError:
        return True
    return False


def _bad_phone(value: str) -> bool:
    try:
        return not phonenumbers.is_possible_number(phonenumbers.parse(value, None))
    except phonenumbers.NumberParseException:
        return True


def _judged(frame: pl.DataFrame, column: str, accept: pl.Expr, bad: object) -> pl.Expr:
    """True where a value `accept` does not vouch for fails `bad` (run once per value)."""
    rest = frame.select(pl.col(column).filter(~accept.fill_null(False)).unique().drop_nulls())
    failing = [v for v in rest.to_series().to_list() if bad(v)]  # type: ignore[operator]
    return pl.col(column).is_in(failing).fill_null(False)


def check(path: str, today: date | None = None) -> dict[str, int]:
    """Rows hit per rule id, plus "rows" and "rejected"."""
    today = today or date.today()
    # A quoted empty value ("") is as missing as an empty one; polars reads it as "".
    frame = pl.read_csv(path, infer_schema=False).with_columns(pl.col(pl.String).replace("", None))
    email = pl.col("email")
    simple = email.str.contains(SIMPLE_EMAIL) & ~email.str.contains(RESERVED)
    simple = simple & (email.str.find("@") <= 64) & (email.str.len_bytes() <= 254)
    key = email.str.strip_chars().str.to_lowercase()
    domain = key.str.splitn("@", 2).struct.field("field_1")
    parent = domain.str.splitn(".", 2).struct.field("field_1")
    typos = typo_domains()
    disposable = list(disposable_domains() - set(typos))
    # The date a value starts with, if its first 10 characters are one (ASCII digits: Table
    # Schema's form; polars' \d is Unicode and its date parse lenient).
    signup, iso = pl.col("signup_date"), r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
    head = signup.str.slice(0, 10)
    day = pl.when(head.str.contains(iso)).then(head.str.to_date("%Y-%m-%d", strict=False))
    countries = sorted(set(phonenumbers.SUPPORTED_REGIONS) - {"AC", "TA"})
    countries += ["AQ", "BV", "GS", "HM", "PN", "TF", "UM"]
    rules = {
        "DAT001": _judged(frame, "email", simple, _bad_email),
        "DAT002": key.is_not_null() & ~key.is_first_distinct(),
        "DAT003": key.str.contains("^(?:" + "|".join(map(re.escape, ROLES)) + ")(?:[+@]|$)"),
        "DAT004": domain.is_in(disposable) | parent.is_in(disposable),
        "DAT005": domain.is_in(list(typos)),
        "DAT006": _judged(
            frame, "phone", pl.col("phone").str.contains(r"^\+[1-9][0-9]{6,14}$"), _bad_phone
        ),
        "DAT007": signup.is_not_null() & ~(signup.str.contains(iso) & day.is_not_null()),
        "DAT008": day > today,
        "DAT009": ~pl.col("country").str.strip_chars().str.to_uppercase().is_in(countries),
        "DAT010": pl.col("consent").is_null()
        | ~pl.col("consent").str.strip_chars().str.to_lowercase().is_in(["yes", "true", "y", "1"]),
        "DAT011": pl.col("lead_source").str.contains_any(
            ["purchased", "bought", "rented", "scraped"], ascii_case_insensitive=True
        ),
        "DAT012": pl.any_horizontal(pl.col(FREE_TEXT).str.contains(r"^[=+\-@\t\r]")),
        "DAT013": pl.col("email").is_null(),
        "DAT014": pl.col("customer_id").is_not_null() & ~pl.col("customer_id").is_first_distinct(),
        "DAT015": ~pl.col("language").str.contains(r"^(?:[a-z]{2}(-[A-Z]{2})?)$"),
        "DAT016": ~pl.col("consent").is_in(["yes", "no", "true", "false", "y", "n", "1", "0"]),
        "DAT017": pl.any_horizontal(
            *(pl.col(c).str.len_chars() > n for c, n in MAX_LENGTH.items()),
            pl.col("country").str.len_chars() != 2,
        ),
        "DAT018": pl.col("customer_id").cast(pl.Float64, strict=False) < 1,
        "DAT019": ~pl.col("customer_id").str.contains(r"^[+-]?[0-9]+$"),
        "DAT021": pl.col("first_name").str.strip_chars().str.len_chars().fill_null(0) == 0,
    }
    warnings = {"DAT003", "DAT021"}
    masks = frame.select(expr.fill_null(False).alias(rid) for rid, expr in rules.items())
    errors = [rid for rid in rules if rid not in warnings]
    counts = masks.select(
        *(pl.col(rid).sum() for rid in rules),
        pl.any_horizontal(errors).sum().alias("rejected"),
    ).row(0, named=True)
    return {"rows": frame.height, **{k: int(v) for k, v in counts.items()}}
