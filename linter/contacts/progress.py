"""A tiny progress bar on stderr, shown only on a terminal and never in CI."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from typing import TextIO


def wanted(requested: bool, stream: TextIO | None = None) -> bool:
    out = stream or sys.stderr
    ci = os.environ.get("CI", "").lower() in ("1", "true", "yes")
    return requested and not ci and out.isatty()


class Bar:
    """Redraws at most ten times a second: `update(done_bytes)`, then `close()`."""

    def __init__(self, total: int, label: str, enabled: bool, stream: TextIO | None = None) -> None:
        self.total, self.label, self.enabled = max(total, 1), label, enabled
        self.out = stream or sys.stderr
        self._last = 0.0
        self._start = time.monotonic()
        self.rows: Callable[[], int] = lambda: 0

    def update(self, done: int, rows: int = -1) -> None:
        """Redraw with `done` bytes read; `rows` < 0 asks the `rows` callback."""
        now = time.monotonic()
        if not self.enabled or now - self._last < 0.1:
            return
        self._last = now
        rows = self.rows() if rows < 0 else rows
        frac = min(done / self.total, 1.0)
        filled = int(frac * 30)
        rate = rows / max(now - self._start, 1e-9)
        self.out.write(
            f"\r{self.label} [{'#' * filled}{'.' * (30 - filled)}] "
            f"{frac:6.1%} {rows:,} rows {rate:,.0f}/s"
        )
        self.out.flush()

    def close(self) -> None:
        if self.enabled:
            self.out.write("\r" + " " * 100 + "\r")
            self.out.flush()
