"""Whole messages (.eml): the HTML part linted with every standard, placed in the .eml;
the message rules (MSG) on headers and parts; malformed MIME linted or refused, never a
crash. The rules' own good and bad examples run in test_catalogue.py."""

from __future__ import annotations

import base64
import json
import quopri
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from linter.cli import main
from linter.config import Config
from linter.findings import Finding
from linter.lint import lint_paths
from linter.messages import lint_eml

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "messages"
HEAD = (
    "From: Acme News <news@acme.example>\n"
    "Subject: Our summer sale starts today\n"
    "List-Unsubscribe: <https://acme.example/u/1>\n"
    "List-Unsubscribe-Post: List-Unsubscribe=One-Click\n"
    "MIME-Version: 1.0\n"
)
PLAIN = "Our summer sale starts today: everything in the shop is half price until Sunday.\n"


def _message(html: str, encoding: str = "8bit", charset: str = "utf-8") -> str:
    body = html
    if encoding == "quoted-printable":
        body = quopri.encodestring(html.encode()).decode()
    elif encoding == "base64":
        body = base64.encodebytes(html.encode()).decode()
    return (
        HEAD + 'Content-Type: multipart/alternative; boundary="b"\n\n--b\n'
        "Content-Type: text/plain; charset=utf-8\n\n" + PLAIN + "--b\n"
        f"Content-Type: text/html; charset={charset}\n"
        f"Content-Transfer-Encoding: {encoding}\n\n" + body + "\n--b--\n"
    )


def _eml(data: bytes, config: Config) -> list[Finding]:
    return lint_eml("m.eml", data, config.settings_for("m.eml"))


def _lint(text: str, config: Config, rule: str) -> list[Finding]:
    return [f for f in _eml(text.encode("utf-8"), config) if f.rule == rule]


def _at(text: str, finding: Finding) -> str:
    """The file's text from a finding's place on."""
    return text.split("\n")[finding.line - 1][finding.column - 1 :]


HTML = (
    '<html lang="en"><head><title>Sale</title></head><body>\n'
    "<p>Our summer sale starts today: everything in the shop is half price until Sunday.</p>\n"
    '<p style="color:#222222">Caf\u00e9 chairs too. <img src="https://acme.example/chair.jpg"'
    ' width="600"> and <a href="http://acme.example/sale">the sale</a></p>\n'
    "</body></html>"
)


def test_an_8bit_part_is_placed_exactly(default_config: Config) -> None:
    text = _message(HTML)
    (image,) = _lint(text, default_config, "ACC002")
    assert _at(text, image).startswith("<img src=")
    (link,) = _lint(text, default_config, "LNK001")
    assert _at(text, link).startswith('"http://acme.example/sale"') or _at(text, link).startswith(
        "http://acme.example/sale"
    )


def test_a_quoted_printable_part_is_placed_exactly_past_escapes_and_soft_breaks(
    default_config: Config,
) -> None:
    text = _message(HTML, "quoted-printable")
    assert "=C3=A9" in text and "=\n" in text  # an escape and a soft line break
    (image,) = _lint(text, default_config, "ACC002")
    assert _at(text, image).startswith("<img src=3D")
    (link,) = _lint(text, default_config, "LNK001")
    assert _at(text, link).lstrip('"').startswith(("http://acme", '3D"http://acme'))
    plain = _message(HTML)
    assert _lint(plain, default_config, "LNK001")[0].line < link.line  # the QP part is longer


def test_a_base64_part_says_where_it_starts_and_the_decoded_place(default_config: Config) -> None:
    text = _message(HTML, "base64")
    (image,) = _lint(text, default_config, "ACC002")
    body_line = text.split("\n").index("Content-Transfer-Encoding: base64") + 3
    assert (image.line, image.column) == (body_line, 1)
    assert "(line 3:" in image.message and "base64-encoded part" in image.message


def test_crlf_messages_are_placed_like_lf_ones(default_config: Config) -> None:
    text = _message(HTML)
    crlf = _eml(text.replace("\n", "\r\n").encode(), default_config)
    lf = _eml(text.encode(), default_config)
    assert [(f.rule, f.line, f.column) for f in crlf] == [(f.rule, f.line, f.column) for f in lf]


