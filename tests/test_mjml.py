"""MJML sources (.mjml): compiled in-process by mrml and linted; what the MJML says is
judged at its line, what only the compiled HTML shows is traced to the element that made
it, and a file the compiler rejects is an input error with its line."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from linter.cli import main
from linter.config import Config
from linter.lint import lint_paths

pytest.importorskip("mrml", reason="the mjml extra (pip install 'presend[mjml]'); CI installs it")

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "mjml"


def _check(path: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["check", str(path), *args])


def _write(tmp_path: Path, body: str, head: str = "", attrs: str = ' lang="en"') -> Path:
    path = tmp_path / "t.mjml"
    path.write_text(
        f"<mjml{attrs}>\n<mj-head>\n<mj-title>Sale</mj-title>\n{head}</mj-head>\n<mj-body>\n"
        f"<mj-section>\n<mj-column>\n{body}\n</mj-column>\n</mj-section>\n</mj-body>\n</mjml>\n",
        encoding="utf-8",
    )
    return path


def test_the_good_fixture_is_clean() -> None:
    result = _check(FIXTURES / "good.mjml")
    assert result.exit_code == 0, result.output


def test_what_the_mjml_says_is_judged_at_its_line() -> None:
    out = _check(FIXTURES / "bad.mjml").output
    assert "bad.mjml:1:1: ACC001 [warning] The <mjml> element has no lang attribute" in out
    assert "bad.mjml:8:9: ACC002 [error] <mj-image> has no alt attribute" in out
    assert 'bad.mjml:12:9: LNK003 [error] <mj-button> "Shop the summer sale" has no href' in out


def test_a_finding_of_the_compiled_html_names_the_element_that_made_it() -> None:
    out = _check(FIXTURES / "bad.mjml").output
    assert "bad.mjml:15:9: LNK001 [warning] Link uses http:// (http://acme.example/sale)" in out
    assert "(in the HTML compiled from this <mj-button>)" in out


def test_an_untraceable_finding_says_it_is_in_the_compiled_output(tmp_path: Path) -> None:
    path = _write(tmp_path, "<mj-text>Half price until Sunday.</mj-text>", attrs=' lang="en"')
    path.write_text(path.read_text().replace("<mj-title>Sale</mj-title>\n", ""))
    out = _check(path).output
    assert "t.mjml:1:1: ACC004 [warning] The <title> is empty (in the compiled HTML at line" in out
    assert "no MJML element traced" in out


def test_the_preheader_finding_points_at_mj_head(tmp_path: Path) -> None:
    body = '<mj-image src="https://acme.example/hero.jpg" alt="" />'
    out = _check(_write(tmp_path, body), "--select", "CMP003").output
    assert "t.mjml:2:1: CMP003" in out and "set it with <mj-preview> in <mj-head>" in out
    preview = "<mj-preview>Half price until Sunday.</mj-preview>\n"
    assert "CMP003" not in _check(_write(tmp_path, body, head=preview), "--select", "CMP003").output


def test_the_nth_element_with_a_url_is_traced_to_the_nth_source_element(tmp_path: Path) -> None:
    body = (
        '<mj-image src="https://acme.example/a.png" alt="A" href="http://acme.example/x" />\n'
        '<mj-image src="https://acme.example/b.png" alt="B" href="http://acme.example/x" />'
    )
    out = _check(_write(tmp_path, body), "--select", "LNK001").output
    assert "t.mjml:8:1: LNK001" in out and "t.mjml:9:1: LNK001" in out, out


def test_a_file_the_compiler_rejects_is_an_input_error_with_its_line() -> None:
    result = _check(FIXTURES / "rejected.mjml")
    assert result.exit_code == 2
    assert "rejected.mjml: line 8: MJML compiler: unexpected end of stream" in result.output


def test_mj_include_is_never_followed(tmp_path: Path) -> None:
    (tmp_path / "secret.mjml").write_text("<mj-text>TOP SECRET</mj-text>")
    path = _write(tmp_path, '<mj-include path="./secret.mjml" />')
    result = _check(path)
    assert result.exit_code == 2 and "TOP SECRET" not in result.output
    assert "t.mjml: line 8: MJML compiler: unable to load included template" in result.output


def test_nesting_that_would_crash_the_compiler_is_refused(tmp_path: Path) -> None:
    # mrml recurses per level and takes the process down (SIGSEGV) a few thousand deep.
    path = _write(tmp_path, "<mj-text>" + "<div>" * 20000 + "x" + "</div>" * 20000 + "</mj-text>")
    result = _check(path)
    assert result.exit_code == 2, result.output
    assert "nested more than 80 deep" in result.output


def test_crlf_sources_compile(tmp_path: Path) -> None:
    path = tmp_path / "crlf.mjml"
    path.write_bytes((FIXTURES / "good.mjml").read_bytes().replace(b"\n", b"\r\n"))
    assert _check(path).exit_code == 0


def test_a_source_not_in_utf8_is_read_with_the_same_note_as_html(tmp_path: Path) -> None:
    path = tmp_path / "latin.mjml"
    text = (
        (FIXTURES / "good.mjml")
        .read_text(encoding="utf-8")
        .replace("Summer sale", "Soldes d\u00e9t\u00e9")
    )
    path.write_bytes(text.encode("latin-1"))
    result = _check(path)
    assert result.exit_code == 0
    assert f"presend: note: {path}: not valid UTF-8; decoded as" in result.stderr


def test_a_folder_scan_picks_up_mjml_files(default_config: Config) -> None:
    result = lint_paths([str(FIXTURES)], default_config)
    assert result.files == 2 and len(result.errors) == 1  # good, bad; rejected is an error


def test_without_the_extra_the_error_names_it(
    monkeypatch: pytest.MonkeyPatch, default_config: Config
) -> None:
    monkeypatch.setitem(sys.modules, "mrml", None)
    result = lint_paths([str(FIXTURES / "good.mjml")], default_config)
    assert "pip install 'presend[mjml]'" in str(result.errors[0])


def test_review_compares_two_mjml_sources_as_mjml() -> None:
    result = CliRunner().invoke(
        main, ["review", str(FIXTURES / "good.mjml"), str(FIXTURES / "bad.mjml")]
    )
    assert 'bad.mjml:12:9: <mj-button> "Shop the summer sale" has no href' in result.output
