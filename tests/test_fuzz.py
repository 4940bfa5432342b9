"""Fuzzing (issue 13): HTML, CSS, contact files, patches and config assembled from hostile
fragments never crash presend (no exit 3, no "presend failed"), and never lose a finding in
the part of a document the fuzz did not touch. Bounded for CI: few, derandomized examples.

An input that ever crashed goes in tests/hostile/ (tests/test_hostile_email.py runs them).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from pathlib import Path
from unittest import mock

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from lxml import etree

from linter.cli import main
from linter.config import Config
from linter.documents import conditionals, email
from linter.documents.decode import decode_html
from linter.documents.email import EmailDocument
from linter.limits import LimitError
from linter.lint import lint_paths, lint_text

FUZZ = settings(
    # 40 in CI (the file runs in ~10 s); PRESEND_FUZZ_EXAMPLES=2000 for a deeper local hunt.
    max_examples=int(os.environ.get("PRESEND_FUZZ_EXAMPLES", "40")),
    deadline=None,  # the whole file is bounded by max_examples; one slow example is no bug
    # The same examples in every CI run; PRESEND_FUZZ_RANDOM=1 explores new ones locally.
    derandomize=not os.environ.get("PRESEND_FUZZ_RANDOM"),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

HTML_BITS = [
    "<html>",
    "</html>",
    "<body>",
    "<table><tr><td>",
    "</td></tr></table>",
    "<p ",
    ">",
    "<",
    '<a href="',
    '">',
    "{{ name }}",
    "{%",
    "*|UNSUB|*",
    "%%",
    "[[",
    "{$x}",
    "<!--",
    "-->",
    "<!--[if mso]>",
    "<![endif]-->",
    "<!--[if !mso]><!-->",
    "<!--<![endif]-->",
    '<?xml version="1.0" encoding="utf-8"?>',
    "<!DOCTYPE html>",
    "<style>",
    "</style>",
    '<meta charset="',
    "utf-16",
    "rot13",
    '<img src="x" alt="',
    "<v:rect>",
    "&amp;",
    "&#0;",
    "\x00",
    "\ufeff",
    "\r",
    "\n",
    "é",
    "<script>",
    "</script>",
    "<div>" * 40,
    "<![CDATA[",
    'style="',
    "width:",
    "calc(",
    ")",
    "@media screen{",
    "}",
    "9" * 50,
    "\\",
    '"',
    "'",
]
CSS_BITS = [
    "p{",
    "}",
    "color:",
    "red",
    ";",
    "@media (max-width:600px){",
    "@font-face{",
    "calc(",
    ")",
    "[",
    "]",
    "url(",
    "'",
    '"',
    "\\",
    "/*",
    "*/",
    "!important",
    "9" * 30,
    "-",
    "e",
    ".",
    "@import",
    "--x:",
    "var(--x)",
    "#fff",
    "rgb(",
    ",",
    "\x00",
    "{",
    "@",
]
CSV_BITS = [
    "email",
    "phone",
    "consent",
    ",",
    ";",
    "\t",
    "|",
    "\n",
    "\r\n",
    "\r",
    '"',
    '""',
    "a@example.com",
    "+44 20 7946 0958",
    "yes",
    "=cmd()",
    "\x00",
    "\ufeff",
    "é",
    "\xff",
    " ",
    "sep=;",
    "x" * 20,
]
PATCH_BITS = [
    "--- a/t.html\n",
    "+++ b/t.html\n",
    "--- /dev/null\n",
    "+++ /dev/null\n",
    "@@ -1 +1 @@\n",
    "@@ -0,0 +1,2 @@\n",
    "@@ -1,2 +0,0 @@\n",
    "-<p>x</p>\n",
    "+<p>y</p>\n",
    " <p>x</p>\n",
    "diff --git a/t.html b/t.html\n",
    "new file mode 100644\n",
    "deleted file mode 100644\n",
    "Binary files a/t.html and b/t.html differ\n",
    "\\ No newline at end of file\n",
    "index 1..2 100644\n",
    "--- a/../x.html\n",
    "\n",
    "rename from t.html\n",
    "rename to u.html\n",
    "+++ b/u.html\n",
]
CONFIG_BITS = [
    "standards = [",
    '"responsive"',
    "]",
    "\n",
    "ignore = [",
    '"RSP001"',
    "select = [",
    '"nope"',
    "[severity]\n",
    'RSP001 = "error"\n',
    "[[overrides]]\n",
    'files = ["*.html"]\n',
    "[contacts]\n",
    'schema = "',
    '/dev/zero"',
    'encoding = "',
    'rot13"',
    "[[rule]]\n",
    'id = "TEAM001"\n',
    'check = "forbids-element"\n',
    'params = { tag = "a", value = \'',
    "(a+)+$",
    "(?=x)",
    "' }\n",
    "[",
    "{",
    "x = ",
    "1",
    '"',
    "=",
    "[[waivers]]\n",
]


EML_BITS = [
    "From: ",
    "Acme <a@acme.example>",
    "=?utf-8?q?=C3=A9?=",
    "=?x-unknown?b?****?=",
    "Subject: ",
    "{{ first_name }}",
    "List-Unsubscribe: <https://acme.example/u>",
    "List-Unsubscribe-Post: List-Unsubscribe=One-Click",
    "Content-Type: multipart/alternative; boundary=b",
    "Content-Type: text/html; charset=",
    "utf-8",
    "rot13",
    "Content-Type: text/plain",
    "Content-Transfer-Encoding: ",
    "base64",
    "quoted-printable",
    "8bit",
    "--b",
    "--b--",
    "=3D",
    "=C3",
    "=\n",
    "PGh0bWw+",
    "<img src=x>",
    "<",
    ":",
    "\r\n",
    "\n",
    "\n\n",
    " ",
    "\xe9",
]


MJML_BITS = [
    "<mjml>",
    "</mjml>",
    '<mjml lang="en">',
    "<mj-head>",
    "</mj-head>",
    "<mj-preview>",
    "</mj-preview>",
    "<mj-body>",
    "</mj-body>",
    "<mj-section>",
    "</mj-section>",
    "<mj-column>",
    "</mj-column>",
    "<mj-text>",
    "</mj-text>",
    '<mj-image src="x.png" />',
    '<mj-image alt="',
    '<mj-button href="',
    "</mj-button>",
    '<mj-include path="/etc/passwd" />',
    "<mj-raw>",
    "</mj-raw>",
    "<mj-wrapper>" * 30,
    "<div>" * 40,
    "<!--",
    "-->",
    "{{ name }}",
    '"',
    "<",
    ">",
    "/>",
    "&nbsp;",
    "\r\n",
    "\x00",
]


def _joined(bits: list[str], most: int = 30) -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(bits) | st.text(max_size=4), max_size=most).map("".join)


@FUZZ
@given(fuzz=_joined(HTML_BITS))
def test_fuzzed_html_is_linted_or_refused_and_keeps_earlier_findings(
    fuzz: str, default_config: Config
) -> None:
    text = '<html><body><iframe src="https://example.com/x"></iframe>\n' + fuzz
    try:
        findings = lint_text(
            "fuzz.html", decode_html(text.encode("utf-8", "replace")).text, default_config
        )
    except LimitError as exc:  # a documented limit, named with its line
        assert exc.line >= 0
        return
    assert any(f.rule == "SEC005" and f.line == 1 for f in findings)  # before the fuzz


# Outlook markers in and around tags, comments and raw text.
MARKER_BITS = [
    "<!--[if mso]>",
    "<![endif]-->",
    "<!--[if !mso]><!-->",
    "<!--<![endif]-->",
    "<!--",
    "-->",
    "<table><tr><td>",
    "</td></tr></table>",
    "<td",
    "<p>",
    "<style>",
    "</style>",
    "<style ",
    "</style",
    "<",
    ">",
    " ",
    "\n",
    "x",
]


@FUZZ
@given(fuzz=st.lists(st.sampled_from(MARKER_BITS), max_size=30).map("".join))
@example("<!--[if mso]><table><tr><td><![endif]--><p>")  # the markers' <!-- and -->
@example("<!-- open <!--[if mso]><![endif]--> <td> -->")  # a comment around markers
@example("<td<!--[if mso]>>x<![endif]--><p>")  # markers inside tags: a blanked copy
@example("<style></style<!--[if mso]>><![endif]-->x</style><p>")
@example("<style <!--[if mso]>><![endif]-->x</style><p>")
def test_fuzzed_markers_place_elements_as_in_a_blanked_copy(fuzz: str) -> None:
    """The scans that pair elements with their tags read the source and skip the Outlook
    markers the parser reads as blanks (no second copy of the text): every element, comment
    and raw text body lands where the scans of a copy with the markers blanked put it."""

    def placed(doc: EmailDocument) -> object:
        nodes = [(n.tag, n.offset, n.line, n.column, n.audience) for n in doc.nodes]
        return nodes, doc.raw_text_spans

    try:
        direct = EmailDocument("f.html", fuzz)
    except LimitError:
        return
    with mock.patch("linter.documents.email._marker_in_tag", return_value=True):
        blanked = EmailDocument("f.html", fuzz)  # the copy, as before the scans skipped
    assert placed(direct) == placed(blanked)
    unwrapped = "".join(conditionals.unwrapped(fuzz, conditionals.find_blocks(fuzz).markers))
    comments = [m.span() for m in email._COMMENT.finditer(unwrapped)]
    assert email._comment_spans(email._Scan(unwrapped, email._Spans([]))) == comments


def _shape(root: etree._Element, attrs: Callable[[etree._Element], object]) -> list[object]:
    return [
        (
            el.tag,
            el.sourceline,
            el.text,
            el.tail,
            len(el),
            attrs(el) if el.tag is not etree.Comment else None,
        )
        for el in root.iter()
    ]


@FUZZ
@given(fuzz=_joined(HTML_BITS + MARKER_BITS), chunk=st.sampled_from([1, 7, 64]))
def test_fuzzed_html_parses_in_chunks_as_in_one_piece(fuzz: str, chunk: int) -> None:
    """email._parse feeds libxml2's push parser chunks and takes each element's attributes
    out of the tree as its start tag is read (so libxml2 reuses their memory): the tree,
    its lines and the attributes are those of one parse of the whole."""
    data = fuzz.encode("utf-8", "replace")
    whole = etree.HTMLParser(encoding="utf-8", **email._PARSER_OPTIONS)
    reference = etree.fromstring(data or b"<html></html>", whole)
    if reference is None:
        reference = etree.fromstring(b"<html></html>", whole)
    email._adopt_trailing(reference)
    with mock.patch.object(email, "_CHUNK", chunk):
        try:
            root, attributes = email._parse(data, email._AttributeMaps())
        except LimitError:
            with pytest.raises(LimitError):
                email._refuse_cut_short(whole.error_log)
                email._refuse_too_deep(reference)
            return
    assert _shape(root, lambda el: attributes.get(el, dict(el.items()))) == _shape(
        reference, lambda el: dict(el.items())
    )
    assert not any(el.attrib for el in root.iter(etree.Element))


@FUZZ
@given(
    data=st.binary(max_size=300) | _joined(HTML_BITS).map(lambda s: s.encode("utf-8", "replace"))
)
def test_fuzzed_bytes_never_crash_a_check(
    data: bytes, tmp_path_factory: pytest.TempPathFactory, default_config: Config
) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "f.html"
    path.write_bytes(data)
    result = lint_paths([str(path)], default_config)
    assert not any("presend failed" in str(e) for e in result.errors), result.errors


@FUZZ
@given(fuzz=_joined(EML_BITS, most=40))
def test_fuzzed_messages_never_crash_and_keep_the_html_findings(
    fuzz: str, tmp_path_factory: pytest.TempPathFactory, default_config: Config
) -> None:
    html = '<html><body><iframe src="https://example.com/x"></iframe></body></html>'
    head = f"From: Acme <a@acme.example>\nContent-Type: text/html\n\n{html}\n"
    path = tmp_path_factory.mktemp("fuzz") / "m.eml"
    for data in (fuzz, head + fuzz):
        path.write_bytes(data.encode("utf-8", "surrogateescape"))
        result = lint_paths([str(path)], default_config)
        assert not any("presend failed" in str(e) for e in result.errors), result.errors
    # Refused (a NUL byte, a limit) with the file named, or the <iframe> before the fuzz found.
    assert result.errors or any(f.rule == "SEC005" and f.line == 4 for f in result.findings)


@FUZZ
@given(fuzz=_joined(MJML_BITS, most=30))
def test_fuzzed_mjml_never_crashes(
    fuzz: str, tmp_path_factory: pytest.TempPathFactory, default_config: Config
) -> None:
    pytest.importorskip("mrml", reason="the mjml extra; CI installs it")
    path = tmp_path_factory.mktemp("fuzz") / "m.mjml"
    path.write_bytes(fuzz.encode("utf-8", "surrogateescape"))
    result = lint_paths([str(path)], default_config)  # a crash in mrml would end the run
    assert not any("presend failed" in str(e) for e in result.errors), result.errors
    assert result.files + len(result.errors) == 1


@FUZZ
@given(sheet=_joined(CSS_BITS), inline=_joined(CSS_BITS))
def test_fuzzed_css_never_crashes(sheet: str, inline: str, default_config: Config) -> None:
    text = f'<html><head><style>{sheet}</style></head><body><p style="{inline}">x</p></body></html>'
    with contextlib.suppress(LimitError):  # a documented limit: refused, not a crash
        lint_text("fuzz.html", text.replace("\x00", ""), default_config)


@FUZZ
@given(text=_joined(CSV_BITS, most=40))
def test_fuzzed_contact_files_never_crash(
    text: str, tmp_path_factory: pytest.TempPathFactory, default_config: Config
) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "c.csv"
    path.write_bytes(text.encode("utf-8", "surrogateescape"))
    result = lint_paths([str(path)], default_config)
    assert not any("presend failed" in str(e) for e in result.errors), result.errors


@FUZZ
@given(text=_joined(PATCH_BITS, most=12))
def test_fuzzed_patches_never_crash(text: str, tmp_path_factory: pytest.TempPathFactory) -> None:
    root = tmp_path_factory.mktemp("repo")
    (root / "t.html").write_text("<p>x</p>\n", encoding="utf-8")
    (root / "change.diff").write_text(text, encoding="utf-8")
    cwd = os.getcwd()
    os.chdir(root)
    try:
        result = CliRunner().invoke(main, ["review", "--patch", "change.diff"])
    finally:
        os.chdir(cwd)
    assert result.exit_code in (0, 1, 2), result.output
    assert "crashed" not in result.output and "presend failed" not in result.output


@FUZZ
@given(text=_joined(CONFIG_BITS, most=20))
def test_fuzzed_config_never_crashes(text: str, tmp_path_factory: pytest.TempPathFactory) -> None:
    root: Path = tmp_path_factory.mktemp("cfg")
    (root / "presend.toml").write_text(text, encoding="utf-8")
    (root / "t.html").write_text("<p>x</p>\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(root / "t.html")])
    assert result.exit_code in (0, 1, 2), result.output
    assert "crashed" not in result.output


_TYPED_FIELDS = [
    {"name": "v", "type": t, **({"format": f} if f else {}), **extra}
    for t, f, extra in [
        ("integer", "", {}),
        ("integer", "", {"bareNumber": False, "groupChar": ","}),
        ("number", "", {"decimalChar": ",", "groupChar": "."}),
        ("number", "", {"bareNumber": False}),
        ("date", "", {}),
        ("date", "%d/%m/%Y", {}),
        ("date", "any", {}),
        ("time", "", {}),
        ("datetime", "", {}),
        ("year", "", {}),
        ("yearmonth", "", {}),
        ("duration", "", {}),
        ("geopoint", "", {}),
        ("geopoint", "array", {}),
        ("geopoint", "object", {}),
        ("geojson", "", {}),
        ("geojson", "topojson", {}),
        ("object", "", {}),
        ("array", "", {}),
        ("list", "", {"itemType": "datetime"}),
        ("string", "uri", {}),
        ("string", "uuid", {}),
        ("string", "binary", {}),
        ("boolean", "", {}),
    ]
]
CELL_BITS = ["0", "9", "-", "+", ".", ",", ":", "T", "Z", "P", "e", "E", "[", "]", "{", "}", '"']
CELL_BITS += [
    "lon",
    "lat",
    "NaN",
    "INF",
    " ",
    "\u0663",
    "\uff12",
    "%",
    "=",
    "/",
    "24:00:00",
    "1e999",
]


@FUZZ
@given(text=_joined(CELL_BITS, most=30), which=st.integers(0, len(_TYPED_FIELDS) - 1))
def test_fuzzed_cells_never_crash_a_type_reader(text: str, which: int) -> None:
    # The Table Schema reader (values.py) must answer every cell: a verdict, never a crash.
    from linter.contacts.schema import parse_schema
    from linter.contacts.values import judge

    (f,) = parse_schema({"fields": [_TYPED_FIELDS[which]]}, "fuzz.json").fields
    verdict = judge(f, "type")(text)
    assert verdict is None or verdict.startswith(f"not a {f.type}")
    for what in ("enum", "range", "length"):
        said = judge(f, what)(text)
        assert said is None or verdict is None  # constraints judge only values of the type
