"""Contact validation: exact counts on generated lists, split reconciliation, atomic writes."""

from __future__ import annotations

import csv
import sys
import threading
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from linter.contacts import ContactsInputError, SchemaError, check_file, columns, split_file
from linter.contacts.checks import Batch, Context
from linter.contacts.checks.base import Refine, refined
from linter.contacts.checks.email import _address, _exact_address, email_syntax
from linter.contacts.hashset import HashSet64, key_hashes, repeated, repeats
from linter.contacts.rules import contact_rules
from linter.contacts.runner import Runner
from linter.contacts.schema import load_schema, parse_schema
from linter.contacts.sniff import sniff

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
from contacts_gen import generate  # noqa: E402

TODAY = date(2026, 1, 1)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    path = tmp_path_factory.mktemp("gen") / "contacts.csv"
    return path, generate(path, 40_000, seed=7)


def test_generated_list_counts_are_exact(generated: tuple[Path, object]) -> None:
    path, expected = generated
    report = check_file(path, today=TODAY)
    assert report.rows_in == expected.rows  # type: ignore[attr-defined]
    assert report.counts_by_rule == expected.counts  # type: ignore[attr-defined]
    assert report.rows_rejected == expected.rejected  # type: ignore[attr-defined]
    assert report.rows_in == report.rows_clean + report.rows_rejected


def test_the_benchmarks_polars_peer_finds_the_same_counts(generated: tuple[Path, object]) -> None:
    # bench_contacts.py compares presend with the same rules in plain polars; the comparison
    # only means something if both do the same work.
    from polars_peer import check

    edges = Path(str(generated[0]) + ".edges.csv")
    head = "email,first_name,last_name,company,phone,country,language,signup_date,consent,"
    head += "lead_source,customer_id,notes\n"
    rows = [
        "a@example.com,A,B,C,+447700900123,GB,en,2024-01-05,,web,1,",  # no consent
        "b@example.com,A,B,C,+447700900123,gb,en,2024-1-5,y,web,2,",  # short date, y
        "c@x.test,A,B,C,+447700900123,GB,en,2024-01-05,1,web,3,",  # reserved domain
        "d@b@c.com,A,B,C,+447700900123,GB,en,2024-01-05,yes,web,99999999999999999999,",
        " E@Example.com ,,B,C,07700 900123,XX,EN,2024-02-30,no,Bought list,0,=1+1",
        "e@example.com,A,B,C,+447700900123,GB,en,2024-01-05,TRUE,web,1.5,",
        # Found by a differential fuzz: digits that are not ASCII, dates padded or longer,
        # quoted empty values, a missing optional date.
        "f@example.com,A,B,C,+447700900123,GB,en,2024-01-05,yes,web,\u0661\u0662,",
        "g@example.com,A,B,C,+447700900123,GB,en, 2999-01-01,yes,web,7,",
        "h@example.com,A,B,C,+447700900123,GB,en, 2999-1-01,yes,web,8,",
        "i@example.com,A,B,C,+447700900123,GB,en,2999-01-01T00:00,yes,web,9,",
        'j@example.com,A,B,C,+447700900123,"",en,,yes,web,10,""',
    ]
    edges.write_text(head + "\n".join(rows) + "\n")
    for path in (generated[0], edges):
        report = check_file(path, today=TODAY)
        peer = check(str(path), TODAY)
        assert peer.pop("rows") == report.rows_in, path
        assert peer.pop("rejected") == report.rows_rejected, path
        assert {k: v for k, v in peer.items() if v} == report.counts_by_rule, path


def test_findings_are_aggregated_with_samples(generated: tuple[Path, object]) -> None:
    path, expected = generated
    report = check_file(path, today=TODAY)
    by_rule = {f.rule: f for f in report.findings}
    assert len(report.findings) == len(by_rule)  # one per rule here (one column each)
    typo = by_rule["DAT005"]
    n = expected.counts["DAT005"]  # type: ignore[attr-defined]
    assert f"{n:,} of 40,000 rows" in typo.message
    assert "gmial.com looks like a typo of gmail.com" in typo.message
    assert typo.column == 1 and typo.path == str(path) and typo.standard == "contacts"
    first = int(typo.message.split("(rows ")[1].split(",")[0])
    assert typo.line == first
    assert by_rule["DAT015"].column == 7  # language is the 7th column
    assert (
        by_rule["DAT001"].fingerprint
        == check_file(path, today=TODAY)
        .findings[[f.rule for f in report.findings].index("DAT001")]
        .fingerprint
    )


