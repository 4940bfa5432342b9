"""`check --jobs N`: lint files in N worker processes, with output identical to one job.

Workers are forked after the config, the rule modules and caniemail's tables are loaded
and a tiny email has been linted (so each worker starts with every lazy table built):
only the sources go to a worker, and only outcomes come back, in input order
(``Executor.map`` keeps it). Where ``fork`` is unavailable (Windows; macOS, where it is
unsafe), the files are linted in this process instead: slower, never different.
"""

from __future__ import annotations

import multiprocessing
import sys
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor

from linter.findings import Finding
from linter.lint import Outcome, Run, lint_source, lint_text
from linter.sources import InputError, Source

_RUN: Run | None = None  # set in the parent before forking; workers inherit it

_WARM_UP = "<!doctype html><html><head><style>p{color:red}</style></head><body><p>x</p></html>"


def lint_in_parallel(run: Run, sources: Sequence[Source], jobs: int) -> Iterable[Outcome]:
    if not _can_fork():
        return [lint_source(run, s) for s in sources]
    global _RUN
    _RUN = run
    lint_text("warm-up.html", _WARM_UP, run.config)  # build lazy tables once, before fork
    context = multiprocessing.get_context("fork")
    chunk = max(1, len(sources) // (jobs * 8))
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        packed = list(pool.map(_lint_packed, sources, chunksize=chunk))
    _RUN = None
    return [_unpack(p) for p in packed]


def _can_fork() -> bool:
    return sys.platform.startswith("linux") or sys.platform.startswith("freebsd")


# An InputError's args are its whole message, which its constructor cannot take back:
# errors cross the process boundary as (path, message) and are rebuilt here.
Packed = tuple[list[Finding], list[str], tuple[str, str] | None]


def _lint_packed(source: Source) -> Packed:
    assert _RUN is not None, "workers are forked after _RUN is set"
    findings, notes, error = lint_source(_RUN, source)
    return findings, notes, None if error is None else (error.path, str(error))


def _unpack(packed: Packed) -> Outcome:
    findings, notes, error = packed
    if error is None:
        return findings, notes, None
    rebuilt = InputError(error[0], "")
    rebuilt.args = (error[1],)  # str(rebuilt) is the worker's message, unchanged
    return findings, notes, rebuilt
