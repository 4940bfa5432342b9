"""The client-support check's cached walk (JudgedUses) equals detect() then judge, exactly."""

from __future__ import annotations

from pathlib import Path

import pytest

from linter.clients.assess import Assessment, judge_for
from linter.clients.detect import JudgedUses, Use, detect
from linter.documents.email import EmailDocument

ROOT = Path(__file__).resolve().parent.parent
FILES = sorted((ROOT / "fixtures" / "email").rglob("*.html"))
SPECS = (
    ("global",),
    ("gmail.*", "outlook.*", "apple-mail.*", "yahoo.*"),
    ("outlook.windows",),
    ("*",),
)

# Places where uses of different texts meet: a style attribute the position scan cannot
# find (after "/", so its uses are placed from the tag's start, onto the src value at
# 2:11), repeated srcset formats, an element and its attribute sharing a feature, MSO
# ghost tables and fixed cells that change only the Word fallback.
EDGES = """<html><head>
<style>@media (max-width: 600px) { .a:hover > b { display: flex; width: 10rem } }</style>
</head><body>
<img src="a.webp"/style="          background-image:url(a.webp); max-width: 2rem">
<img src="b.png" srcset="c.webp 1x, d.webp 2x, e.avif 3x" sizes="10vw" style="width: 5em">
<map name="m" usemap="#m"><area href="#top"></map>
<!--[if mso]><table width="600"><tr><td style="max-width: 600px; display: flex"><![endif]-->
<div style="max-width: 600px; display: flex">x</div>
<!--[if mso]></td></tr></table><![endif]-->
<table><tr><td width="300"><div style="max-width: 600px; min-width: 10px">y</div></td>
<td style="width: 200px"><p style="max-width: 600px">z</p></td></tr></table>
<div style="max-width: 600px; display: flex">x</div>
<v:rect style="width: 10rem"></v:rect>
<a href="mailto:x@example.com" style="--x: var(--y); --x: red; color: rgba(0,0,0,.5)">m</a>
</body></html>
"""


def _reference(doc: EmailDocument, specs: tuple[str, ...]) -> list[tuple[Use, Assessment]]:
    judge = judge_for(specs)
    return [(use, found) for use in detect(doc) if (found := judge(use)) is not None]


@pytest.mark.parametrize("specs", SPECS, ids=lambda s: " ".join(s))
def test_same_as_detect_then_judge_on_every_fixture(specs: tuple[str, ...]) -> None:
    judged = JudgedUses(judge_for(specs))
    for _ in range(2):  # the second pass reads the per-text memo
        for path in FILES:
            doc = EmailDocument(str(path), path.read_text(encoding="utf-8"))
            assert list(judged(doc)) == _reference(doc, specs), path


@pytest.mark.parametrize("specs", SPECS, ids=lambda s: " ".join(s))
def test_same_as_detect_then_judge_where_places_meet(specs: tuple[str, ...]) -> None:
    judged = JudgedUses(judge_for(specs))
    doc = EmailDocument("edges.html", EDGES)
    assert list(judged(doc)) == _reference(doc, specs)
    assert list(judged(EmailDocument("edges.html", EDGES))) == _reference(doc, specs)


def test_a_style_attribute_not_found_is_placed_from_the_tag() -> None:
    # The case the walk claims explicitly: the unjudged CSS image use (inside
    # background-image, which Outlook drops) sits where the <img src> use is.
    doc = EmailDocument("edges.html", EDGES)
    img = doc.find("img")[0]
    assert doc.attr_offset(img, "style") == img.offset
    uses = [u for u in detect(doc) if (u.slug, u.line, u.column) == ("image-webp", 4, 11)]
    assert [u.containers for u in uses] == [("css-background-image",)]
    judge = judge_for(("outlook.windows",))
    assert judge(uses[0]) is None
    found = [(u.slug, u.line, u.column) for u, _ in JudgedUses(judge)(doc)]
    assert ("image-webp", 4, 11) not in found
