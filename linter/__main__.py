"""The `presend` executable (pyproject's entry point) and `python -m linter`: the
collector's thresholds are raised before the imports, which are most of start-up."""

import gc

from linter import GC_THRESHOLDS

gc.set_threshold(*GC_THRESHOLDS)

from linter.cli import run  # noqa: E402

if __name__ == "__main__":
    run()
