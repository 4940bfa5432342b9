"""Start-up: `presend check` on one template, whole process, against `python -c "import
lxml.html"` (the parser presend cannot do without) and ruff (when installed), measured
in turn in the same run. Target (issue 12): <= 3x the lxml import.

Measured twice: as a user runs it, `presend` from a fresh virtual environment with presend
installed from a wheel (`pip install .`, no editable finder, bytecode compiled by pip), each
command with that environment's Python; and from this checkout (`python -m linter`, the
editable install's finder loaded by every Python process, the lxml import's included).
`--no-wheel` skips the first, which takes ~10 s to install.

Each command runs --repeat times after a warm-up, interleaved A B A B so drift in the
machine's speed hits both; the figures are the median wall and CPU times (user + system, of
the finished process), and each ratio the median of the pair-by-pair ratios. On a machine
shared with other work, CPU time is the steadier of the two.

Run: python benchmarks/bench_startup.py [--repeat 15] [--no-wheel]
"""

from __future__ import annotations

import argparse
import compileall
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "fixtures" / "email" / "corpus" / "postmark-templates"
TEMPLATE = TEMPLATE / "templates_basic_welcome_content.html"


def _run(argv: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds of one whole process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def _measure(title: str, presend: list[str], peers: dict[str, list[str]], repeat: int) -> None:
    for argv in (presend, *peers.values()):
        _run(argv)  # warm-up: page cache, bytecode
    ours_name = "presend check (one template)"
    runs: dict[str, list[tuple[float, float]]] = {ours_name: []}
    runs.update({name: [] for name in peers})
    for _ in range(repeat):
        runs[ours_name].append(_run(presend))
        for name, argv in peers.items():
            runs[name].append(_run(argv))
    ours = runs[ours_name]
    print(f"\n{title}")
    print(f"{'command':<34} {'wall ms':>8} {'CPU ms':>7} {'presend / it':>13} {'(CPU)':>6}")
    for name, times in runs.items():
        ratio = statistics.median(a[0] / b[0] for a, b in zip(ours, times, strict=True))
        cpu_ratio = statistics.median(a[1] / b[1] for a, b in zip(ours, times, strict=True))
        wall = statistics.median(t[0] for t in times) * 1000
        cpu = statistics.median(t[1] for t in times) * 1000
        print(f"{name:<34} {wall:>8.1f} {cpu:>7.1f} {ratio:>12.1f}x {cpu_ratio:>5.1f}x")


def _peers(python: str) -> dict[str, list[str]]:
    peers = {"python -c 'import lxml.html'": [python, "-c", "import lxml.html"]}
    ruff = shutil.which("ruff")
    if ruff:
        peers["ruff check (same file)"] = [ruff, "check", "--no-cache", str(TEMPLATE)]
    return peers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--no-wheel", action="store_true", help="only the checkout")
    args = parser.parse_args()
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    if not args.no_wheel:
        with tempfile.TemporaryDirectory() as scratch:
            venv = Path(scratch) / "venv"
            subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
            pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", str(ROOT)]
            subprocess.run(pip, check=True)
            presend = [str(venv / "bin" / "presend"), "check", "--no-cache", str(TEMPLATE)]
            _measure(
                "installed from a wheel", presend, _peers(str(venv / "bin" / "python")), args.repeat
            )
    for folder in ("linter", "rules"):
        compileall.compile_dir(ROOT / folder, quiet=1)
    presend = [sys.executable, "-m", "linter", "check", "--no-cache", str(TEMPLATE)]
    _measure("this checkout (python -m linter)", presend, _peers(sys.executable), args.repeat)


if __name__ == "__main__":
    main()
