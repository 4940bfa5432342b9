"""presend on Spark against presend on one machine: whole processes, start-up included.

    python benchmarks/bench_spark.py [--sizes 1000000 10000000] [--cores 1 2] [--repeat 1]
        [--split] [--data DIR]

For each size a generated list (contacts_gen.py, seed 1, ~4.5 % defective rows) is checked by
`presend data FILE` (the single-machine CLI) and by `presend data FILE --engine spark` on a
local Spark with 1 and 2 executor cores (`--master local[N]`), each a fresh process: JVM
start, SparkSession, Python workers and all. The runs alternate (CLI, Spark 1 core, Spark 2
cores, CLI, ...) so that a change in the shared machine's load hits all of them; the best of
`--repeat` is reported. A run on a 100-row list measures Spark's fixed cost (start-up and
job scheduling, no data to speak of). Every run must find the same rows in and rejected, or
the script stops. With --split both write their clean and rejected outputs too.

CPU seconds are the whole process tree's (user + system): the script makes itself the
"subreaper" of what it starts (Linux prctl), so the JVM, which outlives the `presend`
process by a moment, is reaped and counted here too. Spark's Python workers are not: their
parent (pyspark's daemon) ignores SIGCHLD, so the kernel discards their CPU time when they
exit, and no getrusage sees it. The script therefore reads the CPU time of every process
whose parent ignores SIGCHLD from /proc while it runs (every 50 ms; the last moments of a
worker's life are missed) and adds it, unless the worker outlived its daemon and was reaped
here (then getrusage has it). On a machine whose cores are shared with other work,
CPU seconds move far less than wall seconds; compare the figures of one run with each other
(the ratios), not with another day's.
"""

from __future__ import annotations

import argparse
import ctypes
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
from contacts_gen import generate  # noqa: E402

PRESEND = [sys.executable, "-m", "presend", "data"]
_SUMMARY = re.compile(r"([\d,]+) rows in = ([\d,]+) clean \+ ([\d,]+) rejected")


def dataset(folder: Path, rows: int) -> Path:
    path = folder / f"contacts-{rows}.csv"
    if not path.exists():
        tmp = path.with_suffix(".tmp")
        generate(tmp, rows, seed=1)
        tmp.replace(path)
    return path


def _subreaper() -> None:
    """Orphans of what this process starts (Spark's JVM) become its children when their
    parent exits, so their CPU time is counted when they are reaped (Linux only)."""
    if sys.platform == "linux":
        ctypes.CDLL(None).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


_SIGCHLD_IGNORED = 1 << (signal.SIGCHLD - 1)


class Unreaped:
    """CPU seconds of this process's descendants whose parent ignores SIGCHLD (Spark's Python
    workers: the kernel reaps them and drops their CPU time), read from /proc as they run."""

    def __init__(self) -> None:
        self.seen: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._tick = os.sysconf("SC_CLK_TCK")

    def __enter__(self) -> Unreaped:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    def _watch(self) -> None:
        me = os.getpid()
        while not self._stop.wait(0.05):
            parents: dict[int, int] = {}
            cpu: dict[int, float] = {}
            for name in os.listdir("/proc"):
                if name.isdigit():
                    try:
                        with open(f"/proc/{name}/stat") as fh:
                            fields = fh.read().rsplit(")", 1)[1].split()
                    except OSError:
                        continue
                    parents[int(name)] = int(fields[1])
                    cpu[int(name)] = (int(fields[11]) + int(fields[12])) / self._tick
            for pid, parent in parents.items():
                if self._below(pid, me, parents) and _ignores_sigchld(parent):
                    self.seen[pid] = max(self.seen.get(pid, 0.0), cpu[pid])

    @staticmethod
    def _below(pid: int, root: int, parents: dict[int, int]) -> bool:
        while pid > 1:
            pid = parents.get(pid, 0)
            if pid == root:
                return True
        return False


