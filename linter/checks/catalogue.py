"""The modules whose @check functions the rule catalogue may name: every module of
linter.checks.email (and linter.checks.table), found by listing the packages, so a new
check module needs no registration step."""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType

from linter.checks import email as email_checks


def _modules(package: ModuleType) -> tuple[ModuleType, ...]:
    names = sorted(m.name for m in pkgutil.iter_modules(package.__path__))
    return tuple(importlib.import_module(f"{package.__name__}.{n}") for n in names)


MODULES = _modules(email_checks)
