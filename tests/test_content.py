"""Content standard (CNT): placeholder images, beyond the catalogue's examples."""

from __future__ import annotations

from pathlib import Path

from linter import catalogue
from linter.config import Config, load
from linter.lint import lint_text
from tests.pages import rule_lines


def _messages(text: str) -> list[str]:
    config = Config.defaults(catalogue.load())
    return [f.message for f in lint_text("t.html", text, config) if f.rule == "CNT002"]


def test_one_finding_at_the_first_in_the_source_with_the_count() -> None:
    text = """<html><head><style>
.hero { background: url(https://picsum.photos/600/300) }
</style></head><body><div class="hero">
<img src="https://via.placeholder.com/200x50" alt="Logo"></div>
<td background="http://placehold.it/600x300"></td>
</body></html>"""
    assert rule_lines(text, "CNT") == [("CNT002", 2)]
    (message,) = _messages(text)
    assert "url(https://picsum.photos/600/300) comes from picsum.photos" in message
    assert "(and 2 more images from such services)" in message


def test_outlook_only_fills_count_as_images() -> None:
    text = """<html><body><!--[if mso]>
<v:rect><v:fill type="frame" src="https://via.placeholder.com/600x300"/></v:rect>
<![endif]--><p>Spring sale</p></body></html>"""
    assert rule_lines(text, "CNT") == [("CNT002", 2)]


def test_hosts_match_whole_labels_and_links_are_not_images() -> None:
    quiet = [
        '<img src="https://notplaceholder.com/a.png" alt="x">',  # another host
        '<img src="https://cdn.example.com/placehold.it/a.png" alt="x">',  # a path
        '<img src="https://{{cdn}}/hero.png" alt="x">',  # filled at send time
        '<a href="https://placeholder.com/">placeholder.com</a>',  # a link, not an image
        "<p>Drafts used https://placehold.it/600x300 images.</p>",  # text
    ]
    for snippet in quiet:
        assert rule_lines(f"<html><body>{snippet}</body></html>", "CNT") == [], snippet


def test_a_team_names_its_own_stand_in_host(tmp_path: Path) -> None:
    path = tmp_path / "presend.toml"
    path.write_text(
        """
[[rule]]
standard = "brand"
id = "BRD001"
name = "draft-image"
severity = "error"
summary = "An image still comes from the drafts bucket."
why = "Readers see the draft. Severity: error, because readers see the wrong image."
check = "forbids-placeholder-image"
params = { hosts = ["drafts.example-dam.com"] }
options = [{ text = "Publish the image.", preferred = true }, { text = "Waive it." }]
examples.bad = ["<html><body><img src='https://drafts.example-dam.com/a.png'></body></html>"]
examples.good = ["<html><body><img src='https://cdn.example.com/a.png'></body></html>"]
"""
    )
    config = load(path, catalogue.load())
    text = '<html><body><img src="https://drafts.example-dam.com/hero.png" alt="x"></body></html>'
    rules = {f.rule for f in lint_text("t.html", text, config)}
    assert "BRD001" in rules and "CNT002" not in rules


def test_an_alt_that_is_the_slot_label_is_placeholder_copy() -> None:
    def found(snippet: str) -> list[tuple[str, int]]:
        return rule_lines(f"<html><body><p>Spring sale</p>{snippet}</body></html>", "CNT")

    for label in ("alt_text", "alt text", "Your alt text", " ALT-TEXT here "):
        assert found(f'<img src="https://cdn.example.com/a.png" alt="{label}">') == [
            ("CNT001", 1)
        ], label
    for quiet in (
        '<img src="https://cdn.example.com/a.png" alt="Alt text, explained">',
        "<p>Write alt text for every image.</p>",  # copy about alt text
        '<a href="https://example.com" title="alt text">Shop</a>',  # not an image
    ):
        assert found(quiet) == [], quiet


def test_every_way_an_image_is_named_counts_and_nothing_else_does() -> None:
    shown = [
        '<img srcset="https://cdn.example.com/a.png 1x, https://placehold.co/1200x600 2x">',
        '<picture><source srcset="https://picsum.photos/800"><img src="a.png" alt=""></picture>',
        '<video poster="https://dummyimage.com/600x300"></video>',
        '<input type="image" src="https://placehold.co/120x40" alt="Go">',
    ]
    for snippet in shown:
        assert rule_lines(f"<html><body>{snippet}</body></html>", "CNT") == [("CNT002", 1)]
    quiet = [
        '<script src="https://placehold.co/x.js"></script>',  # not an image
        '<iframe src="https://placehold.co/600x300"></iframe>',
        '<input type="text" src="https://placehold.co/600x300">',
        # CSS no element shows: an unused rule, a web font
        "<style>.unused { background: url(https://placehold.co/600x300) }</style>",
        "<style>@font-face { font-family: X; src: url(https://placehold.co/x.woff) }</style>",
    ]
    for snippet in quiet:
        assert rule_lines(f"<html><body>{snippet}</body></html>", "CNT") == [], snippet


def test_a_huge_host_is_clipped_in_the_message() -> None:
    host = "a" * 5000 + ".placehold.co"
    (message,) = _messages(f'<html><body><img src="https://{host}/600x300"></body></html>')
    assert len(message) < 400