def test_fixtures_good_is_clean_and_bad_reports_every_message_rule() -> None:
    good = CliRunner().invoke(main, ["check", str(FIXTURES / "good-quoted-printable.eml")])
    assert good.exit_code == 0, good.output
    bad = CliRunner().invoke(main, ["check", str(FIXTURES / "bad-8bit.eml")])
    assert bad.exit_code == 1
    for rule in ("MSG001", "MSG002", "MSG004", "MSG005", "MSG006", "MSG007", "ACC002"):
        assert rule in bad.output, rule
    assert "bad-8bit.eml:30:1: ACC002" in bad.output  # the <img> on line 30 of the .eml


def test_a_folder_scan_picks_up_eml_files(default_config: Config) -> None:
    result = lint_paths([str(FIXTURES)], default_config)
    assert result.files == len(list(FIXTURES.rglob("*.eml"))) and not result.errors


def test_subject_length_is_the_teams(tmp_path: Path) -> None:
    (tmp_path / "presend.toml").write_text("[message]\nsubject-max-length = 20\n")
    (tmp_path / "m.eml").write_text(_message(HTML))
    result = CliRunner().invoke(main, ["check", str(tmp_path / "m.eml")])
    assert "MSG004 [info] The Subject is 28 characters, over 20" in result.output


def test_the_size_as_sent_counts_the_transfer_encoding(default_config: Config) -> None:
    big = HTML.replace("</body>", "<p>" + "Caf\u00e9 \u00e0 la carte. " * 5200 + "</p></body>")
    assert len(big.encode()) < 102 * 1024
    assert _lint(_message(big, "quoted-printable"), default_config, "MSG008")
    assert not _lint(_message(big), default_config, "MSG008")


def test_a_charset_that_is_not_the_bytes_is_an_error(default_config: Config) -> None:
    text = _message(HTML, charset="us-ascii")
    (found,) = _lint(text, default_config, "MSG007")
    assert "declares charset=us-ascii" in found.message
    latin1 = _message(HTML).encode("utf-8").replace("Caf\u00e9".encode(), b"Caf\xe9")
    bad = [f for f in _eml(latin1, default_config) if f.rule == "MSG007"]
    assert bad and "0xe9" in bad[0].message


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"just some text, no headers at all\n",
        b"\x00\x01binary\x00",
        HEAD.encode() + b"Content-Type: multipart/alternative; boundary=b\n\n--b\nno end",
        HEAD.encode() + b"Content-Type: text/html\nContent-Transfer-Encoding: base64\n\n!!!**",
        HEAD.encode() + b"Content-Type: text/html; charset=rot13\n\n<p>x</p>",
        HEAD.encode() + b"Content-Type: text/html; charset=nonsense\n\n<p>x</p>",
        HEAD.encode() + b"Content-Type: text/html\nContent-Transfer-Encoding: quoted-printable"
        b"\n\n<p>=ZZ=\n=4",
        HEAD.encode() + b"Content-Type: multipart/mixed; boundary=a\n\n--a\nContent-Type:"
        b" multipart/alternative; boundary=b\n\n--b\nContent-Type: text/html\n\n<p>x\n--b--\n--a--",
        b"From: =?utf-8?q?=ZZ?= <\nSubject: =?x-unknown?b?****?=\nList-Unsubscribe: <\n\n<p>",
    ],
    ids=lambda d: repr(d[:30]),
)
def test_malformed_mime_is_linted_or_an_input_error(data: bytes, tmp_path: Path) -> None:
    path = tmp_path / "m.eml"
    path.write_bytes(data)
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code in (0, 1, 2), result.output
    assert "presend failed" not in result.output and "Traceback" not in result.output
    if result.exit_code == 2:
        assert f"{path}: " in result.output


def _wrapped(html: str, encoding: str) -> bytes:
    """A real template sent as the HTML part of a message, as an ESP would encode it."""
    from email.message import EmailMessage
    from email.policy import SMTP

    msg = EmailMessage(policy=SMTP)
    msg["From"] = "Acme News <news@acme.example>"
    msg["Subject"] = "A real template"
    msg.set_content(html, subtype="html", cte=encoding)
    return msg.as_bytes()


CORPUS = sorted((FIXTURES.parent / "email" / "corpus").rglob("*.html"))[::15]  # 20 families' worth


@pytest.mark.parametrize("encoding", ["8bit", "quoted-printable"])
@pytest.mark.parametrize("template", CORPUS, ids=lambda p: p.parent.name + "/" + p.name)
def test_real_templates_in_a_message_keep_their_findings_at_the_same_text(
    template: Path, encoding: str, default_config: Config
) -> None:
    from linter.lint import lint_text

    html = template.read_text(encoding="utf-8").replace("\r\n", "\n")
    direct = lint_text("m.html", html, default_config)
    data = _wrapped(html, encoding)
    in_message = [f for f in _eml(data, default_config) if f.standard != "message"]
    _assert_placed_as_in_template(data, encoding, in_message, html, direct)


