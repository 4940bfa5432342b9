"""`presend data` and contact files in `presend check`: exit codes, split, reading options."""

from __future__ import annotations

import csv
import os
from pathlib import Path

from click.testing import CliRunner

from linter.cli import main

CONTACTS = Path(__file__).resolve().parent.parent / "fixtures" / "contacts"


def test_data_reports_and_fails_on_a_purchased_lead() -> None:
    result = CliRunner().invoke(main, ["data", str(CONTACTS / "denied-lead-source.csv")])
    assert result.exit_code == 1
    assert "DAT011 [error]" in result.output
    assert "2 rows in = 1 clean + 1 rejected" in result.output


def test_split_puts_every_row_in_exactly_one_file(tmp_path: Path) -> None:
    clean, rejected = tmp_path / "clean.csv", tmp_path / "rejected.csv"
    source = CONTACTS / "denied-lead-source.csv"
    result = CliRunner().invoke(main, ["data", str(source), "--split", str(clean), str(rejected)])
    assert result.exit_code == 1
    rows_in = list(csv.DictReader(source.open(encoding="utf-8")))
    kept = list(csv.DictReader(clean.open(encoding="utf-8")))
    dropped = list(csv.DictReader(rejected.open(encoding="utf-8")))
    assert len(kept) + len(dropped) == len(rows_in)
    assert dropped[0]["_row"] == "2" and "DAT011" in dropped[0]["_reasons"]


def test_undeclared_encoding_is_a_clear_input_error_and_the_flag_fixes_it() -> None:
    path = str(CONTACTS / "cp1252.csv")
    bad = CliRunner().invoke(main, ["data", path])
    assert bad.exit_code == 2
    assert "cp1252.csv:2:19:" in bad.stderr and "--encoding cp1252" in bad.stderr
    assert CliRunner().invoke(main, ["data", path, "--encoding", "cp1252"]).exit_code == 0