def test_split_reconciles_and_keeps_values(generated: tuple[Path, object], tmp_path: Path) -> None:
    path, expected = generated
    clean, rejected = tmp_path / "clean.csv", tmp_path / "rejected.csv"
    report = split_file(path, clean, rejected, today=TODAY)
    with open(path, newline="", encoding="utf-8") as fh:
        original = list(csv.reader(fh))
    with open(clean, newline="", encoding="utf-8") as fh:
        kept = list(csv.reader(fh))
    with open(rejected, newline="", encoding="utf-8") as fh:
        dropped = list(csv.reader(fh))
    assert kept[0] == original[0]
    assert dropped[0] == [*original[0], "_row", "_reasons"]
    assert len(kept) - 1 == report.rows_clean
    assert len(dropped) - 1 == report.rows_rejected == expected.rejected  # type: ignore[attr-defined]
    assert report.rows_in == (len(kept) - 1) + (len(dropped) - 1)
    rows = {int(r[-2]) for r in dropped[1:]}
    assert len(rows) == len(dropped) - 1
    for r in dropped[1:]:
        assert r[:-2] == original[int(r[-2]) - 1]  # row n is line n: original values kept
        assert r[-1].startswith("DAT")
    clean_rows = [r for i, r in enumerate(original[1:], start=2) if i not in rows]
    assert kept[1:] == clean_rows  # the rest, in order, untouched


def test_split_is_atomic_on_failure(tmp_path: Path) -> None:
    clean, rejected = tmp_path / "clean.csv", tmp_path / "rejected.csv"
    clean.write_text("old clean\n")
    rejected.write_text("old rejected\n")
    with pytest.raises(ContactsInputError):
        split_file(ROOT / "fixtures/contacts/ragged.csv", clean, rejected)
    assert clean.read_text() == "old clean\n" and rejected.read_text() == "old rejected\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["clean.csv", "rejected.csv"]


def test_split_is_atomic_when_a_write_crashes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from linter.contacts import split as split_mod

    def boom(*args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(split_mod.SplitSink, "write", boom)
    with pytest.raises(OSError, match="disk full"):
        split_file(ROOT / "fixtures/contacts/clean.csv", tmp_path / "c.csv", tmp_path / "r.csv")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("batches", ["many", "one"])
def test_split_is_atomic_when_the_writer_thread_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, generated: tuple[Path, object], batches: str
) -> None:
    # Rows are written on a thread of their own; a failed write still stops the run, and
    # neither output appears. With many batches a later write() sees the failure; with one,
    # only the commit at the end does. The error is the output's: the input is not re-read.
    from linter.contacts import reader
    from linter.contacts import split as split_mod
    from linter.contacts.bytecheck import ByteCheck
    from linter.fileio import OutputError

    real_put = split_mod.SplitSink._put

    def put(
        self: split_mod.SplitSink, which: int, frame: pl.DataFrame, header: bool = False
    ) -> None:
        if not header:
            raise OutputError(28, "cannot write c.csv: disk full")
        real_put(self, which, frame, header)

    def reread(self: ByteCheck) -> None:
        raise AssertionError("the input was read again for an output error")

    monkeypatch.setattr(split_mod.SplitSink, "_put", put)
    monkeypatch.setattr(ByteCheck, "whole_file", reread)
    source = ROOT / "fixtures/contacts/clean.csv"
    if batches == "many":
        source = generated[0]
        monkeypatch.setitem(reader.jobs.__kwdefaults__, "block_bytes", 256 * 1024)
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(OSError, match="disk full"):
        split_file(source, out / "c.csv", out / "r.csv", today=TODAY)
    assert list(out.iterdir()) == []
    assert not [t for t in threading.enumerate() if t.name.startswith("presend-split")]


