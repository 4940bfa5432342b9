"""Email checks: syntax (fast regex, then email-validator), duplicates, role, disposable, typo."""

from __future__ import annotations

import re
from functools import cache

import polars as pl
from email_validator import EmailNotValidError, validate_email

from linter.contacts.checks.base import Batch, Context, Params, Violation, scratch_prefix
from linter.contacts.domains import disposable_domains, typo_domains
from linter.contacts.hashset import key_hashes

# A conservative subset of what email-validator accepts: plain ASCII atoms, dotted, and a
# hostname with an alphabetic TLD. Anything this does not match goes to email-validator itself,
# so the regex only has to be *safe* (never accept what the validator rejects), not complete.
_SIMPLE = (
    r"^[A-Za-z0-9_%+=-]+(?:\.[A-Za-z0-9_%+=-]+)*@"
    r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}$"
)
# Reserved names email-validator refuses (email_validator.SPECIAL_USE_DOMAIN_NAMES) and IDNA
# labels (xn--) whose validity only the validator can judge.
_SLOW_DOMAIN = r"(?i)(?:\.(?:arpa|invalid|local|localhost|onion|test)$|--)"


def _reason(value: str) -> str | None:
    try:
        validate_email(value, check_deliverability=False)
    except EmailNotValidError as exc:
        return str(exc)
    return None


def email_columns(batch: Batch, ctx: Context) -> list[str]:
    """Columns holding addresses: fields with format "email" plus presend's emailColumn."""
    cols = [f.name for f in ctx.schema.fields if f.format == "email"]
    main = ctx.schema.marketing.email_column
    cols += [main] if main and main not in cols else []
    return [c for c in cols if batch.has(c)]


def _address(batch: Batch, ctx: Context, column: str) -> pl.DataFrame:
    """What the email checks derive from a column of addresses, in one select (memoised):

    - `no_at`: a value without an @, `has_at`: a value with one;
    - `simple`: the fast prefilter accepts it (`_SIMPLE` and the length limits; a reserved or
      IDNA domain is excluded later, see `_syntax`);
    - on the main email column also `key` (trimmed, lower-cased), `domain` (what follows its
      first @: `find` and `slice`, half the cost of `splitn`) and `keys` (64-bit hashes of
      `key`, null where there is none: the duplicate check's input).
    """

    def make() -> pl.DataFrame:
        raw = pl.col(column)
        at = raw.str.find("@", literal=True)  # null when there is no @
        simple = raw.str.contains(_SIMPLE) & (at <= 64) & (raw.str.len_bytes() <= 254)
        flags = [(raw.is_not_null() & at.is_null()).alias("no_at"), simple.alias("simple")]
        flags.append(at.is_not_null().alias("has_at"))
        if column != _main(batch, ctx):
            return batch.frame.select(flags)
        scratch = scratch_prefix(batch.frame) + "key"  # an input column may be called "key"
        k = pl.col(scratch)
        return (
            batch.frame.lazy()
            .with_columns(raw.str.strip_chars().str.to_lowercase().alias(scratch))
            .select(
                *flags,
                k.alias("key"),
                k.str.slice(k.str.find("@", literal=True) + 1).alias("domain"),
                key_hashes(k, seed=0x5EED).alias("keys"),
            )
            .collect()
        )

    return batch.memo(f"address:{column}", make)


def _syntax(batch: Batch, ctx: Context, column: str) -> tuple[pl.Series, pl.Series]:
    """Rows without an @ and rows the fast prefilter cannot accept (both null-free masks).

    Besides `_address`'s `simple`, a reserved or IDNA domain goes to the validator; on the main
    email column that is judged on the batch's distinct lower-cased domains (the rows the
    prefilter accepts are plain ASCII without blanks, so that domain is theirs lower-cased).
    """

    def make() -> pl.DataFrame:
        derived = _address(batch, ctx, column)
        simple = pl.col("simple")
        if column == _main(batch, ctx):
            domains = _domains(batch, ctx, column)
            slow = domains.filter(domains.str.contains(_SLOW_DOMAIN).fill_null(False))
            if len(slow):
                simple = simple & ~pl.col("domain").is_in(slow.implode()).fill_null(False)
        else:
            derived = derived.with_columns(batch.frame.get_column(column).alias("raw"))
            simple = simple & ~pl.col("raw").str.contains(_SLOW_DOMAIN)
        undecided = pl.col("has_at") & ~simple.fill_null(True)
        return derived.select(pl.col("no_at"), undecided.alias("undecided"))

    flags = batch.memo(f"syntax:{column}", make)
    return flags.get_column("no_at"), flags.get_column("undecided")


def email_syntax(batch: Batch, ctx: Context, params: Params) -> list[Violation]:
    out = []
    for column in email_columns(batch, ctx):
        no_at, undecided = _syntax(batch, ctx, column)
        # Only the values the prefilter cannot accept go to email-validator, once each.
        rows = undecided.arg_true()
        values = batch.col(column).gather(rows)
        reasons = ctx.memo_values("email", values.unique().to_list(), _reason)
        bad = {v: r for v, r in reasons.items() if r is not None}
        detail = pl.repeat(None, batch.height, dtype=pl.String, eager=True)
        if bad:
            detail = detail.scatter(
                rows, values.replace_strict(bad, default=None, return_dtype=pl.String)
            )
        missing = no_at.arg_true()
        if len(missing):
            detail = detail.scatter(missing, "it has no @-sign")
        out.append(Violation(column, detail.is_not_null(), detail))
    return out


