"""presend: lint email HTML and contact data against agreed marketing standards."""

from __future__ import annotations

from functools import cache


@cache
def _version() -> str:
    # importlib.metadata costs ~20 ms of start-up: read only when the version is wanted.
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("presend")
    except PackageNotFoundError:  # running from a source tree without an install
        return "0.0.0+source"


def __getattr__(name: str) -> str:
    if name == "__version__":
        return _version()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
