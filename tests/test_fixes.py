"""Each fix: what it writes, where, and that the rest of the file keeps its bytes."""

from __future__ import annotations

import pytest

from linter import catalogue
from linter.findings import Finding
from linter.fixes.edits import Edit, apply, resolve
from linter.fixes.fixers import FixContext, fixers
from tests.fixing import fixed, outcome, rules_in

HEAD = '<html>\n<head>\n  <meta charset="utf-8">\n  <title>Hi</title>\n</head>\n'


def page(body: str, head: str = HEAD) -> str:
    return f"{head}<body>\n{body}\n</body>\n</html>\n"


def test_every_rule_that_declares_a_fix_has_a_fixer_and_no_fixer_is_undeclared() -> None:
    declared = {r.id for r in catalogue.load().rules if r.fix}
    assert declared == set(fixers())
    assert {r.fix for r in catalogue.load().rules} == {None, "safe", "unsafe"}


def test_layout_table_gets_role_in_its_own_quote_style_and_data_tables_are_left() -> None:
    html = page(
        "<table width='100%'><tr><td>Hi</td></tr></table>\n<table><tr><th>Item</th></tr></table>"
    )
    out = fixed(html, select=("ACC003",)).decode()
    assert "<table width='100%' role='presentation'>" in out
    assert "<table><tr><th>Item</th></tr></table>" in out
    assert out.replace(" role='presentation'", "", 1) == html


def test_ghost_table_in_an_mso_comment_gets_role_and_the_comment_stays_intact() -> None:
    html = page(
        '<!--[if mso]><table width="600"><tr><td><![endif]-->\n<div>Hi</div>\n'
        "<!--[if mso]></td></tr></table><![endif]-->"
    )
    out = fixed(html, select=("ACC003",)).decode()
    assert '<!--[if mso]><table width="600" role="presentation"><tr><td><![endif]-->' in out
    assert rules_in(out.encode(), ("ACC003",)) == []


def test_self_closing_and_merge_tag_attributes_are_kept() -> None:
    html = page(
        '<table class="{{ cls }}" data-x="*|FNAME|*" ><tr><td>'
        '<img src="spacer.gif" width="1" height="20"/></td></tr></table>'
    )
    out = fixed(html, select=("ACC003", "ACC008")).decode()
    assert '<table class="{{ cls }}" data-x="*|FNAME|*" role="presentation" >' in out
    assert '<img src="spacer.gif" width="1" height="20" alt=""/>' in out


def test_content_images_get_no_alt_only_spacers_do() -> None:
    html = page(
        '<img src="https://x.com/hero.png" width="600">'
        '<img src="https://x.com/img/spacer.gif" width="20" height="20">'
    )
    out = fixed(html, select=("ACC002", "ACC008")).decode()
    assert '<img src="https://x.com/hero.png" width="600">' in out
    assert '<img src="https://x.com/img/spacer.gif" width="20" height="20" alt="">' in out
    # the hero still needs words: ACC002 has no fix, only the spacer rule does
    assert rules_in(out.encode(), ("ACC002", "ACC008")) == ["ACC002"]


def test_lang_comes_from_config_only() -> None:
    html = page("<p>Hi</p>")
    assert fixed(html, select=("ACC001",)) == html.encode()
    assert '<html lang="pt-BR">' in fixed(html, select=("ACC001",), lang="pt-BR").decode()
    empty = html.replace("<html>", '<html lang="">')
    assert '<html lang="en">' in fixed(empty, select=("ACC001",), lang="en").decode()


# A layout wider than a phone: it needs the viewport (RSP001).
_FIXED = '<table width="600"><tr><td>Hi</td></tr></table>'


def test_viewport_goes_after_the_last_meta_with_its_indentation_and_void_style() -> None:
    out = fixed(page(_FIXED), select=("RSP001",)).decode()
    assert (
        '  <meta charset="utf-8">\n'
        '  <meta name="viewport" content="width=device-width, initial-scale=1">\n  <title>' in out
    )
    xhtml = HEAD.replace('charset="utf-8">', 'charset="utf-8" />')
    out = fixed(page(_FIXED, xhtml), select=("RSP001",)).decode()
    assert '<meta name="viewport" content="width=device-width, initial-scale=1" />' in out


def test_viewport_on_a_one_line_head_stays_on_the_line() -> None:
    html = f"<html><head><title>Hi</title></head><body>{_FIXED}</body></html>"
    out = fixed(html, select=("RSP001",)).decode()
    assert out == html.replace(
        "<head>", '<head><meta name="viewport" content="width=device-width, initial-scale=1">'
    )


