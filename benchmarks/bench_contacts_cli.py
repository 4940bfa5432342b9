"""Contact validation as a user runs it: whole processes, start-up to exit.

    python benchmarks/bench_contacts_cli.py [--sizes 100000 1000000] [--repeat 5]
        [--frictionless-repeat 1] [--no-frictionless] [--checkout]

Runs, in turn, on the same generated list (benchmarks/contacts_gen.py, seed 1) and the same
plain Table Schema (benchmarks/plain.schema.json: every constraint type, no presend block):

    presend data FILE --schema S --split CLEAN REJECTED
    frictionless validate FILE --schema S --limit-errors N

Each run is its own process; wall time is measured from spawn to exit, peak RSS is the
process's ru_maxrss (os.wait4); stdout and stderr go to /dev/null for both. frictionless
stops at 1,000 errors by default (about row 40,000 of these lists, so it would not read the
rest); --limit-errors above the list's size makes it check every row, as presend does.
presend reports the median of --repeat runs, frictionless the median of its own (~2 minutes a
run at 1M rows); the ratio is frictionless' median over presend's. Figures move with the
host's load (2 shared cores here): compare rows of one run, not runs of different days.

presend runs as a user installs it: `pip install '.[contacts]'` into a fresh virtual
environment under --workdir (made anew each run: ~30 s), so only what that extra brings is
there. The development environment also holds numpy (pandas, for the spark extra), which
pyarrow imports whenever it is installed: ~0.05 s more a run. --checkout runs the
development environment's `presend` instead. frictionless runs from the development
environment, where the tests install it.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "benchmarks" / "plain.schema.json"
sys.path.insert(0, str(ROOT / "benchmarks"))


# As installed: pip compiles a wheel's modules to bytecode when it installs them (frictionless'
# are), but an editable checkout's are compiled on first import and cached only when Python
# may write bytecode. With PYTHONDONTWRITEBYTECODE set (some shells and CI images set it),
# every presend run would compile its own ~100 modules again (~0.05 CPU-s): the warm-up run
# writes them here as an installed presend has them.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def run(argv: list[str], cwd: Path) -> tuple[float, float, int]:
    """(wall seconds, peak RSS MiB, exit code) of one process."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        argv, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_maxrss / 1024, proc.returncode


def installed_presend(work: Path) -> str:
    """`presend` from a fresh virtual environment with presend[contacts] installed."""
    venv = work / "venv"
    shutil.rmtree(venv, ignore_errors=True)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", f"{ROOT}[contacts]"]
    subprocess.run(pip, check=True)
    return str(venv / "bin" / "presend")


def commands(name: str, rows: int, presend: str) -> dict[str, list[str]]:
    bindir = Path(sys.executable).parent
    friction = shutil.which("frictionless", path=str(bindir)) or "frictionless"
    return {
        "presend": [presend, "data", name, "--schema", SCHEMA.name, "--split", "c.csv", "r.csv"],
        "frictionless": [
            friction,
            "validate",
            name,
            "--schema",
            SCHEMA.name,
            "--limit-errors",
            str(rows * 20),
        ],
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--frictionless-repeat", type=int, default=1)
    ap.add_argument("--no-frictionless", action="store_true")
    ap.add_argument("--workdir", default="/tmp/presend-bench-cli")
    ap.add_argument("--checkout", action="store_true", help="the development venv's presend")
    args = ap.parse_args()
    from bench_contacts import print_rss_growth
    from contacts_gen import generate

    work = Path(args.workdir)
    work.mkdir(parents=True, exist_ok=True)
    shutil.copy(SCHEMA, work / SCHEMA.name)  # frictionless reads paths relative to its cwd
    tools = ["presend"] if args.no_frictionless else ["presend", "frictionless"]
    bindir = Path(sys.executable).parent
    presend = (
        shutil.which("presend", path=str(bindir)) or "presend"
        if args.checkout
        else installed_presend(work)
    )
    results: dict[tuple[int, str], tuple[float, float, list[float]]] = {}
    for size in args.sizes:
        name = f"contacts-{size}.csv"
        if not (work / name).exists():
            generate(work / name, size, seed=1)
        argv = commands(name, size, presend)
        run(argv["presend"], work)  # warm the page cache and the bytecode
        for tool in tools:
            repeat = args.repeat if tool == "presend" else args.frictionless_repeat
            runs = [run(argv[tool], work) for _ in range(repeat)]
            codes = {code for _, _, code in runs}
            if codes - {0, 1}:  # 1: findings, which these lists have
                raise SystemExit(f"{tool} failed on {name} (exit {codes}): {' '.join(argv[tool])}")
            walls = [w for w, _, _ in runs]
            results[(size, tool)] = (statistics.median(walls), max(r for _, r, _ in runs), walls)
            print(
                f"{size:>10,} {tool:<12} runs: {', '.join(f'{w:.2f}' for w in walls)} s", flush=True
            )
    print(
        f"\n{'rows':>10} {'tool':<12} {'median s':>9} {'rows/s':>11} {'peak RSS MiB':>13} {'x':>7}"
    )
    for (size, tool), (wall, rss, _) in results.items():
        peer = results.get((size, "frictionless"))
        ratio = f"{peer[0] / wall:.1f}" if peer and tool == "presend" else "-"
        print(f"{size:>10,} {tool:<12} {wall:>9.2f} {size / wall:>11,.0f} {rss:>13.0f} {ratio:>7}")
    print_rss_growth(args.sizes, tools, lambda size, tool: results[(size, tool)][1])


if __name__ == "__main__":
    main()