def test_duplicates_are_found_across_batches() -> None:
    schema = load_schema(None)
    runner = Runner(
        schema,
        sniff(ROOT / "fixtures/contacts/clean.csv"),
        TODAY,
        rules=tuple(
            r
            for r in __import__("linter.contacts.rules", fromlist=["x"]).contact_rules()
            if r.id == "DAT002"
        ),
    )
    head = ("email", "first_name", "country", "signup_date", "consent")
    for emails in (
        ["a@example.com", "b@example.com"],
        ["c@example.com", "A@EXAMPLE.COM"],
        ["b@example.com", "d@example.com"],
    ):
        frame = pl.DataFrame({h: emails if h == "email" else ["x"] * 2 for h in head})
        runner.batch(frame, None)
    report = runner.report("x.csv")
    assert report.counts_by_rule == {"DAT002": 2}
    assert "(rows 5, 6)" in report.findings[0].message


def test_hashset_is_compact_and_exact() -> None:
    seen = HashSet64()
    keys = pl.Series([f"k{i % 700}" for i in range(2000)]).hash(seed=1)
    dups = 0
    for start in range(0, 2000, 300):
        part = keys.slice(start, 300)
        dups += int(repeats(part, seen).sum())
    assert dups == 1300 and len(seen) == 700


def test_hashset_matches_a_python_set_through_merges_and_bitmap_growth() -> None:
    # 120k rows, 90k keys, batches of 2,000: tiers merge (8 runs -> 1) and the bitmap doubles
    # past 2**20 bits (16 bits per key).
    rows = [f"k{(i * 7919) % 90_000}" for i in range(120_000)]
    keys = pl.Series(rows).hash(seed=3)
    seen, ref = HashSet64(), set()
    for start in range(0, len(rows), 2_000):
        part = keys.slice(start, 2_000)
        valid = pl.Series([i % 97 != 0 for i in range(start, start + len(part))])
        masked = pl.DataFrame({"k": part, "v": valid}).select(
            key_hashes(pl.col("k"), seed=0, present=pl.col("v"))
        )
        got = repeats(masked.to_series(), seen).to_list()
        want = []
        for value, ok in zip(rows[start : start + len(part)], valid.to_list(), strict=True):
            want.append(ok and value in ref)
            if ok:
                ref.add(value)
        assert got == want
    assert len(seen) == len(ref)


def test_repeated_marks_every_occurrence_after_the_first() -> None:
    values = [None if i % 11 == 0 else (i * 7919) % 500 for i in range(3_000)]
    keys = pl.Series(values, dtype=pl.UInt64)
    seen: set[int] = set()
    want = []
    for v in values:
        want.append(v is not None and v in seen)
        if v is not None:
            seen.add(v)
    assert repeated(keys).to_list() == want
    assert repeated(pl.Series([], dtype=pl.UInt64)).to_list() == []


def test_email_prefilter_never_accepts_what_the_validator_rejects() -> None:
    from email_validator import EmailNotValidError, validate_email

    tricky = [
        "a@b.co",
        "a..b@x.com",
        "a.@x.com",
        ".a@x.com",
        "a@x.test",
        "a@x.local",
        "a@-x.com",
        "a@x-.com",
        "a@xn--zz.com",
        "a@x.c",
        "a@1.2.3.4",
        "a b@x.com",
        "a@x..com",
        "%s@x.com" % ("a" * 65),
        "a@%s.com" % ("b" * 64),
        "a+b=c@x.io",
        "a--b@x.com",
        "a@x--y.com",
        "a@X.TEST",
        "a@mail.LocalHost",
        "ann@exa_mple.com",
        "ann@example.com.",
        '"a"@x.com',
        "ann@例え.jp",
    ]
    frame = pl.DataFrame({"email": tricky})
    schema = load_schema(None)
    ctx = Context(schema, TODAY, ("email",))
    (v,) = email_syntax(Batch(frame), ctx, {})
    mask = v.mask if isinstance(v.mask, pl.Series) else frame.select(v.mask).to_series()
    for address, flagged in zip(tricky, mask.to_list(), strict=True):
        try:
            validate_email(address, check_deliverability=False)
            valid = True
        except EmailNotValidError:
            valid = False
        assert flagged == (not valid), address


