"""`presend data`: validate one contact import and, with --split, quarantine the bad rows."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from linter import __version__, encodings
from linter.commands import EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE
from linter.commands.check import load_config
from linter.findings import Severity
from linter.reporters import ReportContext, renderer
from linter.sources import crash_error

TABLE_SUFFIXES = (".csv", ".tsv", ".txt")


@dataclass(frozen=True)
class DataOptions:
    path: str
    split: tuple[str, str] | None = None  # (clean, rejected)
    schema: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    format: str = "text"
    config: str | None = None
    fail_on: str | None = None
    progress: bool = False


def run(opts: DataOptions) -> int:
    # Imported here: the CLI imports this module for every command, and these pull in
    # polars and pyarrow (~0.2 s), which only `presend data` needs.
    try:
        from linter.contacts import api
        from linter.contacts.lint import configured_schema, resolved_rules
        from linter.contacts.schema import SchemaError
        from linter.contacts.sniff import ContactsInputError
    except ModuleNotFoundError as exc:
        from linter.contacts import missing_data_stack

        message = missing_data_stack(exc)
        if message is None:
            raise
        print(f"presend: {opts.path}: {message}", file=sys.stderr)
        return EXIT_USAGE

    if opts.delimiter is None and Path(opts.path).suffix.lower() not in TABLE_SUFFIXES:
        # Sniffing an .html or .json file finds "a table" of one column and reports every
        # required column missing; refusing names the real mistake.
        print(
            f"presend: {opts.path}: not a contact table: presend data reads .csv, .tsv or "
            ".txt files (pass --delimiter to read this file as one anyway)",
            file=sys.stderr,
        )
        return EXIT_USAGE
    problem = _split_problem(opts.path, opts.split) or _encoding_problem(opts.encoding)
    if problem:
        print(f"presend: {problem}", file=sys.stderr)
        return EXIT_USAGE
    config = load_config(opts.config, (opts.path,)).with_reading(opts.encoding, opts.delimiter)
    reading = config.file.contacts
    rules = resolved_rules(opts.path, config)
    kwargs = {
        "encoding": reading.encoding or None,
        "delimiter": reading.delimiter or None,
        "progress": opts.progress,
        "rules": rules,
    }
    try:
        schema = configured_schema(config, opts.schema)
        if opts.split:
            report = api.split_file(opts.path, *opts.split, schema, **kwargs)  # type: ignore[arg-type]
        else:
            report = api.check_file(opts.path, schema, **kwargs)  # type: ignore[arg-type]
    except (ContactsInputError, SchemaError, OSError) as exc:
        print(f"presend: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except Exception as exc:  # a bug met on this file: name the file, as check does
        print(f"presend: {crash_error(opts.path, exc)}", file=sys.stderr)
        return EXIT_USAGE
    ctx = ReportContext(__version__, 1)
    sys.stdout.write(renderer(opts.format)(report.findings, ctx))
    # Reconciliation goes to stderr so machine formats on stdout stay parseable.
    print(report.summary(), file=sys.stderr if opts.format != "text" else sys.stdout)
    fail_on = Severity.parse(opts.fail_on) if opts.fail_on else config.fail_on
    failing = any(f.severity.rank >= fail_on.rank for f in report.findings)
    return EXIT_FINDINGS if failing else EXIT_CLEAN


def _split_problem(path: str, split: tuple[str, str] | None) -> str | None:
    """Outputs that would overwrite each other or the input lose rows: refuse them."""
    if not split:
        return None
    clean, rejected = (Path(p).resolve() for p in split)
    if clean == rejected:
        return f"--split {split[0]} {split[1]}: the clean and rejected files must differ"
    source = Path(path).resolve()
    for given, resolved in zip(split, (clean, rejected), strict=True):
        if resolved == source:
            return f"--split {given}: would overwrite the input file {path}"
    return None


def _encoding_problem(encoding: str | None) -> str | None:
    if not encoding:
        return None
    reason = encodings.problem(encoding)
    return f"--encoding {encoding}: {reason}" if reason else None