def test_config_severity_applies_to_contact_rules(tmp_path: Path) -> None:
    config = tmp_path / "presend.toml"
    config.write_text('[severity]\ndenied-lead-source = "warning"\n')
    args = ["data", str(CONTACTS / "denied-lead-source.csv"), "--config", str(config)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0
    assert "DAT011 [warning]" in result.output


def test_check_lints_contact_files_with_emails() -> None:
    result = CliRunner().invoke(main, ["check", str(CONTACTS / "denied-lead-source.csv")])
    assert result.exit_code == 1
    assert "DAT011" in result.output


def test_template_and_its_contact_file_are_checked_together(tmp_path: Path) -> None:
    (tmp_path / "list.csv").write_text("email,first_name\nann@example.com,Ann\n")
    (tmp_path / "mail.html").write_text("<p>Hi {{ firstname }}, {{ first_name }}</p>\n")
    args = ["check", str(tmp_path / "mail.html"), str(tmp_path / "list.csv"), "--select", "MRG005"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1
    assert "mail.html:1:7: MRG005" in result.output
    assert result.output.count("MRG005") == 1  # first_name is a column
    alone = CliRunner().invoke(main, [*args[:2], "--select", "MRG005"])
    assert alone.exit_code == 0  # without data there is nothing to compare with


def test_data_refuses_a_file_that_is_not_a_table_unless_a_delimiter_is_given(
    tmp_path: Path,
) -> None:
    page = tmp_path / "mail.html"
    page.write_text("<p>Hello {{first_name}}</p>\n", encoding="utf-8")
    refused = CliRunner().invoke(main, ["data", str(page)])
    assert refused.exit_code == 2
    assert f"{page}: not a contact table" in refused.stderr and "--delimiter" in refused.stderr
    forced = CliRunner().invoke(main, ["data", str(page), "--delimiter", ","])
    assert "not a contact table" not in forced.stderr and "rows in" in forced.output
    upper = tmp_path / "LIST.TXT"
    upper.write_text("email,consent\na@example.com,yes\n", encoding="utf-8")
    assert CliRunner().invoke(main, ["data", str(upper)]).exit_code == 0


def test_split_into_a_missing_folder_names_the_target_not_a_temp_file(tmp_path: Path) -> None:
    source = str(CONTACTS / "clean.csv")
    missing = tmp_path / "nowhere" / "a.csv"
    result = CliRunner().invoke(main, ["data", source, "--split", str(missing), "b.csv"])
    assert result.exit_code == 2
    assert f"cannot write {missing}: No such file or directory" in result.stderr
    assert ".tmp" not in result.stderr and "Errno" not in result.stderr
    clean = tmp_path / "clean.csv"
    second = CliRunner().invoke(main, ["data", source, "--split", str(clean), str(missing)])
    assert second.exit_code == 2 and f"cannot write {missing}" in second.stderr
    assert list(tmp_path.iterdir()) == [], "the first output's temp file must not stay behind"


def test_unclosed_quote_with_delimiter_tab_is_named() -> None:
    path = str(CONTACTS / "unterminated.tsv")
    result = CliRunner().invoke(main, ["data", path, "--delimiter", "tab"])
    assert result.exit_code == 2
    assert f"{path}:3:2: unclosed quote from 3:2" in result.stderr
    assert "fields" not in result.stderr


def test_split_outputs_that_would_overwrite_rows_are_refused(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text("email,first_name\nann@example.com,Ann\n")
    same = CliRunner().invoke(
        main, ["data", str(source), "--split", *[str(tmp_path / "o.csv")] * 2]
    )
    assert same.exit_code == 2 and "must differ" in same.stderr
    onto = CliRunner().invoke(
        main, ["data", str(source), "--split", str(source), str(tmp_path / "r.csv")]
    )
    assert onto.exit_code == 2 and "would overwrite the input" in onto.stderr
    assert source.read_text() == "email,first_name\nann@example.com,Ann\n"


def test_unknown_encoding_and_wrong_delimiter_are_usage_errors(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text("email,first_name\nann@example.com,Ann\n")
    enc = CliRunner().invoke(main, ["data", str(source), "--encoding", "latin-9x"])
    assert enc.exit_code == 2 and "unknown encoding" in enc.stderr
    wrong = CliRunner().invoke(main, ["data", str(source), "--delimiter", ";"])
    assert wrong.exit_code == 2
    assert "in.csv:1:6: the header is one column containing ','" in wrong.stderr
    excel = tmp_path / "excel.csv"
    excel.write_text("sep=;\nemail;first_name\nann@example.com;Ann\n")
    hint = CliRunner().invoke(main, ["data", str(excel)])
    assert hint.exit_code == 2 and "Excel's 'sep=;' hint" in hint.stderr


def test_without_the_data_extra_a_contact_file_names_it(tmp_path: Path) -> None:
    import subprocess
    import sys

    table = tmp_path / "list.csv"
    table.write_text("email\nann@example.com\n", encoding="utf-8")
    # polars unimportable, as in a template-only install (pip install presend)
    script = (
        "import sys; sys.modules['polars'] = None; from linter.cli import main;"
        f" main(args=['{{cmd}}', {str(table)!r}], prog_name='presend')"
    )
    for cmd in ("check", "data"):
        done = subprocess.run(
            [sys.executable, "-c", script.replace("{cmd}", cmd)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 2, done.stderr
        assert "pip install 'presend[contacts]'" in done.stderr


def test_the_presend_command_ends_a_data_run_without_the_teardown(tmp_path: Path) -> None:
    """After `presend data` has written its report and outputs, the process ends at once:
    exit handlers do not run, the exit code and every byte printed are kept. Other commands
    exit as usual (their exit handlers may clean up)."""
    import subprocess
    import sys

    clean, rejected = tmp_path / "clean.csv", tmp_path / "rejected.csv"
    source = str(CONTACTS / "denied-lead-source.csv")
    script = (
        "import atexit, sys; atexit.register(lambda: print('TEARDOWN'));"
        " from linter.cli import run; sys.argv[0] = 'presend'; run()"
    )

    def presend(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-c", script, *args], capture_output=True, text=True, check=False
        )

    data = presend("data", source, "--split", str(clean), str(rejected))
    assert data.returncode == 1, data.stderr
    assert "TEARDOWN" not in data.stdout
    assert data.stdout.rstrip().endswith("DAT011: 1")  # the last line of the summary
    assert len(list(csv.DictReader(rejected.open(encoding="utf-8")))) == 1
    usage = presend("data", str(tmp_path / "missing.csv"))
    assert usage.returncode == 2 and "TEARDOWN" in usage.stdout
    rules = presend("rules", "--standard", "contacts")
    assert rules.returncode == 0 and rules.stdout.rstrip().endswith("TEARDOWN")


def test_a_pipe_is_refused_not_waited_on(tmp_path: Path) -> None:
    """The file is sniffed, then read again: a FIFO would hang the second read."""
    fifo = tmp_path / "contacts.csv"
    os.mkfifo(fifo)  # nothing ever writes to it: reading it would block forever
    result = CliRunner().invoke(main, ["data", str(fifo)])
    assert result.exit_code == 2
    assert f"{fifo}: not a regular file" in result.stderr