VML = '<!--[if mso]><v:rect style="width:600px;height:80px" fill="true"><v:fill type="frame" src="https://x.com/b.png"/></v:rect><![endif]-->'


def test_pixels_per_inch_goes_in_an_outlook_only_xml_block_with_xmlns_o() -> None:
    out = fixed(page(VML), select=("OUT002",)).decode()
    assert '<html xmlns:o="urn:schemas-microsoft-com:office:office">' in out
    block = (
        "\n  <!--[if gte mso 9]>\n  <xml>\n    <o:OfficeDocumentSettings>\n"
        "      <o:PixelsPerInch>96</o:PixelsPerInch>"
    )
    assert block in out
    assert rules_in(out.encode(), ("OUT002", "OUT001")) == ["OUT001"]  # v: is OUT001's own fix
    assert rules_in(fixed(out, select=("OUT001",)), ("OUT002", "OUT001")) == []


def test_a_wrong_pixels_per_inch_value_is_corrected_in_place() -> None:
    head = HEAD.replace(
        "</head>",
        "<!--[if gte mso 9]><xml><o:OfficeDocumentSettings><o:PixelsPerInch>72</o:PixelsPerInch>"
        "</o:OfficeDocumentSettings></xml><![endif]-->\n</head>",
    )
    html = page(VML, head).replace(
        "<html>",
        '<html xmlns:v="urn:schemas-microsoft-com:vml"'
        ' xmlns:o="urn:schemas-microsoft-com:office:office">',
    )
    out = fixed(html, select=("OUT002",)).decode()
    assert out == html.replace(">72<", ">96<")


def test_vml_namespaces_go_on_html() -> None:
    out = fixed(page(VML).replace("<html>", '<html lang="en">'), select=("OUT001",)).decode()
    assert '<html lang="en" xmlns:v="urn:schemas-microsoft-com:vml">' in out
    both = page(VML.replace("<v:fill", '<o:lock v:ext="edit"/><v:fill'))
    out = fixed(both, select=("OUT001",)).decode()
    assert (
        '<html xmlns:v="urn:schemas-microsoft-com:vml"'
        ' xmlns:o="urn:schemas-microsoft-com:office:office">'
    ) in out
    assert rules_in(out.encode(), ("OUT001",)) == []


def test_pixel_alt_text_is_emptied_and_missing_alt_added() -> None:
    with_text = page('<img src="https://t.x.com/o.gif" width="1" height="1" alt="open pixel">')
    assert 'alt=""' in fixed(with_text, select=("TRK005",)).decode()
    bare = page("<img src=https://t.x.com/o.gif width=1 height=1 alt=pixel>")
    assert (
        '<img src=https://t.x.com/o.gif width=1 height=1 alt="">'
        in fixed(bare, select=("TRK005",)).decode()
    )


def test_unsafe_fixes_need_the_flag() -> None:
    html = page('<a href="http://x.com/a" onclick="track()">Shop the sale</a>')
    assert fixed(html, select=("LNK001", "SEC002")) == html.encode()
    out = fixed(html, select=("LNK001", "SEC002"), unsafe=True).decode()
    assert '<a href="https://x.com/a">Shop the sale</a>' in out


def test_event_handlers_one_per_line_keep_the_layout() -> None:
    html = page('<a\n   onmouseover="x()"\n   href="https://x.com/"\n   onclick="y()">Shop</a>')
    out = fixed(html, select=("SEC002",), unsafe=True).decode()
    assert '<a\n   href="https://x.com/">Shop</a>' in out


def test_suppressed_findings_are_not_fixed_and_unused_suppressions_are_removed() -> None:
    html = page(
        "<!-- presend-disable-next-line ACC003 -->\n<table><tr><td>kept</td></tr></table>\n"
        "<table><tr><td>fixed</td></tr></table>\n<!-- presend-disable SEC001 -->\n<p>x</p>"
    )
    out = fixed(html).decode()
    assert "<!-- presend-disable-next-line ACC003 -->\n<table><tr><td>kept" in out
    assert '<table role="presentation"><tr><td>fixed' in out
    assert "presend-disable SEC001" not in out and "</table>\n<p>x</p>" in out


def test_crlf_file_keeps_crlf_everywhere_and_inserts_crlf() -> None:
    html = page(VML).replace("\n", "\r\n")
    out = fixed(html, select=("OUT002", "RSP001"))
    assert out.count(b"\n") == out.count(b"\r\n")
    assert b"<!--[if gte mso 9]>\r\n  <xml>\r\n" in out


