"""`presend review` end to end on real temporary git repos and real diffs.

Each change request asserts the exact new findings, the verdict and the exit code.
"""

# Real email markup keeps one element per line, however long: that is what a diff touches.
# ruff: noqa: E501

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from linter.cli import main

TEMPLATE = """<!DOCTYPE html>
<html xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Spring sale</title>
<!--[if mso]><xml><o:OfficeDocumentSettings><o:PixelsPerInch>96</o:PixelsPerInch></o:OfficeDocumentSettings></xml><![endif]-->
<style>
@media (max-width: 600px) { .wrap { width: 100% !important; } }
</style>
</head>
<body>
<table class="wrap" width="100%" role="presentation"><tr><td>
<p style="font-size:16px">Hello {{ first_name }},</p>
<p style="font-size:16px">Our spring sale starts now.</p>
<!--[if mso]>
<v:roundrect xmlns:v="urn:schemas-microsoft-com:vml" href="https://shop.example.com/sale" style="height:44px;v-text-anchor:middle;width:200px;" arcsize="10%" stroke="f" fillcolor="#222222"><center style="color:#ffffff;">Shop now</center></v:roundrect>
<![endif]-->
<!--[if !mso]><!-->
<table role="presentation"><tr><td style="background:#222222;padding:13px 17px"><a href="https://shop.example.com/sale" style="color:#ffffff">Shop now</a></td></tr></table>
<!--<![endif]-->
<p style="font-size:14px">Example Ltd, 1 High Street, London</p>
<p style="font-size:14px"><a href="{{ unsubscribe_url }}">Unsubscribe</a></p>
<img src="https://t.example.com/o.gif?id={{ id }}" width="1" height="1" alt="" style="display:block">
</td></tr></table>
</body>
</html>
"""
VML_BUTTON = TEMPLATE[
    TEMPLATE.index("<!--[if mso]>\n<v:") : TEMPLATE.index('<p style="font-size:14px">Ex')
]
CSS_BUTTON = (
    '<a href="https://shop.example.com/sale" style="display:inline-block;background:#222222;'
    'padding:13px 17px;color:#ffffff;border-radius:4px">Shop now</a>\n'
)
PIXEL = '<img src="https://t.example.com/o.gif?id={{ id }}" width="1" height="1" alt="" style="display:block">\n'
SECOND_PIXEL = '<img src="https://px.partner-analytics.com/p.gif" width="1" height="1" alt="">\n'
VIEWPORT = '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
# The team's agreed tracking policy: one pixel, from the ESP's host.
CONFIG = """# every standard, and OUT008, which is opt-in
select = ["responsive", "outlook", "client-support", "gmail", "accessibility", "tracking",
  "links", "compliance", "merge-tags", "security", "presend", "OUT008"]

[tracking]
pixel-required = true
pixel-hosts = ["t.example.com"]

# The agreement with this client: a broken responsive layout or tracking blocks the send.
[severity]
responsive = "error"
tracking = "error"
"""
PROMO = "templates/promo.html"


class Repo:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.git("init", "-q", "-b", "main")
        self.git("config", "user.email", "dev@example.com")
        self.git("config", "user.name", "Dev")
        self.git("config", "commit.gpgsign", "false")

    def git(self, *args: str) -> str:
        proc = subprocess.run(
            ["git", *args], cwd=self.root, capture_output=True, text=True, check=True
        )
        return proc.stdout

    def write(self, path: str, text: str) -> None:
        target = self.root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")

    def read(self, path: str) -> str:
        return (self.root / path).read_text(encoding="utf-8")

    def commit(self, message: str) -> None:
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Repo:
    r = Repo(tmp_path)
    r.write("presend.toml", CONFIG)
    r.write(PROMO, TEMPLATE)
    r.write("templates/welcome.html", TEMPLATE.replace("Spring sale", "Welcome"))
    r.commit("Agreed templates")
    monkeypatch.chdir(tmp_path)
    return r


def review(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["review", *args])
    return result.exit_code, result.output


