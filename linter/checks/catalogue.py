"""The modules whose @check functions the rule catalogue may name."""

from __future__ import annotations

from linter.checks.email import responsive, structure

MODULES = (structure, responsive)
