"""`presend init`: write a commented starter presend.toml."""

from __future__ import annotations

from pathlib import Path

from linter.fileio import write_atomic

STARTER = """\
# presend configuration: the standards this team agreed with its clients.
# Reference: https://github.com/presend/presend#configuration

# Standards that apply (empty or absent: all of them).
# standards = ["responsive", "outlook", "gmail", "accessibility", "tracking", "links",
#              "compliance", "merge-tags", "security"]

# Rules by id, id prefix, name or standard.
# select = []
ignore = []

# Lowest severity that makes `presend check` exit 1: "error", "warning" or "info".
fail-on = "error"

# Severity overrides by rule id, name, id prefix or standard.
[severity]
# RSP005 = "error"

# Paths never linted (globs relative to this file).
# exclude = ["vendor/**"]

# Different settings for some files.
# [[overrides]]
# files = ["legacy/**"]
# ignore = ["outlook"]

[clients]
# Target clients for the client-support standard (globs, version selectors, presets).
targets = ["global"]

[tracking]
# pixel-required = true
# pixel-hosts = ["t.example-esp.com"]
# utm = { utm_source = ["newsletter"], utm_medium = ["email"], utm_campaign = [] }
# utm-hosts = ["example.com"]   # links that need UTM tags (empty: every http(s) link)

[links]
# staging-hosts = ["staging.example.com"]

[compliance]
# postal-address-required = true
# postal-address = "1 Example Street"

[merge-tags]
# dialect = "curly"          # curly, mailchimp, ampscript, brackets, smarty or auto
# allowed = ["first_name", "unsubscribe_url"]
# fallbacks = true           # the ESP supports {{ name | default: "there" }}
"""


def run(folder: Path, force: bool) -> Path:
    target = folder / "presend.toml"
    if target.exists() and not force:
        raise FileExistsError(f"{target} exists; use --force to overwrite")
    write_atomic(target, STARTER)
    return target
