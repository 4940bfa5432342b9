"""Client support (CLS001-003, CLS005): precise detection, MSO audiences, containers, fallbacks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from linter import catalogue
from linter.clients import load_data
from linter.clients.detect import UNMAPPED, mapped_slugs, selector_features, value_features
from linter.config import Config
from linter.findings import Finding
from linter.lint import lint_text
from linter.policy import ClientsPolicy, Policy

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures" / "email" / "client-support"
CORPUS = ROOT / "fixtures" / "email" / "corpus"
CAT = catalogue.load()
GLOBAL = Policy(clients=ClientsPolicy(("global",)))


def _lint(text: str, policy: Policy = GLOBAL, path: str = "t.html") -> list[Finding]:
    # All three rules, the opt-in CLS003 included, so enhancements are visible to the tests.
    config = Config.defaults(CAT, policy)._replace(
        cli_select=("CLS001", "CLS002", "CLS003", "CLS005")
    )
    return [f for f in lint_text(path, text, config) if f.rule.startswith("CLS")]


def _slugs(findings: list[Finding], rule: str | None = None) -> set[str]:
    return {f.message.split(" ", 1)[0] for f in findings if rule is None or f.rule == rule}


def _file(name: str) -> list[Finding]:
    path = FIXTURES / name
    return _lint(path.read_text(encoding="utf-8"), path=str(path))


# -- mapping -------------------------------------------------------------------------
def test_every_caniemail_slug_is_mapped_or_explained() -> None:
    slugs = set(load_data().features)
    assert mapped_slugs() <= slugs, "a table names a slug caniemail does not have"
    assert set(UNMAPPED) <= slugs
    assert not mapped_slugs() & set(UNMAPPED)
    assert slugs == mapped_slugs() | set(UNMAPPED)


@pytest.mark.parametrize(
    ("name", "value", "expected", "absent"),
    [
        ("display", "flex", {"css-display-flex"}, {"css-display-grid"}),
        ("display", "inline-flex", {"css-display-flex"}, set()),
        ("display", "block", set(), {"css-display-flex", "css-display-none"}),
        ("margin", "1rem 2em", {"css-unit-rem", "css-unit-em"}, set()),
        ("background", "url(img-2em.png) #fff", set(), {"css-unit-em"}),
        ("color", "rgba(0, 0, 0, .5)", {"css-rgba"}, {"css-rgb"}),
        ("width", "calc(100% - 20px)", {"css-unit-calc", "css-unit-percent", "css-unit-px"}, set()),
        (
            "grid-template-columns",
            "minmax(0, 1fr)",
            set(),
            {"css-function-min", "css-function-max"},
        ),
        ("background-image", "url('https://x.test/a.webp')", {"image-webp"}, set()),
        ("font-family", "system-ui, Arial", {"css-sytem-ui"}, set()),
    ],
)
def test_value_features_are_exact(
    name: str, value: str, expected: set[str], absent: set[str]
) -> None:
    found = {slug for slug, _ in value_features(name, value)}
    assert expected <= found
    assert not absent & found


def test_selector_features() -> None:
    found = {slug for slug, _ in selector_features("a:hover, u + #body a > b, p::before")}
    assert {
        "css-pseudo-class-hover",
        "css-selector-adjacent-sibling",
        "css-selector-child",
        "css-selector-grouping",
        "css-pseudo-element-before",
    } <= found
    inside = {slug for slug, _ in selector_features("li:nth-child(2n+1)")}
    assert "css-selector-adjacent-sibling" not in inside  # the + is in the argument


# -- hand-made fixtures ------------------------------------------------------------------
def test_clean_file_has_no_findings() -> None:
    assert _file("clean.html") == []


def test_css_values_shorthand_and_comments() -> None:
    found = _file("css-values.html")
    errors = _slugs(found, "CLS005")
    assert {"css-display-flex", "css-display-grid", "css-unit-rem", "css-unit-vw"} <= errors
    flex = [f for f in found if "css-display-flex" in f.message]
    assert [f.line for f in flex] == [13], "display:block and the commented rule are not flex"
    assert "outlook.windows 2013\N{EN DASH}2019, outlook.windows-mail" in flex[0].message
    assert "outlook.windows" in flex[0].clients
    # rgba() after a plain background-color degrades to it: info, not error
    assert "css-rgba" in _slugs(found, "CLS003") and "css-rgba" not in errors
    # border-top (a longhand) is judged as the css-border page; its gaps are partial only
    assert "css-border" not in errors


def test_mso_conditionals_both_ways() -> None:
    found = _file("mso-conditionals.html")
    by_line = {(f.line, f.rule): f for f in found}
    mso_flex = by_line[(7, "CLS005")]
    assert mso_flex.audience == "mso" and set(mso_flex.clients) <= {
        "outlook.windows",
        "outlook.windows-mail",
    }
    grid = [f for f in found if "css-display-grid" in f.message]
    assert len(grid) == 1 and grid[0].audience == "non-mso"
    assert not {"outlook.windows", "outlook.windows-mail"} & set(grid[0].clients)
    assert grid[0].rule == "CLS002"  # only Gmail's partial support is left
    ghost = [f for f in found if "css-max-width" in f.message]
    assert [f.rule for f in ghost] == ["CLS003"]


def test_media_feature_queries_are_enhancements() -> None:
    found = _file("media-features.html")
    assert {f.rule for f in found} == {"CLS003"}
    slugs = _slugs(found)
    assert {
        "css-at-media",
        "css-at-media-prefers-color-scheme",
        "css-at-media-orientation",
        "css-at-supports",
        "css-at-font-face",
        "css-pseudo-class-hover",
    } <= slugs
    # Declarations inside @media are not reported for clients that ignore @media.
    assert "css-display-grid" not in slugs or all(
        "outlook.windows" not in f.clients for f in found if "css-display-grid" in f.message
    )


def test_html_elements_attributes_and_image_formats() -> None:
    found = _file("html-and-images.html")
    errors = _slugs(found, "CLS001")
    assert {
        "html-video",
        "html-form",
        "html-input-radio",
        "image-webp",
        "image-svg",
        "image-avif",
    } <= errors
    assert "image-jpg" not in _slugs(found) and "image-png" not in _slugs(found)
    assert "html-background" not in errors, "bgcolor is the fallback"


def test_targets_change_the_answer() -> None:
    text = '<div style="display: flex">x</div>'
    apple = Policy(clients=ClientsPolicy(("apple-mail.*",)))
    assert _lint(text, apple) == []
    outlook = Policy(clients=ClientsPolicy(("outlook.windows@all",)))
    (finding,) = _lint(text, outlook)
    assert "outlook.windows 2007\N{EN DASH}2019" in finding.message


# -- real templates ------------------------------------------------------------------------
CORPUS_FILES = sorted(p for p in CORPUS.glob("*/*.html"))


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_no_finding_for_code_its_audience_never_sees(path: Path) -> None:
    for finding in _lint(path.read_text(encoding="utf-8"), path=str(path)):
        word = {"outlook.windows", "outlook.windows-mail"}
        if finding.audience == "mso":
            assert set(finding.clients) <= word, finding
        if finding.audience == "non-mso":
            assert not set(finding.clients) & word, finding


SNAPSHOT = FIXTURES / "corpus-snapshot.json"
SNAPSHOT_FILES = (
    "Cerberus/cerberus-hybrid.html",
    "transactional-email-templates/templates_inlined_alert.html",
    "responsive-html-email-template/email.html",
    "postmark-templates/templates-inlined_basic-full_welcome_content.html",
)


def snapshot() -> dict[str, object]:
    """Errors and warnings in full; enhancements counted per feature."""
    out: dict[str, object] = {}
    for name in SNAPSHOT_FILES:
        path = CORPUS / name
        found = _lint(path.read_text(encoding="utf-8"), path=name)
        rows = [
            {
                "rule": f.rule,
                "line": f.line,
                "feature": next(iter(_slugs([f]))),
                "audience": f.audience,
                "clients": list(f.clients),
            }
            for f in found
            if f.rule != "CLS003"
        ]
        info: dict[str, int] = {}
        for f in found:
            if f.rule == "CLS003":
                slug = next(iter(_slugs([f])))
                info[slug] = info.get(slug, 0) + 1
        out[name] = {"findings": rows, "enhancements": dict(sorted(info.items()))}
    return out


def test_corpus_snapshot_matches_the_reviewed_one() -> None:
    expected = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    assert snapshot() == expected


def test_hidden_on_outlook_only_spacers_is_intended_not_an_error() -> None:
    # Mark Robbins' button: Outlook renders the spacer; hidden= is for screen readers.
    button = (
        '<a href="https://example.com"><!--[if mso]><i style="mso-font-width:-100%" hidden>'
        "&nbsp;</i><![endif]-->Buy</a>"
    )
    assert {f.rule for f in _lint(button)} <= {"CLS003"}
    visible = "<p hidden>Secret</p>"
    assert "CLS001" in {f.rule for f in _lint(visible)}


def test_css_on_the_ghost_table_itself_is_judged_for_outlook() -> None:
    # The cell *is* the Outlook fallback: its own unsupported CSS has nothing behind it.
    html = (
        '<!--[if mso]><table width="600"><tr><td style="display:grid"><![endif]-->'
        '<div style="max-width:600px">x</div><!--[if mso]></td></tr></table><![endif]-->'
    )
    found = [f for f in _lint(html) if "css-display-grid" in f.message]
    assert [(f.rule, f.audience) for f in found] == [("CLS005", "mso")]


def test_the_level_param_names_exactly_the_judgements() -> None:
    """ClientSupportParams.level is a Literal, checked when the catalogue loads: its values
    must be Level's, which the check maps them to."""
    from typing import get_args, get_type_hints

    from linter.checks.email.client_support import ClientSupportParams
    from linter.clients.assess import Level

    levels = get_args(get_type_hints(ClientSupportParams)["level"])
    assert sorted(levels) == sorted(level.value for level in Level)