def review_json(*args: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    code, out = review(*args, "--format", "json")
    return code, json.loads(out)


def new_findings(doc: dict, request: int = 0) -> list[tuple[str, str, int]]:  # type: ignore[type-arg]
    return [
        (f["rule"], f["path"], f["line"])
        for s in doc["requests"][request]["standards"]
        for r in s["rules"]
        for f in r["findings"]
    ]


def test_dropping_the_viewport_breaks_responsive(repo: Repo) -> None:
    repo.write(PROMO, TEMPLATE.replace(VIEWPORT, ""))
    code, doc = review_json("--base", "main")
    assert new_findings(doc) == [("RSP001", PROMO, 2)]
    assert doc["verdict"] == "breaks 1 agreed standard"
    assert doc["requests"][0]["files"] == [PROMO]  # only the changed file is linted
    assert code == 1
    code, text = review("--base", "main")
    assert "Verdict: breaks 1 agreed standard (responsive)." in text
    assert "iPhone and Android mail apps" in text  # the impact, from the catalogue's why
    assert code == 1


def test_replacing_the_vml_button_with_a_css_one(repo: Repo) -> None:
    repo.git("checkout", "-q", "-b", "cr/css-button")
    repo.write(PROMO, TEMPLATE.replace(VML_BUTTON, CSS_BUTTON))
    repo.commit("Simpler button")
    repo.git("checkout", "-q", "main")
    code, doc = review_json("--base", "main", "--head", "cr/css-button")
    assert new_findings(doc) == [("OUT008", PROMO, 16)]
    assert doc["verdict"] == "keeps all agreed standards (1 new finding below the failing severity)"
    assert code == 0  # a warning: below the default --fail-on error
    code, doc = review_json("--base", "main", "--head", "cr/css-button", "--fail-on", "warning")
    assert doc["verdict"] == "breaks 1 agreed standard"
    assert doc["requests"][0]["broken_standards"] == ["outlook"]
    assert code == 1


def test_a_second_tracking_pixel_from_a_patch(repo: Repo, tmp_path: Path) -> None:
    repo.write(PROMO, TEMPLATE.replace(PIXEL, PIXEL + SECOND_PIXEL))
    diff = repo.git("diff")
    repo.git("checkout", "-q", "--", PROMO)
    (tmp_path / "partner-pixel.diff").write_text(diff, encoding="utf-8")
    before = repo.read(PROMO)
    code, doc = review_json("--patch", "partner-pixel.diff")
    assert new_findings(doc) == [("TRK002", PROMO, 25), ("TRK003", PROMO, 25)]
    assert doc["verdict"] == "breaks 1 agreed standard"
    assert doc["requests"][0]["request"] == "partner-pixel.diff"
    assert code == 1
    assert repo.read(PROMO) == before  # applied in memory only


def test_moving_code_only_breaks_nothing(repo: Repo) -> None:
    address = '<p style="font-size:14px">Example Ltd, 1 High Street, London</p>\n'
    greeting = '<p style="font-size:16px">Hello {{ first_name }},</p>\n'
    moved = TEMPLATE.replace(address, "").replace(greeting, address + greeting)
    repo.git("checkout", "-q", "-b", "cr/move")
    repo.write(PROMO, moved)
    repo.commit("Address first")
    code, doc = review_json("--base", "main", "--head", "cr/move")
    assert new_findings(doc) == []
    assert doc["requests"][0]["fixed"] == []
    assert doc["verdict"] == "keeps all agreed standards"
    assert code == 0


def test_renames_are_followed(repo: Repo) -> None:
    repo.git("mv", PROMO, "templates/spring.html")
    repo.write("templates/spring.html", TEMPLATE.replace(VIEWPORT, ""))
    code, doc = review_json("--base", "main")
    # Only the viewport is new: the renamed file's existing findings are matched.
    assert new_findings(doc) == [("RSP001", "templates/spring.html", 2)]
    assert code == 1


def test_untracked_new_template_counts_as_added(repo: Repo) -> None:
    repo.write("templates/new.html", TEMPLATE.replace(VIEWPORT, ""))
    code, doc = review_json("--base", "main", "templates")
    assert ("RSP001", "templates/new.html", 2) in new_findings(doc)
    assert code == 1


def test_old_new_folders_matched_by_relative_path(repo: Repo, tmp_path: Path) -> None:
    old, new = tmp_path / "v1", tmp_path / "v2"
    for folder in (old, new):
        (folder / "a").mkdir(parents=True)
        (folder / "a" / "promo.html").write_text(TEMPLATE, encoding="utf-8")
    (new / "a" / "promo.html").write_text(TEMPLATE.replace(VIEWPORT, ""), encoding="utf-8")
    code, doc = review_json("v1", "v2")
    assert new_findings(doc) == [("RSP001", "v2/a/promo.html", 2)]
    assert code == 1
    code, doc = review_json("v1/a/promo.html", "v1/a/promo.html")
    assert new_findings(doc) == [] and code == 0


def test_branches_triage_with_conflicts(repo: Repo) -> None:
    for name, text in (
        ("cr/no-viewport", TEMPLATE.replace(VIEWPORT, "")),
        ("cr/zoom", TEMPLATE.replace("initial-scale=1", "initial-scale=2")),
        ("cr/pixel", TEMPLATE.replace(PIXEL, PIXEL + SECOND_PIXEL)),
    ):
        repo.git("checkout", "-q", "-b", name, "main")
        repo.write(PROMO, text)
        repo.commit(name)
    repo.git("checkout", "-q", "main")
    code, doc = review_json("--base", "main", "--branches", "cr/*")
    assert [r["request"] for r in doc["requests"]] == ["cr/no-viewport", "cr/pixel", "cr/zoom"]
    assert [r["verdict"] for r in doc["requests"]] == [
        "breaks 1 agreed standard",
        "breaks 1 agreed standard",
        "keeps all agreed standards",
    ]
    assert doc["conflicts"] == [
        {"requests": ["cr/no-viewport", "cr/zoom"], "path": PROMO, "lines": [5, 5]}
    ]
    assert doc["verdict"] == "2 of 3 requests break agreed standards"
    assert code == 1
    code, text = review("--base", "main", "--branches", "cr/*")
    assert "REQUEST         responsive  tracking  VERDICT" in text
    assert "cr/no-viewport and cr/zoom: templates/promo.html line 5" in text


def test_several_patches_against_the_same_files(repo: Repo, tmp_path: Path) -> None:
    for name, text in (
        ("a.diff", TEMPLATE.replace(VIEWPORT, "")),
        ("b.diff", TEMPLATE.replace(VIEWPORT, VIEWPORT.replace("1", "2"))),
    ):
        repo.write(PROMO, text)
        (tmp_path / name).write_text(repo.git("diff"), encoding="utf-8")
        repo.git("checkout", "-q", "--", PROMO)
    code, doc = review_json("--patch", "a.diff", "--patch", "b.diff")
    assert [len(new_findings(doc, i)) for i in (0, 1)] == [1, 0]
    assert doc["conflicts"][0]["requests"] == ["a.diff", "b.diff"]
    assert code == 1


def test_waived_findings_do_not_fail_and_show_the_approver(repo: Repo) -> None:
    repo.write(
        "presend.toml",
        CONFIG
        + """
[[waivers]]
rule = "missing-viewport"
files = ["templates/promo.html"]
reason = "Desktop-only B2B send"
approved-by = "Dana Reyes (client)"
expires = 2999-01-01
""",
    )
    repo.write(PROMO, TEMPLATE.replace(VIEWPORT, ""))
    code, doc = review_json("--base", "main")
    assert new_findings(doc) == []
    waived = doc["requests"][0]["waived"]
    assert [(f["rule"], f["waived_by"]) for f in waived] == [
        ("RSP001", "Dana Reyes (client) until 2999-01-01: Desktop-only B2B send")
    ]
    assert code == 0


def test_an_expired_waiver_stops_applying_and_is_reported(repo: Repo) -> None:
    repo.write(
        "presend.toml",
        CONFIG
        + """
[[waivers]]
rule = "RSP001"
files = "templates/*.html"
reason = "Desktop-only B2B send"
approved-by = "Dana Reyes (client)"
expires = 2020-01-31
""",
    )
    repo.write(PROMO, TEMPLATE.replace(VIEWPORT, ""))
    code, text = review("--base", "main")
    assert "Verdict: breaks 1 agreed standard (responsive)." in text
    assert (
        "waivers[0] for RSP001 on templates/*.html (approved by Dana Reyes (client)) "
        "expired on 2020-01-31" in text
    )
    assert code == 1


def test_markdown_brief_has_table_options_waiver_and_decision(repo: Repo) -> None:
    repo.write(PROMO, TEMPLATE.replace(VIEWPORT, ""))
    code, text = review("--base", "main", "--format", "markdown")
    assert "**Verdict: this change breaks 1 agreed standard (Responsive design).**" in text
    assert "| Standard | What breaks | Who is affected | Where |" in text
    assert '1. **Preferred:** Add `<meta name="viewport"' in text
    assert 'rule = "RSP001"\n   files = ["templates/promo.html"]' in text
    assert "Approved by: ____" in text
    assert "Traceback" not in text
    assert code == 1


@pytest.mark.parametrize(
    "args, message",
    [
        (("--base", "no-such-branch"), "unknown git ref 'no-such-branch'"),
        (("only-one.html",), "give OLD NEW"),
        (("--branches", "cr/*"), "--branches needs --base"),
        (("--patch", "missing.diff"), "missing.diff: no such patch file"),
    ],
)
def test_usage_errors_exit_2(repo: Repo, args: tuple[str, ...], message: str) -> None:
    result = CliRunner().invoke(main, ["review", *args])
    assert result.exit_code == 2
    assert message in result.output


def test_a_patch_that_does_not_apply_is_an_error(repo: Repo, tmp_path: Path) -> None:
    repo.write(PROMO, TEMPLATE.replace(VIEWPORT, ""))
    (tmp_path / "stale.diff").write_text(repo.git("diff"), encoding="utf-8")
    # The file changed since the patch was made: the hunk's context no longer matches.
    code, out = review("--patch", "stale.diff")
    assert code == 2
    assert "templates/promo.html: does not apply to the current file" in out


CONTACTS_OLD = """email,first_name,consent,lead_source,signup_date
ann@example.org,Ann,yes,webform,2024-01-02
bob@example.org,Bob,yes,event,2024-02-03
"""
CONTACTS_NEW = """email,first_name,consent,lead_source,signup_date,score
ann@example.org,Ann,yes,webform,2024-01-02,1
bob@example.org,Bob,yes,event,2024-02-03,2
cy@example.org,Cy,yes,purchased,2024-03-04,3
"""


def test_new_contact_import_with_a_purchased_lead_source(repo: Repo) -> None:
    repo.write("data/contacts.csv", CONTACTS_OLD)
    repo.commit("March import")
    repo.write("data/contacts.csv", CONTACTS_NEW)
    code, doc = review_json("--base", "main")
    assert new_findings(doc) == [("DAT011", "data/contacts.csv", 4)]
    assert doc["verdict"] == "breaks 1 agreed standard"
    assert doc["requests"][0]["broken_standards"] == ["contacts"]
    assert doc["requests"][0]["notes"] == [
        "data/contacts.csv: new column(s) not in the previous import: score"
    ]
    assert code == 1


def test_contact_files_old_new(repo: Repo, tmp_path: Path) -> None:
    (tmp_path / "march.csv").write_text(CONTACTS_OLD, encoding="utf-8")
    (tmp_path / "april.csv").write_text(
        CONTACTS_NEW.replace(",score", "")
        .replace(",1\n", "\n")
        .replace(",2\n", "\n")
        .replace(",3\n", "\n"),
        encoding="utf-8",
    )
    code, text = review("march.csv", "april.csv")
    assert (
        "april.csv:4:4: Lead source is on the denylist: 1 of 3 rows in column 'lead_source'" in text
    )
    assert "Purchased or rented contacts never opted in" in text
    assert "Verdict: breaks 1 agreed standard (contacts)." in text
    assert code == 1
    code, text = review("march.csv", "march.csv")
    assert "Verdict: keeps all agreed standards." in text and code == 0


def test_check_markdown_format_explains_findings(repo: Repo) -> None:
    repo.write(PROMO, TEMPLATE.replace(VIEWPORT, ""))
    result = CliRunner().invoke(main, ["check", PROMO, "--format", "markdown", "--select", "RSP"])
    assert result.output.startswith("## presend: 1 finding in 1 of 1 file\n")
    assert "**The email has no viewport meta tag.** (RSP001): `templates/promo.html` line 2" in (
        result.output
    )
    assert 'Preferred fix: Add `<meta name="viewport"' in result.output
    assert result.exit_code == 1


def _purchased(n: int) -> str:
    rows = [f"c{i}@example.org,C{i},yes,purchased,2024-03-04\n" for i in range(n)]
    return CONTACTS_OLD.splitlines(keepends=True)[0] + "".join(rows)


def test_a_rule_on_more_rows_than_the_previous_import_is_newly_broken(
    repo: Repo, tmp_path: Path
) -> None:
    # The fingerprint (rule + column) is the same in both imports: only the volume grew.
    (tmp_path / "old.csv").write_text(_purchased(1), encoding="utf-8")
    (tmp_path / "new.csv").write_text(_purchased(51), encoding="utf-8")
    code, doc = review_json("old.csv", "new.csv")
    assert new_findings(doc) == [("DAT011", "new.csv", 2)]
    message = doc["requests"][0]["standards"][0]["rules"][0]["findings"][0]["message"]
    assert message.endswith("; 50 more rows than the previous import (1 → 51)")
    assert doc["verdict"] == "breaks 1 agreed standard"
    assert doc["requests"][0]["unchanged"] == 0
    assert code == 1


def test_a_rule_on_fewer_rows_than_the_previous_import_is_improved(
    repo: Repo, tmp_path: Path
) -> None:
    (tmp_path / "old.csv").write_text(_purchased(3), encoding="utf-8")
    (tmp_path / "new.csv").write_text(_purchased(2), encoding="utf-8")
    code, doc = review_json("old.csv", "new.csv")
    assert new_findings(doc) == []
    [fixed] = doc["requests"][0]["fixed"]
    assert fixed["rule"] == "DAT011"
    assert fixed["message"].endswith("; 1 fewer row than the previous import (3 → 2)")
    assert doc["verdict"] == "keeps all agreed standards"
    assert code == 0


def test_the_waiver_snippet_goes_on_the_rules_own_waiver_option(repo: Repo) -> None:
    # RSP001's options end with "Waive it for sends that only go to desktop clients":
    # the snippet belongs there, not in a second waiver option.
    repo.write(PROMO, TEMPLATE.replace(VIEWPORT, ""))
    code, text = review("--base", "main")
    assert text.count("[[waivers]]") == 1
    assert "Accept it as a documented exception" not in text
    assert (
        "      2. Waive it for sends that only go to desktop clients (document the audience).\n"
        "         Add to the config, with who approved it and why:\n"
        "           [[waivers]]\n"
        '           rule = "RSP001"\n'
    ) in text
    assert "      3." not in text
    assert code == 1
    _, doc = review_json("--base", "main")
    options = doc["requests"][0]["standards"][0]["rules"][0]["options"]
    assert [(o["text"][:12], "waiver" in o) for o in options] == [
        ("Add <meta na", False),
        ("Waive it for", True),
    ]
    _, md = review("--base", "main", "--format", "markdown")
    assert md.count("[[waivers]]") == 1
    assert (
        "2. Waive it for sends that only go to desktop clients (document the audience).\n\n"
        "   Add this to the team's presend config, filling in who approved it and why:\n\n"
        "   ```toml\n"
        "   [[waivers]]\n"
    ) in md


def test_a_rule_without_a_waiver_option_gets_the_snippet_as_its_own_option(repo: Repo) -> None:
    # TRK003's options (replace the image, add the host) say nothing about waiving.
    repo.write(PROMO, TEMPLATE.replace(PIXEL, PIXEL + SECOND_PIXEL))
    code, text = review("--base", "main")
    assert code == 1
    trk003 = text[text.index("TRK003") :]
    assert (
        "      3. Accept it as a documented exception.\n"
        "         Add to the config, with who approved it and why:\n"
        "           [[waivers]]\n"
        '           rule = "TRK003"\n'
    ) in trk003


def test_markdown_who_is_affected_is_never_cut_mid_sentence(repo: Repo) -> None:
    # RSP001's why has a ";" inside its only sentence; the cell used to stop there.
    repo.write(PROMO, TEMPLATE.replace(VIEWPORT, ""))
    _, md = review("--base", "main", "--format", "markdown")
    row = next(line for line in md.splitlines() if line.startswith("| Responsive design |"))
    assert "have to pinch and zoom; media queries do not fire. |" in row
    # TRK002's why has two sentences: the cell shows the first, whole.
    repo.write(PROMO, TEMPLATE.replace(PIXEL, PIXEL + SECOND_PIXEL))
    _, md = review("--base", "main", "--format", "markdown")
    row = next(
        line for line in md.splitlines() if "(TRK002)" not in line and "loads in the same" in line
    )
    assert row.split(" | ")[2] == (
        "Each open is counted twice (or by two tools that then disagree), so the open rate in "
        "the client's report is inflated and cannot be compared with earlier sends."
    )


def test_review_json_lists_the_configs_waivers(repo: Repo) -> None:
    waiver = """
[[waivers]]
rule = "RSP001"
files = "templates/*.html"
reason = "Desktop-only B2B send"
approved-by = "Dana Reyes (client)"
expires = {expires}
"""
    repo.write("presend.toml", CONFIG + waiver.format(expires="2999-01-01"))
    repo.write(PROMO, TEMPLATE.replace(VIEWPORT, ""))
    code, doc = review_json("--base", "main")
    assert doc["requests"][0]["waivers"]["active"] == [
        {
            "rule": "RSP001",
            "files": ["templates/*.html"],
            "approved_by": "Dana Reyes (client)",
            "reason": "Desktop-only B2B send",
            "expires": "2999-01-01",
            "count": 1,
        }
    ]
    assert code == 0
    repo.write("presend.toml", CONFIG + waiver.format(expires="2020-01-31"))
    code, doc = review_json("--base", "main")
    [expired] = doc["requests"][0]["waivers"]["expired"]
    assert (expired["rule"], expired["expires"]) == ("RSP001", "2020-01-31")
    assert code == 1


SAMPLE_BRIEF = Path(__file__).resolve().parent.parent / "docs" / "sample-brief.md"
_EXPIRES = re.compile(r"expires = \d{4}-\d{2}-\d{2}")


def test_the_sample_brief_is_the_tools_output(repo: Repo, tmp_path: Path) -> None:
    """docs/sample-brief.md is `review --patch partner-pixel.diff --format markdown` on
    this file's repo; PRESEND_REGENERATE_DOCS=1 rewrites it. The waiver's expiry moves
    with the date, so it is left out of the comparison."""
    repo.write(PROMO, TEMPLATE.replace(PIXEL, PIXEL + SECOND_PIXEL))
    (tmp_path / "partner-pixel.diff").write_text(repo.git("diff"), encoding="utf-8")
    repo.git("checkout", "-q", "--", PROMO)
    code, brief = review("--patch", "partner-pixel.diff", "--format", "markdown")
    assert code == 1
    committed = SAMPLE_BRIEF.read_text(encoding="utf-8")
    header = committed[: committed.index("-->\n") + 4] + "\n"
    if os.environ.get("PRESEND_REGENERATE_DOCS"):
        SAMPLE_BRIEF.write_text(header + brief, encoding="utf-8")
        committed = header + brief
    assert _EXPIRES.sub("expires = …", committed) == _EXPIRES.sub("expires = …", header + brief)


def test_review_as_annotations_and_sarif_holds_only_what_the_change_adds(repo: Repo) -> None:
    repo.git("checkout", "-q", "-b", "cr/css-button")
    repo.write(PROMO, TEMPLATE.replace(VML_BUTTON, CSS_BUTTON))
    repo.commit("Simpler button")
    repo.git("checkout", "-q", "main")
    code, out = review("--base", "main", "--head", "cr/css-button", "--format", "github")
    annotations = [line for line in out.splitlines() if line.startswith("::")]
    assert len(annotations) == 1 and "title=OUT008 " in annotations[0], out
    assert f"file={PROMO}," in annotations[0] and ",line=16," in annotations[0]
    assert code == 0  # a warning: below the default --fail-on error, as in the text review
    _, out = review("--base", "main", "--head", "cr/css-button", "--format", "sarif")
    results = json.loads(out)["runs"][0]["results"]
    region = results[0]["locations"][0]["physicalLocation"]["region"]
    assert [r["ruleId"] for r in results] == ["OUT008"] and region["startLine"] == 16
