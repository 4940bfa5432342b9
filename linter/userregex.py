"""Regexes in rule params run on RE2, a linear-time engine: Python's `re` backtracks, so a
team's pattern like `^(a+)+$` took exponential time on a crafted attribute value. RE2 refuses
what it cannot run in linear time (back-references, look-around) with a reason: a team
rule's pattern must compile on it (checked when the config loads, `check_user_patterns`).
The shipped catalogue's patterns, reviewed with the code, run on `re` (look-around allowed),
so a run without a team pattern never imports RE2 (~2.5 ms CPU).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any


class UserRegexError(ValueError):
    """The pattern is not one RE2 accepts; the message says why."""


class Reviewed(str):
    """A pattern from the shipped catalogue (marked where `catalogue.load` builds it): run on
    `re`. A team's pattern comes from its TOML as a plain `str`, and a params record built
    from TOML holds plain strings, so nothing a config says can make one of these."""

    __slots__ = ()


def _options(ignore_case: bool) -> Any:
    import re2

    options = re2.Options()
    options.log_errors = False  # RE2 would print every rejected pattern to stderr
    options.case_sensitive = not ignore_case
    return options


@lru_cache(maxsize=256)
def compile_user(pattern: str, ignore_case: bool = False) -> Any:
    """The compiled pattern (`.search(text)` as in `re`), or UserRegexError."""
    import re2  # on first use: most runs have no team pattern

    try:
        return re2.compile(pattern, options=_options(ignore_case))
    except re2.error as exc:
        reason = exc.args[0].decode() if exc.args and isinstance(exc.args[0], bytes) else exc
        raise UserRegexError(
            f"not a regular expression presend can run in linear time ({reason}); RE2 syntax:"
            " no back-references or look-around"
        ) from None


@lru_cache(maxsize=256, typed=True)  # typed: a team's "x" is not the catalogue's Reviewed("x")
def compile_pattern(pattern: str, ignore_case: bool = False) -> Any:
    """`re` for a Reviewed pattern; else RE2 (every team pattern compiles on it, checked at
    load), or `re` for one RE2 refuses: only the catalogue's own, read without `load`."""
    if type(pattern) is not Reviewed:
        try:
            return compile_user(pattern, ignore_case)
        except UserRegexError:
            pass
    return re.compile(str(pattern), re.IGNORECASE if ignore_case else 0)


def check_user_patterns(params: object, where: str) -> None:
    """Raise UserRegexError naming `where`.params.<field> for a team pattern RE2 refuses."""
    for name in getattr(params, "user_patterns", ()):
        value = getattr(params, name, "")
        if value:
            try:
                compile_user(value, ignore_case=True)
            except UserRegexError as exc:
                raise UserRegexError(f"{where}.params.{name}: {exc}") from None
