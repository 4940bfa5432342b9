"""Output formats: one module each, holding a pure `render(findings, ctx) -> str`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from linter.findings import Finding


@dataclass(frozen=True)
class ReportContext:
    version: str
    files: int  # how many files were linted
    color: bool = False
    errors: tuple[str, ...] = field(default=())  # inputs that could not be read


Renderer = Callable[[Sequence[Finding], ReportContext], str]


def renderers() -> dict[str, Renderer]:
    from linter.reporters import github, json, markdown, text

    return {"text": text.render, "json": json.render, "github": github.render,
            "markdown": markdown.render}
