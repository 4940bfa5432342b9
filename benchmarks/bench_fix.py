"""Cost of `presend check --fix` against a plain `presend check`, whole process.

On a fresh temporary copy of the bundled real templates (fixtures/email/corpus, with a
presend.toml setting `[accessibility] lang = "en"` so ACC001 is fixable too), times as a
user would run them, each a fresh process:

  check        presend check corpus
  fix          presend check --fix corpus                 (a fresh unfixed copy each run)
  fix-unsafe   presend check --fix --unsafe-fixes corpus  (a fresh unfixed copy each run)
  diff         presend check --diff corpus                (writes nothing)
  fix-again    presend check --fix corpus on an already fixed copy

The runs are interleaved round by round, so load on the machine hits them alike; each
row is the best round, as wall time and as the process's CPU time (user + system), which
other load disturbs less. Target: fix <= 1.5x check. A fixed file costs one quick lint
with only the fixable rules and one full lint, which is also the report.
Run: python benchmarks/bench_fix.py [--repeat N]
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "fixtures" / "email" / "corpus"
RUNS = {
    "check": (["check"], False),
    "fix": (["check", "--fix"], True),
    "fix-unsafe": (["check", "--fix", "--unsafe-fixes"], True),
    "diff": (["check", "--diff"], False),
    "fix-again": (["check", "--fix"], False),
}


def _copy(into: Path) -> Path:
    """A fresh copy of the corpus with the config; returns the folder to run in."""
    if into.exists():
        shutil.rmtree(into)
    shutil.copytree(CORPUS, into / "corpus")
    (into / "presend.toml").write_text('[accessibility]\nlang = "en"\n')
    return into


def _run(cwd: Path, args: list[str]) -> tuple[float, float, str]:
    """(wall seconds, CPU seconds, the summary line presend printed)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "linter", *args, "corpus"], cwd=cwd, capture_output=True
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 1):
        sys.exit(f"presend {' '.join(args)} failed: {proc.stderr.decode()[-500:]}")
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    said = [ln for ln in proc.stderr.decode().splitlines() if "ix" in ln and "finding" in ln]
    return wall, cpu, (said[-1].removeprefix("presend: ") if said else "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    opts = parser.parse_args()
    files = len(list(CORPUS.rglob("*.html")))
    best: dict[str, tuple[float, float, str]] = {}
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        plain, fixed = _copy(tmp / "plain"), _copy(tmp / "fixed")
        _run(fixed, ["check", "--fix"])
        for _ in range(opts.repeat):
            for label, (args, fresh) in RUNS.items():
                folder = _copy(tmp / "fresh") if fresh else plain
                wall, cpu, said = _run(fixed if label == "fix-again" else folder, args)
                old = best.get(label)
                best[label] = (
                    min(wall, old[0]) if old else wall,
                    min(cpu, old[1]) if old else cpu,
                    said,
                )
    wall0, cpu0, _ = best["check"]
    print(f"{files} templates, best of {opts.repeat} interleaved rounds, whole process\n")
    print(f"{'run':<11} {'wall s':>7} {'x check':>8} {'CPU s':>7} {'x check':>8}  what it did")
    for label, (wall, cpu, said) in best.items():
        print(f"{label:<11} {wall:7.2f} {wall / wall0:8.2f} {cpu:7.2f} {cpu / cpu0:8.2f}  {said}")
    ratio = max(best["fix"][0] / wall0, best["fix"][1] / cpu0)
    verdict = "met" if ratio <= 1.5 else "NOT met"
    print(f"\n--fix / check, the worse of wall and CPU: {ratio:.2f}x (target <= 1.5x: {verdict})")


if __name__ == "__main__":
    main()