ODD_ADDRESSES = [
    None,
    "",
    "Ann@Example.com",
    " ann@example.com ",
    "\tann@example.com",
    "ann@EXAMPLE.COM",
    "ann",
    "@example.com",
    "ann@",
    "a@b@c.com",
    "ann@例え.jp",
    "ÅSA@example.se",
    "ann@x.test",
    "a" * 70 + "@example.com",
    "ann@" + "b" * 260 + ".com",
    "ann@exa_mple.com",
    "sales+uk@acme.io",
]


@pytest.mark.parametrize("spread", [True, False])
def test_address_derivation_matches_the_exact_one(spread: bool) -> None:
    # Canonical values take a short cut (no trimming or lower-casing); the odd values come
    # spread through the batch, or all after the rows the batch is sampled on.
    n = 3_000
    values = [f"user{i}@example{i % 7}.com" for i in range(n - 400)]
    values += [ODD_ADDRESSES[i % len(ODD_ADDRESSES)] for i in range(400)]
    if spread:
        values = [values[(i * 7919) % n] for i in range(n)]
    frame = pl.DataFrame({"email": values}, schema={"email": pl.String})
    ctx = Context(load_schema(None), TODAY, ("email",))
    got = _address(Batch(frame), ctx, "email")
    assert got.equals(_exact_address(frame, "email"))


def test_the_domain_follows_the_first_at_sign() -> None:
    frame = pl.DataFrame({"email": ["ü@xgmial.com", "例え@Mailinator.com", "a@b@c.com", "a@"]})
    ctx = Context(load_schema(None), TODAY, ("email",))
    domains = _address(Batch(frame), ctx, "email").get_column("domain").to_list()
    assert domains == ["xgmial.com", "mailinator.com", "b@c.com", ""]


FIXTURE_COUNTS = {
    "clean.csv": {},
    "invalid-email.csv": {"DAT001": 2},
    "duplicate-email.csv": {"DAT002": 1},
    "role-address.csv": {"DAT003": 1},
    "disposable-domain.csv": {"DAT004": 1},
    "typo-domain.csv": {"DAT005": 2},
    "invalid-phone.csv": {"DAT006": 1},
    "invalid-date.csv": {"DAT007": 2},
    "future-date.csv": {"DAT008": 1},
    "invalid-country.csv": {"DAT009": 1, "DAT017": 1},
    "missing-consent.csv": {"DAT010": 2},
    "denied-lead-source.csv": {"DAT011": 1},
    "formula-injection.csv": {"DAT012": 2},
    "quoted-newline.csv": {},
    "mixed-line-endings.csv": {},
}


@pytest.mark.parametrize(("name", "counts"), sorted(FIXTURE_COUNTS.items()))
def test_defect_fixtures(name: str, counts: dict[str, int]) -> None:
    assert check_file(ROOT / "fixtures/contacts" / name, today=TODAY).counts_by_rule == counts


def test_cached_answers_survive_the_cache_being_cleared_meanwhile() -> None:
    # Both workers share the cache; one may clear it while the other reads its answers.
    ctx = Context(load_schema(None), TODAY, ("email",))

    def judge(value: str) -> str | None:
        ctx.cache["v"].clear()  # what the other worker's clear looks like from here
        return f"bad {value}"

    assert ctx.memo_values("v", ["a", "b"], judge) == {"a": "bad a", "b": "bad b"}


def _counts(tmp_path: Path, schema: str, data: str) -> dict[str, int]:
    """Rows hit per rule for `data` (CSV text) checked against `schema` (JSON text)."""
    (tmp_path / "s.json").write_text(schema)
    (tmp_path / "d.csv").write_text(data)
    return check_file(tmp_path / "d.csv", tmp_path / "s.json", today=TODAY).counts_by_rule


