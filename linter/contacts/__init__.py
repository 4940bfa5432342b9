"""Contact data: sniff, validate against a Table Schema plus marketing rules, split.

The names below load on first use (PEP 562), so importing a light submodule such as
linter.contacts.checks for the rule catalogue does not pull in polars and pyarrow.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# Eager, and light (stdlib only): the function `sniff` must shadow the submodule of that name.
from linter.contacts.sniff import ContactsInputError, Dialect, columns, sniff

if TYPE_CHECKING:
    from linter.contacts.api import check_file, split_file
    from linter.contacts.batch import BatchContext, BatchResult, check_batch, row_keys
    from linter.contacts.report import ContactsReport
    from linter.contacts.schema import ContactSchema, SchemaError, load_schema

_HOME = {
    "BatchContext": "batch",
    "BatchResult": "batch",
    "check_batch": "batch",
    "row_keys": "batch",
    "check_file": "api",
    "split_file": "api",
    "ContactsReport": "report",
    "ContactSchema": "schema",
    "SchemaError": "schema",
    "load_schema": "schema",
}


# The data stack is the `contacts` extra: a template-only install stays small and fast.
DATA_STACK = (
    "polars",
    "pyarrow",
    "email_validator",
    "phonenumbers",
    "disposable_email_domains",
    "dateutil",
)


def missing_data_stack(exc: ModuleNotFoundError) -> str | None:
    """The message for a contact file read without the contacts extra, or None when the
    missing module is something else (a bug, to be reported as one)."""
    if (exc.name or "").split(".")[0] not in DATA_STACK:
        return None
    return (
        f"contact files need presend's data extra ({exc.name} is not installed):"
        " pip install 'presend[contacts]'"
    )


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{home}"), name)


__all__ = [
    "DATA_STACK",
    "BatchContext",
    "BatchResult",
    "ContactSchema",
    "ContactsInputError",
    "ContactsReport",
    "Dialect",
    "SchemaError",
    "check_batch",
    "check_file",
    "columns",
    "load_schema",
    "missing_data_stack",
    "row_keys",
    "sniff",
    "split_file",
]
