"""presend client-support vs doiuse-email: speed and where the two disagree, on the corpus.

    python benchmarks/bench_client_support.py [CORPUS_DIR] [--version 0.4.1]

CORPUS_DIR defaults to fixtures/email/corpus (the 81 templates).

Installs doiuse-email with npm into a temporary folder (skips with a message when node
or npm is missing), runs it over every file in one node process, runs presend's
client-support rules in-process on the same files and targets, and prints files/s,
the ratio and a table of (file, feature, client) pairs only one tool reports, by reason.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from linter import catalogue
from linter.clients import load_data, resolve_targets, support_for
from linter.clients.assess import QUIET_PARTIAL, WORD_ENGINE, judge_for
from linter.clients.detect import UNMAPPED, Use, detect
from linter.config import Config
from linter.documents.conditionals import Audience
from linter.documents.email import EmailDocument
from linter.engine import lint_email
from linter.policy import ClientsPolicy, Policy

TARGETS = ("gmail.*", "outlook.*", "apple-mail.*", "yahoo.*")
ROOT = Path(__file__).resolve().parent.parent
NODE_SCRIPT = """
import { doIUseEmail } from "doiuse-email";
import fs from "node:fs";
const [listFile, ...targets] = process.argv.slice(2);
const files = fs.readFileSync(listFile, "utf8").split("\\n").filter(Boolean);
const texts = files.map((f) => fs.readFileSync(f, "utf8"));
const results = [];
const t0 = process.hrtime.bigint();
texts.forEach((html, i) => {
  try {
    const r = doIUseEmail(html, { emailClients: targets });
    results.push({ file: files[i], ok: true, errors: r.errors || [], notes: r.notes || [] });
  } catch (e) {
    results.push({ file: files[i], ok: false, error: String(e).slice(0, 120) });
  }
});
const ms = Number(process.hrtime.bigint() - t0) / 1e6;
console.log(JSON.stringify({ ms, results }));
"""
_NOT_SUPPORTED = re.compile(r"^`(?P<title>.+)` is not supported by `(?P<client>[^`]+)`")
_PARTIAL = re.compile(r"^Note about `(?P<title>.+?)` support for `(?P<client>[^`]+)`")


def run_doiuse(files: list[Path], version: str) -> dict[str, object] | None:
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        print("doiuse-email: skipped (node and npm are needed)")
        return None
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        subprocess.run([npm, "init", "-y"], cwd=work, check=True, capture_output=True)
        done = subprocess.run(
            [npm, "install", f"doiuse-email@{version}"], cwd=work, capture_output=True, text=True
        )
        if done.returncode != 0:
            print(f"doiuse-email: skipped (npm install failed: {done.stderr.strip()[:200]})")
            return None
        (work / "run.mjs").write_text(NODE_SCRIPT, encoding="utf-8")
        (work / "files.txt").write_text("\n".join(str(f) for f in files), encoding="utf-8")
        start = time.perf_counter()
        out = subprocess.run(
            [node, "run.mjs", "files.txt", *TARGETS],
            cwd=work,
            check=True,
            capture_output=True,
            text=True,
        )
        wall = time.perf_counter() - start
    data: dict[str, object] = json.loads(out.stdout)
    data["wall"] = wall
    return data


def run_presend(files: list[Path], repeats: int = 5) -> tuple[float, float, dict[str, list[Use]]]:
    """Median seconds for the rules (parse included), median for parsing alone, uses."""
    cat = catalogue.load()
    config = Config.defaults(cat, Policy(clients=ClientsPolicy(TARGETS)))
    settings = config.settings_for("x.html")
    rules = tuple(r for r in settings.rules if r.standard == "client-support")
    settings = type(settings)(rules, settings.policy)
    texts = [(str(f), f.read_text(encoding="utf-8")) for f in files]
    lint_email(EmailDocument(*texts[0]), settings)  # load caniemail once
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        for path, text in texts:
            lint_email(EmailDocument(path, text), settings)
        times.append(time.perf_counter() - start)
    parse_times = []
    for _ in range(repeats):
        start = time.perf_counter()
        for path, text in texts:
            EmailDocument(path, text)
        parse_times.append(time.perf_counter() - start)
    uses = {path: list(detect(EmailDocument(path, text))) for path, text in texts}
    return statistics.median(times), statistics.median(parse_times), uses


def presend_pairs(uses: list[Use]) -> dict[tuple[str, str], str]:
    """(slug, client) -> level for every gap presend reports in a file."""
    judge = judge_for(TARGETS)
    pairs: dict[tuple[str, str], str] = {}
    for use in uses:
        found = judge(use)
        if found is not None:
            for gap in found.gaps:
                pairs.setdefault((use.slug, gap.client), found.level.value)
    return pairs


def doiuse_pairs(result: dict[str, object], by_title: dict[str, str]) -> set[tuple[str, str]]:
    pairs = set()
    for message in [*result["errors"], *result["notes"]]:  # type: ignore[misc]
        m = _NOT_SUPPORTED.match(message) or _PARTIAL.match(message)
        if m and m["title"] in by_title:
            pairs.add((by_title[m["title"]], m["client"]))
    return pairs


def only_doiuse_reason(slug: str, client: str, uses: list[Use]) -> str:
    mine = [u for u in uses if u.slug == slug]
    if not mine:
        if slug in UNMAPPED or slug in (
            "css-selector-class",
            "css-selector-id",
            "css-selector-type",
        ):
            return "feature presend leaves unmapped or reports once via <style>"
        return "detection: doiuse matches text presend does not read as this feature"
    if client in WORD_ENGINE and all(u.audience is Audience.NON_MSO for u in mine):
        return "code inside <!--[if !mso]> that Outlook for Windows never sees"
    if client not in WORD_ENGINE and all(u.audience is Audience.MSO for u in mine):
        return "Outlook-only code (<!--[if mso]>) judged for other clients"
    if not support_for(slug, resolve_targets([client])):
        return "version order: the newest real version supports it"
    if slug in QUIET_PARTIAL:
        return "partial support of an email building block (padding, width, !important)"
    if all(u.containers for u in mine):
        return "inside a container the client ignores (<style>, @media, :hover)"
    return "note or value does not apply (inline-start floats, whitespace rgb())"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", default=str(ROOT / "fixtures" / "email" / "corpus"))
    parser.add_argument("--version", default="0.4.1")
    args = parser.parse_args()
    # Absolute paths: node reads the files from its own temporary folder.
    files = sorted(Path(args.corpus).resolve().rglob("*.html"))
    print(f"{len(files)} files; targets {' '.join(TARGETS)}")
    seconds, parse_seconds, uses = run_presend(files)
    presend_rate = len(files) / seconds
    print(
        f"presend client-support (in-process, median of 5): {seconds * 1000:.0f} ms,"
        f" {presend_rate:.0f} files/s (parsing alone: {parse_seconds * 1000:.0f} ms)"
    )
    by_path = {p: presend_pairs(u) for p, u in uses.items()}
    levels = Counter(level for pairs in by_path.values() for level in pairs.values())
    print(f"presend (file, feature, client) pairs by level: {dict(levels)}")
    doiuse = run_doiuse(files, args.version)
    if doiuse is None:
        return 0
    results = doiuse["results"]  # type: ignore[index]
    ok = [r for r in results if r["ok"]]
    rate = len(files) / (float(doiuse["ms"]) / 1000)  # type: ignore[arg-type]
    print(
        f"doiuse-email {args.version} (one node process, excluding start-up):"
        f" {float(doiuse['ms']):.0f} ms, {rate:.0f} files/s;"  # type: ignore[arg-type]
        f" {len(results) - len(ok)} of {len(files)} files crash"
    )
    print(f"ratio: presend is {presend_rate / rate:.1f}x faster")
    by_title = {f.title: slug for slug, f in load_data().features.items()}
    reasons: Counter[str] = Counter()
    examples: dict[str, str] = {}
    for result in results:
        path = result["file"]
        mine = by_path[path]
        if not result["ok"]:
            reasons["doiuse-email crashes on the file (presend reports it)"] += len(mine)
            continue
        theirs = doiuse_pairs(result, by_title)
        for slug, client in sorted(theirs - set(mine)):
            reason = only_doiuse_reason(slug, client, uses[path])
            reasons[f"only doiuse: {reason}"] += 1
            examples.setdefault(f"only doiuse: {reason}", f"{slug} / {client}")
        their_slugs = {slug for slug, _ in theirs}
        for (slug, client), level in sorted(mine.items()):
            if (slug, client) not in theirs:
                key = (
                    f"only presend ({level}): version order, doiuse's string-sorted"
                    " 'latest' row supports it"
                    if slug in their_slugs
                    else f"only presend ({level}): doiuse does not detect it"
                )
                reasons[key] += 1
                examples.setdefault(key, f"{slug} / {client} in {Path(path).name}")
            elif level == "enhancement":
                key = "both, but presend rates it info: degrades gracefully"
                reasons[key] += 1
                examples.setdefault(key, f"{slug} / {client}")
    print("\n| disagreement (file, feature, client pairs) | pairs | example |")
    print("|---|---:|---|")
    for reason, count in reasons.most_common():
        print(f"| {reason} | {count} | {examples.get(reason, '')} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
