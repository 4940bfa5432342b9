"""Gmail: message clipping, <style> size and the CSS that makes Gmail drop a whole block.

Sources: Gmail clips HTML over 102 KB behind "[Message clipped] View entire message"
(Email on Acid, "Developing HTML Emails for Gmail: 12 things you must know", #3); Gmail
removes the <style> tags that take the total over 16 KB (hteumeuleu/email-bugs#90,
caniemail html-style note 6); it removes a <style> that holds an @-rule inside an
@-rule (hteumeuleu/email-bugs#21, hteumeuleu/caniemail#144) and one with a CSS error
(Email on Acid #5); it turns a data: image src into `nosrc` (caniemail image-base64
note 2). @import and attribute selectors are only unsupported, not block-killers:
Postmark and Cerberus ship them and keep their styles in Gmail, so they are not flagged.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Literal, NamedTuple

from linter.checks import NoParams, check
from linter.checks.hits import at_document, at_node
from linter.documents import mergetags
from linter.documents.conditionals import Audience
from linter.documents.css import Declaration, is_width_query
from linter.documents.cssvalues import changes_nothing
from linter.documents.email import EmailDocument, StyleBlock
from linter.documents.selectors import hook_client, selects_anything, subjects
from linter.findings import Hit
from linter.policy import Policy

_KB = 1024
# Comments and strings hold braces that are not CSS structure.
_NOT_STRUCTURE = re.compile(
    r"/\*.*?(?:\*/|$)|\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*'", re.DOTALL
)


def _gmail_blocks(doc: EmailDocument) -> Iterator[StyleBlock]:
    """<style> blocks Gmail receives as CSS: not inside an Outlook-only comment."""
    for block in doc.style_blocks:
        if block.node.audience is not Audience.MSO:
            yield block


class SizeParams(NamedTuple):
    over_kb: float = 102
    up_to_kb: float = 0  # 0: no upper bound (a warning band stops where the error starts)


@check("limits-html-size", SizeParams)
def limits_html_size(doc: EmailDocument, p: SizeParams, policy: Policy) -> Iterator[Hit]:
    """The HTML stays under a size in KB (1 KB = 1,024 bytes, UTF-8)."""
    size = doc.size_bytes / _KB
    if size <= p.over_kb or (p.up_to_kb and size > p.up_to_kb):
        return
    note = " before merge tags are filled in" if doc.merge_tags else ""
    yield at_document(
        doc,
        f"The HTML is {size:.1f} KB ({doc.size_bytes:,} bytes){note}, over {p.over_kb:g} KB",
        f"html size over {p.over_kb:g} KB",
    )


_COMMENT_OR_SPACE = re.compile(r"/\*.*?\*/|\s+", re.DOTALL)


class StyleSizeParams(NamedTuple):
    max_kb: float = 16


@check("limits-style-size", StyleSizeParams)
def limits_style_size(doc: EmailDocument, p: StyleSizeParams, policy: Policy) -> Iterator[Hit]:
    """The <style> blocks together stay under the size Gmail keeps."""
    total = minified = 0
    limit = p.max_kb * _KB
    for block in _gmail_blocks(doc):
        text = block.node.el.text or ""
        size = len(text.encode("utf-8"))
        total += size
        # Gmail measures the text it receives, comments and white space included (see
        # docs/decisions.md); say when stripping them alone would get under the limit.
        minified += len(_COMMENT_OR_SPACE.sub(" ", text).encode("utf-8"))
        if total > limit:
            hint = (
                f" (without comments and extra white space: {minified / _KB:.1f} KB, under it)"
                if minified <= limit
                else ""
            )
            yield at_node(
                doc,
                block.node,
                f"<style> blocks reach {total / _KB:.1f} KB with this one ({size / _KB:.1f} KB),"
                f" over {p.max_kb:g} KB{hint}: Gmail removes it",
            )


# MJML ends its accordion and carousel CSS with `@goodbye { @gmail }`: an unknown @-rule
# nested on purpose, so Gmail drops a block it could not run. Only nesting inside the
# @-rules CSS defines is taken as a mistake.
_KNOWN_GROUPS = ("@media", "@supports", "@document", "@-moz-document", "@container", "@layer")


def _unintended(outer: str) -> bool:
    return outer.lower().startswith(_KNOWN_GROUPS)


# What a reader never sees lost: web fonts (Gmail loads none), @viewport rules (no mail
# client applies them) and font-family stacks naming those web fonts.
_INERT_AT_RULES = ("@font-face", "@viewport", "@-ms-viewport")
# Properties only Outlook (mso-) or Internet Explorer (-ms-) reads, and iOS's text
# enlargement switch, which keeps a size rather than setting one.
_OTHER_ENGINES = ("mso-", "-ms-", "-webkit-text-size-adjust")


# Gmail replaces <html> and <body> with its own <div>s: a rule whose subject is one of
# them styles nothing there (which is why the Gmail hook is `u + .body`, the body's class).
_REPLACED = frozenset({"html", "body"})


def _seen_in_gmail(doc: EmailDocument, decl: Declaration) -> bool:
    """Whether a Gmail reader would see this declaration's effect go with the block: not
    a web font, not for another engine or client, a selector that selects an element of
    this file as Gmail shows it, and a value that is not the property's default."""
    if decl.name == "font-family" or decl.name.startswith(_OTHER_ENGINES):
        return False
    if any(a.startswith(_INERT_AT_RULES) for a in decl.at_rules):
        return False
    selector = decl.selector or ""
    if hook_client(selector) not in (None, "gmail") or not selects_anything(doc, selector):
        return False
    if all(c.tag in _REPLACED for c in subjects(selector)):
        return False
    return not changes_nothing(decl.name, decl.value)


