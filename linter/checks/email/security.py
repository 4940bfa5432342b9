"""Security: active content mail clients strip or treat as an attack (scripts, handlers, embeds)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

from linter.checks import NoParams, check
from linter.checks.email import urls
from linter.checks.hits import at_node, clip
from linter.documents.email import EmailDocument
from linter.findings import Hit
from linter.policy import Policy

_CONTROLS = str.maketrans({"\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _visible(value: str) -> str:
    """Tabs and newlines spelled out, so an obfuscated URL reads as written."""
    return value.translate(_CONTROLS)


class ScriptParams(NamedTuple):
    # Gmail reads schema.org JSON-LD from <script type="application/ld+json"> for its
    # actions and annotations; it is data, not code, and other clients ignore it.
    # https://developers.google.com/workspace/gmail/markup/actions/declaring-actions
    allowed_types: tuple[str, ...] = ("application/ld+json",)


@check("forbids-script", ScriptParams)
def forbids_script(doc: EmailDocument, p: ScriptParams, policy: Policy) -> Iterator[Hit]:
    """No executable <script>; data blocks of the allowed types pass."""
    allowed = {t.lower() for t in p.allowed_types}
    for node in doc.find("script"):
        kind = (node.get("type") or "").strip().lower()
        if kind and kind.split(";")[0].strip() in allowed:
            continue
        what = f' src="{clip(node.get("src") or "")}"' if node.get("src") else ""
        yield at_node(doc, node, f"<script{what}> in the email")


class TagsParams(NamedTuple):
    tags: tuple[str, ...]


@check("forbids-any-element", TagsParams)
def forbids_any_element(doc: EmailDocument, p: TagsParams, policy: Policy) -> Iterator[Hit]:
    """None of the listed elements may appear; the message names the one found."""
    for node in doc.find(*p.tags):
        source = node.get("data") or node.get("src") or node.get("code") or ""
        where = f" ({clip(source)})" if source else ""
        yield at_node(doc, node, f"<{node.tag}>{where} in the email")


_HANDLER = re.compile(r"^on[a-z]{3,}$")


@check("forbids-event-handlers", NoParams)
def forbids_event_handlers(doc: EmailDocument, p: NoParams, policy: Policy) -> Iterator[Hit]:
    """No on* event-handler attributes (onclick, onload, onerror…)."""
    for node in doc.nodes:
        for name, value in node.attrs.items():
            if _HANDLER.match(name.lower()):
                yield at_node(doc, node, f'<{node.tag}> has {name}="{clip(value)}"', attr=name)


class ScriptUrlParams(NamedTuple):
    schemes: tuple[str, ...] = ("javascript", "vbscript")


@check("forbids-script-url", ScriptUrlParams)
def forbids_script_url(doc: EmailDocument, p: ScriptUrlParams, policy: Policy) -> Iterator[Hit]:
    """No URL attribute runs code (javascript:, however it is spelled or encoded)."""
    banned = {s.lower() for s in p.schemes}
    for ref in urls.url_refs(doc):
        # lxml has already decoded character references (&#106;, &colon;, &Tab;);
        # urls.scheme drops the tabs and newlines browsers ignore inside a scheme.
        found = urls.scheme(ref.value)
        if found in banned:
            yield at_node(
                doc,
                ref.node,
                f"<{ref.node.tag}> {ref.attr} runs a {found}: URL ({clip(_visible(ref.value))})",
                attr=ref.attr,
            )


class StylesheetParams(NamedTuple):
    # Web-font services whose CSS holds only @font-face rules: the documented way to use
    # web fonts in Apple Mail and iOS (clients that do not load it fall back to the stack).
    allowed_hosts: tuple[str, ...] = ()


@check("forbids-external-stylesheet", StylesheetParams)
def forbids_external_stylesheet(
    doc: EmailDocument, p: StylesheetParams, policy: Policy
) -> Iterator[Hit]:
    """No <link rel="stylesheet"> except from the allowed (web-font) hosts."""
    for node in doc.find("link"):
        rel = (node.get("rel") or "").lower().split()
        if "stylesheet" not in rel:
            continue
        href = node.get("href") or ""
        if urls.matches_host(urls.host(href), p.allowed_hosts):
            continue
        yield at_node(
            doc,
            node,
            f'External stylesheet <link href="{clip(href)}">',
            attr="href" if href else None,
        )
