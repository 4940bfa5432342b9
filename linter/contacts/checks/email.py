"""Email checks: syntax (fast regex, then email-validator), duplicates, role, disposable, typo."""

from __future__ import annotations

import re
from functools import cache

import polars as pl

from linter.contacts.checks.base import (
    Batch,
    Context,
    Params,
    Violation,
    collect,
    constant,
    scratch_prefix,
)
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
    # Imported on the first value the prefilter cannot decide: a list without one (most)
    # never needs email-validator, whose import costs ~25 ms of start-up.
    from email_validator import EmailNotValidError, validate_email

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


# The prefilter's shape in lower case: such a value is its own key (nothing to trim or
# lower-case). Most addresses in a list are written so; only the rest pay for the key.
_CANONICAL = _SIMPLE.replace("A-Za-z", "a-z")
# Above this share of non-canonical values in a batch's first rows (an upper-case export,
# say), the whole batch is derived the exact way: the split would cost more than it saves.
_SLOW_SHARE, _SAMPLE = 0.25, 2_000
_KEY_SEED = 0x5EED  # the address keys' hash seed (other unique columns use their own)


def _address(batch: Batch, ctx: Context, column: str) -> pl.DataFrame:
    """What the email checks derive from a column of addresses (memoised):

    - `no_at`: a value without an @, `has_at`: a value with one;
    - `simple`: the fast prefilter accepts it (`_SIMPLE` and the length limits; a reserved or
      IDNA domain is excluded later, see `_syntax`);
    - on the main email column also `key` (trimmed, lower-cased), `domain` (what follows its
      first @) and `keys` (64-bit hashes of `key`, null where there is none: the duplicate
      check's input).

    On the main column a canonical value (`_CANONICAL`) is its own key, so the batch is
    derived in two parts: every row as if canonical (no trimming or lower-casing; the domain
    by `find` and `slice`, half the cost of `splitn`, exact for ASCII), then the other rows,
    gathered, the exact way, and put in their places. The result is the exact derivation's
    (a test compares them).
    """

    def make() -> pl.DataFrame:
        raw = pl.col(column)
        if column != _main(batch, ctx):
            return batch.frame.select(_flags(raw, raw.str.find("@", literal=True)))
        frame = batch.frame
        sample = frame.head(_SAMPLE).select(raw.str.contains(_CANONICAL).fill_null(False))
        if sample.to_series().sum() < (1 - _SLOW_SHARE) * sample.height:
            return _exact_address(frame, column)
        scratch = scratch_prefix(frame)
        at, fast = pl.col(scratch + "at"), pl.col(scratch + "fast")
        assumed = collect(
            frame.lazy()
            .with_columns(
                raw.str.find("@", literal=True).alias(at.meta.output_name()),
                raw.str.contains(_CANONICAL).fill_null(False).alias(fast.meta.output_name()),
            )
            .select(
                fast.alias("fast"),
                *_flags(raw, at, simple=fast),
                raw.alias("key"),
                raw.str.slice(at + 1).alias("domain"),
                key_hashes(raw, seed=_KEY_SEED).alias("keys"),
            )
        )
        rows = (~assumed.get_column("fast")).arg_true()
        derived = assumed.drop("fast")
        if not len(rows):
            return derived
        exact = _exact_address(frame.select(column).gather(rows), column)
        return derived.with_columns(
            derived.get_column(name).clone().scatter(rows, exact.get_column(name))
            for name in ("simple", "key", "domain", "keys")
        )

    return batch.memo(f"address:{column}", make)


def _flags(raw: pl.Expr, at: pl.Expr, simple: pl.Expr | None = None) -> list[pl.Expr]:
    """`no_at`, `simple` (given `simple`: the value matches `_SIMPLE`) and `has_at`."""
    shape = raw.str.contains(_SIMPLE) if simple is None else simple
    return [
        (raw.is_not_null() & at.is_null()).alias("no_at"),
        (shape & (at <= 64) & (raw.str.len_bytes() <= 254)).alias("simple"),
        at.is_not_null().alias("has_at"),
    ]


def _exact_address(frame: pl.DataFrame, column: str) -> pl.DataFrame:
    """`_address` of the main column for every row of `frame`, trimming and lower-casing."""
    raw = pl.col(column)
    scratch = scratch_prefix(frame) + "key"  # an input column may be called "key"
    k = pl.col(scratch)
    return collect(
        frame.lazy()
        .with_columns(raw.str.strip_chars().str.to_lowercase().alias(scratch))
        .select(
            *_flags(raw, raw.str.find("@", literal=True)),
            k.alias("key"),
            # Not find + slice: find counts bytes, slice characters (`ü@x.com`).
            k.str.splitn("@", 2).struct.field("field_1").alias("domain"),
            key_hashes(k, seed=_KEY_SEED).alias("keys"),
        )
    )


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
        detail = ctx.reasons("email", batch.col(column), undecided.arg_true(), _reason)
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
    derived = _address(batch, ctx, column)
    return [Violation(column, keys=derived.get_column("keys"), values=derived.get_column("key"))]


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
    return [Violation(column, hit)]  # the runner reads null as False


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
    return _domain(batch, ctx, column).is_in(listed)  # null (no domain) reads as False


def disposable_domain(batch: Batch, ctx: Context, params: Params) -> list[Violation]:
    column = _main(batch, ctx)
    m = ctx.schema.marketing
    if column is None or not (m.disposable_bundled or m.disposable_extra):
        return []
    listed = _disposable_table(ctx)
    # A subdomain of a listed service (x.mailinator.com) is the same throwaway inbox. The
    # batch's distinct domains (hundreds) are looked up in Python sets: cheaper than
    # hashing the ~10k listed domains into a polars table for every batch.
    here = [
        d
        for d in _domain_names(batch, ctx, column)
        if d in listed or ("." in d and d.partition(".")[2] in listed)
    ]
    return [Violation(column, _rows_with(batch, ctx, column, here))]


def _disposable_table(ctx: Context) -> frozenset[str]:
    m = ctx.schema.marketing
    return _disposable(m.disposable_bundled, m.disposable_extra, m.disposable_allow, m.typo_bundled)


def _typo_table(ctx: Context) -> dict[str, str]:
    m = ctx.schema.marketing
    return _typos(m.typo_bundled, tuple(sorted(m.typo_extra.items())))


def warm(ctx: Context) -> None:
    """Build the domain tables (see checks.warm)."""
    _disposable_table(ctx)
    _typo_table(ctx)


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
    table = _typo_table(ctx)
    here = {d: table[d] for d in _domain_names(batch, ctx, column) if d in table}
    mask = _rows_with(batch, ctx, column, list(here))
    if not isinstance(mask, pl.Series):
        return [Violation(column, mask)]  # no typo domain in this batch
    # Only the (few) hits pay for the lookup of their suggested domain.
    idx = mask.arg_true()
    hits = _domain(batch, ctx, column).gather(idx)
    fixed = hits.replace_strict(here, default=None, return_dtype=pl.String)
    detail = constant(None, batch.height, pl.String)
    detail = detail.scatter(idx, hits + " looks like a typo of " + fixed)
    return [Violation(column, mask, detail)]
