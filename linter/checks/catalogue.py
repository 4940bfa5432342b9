"""The modules whose @check functions the rule catalogue may name: every module of
linter.checks.email (and linter.checks.table), found by listing the packages, so a new
check module needs no registration step."""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType
from typing import Any

from linter.checks import CheckSpec
from linter.checks import email as email_checks


def _modules(package: ModuleType) -> tuple[ModuleType, ...]:
    names = sorted(m.name for m in pkgutil.iter_modules(package.__path__))
    return tuple(importlib.import_module(f"{package.__name__}.{n}") for n in names)


MODULES = _modules(email_checks)


def table_checks() -> dict[str, CheckSpec[Any]]:
    """Contact-data checks run batch-wise by linter.contacts; listed here so rules can name them."""
    from linter.contacts.checks import CHECKS

    return {
        name: CheckSpec(name, "table", dict, fn, (fn.__doc__ or name).strip().splitlines()[0])
        for name, fn in CHECKS.items()
    }
