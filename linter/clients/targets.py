"""Target specs: which clients (and which of their versions) an email must work in.

Grammar (documented for users in ``docs/clients.md``)::

    spec     = preset | glob [selector]
    glob     = family.platform with fnmatch wildcards: gmail.*, *.ios, outlook.windows
    selector = "@current" | "@all" | "@" version ".." version
             | (">=" | ">" | "<=" | "<" | "=") version

Without a selector a target is judged by its newest tested version only.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Mapping, Sequence
from enum import Enum
from types import MappingProxyType
from typing import NamedTuple

from linter.clients.data import VersionStat, load_data
from linter.clients.versions import Version, parse_version
from linter.suggest import close_matches

__all__ = ["PRESETS", "Mode", "Preset", "Target", "VersionSelector", "resolve_targets"]

_SPEC = re.compile(
    r"(?P<glob>[A-Za-z0-9*?\[\]._-]+?)"
    r"(?:@(?P<at>.+)|(?P<op>>=|<=|==|=|>|<)(?P<version>.+))?"
)
_OPERATORS = (">=", ">", "<=", "<", "=")


class Mode(Enum):
    """How a target picks versions out of a feature's results."""

    CURRENT = "current"
    ALL = "all"
    RANGE = "range"


class VersionSelector(NamedTuple):
    """The versions of one client a target covers; ``low``/``high`` bound a RANGE."""

    mode: Mode = Mode.CURRENT
    low: Version | None = None
    low_inclusive: bool = True
    high: Version | None = None
    high_inclusive: bool = True

    def __str__(self) -> str:
        if self.mode is not Mode.RANGE:
            return f"@{self.mode.value}"
        if self.low is not None and self.low == self.high:
            return f"={self.low}"
        if self.low is not None and self.high is not None:
            return f"@{self.low}..{self.high}"
        if self.low is not None:
            return f"{'>=' if self.low_inclusive else '>'}{self.low}"
        return f"{'<=' if self.high_inclusive else '<'}{self.high}"

    def select(self, results: Sequence[VersionStat]) -> tuple[VersionStat, ...]:
        """The results (oldest first, as in ``Feature.stats``) this selector covers."""
        if self.mode is Mode.CURRENT:
            return tuple(results[-1:])
        if self.mode is Mode.ALL:
            return tuple(results)
        versions = [r.version for r in results]
        return tuple(r for i, r in enumerate(results) if self._covers(versions, i))

    def _covers(self, versions: Sequence[Version], index: int) -> bool:
        version = versions[index]
        if self.low is not None and self.low == self.high:
            return version.comparable(self.low) and version.key == self.low.key
        return self._above_low(versions, index) and self._below_high(versions, index)

    def _above_low(self, versions: Sequence[Version], index: int) -> bool:
        low = self.low
        if low is None:
            return True
        if versions[index].comparable(low):
            return _after(versions[index], low, self.low_inclusive)
        # A label of another scheme ("16.80" against ">=2016") is placed by its
        # neighbours: it is out only if something tested after it is below the bound.
        later = [v for v in versions[index + 1 :] if v.comparable(low)]
        return all(_after(v, low, self.low_inclusive) for v in later)

    def _below_high(self, versions: Sequence[Version], index: int) -> bool:
        high = self.high
        if high is None:
            return True
        if versions[index].comparable(high):
            return _after(high, versions[index], self.high_inclusive)
        earlier = [v for v in versions[:index] if v.comparable(high)]
        return all(_after(high, v, self.high_inclusive) for v in earlier)


def _after(a: Version, b: Version, inclusive: bool) -> bool:
    return a >= b if inclusive else a > b


class Target(NamedTuple):
    """One client id and the versions of it that an email must support."""

    client: str
    selector: VersionSelector = VersionSelector()

    def __str__(self) -> str:
        if self.selector.mode is Mode.CURRENT:
            return self.client
        return f"{self.client}{self.selector}"


class Preset(NamedTuple):
    """A named list of target specs, with where its choice of clients comes from."""

    name: str
    description: str
    specs: tuple[str, ...]
    source: str


# The clients behind nearly all tracked opens in Litmus's market-share reports:
# Apple (iPhone, Mail, MPP), Gmail, Outlook, Yahoo Mail, Google Android (the Gmail
# app), Outlook.com and Samsung Mail. See docs/clients.md for the figures and caveats.
# Gmail's mobile web interface (mail.google.com in a phone browser) is left out: opens
# there are a sliver of Gmail's, which come from the apps and desktop webmail. The
# `mobile` preset and `gmail.*` still include it for teams whose audience uses it.
# Every supported Outlook: Windows desktop 2013 onwards (2007 and 2010 are out of support).
_OUTLOOK = (
    "outlook.windows>=2013",
    "outlook.windows-mail",
    "outlook.macos",
    "outlook.outlook-com",
    "outlook.ios",
    "outlook.android",
)
_GLOBAL = (
    "apple-mail.ios",
    "apple-mail.macos",
    "gmail.android",
    "gmail.desktop-webmail",
    "gmail.ios",
    *_OUTLOOK,
    "yahoo.*",
    "samsung-email.android",
)
_LITMUS = "Litmus Email Client Market Share, https://www.litmus.com/email-client-market-share/"