def _is_mobile_layout(decl: Declaration) -> bool:
    """A rule of the phone layout: inside a media query on the viewport's width."""
    return any(is_width_query(a) for a in decl.at_rules)


class DroppedBlockParams(NamedTuple):
    # "mobile-layout": the block holds width media queries, so phones get the desktop
    # layout; "styles": only other rules, which fall back to the inline styles and
    # Gmail's defaults.
    loses: Literal["mobile-layout", "styles"] = "mobile-layout"


def _by_selector(decls: list[Declaration]) -> dict[str, list[str]]:
    """The properties of each selector, in the order written."""
    lost: dict[str, list[str]] = {}
    for d in decls:
        names = lost.setdefault(d.selector or "", [])
        if d.name not in names:
            names.append(d.name)
    return lost


def _describe(lost: dict[str, list[str]]) -> str:
    """`a { color }, body { margin, padding } and 4 more rules`."""
    shown = [f"{selector} {{ {', '.join(names)} }}" for selector, names in list(lost.items())[:3]]
    rest = len(lost) - 3
    more = f" and {rest} more rule{'s' if rest > 1 else ''}" if rest > 0 else ""
    return ", ".join(shown) + more


@check("forbids-nested-at-rules", DroppedBlockParams)
def forbids_nested_at_rules(
    doc: EmailDocument, p: DroppedBlockParams, policy: Policy
) -> Iterator[Hit]:
    """No @-rule inside another @-rule in a <style> Gmail reads, when the block styles
    something a Gmail reader would see (the phone layout, or only other styles, per
    `loses`)."""
    for block in _gmail_blocks(doc):
        nested = [a for a in block.sheet.at_rules if a.at_rules and _unintended(a.at_rules[0])]
        if not nested:
            continue
        seen = [d for d in block.sheet.declarations if _seen_in_gmail(doc, d)]
        mobile = [d for d in seen if _is_mobile_layout(d)]
        lost = mobile if p.loses == "mobile-layout" else ([] if mobile else seen)
        if lost:
            first = nested[0]
            yield Hit(
                first.line,
                first.column,
                f"@{first.keyword} is nested in {first.at_rules[-1]}"
                f" ({len(nested)} nested @-rule(s) in this <style>): Gmail removes the whole"
                f" block, and its readers lose {_describe(_by_selector(lost))}",
                f"@{first.keyword} in {first.at_rules[-1]}",
                audience=block.node.audience.value,
            )


_BRACE = re.compile(r"[{}]")


@lru_cache(maxsize=1024)
def _unbalanced_brace(css: str) -> tuple[int, str] | None:
    """Offset and kind of the first brace without a partner, or None (cached: templates
    repeat the same style blocks)."""
    text = _NOT_STRUCTURE.sub(lambda m: " " * len(m.group(0)), css)
    opened: list[int] = []
    for brace in _BRACE.finditer(text):
        i = brace.start()
        if brace.group(0) == "{":
            opened.append(i)
        else:
            if not opened:
                return i, "a '}' that closes nothing"
            opened.pop()
    if opened:
        return opened[-1], "a '{' that is never closed"
    return None


@check("balanced-style-braces", NoParams)
def balanced_style_braces(doc: EmailDocument, p: NoParams, policy: Policy) -> Iterator[Hit]:
    """Every '{' in a <style> Gmail reads has its '}'."""
    for block in _gmail_blocks(doc):
        node = block.node
        css = node.el.text or ""
        if node.offset < 0 or ("{" not in css and "}" not in css):
            continue
        start = doc.source.find(css, node.offset) if css else -1
        if start < 0:
            continue
        # Merge tags ({{ brand_colour }}) are filled in before Gmail sees the CSS.
        masked = list(css)
        for tag in mergetags.find_tags(css):
            masked[tag.start : tag.end] = " " * (tag.end - tag.start)
        found = _unbalanced_brace("".join(masked))
        if found is not None:
            offset, what = found
            line, column = doc.position(start + offset)
            yield Hit(
                line,
                column,
                f"<style> has {what}: Gmail removes the whole block",
                f"unbalanced brace {css[offset : offset + 40].strip()}",
                audience=node.audience.value,
            )


@check("forbids-data-uri-images", NoParams)
def forbids_data_uri_images(doc: EmailDocument, p: NoParams, policy: Policy) -> Iterator[Hit]:
    """Images load from URLs, not data: URIs."""
    for node in doc.find("img"):
        if node.audience is Audience.MSO:
            continue
        src = (node.get("src") or "").strip()
        if src[:5].lower() == "data:":
            kind = src[5:].split(";", 1)[0].split(",", 1)[0] or "data"
            yield at_node(
                doc,
                node,
                f"Image src is an inline data: URI ({kind},"
                f" {len(src):,} characters): Gmail does not show it",
                attr="src",
                context=f"<img src=data:{kind}>",
            )
