"""`import polars` without the standard library's importlib.metadata, which polars 2.1 imports
at import time but only uses when asked for an Iceberg scan.

`polars.io.iceberg._plugin` starts with `import importlib.metadata` (it looks a plugin's version
up inside a function). That module and what it pulls in (email.*, zipfile, importlib's
resources: 22 modules) cost ~10-12 ms of CPU in a `presend data` process, ~3 % of a run on
100,000 rows, for a lookup presend never makes. polars has no setting that skips it (its
maintainers treat such an import as a regression: pola-rs/polars#8151 moved the same import
into a function in 2023).

While polars imports, a stand-in takes importlib.metadata's place in `sys.modules`: polars'
`import importlib.metadata` finds it and binds it, and nothing reads it until an Iceberg scan
calls a function through it, when the stand-in imports the real module and answers from it.
Once polars is loaded the stand-in leaves `sys.modules`, so any later import gets the real
module. When importlib.metadata or polars is already loaded, this is a plain import.
"""

from __future__ import annotations

import importlib
import sys
import threading
from types import ModuleType

_METADATA = "importlib.metadata"
_lock = threading.Lock()


class _Deferred(ModuleType):
    """Stands in for importlib.metadata: the first attribute read imports the real module."""

    def __getattr__(self, name: str) -> object:
        with _lock:
            if sys.modules.get(_METADATA) is self:
                del sys.modules[_METADATA]
            real = importlib.import_module(_METADATA)
        return getattr(real, name)


def import_polars() -> ModuleType:
    """polars, imported (once) without importing importlib.metadata."""
    if "polars" in sys.modules or _METADATA in sys.modules:
        return importlib.import_module("polars")
    stand_in = _Deferred(_METADATA)
    with _lock:
        sys.modules[_METADATA] = stand_in
    try:
        return importlib.import_module("polars")
    finally:
        with _lock:
            if sys.modules.get(_METADATA) is stand_in:
                del sys.modules[_METADATA]
        # `importlib.metadata`, as polars' module reads it at call time, is an attribute of
        # the importlib package; importing the real module later sets it to that module.
        if not hasattr(importlib, "metadata"):
            importlib.metadata = stand_in