def test_an_email_column_named_key_is_checked_as_written(tmp_path: Path) -> None:
    schema = (
        '{"fields": [{"name": "key", "type": "string", "format": "email"}],'
        ' "presend": {"emailColumn": "key"}}'
    )
    counts = _counts(tmp_path, schema, "key\n Ann@Example.com\nann@example.com\n")
    assert counts == {"DAT001": 1, "DAT002": 1}  # the blank is not trimmed away


def test_formula_check_ignores_phone_columns() -> None:
    report = check_file(ROOT / "fixtures/contacts/formula-injection.csv", today=TODAY)
    assert {f.column for f in report.findings if f.rule == "DAT012"} == {2}


def test_missing_required_column_rejects_every_row(tmp_path: Path) -> None:
    path = tmp_path / "no-email.csv"
    path.write_text("first_name,consent\nAnn,yes\nBob,yes\n")
    report = check_file(path, today=TODAY)
    assert report.counts_by_rule == {"DAT020": 2} and report.rows_rejected == 2
    (finding,) = report.findings
    assert finding.line == 1 and "column 'email'" in finding.message


def test_header_only_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_text("email,consent\n")
    report = split_file(path, tmp_path / "c.csv", tmp_path / "r.csv", today=TODAY)
    assert report.rows_in == 0 and report.findings == []
    assert (tmp_path / "c.csv").read_text() == "email,consent\n"


def test_columns() -> None:
    assert columns(ROOT / "fixtures/contacts/semicolon.csv") == ["email", "first_name", "consent"]


def test_schema_errors_name_the_key(tmp_path: Path) -> None:
    with pytest.raises(
        SchemaError,
        match=r"fields\[0\]\.constraints\.maxLength: expected a "
        r"non-negative integer but got 'x'",
    ):
        parse_schema({"fields": [{"name": "email", "constraints": {"maxLength": "x"}}]}, "s.json")
    with pytest.raises(SchemaError, match=r"presend\.consnet"):
        parse_schema({"fields": [], "presend": {"consnet": {}}}, "s.json")
    bad = tmp_path / "bad.json"
    bad.write_text("{")
    with pytest.raises(SchemaError, match=r"bad\.json: line 1"):
        load_schema(bad)


def test_custom_schema_constraints(tmp_path: Path) -> None:
    schema = (
        '{"fields": [{"name": "id", "type": "integer"}, {"name": "code",'
        ' "constraints": {"enum": ["a", "b"]}}], "primaryKey": ["id", "code"]}'
    )
    counts = _counts(tmp_path, schema, "id,code\n1,a\n1,a\n1,b\nx,c\n,a\n")
    assert counts == {"DAT013": 1, "DAT014": 1, "DAT016": 1, "DAT019": 1}


def test_lint_table_follows_config_rules() -> None:
    from linter.catalogue import load
    from linter.config import Config
    from linter.contacts.lint import lint_table
    from linter.sources import InputError, Source

    config = Config.defaults(load())
    found = lint_table(Source(str(ROOT / "fixtures/contacts/typo-domain.csv")), config)
    assert [f.rule for f in found] == ["DAT005"]
    with pytest.raises(InputError, match=r"ragged\.csv: 3:3: row has 2 fields"):
        lint_table(Source(str(ROOT / "fixtures/contacts/ragged.csv")), config)


def test_preparing_a_batch_ahead_changes_no_result(generated: tuple[Path, object]) -> None:
    # run() prepares each batch on a worker thread; checking unprepared batches must agree.
    path, _ = generated
    prepared = check_file(path, today=TODAY)
    dialect = sniff(path)
    runner = Runner(load_schema(None), dialect, TODAY, rules=contact_rules())
    frame = pl.read_csv(path, infer_schema=False)
    for start in range(0, frame.height, 7_000):
        runner.batch(frame.slice(start, 7_000), None)
    plain = runner.report(str(path))
    assert plain.counts_by_rule == prepared.counts_by_rule
    assert [f.message for f in plain.findings] == [f.message for f in prepared.findings]


