"""Contact data: sniff, validate against a Table Schema plus marketing rules, split."""

from linter.contacts.api import check_file, columns, split_file
from linter.contacts.report import ContactsReport
from linter.contacts.schema import ContactSchema, SchemaError, load_schema
from linter.contacts.sniff import ContactsInputError, Dialect, sniff

__all__ = [
    "ContactSchema",
    "ContactsInputError",
    "ContactsReport",
    "Dialect",
    "SchemaError",
    "check_file",
    "columns",
    "load_schema",
    "sniff",
    "split_file",
]
