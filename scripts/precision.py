"""Precision of presend's findings, from a judged record (method: docs/precision.md).

    python scripts/precision.py sample --seed 11 fixtures/email/corpus > sample.tsv
    python scripts/precision.py report [tests/precision/judged.tsv]

``sample`` lints the templates with the default config (no presend.toml) and draws, per
rule, a seeded random sample of up to 8 findings, at most 2 per template, so that one odd
file cannot decide a rule. It prints them as record lines with the verdict left blank for
the judge. ``report`` prints precision per rule from the record, each rule measured by its newest
sample (``--all-samples`` for every sample): strict (debatable counts as not true) and
lenient (debatable left out).
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RECORD = ROOT / "tests" / "precision" / "judged.tsv"
COLUMNS = ("sample", "path", "line", "rule", "verdict", "reason", "judge")
VERDICTS = ("true", "false", "debatable")


@dataclass(frozen=True)
class Judged:
    """One judged finding: where, which rule, the verdict and its one-line reason."""

    sample: str  # seed and date of the sample, e.g. "seed=11 2026-12-06"
    path: str  # relative to the repository root
    line: int
    rule: str
    verdict: str
    reason: str
    judge: str


def load(path: Path = RECORD) -> list[Judged]:
    """The judged record; a malformed line is an error naming its line number."""
    rows: list[Judged] = []
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(
            (line for line in handle if not line.startswith("#")), delimiter="\t"
        )
        if tuple(reader.fieldnames or ()) != COLUMNS:
            raise ValueError(f"{path}: expected columns {COLUMNS}, got {reader.fieldnames}")
        for row in reader:
            if row["verdict"] not in VERDICTS:
                raise ValueError(f"{path}:{reader.line_num}: verdict {row['verdict']!r}")
            rows.append(
                Judged(
                    row["sample"],
                    row["path"],
                    int(row["line"]),
                    row["rule"],
                    row["verdict"],
                    row["reason"],
                    row["judge"],
                )
            )
    return rows


@dataclass(frozen=True)
class Precision:
    rule: str
    true: int
    false: int
    debatable: int

    @property
    def judged(self) -> int:
        return self.true + self.false + self.debatable

    @property
    def strict(self) -> float:
        return self.true / self.judged if self.judged else 1.0

    @property
    def lenient(self) -> float:
        decided = self.true + self.false
        return self.true / decided if decided else 1.0


def latest(rows: Sequence[Judged]) -> list[Judged]:
    """Each rule's rows from its newest sample (the record is appended to in time order):
    a rule changed since an older sample is measured by the sample taken after."""
    newest = {row.rule: row.sample for row in rows}
    return [row for row in rows if row.sample == newest[row.rule]]


def precision(rows: Iterable[Judged], opt_in: Collection[str] = ()) -> list[Precision]:
    """Per rule, in rule order, then "default" (rules not in ``opt_in``) and "all"."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for row in rows:
        keys = (row.rule, "all") if row.rule in opt_in else (row.rule, "default", "all")
        for key in keys:
            counts[key][VERDICTS.index(row.verdict)] += 1
    order = sorted(counts, key=lambda r: (r in ("default", "all"), r == "all", r))
    return [Precision(rule, *counts[rule]) for rule in order]


def draw(
    findings: Sequence[tuple[str, int, str]], seed: int, per_rule: int = 8, per_file: int = 2
) -> list[tuple[str, int, str]]:
    """A seeded random sample of (path, line, rule): per rule ≤ per_rule, ≤ per_file a file."""
    by_rule: dict[str, list[tuple[str, int, str]]] = defaultdict(list)
    for finding in sorted(set(findings)):
        by_rule[finding[2]].append(finding)
    chosen: list[tuple[str, int, str]] = []
    for rule in sorted(by_rule):
        pool = by_rule[rule]
        random.Random(f"{seed}:{rule}").shuffle(pool)
        taken: dict[str, int] = defaultdict(int)
        for path, line, _ in pool:
            if len([c for c in chosen if c[2] == rule]) == per_rule:
                break
            if taken[path] < per_file:
                taken[path] += 1
                chosen.append((path, line, rule))
    return chosen


def still_reported(rows: Sequence[Judged]) -> list[Judged]:
    """The rows whose finding presend still reports (a fixed false finding is gone)."""

    from linter.catalogue import load as load_catalogue
    from linter.config import Config
    from linter.lint import lint_text

    config = Config.defaults(load_catalogue())
    lines: dict[tuple[str, str], set[int]] = {}
    kept = []
    for row in rows:
        key = (row.path, row.rule)
        if key not in lines:
            text = (ROOT / row.path).read_text(encoding="utf-8")
            found = lint_text(row.path, text, config._replace(cli_select=(row.rule,)))
            lines[key] = {f.line for f in found if f.rule == row.rule}
        if row.line in lines[key]:
            kept.append(row)
    return kept


def _lint(paths: Sequence[str], rules: Sequence[str] = ()) -> Iterator[tuple[str, int, str]]:
    """(path, line, rule) of the findings; ``rules`` selects those (opt-in ones included)."""

    from linter.catalogue import load as load_catalogue
    from linter.config import Config
    from linter.lint import lint_sources
    from linter.sources import expand

    sources, _ = expand(list(paths))
    config = Config.defaults(load_catalogue())
    if rules:
        config = config._replace(cli_select=tuple(rules))
    for finding in lint_sources(sources, config).findings:
        path = Path(finding.path).resolve().relative_to(ROOT).as_posix()
        yield (path, finding.line, finding.rule)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    sample = commands.add_parser("sample", help="draw a seeded sample to judge")
    sample.add_argument("--seed", type=int, required=True)
    sample.add_argument("--date", required=True, help="the sample's date, written in the record")
    sample.add_argument("--per-rule", type=int, default=8)
    sample.add_argument("--rule", action="append", default=[], help="only these rules")
    sample.add_argument("paths", nargs="+")
    report = commands.add_parser("report", help="precision per rule from the record")
    report.add_argument("record", nargs="?", type=Path, default=RECORD)
    report.add_argument(
        "--all-samples", action="store_true", help="every sample, not only each rule's newest"
    )
    report.add_argument(
        "--still-reported",
        action="store_true",
        help="only judged findings presend still reports (lints the files; fixed ones drop)",
    )
    args = parser.parse_args(argv)
    if args.command == "sample":
        found = list(_lint(args.paths, args.rule))
        writer = csv.writer(sys.stdout, delimiter="\t", lineterminator="\n")
        for path, line, rule in draw(found, args.seed, args.per_rule):
            writer.writerow((f"seed={args.seed} {args.date}", path, line, rule, "", "", ""))
        return 0
    rows = load(args.record)
    if not args.all_samples:
        rows = latest(rows)
    if args.still_reported:
        rows = still_reported(rows)
    heads = ("judged", "true", "false", "debat.", "strict", "lenient")
    print(f"{'rule':8} " + " ".join(f"{h:>{max(len(h), 5)}}" for h in heads))
    from linter.catalogue import load as load_catalogue

    opt_in = {r.id for r in load_catalogue().rules if r.opt_in}
    for p in precision(rows, opt_in):
        name = p.rule + ("*" if p.rule in opt_in else "")
        print(
            f"{name:8} {p.judged:6} {p.true:5} {p.false:5} {p.debatable:6}"
            f" {p.strict:7.1%} {p.lenient:7.1%}"
        )
    print("* opt-in: left out of the default figure")
    return 0


if __name__ == "__main__":
    sys.exit(main())