def test_running_and_deferred_duplicates_agree(generated: tuple[Path, object]) -> None:
    # split looks every key up in a running hash set as its batch finishes (route_rows);
    # check keeps the keys and resolves them at the end. Same counts, rows and messages,
    # including duplicates that other error rules reject too (counted once).
    path, expected = generated

    class Count:
        rejected = 0

        def write(self, frame: object, first: int, reject: pl.Series, why: object) -> None:
            self.rejected += int(reject.sum())

    frame = pl.read_csv(path, infer_schema=False)
    reports, sink = [], Count()
    for route in (False, True):
        runner = Runner(
            load_schema(None), sniff(path), TODAY, rules=contact_rules(), route_rows=route
        )
        for start in range(0, frame.height, 3_000):
            runner.batch(frame.slice(start, 3_000), sink if route else None)
        reports.append(runner.report(str(path)))
    deferred, running = reports
    assert deferred.counts_by_rule == running.counts_by_rule == expected.counts  # type: ignore[attr-defined]
    assert deferred.rows_rejected == running.rows_rejected == sink.rejected
    assert [f.message for f in deferred.findings] == [f.message for f in running.findings]
    with pytest.raises(ValueError, match="route_rows"):
        Runner(load_schema(None), sniff(path), TODAY, rules=contact_rules()).batch(frame, sink)


def test_a_duplicate_that_breaks_other_rules_is_rejected_once() -> None:
    head = ("email", "first_name", "country", "signup_date", "consent")
    rows = [
        ("ann@example.com", "Ann", "GB", "2024-01-05", "yes"),
        ("bob@example.org", "Bob", "US", "2023-11-30", "yes"),
        ("ANN@example.com", "Ann", "XX", "2024-01-05", "yes"),  # duplicate and bad country
        ("bob@example.org", "Bob", "US", "2023-11-30", "yes"),  # duplicate only
    ]
    frame = pl.DataFrame([list(r) for r in rows], schema=list(head), orient="row")
    dialect = sniff(ROOT / "fixtures/contacts/clean.csv")
    for route in (False, True):
        runner = Runner(load_schema(None), dialect, TODAY, contact_rules(), route_rows=route)
        for start in (0, 2):
            runner.batch(frame.slice(start, 2), None)
        report = runner.report("x.csv")
        assert report.counts_by_rule == {"DAT002": 2, "DAT009": 1}, route
        assert (report.rows_rejected, report.rows_clean) == (2, 2), route


def _refines_agree(frame: pl.DataFrame, pairs: list[Refine]) -> None:
    """Each Refine's narrowed mask equals its exact expression on every row, evaluated alone
    and all together (one pair's candidates are other pairs' extra rows)."""
    exact = [frame.select(p.exact.fill_null(False)).to_series().to_list() for p in pairs]
    together = refined(frame, pairs)
    alone = [refined(frame, [p])[0] for p in pairs]
    for want, a, b in zip(exact, together, alone, strict=True):
        assert frame.select(a).to_series().to_list() == want
        assert frame.select(b).to_series().to_list() == want


def _text_frame(values: list[str | None]) -> pl.DataFrame:
    return pl.DataFrame(
        {"v": values, "w": list(reversed(values))}, schema={"v": pl.String, "w": pl.String}
    )


def test_formula_prefilter_agrees_with_the_regex() -> None:
    from linter.contacts.checks.marketing import _formula

    values = ["=1+1", "+44", "-5", "@SUM(A1)", "\tx", "\rx", "", None, "0=1", " =1", "Ann"]
    values += ["é=", "A=", "~x", "?x", ">x", "<x", ",x", "*x", "\x01=", "z"]
    _refines_agree(_text_frame(values), [_formula("v"), _formula("w")])
    plain = pl.DataFrame({"v": ["Ann", "Bob"]})
    assert plain.select(refined(plain, [_formula("v")])[0]).to_series().to_list() == [False] * 2


