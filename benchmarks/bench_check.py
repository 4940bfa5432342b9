"""Speed of `presend check` on the bundled corpus, against the bare lxml parse floor.

Prints files/s and the ratio of total lint time (load + parse + every email rule) to
lxml.html.fromstring on the same texts, measured in the same run. Target: <= 3x.
Run: python benchmarks/bench_check.py [--repeat N]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import lxml.html

from linter import catalogue
from linter.config import Config
from linter.documents import css
from linter.documents.email import EmailDocument
from linter.lint import lint_text

CORPUS = Path(__file__).resolve().parent.parent / "fixtures" / "email" / "corpus"


def _time(fn: Callable[[], object], repeat: int) -> float:
    """Best-of-N wall time: the least disturbed run, as timeit recommends."""
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return min(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    files = sorted(CORPUS.glob("*/*.html"))
    texts = [(str(f), f.read_text(encoding="utf-8")) for f in files]
    config = Config.defaults(catalogue.load())
    n = len(texts)

    def clear_css_cache() -> None:
        css.parse_inline.cache_clear()
        css.parse_stylesheet.cache_clear()

    lxml_s = _time(lambda: [lxml.html.fromstring(t) for _, t in texts], args.repeat)
    parse_s = _time(lambda: [EmailDocument(p, t) for p, t in texts], args.repeat)

    def lint_cold() -> None:
        clear_css_cache()
        for p, t in texts:
            lint_text(p, t, config)

    cold_s = _time(lint_cold, args.repeat)
    warm_s = _time(lambda: [lint_text(p, t, config) for p, t in texts], args.repeat)
    per_rule = _per_rule(texts, config)

    print(f"corpus: {n} templates, {sum(len(t) for _, t in texts) / 1024:.0f} KiB")
    print(f"{'stage':<34}{'ms/file':>9}{'files/s':>10}{'x lxml':>9}")
    for label, secs in [
        ("lxml.html.fromstring (floor)", lxml_s),
        ("presend parse + indexes", parse_s),
        ("presend check, cold CSS cache", cold_s),
        ("presend check, warm CSS cache", warm_s),
    ]:
        print(f"{label:<34}{secs / n * 1000:>9.2f}{n / secs:>10.0f}{secs / lxml_s:>9.1f}")
    # Per file with nothing cached: what a file that shares no stylesheet with the others
    # costs (the held-out families share little; Postmark's 66 variants share a lot).
    first = ("Cerberus", "postmark-templates", "transactional-email-templates")
    first += ("responsive-html-email-template",)
    per_file = _per_file(texts, config, args.repeat)
    held_out = [
        ms for (p, _), ms in zip(texts, per_file, strict=True) if Path(p).parent.name not in first
    ]
    print("\nper file, cold CSS cache (best of --repeat):")
    for label, values in (("all files", per_file), ("held-out families", held_out)):
        q = statistics.quantiles(values, n=10)
        print(
            f"  {label:<20} n={len(values):<4} median {statistics.median(values):6.2f} ms"
            f"   p90 {q[-1]:6.2f} ms"
        )
    print("\nslowest rules (ms per file, warm):")
    for rule_id, secs in per_rule[:8]:
        print(f"  {rule_id:<8}{secs / n * 1000:>8.3f}")


def _per_file(texts: list[tuple[str, str]], config: Config, repeat: int) -> list[float]:
    """Milliseconds to lint each file alone, CSS caches cleared first."""
    out = []
    for p, t in texts:
        runs = []
        for _ in range(repeat):
            css.parse_inline.cache_clear()
            css.parse_stylesheet.cache_clear()
            start = time.perf_counter()
            lint_text(p, t, config)
            runs.append((time.perf_counter() - start) * 1000)
        out.append(min(runs))
    return out


def _per_rule(texts: list[tuple[str, str]], config: Config) -> list[tuple[str, float]]:
    docs = [EmailDocument(p, t) for p, t in texts]
    settings = config.settings_for("x.html")
    out = []
    for rule in settings.rules:
        if rule.kind != "email":
            continue
        samples = []
        for _ in range(3):
            start = time.perf_counter()
            for doc in docs:
                list(rule.check.fn(doc, rule.params, settings.policy))
            samples.append(time.perf_counter() - start)
        out.append((rule.id, statistics.median(samples)))
    return sorted(out, key=lambda x: -x[1])


if __name__ == "__main__":
    main()
