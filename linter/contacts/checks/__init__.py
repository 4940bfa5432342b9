"""Contact checks: pure functions over one text batch, keyed by the name rules use in TOML."""

from __future__ import annotations

from linter.contacts.checks import email, fields, marketing
from linter.contacts.checks.base import Batch, Check, Context, Violation

CHECKS: dict[str, Check] = {
    "email-syntax": email.email_syntax,
    "unique-email": email.unique_email,
    "role-address": email.role_address,
    "disposable-domain": email.disposable_domain,
    "typo-domain": email.typo_domain,
    "phone-format": marketing.phone_format,
    "not-future-date": marketing.not_future_date,
    "iso-country": marketing.iso_country,
    "consent-recorded": marketing.consent_recorded,
    "lead-source-allowed": marketing.lead_source_allowed,
    "no-formula-prefix": marketing.no_formula_prefix,
    "personalisation-filled": marketing.personalisation_filled,
    "column-present": fields.column_present,
    "required-value": fields.required_value,
    "unique-value": fields.unique_value,
    "matches-pattern": fields.matches_pattern,
    "allowed-value": fields.allowed_value,
    "length-in-range": fields.length_in_range,
    "value-in-range": fields.value_in_range,
    "type-matches": fields.type_matches,
}

# Checks that read or write ctx.seen (state carried from batch to batch): the runner runs
# these in file order on its own thread; every other check may run ahead on another thread
# (the only other shared state, ctx.cache, is then used from that thread alone).
CROSS_BATCH = frozenset({"unique-email", "unique-value"})


def prepare_batch(batch: Batch, ctx: Context) -> None:
    """Compute the derived columns several checks share (memoised on `batch`) ahead of the
    checks, e.g. on another thread; the checks give the same result with or without it."""
    email.prepare(batch, ctx)
    fields.prepare(batch, ctx)


__all__ = ["CHECKS", "CROSS_BATCH", "Batch", "Check", "Context", "Violation", "prepare_batch"]
