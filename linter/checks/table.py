"""The contact-data checks rules may name, and where each lives in linter.contacts.checks.

Here rather than in that package so that the rule catalogue, which every presend command
loads, lists them without importing linter.contacts (its sniffer, csv): a template-only
run never reads a contact file.
"""

from __future__ import annotations

# name -> "module:function" (module relative to linter.contacts.checks)
TARGETS: dict[str, str] = {
    "email-syntax": "email:email_syntax",
    "unique-email": "email:unique_email",
    "role-address": "email:role_address",
    "disposable-domain": "email:disposable_domain",
    "typo-domain": "email:typo_domain",
    "phone-format": "marketing:phone_format",
    "not-future-date": "marketing:not_future_date",
    "iso-country": "marketing:iso_country",
    "consent-recorded": "marketing:consent_recorded",
    "lead-source-allowed": "marketing:lead_source_allowed",
    "no-formula-prefix": "marketing:no_formula_prefix",
    "personalisation-filled": "marketing:personalisation_filled",
    "column-present": "fields:column_present",
    "required-value": "fields:required_value",
    "unique-value": "fields:unique_value",
    "matches-pattern": "fields:matches_pattern",
    "allowed-value": "fields:allowed_value",
    "length-in-range": "fields:length_in_range",
    "value-in-range": "fields:value_in_range",
    "type-matches": "fields:type_matches",
}