def test_length_and_blank_prefilters_agree_with_the_full_expressions() -> None:
    from linter.contacts.checks.fields import _too_long
    from linter.contacts.checks.marketing import _blank

    values = ["", None, " ", "\t", "\u00a0", "\u3000 ", "ann", " ann", "~", "\x7f", "é", "ééé"]
    values += ["éééé", "abcd", "abc", "\u2003x", "\x1f", "!", "\u0085"]
    pairs = [_blank("v"), _blank("w")] + [_too_long(c, n) for c in "vw" for n in (0, 2, 3, 4)]
    _refines_agree(_text_frame(values), pairs)


def test_country_and_consent_prefilters_agree_with_normalising_every_value() -> None:
    from linter.contacts.checks.marketing import (
        _lower_trimmed,
        _not_in,
        _upper_trimmed,
        iso_countries,
    )

    values = ["GB", "gb", "Gb", " gb ", "GB\t", "XX", "", None, "yes", "YES", "Yes ", "y", "no"]
    values += ["true", "TRUE", "tRuE", "1", "0", "ye s", "\u00a0yes", "ja", "uk", "U K"]
    countries = tuple(sorted(iso_countries()))
    pairs = [_not_in(c, _upper_trimmed, countries) for c in "vw"]
    pairs += [_not_in(c, _lower_trimmed, ("yes", "true", "y", "1")) for c in "vw"]
    _refines_agree(_text_frame(values), pairs)


def test_integer_prefilter_agrees_with_the_regex() -> None:
    from linter.contacts.checks.fields import _not_integer

    values = ["1", "+5", "-5", "+-5", "007", "-0", "5 ", " 5", "1_000", "0x10", "1e3", "5.",
              ".5", "5.0", "1,000", "١٢", "+٣", "", None, "+", "-", "99999999999999999999",
              "-9223372036854775808", "9223372036854775808", "\u00a05", "\uff15"]  # fmt: skip
    # Near-integers: digits mixed with every character a parser might let through.
    near = "0123456789+- \t._eExab,\u0661\u00a0"
    values += [a + b + c for a in near for b in "19+-" for c in near[:14]]
    _refines_agree(_text_frame(values), [_not_integer("v"), _not_integer("w")])


def test_numbers_and_dates_take_ascii_digits_only(tmp_path: Path) -> None:
    schema = (
        '{"fields": [{"name": "n", "type": "integer"}, {"name": "d", "type": "date"},'
        ' {"name": "y", "type": "year"}]}'
    )
    arabic_indic = "\u0661\u0662"  # 12
    full_width_year = "\uff12\uff10\uff12\uff14"  # 2024
    data = f"n,d,y\n12,2024-01-05,2024\n{arabic_indic},{arabic_indic}24-01-05,{full_width_year}\n"
    (tmp_path / "s.json").write_text(schema)
    (tmp_path / "d.csv").write_text(data, encoding="utf-8")
    report = check_file(tmp_path / "d.csv", tmp_path / "s.json", today=TODAY)
    hits = sorted((f.rule, f.column) for f in report.findings)
    assert hits == [("DAT007", 2), ("DAT007", 3), ("DAT019", 1)]  # each column, in row 3


def test_dates_are_judged_on_an_iso_day_they_start_with(tmp_path: Path) -> None:
    # An empty optional date is missing, not malformed; a value is in the future only when it
    # starts with a real ISO day (polars' lenient parse alone also reads " 2999-1-01").
    data = "email,signup_date,consent\n" + "".join(
        f"u{i}@example.com,{d},yes\n"
        for i, d in enumerate(["", " 2999-01-01", " 2999-1-01", "2999-01-01T00:00", "2024-01-05"])
    )
    (tmp_path / "d.csv").write_text(data)
    report = check_file(tmp_path / "d.csv", today=TODAY)
    rows = {f.rule: f.message for f in report.findings}
    assert report.counts_by_rule == {"DAT007": 3, "DAT008": 1}
    assert "(rows 3, 4, 5)" in rows["DAT007"] and "(rows 5)" in rows["DAT008"]