PRESETS: Mapping[str, Preset] = MappingProxyType(
    {
        "global": Preset(
            "global",
            "The clients that dominate opens: Apple Mail, Gmail, Outlook, Yahoo, Samsung.",
            _GLOBAL,
            _LITMUS,
        ),
        "outlook": Preset(
            "outlook",
            "Every Outlook: Windows desktop 2013 onwards (Word engine), Mac, mobile, web.",
            _OUTLOOK,
            "Microsoft's supported Office versions; 2007 and 2010 are out of support.",
        ),
        "mobile": Preset(
            "mobile",
            "The mobile apps and mobile webmail among the global clients.",
            (
                "apple-mail.ios",
                "gmail.android",
                "gmail.ios",
                "gmail.mobile-webmail",
                "outlook.ios",
                "outlook.android",
                "yahoo.ios",
                "yahoo.android",
                "samsung-email.android",
            ),
            _LITMUS,
        ),
        "all-clients": Preset(
            "all-clients",
            "Every client caniemail has tested, judged by its newest version.",
            ("*",),
            "caniemail",
        ),
    }
)


def resolve_targets(specs: Sequence[str]) -> tuple[Target, ...]:
    """Expand target specs and presets into targets, in first-seen order, without repeats.

    ValueError names the spec, what was expected, and a close match when there is one.
    """
    targets: dict[Target, None] = {}
    for spec in specs:
        for target in _expand(spec.strip(), seen_presets=()):
            targets.setdefault(target)
    return tuple(targets)


def _expand(spec: str, seen_presets: tuple[str, ...]) -> list[Target]:
    if spec in PRESETS:
        if spec in seen_presets:  # presets are constants, but guard a future edit
            raise ValueError(f"preset {spec!r} includes itself")
        preset = PRESETS[spec]
        return [t for s in preset.specs for t in _expand(s, (*seen_presets, spec))]
    match = _SPEC.fullmatch(spec)
    if match is None:
        raise ValueError(_unknown(spec, "a client glob such as 'gmail.*', or a preset"))
    clients = _match_clients(match["glob"], spec)
    selector = _parse_selector(match["at"], match["op"], match["version"], spec)
    _check_comparable(selector, clients, spec)
    return [Target(client, selector) for client in clients]


def _match_clients(glob: str, spec: str) -> list[str]:
    known = list(load_data().clients)
    if "." not in glob and not any(c in glob for c in "*?["):
        raise ValueError(_unknown(spec, "a client id 'family.platform' or a preset"))
    # "gmail.*" matches only ids; fnmatchcase because client ids are lower-case.
    matched = [c for c in known if fnmatch.fnmatchcase(c, glob.lower())]
    if not matched:
        raise ValueError(_unknown(spec, "a glob matching at least one client id"))
    return matched


def _parse_selector(at: str | None, op: str | None, raw: str | None, spec: str) -> VersionSelector:
    if at is not None:
        if at in ("current", "latest"):
            return VersionSelector(Mode.CURRENT)
        if at == "all":
            return VersionSelector(Mode.ALL)
        low, sep, high = at.partition("..")
        if not sep or not low or not high:
            raise ValueError(
                f"target {spec!r}: expected '@current', '@all' or '@OLD..NEW' after '@', "
                f"got '@{at}'"
            )
        first, last = parse_version(low), parse_version(high)
        if first.comparable(last) and first > last:
            raise ValueError(f"target {spec!r}: range '{low}..{high}' runs backwards")
        return VersionSelector(Mode.RANGE, low=first, high=last)
    if op is None or raw is None:
        return VersionSelector(Mode.CURRENT)
    version = parse_version(raw)
    if op in ("=", "=="):
        return VersionSelector(Mode.RANGE, low=version, high=version)
    if op.startswith(">"):
        return VersionSelector(Mode.RANGE, low=version, low_inclusive=op == ">=")
    return VersionSelector(Mode.RANGE, high=version, high_inclusive=op == "<=")


def _check_comparable(selector: VersionSelector, clients: Sequence[str], spec: str) -> None:
    """Reject a bound no matched client has a version to compare with (likely a typo)."""
    bounds = [b for b in (selector.low, selector.high) if b is not None]
    info = load_data().clients
    for bound in bounds:
        if any(v.comparable(bound) for c in clients for v in info[c].versions):
            continue
        known = info[clients[0]].versions
        sample = ", ".join(str(v) for v in (*known[:3], *known[-2:]))
        raise ValueError(
            f"target {spec!r}: no version of {', '.join(clients)} is numbered like "
            f"'{bound}' (known versions include {sample})"
        )


def _unknown(spec: str, expected: str) -> str:
    clients = list(load_data().clients)
    families = sorted({f"{c.partition('.')[0]}.*" for c in clients})
    name = re.split(r"[@<>=]", spec, maxsplit=1)[0]
    close = close_matches(name, [*PRESETS, *clients, *families])
    hint = f'; did you mean "{close[0]}"?' if close else ""
    return f"unknown target {spec!r}: expected {expected}{hint}"