def _ignores_sigchld(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("SigIgn:"):
                    return bool(int(line.split()[1], 16) & _SIGCHLD_IGNORED)
    except OSError:
        pass
    return False


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Wall seconds of the whole process, CPU seconds of its whole tree, and the summary
    line it printed."""
    cpu, start = _cpu(), time.perf_counter()
    reaped = set()
    with Unreaped() as unreaped:
        done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
        seconds = time.perf_counter() - start
        while True:  # reap the JVM and anything else left behind, to count its CPU
            try:
                reaped.add(os.wait4(-1, 0)[0])
            except ChildProcessError:
                break
    # A worker whose daemon exited first was handed to this process and reaped here, so
    # getrusage has it already.
    cpu = _cpu() - cpu + sum(s for pid, s in unreaped.seen.items() if pid not in reaped)
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    match = _SUMMARY.search(done.stdout)
    if match is None:
        raise SystemExit(f"no summary from {' '.join(cmd)}:\n{done.stdout[-500:]}")
    return seconds, cpu, match.group(0)


def spark_env(cores: int) -> dict[str, str]:
    env = dict(os.environ)
    env["PYSPARK_SUBMIT_ARGS"] = f"--master local[{cores}] --driver-memory 6g pyspark-shell"
    return env


def commands(
    path: Path, cores: list[int], out: Path | None
) -> dict[str, tuple[list[str], dict[str, str]]]:
    def split(tag: str, suffix: str = "") -> list[str]:
        if out is None:
            return []
        return ["--split", str(out / f"{tag}-clean{suffix}"), str(out / f"{tag}-rejected{suffix}")]

    runs = {"presend data": ([*PRESEND, str(path), *split("local", ".csv")], dict(os.environ))}
    for n in cores:
        cmd = [*PRESEND, str(path), "--engine", "spark", *split(f"spark{n}")]
        runs[f"--engine spark, {n} core{'s' if n > 1 else ''}"] = (cmd, spark_env(n))
    return runs


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 10_000_000])
    ap.add_argument("--cores", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--split", action="store_true", help="also write the two outputs")
    ap.add_argument("--data", type=Path, help="keep generated lists here (default: a temp dir)")
    args = ap.parse_args()
    _subreaper()
    data = args.data or Path(tempfile.mkdtemp(prefix="presend-bench-spark-"))
    data.mkdir(parents=True, exist_ok=True)

    tiny = dataset(data, 100)
    for name, (cmd, env) in commands(tiny, [2], None).items():
        wall, cpu, _ = timed(cmd, env)
        print(f"100 rows, {name}: {wall:.1f} s wall, {cpu:.1f} CPU-s (start-up)", flush=True)

    print("\n| rows | run | wall s | CPU s | rows/s | wall x presend data | CPU x | 1 core / n |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|")
    for rows in args.sizes:
        path = dataset(data, rows)
        best: dict[str, float] = {}
        cpus: dict[str, float] = {}
        summaries = set()
        for _ in range(args.repeat):
            for name, (cmd, env) in commands(path, args.cores, None).items():
                out = Path(tempfile.mkdtemp(prefix="out-", dir=data)) if args.split else None
                cmd = commands(path, args.cores, out)[name][0]
                seconds, cpu, summary = timed(cmd, env)
                summaries.add(summary)
                if seconds < best.get(name, float("inf")):
                    best[name], cpus[name] = seconds, cpu
                if out is not None:
                    shutil.rmtree(out)
        if len(summaries) != 1:
            raise SystemExit(f"the runs disagree: {summaries}")
        base, base_cpu = best["presend data"], cpus["presend data"]
        one = next((s for n, s in best.items() if n.endswith(" 1 core")), None)
        for name, seconds in best.items():
            speedup = f"{one / seconds:.2f}" if one and "spark" in name else ""
            print(
                f"| {rows:,} | {name} | {seconds:.1f} | {cpus[name]:.1f} | {rows / seconds:,.0f}"
                f" | {seconds / base:.1f} | {cpus[name] / base_cpu:.1f} | {speedup} |",
                flush=True,
            )
        print(f"| | (every run: {summaries.pop()}) | | | | | | |", flush=True)


if __name__ == "__main__":
    main()
