"""Parsing: exact positions, MSO audiences, merge tags, encodings, malformed input."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from linter.documents import conditionals, css
from linter.documents.conditionals import Audience, find_blocks
from linter.documents.decode import decode_html
from linter.documents.email import EmailDocument
from linter.documents.mergetags import find_tags, is_templated, unbalanced

HYBRID = """<!DOCTYPE html>
<html lang="en">
<head>
<!--[if gte mso 9]>
<xml><o:OfficeDocumentSettings><o:PixelsPerInch>96</o:PixelsPerInch></o:OfficeDocumentSettings></xml>
<![endif]-->
<!--[if !mso]><!-->
<link href="https://fonts.example.com/a.css" rel="stylesheet">
<!--<![endif]-->
</head>
<body>
<!--[if mso]><table role="presentation" width="600"><tr><td><![endif]-->
<div style="max-width: 600px;
            margin: 0 auto">
  <p>Hello <a
     href="{{ action_url }}">there</a></p>
</div>
<!--[if mso]></td></tr></table><![endif]-->
</body>
</html>
"""


@pytest.fixture
def doc() -> EmailDocument:
    return EmailDocument("hybrid.html", HYBRID)


def test_positions_are_where_the_start_tag_begins(doc: EmailDocument) -> None:
    # lxml reports the line a start tag *ends* on; we want where it begins.
    div = doc.find("div")[0]
    assert (div.line, div.column) == (13, 1)
    a = doc.find("a")[0]
    assert (a.line, a.column) == (15, 12)
    assert doc.attr_position(a, "href") == (16, 12)


def test_every_element_gets_an_audience(doc: EmailDocument) -> None:
    assert doc.find("o:pixelsperinch")[0].audience is Audience.MSO
    assert doc.find("link")[0].audience is Audience.NON_MSO
    table = doc.find("table")[0]
    assert table.audience is Audience.MSO
    assert (table.line, table.column) == (12, 14)
    assert doc.find("div")[0].audience is Audience.ALL


def test_ghost_table_wraps_the_column_as_outlook_sees_it(doc: EmailDocument) -> None:
    div = doc.find("div")[0]
    assert [el.tag for el in div.el.iterancestors()][:3] == ["td", "tr", "table"]


def test_elements_with_the_same_attributes_share_one_map() -> None:
    doc = EmailDocument(
        "e.html",
        '<table role="presentation"><tr><td align="left">a</td><td align="left">b</td>'
        "<td>c</td></tr></table>",
    )
    first, second, third = doc.find("td")
    assert first.attrs == {"align": "left"} and first.attrs is second.attrs
    assert third.attrs == {} and third.attrs is doc.find("tr")[0].attrs


def test_conditional_markers_keep_length_and_lines() -> None:
    blocks, markers, unclosed = find_blocks(HYBRID)
    unwrapped = "".join(conditionals.unwrapped(HYBRID, markers))
    assert unclosed == []
    assert len(unwrapped) == len(HYBRID)
    assert unwrapped.count("\n") == HYBRID.count("\n")
    assert [b.audience for b in blocks] == [
        Audience.MSO,
        Audience.NON_MSO,
        Audience.MSO,
        Audience.MSO,
    ]


def test_ie_only_and_hidden_not_mso_blocks_stay_comments() -> None:
    doc = EmailDocument(
        "x.html",
        "<body><!--[if IE]><p>ie</p><![endif]--><!--[if !mso]><p>nobody</p><![endif]--></body>",
    )
    assert doc.find("p") == []


def test_inline_css_declarations_have_file_positions(doc: EmailDocument) -> None:
    decls = doc.inline_style(doc.find("div")[0])
    assert [(d.name, d.line, d.column) for d in decls] == [
        ("max-width", 13, 13),
        ("margin", 14, 13),
    ]


def test_style_block_positions_are_absolute() -> None:
    doc = EmailDocument(
        "s.html",
        "<html><head>\n<style>\n  p { color: red }\n"
        "  @media (max-width: 600px) { .c { width: 100% } }\n"
        "</style></head><body></body></html>",
    )
    decls = doc.style_blocks[0].sheet.declarations
    assert [(d.name, d.line, d.column, d.at_rules) for d in decls] == [
        ("color", 3, 7, ()),
        ("width", 4, 36, ("@media (max-width: 600px)",)),
    ]


def test_merge_tags_in_every_dialect() -> None:
    text = "{{ first_name }} *|FNAME|* %%Name%% [[name]] {$name} {% if x > 1 %}"
    tags = find_tags(text)
    assert [t.dialect for t in tags] == [
        "curly",
        "mailchimp",
        "ampscript",
        "brackets",
        "smarty",
        "curly",
    ]
    assert [t.name for t in tags][:2] == ["first_name", "FNAME"]
    assert is_templated("https://x.com/?u={{ id }}")
    assert not is_templated("https://x.com/")


def test_unbalanced_delimiters_are_found_outside_skipped_ranges() -> None:
    text = "Hi {{ name }, bye }} and css a{b{}}"
    tags = find_tags(text)
    css_start = text.index("a{")
    assert unbalanced(text, tags, [(css_start, len(text))]) == [3, 18]


def test_merge_tag_with_angle_brackets_does_not_break_parsing() -> None:
    doc = EmailDocument("m.html", "<body>{% if a < b %}<p>x</p>{% endif %}</body>")
    p = doc.find("p")[0]
    assert (p.line, p.column) == (1, 21)


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"   ",
        b"<!-- only a comment -->",
        b"<p>unclosed <b>bold",
        b"<<<>>>",
        b"\x00\x01",
        b"<table><tr><td>a</table></td></tr><div>",
    ],
)
def test_malformed_input_is_parsed_not_crashed(data: bytes) -> None:
    doc = EmailDocument("bad.html", decode_html(data).text)
    assert doc.root is not None
    for node in doc.nodes:
        assert node.line >= 1 and node.column >= 1


def test_decode_prefers_bom_then_meta_then_utf8_then_cp1252() -> None:
    assert decode_html("\ufeff<p>é</p>".encode("utf-8")).text == "<p>é</p>"
    assert decode_html("<p>é</p>".encode("utf-16")).encoding.startswith("utf-16")
    meta = b'<meta charset="iso-8859-1"><p>\xe9</p>'
    assert decode_html(meta).text.endswith("<p>é</p>")
    fallback = decode_html(b"<p>caf\xe9</p>")
    assert fallback.text == "<p>café</p>" and fallback.note


def test_implied_elements_are_positioned_but_marked() -> None:
    doc = EmailDocument("f.html", "<p>fragment</p>")
    html = doc.find("html")[0]
    assert html.offset == -1
    assert doc.find("p")[0].offset == 0


def test_raw_text_spans_cover_style_and_script_bodies() -> None:
    text = "<style>a{}</style><script>{}</script><p>x</p>"
    doc = EmailDocument("r.html", text)
    assert [text[s:e] for s, e in doc.raw_text_spans] == ["a{}", "{}"]


def test_memo_computes_once() -> None:
    doc = EmailDocument("m.html", "<p>x</p>")
    calls: list[int] = []
    assert doc.memo("k", lambda: calls.append(1) or 5) == 5
    assert doc.memo("k", lambda: calls.append(1) or 6) == 5
    assert calls == [1]


ADVERSARIAL = [
    "<a " + "abcd" * 2000 + '"',  # stray quote in a long tag: once exponential in a regex
    "<!--[if mso]>" * 8000,  # openers without endif
    "<!--" * 40000,  # unterminated comments: once quadratic (51 s)
    "<![CDATA[" * 40000,
    "<style " * 40000,
    '<a x="' * 20000,
    "{{" * 5000 + "}" * 3,
    "*|" * 5000,
    "<" * 20000,
    '<td style="' + "a:b;" * 5000,
    "<style>" + "{" * 5000 + "</style>",
    "<p " + "x=" * 5000 + ">",
    "%%" * 5000 + "[[" * 5000,
]


@pytest.mark.parametrize("text", ADVERSARIAL, ids=range(len(ADVERSARIAL)))
def test_adversarial_input_is_linted_in_bounded_time(text: str) -> None:
    """Every rule runs on 100-300 KB of hostile markup. Each takes about a second; the
    generous bound is a hang guard (a quadratic scan took 51 s here), not a speed target."""
    import time

    from linter import catalogue
    from linter.config import Config
    from linter.limits import LimitError
    from linter.lint import lint_text

    start = time.perf_counter()
    try:
        findings = lint_text("adversarial.html", text, Config.defaults(catalogue.load()))
    except LimitError as exc:  # past a documented limit (CSS nesting): refused, with a line
        assert exc.line >= 1
        findings = []
    assert time.perf_counter() - start < 30
    assert all(f.line >= 1 and f.column >= 1 for f in findings)


def test_unclosed_conditionals_are_recorded() -> None:
    text = "<p>a</p><!--[if mso]><table><tr><td>\n<p>b</p><!--[if !mso]><!--><p>c</p>"
    found = find_blocks(text).unclosed
    assert [(text[o : o + 13], o) for o, _ in found] == [
        ("<!--[if mso]>", 8),
        ("<!--[if !mso]", text.index("<!--[if !mso]")),
    ]


_STYLE_ATTR = re.compile(r"""\bstyle\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)


