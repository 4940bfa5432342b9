"""linter.spark on a real local Spark (local[2]): the same findings, counts and clean/rejected
rows as `presend data` on the same list, whether Spark reads it as one file, as part files,
as Parquet or from a DataFrame built in memory.

The session is started once (~10 s) and reads files in 64 KiB blocks, so a list of a few
thousand rows spans a dozen partitions and its duplicates fall in different ones.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from click.testing import CliRunner

from linter.cli import main
from linter.contacts import ContactsReport, check_file, split_file
from linter.findings import Finding

pytest.importorskip("pyspark", reason="pyspark is not installed: pip install 'presend[spark]'")
if not (shutil.which("java") or os.environ.get("JAVA_HOME")):
    pytest.skip("Java is not installed (Spark needs Java 17+)", allow_module_level=True)

from pyspark.sql import DataFrame, SparkSession

from linter.spark import check, read, read_lines, run
from linter.spark.engine import Lines, Splits

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
from contacts_gen import HEADER, generate  # noqa: E402

TODAY = date(2026, 1, 1)
ROWS = 4_000


@pytest.fixture(scope="module")
def spark() -> Iterator[SparkSession]:
    session = (
        SparkSession.builder.master("local[2]")
        .appName("presend tests")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.sql.files.maxPartitionBytes", 64 * 1024)  # many blocks per file
        .config("spark.sql.files.openCostInBytes", 0)
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def listing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated list with known defects, plus duplicates far from their first occurrence
    (other blocks, other partitions): an address differing only in case, a repeated unique
    customer id, and a repeat of an address whose first row is rejected for another reason."""
    path = tmp_path_factory.mktemp("spark") / "contacts.csv"
    generate(path, ROWS, seed=7)
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    first, second = rows[0], rows[1]
    bad = next(r for r in rows if r["country"] == "XX")  # rejected as DAT009
    extra = [
        {**first, "email": first["email"].upper(), "customer_id": "900001"},
        {**second, "email": "someone.new@example.com", "customer_id": second["customer_id"]},
        {**bad, "email": f"  {bad['email']} ", "country": "GB", "customer_id": "900002"},
    ]
    with path.open("a", encoding="utf-8", newline="") as fh:
        csv.DictWriter(fh, fieldnames=HEADER, lineterminator="\n").writerows(extra)
        # Quoted empty values (Spark reads "" as an empty string, an unquoted empty as
        # null): missing either way, as in presend data (DAT013 on email, DAT021 first_name).
        assert HEADER[:2] == ["email", "first_name"]
        rest = io.StringIO()
        csv.writer(rest, lineterminator="\n").writerow([second[k] for k in HEADER[2:]])
        fh.write('"","",' + rest.getvalue())
    return path


