"""`presend data`: validate one contact import and, with --split, quarantine the bad rows."""

from __future__ import annotations

import os
import stat
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import linter
from linter import encodings
from linter.commands import EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE
from linter.config import load_data_config
from linter.contacts.rules import resolved_rules
from linter.contacts.schema import SchemaError, configured_schema
from linter.contacts.sniff import ContactsInputError, delimiter_problem, sniff
from linter.findings import Severity
from linter.reporters import ReportContext, renderer
from linter.sources import crash_error

if TYPE_CHECKING:
    from linter.contacts.report import ContactsReport

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
    engine: str = "local"  # or "spark": linter.spark (docs/scaling.md)
    input_format: str | None = None  # spark: csv or parquet (default from the path's suffix)
    multiline: bool = False  # spark: quoted CSV values may span lines


def run(opts: DataOptions) -> int:
    # Light modules: the data stack (polars, pyarrow: ~0.2 s) loads once the file has been
    # sniffed (api), so a usage or input error is reported without it.
    from linter.contacts import api, missing_data_stack

    if opts.engine == "spark":
        return _run_spark(opts)
    if opts.input_format or opts.multiline:
        print("presend: --input-format and --multiline need --engine spark", file=sys.stderr)
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
    problem = (
        _input_problem(opts.path)
        or _split_problem(opts.path, opts.split)
        or _encoding_problem(opts.encoding)
    )
    if problem:
        print(f"presend: {problem}", file=sys.stderr)
        return EXIT_USAGE
    config = load_data_config(opts.config, opts.path).with_reading(opts.encoding, opts.delimiter)
    reading = config.file.contacts
    rules = resolved_rules(opts.path, config)
    encoding, delimiter = reading.encoding or None, reading.delimiter or None
    kwargs: dict[str, object] = {
        "encoding": encoding,
        "delimiter": delimiter,
        "progress": opts.progress,
        "rules": rules,
    }
    head = None
    try:
        # The file's head first: a file that cannot be read as a table is reported before
        # the schema (whose patterns polars compiles) loads the data stack.
        dialect = kwargs["dialect"] = sniff(
            opts.path, encoding=encoding, delimiter=delimiter, defer=True
        )
        # pyarrow parses the first chunks while polars is imported (reader.HeadStart).
        from linter.contacts.reader import head_start

        head = kwargs["head"] = head_start(opts.path, dialect)
        schema = configured_schema(config, opts.schema)
        if opts.split:
            report = api.split_file(opts.path, *opts.split, schema, **kwargs)  # type: ignore[arg-type]
        else:
            report = api.check_file(opts.path, schema, **kwargs)  # type: ignore[arg-type]
    except (ContactsInputError, SchemaError, OSError) as exc:
        print(f"presend: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except ModuleNotFoundError as exc:  # installed without the contacts extra
        message = missing_data_stack(exc)
        if message is None:
            raise
        print(f"presend: {opts.path}: {message}", file=sys.stderr)
        return EXIT_USAGE
    except Exception as exc:  # a bug met on this file: name the file, as check does
        print(f"presend: {crash_error(opts.path, exc)}", file=sys.stderr)
        return EXIT_USAGE
    finally:
        if head is not None:
            head.close()  # unused when the schema failed; a no-op once read
    return _output(opts, report, config.fail_on)


def _output(opts: DataOptions, report: ContactsReport, configured: Severity) -> int:
    ctx = ReportContext(linter.__version__, 1)
    sys.stdout.write(renderer(opts.format)(report.findings, ctx))
    # Reconciliation goes to stderr so machine formats on stdout stay parseable.
    print(report.summary(), file=sys.stderr if opts.format != "text" else sys.stdout)
    fail_on = Severity.parse(opts.fail_on) if opts.fail_on else configured
    failing = any(f.severity.rank >= fail_on.rank for f in report.findings)
    return EXIT_FINDINGS if failing else EXIT_CLEAN


def _run_spark(opts: DataOptions) -> int:
    """--engine spark: the files (any storage Spark reads) checked by linter.spark."""
    try:
        from linter.spark.command import SparkJob, SparkJobError, refuse_outputs, run_job
    except ModuleNotFoundError as exc:
        print(
            f"presend: --engine spark needs pyspark ({exc.name} is not installed):"
            " pip install 'presend[spark]' (and Java 17+)",
            file=sys.stderr,
        )
        return EXIT_USAGE
    if opts.encoding and encodings.text_encoding(opts.encoding) != "utf-8":
        print("presend: --engine spark reads UTF-8 only (--encoding)", file=sys.stderr)
        return EXIT_USAGE
    problem = refuse_outputs(opts.path, opts.split)
    if problem:
        print(f"presend: {problem}", file=sys.stderr)
        return EXIT_USAGE
    # PATH may be a URI or a glob: the config is the one found from here, as for check.
    config = load_data_config(opts.config, ".").with_reading(None, opts.delimiter)
    delimiter = config.file.contacts.delimiter or None
    problem = delimiter_problem(delimiter) if delimiter is not None else None
    if problem:  # as sniff refuses it for a local run
        print(f"presend: {problem}", file=sys.stderr)
        return EXIT_USAGE
    try:
        job = SparkJob(
            opts.path,
            configured_schema(config, opts.schema),
            resolved_rules(opts.path, config),
            opts.split,
            opts.input_format,
            delimiter,
            opts.multiline,
        )
        report = run_job(job)
    except (SchemaError, SparkJobError, OSError) as exc:
        print(f"presend: {opts.path}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    return _output(opts, report, config.fail_on)


def _input_problem(path: str) -> str | None:
    """The file is read more than once (sniffed, then streamed): a pipe or device, which
    reads once, would leave the second read waiting for bytes that never come."""
    try:
        regular = stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return None  # missing or unreadable: the reader's own error names it
    if regular:
        return None
    return (
        f"{path}: not a regular file: presend data reads a file more than once, a pipe or"
        " device only once; save it to a file first"
    )


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
