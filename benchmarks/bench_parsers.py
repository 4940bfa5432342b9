"""The measurements behind the parser choices recorded in docs/decisions.md.

HTML: lxml vs BeautifulSoup (lxml and html.parser builders): time per file, whether
source positions are available, and failures. CSS: cssutils vs tinycss2 on the same
<style> blocks and inline styles. Run: python benchmarks/bench_parsers.py
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path

import lxml.html
import tinycss2
from bs4 import BeautifulSoup

CORPUS = Path(__file__).resolve().parent.parent / "fixtures" / "email" / "corpus"


def _best(fn: Callable[[], object], repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    texts = [f.read_text(encoding="utf-8") for f in sorted(CORPUS.glob("*/*.html"))]
    n = len(texts)
    print(f"{n} templates")
    print(f"{'HTML parser':<34}{'ms/file':>9}  positions")
    rows = [
        ("lxml.html.fromstring", lambda: [lxml.html.fromstring(t) for t in texts], "line only"),
        ("BeautifulSoup(lxml)", lambda: [BeautifulSoup(t, "lxml") for t in texts], "none"),
        (
            "BeautifulSoup(html.parser)",
            lambda: [BeautifulSoup(t, "html.parser") for t in texts],
            "line + column",
        ),
    ]
    for label, fn, positions in rows:
        print(f"{label:<34}{_best(fn) / n * 1000:>9.2f}  {positions}")

    blocks = [s.get_text() for t in texts for s in BeautifulSoup(t, "lxml").find_all("style")]
    inline = [
        el.get("style")
        for t in texts
        for el in lxml.html.fromstring(t).iter()
        if isinstance(el.tag, str) and el.get("style")
    ]
    print(
        f"\nCSS: {len(blocks)} <style> blocks ({len(set(blocks))} distinct), "
        f"{len(inline)} inline styles ({len(set(inline))} distinct)"
    )
    try:
        import cssutils
    except ImportError:
        print("cssutils not installed (pip install -e '.[dev]'): skipped")
        return
    cssutils.log.setLevel(logging.CRITICAL)
    parser = cssutils.CSSParser(validate=False)
    print(f"{'CSS parser':<34}{'ms/file':>9}  {'x tinycss2':>10}")
    t_tiny = _best(lambda: [tinycss2.parse_stylesheet(b) for b in blocks])
    t_cssu = _best(lambda: [parser.parseString(b) for b in blocks], repeat=1)
    print(f"{'tinycss2, style blocks':<34}{t_tiny / n * 1000:>9.2f}  {1.0:>10.1f}")
    print(f"{'cssutils, style blocks':<34}{t_cssu / n * 1000:>9.2f}  {t_cssu / t_tiny:>10.1f}")
    t_tiny_i = _best(lambda: [tinycss2.parse_declaration_list(s) for s in inline])
    t_cssu_i = _best(lambda: [parser.parseStyle(s) for s in inline], repeat=1)
    print(f"{'tinycss2, inline':<34}{t_tiny_i / n * 1000:>9.2f}  {1.0:>10.1f}")
    print(f"{'cssutils, inline':<34}{t_cssu_i / n * 1000:>9.2f}  {t_cssu_i / t_tiny_i:>10.1f}")


if __name__ == "__main__":
    main()
