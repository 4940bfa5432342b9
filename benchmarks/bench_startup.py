"""Start-up: `presend check` on one template, whole process, against `python -c "import
lxml.html"` (the parser presend cannot do without) and ruff (when installed), measured
in turn in the same run. Target (issue 12): <= 3x the lxml import.

Each command runs --repeat times after a warm-up, interleaved A B A B so drift in the
machine's speed hits both; the figure is the median wall time, and the ratio the median
of the pair-by-pair ratios. Bytecode is compiled first (an installed wheel has it; a
checkout run with PYTHONDONTWRITEBYTECODE would otherwise recompile every module).

Run: python benchmarks/bench_startup.py [--repeat 15]
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "fixtures" / "email" / "corpus" / "postmark-templates"
TEMPLATE = TEMPLATE / "templates_basic_welcome_content.html"


def _wall(argv: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    for folder in ("linter", "rules"):
        compileall.compile_dir(ROOT / folder, quiet=1)
    presend = [sys.executable, "-m", "linter", "check", "--no-cache", str(TEMPLATE)]
    peers = {"python -c 'import lxml.html'": [sys.executable, "-c", "import lxml.html"]}
    ruff = shutil.which("ruff")
    if ruff:
        peers["ruff check (same file)"] = [ruff, "check", "--no-cache", str(TEMPLATE)]
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    for argv in (presend, *peers.values()):
        _wall(argv)  # warm-up: page cache, bytecode
    times: dict[str, list[float]] = {"presend check (one template)": []}
    times.update({name: [] for name in peers})
    for _ in range(args.repeat):
        times["presend check (one template)"].append(_wall(presend))
        for name, argv in peers.items():
            times[name].append(_wall(argv))
    ours = times["presend check (one template)"]
    print(f"{'command':<34} {'median ms':>10} {'presend / it':>13}")
    for name, runs in times.items():
        ratio = statistics.median(a / b for a, b in zip(ours, runs, strict=True))
        print(f"{name:<34} {statistics.median(runs) * 1000:>10.1f} {ratio:>12.1f}x")


if __name__ == "__main__":
    main()
