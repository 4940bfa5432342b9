"""Peak memory of `presend check` on large email HTML, past the 1 MiB limit too
(docs/limits.md, "Measured: memory").

presend refuses HTML over 1 MiB (MAX_HTML_BYTES), so 10 MB and 50 MB only say how memory
scales: each run here is a fresh process that lifts the limit before running the usual
`check`. Inputs repeat the body of a bundled real template (Cerberus hybrid, whose one
curly quote makes Python keep the text at 2 bytes a character, as in most real
templates). The ratio is peak RSS minus an empty template's (interpreter, imports,
catalogue) over the input size.

Run: python benchmarks/bench_memory.py [--sizes-mb 1 10 50]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_large_html import make

LIFTED = """
import sys
import linter.commands.check, linter.documents.email, linter.sources
for module in (linter.commands.check, linter.documents.email, linter.sources):
    module.MAX_HTML_BYTES = 64 << 20  # measuring only: presend refuses HTML over 1 MiB
from linter.cli import main
main(["check", "--exit-zero", sys.argv[1]])
"""
MB = 1024 * 1024


def measure(path: Path) -> tuple[float, int]:
    """(seconds, peak RSS in bytes) of one fresh `presend check` process."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", LIFTED, str(path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"presend check failed on {path}")
    return time.perf_counter() - start, usage.ru_maxrss * 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes-mb", type=float, nargs="+", default=[1, 10, 50])
    sizes = parser.parse_args().sizes_mb
    with tempfile.TemporaryDirectory() as tmp:
        _, baseline = measure(make(0, Path(tmp)))
        print(f"empty template: {baseline / MB:.0f} MB peak RSS (the baseline)")
        print(f"{'input':>8} {'seconds':>8} {'peak MB':>8} {'growth MB':>10} {'x input':>8}")
        for size in sizes:
            path = make(int(size * 1024), Path(tmp))
            seconds, peak = measure(path)
            growth = peak - baseline
            ratio = growth / path.stat().st_size
            print(
                f"{size:>5g} MB {seconds:>8.1f} {peak / MB:>8.0f} {growth / MB:>10.1f}"
                f" {ratio:>7.1f}x"
            )
            path.unlink()


if __name__ == "__main__":
    main()
