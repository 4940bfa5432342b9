"""Contact validation speed and memory: presend vs frictionless vs bare polars.

    python benchmarks/bench_contacts.py [--sizes 100000 1000000] [--no-frictionless]
        [--repeat 3] [--frictionless-repeat 1]

Each measurement runs in its own child process; wall time is measured around the work inside
the child (imports excluded), peak RSS is the child's ru_maxrss read with os.wait4. All tools
read the same generated file against the same Table Schema (the bundled default schema;
frictionless ignores the `presend` block, so it checks less than presend does). Two bare
polars figures: "polars" reads the file and checks nothing; "polars+checks" is the same rules
written as one polars query over the whole file (polars_peer.py: what presend's engine adds
on top of polars; it finds the same counts).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "linter" / "data" / "contacts" / "default.schema.json"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))


def child(kind: str, path: str, out_dir: str) -> None:
    """Run one measurement in this process and print {"seconds", "rows"} as JSON."""
    if kind == "polars":
        import polars as pl

        start = time.perf_counter()
        rows = pl.read_csv(path, infer_schema=False).height
    elif kind == "polars+checks":
        from polars_peer import check

        start = time.perf_counter()
        rows = check(path)["rows"]
    elif kind in ("presend", "presend-split"):
        from linter.contacts import check_file, split_file

        start = time.perf_counter()
        if kind == "presend":
            rows = check_file(path).rows_in
        else:
            rows = split_file(path, f"{out_dir}/clean.csv", f"{out_dir}/rejected.csv").rows_in
    else:
        from frictionless import Resource, Schema, validate

        descriptor = json.loads(SCHEMA.read_text(encoding="utf-8"))
        descriptor = {k: v for k, v in descriptor.items() if k not in ("presend", "$comment")}
        start = time.perf_counter()
        # frictionless refuses absolute paths unless given a basepath.
        resource = Resource(
            Path(path).name,
            basepath=str(Path(path).parent),
            schema=Schema.from_descriptor(descriptor),
        )
        report = validate(resource, limit_errors=10**9)
        rows = int(report.tasks[0].stats["rows"] or 0)
    print(json.dumps({"seconds": time.perf_counter() - start, "rows": rows}))


def measure(kind: str, path: Path) -> tuple[float, int, float]:
    """(seconds, rows, peak RSS in MiB) of one child run."""
    proc = subprocess.Popen(
        [sys.executable, __file__, "--child", kind, str(path), str(path.parent)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise RuntimeError(f"{kind} failed with exit code {proc.returncode}")
    data = json.loads(out.strip().splitlines()[-1])
    return float(data["seconds"]), int(data["rows"]), usage.ru_maxrss / 1024  # KiB on Linux


def have_frictionless() -> bool:
    try:
        import frictionless  # noqa: F401
    except ImportError:
        return False
    return True


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    ap.add_argument("--repeat", type=int, default=3, help="best of N for the fast tools")
    ap.add_argument(
        "--frictionless-repeat",
        type=int,
        default=1,
        help="best of N for frictionless (~40 s a run at 1M rows; on a shared host its time "
        "moves by 10-15 %% from run to run)",
    )
    ap.add_argument("--no-frictionless", action="store_true")
    ap.add_argument("--workdir", default="/tmp/presend-bench")
    ap.add_argument("--child", nargs=3, metavar=("KIND", "PATH", "OUT"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(*args.child)
        return
    from contacts_gen import generate

    kinds = ["polars", "polars+checks", "presend", "presend-split"]
    if args.no_frictionless:
        print("frictionless: skipped (--no-frictionless)")
    elif have_frictionless():
        kinds.append("frictionless")
    else:
        print("frictionless: not installed, skipped (pip install frictionless)")
    work = Path(args.workdir)
    work.mkdir(parents=True, exist_ok=True)
    results: dict[tuple[int, str], tuple[float, int, float]] = {}
    for size in args.sizes:
        path = work / f"contacts-{size}.csv"
        if not path.exists():
            generate(path, size, seed=1)
        for kind in kinds:
            runs = args.frictionless_repeat if kind == "frictionless" else args.repeat
            best = min((measure(kind, path) for _ in range(runs)), key=lambda r: r[0])
            results[(size, kind)] = best
    print(
        f"\n{'rows':>10} {'tool':<14} {'seconds':>8} {'rows/s':>11} {'peak RSS MiB':>13} "
        f"{'x frictionless':>15} {'x polars read':>14} {'x polars+checks':>16}"
    )
    for (size, kind), (secs, rows, rss) in results.items():
        fr = results.get((size, "frictionless"))
        vs_fr = f"{fr[0] / secs:.1f}" if fr else "-"
        vs_pl = f"{results[(size, 'polars')][0] / secs:.2f}"
        vs_checks = f"{results[(size, 'polars+checks')][0] / secs:.2f}"
        print(
            f"{size:>10,} {kind:<14} {secs:>8.2f} {rows / secs:>11,.0f} {rss:>13.0f} "
            f"{vs_fr:>15} {vs_pl:>14} {vs_checks:>16}"
        )
    print_rss_growth(args.sizes, kinds, lambda size, kind: results[(size, kind)][2])


def print_rss_growth(sizes: list[int], kinds: list[str], rss: Callable[[int, str], float]) -> None:
    """Peak RSS at the largest size over that at the smallest, per tool (the target: <= 2x)."""
    if len(sizes) < 2:
        return
    small, big = min(sizes), max(sizes)
    for kind in kinds:
        growth = rss(big, kind) / rss(small, kind)
        print(f"peak RSS {kind} at {big:,} / at {small:,} rows: {growth:.2f}x")


if __name__ == "__main__":
    main()
