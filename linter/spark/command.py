"""`presend data PATH --engine spark`: the same check on Spark, for files on storage Spark
reads (s3a://, abfss://, gs://, hdfs://, dbfs:/, local paths, folders and globs).

The SparkSession is whatever `getOrCreate()` gives: under `spark-submit` (or on a cluster
node whose spark-defaults.conf names a master) that cluster; run as plain `presend`, a
local Spark on every core (`PYSPARK_SUBMIT_ARGS="--master local[2] pyspark-shell"` to
choose). `--split CLEAN REJECTED` writes two Spark datasets (folders of part files): Parquet
when the name ends in .parquet, else CSV with a header and the input's delimiter. Neither
may exist yet (Spark refuses to write over a dataset), and neither may be the input.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from linter.contacts.report import ContactsReport
from linter.contacts.rules import ContactRule
from linter.contacts.schema import ContactSchema

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession


@dataclass(frozen=True)
class SparkJob:
    path: str
    schema: ContactSchema
    rules: tuple[ContactRule, ...]
    split: tuple[str, str] | None = None
    input_format: str | None = None
    delimiter: str | None = None
    multiline: bool = False


class SparkJobError(Exception):
    """An input or output Spark could not read or write: exit 2 with Spark's reason."""


def output_format(path: str) -> str:
    """Parquet for a path ending in .parquet or .pq, as for inputs; else CSV."""
    from linter.spark.io import input_format

    return input_format([path])


def run_job(job: SparkJob) -> ContactsReport:
    """Check (and split) the files; raises SparkJobError naming the file Spark failed on."""
    from py4j.protocol import Py4JJavaError
    from pyspark.errors import PySparkException

    from linter.spark import engine
    from linter.spark.io import default_delimiter, input_format, read, read_lines

    spark = _session()
    delimiter = job.delimiter
    try:
        fmt = job.input_format or input_format([job.path])
        source: engine.Lines | engine.Splits | DataFrame
        if fmt == "csv" and not job.multiline:  # parsed in the check pass: docs/scaling.md
            source = read_lines(spark, job.path, delimiter=delimiter)
        else:
            source = read(spark, job.path, format=fmt, delimiter=delimiter, multiline=job.multiline)
        if delimiter is None:
            delimiter = default_delimiter([job.path])
        done = engine.run(
            source, job.schema, rules=job.rules, split=job.split is not None, path=job.path,
            delimiter=delimiter,
        )  # fmt: skip
        if job.split is None:
            return done.report
        assert done.clean is not None and done.rejected is not None
        try:
            for frame, target in zip((done.clean, done.rejected), job.split, strict=True):
                _write(frame, target, delimiter)
        finally:
            done.unpersist()
        return done.report
    except (PySparkException, Py4JJavaError, engine.SparkInputError) as exc:
        raise SparkJobError(_reason(exc)) from None


def _session() -> SparkSession:
    """The session, with presend's defaults for what its Spark configuration leaves unset
    (`spark-submit --conf`, spark-defaults.conf and PYSPARK_SUBMIT_ARGS win)."""
    from pyspark.sql import SparkSession

    from linter.spark.batch import BATCH_ROWS

    builder = SparkSession.builder.appName("presend data")
    for key, text in _launch_settings().items():
        builder = builder.config(key, text)
    # No progress bars between the findings on a terminal (a cluster's settings stand).
    spark = builder.config("spark.ui.showConsoleProgress", "false").getOrCreate()
    # Spark's own error logs quote the records they fail on: presend reports the problem.
    spark.sparkContext.setLogLevel("FATAL")
    conf = spark.sparkContext.getConf()
    defaults: dict[str, int] = {
        # Arrow batches as large as the ones presend checks (Spark's default is 10,000 rows):
        # fewer round trips between the JVM and Python, no regrouping in Python.
        "spark.sql.execution.arrow.maxRecordsPerBatch": BATCH_ROWS,
    }
    if conf.get("spark.master", "").startswith("local"):
        # 200 shuffle partitions (the default, sized for clusters) is 200 small tasks and
        # files per shuffle on one machine; a few per core is enough there.
        defaults["spark.sql.shuffle.partitions"] = 4 * spark.sparkContext.defaultParallelism
    for key, value in defaults.items():
        if not conf.contains(key):
            spark.conf.set(key, value)
    return spark


