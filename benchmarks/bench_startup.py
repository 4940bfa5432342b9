"""Start-up: `presend check` on one template, whole process, against `python -c "import
lxml.html"` (the parser presend cannot do without) and ruff (when installed), measured
in turn in the same run. Target (issue 12): <= 3x the lxml import.

Measured twice: as a user runs it, `presend` from a fresh virtual environment with presend
installed from a wheel (`pip install .`, no editable finder, bytecode compiled by pip), each
command with that environment's Python; and from this checkout (`python -m linter`, the
editable install's finder loaded by every Python process, the lxml import's included).
`--no-wheel` skips the first, which takes ~10 s to install.

Each command runs --repeat times after a warm-up, interleaved A B A B so drift in the
machine's speed hits both; the figure is the median wall time, and the ratio the median
of the pair-by-pair ratios.

Run: python benchmarks/bench_startup.py [--repeat 15] [--no-wheel]
"""

from __future__ import annotations

import argparse
import compileall
import os
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


def _wall(argv: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def _measure(title: str, presend: list[str], peers: dict[str, list[str]], repeat: int) -> None:
    for argv in (presend, *peers.values()):
        _wall(argv)  # warm-up: page cache, bytecode
    times: dict[str, list[float]] = {"presend check (one template)": []}
    times.update({name: [] for name in peers})
    for _ in range(repeat):
        times["presend check (one template)"].append(_wall(presend))
        for name, argv in peers.items():
            times[name].append(_wall(argv))
    ours = times["presend check (one template)"]
    print(f"\n{title}")
    print(f"{'command':<34} {'median ms':>10} {'presend / it':>13}")
    for name, runs in times.items():
        ratio = statistics.median(a / b for a, b in zip(ours, runs, strict=True))
        print(f"{name:<34} {statistics.median(runs) * 1000:>10.1f} {ratio:>12.1f}x")


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
