"""`presend init`: write a commented starter presend.toml."""

from __future__ import annotations

from pathlib import Path

from linter.fileio import write_atomic

STARTER = """\
# presend configuration: the standards this team agreed with its clients.
# Every key is optional and checked: a typo is an error that names it.
# Reference: README.md, "Configuration". Uncommenting any setting below keeps it valid.

# Standards that apply (absent: all of them).
# standards = ["responsive", "outlook", "gmail", "accessibility", "client-support", "links"]

# Rules by id, id prefix, name or standard.
# select = ["responsive", "outlook"]
ignore = []

# Lowest severity that makes `presend check` exit 1: "error", "warning" or "info".
fail-on = "error"

# Paths never linted (globs relative to this file).
# exclude = ["vendor/**"]

# Severity overrides by rule id, name, id prefix or standard (most specific wins).
[severity]
# small-body-text = "error"

# Target clients for the client-support standard (globs, version selectors, presets).
[clients]
targets = ["global"]

[tracking]
# pixel-required = true
# pixel-hosts = ["t.example-esp.com"]
# utm = { utm_source = ["newsletter"], utm_medium = ["email"], utm_campaign = [] }
# utm-hosts = ["www.example.com"]

[links]
# staging-hosts = ["staging.example.com"]

[compliance]
# postal-address-required = true
# postal-address = "1 Example Street"

[merge-tags]
# dialect = "curly"
# allowed = ["first_name", "unsubscribe_url"]
# fallbacks = true

[accessibility]
# The content language `presend check --fix` writes on <html lang> (ACC001); unset: no fix.
# lang = "en"

[contacts]
# schema = "contacts.schema.json"
# encoding = "cp1252"
# delimiter = ";"

# Different settings for some files.
# [[overrides]]
# files = ["transactional/**"]
# ignore = ["missing-unsubscribe-link"]

# A documented exception: who approved it, why, until when.
# [[waivers]]
# rule = "OUT003"
# files = ["templates/promo-*.html"]
# reason = "Client accepts the plain background in Outlook for the spring sale"
# approved-by = "Dana Reyes (client), ticket 1234"
# expires = 2027-01-31
"""


def run(folder: Path, force: bool) -> Path:
    target = folder / "presend.toml"
    if target.exists() and not force:
        raise FileExistsError(f"{target} exists; use --force to overwrite")
    write_atomic(target, STARTER)
    return target