def _launch_settings() -> dict[str, str]:
    """Settings for a local Spark that presend starts itself: the JVM's JIT compiles with C1
    only. On this path the JVM does little per row (the check pass reads and checks the rows
    in Python), and the C2 compiler spent ~10 of ~46 CPU-seconds at 10M rows compiling code
    that never paid it back (docs/scaling.md). Nothing when a session is running, when a
    master other than local is configured, or when the JVM's options are given anywhere."""
    from pyspark import SparkContext

    if SparkContext._active_spark_context is not None:
        return {}
    given = os.environ.get("PYSPARK_SUBMIT_ARGS", "")
    defaults = _spark_defaults()
    named = re.search(r"--master[ =](\S+)", given)
    master = named.group(1) if named else defaults.get("spark.master", "local")
    options = "java-options" in given or "extraJavaOptions" in given
    if not master.startswith("local") or options or "spark.driver.extraJavaOptions" in defaults:
        return {}
    return {"spark.driver.extraJavaOptions": "-XX:TieredStopAtLevel=1"}


def _spark_defaults() -> dict[str, str]:
    """spark-defaults.conf as spark-submit will read it (SPARK_CONF_DIR, else SPARK_HOME's
    conf, else pyspark's own)."""
    import pyspark

    home = os.environ.get("SPARK_HOME") or str(Path(pyspark.__file__).parent)
    folder = Path(os.environ.get("SPARK_CONF_DIR") or Path(home) / "conf")
    try:
        text = (folder / "spark-defaults.conf").read_text(encoding="utf-8")
    except OSError:
        return {}
    pairs = (line.split(None, 1) for line in text.splitlines() if line.strip()[:1] not in "#")
    return {p[0]: p[1].strip() if len(p) > 1 else "" for p in pairs}


def _write(frame: object, target: str, delimiter: str) -> None:
    from pyspark.sql import DataFrame

    assert isinstance(frame, DataFrame)
    if output_format(target) == "parquet":
        frame.write.parquet(target)
        return
    (
        frame.write.option("header", True)
        .option("sep", delimiter)
        .option("quote", '"')
        .option("escape", '"')  # RFC 4180: a quote inside quotes is doubled, as presend writes
        .option("emptyValue", "")  # an empty value written bare, as presend writes it
        .csv(target)
    )


def _reason(exc: Exception) -> str:
    """What Spark could not do, without its JVM stack trace, and without the record's
    values (Spark quotes them; presend's messages name rows, never values)."""
    from linter.spark.splits import SplitInputError

    text = str(exc)
    ours = re.search(r"PRESEND_MALFORMED (.*?\[MALFORMED_RECORD\])", text)
    if ours:  # from the check pass's own CSV parsing (linter.spark.batch.parse_lines)
        return ours.group(1)
    mark = re.escape(SplitInputError.MARK)
    ours = re.search(rf"{mark}\[(.*?)\]{mark}", text, re.DOTALL)
    if ours:  # from the check pass reading its own splits (linter.spark.splits)
        return ours.group(1)
    classes = list(dict.fromkeys(re.findall(r"\[([A-Z_]+(?:\.[A-Z_]+)?)\]", text)))
    where = re.search(r"reading file (\S+?)\.?\s", text)
    if any("MALFORMED" in c for c in classes):
        return (
            f"{where.group(1) if where else 'an input file'}: a malformed CSV record (too few"
            " or too many fields, or a line break inside quotes: --multiline reads those)"
            f" [{', '.join(classes)}]"
        )
    lines = [
        line.strip(": ").strip()
        for line in text.splitlines()
        if line.strip() and not line.startswith("An error occurred while calling")
    ]
    return lines[0] if lines else type(exc).__name__


def refuse_outputs(path: str, split: tuple[str, str] | None) -> str | None:
    """Outputs that are the input, each other, or already there (locally) lose data."""
    if split is None:
        return None
    clean, rejected = split
    if clean.rstrip("/") == rejected.rstrip("/"):
        return f"--split {clean} {rejected}: the clean and rejected outputs must differ"
    for target in split:
        if target.rstrip("/") == path.rstrip("/"):
            return f"--split {target}: would overwrite the input {path}"
        if "://" not in target and Path(target).exists():
            return f"--split {target}: already exists (Spark writes a new folder; remove it first)"
    return None


def main(argv: list[str] | None = None) -> None:
    """spark-submit's entry point: `spark-submit …/linter/spark/submit.py PATH [options]` is
    `presend data PATH --engine spark [options]`."""
    from linter.cli import main as cli

    cli(["data", *(sys.argv[1:] if argv is None else argv), "--engine", "spark"])
