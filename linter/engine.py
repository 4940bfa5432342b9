"""Runs rules over a document and turns their hits into findings.

The engine owns identity (rule id, severity, fingerprint) and inline suppressions;
checks only say where and what.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING

from linter import suppressions
from linter.catalogue import Rule
from linter.config import RunSettings
from linter.documents.email import EmailDocument
from linter.findings import Finding, Hit, fingerprint_of, normalise_context
from linter.limits import FINDINGS_PER_RULE

if TYPE_CHECKING:  # the stdlib email package costs ~15 ms of start-up: .eml runs only
    from linter.documents.message import MessageDocument


def lint_email(doc: EmailDocument, settings: RunSettings) -> list[Finding]:
    found = to_findings(doc.path, _hits("email", doc, settings), settings.identity)
    return _apply_suppressions(doc, found, settings)


def lint_message(doc: MessageDocument, settings: RunSettings) -> list[Finding]:
    """The message rules (headers, MIME parts) on a whole .eml; its HTML is lint_email's."""
    return to_findings(doc.path, _hits("message", doc, settings), settings.identity)


def _hits(kind: str, doc: object, settings: RunSettings) -> list[tuple[Rule, Hit]]:
    raw: list[tuple[Rule, Hit]] = []
    for rule in settings.rules:
        if rule.kind != kind or rule is settings.unused_suppression:
            continue
        hits = iter(rule.check.fn(doc, rule.params, settings.policy))
        for hit in itertools.islice(hits, FINDINGS_PER_RULE):
            # Generic checks leave the message empty: the rule's summary says it.
            raw.append((rule, hit if hit.message else hit._replace(message=rule.summary)))
        more = next(hits, None)
        if more is not None:  # the cap: one finding says the list is cut, and where
            raw.append((rule, _cut_notice(rule, more)))
    return raw


def _cut_notice(rule: Rule, first_unlisted: Hit) -> Hit:
    message = (
        f"{rule.id} found more than {FINDINGS_PER_RULE} problems in this file; only the first"
        f" {FINDINGS_PER_RULE} are listed (the limit per rule per file): fix those and run again"
    )
    return Hit(first_unlisted.line, first_unlisted.column, message, "findings-cut")


def to_findings(path: str, raw: Iterable[tuple[Rule, Hit]], identity: str = "") -> list[Finding]:
    """Findings with fingerprints; identical contexts are numbered in document order."""
    ordered = sorted(raw, key=lambda rh: (rh[1].line, rh[1].column, rh[0].id, rh[1].message))
    seen: Counter[tuple[str, str]] = Counter()
    # Each distinct context normalised once: many findings on one huge start tag (a crafted
    # srcset) would otherwise collapse the whole tag again for each.
    normalised: dict[str, str] = {}
    findings = []
    for rule, hit in ordered:
        key = (rule.id, hit.context)
        occurrence = seen[key]
        seen[key] += 1
        context = normalised.get(hit.context)
        if context is None:
            context = normalised[hit.context] = normalise_context(hit.context)
        findings.append(
            Finding(
                rule=rule.id,
                name=rule.name,
                standard=rule.standard,
                severity=rule.severity,
                path=path,
                line=hit.line,
                column=hit.column,
                message=hit.message,
                fingerprint=fingerprint_of(rule.id, identity or path, context, occurrence),
                end_line=hit.end_line,
                end_column=hit.end_column,
                audience=hit.audience,
                clients=hit.clients,
            )
        )
    return findings


def _apply_suppressions(
    doc: EmailDocument, findings: list[Finding], settings: RunSettings
) -> list[Finding]:
    directives = suppressions.find(doc)
    if not directives:
        return findings
    kept = []
    for finding in findings:
        silenced = False
        for directive in directives:
            ref = directive.matches(finding.rule, finding.name, finding.line)
            if ref is not None:
                directive.used.add(ref)
                silenced = True
        if not silenced:
            kept.append(finding)
    rule = settings.unused_suppression
    if rule is None:
        return kept
    unused: list[tuple[Rule, Hit]] = []
    enabled = {"*"} | {r.id.lower() for r in settings.rules} | {r.name for r in settings.rules}
    for d in directives:
        refs = d.rules or ("*",)
        for ref in refs:
            # A rule switched off by config cannot fire, so its suppression is not stale.
            if ref not in d.used and ref in enabled:
                what = "any rule" if ref == "*" else ref
                unused.append(
                    (
                        rule,
                        Hit(
                            d.line,
                            d.column,
                            f"Suppression of {what} silences no finding",
                            f"presend-disable {ref}",
                        ),
                    )
                )
    unused_findings = to_findings(doc.path, unused, settings.identity)
    return sorted(kept + unused_findings, key=lambda f: f.sort_key)