def test_plain_inline_styles_split_as_tinycss2_reads_them() -> None:
    """The fast path for plain style="" texts agrees with the tokenizer on every style
    attribute of the corpus it takes (most of them), positions included."""
    corpus = Path(__file__).resolve().parent.parent / "fixtures" / "email" / "corpus"
    styles = {
        m.group(1) if m.group(1) is not None else m.group(2)
        for f in corpus.glob("*/*.html")
        for m in _STYLE_ATTR.finditer(f.read_text(encoding="utf-8"))
    }
    taken = [t for t in styles if css._simple_inline(t) is not None]
    assert len(taken) > 0.8 * len(styles)
    for text in taken:
        assert css._simple_inline(text) == css._parse_inline_tokens(text), text


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["color", "Font-Size", "-webkit-x", "--v", "a b", "1px", ""]),
            st.text(alphabet="aZ09#%.,+_- \t\n!:;'(", max_size=12),
            st.sampled_from(["", " !important", "!IMPORTANT", " ! important"]),
        ),
        max_size=4,
    ),
    st.sampled_from([";", " ;\n", ";;"]),
)
def test_the_plain_path_agrees_or_steps_aside(parts: list[tuple[str, str, str]], sep: str) -> None:
    text = sep.join(f"{name}:{value}{flag}" for name, value, flag in parts)
    simple = css._simple_inline(text)
    assert simple is None or simple == css._parse_inline_tokens(text), text


def test_client_hooks_name_their_client() -> None:
    """The selectors a client's own wrapper or attribute gives away (compiled when first
    tried, since most templates name none)."""
    from linter.documents.selectors import hook_client

    assert hook_client(".ExternalClass p") == "outlook.outlook-com"
    assert hook_client("[owa] .col") == "outlook.outlook-com"
    assert hook_client("u + .body .x") == "gmail"
    assert hook_client("div[style*='margin: 16px 0'] p") == "android-mail"
    assert hook_client("#MessageViewBody a") == "samsung-email"
    assert hook_client("a[x-apple-data-detectors]") == "apple-mail"
    assert hook_client(".moz-text-html .x") == "thunderbird"
    assert hook_client("p.body") is None