def test_windows_1252_file_is_written_back_in_windows_1252() -> None:
    html = page("<table><tr><td>Caf\u00e9 \u2013 \u20ac5</td></tr></table>").replace(
        'charset="utf-8"', 'http-equiv="Content-Type" content="text/html; charset=windows-1252"'
    )
    data = html.encode("cp1252")
    out = fixed(data, select=("ACC003",))
    assert out == data.replace(b"<table>", b'<table role="presentation">')
    assert b"Caf\xe9 \x96 \x805" in out


def test_a_second_run_changes_nothing_and_the_outcome_counts_the_fixes() -> None:
    html = page('<table width="600"><tr><td>a</td></tr></table><table><tr><td>b</td></tr></table>')
    once = fixed(html)
    assert fixed(once) == once
    _, result = outcome(html.encode())
    assert result.fixed == {"ACC003": 2, "RSP001": 1} and result.passes == 1


def test_overlapping_edits_keep_the_first_and_insertions_at_one_point_all_apply() -> None:
    edits = [Edit(2, 5, "X", "B"), Edit(3, 4, "Y", "A"), Edit(2, 2, "i", "C"), Edit(2, 2, "j", "D")]
    kept, dropped = resolve(edits)
    assert dropped == [Edit(3, 4, "Y", "A")]
    assert apply("abcdefg", kept) == "abijXfg"


@pytest.mark.parametrize("lang", ["en", "pt-BR", "zh-Hant-TW"])
def test_config_accepts_language_tags(tmp_path, lang: str) -> None:  # type: ignore[no-untyped-def]
    from linter import config as cfg

    path = tmp_path / "presend.toml"
    path.write_text(f'[accessibility]\nlang = "{lang}"\n')
    assert cfg.load(path, catalogue.load()).policy.accessibility.lang == lang


