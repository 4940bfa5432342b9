"""Helpers for the fix tests: run the fix loop on bytes, as `check --fix` does."""

from __future__ import annotations

from linter import catalogue
from linter.config import Config
from linter.documents.decode import decode_html
from linter.findings import Finding
from linter.fixes.encoded import EncodedText
from linter.fixes.runner import FixMode, FixOutcome, fix_text
from linter.lint import lint_text
from linter.policy import AccessibilityPolicy, Policy


def config(select: tuple[str, ...] = (), lang: str = "") -> Config:
    policy = Policy(accessibility=AccessibilityPolicy(lang))
    return Config.defaults(catalogue.load(), policy)._replace(cli_select=select)


def outcome(
    data: bytes, select: tuple[str, ...] = (), lang: str = "", unsafe: bool = False
) -> tuple[EncodedText, FixOutcome]:
    encoded = EncodedText.of(data, decode_html(data))
    settings = config(select, lang).settings_for("t.html")
    return encoded, fix_text("t.html", encoded, settings, FixMode(unsafe))


def fixed(
    data: bytes | str, select: tuple[str, ...] = (), lang: str = "", unsafe: bool = False
) -> bytes:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    encoded, result = outcome(raw, select, lang, unsafe)
    return encoded.encode(result.text)


def rules_in(data: bytes, select: tuple[str, ...] = ()) -> list[str]:
    return [f.rule for f in findings(data, select)]


def findings(data: bytes, select: tuple[str, ...] = ()) -> list[Finding]:
    return lint_text("t.html", decode_html(data).text, config(select))
