"""Client support: features of the email that target clients drop or only partly support."""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from typing import Literal, NamedTuple

from linter.checks import check
from linter.clients.assess import Assessment, Level, judge_for
from linter.clients.detect import JudgedUses, Use
from linter.clients.support import format_gaps
from linter.documents.email import EmailDocument
from linter.documents.selectors import (
    hook_client,
    is_empty,
    selects_anything,
    selects_only_empty,
)
from linter.findings import Hit
from linter.policy import Policy

_LEVELS = {level.value: level for level in Level}


class ClientSupportParams(NamedTuple):
    # Which judgement this rule reports: one of Level's values (a test keeps them equal).
    level: Literal["unsupported", "partial", "enhancement"] = "unsupported"
    # caniemail slugs this rule leaves out (e.g. a feature the team has accepted).
    exclude: tuple[str, ...] = ()
    # Which features: "html" and "image" (content a client can lose), "css" (how it looks).
    kinds: tuple[str, ...] = ("html", "image", "css")


@check("client-support", ClientSupportParams)
def client_support(doc: EmailDocument, p: ClientSupportParams, policy: Policy) -> Iterator[Hit]:
    """Features that a target client drops or only partly supports, per place used."""
    level = _LEVELS[p.level]
    for use, found in _judged(doc, policy.clients.targets):
        if found.level is not level or use.slug in p.exclude:
            continue
        if use.slug.split("-", 1)[0] not in p.kinds:
            continue
        if use.selector and not _applies(doc, use, found):
            continue
        if (use.line, use.column) in _on_empty_elements(doc):
            continue  # content styling on an element with no content
        yield Hit(
            use.line,
            use.column,
            _message(use, found),
            f"{use.slug} {use.context}",
            audience=use.audience.value,
            clients=tuple(dict.fromkeys(g.client for g in found.gaps)),
        )


# Properties that only change how content is drawn: on an element with no content at all
# (Foundation's <th class="expander"></th>), a client that drops them shows the same.
_CONTENT_ONLY = frozenset(
    {
        "color",
        "font-family",
        "font-style",
        "font-variant",
        "font-weight",
        "letter-spacing",
        "word-spacing",
        "text-decoration",
        "text-transform",
        "text-shadow",
        "white-space",
        "word-break",
        "overflow-wrap",
        "word-wrap",
    }
)


def _applies(doc: EmailDocument, use: Use, found: Assessment) -> bool:
    """Whether a <style> rule's use can cost the clients that lose it anything."""
    if not selects_anything(doc, use.selector):
        return False  # the rule selects no element of this email
    client = hook_client(use.selector)
    if client and not any(g.client.startswith(client) for g in found.gaps):
        return False  # written for another client's wrapper (.moz-text-html, u + .body)
    drawn_by_content = use.construct in _CONTENT_ONLY or use.construct == "visibility"
    return not (drawn_by_content and selects_only_empty(doc, use.selector))


def _on_empty_elements(doc: EmailDocument) -> frozenset[tuple[int, int]]:
    """Positions of content-only declarations on elements with no content (and of
    visibility on those without a background either)."""

    def build() -> frozenset[tuple[int, int]]:
        found: set[tuple[int, int]] = set()
        for node in doc.nodes:
            if "style" not in node.attrs or not is_empty(node):
                continue
            style = doc.style_map(node)
            painted = "bgcolor" in node.attrs or any(k.startswith("background") for k in style)
            for decl in doc.inline_style(node):
                if decl.name in _CONTENT_ONLY or (decl.name == "visibility" and not painted):
                    found.add((decl.line, decl.column))
        return frozenset(found)

    return doc.memo("client-support:empty-elements", build)


def _judged(doc: EmailDocument, specs: tuple[str, ...]) -> tuple[tuple[Use, Assessment], ...]:
    """Every use with a gap, judged once per document for the three rules (kept with the
    document: a cache keyed by it kept the last four documents alive after their lint)."""
    return doc.memo(f"client-support:judged:{specs}", lambda: _judged_uses(specs)(doc))


@lru_cache(maxsize=32)
def _judged_uses(specs: tuple[str, ...]) -> JudgedUses[Assessment]:
    """detect() + judge for the run's targets, remembering judged CSS texts across files."""
    return JudgedUses(judge_for(specs))


def _message(use: Use, found: Assessment) -> str:
    text = f"{use.slug} `{use.construct}`: {format_gaps(found.gaps)}"
    if found.level is Level.ENHANCEMENT:
        text += f"; degrades gracefully: {found.reason}"
    return text  # who sees the code travels as Hit.audience; reporters say it once