def test_config_rejects_a_non_language(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from linter import config as cfg

    path = tmp_path / "presend.toml"
    path.write_text('[accessibility]\nlang = "English"\n')
    with pytest.raises(cfg.ConfigError, match=r"accessibility\.lang"):
        cfg.load(path, catalogue.load())


def test_catalogue_rejects_an_unknown_fix_safety() -> None:
    from linter.checks.registry import registry

    raw = {
        "id": "ACC900",
        "name": "x-y",
        "severity": "error",
        "summary": "S.",
        "why": "W.",
        "check": "requires-title",
        "fix": "maybe",
        "options": [{"text": "a", "preferred": True}, {"text": "b"}],
        "examples": {"bad": ["<p>"], "good": ["<title>x</title>"]},
    }
    with pytest.raises(catalogue.CatalogueError, match='fix: expected "safe" or "unsafe"'):
        catalogue.parse_rule(raw, "accessibility", "ACC", "rules/x.toml", registry())


@pytest.mark.parametrize(
    ("bom", "encoding"),
    [(b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")],
)
def test_a_byte_order_mark_and_its_encoding_are_kept(bom: bytes, encoding: str) -> None:
    html = page("<table><tr><td>\u00fcber</td></tr></table>")
    out = fixed(bom + html.encode(encoding), select=("ACC003",))
    want = html.replace("<table>", '<table role="presentation">')
    assert out == bom + want.encode(encoding)


def test_old_mac_line_ends_are_kept_and_used_for_new_lines() -> None:
    out = fixed(page(_FIXED).replace("\n", "\r"), select=("RSP001",))
    assert b"\n" not in out
    assert b'<meta charset="utf-8">\r  <meta name="viewport"' in out


def test_a_merge_tag_with_a_bracket_inside_a_start_tag_is_kept() -> None:
    html = page('<table data-a="{{ a > b }}" title=*|TITLE|*><tr><td>x</td></tr></table>')
    out = fixed(html, select=("ACC003",)).decode()
    assert '<table data-a="{{ a > b }}" title=*|TITLE|* role="presentation">' in out


def test_the_loop_stops_after_max_passes_when_a_fix_never_settles(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from linter.fixes import runner
    from linter.fixes.fixers import Fixer

    def restless(ctx: FixContext, finding: Finding) -> list[Edit]:
        # Changes the table's tag (so its finding looks new each pass) but never fixes it.
        at = ctx.offset(finding) + len("<table")
        return [Edit(at, at, " x", "ACC003")]

    monkeypatch.setattr(runner, "fixers", lambda: {"ACC003": Fixer("ACC003", restless)})
    html = page("<table><tr><td>x</td></tr></table>")
    _, result = outcome(html.encode(), select=("ACC003",))
    assert result.passes == runner.MAX_PASSES
    assert "<table x x x x x>" in result.text
    assert [f.rule for f in result.findings] == ["ACC003"]


def test_a_fix_the_parser_does_not_see_is_applied_once() -> None:
    # lxml merges two <html> tags into the first: the second's lang is written but unread.
    html = "<html><head><title>x</title></head><body><p>x</p></body></html>\n<html>\n"
    out = fixed(html, select=("ACC001", "OUT001"), lang="en").decode()
    assert out.count('lang="en"') == 1
    assert fixed(out, select=("ACC001",), lang="en").decode() == out


def test_two_rules_asking_for_the_same_edit_get_it_once() -> None:
    html = page(VML)
    out = fixed(html, select=("OUT001", "OUT002")).decode()
    assert out.count("xmlns:o=") == 1 and out.count("xmlns:v=") == 1


def test_pixel_size_is_set_only_on_unsized_or_zero_pixels_and_only_when_unsafe() -> None:

    from linter.fixes.encoded import EncodedText
    from linter.fixes.runner import FixMode, fix_text
    from linter.policy import TrackingPolicy
    from tests.fixing import config

    def run(img: str) -> str:
        data = page(img).encode()
        cfg = config(("TRK004",))
        policy = cfg.file.tracking._replace(pixel_hosts=("t.x.com",))
        assert isinstance(policy, TrackingPolicy)
        cfg = cfg._replace(file=cfg.file._replace(tracking=policy))
        encoded = EncodedText(data.decode(), "utf-8")
        return fix_text("t.html", encoded, cfg.settings_for("t.html"), FixMode(True)).text

    assert '<img src="https://t.x.com/o.gif" alt="" width="1" height="1">' in run(
        '<img src="https://t.x.com/o.gif" alt="">'
    )
    assert '<img src="https://t.x.com/o.gif" width="1" height=\'1\' alt="">' in run(
        '<img src="https://t.x.com/o.gif" width="0" height=\'0\' alt="">'
    )
    banner = '<img src="https://t.x.com/banner.png" width="600" alt="Sale">'
    assert banner in run(banner)


def test_a_pass_whose_result_the_parser_rejects_is_undone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from linter.documents.email import EmailDocument
    from linter.fixes import runner

    def picky(path: str, text: str) -> EmailDocument:
        if "role=" in text:  # as lxml raised on some attribute names before issue 13
            raise ValueError("Invalid attribute name")
        return EmailDocument(path, text)

    monkeypatch.setattr(runner, "EmailDocument", picky)
    html = page("<table><tr><td>x</td></tr></table>")
    _, result = outcome(html.encode(), select=("ACC003",))
    assert result.text == html and result.passes == 0 and not result.fixed
    assert [f.rule for f in result.findings] == ["ACC003"]


def test_tables_with_a_role_of_their_own_or_a_data_grid_get_no_role() -> None:
    module = '<table role="module" data-type="text"><tr><td>Hi</td></tr></table>'
    grid = (
        "<table><tr><td><b>Item</b></td><td><b>Price</b></td></tr>"
        "<tr><td>Shoes</td><td>$50</td></tr></table>"
    )
    html = page(module + "\n" + grid)
    assert rules_in(html.encode(), ("ACC003",)) == ["ACC003", "ACC003"]
    assert fixed(html, select=("ACC003",)) == html.encode()


def test_pixels_per_inch_without_xmlns_o_gets_the_namespace() -> None:
    head = HEAD.replace(
        "</head>",
        "<!--[if gte mso 9]><xml><o:OfficeDocumentSettings><o:PixelsPerInch>96</o:PixelsPerInch>"
        "</o:OfficeDocumentSettings></xml><![endif]-->\n</head>",
    )
    html = page(VML, head).replace("<html>", '<html xmlns:v="urn:schemas-microsoft-com:vml">')
    out = fixed(html, select=("OUT002",)).decode()
    assert out == html.replace(
        '<html xmlns:v="urn:schemas-microsoft-com:vml">',
        '<html xmlns:v="urn:schemas-microsoft-com:vml"'
        ' xmlns:o="urn:schemas-microsoft-com:office:office">',
    )
    assert rules_in(out.encode(), ("OUT002",)) == []
