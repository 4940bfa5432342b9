"""Every check the rule catalogue may name: the @check functions of each module in
linter.checks.email and linter.checks.message (found by listing the packages, so a new
module needs no registration step) and the contact-data checks of linter.contacts."""

from __future__ import annotations

import importlib
import os
from functools import cache
from types import ModuleType
from typing import Any

from linter.checks import CheckFn, CheckSpec


@cache
def modules() -> tuple[ModuleType, ...]:
    """Every email and message check module, imported on the first call (not with this
    module: the contact checks' names, table_checks(), are wanted without the HTML engine)."""
    from linter.checks import email as email_checks
    from linter.checks import message as message_checks

    return tuple(
        importlib.import_module(f"{package.__name__}.{name}")
        for package in (email_checks, message_checks)
        for name in module_names(package.__path__[0])
    )


def module_names(folder: str) -> list[str]:
    """The modules of a package folder of plain .py files, as pkgutil.iter_modules lists
    them (a test checks it), without importing pkgutil and importlib.util (~0.9 ms)."""
    names = (n[:-3] for n in os.listdir(folder) if n.endswith(".py"))
    return sorted(n for n in names if n.isidentifier() and n != "__init__")  # not ".#x" locks


def _deferred(name: str) -> CheckFn:
    """A stand-in that looks the contact check up (importing its module) only when called."""

    def call(*args: Any, **kwargs: Any) -> Any:
        from linter.contacts.checks import CHECKS

        return CHECKS[name](*args, **kwargs)

    call.__name__ = call.__qualname__ = name.replace("-", "_")
    return call


def table_checks() -> dict[str, CheckSpec[Any]]:
    """Contact-data checks run batch-wise by linter.contacts; listed here so rules can name them.

    Only the names are read (linter.checks.table), without importing linter.contacts or
    its check modules (polars, pyarrow, email-validator, phonenumbers), which would
    cost every presend command, even `--help`, ~0.2 s or more of start-up.
    """
    from linter.checks.table import TARGETS

    return {
        name: CheckSpec(name, "table", dict, _deferred(name), f"contact data check {target}")
        for name, target in TARGETS.items()
    }


def registry() -> dict[str, CheckSpec[Any]]:
    """All known checks by name."""
    found: dict[str, CheckSpec[Any]] = {}
    for module in modules():
        for value in vars(module).values():
            if isinstance(value, CheckSpec):
                if value.name in found and found[value.name] is not value:
                    raise RuntimeError(f"check {value.name!r} is defined twice")
                found[value.name] = value
    found.update(table_checks())
    return found
