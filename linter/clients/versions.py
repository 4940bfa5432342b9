"""Parse caniemail client versions and order them by real version semantics.

caniemail labels a client's test results with three kinds of version:

* release numbers of an app or OS: ``"9"``, ``"16.4"``, ``"6.1.31.2"``, ``"137.0b3"``;
* calendar labels: product years (``"2016"`` for Outlook 2016) and test dates
  (``"2023-04"``, the month a webmail client was tested);
* anything else, which the 2.0.2 data does not contain but a refresh might.

caniemail's own tooling sorts these as strings, so ``"9" > "10"`` and
``"16.80" < "2016"``. Here each kind is ordered by value; kinds are never compared
with each other by value (see :func:`chronological` for how they interleave).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from enum import IntEnum
from functools import cache
from typing import NamedTuple, TypeVar

__all__ = ["Scheme", "Version", "chronological", "parse_version", "version_key"]

T = TypeVar("T")

# A bare 4-digit number from 1990 to 2099 is a year (Outlook 2016), not release 2016;
# no client in caniemail has a release major that large except Windows Mail's
# 5-digit builds ("16005.13426.20316.0"), which are dotted and so stay releases.
_CALENDAR = re.compile(r"(?P<year>(?:19|20)\d\d)(?:-(?P<month>0[1-9]|1[0-2]))?")
_RELEASE = re.compile(r"\d+(?:\.\d+)*(?:[a-z]+\d*)?", re.IGNORECASE)
_PRERELEASE = re.compile(r"(?P<num>\d+)(?P<tag>[a-z]+)(?P<tagnum>\d*)", re.IGNORECASE)
_DIGITS = re.compile(r"(\d+)")


class Scheme(IntEnum):
    """The numbering scheme a version label belongs to."""

    RELEASE = 0
    CALENDAR = 1
    OTHER = 2


class Version(NamedTuple):
    """One version label of a client, ordered by (scheme, value).

    Within a scheme the order is the real one. Across schemes the order is only a
    stable convention for listings (releases before calendar labels); it says
    nothing about which came first.
    """

    scheme: Scheme
    key: tuple[int | str, ...]
    raw: str

    def __str__(self) -> str:
        return self.raw

    def comparable(self, other: Version) -> bool:
        """Whether value comparison with ``other`` means anything."""
        return self.scheme == other.scheme


@cache  # caniemail repeats the same few hundred labels ~15,000 times
def parse_version(raw: str) -> Version:
    """Classify ``raw`` and build its sort key; never fails (unknown forms sort as text)."""
    text = raw.strip()
    calendar = _CALENDAR.fullmatch(text)
    if calendar:
        month = int(calendar["month"] or 0)  # a product year sorts before that year's tests
        return Version(Scheme.CALENDAR, (int(calendar["year"]), month), raw)
    # caniemail has "6.1.31." (a typo for 6.1.31); the trailing dot carries no meaning.
    release = text.rstrip(".")
    if _RELEASE.fullmatch(release):
        return Version(Scheme.RELEASE, _release_key(release), raw)
    return Version(Scheme.OTHER, _natural_key(text.casefold()), raw)


def version_key(raw: str) -> Version:
    """Sort key for version strings: ``sorted(labels, key=version_key)``."""
    return parse_version(raw)


def _release_key(text: str) -> tuple[int, ...]:
    """Key where "13" == "13.0" < "13.0.1" and "137.0b3" < "137.0" < "137.1"."""
    parts = text.split(".")
    numbers = [int(p) for p in parts[:-1]]
    last = _PRERELEASE.fullmatch(parts[-1])
    if last is None:
        numbers.append(int(parts[-1]))
        suffix: tuple[int, ...] = (0,)
    else:
        numbers.append(int(last["num"]))
        # A pre-release sorts before its final release, which ends in the 0 sentinel.
        suffix = (-1, *(ord(c) for c in last["tag"].lower()), int(last["tagnum"] or 0))
    while len(numbers) > 1 and numbers[-1] == 0:
        numbers.pop()
    return (*numbers, *suffix)


def _natural_key(text: str) -> tuple[int | str, ...]:
    """Text key that orders digit runs by value; str and int alternate, so it compares."""
    pieces = _DIGITS.split(text)
    return tuple(int(p) if i % 2 else p for i, p in enumerate(pieces))


def chronological(items: Sequence[T], version_of: Callable[[T], Version]) -> list[T]:
    """Order one feature's results for one client from oldest to newest.

    Results of the same scheme are ordered by value. Where a client mixes schemes
    in one feature (Outlook for Mac lists "2011", "2016", then build "16.80"),
    no value comparison exists, so caniemail's entry order decides how the
    schemes interleave: each scheme keeps the positions it had in the data and
    its results are sorted within those positions. Entry order is appended as
    tests happen; in the 2.0.2 data it is right at every scheme boundary but has
    10 slips inside a scheme (e.g. "2024-04" listed before "2024-01"), which the
    per-scheme sort fixes.
    """
    slots: dict[Scheme, list[int]] = {}
    for index, item in enumerate(items):
        slots.setdefault(version_of(item).scheme, []).append(index)
    ordered: list[T] = list(items)
    for positions in slots.values():
        members = sorted((items[i] for i in positions), key=version_of)
        for position, member in zip(positions, members, strict=True):
            ordered[position] = member
    return ordered
