""" "Did you mean …?" for a mistyped name: the one place presend asks difflib, imported
only when a name is wrong (difflib and heapq cost every run ~3 ms of start-up otherwise)."""

from __future__ import annotations

from collections.abc import Iterable


def close_matches(word: str, choices: Iterable[str], n: int = 1) -> list[str]:
    """Up to ``n`` of ``choices`` that look like ``word``, best first."""
    import difflib

    return difflib.get_close_matches(word, list(choices), n=n)
