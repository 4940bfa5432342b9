"""Hostile contact files (issue 13): a header-only file with the wrong columns is not clean,
messages never print values, a header wider than the sniff window is read whole, and a
non-text --encoding is a usage error."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from linter.cli import main


def _data(tmp_path: Path, text: str, *args: str) -> Result:
    path = tmp_path / "c.csv"
    path.write_text(text, encoding="utf-8")
    return CliRunner().invoke(main, ["data", str(path), *args])


@pytest.mark.parametrize("command", ["data", "check"])
def test_a_header_only_file_with_the_wrong_columns_fails(tmp_path: Path, command: str) -> None:
    path = tmp_path / "c.csv"
    path.write_text("foo,bar\n", encoding="utf-8")
    result = CliRunner().invoke(main, [command, str(path)])
    assert result.exit_code == 1, result.output
    assert (
        "c.csv:1:1: DAT020 [error] A required column is missing from the header: column 'email'"
        " (the file has no rows)" in result.output
    )


def test_a_header_only_file_with_the_right_columns_is_clean(tmp_path: Path) -> None:
    result = _data(tmp_path, "email,consent\n")
    assert result.exit_code == 0, result.output


def test_phone_messages_name_rows_never_numbers(tmp_path: Path) -> None:
    long_value = "9" * 5000
    rows = ["a@example.com,+44 20 7946 09589999,yes", f"b@example.com,{long_value},yes"]
    text = "email,phone,consent\n" + "\n".join(rows) + "\n"
    result = _data(tmp_path, text)
    assert result.exit_code == 1
    dat006 = next(line for line in result.output.splitlines() if " DAT006 " in line)
    assert "rows 2, 3" in dat006
    assert "the wrong number of digits for its country" in dat006
    assert "7946" not in result.output and long_value[:40] not in result.output


def test_a_header_wider_than_the_sniff_window_is_read_whole(tmp_path: Path) -> None:
    """The first 256 KiB were sniffed: a wider header was cut, and every row was ragged."""
    extra = [f"col{i}_" + "x" * 100 for i in range(3000)]  # ~320 KB of header
    header = ",".join(["email", "consent", *extra])
    row = ",".join(["a@example.com", "yes", *("v" for _ in extra)])
    result = _data(tmp_path, f"{header}\n{row}\n")
    assert result.exit_code == 0, result.output[:500]
    assert "1 rows in = 1 clean + 0 rejected" in result.output


@pytest.mark.parametrize("codec", ["rot13", "base64", "zlib", "punycode", "undefined"])
def test_a_non_text_encoding_is_a_usage_error(tmp_path: Path, codec: str) -> None:
    result = _data(tmp_path, "email\na@example.com\n", "--encoding", codec)
    assert result.exit_code == 2
    assert f"--encoding {codec}: '{codec}' is not a text encoding" in result.output


def test_a_non_text_encoding_in_the_config_names_the_key(tmp_path: Path) -> None:
    (tmp_path / "presend.toml").write_text('[contacts]\nencoding = "hex"\n', encoding="utf-8")
    result = _data(tmp_path, "email\na@example.com\n")
    assert result.exit_code == 2
    assert "presend.toml: contacts.encoding: 'hex' is not a text encoding" in result.output


def test_a_crash_on_a_contact_file_names_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from linter.contacts import api

    def explode(*args: object, **kwargs: object) -> None:
        raise KeyError("boom")

    monkeypatch.setattr(api, "check_file", explode)
    result = _data(tmp_path, "email\na@example.com\n")
    assert result.exit_code == 2
    assert f"presend: {tmp_path / 'c.csv'}: presend failed on this file (KeyError at " in (
        result.output
    )
