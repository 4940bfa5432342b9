"""Reading contact lists with Spark: CSV or Parquet files, every column as text, each row
with its place in the input (file, block, position) so that rows are numbered as
`presend data` numbers them on the files concatenated in path order."""

from __future__ import annotations

import csv
from collections.abc import Sequence

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as sf

from linter.contacts.sniff import ContactsInputError, check_header
from linter.spark.batch import LINE
from linter.spark.engine import Lines, SparkInputError, located

FORMATS = ("csv", "parquet")
_BOM = "\ufeff"


def default_delimiter(paths: Sequence[str]) -> str:
    """Tab when every path ends in .tsv, else comma (as `presend data` reads them)."""
    return "\t" if all(p.lower().endswith(".tsv") for p in paths) else ","


def input_format(paths: Sequence[str]) -> str:
    """Parquet when the paths end in .parquet (or .pq), else CSV."""
    ends = {p.rstrip("/").rsplit(".", 1)[-1].lower() for p in paths}
    return "parquet" if ends and ends <= {"parquet", "pq"} else "csv"


def read(
    spark: SparkSession,
    paths: str | Sequence[str],
    *,
    format: str | None = None,
    delimiter: str | None = None,
    multiline: bool = False,
) -> DataFrame:
    """The files (paths, folders or globs Spark reads: s3a://, abfss://, dbfs:/ ...) as one
    DataFrame of text columns plus the order key the engine numbers rows by.

    CSV: a header row in every file (checked to match the first file's), RFC 4180 quoting
    (`""` inside quotes), and a malformed record (too few or too many fields) is an error,
    never padded (Spark's FAILFAST mode). `multiline`: quoted values may hold line breaks,
    which makes each file one task (Spark cannot split such a file); without it a quoted
    line break is a malformed-record error. Parquet: typed columns are read as their text.
    """
    given = [paths] if isinstance(paths, str) else list(paths)
    fmt = format or input_format(given)
    if fmt not in FORMATS:
        raise ValueError(f"format {fmt!r}: expected one of {', '.join(FORMATS)}")
    if fmt == "csv":
        df = (
            spark.read.option("header", True)
            .option("sep", delimiter or default_delimiter(given))
            .option("quote", '"')
            .option("escape", '"')
            .option("mode", "FAILFAST")
            .option("enforceSchema", False)
            .option("multiLine", multiline)
            .option("encoding", "UTF-8")
            .csv(given)
        )
    else:
        df = spark.read.parquet(*given)
        df = df.select(*(sf.col(c).cast("string").alias(c) for c in df.columns))
    return located(df, sf.col("_metadata.file_path"), sf.col("_metadata.file_block_start"))


def read_lines(
    spark: SparkSession, paths: str | Sequence[str], *, delimiter: str | None = None
) -> Lines:
    """CSV files (as `read` takes them; a header row in every file) as their lines, to be
    parsed by pyarrow in the check pass itself instead of by Spark's CSV reader: the same
    rows and values, about a third of the CPU (docs/scaling.md). Quoted values may not hold
    line breaks (use `read(..., multiline=True)` for those); blank lines are skipped, as
    Spark's CSV reader skips them; every file's header line must be the first file's."""
    given = [paths] if isinstance(paths, str) else list(paths)
    delimiter = delimiter or default_delimiter(given)
    # A UTF-8 byte-order mark (Excel's "CSV UTF-8") is not part of the first field's name;
    # Spark's text reader keeps it, so it is taken off each line that starts with one.
    value = sf.col("value")
    value = sf.when(value.startswith(_BOM), sf.expr("substring(value, 2)")).otherwise(value)
    text = spark.read.text(given)
    files = sorted(text.inputFiles())
    first = spark.read.text(files[0]).where(sf.length("value") > 0).limit(1).collect()
    if not first:
        raise SparkInputError(f"{files[0]}: no header row")
    header_line = first[0][0].removeprefix(_BOM)
    names = next(csv.reader([header_line], delimiter=delimiter, quotechar='"'))
    try:  # the header presend data would refuse (a name given twice, say) is refused here
        check_header(files[0], names, delimiter)
    except ContactsInputError as exc:
        raise SparkInputError(str(exc)) from None
    lines = text.where(sf.length("value") > 0).select(value.alias(LINE))
    df = located(lines, sf.col("_metadata.file_path"), sf.col("_metadata.file_block_start"))
    return Lines(df, tuple(names), header_line, delimiter)
