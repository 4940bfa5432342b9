"""presend: lint email HTML and contact data against agreed marketing standards."""

# The one place the version is written: pyproject.toml reads it (dynamic version), so
# start-up need not import importlib.metadata (~30 ms) to learn it.
__version__ = "0.1.0"

# Start-up builds ~10^5 long-lived objects (modules, rules, caniemail's tables); with the
# default thresholds the collector rescans them again and again. Raised as mypy does, by
# the executable before its first import (linter.__main__) and by the CLI's group.
GC_THRESHOLDS = (100_000, 50, 100)
