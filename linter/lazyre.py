"""Regexes compiled on first use.

Compiling runs Python's regex parser, ~0.1 ms a pattern, so a module that compiles its
patterns at import makes every run pay for those only some documents reach (a postal
address when the policy asks for one, a .eml's headers, a suppression comment). Those are
declared with `on_first_use` and called where used: `_STREET().search(text)`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache


def on_first_use(pattern: str, flags: int = 0) -> Callable[[], re.Pattern[str]]:
    """A function returning ``re.compile(pattern, flags)``, compiled on its first call."""

    @cache
    def compiled() -> re.Pattern[str]:
        return re.compile(pattern, flags)

    return compiled
