"""Fixers by rule id: each turns one finding into the edits that repair it.

A fixer returns no edit when the repair is not unambiguous for that finding (a content
image needs words, not alt=""; no lang is configured): the finding then stays reported.
Fixer modules register themselves with @fixer; `FIXERS` imports them all.
"""

from __future__ import annotations

import bisect
import importlib
import pkgutil
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache

from linter.catalogue import Rule
from linter.documents.email import EmailDocument, Node
from linter.findings import Finding
from linter.fixes.edits import Edit
from linter.policy import Policy


@dataclass
class FixContext:
    """What a fixer reads: the document, the team's policy and the pass's findings."""

    doc: EmailDocument
    policy: Policy
    findings: Sequence[Finding] = ()
    rules: Sequence[Rule] = ()  # the rules of the run, for what their findings say
    _starts: list[int] = field(default_factory=list, repr=False)
    _nodes: list[Node] = field(default_factory=list, repr=False)

    def generic(self, finding: Finding) -> bool:
        """Whether the finding says only its rule's summary: checks yield a message of
        their own for the cases a rule's usual remedy does not fit."""
        rule = next((r for r in self.rules if r.id == finding.rule), None)
        return rule is not None and finding.message == rule.summary

    def offset(self, finding: Finding) -> int:
        return self.doc.offset_of(finding.line, finding.column)

    def node(self, finding: Finding) -> Node | None:
        """The element whose start tag holds the finding's position."""
        if not self._nodes:
            self._nodes = sorted((n for n in self.doc.nodes if n.offset >= 0), key=_start)
            self._starts = [n.offset for n in self._nodes]
        at = self.offset(finding)
        i = bisect.bisect_right(self._starts, at) - 1
        if i < 0:
            return None
        node = self._nodes[i]
        return node if at < self.doc.start_tag_end(node) else None


def _start(node: Node) -> int:
    return node.offset


# A fixer may yield None for an edit a helper found no place for (no tag in the source).
FixFn = Callable[[FixContext, Finding], Iterable[Edit | None]]


@dataclass(frozen=True)
class Fixer:
    rule: str  # the rule id whose findings it repairs
    fn: FixFn

    def __call__(self, ctx: FixContext, finding: Finding) -> list[Edit]:
        return [e for e in self.fn(ctx, finding) if e is not None]


def fixer(rule_id: str) -> Callable[[FixFn], Fixer]:
    """Declare the fixer of one rule."""

    def wrap(fn: FixFn) -> Fixer:
        return Fixer(rule_id, fn)

    return wrap


@cache
def fixers() -> dict[str, Fixer]:
    """Rule id -> fixer, found in this package's modules."""
    found: dict[str, Fixer] = {}
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        for value in vars(module).values():
            if isinstance(value, Fixer):
                found[value.rule] = value
    return found