def _key(batch: Batch, ctx: Context, column: str) -> pl.Series:
    return _address(batch, ctx, column).get_column("key")


def _domain(batch: Batch, ctx: Context, column: str) -> pl.Series:
    return _address(batch, ctx, column).get_column("domain")


def _main(batch: Batch, ctx: Context) -> str | None:
    column = ctx.schema.marketing.email_column
    return column if batch.has(column) else None


def unique_email(batch: Batch, ctx: Context, params: Params) -> list[Violation]:
    column = _main(batch, ctx)
    if column is None:
        return []
    # Case-insensitive: Ann@X.com and ann@x.com reach the same inbox at every major provider.
    return [Violation(column, keys=_address(batch, ctx, column).get_column("keys"))]


def prepare(batch: Batch, ctx: Context) -> None:
    """Warm the batch's memo with what the email checks derive (see checks.prepare_batch)."""
    for name in email_columns(batch, ctx):
        _syntax(batch, ctx, name)


def role_address(batch: Batch, ctx: Context, params: Params) -> list[Violation]:
    column = _main(batch, ctx)
    roles = ctx.schema.marketing.role_addresses
    if column is None or not roles:
        return []
    # sales+uk@ is still the sales inbox: the local part up to any +tag is a role name. One
    # anchored regex over the lower-cased address, instead of splitting out the local part.
    hit = _key(batch, ctx, column).str.contains(_role_pattern(tuple(roles)))
    return [Violation(column, hit.fill_null(False))]


@cache
def _role_pattern(roles: tuple[str, ...]) -> str:
    return "^(?:" + "|".join(re.escape(r) for r in roles) + ")(?:[+@]|$)"


def _domains(batch: Batch, ctx: Context, column: str) -> pl.Series:
    """The distinct domains of the batch (of the main column: `_address` made them): a list
    has far fewer domains than rows, so lookups (disposable list, typo table, parent
    domains) run on these and map back with one is_in."""
    return batch.memo(f"domains:{column}", lambda: _domain(batch, ctx, column).unique())


def _domain_names(batch: Batch, ctx: Context, column: str) -> list[str]:
    """`_domains` as Python strings, for the set lookups of the disposable and typo checks."""
    names = batch.memo(f"names:{column}", lambda: _domains(batch, ctx, column).to_list())
    return [d for d in names if d is not None]


def _rows_with(batch: Batch, ctx: Context, column: str, domains: list[str]) -> pl.Series | pl.Expr:
    """Rows whose domain is one of `domains` (few, often none: then no call at all)."""
    if not domains:
        return pl.lit(False)
    listed = pl.Series(domains, dtype=pl.String).implode()
    return _domain(batch, ctx, column).is_in(listed).fill_null(False)


def disposable_domain(batch: Batch, ctx: Context, params: Params) -> list[Violation]:
    column = _main(batch, ctx)
    m = ctx.schema.marketing
    if column is None or not (m.disposable_bundled or m.disposable_extra):
        return []
    listed = _disposable(
        m.disposable_bundled, m.disposable_extra, m.disposable_allow, m.typo_bundled
    )
    # A subdomain of a listed service (x.mailinator.com) is the same throwaway inbox. The
    # batch's distinct domains (hundreds) are looked up in Python sets: cheaper than
    # hashing the ~10k listed domains into a polars table for every batch.
    here = [
        d
        for d in _domain_names(batch, ctx, column)
        if d in listed or ("." in d and d.partition(".")[2] in listed)
    ]
    return [Violation(column, _rows_with(batch, ctx, column, here))]


@cache
def _disposable(
    bundled: bool, extra: frozenset[str], allow: frozenset[str], typos: bool
) -> frozenset[str]:
    listed = set(extra) | (disposable_domains() if bundled else set())
    # Some typo domains (gmial.com) are on the disposable list as squatted catch-alls; the typo
    # rule reports them with the fix, so they are not reported twice.
    listed -= allow | (set(typo_domains()) if typos else set())
    return frozenset(listed)


@cache
def _typos(bundled: bool, extra: tuple[tuple[str, str], ...]) -> dict[str, str]:
    return {**typo_domains(), **dict(extra)} if bundled else dict(extra)


def typo_domain(batch: Batch, ctx: Context, params: Params) -> list[Violation]:
    column = _main(batch, ctx)
    m = ctx.schema.marketing
    if column is None or not (m.typo_bundled or m.typo_extra):
        return []
    table = _typos(m.typo_bundled, tuple(sorted(m.typo_extra.items())))
    here = {d: table[d] for d in _domain_names(batch, ctx, column) if d in table}
    mask = _rows_with(batch, ctx, column, list(here))
    if not isinstance(mask, pl.Series):
        return [Violation(column, mask)]  # no typo domain in this batch
    # Only the (few) hits pay for the lookup of their suggested domain.
    idx = mask.arg_true()
    hits = _domain(batch, ctx, column).gather(idx)
    fixed = hits.replace_strict(here, default=None, return_dtype=pl.String)
    detail = pl.repeat(None, batch.height, dtype=pl.String, eager=True)
    detail = detail.scatter(idx, hits + " looks like a typo of " + fixed)
    return [Violation(column, mask, detail)]
