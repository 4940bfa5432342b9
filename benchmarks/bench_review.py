"""Cost of `presend review` on a one-file change in a repo of 200 templates.

Builds a temporary git repo from corpus templates (copied round-robin up to 200), edits
one template (drops its viewport meta) and times, as a user would run them:

  check-1    presend check <that one file>
  review     presend review --base main          (working tree against main)
  check-all  presend check templates/            (for scale: what review avoids)

Each is a fresh process, best of N wall time. Target: review <= 2x check-1, since only
the changed file is linted (twice: before and after) and git plumbing is cheap.
Run: python benchmarks/bench_review.py [--repeat N] [--files 200]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPORA = (
    ROOT.parent / "shared" / "corpus" / "email",
    Path("/work/shared/corpus/email"),
    ROOT / "fixtures" / "email" / "corpus",
)


def _corpus() -> list[Path]:
    for folder in CORPORA:
        files = sorted(folder.rglob("*.html"))
        if files:
            return files
    sys.exit("no corpus templates found")


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


def _build(repo: Path, count: int) -> Path:
    sources = _corpus()
    (repo / "templates").mkdir()
    for i in range(count):
        src = sources[i % len(sources)]
        shutil.copyfile(src, repo / "templates" / f"t{i:03d}-{src.name}")
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "config", "user.email", "bench@example.com")
    _git(repo, "config", "user.name", "Bench")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "templates")
    # The change under review: one template loses its viewport meta (or gains a line).
    target = sorted((repo / "templates").iterdir())[7]
    text = target.read_text(encoding="utf-8", errors="surrogateescape")
    lines = [ln for ln in text.splitlines(keepends=True) if 'name="viewport"' not in ln]
    if len(lines) == len(text.splitlines(keepends=True)):
        lines.insert(1, "<!-- change request -->\n")
    target.write_text("".join(lines), encoding="utf-8", errors="surrogateescape")
    return target


def _time(repo: Path, args: list[str], repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, "-m", "linter", *args], cwd=repo, capture_output=True, check=False
        )
        runs.append(time.perf_counter() - start)
        if proc.returncode == 2:
            sys.exit(f"presend {' '.join(args)} failed: {proc.stderr.decode()[-500:]}")
    return min(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--files", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="presend-bench-review-") as tmp:
        repo = Path(tmp)
        target = _build(repo, args.files)
        rel = target.relative_to(repo).as_posix()
        check_one = _time(repo, ["check", rel], args.repeat)
        review = _time(repo, ["review", "--base", "main"], args.repeat)
        check_all = _time(repo, ["check", "templates"], max(1, args.repeat // 2))
    ratio = review / check_one
    print(f"repo: {args.files} templates; change: {rel}")
    print(f"check one file      {check_one * 1000:8.0f} ms")
    print(f"review --base main  {review * 1000:8.0f} ms")
    print(f"check all files     {check_all * 1000:8.0f} ms")
    print(
        f"review / check-one  {ratio:8.2f}x  (target <= 2.00x: {'met' if ratio <= 2 else 'MISSED'})"
    )


if __name__ == "__main__":
    main()
