"""Accessibility standard (ACC): exact findings on the fixtures, contrast, MSO and edge cases."""

from __future__ import annotations

from pathlib import Path

import pytest

from linter import catalogue
from linter.checks.email import colours
from linter.config import Config
from linter.lint import lint_text

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "email" / "accessibility"


def _hits(text: str, prefix: str = "ACC") -> list[tuple[str, int, str]]:
    config = Config.defaults(catalogue.load())
    found = lint_text("t.html", text, config)
    return [(f.rule, f.line, f.message) for f in found if f.rule.startswith(prefix)]


def _found(text: str, prefix: str = "ACC") -> list[tuple[str, int]]:
    return [(rule, line) for rule, line, _ in _hits(text, prefix)]


def _cell(style: str, text: str = "Some body copy", tag: str = "td") -> str:
    return f'<table role="presentation"><tr><{tag} style="{style}">{text}</{tag}></tr></table>'


def test_bad_fixture_findings() -> None:
    text = (FIXTURES / "bad-accessibility.html").read_text(encoding="utf-8")
    assert _found(text) == [
        ("ACC001", 2),
        ("ACC004", 6),
        ("ACC003", 9),  # the Outlook ghost table counts: Outlook's screen readers read it
        ("ACC003", 10),
        ("ACC002", 13),  # the 1x1 open pixel on line 22 is the tracking standard's business
        ("ACC005", 15),
        ("ACC006", 16),
        ("ACC005", 17),
    ]


def test_good_fixture_is_clean() -> None:
    text = (FIXTURES / "good-accessibility.html").read_text(encoding="utf-8")
    assert _found(text) == []


def test_title_variants() -> None:
    assert _found("<html lang='en'><head></head><body>x</body></html>", "ACC004") == [("ACC004", 1)]
    assert _found("<html lang='en'><head><title>{{subject}}</title></head></html>", "ACC004") == []
    assert _found("<title>*|MC:SUBJECT|*</title>", "ACC004") == []


def test_hidden_and_pixel_images_need_no_alt() -> None:
    assert _found('<div style="display:none"><img src="a.png"></div>', "ACC002") == []
    assert _found('<img src="p.gif" style="width:1px;height:1px">', "ACC002") == []
    # 1px on one side: a spacer or a rule, which needs alt="" (ACC008), not words
    assert _found('<img src="p.gif" width="1">', "ACC002") == []
    assert _found('<img src="p.gif" width="1">', "ACC008") == [("ACC008", 1)]


def test_img_alt_inside_mso_block_is_checked() -> None:
    assert _found('<!--[if mso]><img src="a.png" width="600"><![endif]-->', "ACC002") == [
        ("ACC002", 1)
    ]


def test_layout_table_flagged_once_nested_th_does_not_count() -> None:
    html = "<table>\n<tr><td><table><tr><th>H</th></tr></table></td></tr>\n</table>"
    assert _found(html, "ACC003") == [("ACC003", 1)]
    assert _found('<table summary="Prices"><tr><td>1</td></tr></table>', "ACC003") == []
    assert _found('<table role="none"><tr><td>1</td></tr></table>', "ACC003") == []


def test_link_text_with_aria_label_or_descriptive_text() -> None:
    assert _found('<a href="x" aria-label="Read the refund policy">here</a>', "ACC005") == []
    assert _found('<a href="x">Read more about refunds</a>', "ACC005") == []
    assert _hits('<a href="x"> HERE! </a>', "ACC005") == [
        ("ACC005", 1, 'Link text "HERE!" does not say where it goes')
    ]


def test_contrast_message_names_values() -> None:
    assert _hits(_cell("background:#fff;color:#999;font-size:14px"), "ACC006") == [
        (
            "ACC006",
            1,
            "Text colour #999 on background #fff has contrast 2.85:1, below 4.5:1 for text",
        )
    ]


def test_contrast_needs_both_colours_inline() -> None:
    assert _found(_cell("color:#eeeeee"), "ACC006") == []
    assert _found(_cell("background:#ffffff"), "ACC006") == []


def test_contrast_large_text_threshold() -> None:
    # 3.54:1 passes for 24px text and 19px bold text, fails for 16px text.
    assert _found(_cell("background:#fff;color:#888;font-size:24px"), "ACC006") == []
    assert (
        _found(_cell("background:#fff;color:#888;font-size:19px;font-weight:bold"), "ACC006") == []
    )
    assert _found(_cell("background:#fff;color:#888;font-size:16px"), "ACC006") == [("ACC006", 1)]


def test_contrast_with_bgcolor_and_font_color_legacy_values() -> None:
    html = (
        '<table role="presentation" bgcolor="ffffff">'
        '<tr><td><font color="#cccccc">Light</font></td></tr></table>'
    )
    assert _found(html, "ACC006") == [("ACC006", 1)]


def test_contrast_skips_links_without_their_own_colour() -> None:
    html = _cell("background:#fff;color:#eee", '<a href="https://x.com">Link text</a>')
    assert _found(html, "ACC006") == []


