"""A large repository: 1,000 templates linted by `presend check`, whole process, as one
job, as two (--jobs 2) and with the content-hash cache cold and warm, measured in turn in
the same run. Targets (issue 12): --jobs 2 >= 1.7x one job; a warm cache >= 10x cold.

The templates are variants of the 290 bundled corpus files with their content changed
(text, colours, widths, links, titles, added blocks, dropped images), so no two are the
same bytes and they do not share our fixtures' quirks one for one. Seeded: the same
1,000 files every run. The figures are medians of --repeat rounds; a round runs each
mode once, so a slow spell on a shared machine hits all of them. Each round also times a
control, a pure-Python loop in one process and then split over two: its ratio is the most
any second process could gain on this machine at that moment (1.9-2x on two idle cores).

Run: python benchmarks/bench_scale.py [--files 1000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "fixtures" / "email" / "corpus"
WORDS = [
    *("order", "shipped", "welcome", "spring", "sale", "invoice", "reset", "password"),
    *("team", "update", "offer", "friends", "summer", "webinar", "event", "ticket"),
    *("receipt", "renewal", "thanks", "new", "arrivals", "your", "account"),
]


def variant(text: str, rng: random.Random) -> str:
    """One plausible edit of a template: new copy, colours, sizes, links, blocks."""

    def words(n: int) -> str:
        return " ".join(rng.choice(WORDS) for _ in range(n))

    text = re.sub(r"#[0-9a-fA-F]{6}\b", lambda _: f"#{rng.randrange(16**6):06x}", text)
    text = re.sub(r'width="(\d+)"', lambda m: f'width="{int(m[1]) + rng.randrange(-20, 21)}"', text)
    text = re.sub(r"<title>[^<]*</title>", lambda _: f"<title>{words(4)}</title>", text, count=1)
    text = re.sub(
        r'href="https?://[^"]*"',
        lambda _: f'href="https://{rng.choice(WORDS)}.example.com/{words(2).replace(" ", "/")}"',
        text,
    )
    if rng.random() < 0.3:
        text = re.sub(r"<img[^>]*>", "", text, count=rng.randrange(1, 4))
    blocks = [
        f'<p style="font-size:{rng.randrange(12, 20)}px">{words(rng.randrange(5, 40))}</p>',
        f'<table role="presentation" width="100%"><tr><td>{words(12)}</td></tr></table>',
        f'<a href="https://shop.example.com/{rng.randrange(10**6)}">{words(3)}</a>',
        f'<div style="display:flex;border-radius:{rng.randrange(9)}px">{words(8)}</div>',
    ]
    extra = "".join(rng.choice(blocks) for _ in range(rng.randrange(1, 6)))
    return re.sub(r"(?i)</body>", lambda _: extra + "</body>", text, count=1) + (
        "" if "</body>" in text.lower() else extra
    )


def generate(folder: Path, count: int) -> None:
    rng = random.Random(12)
    sources = sorted(CORPUS.rglob("*.html"))
    for i in range(count):
        source = sources[i % len(sources)]
        text = source.read_text(encoding="utf-8", errors="replace")
        (folder / f"t{i:04d}-{source.stem[:40]}.html").write_text(
            variant(text, rng), encoding="utf-8"
        )


def _spin(n: int) -> int:
    total = 0
    for i in range(n):
        total += i
    return total


def control(processes: int, work: int = 8_000_000) -> float:
    """Wall seconds for a fixed pure-Python loop split over ``processes`` processes."""
    from concurrent.futures import ProcessPoolExecutor

    start = time.perf_counter()
    with ProcessPoolExecutor(processes) as pool:
        list(pool.map(_spin, [work // processes] * processes))
    return time.perf_counter() - start


def run(argv: list[str], cwd: Path) -> tuple[float, float]:
    """Wall and CPU seconds (user + system, the process and its workers)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(argv, cwd=cwd, capture_output=True, check=False)
    took = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode > 1:
        sys.exit(f"{' '.join(argv)} failed ({done.returncode}): {done.stderr.decode()[-500:]}")
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return took, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    os.environ.pop("PRESEND_CACHE_DIR", None)
    base = [sys.executable, "-m", "linter", "check", "--quiet", "--exit-zero", "templates"]
    with tempfile.TemporaryDirectory(prefix="presend-scale-") as tmp:
        work = Path(tmp)
        (work / "templates").mkdir()
        generate(work / "templates", args.files)
        cache = work / "cache"
        modes = {
            "one job": [*base, "--no-cache"],
            "--jobs 2": [*base, "--no-cache", "--jobs", "2"],
            "cache cold": [*base, "--cache-dir", str(cache)],
            "cache warm": [*base, "--cache-dir", str(cache)],
        }
        run(modes["one job"], work)  # warm-up: page cache, bytecode
        times: dict[str, list[float]] = {name: [] for name in modes}
        cpus: dict[str, list[float]] = {name: [] for name in modes}
        controls: list[float] = []
        for _ in range(args.repeat):
            shutil.rmtree(cache, ignore_errors=True)
            for name, argv in modes.items():
                wall, cpu = run(argv, work)
                times[name].append(wall)
                cpus[name].append(cpu)
            controls.append(control(1) / control(2))
    print(f"{args.files} templates, {os.cpu_count()} CPUs, median of {args.repeat} rounds")
    print(f"  {'mode':<12} {'wall s':>7} {'files/s':>8} {'cpu s':>7}")
    for name in modes:
        wall = statistics.median(times[name])
        cpu = statistics.median(cpus[name])
        print(f"  {name:<12} {wall:7.2f} {args.files / wall:8.0f} {cpu:7.2f}")
    jobs = statistics.median(
        a / b for a, b in zip(times["one job"], times["--jobs 2"], strict=True)
    )
    warm = statistics.median(
        a / b for a, b in zip(times["cache cold"], times["cache warm"], strict=True)
    )
    print(f"--jobs 2 vs one job: {jobs:.2f}x (target >= 1.7x)")
    print(
        f"  control, 2 processes vs 1: {statistics.median(controls):.2f}x (the machine's ceiling)"
    )
    print(f"warm cache vs cold:  {warm:.1f}x (target >= 10x)")


if __name__ == "__main__":
    main()
