"""Domain lists: disposable domains (the maintained PyPI package) and likely typo domains."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

_TYPOS = Path(__file__).resolve().parent.parent / "data" / "contacts" / "typo-domains.json"
_ALPHABET = "abcdefghijklmnopqrstuvwxyz"


@cache
def disposable_domains() -> frozenset[str]:
    """The disposable-email-domains package's blocklist (MIT; updated with each release)."""
    from disposable_email_domains import blocklist

    return frozenset(d.lower() for d in blocklist)


def _edits(word: str) -> set[str]:
    """Every string one deletion, transposition, substitution or insertion away from `word`."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    out = {a + b[1:] for a, b in splits if b}
    out |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    out |= {a + c + b[1:] for a, b in splits if b for c in _ALPHABET}
    out |= {a + c + b for a, b in splits for c in _ALPHABET}
    return out


@cache
def typo_domains() -> dict[str, str]:
    """Map likely typo → intended domain, e.g. gmial.com → gmail.com.

    Built from the bundled data: one letter edit away from a big mailbox provider whose name part
    is long enough that its neighbours are rarely real (`gmail` yes, `aol` no), TLD slips for
    every provider, and explicit pairs; real domains listed in `notTypos` are never flagged. The
    first letter is left alone: `?mail.com` neighbours (fmail, xmail) are often real services.
    """
    data = json.loads(_TYPOS.read_text(encoding="utf-8"))
    providers: list[str] = data["providers"]
    real = set(providers) | set(data["notTypos"])
    out: dict[str, str] = {}
    for domain in providers:
        name, _, tld = domain.partition(".")
        if len(name) >= 5:
            for variant in _edits(name[1:]):
                out.setdefault(f"{name[0]}{variant}.{tld}", domain)
        for slip in data["tldSlips"].get(tld, []):
            out.setdefault(f"{name}.{slip}", domain)
    out.update(data["pairs"])
    return {k: v for k, v in out.items() if k not in real}
