"""Regexes a team writes (team-rule params) run on RE2, a linear-time engine: Python's `re`
backtracks, so a pattern like `^(a+)+$` took exponential time on a crafted attribute value.
RE2 refuses what it cannot run in linear time (back-references, look-around) with a reason.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import re2


class UserRegexError(ValueError):
    """The pattern is not one RE2 accepts; the message says why."""


def _options(ignore_case: bool) -> Any:
    options = re2.Options()
    options.log_errors = False  # RE2 would print every rejected pattern to stderr
    options.case_sensitive = not ignore_case
    return options


@lru_cache(maxsize=256)
def compile_user(pattern: str, ignore_case: bool = False) -> Any:
    """The compiled pattern (`.search(text)` as in `re`), or UserRegexError."""
    try:
        return re2.compile(pattern, options=_options(ignore_case))
    except re2.error as exc:
        reason = exc.args[0].decode() if exc.args and isinstance(exc.args[0], bytes) else exc
        raise UserRegexError(
            f"not a regular expression presend can run in linear time ({reason}); RE2 syntax:"
            " no back-references or look-around"
        ) from None
