"""Time and peak memory of `presend check` on large email HTML (docs/limits.md).

Each input repeats the body of a bundled real template up to the size; every run is a fresh
process, so peak RSS is that run's alone. Run: python benchmarks/bench_large_html.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "fixtures/email/corpus/Cerberus/cerberus-hybrid.html"
SIZES_KIB = (0, 256, 512, 1024, 2048, 51200)  # the limit is 1 MiB
KIB = 1024


def make(size_kib: int, folder: Path) -> Path:
    """At most `size_kib` KiB, written copy by copy: the parent stays small, since a forked
    child's peak RSS starts from its parent's."""
    source = TEMPLATE.read_text(encoding="utf-8")
    head, rest = source.split("<body", 1)
    body = rest.split(">", 1)[1].rsplit("</body>", 1)[0].encode()
    opening, closing = f"{head}<body>".encode(), b"</body></html>"
    room = size_kib * KIB - len(opening) - len(closing)
    path = folder / f"{size_kib}kib.html"
    with path.open("wb") as out:
        out.write(opening)
        for _ in range(max(room, 0) // len(body)):
            out.write(body)
        out.write(closing)
    return path


def measure(path: Path) -> tuple[float, int, int]:
    """(seconds, peak RSS in KB, exit code) of one `presend check` run."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "linter", "check", str(path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _, status, usage = os.wait4(proc.pid, 0)
    return time.perf_counter() - start, usage.ru_maxrss, os.waitstatus_to_exitcode(status)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        baseline = None
        print(f"{'input':>8} {'seconds':>8} {'peak MB':>8} {'growth':>8} {'x input':>8} exit")
        for size in SIZES_KIB:
            path = make(size, Path(tmp))
            seconds, peak_kb, code = measure(path)
            baseline = baseline if baseline is not None else peak_kb
            growth = (peak_kb - baseline) / 1024
            ratio = f"{growth * 1024 * KIB / max(path.stat().st_size, 1):.0f}x"
            shown = "refused" if code == 2 else ratio if size else "-"
            print(
                f"{size:>5} KiB {seconds:>8.1f} {peak_kb / 1024:>8.0f} "
                f"{growth:>7.0f}M {shown:>8} {code}"
            )


if __name__ == "__main__":
    main()
