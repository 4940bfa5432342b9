"""Regexes in rule params run on RE2, a linear-time engine: Python's `re` backtracks, so a
team's pattern like `^(a+)+$` took exponential time on a crafted attribute value. RE2 refuses
what it cannot run in linear time (back-references, look-around) with a reason: a team
rule's pattern must compile on it (checked when the config loads, `check_user_patterns`);
only the shipped catalogue, reviewed with the code, may fall back to `re` for look-around.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any


class UserRegexError(ValueError):
    """The pattern is not one RE2 accepts; the message says why."""


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


@lru_cache(maxsize=256)
def compile_pattern(pattern: str, ignore_case: bool = False) -> Any:
    """RE2 when it accepts the pattern (every team pattern, checked at load), else `re`
    (a shipped pattern with look-around)."""
    try:
        return compile_user(pattern, ignore_case)
    except UserRegexError:
        return re.compile(pattern, re.IGNORECASE if ignore_case else 0)


def check_user_patterns(params: object, where: str) -> None:
    """Raise UserRegexError naming `where`.params.<field> for a team pattern RE2 refuses."""
    for name in getattr(params, "user_patterns", ()):
        value = getattr(params, name, "")
        if value:
            try:
                compile_user(value, ignore_case=True)
            except UserRegexError as exc:
                raise UserRegexError(f"{where}.params.{name}: {exc}") from None
