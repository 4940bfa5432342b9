"""The fix loop: lint, collect edits, apply, re-lint, until nothing more is fixable.

Passes first run only the rules that have a fixer (cheap), then the full rule set, whose
last run is also the report of what remains, so a fixed file costs one full lint plus a
quick one. Bounded: at most MAX_PASSES edited passes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from linter.catalogue import Rule
from linter.config import RunSettings
from linter.documents.email import EmailDocument
from linter.engine import lint_email
from linter.findings import Finding
from linter.fixes.edits import Edit, apply, resolve
from linter.fixes.encoded import EncodedText
from linter.fixes.fixers import FixContext, fixers

MAX_PASSES = 5
# A filter on findings before fixing: waived findings are accepted as they are.
Accept = Callable[[list[Finding]], list[Finding]]


def _all(findings: list[Finding]) -> list[Finding]:
    return findings


@dataclass(frozen=True)
class FixMode:
    unsafe: bool = False  # also apply fixes that change what a recipient may see

    def allows(self, rule: Rule) -> bool:
        return rule.fix == "safe" or (self.unsafe and rule.fix == "unsafe")


@dataclass(frozen=True)
class FixOutcome:
    text: str  # the fixed text, with the file's own line breaks
    findings: list[Finding]  # what remains: a full lint of `text`
    fixed: Counter[str]  # findings repaired, by rule id
    unsafe_available: int  # remaining findings an --unsafe-fixes run would repair
    passes: int  # passes that edited the text (0: nothing to fix)

    def changed(self, original: str) -> bool:
        return self.text != original


def fix_text(
    path: str,
    encoded: EncodedText,
    settings: RunSettings,
    mode: FixMode,
    accept: Accept = _all,
) -> FixOutcome:
    """Fix what `mode` allows in the file's text; the outcome holds the final report."""
    fixable = {r.id for r in settings.rules if mode.allows(r) and r.id in fixers()}
    text, applied = _quick_pass(path, encoded, settings, fixable, accept)
    fixed, passes = Counter(f.rule for f in applied), int(bool(applied))
    parsed = (encoded.text, Counter[str](), 0)  # the last text that parsed, and its counts
    stop = False
    while True:
        try:
            doc = EmailDocument(path, text)
        except ValueError:
            # lxml rejects what an edit made of a broken tag (it raises on attribute names
            # it cannot hold): undo that pass and stop, rather than write such a file.
            if text == parsed[0]:
                raise
            (text, fixed, passes), stop = parsed, True
            continue
        parsed = (text, Counter(fixed), passes)
        findings = lint_email(doc, settings)
        done = stop or passes >= MAX_PASSES
        edits = [] if done else _edits(doc, accept(findings), settings, fixable)
        if not edits:
            unsafe = _unsafe_available(doc, accept(findings), settings, mode)
            return FixOutcome(text, findings, fixed, unsafe, passes)
        text, applied = _applied(encoded, text, edits)
        fixed.update(f.rule for f in applied)
        passes += 1


def _quick_pass(
    path: str, encoded: EncodedText, settings: RunSettings, fixable: set[str], accept: Accept
) -> tuple[str, list[Finding]]:
    """A first pass with only the rules that have a fix: most files need no other."""
    # PRS001 is judged against every rule's findings: only the full passes can fix it.
    rules = tuple(
        r for r in settings.rules if r.id in fixable and r is not settings.unused_suppression
    )
    if not rules:
        return encoded.text, []
    doc = EmailDocument(path, encoded.text)
    quick = settings._replace(rules=rules, unused_suppression=None)
    return _applied(
        encoded, encoded.text, _edits(doc, accept(lint_email(doc, quick)), settings, fixable)
    )


Planned = list[tuple[Finding, list[Edit]]]


def _edits(
    doc: EmailDocument, findings: Sequence[Finding], settings: RunSettings, fixable: set[str]
) -> Planned:
    """Each fixable finding with the edits that repair it (findings without any left out)."""
    ctx = FixContext(doc, settings.policy, findings, settings.rules)
    table = fixers()
    planned = [(f, _changing(doc, table[f.rule](ctx, f))) for f in findings if f.rule in fixable]
    return [(f, edits) for f, edits in planned if edits]


def _changing(doc: EmailDocument, edits: list[Edit]) -> list[Edit]:
    """The edits that change the text: writing what is already there would loop forever."""
    return [e for e in edits if doc.source[e.start : e.end] != e.text]


def _applied(encoded: EncodedText, text: str, planned: Planned) -> tuple[str, list[Finding]]:
    """The text with the edits that do not conflict applied, and the findings whose edits
    were all applied (the others are retried on the next pass)."""
    kept, _ = resolve(e for _, edits in planned for e in edits)
    if not kept:
        return text, []
    done = {e.span for e in kept}
    current = replace(encoded, text=text) if text is not encoded.text else encoded
    applied = [f for f, edits in planned if done.issuperset(e.span for e in edits)]
    return apply(text, current.edited(kept)), applied


def _unsafe_available(
    doc: EmailDocument, findings: Sequence[Finding], settings: RunSettings, mode: FixMode
) -> int:
    if mode.unsafe:
        return 0
    unsafe = {r.id for r in settings.rules if r.fix == "unsafe" and r.id in fixers()}
    if not any(f.rule in unsafe for f in findings):
        return 0
    ctx = FixContext(doc, settings.policy, findings, settings.rules)
    table = fixers()
    return sum(1 for f in findings if f.rule in unsafe and table[f.rule](ctx, f))
