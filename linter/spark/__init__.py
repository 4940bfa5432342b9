"""presend's contact checks on Apache Spark: the same rules and answers as `presend data`,
on a DataFrame (docs/scaling.md).

    from linter.spark import read, check, split
    df = read(spark, "s3a://bucket/contacts/*.csv")      # or any DataFrame of text columns
    df = read_lines(spark, "s3a://bucket/contacts/*.csv")  # or CSV parsed in the check pass
    report = check(df, "contacts.schema.json")            # a ContactsReport, as check_file's
    clean, rejected = split(df, "contacts.schema.json")  # rejected: + _row, _reasons

Per-row rules run in executors on Arrow batches (`mapInArrow`) with presend's own batch
checks; duplicates and unique keys are decided by Spark's shuffle, grouped by the normalised
key. Needs the `spark` extra (`pip install 'presend[spark]'`) or a cluster's own pyspark.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from linter.contacts.rules import ContactRule

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

    from linter.contacts.report import ContactsReport
    from linter.contacts.schema import ContactSchema
    from linter.spark.engine import Lines, SparkRun, Splits
    from linter.spark.io import read, read_lines


def run(
    df: DataFrame | Lines | Splits,
    schema: str | Path | ContactSchema | None = None,
    *,
    split: bool = False,
    rules: tuple[ContactRule, ...] | None = None,
    today: date | None = None,
    path: str = "<dataframe>",
) -> SparkRun:
    """The report and, with `split`, the clean and rejected DataFrames (see SparkRun)."""
    from linter.contacts.schema import as_schema
    from linter.spark import engine

    return engine.run(df, as_schema(schema), rules=rules, today=today, split=split, path=path)


def check(
    df: DataFrame | Lines | Splits,
    schema: str | Path | ContactSchema | None = None,
    *,
    rules: tuple[ContactRule, ...] | None = None,
    today: date | None = None,
) -> ContactsReport:
    """Validate `df`: findings one per rule and column, with counts and first rows, as
    `presend data` reports them. `schema`: a Table Schema path, a ContactSchema, or None for
    the bundled default."""
    return run(df, schema, rules=rules, today=today).report


def split(
    df: DataFrame | Lines | Splits,
    schema: str | Path | ContactSchema | None = None,
    *,
    rules: tuple[ContactRule, ...] | None = None,
    today: date | None = None,
) -> tuple[DataFrame, DataFrame]:
    """(clean, rejected): every row in exactly one; rejected rows carry `_row` and `_reasons`
    exactly as `presend data --split` writes them. The checked rows stay persisted for the
    two writes; use `run(..., split=True)` for the report and `unpersist()` too."""
    done = run(df, schema, split=True, rules=rules, today=today)
    assert done.clean is not None and done.rejected is not None
    return done.clean, done.rejected


def __getattr__(name: str) -> Any:
    # read and read_lines are linter.spark.io's, loaded on first use: importing this
    # package (executors import linter.spark.batch) must not need pyspark.
    if name in ("read", "read_lines"):
        from linter.spark import io

        return getattr(io, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["check", "read", "read_lines", "run", "split"]