def _assert_placed_as_in_template(
    data: bytes, encoding: str, in_message: list[Finding], html: str, direct: list[Finding]
) -> None:
    """The HTML part's findings are the template's, each at the same text: in the .eml for
    8bit and quoted-printable (decoded past escapes and soft breaks), at the decoded place the
    message names for base64."""
    if encoding == "base64":
        suffix = re.compile(r" \(line (\d+):(\d+) of the base64-encoded part\)$")
        places = [suffix.search(f.message) for f in in_message]
        assert all(places), [f.message for f in in_message]
        decoded = sorted(
            (f.rule, suffix.sub("", f.message), int(p[1]), int(p[2]))
            for f, p in zip(in_message, places, strict=True)
            if p
        )
        assert decoded == sorted((f.rule, f.message, f.line, f.column) for f in direct)
        return
    assert [(f.rule, f.message) for f in in_message] == [(f.rule, f.message) for f in direct]
    eml = data.decode("ascii" if encoding != "8bit" else "utf-8").replace("\r\n", "\n").split("\n")
    source = html.split("\n")
    for ours, theirs in zip(in_message, direct, strict=True):
        expected = source[theirs.line - 1][theirs.column - 1 :][:6]
        encoded = eml[ours.line - 1][ours.column - 1 :]
        for following in eml[ours.line :]:  # soft line breaks continue the decoded line
            if not encoded.rstrip().endswith("="):
                break
            encoded = encoded.rstrip()[:-1] + following
        decoded = quopri.decodestring(encoded.encode()).decode("utf-8", "replace")
        found = decoded if encoding == "quoted-printable" else encoded
        assert found.startswith(expected), (theirs, ours)


EXPORTS = FIXTURES / "nodemailer"
MANIFEST = json.loads((EXPORTS / "manifest.json").read_text(encoding="utf-8"))
# What each omission of the sender's must be reported as; nothing else from the message rules.
OMISSION_RULE = {"text": "MSG002", "list": "MSG001", "name": "MSG006"}


@pytest.mark.parametrize("entry", MANIFEST, ids=lambda e: e["message"])
def test_a_message_nodemailer_sent_reports_what_was_left_out_and_the_templates_findings(
    entry: dict[str, Any], default_config: Config
) -> None:
    """fixtures/messages/nodemailer: real templates put on the wire by another MIME writer
    (its folding, boundaries, quoted-printable and base64 lines, CRLF)."""
    from linter.lint import lint_text

    data = (EXPORTS / entry["message"]).read_bytes()
    found = _eml(data, default_config)
    message_rules = sorted(f.rule for f in found if f.standard == "message")
    assert message_rules == sorted(OMISSION_RULE[o] for o in entry["omitted"])
    html = (FIXTURES.parent / "email" / "corpus" / entry["template"]).read_text(encoding="utf-8")
    html = html.replace("\r\n", "\n")
    direct = lint_text("m.html", html, default_config)
    in_message = [f for f in found if f.standard != "message"]
    _assert_placed_as_in_template(data, entry["encoding"], in_message, html, direct)


def test_the_nodemailer_exports_cover_both_encodings_and_every_omission() -> None:
    assert {e["encoding"] for e in MANIFEST} == {"quoted-printable", "base64"}
    assert {o for e in MANIFEST for o in e["omitted"]} == set(OMISSION_RULE)
    assert any(not e["omitted"] for e in MANIFEST)


@pytest.mark.parametrize(
    "path", sorted((Path(__file__).parent / "hostile").glob("*.eml")), ids=lambda p: p.name
)
def test_messages_that_once_crashed_are_linted_or_refused(path: Path) -> None:
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code in (0, 1, 2), result.output
    assert "presend failed" not in result.output


def test_review_compares_two_messages_as_messages() -> None:
    result = CliRunner().invoke(
        main, ["review", str(FIXTURES / "good-8bit.eml"), str(FIXTURES / "bad-8bit.eml")]
    )
    assert "bad-8bit.eml:30:1: Image has no alt attribute" in result.output
    assert "bad-8bit.eml:5:1: List-Unsubscribe-Post is missing" in result.output
