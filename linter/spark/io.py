"""Reading contact lists with Spark: CSV or Parquet files, every column as text, each row
with its place in the input (file, block, position) so that rows are numbered as
`presend data` numbers them on the files concatenated in path order."""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence

import pyarrow as pa
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as sf

from linter.contacts.sniff import ContactsInputError, check_header
from linter.spark.batch import LINE
from linter.spark.engine import Lines, SparkInputError, Splits, located
from linter.spark.splits import (
    DESCRIPTOR,
    CsvSplits,
    SplitInputError,
    file_sizes,
    first_line,
    plan_splits,
    shown,
)

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
    spark: SparkSession,
    paths: str | Sequence[str],
    *,
    delimiter: str | None = None,
    direct: bool = True,
) -> Lines | Splits:
    """CSV files (as `read` takes them; a header row in every file) to be parsed by pyarrow
    in the check pass itself instead of by Spark's CSV reader: the same rows and values, a
    fraction of the CPU (docs/scaling.md). Quoted values may not hold line breaks (use
    `read(..., multiline=True)` for those); blank lines are skipped, as Spark's CSV reader
    skips them; every file's header line must be the first file's.

    Spark lists the files (folders, globs, hidden files left out, as its readers do). When
    pyarrow opens them all (local files, s3a://, gs://, abfss://, hdfs:// with libhdfs) and
    `direct`, each task reads its own byte range of a file with pyarrow (Splits), and the JVM
    never sees a row; otherwise the files are read as lines by Spark's text source, which
    reads whatever storage Spark reads (Lines)."""
    given = [paths] if isinstance(paths, str) else list(paths)
    delimiter = delimiter or default_delimiter(given)
    text = spark.read.text(given)  # listed once, whichever way the files are then read
    if direct:
        found = csv_splits(spark, text.inputFiles(), delimiter)
        if found is not None:
            return Splits(descriptors(spark, found), found)
    # A UTF-8 byte-order mark (Excel's "CSV UTF-8") is not part of the first field's name;
    # Spark's text reader keeps it, so it is taken off each line that starts with one.
    value = sf.col("value")
    value = sf.when(value.startswith(_BOM), sf.expr("substring(value, 2)")).otherwise(value)
    files = sorted(text.inputFiles())
    first = spark.read.text(files[0]).where(sf.length("value") > 0).limit(1).collect()
    if not first:
        raise SparkInputError(f"{files[0]}: no header row")
    header_line = first[0][0].removeprefix(_BOM)
    names = _header_names(files[0], header_line, delimiter)
    lines = text.where(sf.length("value") > 0).select(value.alias(LINE))
    df = located(lines, sf.col("_metadata.file_path"), sf.col("_metadata.file_block_start"))
    return Lines(df, tuple(names), header_line, delimiter)


def csv_splits(spark: SparkSession, files: Sequence[str], delimiter: str) -> CsvSplits | None:
    """The files (as Spark listed them) in byte ranges for the check pass to read with
    pyarrow, sized as Spark sizes its file splits; None when pyarrow cannot open one of them
    (a file system it has no driver for, or no access from here)."""
    files = sorted(files)
    if not files:
        raise SparkInputError("no input files")
    try:
        sizes = file_sizes(files)
        head = first_line(files[0])
    except UnicodeDecodeError:
        raise SparkInputError(f"{shown(files[0])}: its header is not UTF-8 text") from None
    except SplitInputError as exc:  # read, and not a CSV file: never one for the fallback
        raise SparkInputError(exc.reason) from None
    except (OSError, ValueError, ImportError, pa.ArrowException):
        return None  # pyarrow cannot read this storage from here: Spark's text source will
    if head is None:
        raise SparkInputError(f"{shown(files[0])}: no header row")
    header_line, newline = head
    names = _header_names(shown(files[0]), header_line, delimiter)
    split_bytes = _split_bytes(spark, sum(sizes), len(files))
    splits = plan_splits(list(zip(files, sizes, strict=True)), split_bytes)
    return CsvSplits(splits, tuple(names), header_line, delimiter, newline)


def _header_names(where: str, line: str, delimiter: str) -> list[str]:
    """The header line's names; a header presend data would refuse (a name given twice,
    say) is refused here too."""
    names = next(csv.reader([line], delimiter=delimiter, quotechar='"'))
    try:
        check_header(where, names, delimiter)
    except ContactsInputError as exc:
        raise SparkInputError(str(exc)) from None
    return names


def descriptors(spark: SparkSession, found: CsvSplits) -> DataFrame:
    """One row a split (DESCRIPTOR: index, path, byte start and end), one split a partition:
    `range` places one index in each, and the descriptors join it by broadcast (shipped to
    each executor once, not with every task)."""
    count = len(found.splits)
    columns = (range(count), *zip(*((s.path, s.start, s.end) for s in found.splits), strict=True))
    types = (pa.int64(), pa.string(), pa.int64(), pa.int64())
    # From Arrow, a local relation in the plan: no Python job to make or broadcast it.
    table = spark.createDataFrame(
        pa.table([pa.array(c, t) for c, t in zip(columns, types, strict=True)], DESCRIPTOR)
    )
    ids = spark.range(0, count, 1, numPartitions=count)
    return ids.join(sf.broadcast(table), "id").select(*DESCRIPTOR)


def _split_bytes(spark: SparkSession, total: int, files: int) -> int:
    """How Spark sizes file splits (FilePartition.maxSplitBytes): at most
    spark.sql.files.maxPartitionBytes, fewer bytes when that leaves a core idle."""
    most = _bytes(spark.conf.get("spark.sql.files.maxPartitionBytes", "128m"))
    open_cost = _bytes(spark.conf.get("spark.sql.files.openCostInBytes", "4m"))
    try:
        cores = spark.sparkContext.defaultParallelism
    except Exception:  # Spark Connect has no SparkContext: Spark's own default there
        cores = int(spark.conf.get("spark.default.parallelism", "1") or 1)
    per_core = (total + files * open_cost) // max(cores, 1)
    return max(min(most, max(open_cost, per_core)), 1)


_UNITS = {"": 1, "b": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40}


def _bytes(text: str | None) -> int:
    """A size as Spark writes one ("134217728b", "64m", "1g")."""
    match = re.fullmatch(r"\s*(\d+)\s*([bkmgt]?)b?\s*", (text or "").lower())
    if match is None:
        raise SparkInputError(f"{text!r}: not a size in bytes")
    return int(match.group(1)) * _UNITS[match.group(2)]
