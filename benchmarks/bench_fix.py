"""Cost of `presend check --fix` against a plain `presend check`, whole process.

On a fresh temporary copy of the bundled real templates (fixtures/email/corpus, with a
presend.toml setting `[accessibility] lang = "en"` so ACC001 is fixable too), times as a
user would run them, each a fresh process, best of N wall time:

  check        presend check corpus
  fix          presend check --fix corpus                 (a fresh unfixed copy each run)
  fix-unsafe   presend check --fix --unsafe-fixes corpus  (a fresh unfixed copy each run)
  diff         presend check --diff corpus                (writes nothing)
  fix-again    presend check --fix corpus on an already fixed copy

Target: fix <= 1.5x check. A fixed file costs one quick lint with only the fixable rules
and one full lint, which is also the report, so the ratio stays well under 2x.
Run: python benchmarks/bench_fix.py [--repeat N]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "fixtures" / "email" / "corpus"


def _copy(into: Path) -> Path:
    """A fresh copy of the corpus with the config; returns the folder to run in."""
    if into.exists():
        shutil.rmtree(into)
    shutil.copytree(CORPUS, into / "corpus")
    (into / "presend.toml").write_text('[accessibility]\nlang = "en"\n')
    return into


def _run(cwd: Path, args: list[str]) -> tuple[float, bytes]:
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "linter", *args], cwd=cwd, capture_output=True, check=False
    )
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        sys.exit(f"presend {' '.join(args)} failed: {proc.stderr.decode()[-500:]}")
    return elapsed, proc.stderr


def _best(tmp: Path, args: list[str], repeat: int, fresh: bool) -> tuple[float, str]:
    runs, said = [], b""
    folder = _copy(tmp / "run")
    for _ in range(repeat):
        if fresh:
            folder = _copy(tmp / "run")
        elapsed, said = _run(folder, [*args, "corpus"])
        runs.append(elapsed)
    summary = [ln for ln in said.decode().splitlines() if "ix" in ln and "finding" in ln]
    return min(runs), (summary[-1].removeprefix("presend: ") if summary else "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    opts = parser.parse_args()
    files = len(list(CORPUS.rglob("*.html")))
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        check, _ = _best(tmp, ["check"], opts.repeat, fresh=False)
        rows = [("check", check, "")]
        for label, args in (
            ("fix", ["check", "--fix"]),
            ("fix-unsafe", ["check", "--fix", "--unsafe-fixes"]),
            ("diff", ["check", "--diff"]),
        ):
            rows.append((label, *_best(tmp, args, opts.repeat, fresh=True)))
        _copy(tmp / "run")
        _run(tmp / "run", ["check", "--fix", "corpus"])
        again = min(_run(tmp / "run", ["check", "--fix", "corpus"])[0] for _ in range(opts.repeat))
        rows.append(("fix-again", again, "already fixed"))
    print(f"{files} templates, best of {opts.repeat}, whole process (start-up included)\n")
    print(f"{'run':<11} {'seconds':>8} {'ms/file':>8} {'x check':>8}  what it did")
    for label, seconds, what in rows:
        per_file = seconds * 1000 / files
        print(f"{label:<11} {seconds:8.2f} {per_file:8.1f} {seconds / check:8.2f}  {what}")
    ratio = rows[1][1] / check
    verdict = "met" if ratio <= 1.5 else "NOT met"
    print(f"\n--fix / check = {ratio:.2f}x (target <= 1.5x: {verdict})")


if __name__ == "__main__":
    main()