def test_contrast_skips_translucent_and_image_backgrounds() -> None:
    assert _found(_cell("background:rgba(0,0,0,0.5);color:#777"), "ACC006") == []
    html = (
        '<table role="presentation" bgcolor="#ffffff"><tr>'
        "<td style=\"background-image:url('x.png');color:#eeeeee\">Hero</td></tr></table>"
    )
    assert _found(html, "ACC006") == []


def test_contrast_image_with_fallback_colour_is_judged() -> None:
    html = _cell("background:url(x.png) #ffffff;color:#eeeeee;font-size:16px")
    assert _found(html, "ACC006") == [("ACC006", 1)]


def test_contrast_skips_colours_a_style_rule_may_override() -> None:
    html = (
        "<style>.footer { color: #000000; }</style>"
        '<table role="presentation"><tr><td style="background:#fff;color:#eee">'
        '<p class="footer">Text</p></td></tr></table>'
    )
    assert _found(html, "ACC006") == []


def test_contrast_ignores_dark_mode_rules() -> None:
    html = (
        "<style>@media (prefers-color-scheme: dark) { td { background: #000 !important; } }</style>"
        + _cell("background:#fff;color:#eee;font-size:16px")
    )
    assert _found(html, "ACC006") == [("ACC006", 1)]


def test_contrast_mso_ghost_background_reported_for_outlook_only() -> None:
    html = (
        '<div style="background:#ffffff">\n'
        '<!--[if mso]><table role="presentation" bgcolor="#000000"><tr><td><![endif]-->\n'
        '<p style="color:#333333;font-size:16px">Dark text</p>\n'
        "<!--[if mso]></td></tr></table><![endif]--></div>"
    )
    hits = _hits(html, "ACC006")
    assert [(r, line) for r, line, _ in hits] == [("ACC006", 3)]
    assert hits[0][2].endswith("in Outlook for Windows")


def test_contrast_non_mso_block_is_not_outlook() -> None:
    html = (
        '<table role="presentation" bgcolor="#ffffff"><tr><td>\n'
        '<!--[if !mso]><!--><div style="background:#000000"><!--<![endif]-->\n'
        '<p style="color:#ffffff;font-size:16px">White on black everywhere but Outlook</p>\n'
        "<!--[if !mso]><!--></div><!--<![endif]-->\n</td></tr></table>"
    )
    # Other clients: white on black (fine). Outlook skips the div: white on white.
    hits = _hits(html, "ACC006")
    assert [(r, line) for r, line, _ in hits] == [("ACC006", 3)]
    assert "in Outlook for Windows" in hits[0][2]


def test_contrast_vml_fill_is_the_background() -> None:
    html = (
        '<table role="presentation" bgcolor="#ffffff"><tr><td>'
        '<!--[if mso]><v:roundrect fillcolor="#1a73e8">'
        '<center style="color:#ffffff;font-size:16px">Shop now</center>'
        "</v:roundrect><![endif]--></td></tr></table>"
    )
    assert _found(html, "ACC006") == []


def test_contrast_ratio_matches_wcag() -> None:
    assert colours.contrast((0, 0, 0), (1, 1, 1)) == pytest.approx(21.0)
    assert colours.contrast((1, 1, 1), (1, 1, 1)) == pytest.approx(1.0)
    grey = colours.parse("#767676")
    white = colours.parse("white")
    assert grey is not None and white is not None
    assert colours.contrast(grey[0], white[0]) == pytest.approx(4.54, abs=0.01)
    assert colours.parse("currentColor") is None
    assert colours.parse("fff", legacy=True) == ((1.0, 1.0, 1.0), 1.0)


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("", [("ACC001", 1), ("ACC004", 1)]),
        ("<img>", [("ACC001", 1), ("ACC002", 1), ("ACC004", 1)]),
        ("<table><th>Name", [("ACC001", 1), ("ACC004", 1)]),  # a data table: no role needed
        ("<table><th>", [("ACC001", 1), ("ACC003", 1), ("ACC004", 1)]),  # an empty th heads nothing
        ("<td style='color:'>x</td>", [("ACC001", 1), ("ACC004", 1)]),
        ("<font color=zz>x</font>", [("ACC001", 1), ("ACC004", 1)]),  # no colour: no contrast
    ],
)
def test_malformed_input_is_judged_like_any_other(html: str, expected: list[object]) -> None:
    assert _found(html) == expected


def test_a_grid_of_text_under_a_bold_header_row_is_data_that_needs_th() -> None:
    cell = '<td style="font-weight: bold">{}</td>'
    head = "".join(cell.format(h) for h in ("Name", "Date"))
    html = f"<table><tr>{head}</tr><tr><td>Party</td><td>1 May</td></tr></table>"
    config = Config.defaults(catalogue.load())
    (finding,) = [f for f in lint_text("t.html", html, config) if f.rule == "ACC003"]
    assert "holds data (1 row under a bold header row" in finding.message
    assert '<th scope="col">' in finding.message
    layout = "<table><tr><td>Hello</td><td>World</td></tr><tr><td>A</td><td>B</td></tr></table>"
    (plain,) = [f for f in lint_text("t.html", layout, config) if f.rule == "ACC003"]
    assert plain.message == 'A layout table has no role="presentation".'
