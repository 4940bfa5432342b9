"""MJML compilers against the reference (npm `mjml`) on real MJML sources (docs/messages.md).

For each .mjml in FOLDER: compile with the reference CLI and with each Python candidate,
then compare what presend cares about. "same elements": the compiled HTML has the same
elements in the same order with the same attributes (order ignored) and the same inline
declarations; "similarity": difflib's ratio over those element signatures; "same
findings": presend reports the same (rule, message) pairs on both, leaving out the rules
it judges on the MJML source instead (JUDGED_AT_SOURCE). Candidates whose import
names clash (mjml-python and the pure-Python mjml are both `mjml`) run in their own venv.

Run: python benchmarks/bench_mjml.py FOLDER --reference node_modules/.bin/mjml
     [--candidate mrml=.venv/bin/python] [--candidate mjml-python=/tmp/v/bin/python] ...
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from lxml import etree

WORKER = r"""
import json, sys, time
name, out = sys.argv[1], sys.argv[2]
if name == "mrml":
    import mrml
    opts = mrml.ParserOptions(include_loader=mrml.noop_loader())
    compile_ = lambda s: mrml.to_html(s, parser_options=opts).content
elif name == "mjml-python":
    import mjml
    compile_ = mjml.mjml2html
else:
    import mjml
    compile_ = lambda s: mjml.mjml_to_html(s).html
seconds, failed = 0.0, {}
for path in sys.argv[3:]:
    source = open(path, encoding="utf-8").read()
    start = time.perf_counter()
    try:
        html = compile_(source)
    except Exception as exc:
        failed[path] = f"{type(exc).__name__}: {str(exc)[:80]}"
        continue
    seconds += time.perf_counter() - start
    open(f"{out}/{path.rsplit('/', 1)[-1]}.html", "w", encoding="utf-8").write(html)
print(json.dumps({"seconds": seconds, "failed": failed}))
"""
_DECLS = re.compile(r"\s*;\s*")


def signature(html: str) -> list[str]:
    root = etree.fromstring(html.encode(), etree.HTMLParser(no_network=True))
    out = []
    for el in root.iter() if root is not None else ():
        if not isinstance(el.tag, str):
            continue
        attrs = dict(el.attrib)
        style = attrs.pop("style", "")
        decls = sorted(d.replace(" ", "") for d in _DECLS.split(style) if d.strip())
        out.append(f"{el.tag}|{sorted(attrs.items())}|{decls}")
    return out


# What presend judges on the .mjml itself (linter/mjml.py), where compilers differ most:
# the reference writes alt="" on every image, mrml writes none.
JUDGED_AT_SOURCE = {"ACC001", "ACC002", "LNK003"}


def findings(html: str) -> Counter[tuple[str, str]]:
    from linter import catalogue
    from linter.config import Config
    from linter.lint import lint_text

    config = Config.defaults(catalogue.load())
    found = lint_text("x.html", html, config)
    return Counter((f.rule, f.message) for f in found if f.rule not in JUDGED_AT_SOURCE)


def reference(cli: str, sources: list[Path], out: Path) -> tuple[float, dict[str, str]]:
    seconds, failed = 0.0, {}
    for path in sources:
        start = time.perf_counter()
        done = subprocess.run(
            [cli, str(path), "-s", "--config.validationLevel=skip"],
            capture_output=True,
            text=True,
            check=False,
        )
        seconds += time.perf_counter() - start
        if done.returncode:
            failed[str(path)] = done.stderr[:80]
        else:
            (out / f"{path.name}.html").write_text(done.stdout, encoding="utf-8")
    return seconds, failed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", type=Path)
    parser.add_argument("--reference", required=True, help="the npm mjml CLI")
    parser.add_argument("--candidate", action="append", default=[], help="NAME=PYTHON")
    args = parser.parse_args()
    sources = sorted(args.folder.glob("*.mjml"))
    candidates = [c.split("=", 1) for c in args.candidate] or [["mrml", sys.executable]]
    with tempfile.TemporaryDirectory() as tmp:
        ref_dir = Path(tmp) / "reference"
        ref_dir.mkdir()
        ref_seconds, ref_failed = reference(args.reference, sources, ref_dir)
        print(f"{len(sources)} sources; reference: {len(sources) - len(ref_failed)} compiled,")
        print(f"  {ref_seconds / len(sources) * 1000:.0f} ms a file (a node process each)")
        print(
            "compiler       compiled  same elements  similarity  same findings"
            "  finding overlap  ms/file"
        )
        for name, python in candidates:
            out = Path(tmp) / name
            out.mkdir()
            done = subprocess.run(
                [python, "-c", WORKER, name, str(out), *map(str, sources)],
                capture_output=True,
                text=True,
                check=True,
            )
            result = json.loads(done.stdout.strip().splitlines()[-1])
            same = agree = common = union = 0
            ratios = []
            compiled = 0
            for path in sources:
                ref_file, cand_file = ref_dir / f"{path.name}.html", out / f"{path.name}.html"
                if not (ref_file.exists() and cand_file.exists()):
                    continue
                compiled += 1
                ref_html = ref_file.read_text(encoding="utf-8")
                cand_html = cand_file.read_text(encoding="utf-8")
                a, b = signature(ref_html), signature(cand_html)
                same += a == b
                ratios.append(difflib.SequenceMatcher(None, a, b, autojunk=False).ratio())
                fa, fb = findings(ref_html), findings(cand_html)
                agree += fa == fb
                common += sum((fa & fb).values())
                union += sum((fa | fb).values())
            ms = result["seconds"] / max(compiled, 1) * 1000
            similarity = sum(ratios) / max(len(ratios), 1)
            print(
                f"{name:<14} {compiled:>4}/{len(sources):<4} {same:>8} {similarity:>15.3f}"
                f" {agree:>10} {common:>10}/{union:<6} {ms:>8.1f}"
            )
            for path, why in sorted(result["failed"].items()):
                print(f"  {name} failed on {Path(path).name}: {why}")


if __name__ == "__main__":
    main()
