"""Output formats: one module each, holding a pure `render(findings, ctx) -> str`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import NamedTuple

from linter.findings import Finding


class WaiverStatus(NamedTuple):
    """A `[[waivers]]` entry as reports show it (built by linter/baseline.py).

    Live waivers carry how many findings they accepted in this run; expired ones carry
    the warning to show, since their findings count again.
    """

    rule: str
    files: tuple[str, ...]
    approved_by: str
    reason: str
    expires: date
    expired: bool = False
    accepted: int = 0  # findings accepted in this run; 0 once expired
    message: str = ""  # expired only: what the team has to do about it


class ReportContext(NamedTuple):
    """What a report needs besides the findings.

    Findings arrive in (path, line, column, rule) order; accepted ones have `waived_by`
    set and are not counted as findings.
    """

    version: str
    files: int  # how many files were linted
    color: bool = False
    errors: tuple[str, ...] = ()  # inputs that could not be read
    waivers: tuple[WaiverStatus, ...] = ()  # every waiver in the config
    targets: tuple[str, ...] = ()  # client-support targets (html's matrix)

    @property
    def active_waivers(self) -> tuple[WaiverStatus, ...]:
        return tuple(w for w in self.waivers if not w.expired)

    @property
    def expired_waivers(self) -> tuple[WaiverStatus, ...]:
        return tuple(w for w in self.waivers if w.expired)


Renderer = Callable[[Sequence[Finding], ReportContext], str]

# Each name is the module holding its render(); a run imports only the formats it writes.
FORMATS = ("text", "json", "github", "markdown", "sarif", "junit", "gitlab", "html")


def renderer(fmt: str) -> Renderer:
    """The render function of one format (KeyError for an unknown one)."""
    if fmt not in FORMATS:
        raise KeyError(fmt)
    from importlib import import_module

    render: Renderer = import_module(f"linter.reporters.{fmt}").render
    return render
