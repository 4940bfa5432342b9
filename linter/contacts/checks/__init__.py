"""Contact checks: pure functions over one text batch, keyed by the name rules use in TOML.

`CHECKS` maps each name to "module:function" in this package and imports a check module only
when one of its functions is first looked up. The rule catalogue, which every presend command
loads, only needs the names; listing them must not cost the polars/pyarrow/email-validator/
phonenumbers imports (~0.2 s+) that the check modules need.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

# name -> "module:function"; in linter.checks so that the catalogue reads it without this package
from linter.checks.table import TARGETS

if TYPE_CHECKING:
    from linter.contacts.checks.base import Batch, Check, Context, Violation

# The whole-list rules: their checks give each row's key (Violation.keys and .values), and a
# row breaks them when its key repeats an earlier row's anywhere in the list. Every other
# check decides each row from that row alone.
WHOLE_LIST = frozenset({"unique-email", "unique-value"})


class _Checks(Mapping[str, "Check"]):
    """Read-only name -> check function; a module is imported on its first lookup."""

    def __init__(self, targets: Mapping[str, str]) -> None:
        self._targets = targets
        self._resolved: dict[str, Check] = {}

    def __getitem__(self, name: str) -> Check:
        fn = self._resolved.get(name)
        if fn is None:
            module, _, attr = self._targets[name].partition(":")
            fn = getattr(importlib.import_module(f"{__name__}.{module}"), attr)
            self._resolved[name] = fn
        return fn

    def __contains__(self, name: object) -> bool:
        return name in self._targets  # no import: rules.py and the catalogue ask this

    def __iter__(self) -> Iterator[str]:
        return iter(self._targets)

    def __len__(self) -> int:
        return len(self._targets)


CHECKS: Mapping[str, Check] = _Checks(TARGETS)


def load_all() -> None:
    """Import every check module now (the runner does, before it starts its threads)."""
    for name in CHECKS:
        CHECKS[name]


def prepare_batch(batch: Batch, ctx: Context) -> None:
    """Compute the derived columns several checks share (memoised on `batch`) ahead of the
    checks, e.g. on another thread; the checks give the same result with or without it."""
    from linter.contacts.checks import email, fields

    email.prepare(batch, ctx)
    fields.prepare(batch, ctx)


def warm(ctx: Context) -> None:
    """Build what checks look values up in, once per run and cached (domain lists, country and
    consent spellings: ~15 ms of Python), ahead of the first batch: the runner calls this on
    the thread that reads the file while the first chunk parses, so the two workers do not
    both build them (holding the GIL) on their first batches. Later calls cost nothing."""
    from linter.contacts.checks import email, marketing

    email.warm(ctx)
    marketing.warm(ctx)


def __getattr__(name: str) -> Any:
    # The shared types live in .base (which imports polars); loaded when first asked for.
    if name in ("Batch", "Check", "Context", "Violation"):
        return getattr(importlib.import_module(f"{__name__}.base"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "CHECKS",
    "TARGETS",
    "WHOLE_LIST",
    "Batch",
    "Check",
    "Context",
    "Violation",
    "load_all",
    "prepare_batch",
    "warm",
]
