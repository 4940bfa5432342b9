"""Every documented limit (docs/limits.md, linter/limits.py) at its boundary: at the limit an
input is linted; past it, it is refused with a clear error naming the file (and line)."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from linter import limits
from linter.cli import main
from linter.config import Config
from linter.documents.email import EmailDocument
from linter.limits import LimitError
from linter.lint import lint_text

ROOT = Path(__file__).resolve().parent.parent
OPEN = "<html lang='en'><head><title>x</title></head><body>\n"
MIB_LIMIT = limits.MAX_HTML_BYTES // limits.MIB


def _invoke(*args: str, stdin: bytes | None = None) -> Result:
    return CliRunner().invoke(main, list(args), input=stdin)


def test_docs_list_every_limit_with_its_value() -> None:
    doc = (ROOT / "docs/limits.md").read_text(encoding="utf-8")
    names = [n for n in vars(limits) if n.isupper() and n != "MIB"]
    assert len(names) >= 10
    for name in names:
        assert f"`{name}`" in doc, name


def test_html_at_the_size_limit_is_linted_and_past_it_refused_unread(tmp_path: Path) -> None:
    filler = "<p>" + "text\n" * (limits.MAX_HTML_BYTES // 5)  # text, not elements: fast
    at_limit = (OPEN + filler)[: limits.MAX_HTML_BYTES - 20] + "</body></html>"
    ok = tmp_path / "ok.html"
    ok.write_text(at_limit, encoding="utf-8")
    big = tmp_path / "big.html"
    big.write_text(at_limit + " " * 100, encoding="utf-8")
    result = _invoke("check", "--select", "SEC001", str(ok), str(big))
    assert result.exit_code == 2
    assert "No findings in 1 file." in result.output
    assert f"{big}: larger than {MIB_LIMIT} MiB, presend's limit for email HTML" in result.output


def test_stdin_past_the_size_limit_is_refused() -> None:
    data = b" " * (limits.MAX_HTML_BYTES + 10)
    result = _invoke("check", "-", stdin=data)
    assert result.exit_code == 2
    assert f"stdin.html: larger than {MIB_LIMIT} MiB" in result.output


def _nested(depth: int) -> str:
    """`depth` elements nested, <html> included, with a <script> innermost."""
    divs = depth - 3  # html, body and the script itself
    return (
        "<html><body>" + "<div>" * divs + "<script>x</script>" + "</div>" * divs + "</body></html>"
    )


def test_nesting_at_the_limit_is_linted_and_past_it_refused() -> None:
    assert EmailDocument("x.html", _nested(limits.MAX_DEPTH)).find("script")
    with pytest.raises(LimitError, match="elements nested more than 80 deep") as info:
        EmailDocument("x.html", _nested(limits.MAX_DEPTH + 1))
    assert info.value.line == 1
    # Past libxml2's own limit (256) the parser stops reading: refused too, never clean.
    with pytest.raises(LimitError, match="the HTML parser stops here"):
        EmailDocument("x.html", _nested(300))


def test_deep_nesting_with_text_lints_in_bounded_time(default_config: Config) -> None:
    """Rules walk each text's ancestors: 200-deep text took 24 s on 2 MiB."""
    unit = "<div>x" * (limits.MAX_DEPTH - 3) + "</div>" * (limits.MAX_DEPTH - 3) + "\n"
    text = "<html><body>\n" + unit * (100 * 1024 // len(unit)) + "</body></html>"
    start = time.perf_counter()
    lint_text("deep.html", text, default_config)
    assert time.perf_counter() - start < 5  # ~1 s here; the 1 MiB limit scales it to ~8 s


def _attributes(count: int) -> str:
    attrs = " ".join(f"a{i}=1" for i in range(count))
    return f"{OPEN}\n<p {attrs}>x</p></body></html>"


def test_attributes_at_the_limit_are_linted_and_past_it_refused() -> None:
    assert len(EmailDocument("x.html", _attributes(limits.MAX_ATTRIBUTES)).find("p")[0].attrs) == (
        limits.MAX_ATTRIBUTES
    )
    start = time.perf_counter()
    with pytest.raises(LimitError, match="more than 1000 attributes") as info:
        EmailDocument("x.html", _attributes(70_000))  # 80,000 took 35 s to lint
    assert time.perf_counter() - start < 5
    assert info.value.line == 3


def _css(depth: int) -> str:
    return f'{OPEN}<p style="width:{"calc(" * depth}1px{")" * depth}">x</p></body></html>'


def test_css_nesting_at_the_limit_is_linted_and_past_it_refused(default_config: Config) -> None:
    lint_text("x.html", _css(limits.MAX_CSS_NESTING), default_config)
    with pytest.raises(LimitError, match="CSS nested more than 100 brackets deep") as info:
        lint_text("x.html", _css(limits.MAX_CSS_NESTING + 1), default_config)
    assert info.value.line == 2


def test_css_numbers_at_the_digit_limit_are_linted_and_past_it_refused(
    default_config: Config,
) -> None:
    def sheet(digits: int) -> str:
        return f"{OPEN.replace('<body>', '')}<style>\np {{ width: {'9' * digits}px }}</style>"

    lint_text("x.html", sheet(limits.MAX_CSS_DIGITS), default_config)
    with pytest.raises(LimitError, match="a CSS number longer than 4300 digits") as info:
        lint_text("x.html", sheet(limits.MAX_CSS_DIGITS + 1), default_config)
    assert info.value.line == 3


def test_findings_are_capped_per_rule_per_file(default_config: Config) -> None:
    over = lint_text("x.html", "<body>" + "{{ " * (limits.FINDINGS_PER_RULE + 50), default_config)
    mrg = [f for f in over if f.rule == "MRG001"]
    assert len(mrg) == limits.FINDINGS_PER_RULE + 1
    assert "only the first 1000 are listed" in mrg[-1].message
    at = lint_text("x.html", "<body>" + "{{ " * limits.FINDINGS_PER_RULE, default_config)
    assert len([f for f in at if f.rule == "MRG001"]) == limits.FINDINGS_PER_RULE


def test_a_side_file_past_the_size_limit_is_refused(tmp_path: Path) -> None:
    baseline = tmp_path / "b.json"
    baseline.write_bytes(b" " * (limits.MAX_SIDE_FILE_BYTES + 1))
    page = tmp_path / "t.html"
    page.write_text(OPEN, encoding="utf-8")
    result = _invoke("check", "--baseline", str(baseline), str(page))
    assert result.exit_code == 2
    assert f"{baseline}: larger than 16 MiB" in result.output


def test_a_patch_past_the_size_limit_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with open("big.diff", "wb") as fh:
        fh.truncate(limits.MAX_PATCH_BYTES + 1)  # sparse: no 20 MiB written
    result = _invoke("review", "--patch", "big.diff")
    assert result.exit_code == 2
    assert "big.diff: a patch over 20 MiB" in result.output


def test_patch_header_lines_at_the_limit_parse_and_past_it_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from linter.review.patch import PatchError, parse

    context = "x" * (limits.MAX_PATCH_HEADER_LINE - len("@@ -1 +1 @@ \n"))
    ok = f"--- a/t.html\n+++ b/t.html\n@@ -1 +1 @@ {context}\n-a\n+b\n"
    assert parse(ok, "ok.diff")[0].path == "t.html"
    with pytest.raises(PatchError, match="line 3: a header line over 1000 characters"):
        parse(ok.replace("@@ -1", "@@ -1 "), "long.diff")


def test_a_contact_header_past_its_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    with open(path, "wb") as fh:
        fh.write(b"email," + b"x" * limits.MAX_HEADER_BYTES)
    result = _invoke("data", str(path))
    assert result.exit_code == 2
    assert "the header line is longer than 16 MiB" in result.output


def test_a_glob_through_a_symlink_loop_ends(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "d" / "sub").mkdir(parents=True)
    (tmp_path / "d" / "sub" / "a.html").write_text(OPEN, encoding="utf-8")
    os.symlink("..", tmp_path / "d" / "sub" / "loop")
    monkeypatch.chdir(tmp_path)
    start = time.perf_counter()
    result = _invoke("check", "--select", "SEC001", "d/**/*.html")
    assert time.perf_counter() - start < 5
    assert result.exit_code == 0
    assert re.search(r"No findings in 1 file\.", result.output)