@pytest.fixture(scope="module")
def local(listing: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[ContactsReport, Path]:
    """presend data --split on the list: the single-machine answer."""
    out = tmp_path_factory.mktemp("local")
    report = split_file(listing, out / "clean.csv", out / "rejected.csv", None, today=TODAY)
    return report, out


@pytest.fixture(scope="module")
def parts(listing: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same list as three CSV files, each with the header (names sort in list order)."""
    folder = tmp_path_factory.mktemp("parts")
    header, *body = listing.read_text(encoding="utf-8").splitlines(keepends=True)
    cut = [0, len(body) // 3, 2 * len(body) // 3, len(body)]
    for i in range(3):
        (folder / f"part-{i}.csv").write_text(header + "".join(body[cut[i] : cut[i + 1]]))
    return folder


def read_spark_lines(spark: SparkSession, path: str) -> Lines:
    """CSV read as lines by Spark's text source: the path for storage pyarrow cannot open."""
    source = read_lines(spark, path, direct=False)
    assert isinstance(source, Lines)
    return source


def read_splits(spark: SparkSession, path: str) -> Splits:
    """CSV read by the check pass itself, each task its own byte range of a file."""
    source = read_lines(spark, path)
    assert isinstance(source, Splits)
    return source


# Spark's CSV reader, lines parsed in the check pass, byte ranges read in the check pass.
READERS = [read, read_spark_lines, read_splits]


def _partitions(source: DataFrame | Lines | Splits) -> int:
    return (source if isinstance(source, DataFrame) else source.df).rdd.getNumPartitions()


def _found(findings: list[Finding]) -> list[tuple[str, int, int, str]]:
    """Findings without their path (Spark reads a folder, presend one file)."""
    return [(f.rule, f.line, f.column, f.message) for f in findings]


def _same_report(spark_report: ContactsReport, report: ContactsReport) -> None:
    assert _found(spark_report.findings) == _found(report.findings)
    assert spark_report.counts_by_rule == report.counts_by_rule
    assert (spark_report.rows_in, spark_report.rows_clean, spark_report.rows_rejected) == (
        report.rows_in,
        report.rows_clean,
        report.rows_rejected,
    )


def _rows(frame: pl.DataFrame) -> list[tuple[object, ...]]:
    """Rows as sorted tuples of text, an empty value and a missing one alike."""
    text = frame.select(pl.all().cast(pl.String).fill_null(""))
    return sorted(text.rows())


def _same_rows(clean: DataFrame, rejected: DataFrame, out: Path) -> None:
    assert _rows(pl.from_arrow(clean.toArrow())) == _rows(  # type: ignore[arg-type]
        pl.read_csv(out / "clean.csv", infer_schema=False)
    )
    expected = pl.read_csv(out / "rejected.csv", infer_schema=False)
    got = pl.from_arrow(rejected.toArrow())
    assert isinstance(got, pl.DataFrame)
    assert got.columns == expected.columns == [*HEADER, "_row", "_reasons"]
    assert _rows(got) == _rows(expected)


@pytest.mark.parametrize("reader", READERS)
def test_one_file_gives_presend_datas_findings_and_rows(
    spark: SparkSession, listing: Path, local: tuple[ContactsReport, Path], reader: Any
) -> None:
    """Read by Spark's CSV reader (`read`) or as lines parsed in the check pass."""
    report, out = local
    source = reader(spark, str(listing))
    assert _partitions(source) > 4  # the duplicates above are partitions apart
    done = run(source, None, split=True, today=TODAY)
    try:
        _same_report(done.report, report)
        assert done.report.counts_by_rule["DAT002"] > 1 and done.report.counts_by_rule["DAT014"]
        assert done.clean is not None and done.rejected is not None
        _same_rows(done.clean, done.rejected, out)
    finally:
        done.unpersist()


@pytest.mark.parametrize("reader", READERS)
def test_rows_split_across_files_are_numbered_as_one_file(
    spark: SparkSession, parts: Path, local: tuple[ContactsReport, Path], reader: Any
) -> None:
    done = run(reader(spark, str(parts)), None, split=True, today=TODAY)
    report, out = local
    try:
        _same_report(done.report, report)
        assert done.clean is not None and done.rejected is not None
        _same_rows(done.clean, done.rejected, out)
    finally:
        done.unpersist()


def test_check_of_parquet_files_matches_check_file(
    spark: SparkSession, parts: Path, listing: Path, tmp_path: Path
) -> None:
    for csv_part in sorted(parts.glob("*.csv")):
        frame = pl.read_csv(csv_part, infer_schema=False)
        frame.write_parquet(tmp_path / f"{csv_part.stem}.parquet")
    report = check(read(spark, str(tmp_path / "*.parquet")), None, today=TODAY)
    _same_report(report, check_file(listing, None, today=TODAY))


def test_a_dataframe_in_memory_is_numbered_in_its_own_order(
    spark: SparkSession, listing: Path
) -> None:
    """Not read from files: rows are numbered in the DataFrame's order (partition, position)."""
    frame = pl.read_csv(listing, infer_schema=False)
    df = spark.createDataFrame(frame.to_pandas()).repartition(1).coalesce(1)
    _same_report(check(df, None, today=TODAY), check_file(listing, None, today=TODAY))


@pytest.mark.parametrize("reader", READERS)
def test_a_header_only_file_reports_its_missing_columns(
    spark: SparkSession, tmp_path: Path, reader: Any
) -> None:
    path = tmp_path / "header.csv"
    path.write_text("first_name,phone\n", encoding="utf-8")
    report = check(reader(spark, str(path)), None, today=TODAY)
    expected = check_file(path, None, today=TODAY)
    assert expected.findings  # the email column is required: DAT020
    _same_report(report, expected)


def test_cli_engine_spark_writes_both_datasets(
    spark: SparkSession, parts: Path, listing: Path, tmp_path: Path
) -> None:
    clean, rejected = tmp_path / "clean", tmp_path / "rejected.parquet"
    got = CliRunner().invoke(
        main, ["data", str(parts), "--engine", "spark", "--split", str(clean), str(rejected)]
    )
    want = CliRunner().invoke(main, ["data", str(listing)])
    assert got.exit_code == want.exit_code == 1, got.output
    assert got.output.replace(str(parts), "X") == want.output.replace(str(listing), "X")
    out = tmp_path / "local"
    out.mkdir()
    split_file(listing, out / "clean.csv", out / "rejected.csv", None)
    assert _rows(pl.read_csv(clean / "*.csv", infer_schema=False)) == _rows(
        pl.read_csv(out / "clean.csv", infer_schema=False)
    )
    spark_rejected = pl.read_parquet(rejected / "*.parquet")
    assert _rows(spark_rejected) == _rows(pl.read_csv(out / "rejected.csv", infer_schema=False))


def test_cli_engine_spark_refuses_a_malformed_row(tmp_path: Path, spark: SparkSession) -> None:
    """A row with too few fields is an error (exit 2), never padded with empty values."""
    path = tmp_path / "ragged.csv"
    path.write_text("email,first_name\nann@example.com,Ann\nbob@example.com\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["data", str(path), "--engine", "spark"])
    assert result.exit_code == 2
    assert "Malformed" in result.output or "MALFORMED" in result.output


def test_cli_engine_spark_refuses_a_quoted_line_break_and_a_different_header(
    tmp_path: Path, spark: SparkSession
) -> None:
    """CSV read as lines: a quoted value spanning lines needs --multiline; part files must
    share the first file's header."""
    broken = tmp_path / "broken.csv"
    broken.write_text('email,notes\nann@example.com,"two\nlines"\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["data", str(broken), "--engine", "spark"])
    assert result.exit_code == 2 and "MALFORMED" in result.output, result.output
    again = CliRunner().invoke(main, ["data", str(broken), "--engine", "spark", "--multiline"])
    assert again.exit_code in (0, 1), again.output
    folder = tmp_path / "parts"
    folder.mkdir()
    (folder / "a.csv").write_text("email,notes\nann@example.com,x\n", encoding="utf-8")
    (folder / "b.csv").write_text("notes,email\nx,bob@example.com\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["data", str(folder), "--engine", "spark"])
    assert result.exit_code == 2 and "b.csv: its header differs" in result.output, result.output


@pytest.mark.parametrize("reader", [read_spark_lines, read_splits])
def test_a_byte_order_mark_is_not_part_of_the_first_column(
    spark: SparkSession, tmp_path: Path, reader: Any
) -> None:
    """Excel's "CSV UTF-8" starts with a BOM; lines read as text keep it, names must not."""
    path = tmp_path / "excel.csv"
    path.write_text(
        "\ufeffemail,first_name\nann@example.com,Ann\nnot-an-email,Bob\n", encoding="utf-8"
    )
    report = check(reader(spark, str(path)), None, today=TODAY)
    expected = check_file(path, None, today=TODAY)
    assert not any(f.rule == "DAT020" for f in expected.findings)  # the email column is there
    _same_report(report, expected)


def test_cli_engine_spark_refuses_what_presend_data_refuses(
    tmp_path: Path, spark: SparkSession
) -> None:
    """A delimiter of more than one character, and a header naming a column twice: usage
    errors, as for a local run, not a crash."""
    path = tmp_path / "a.csv"
    path.write_text("email,Email\nann@example.com,x\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["data", str(path), "--engine", "spark"])
    assert result.exit_code == 2, result.output
    assert "header name 'Email' repeats column 1" in result.output
    result = CliRunner().invoke(main, ["data", str(path), "--engine", "spark", "--delimiter", "||"])
    assert result.exit_code == 2 and "delimiter must be one character" in result.output


def test_cli_engine_spark_refuses_outputs_over_the_input(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("email\nann@example.com\n", encoding="utf-8")
    result = CliRunner().invoke(
        main, ["data", str(path), "--engine", "spark", "--split", str(path), str(tmp_path / "r")]
    )
    assert result.exit_code == 2
    assert "would overwrite the input" in result.output


def test_a_local_spark_presend_starts_compiles_with_c1_only(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Only for a JVM presend launches itself, on this machine, with no options of the
    user's to override (docs/scaling.md)."""
    from pyspark import SparkContext

    from linter.spark.command import _launch_settings

    monkeypatch.setattr(SparkContext, "_active_spark_context", None)
    monkeypatch.setenv("SPARK_CONF_DIR", str(tmp_path))
    c1 = {"spark.driver.extraJavaOptions": "-XX:TieredStopAtLevel=1"}
    for given, expected in [
        ("", c1),
        ("--master local[2] --driver-memory 6g pyspark-shell", c1),
        ("--master yarn pyspark-shell", {}),
        ('--master local[2] --driver-java-options "-Xss4m" pyspark-shell', {}),
        ("--conf spark.driver.extraJavaOptions=-Xss4m pyspark-shell", {}),
    ]:
        monkeypatch.setenv("PYSPARK_SUBMIT_ARGS", given)
        assert _launch_settings() == expected, given
    monkeypatch.setenv("PYSPARK_SUBMIT_ARGS", "pyspark-shell")
    (tmp_path / "spark-defaults.conf").write_text("# EMR\nspark.master  yarn\n", encoding="utf-8")
    assert _launch_settings() == {}


def test_storage_pyarrow_cannot_open_falls_back_to_sparks_lines(spark: SparkSession) -> None:
    """dbfs:/ (and any scheme pyarrow has no file system for) is read by Spark's text
    source instead: csv_splits says it cannot plan byte ranges there."""
    from linter.spark.io import csv_splits

    assert csv_splits(spark, ["dbfs:/crm/contacts.csv"], ",") is None
