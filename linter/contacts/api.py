"""What the CLI calls: check a contact file, split it into clean and rejected rows, list columns.

`columns` lives in sniff.py (reading a header needs none of the checks' libraries) and is
re-exported here.
"""

from __future__ import annotations

from contextlib import nullcontext
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from linter.contacts.report import ContactsReport
from linter.contacts.rules import ContactRule
from linter.contacts.schema import ContactSchema, as_schema
from linter.contacts.sniff import Dialect, columns, sniff

if TYPE_CHECKING:
    from linter.contacts.reader import HeadStart
    from linter.contacts.runner import Runner


def check_file(
    path: str | Path,
    schema_path: str | Path | ContactSchema | None = None,
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
    progress: bool = False,
    today: date | None = None,
    rules: tuple[ContactRule, ...] | None = None,
    dialect: Dialect | None = None,
    head: HeadStart | None = None,
) -> ContactsReport:
    """Validate a contact file; findings are one per rule and column, with counts and rows.
    `dialect`: the file as sniff(defer=True) read it, when the caller sniffed it already;
    `head`: its first chunks, being read meanwhile (`reader.head_start(path, dialect)`).

    Raises ContactsInputError (file:row:col) when the file cannot be read as a table and
    SchemaError when the schema is malformed.
    """
    runner = _run(
        path, schema_path, encoding, delimiter, progress, today, rules, None, dialect, head
    )
    return runner.report(str(path))


def split_file(
    path: str | Path,
    clean_path: str | Path,
    rejected_path: str | Path,
    schema_path: str | Path | ContactSchema | None = None,
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
    progress: bool = False,
    today: date | None = None,
    rules: tuple[ContactRule, ...] | None = None,
    dialect: Dialect | None = None,
    head: HeadStart | None = None,
) -> ContactsReport:
    """Like check_file, and write every row to exactly one of the two outputs, atomically.

    Rows failing an error-severity rule go to `rejected_path` with `_row` and `_reasons`.
    """
    outputs = (clean_path, rejected_path)
    runner = _run(
        path, schema_path, encoding, delimiter, progress, today, rules, outputs, dialect, head
    )
    return runner.report(str(path), str(clean_path), str(rejected_path))


def _run(
    path: str | Path,
    schema_path: str | Path | ContactSchema | None,
    encoding: str | None,
    delimiter: str | None,
    progress: bool,
    today: date | None,
    rules: tuple[ContactRule, ...] | None,
    outputs: tuple[str | Path, str | Path] | None,
    dialect: Dialect | None = None,
    head: HeadStart | None = None,
) -> Runner:
    schema = as_schema(schema_path)
    # A UTF-8 file's bytes are checked as the rows are read (one pass): see sniff(defer=).
    if dialect is None:
        dialect = sniff(path, encoding=encoding, delimiter=delimiter, defer=True)
    # The data stack (polars, pyarrow: ~0.2 s) loads only now: a file the sniff refuses
    # is reported without it.
    from linter.contacts.runner import run
    from linter.contacts.split import split_sink

    sinks = (
        nullcontext(None)
        if outputs is None
        else split_sink(*outputs, dialect.header, dialect.delimiter, schema.empty_is_missing)
    )
    with sinks as sink:
        day = today or date.today()
        return run(
            path, schema, dialect, today=day, sink=sink, progress=progress, rules=rules, head=head
        )


__all__ = ["check_file", "columns", "split_file"]
