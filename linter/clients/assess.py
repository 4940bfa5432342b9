"""Judge one feature use against the targets: who loses it, and how much that matters.

Three outcomes, one per client-support rule (see docs/client-support.md):

* ``UNSUPPORTED``: a target that sees the code drops the feature (error);
* ``PARTIAL``: targets support it only partly, none drops it (warning);
* ``ENHANCEMENT``: the code degrades gracefully where it is lost, because it is an
  enhancement by nature (media queries, :hover, web fonts, ARIA) or has a fallback
  next to it (info).

Who sees the code: Outlook-only code (``[if mso]``) is judged against the Word-engine
clients only; code in ``[if !mso]`` never against them. Containers drop a gap when
the client never applies the container (``@media`` in Outlook for Windows) or loses
the container for the same noted reason (Gmail's "not supported with non Google
accounts" for a ``<style>`` block and each selector in it).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from enum import Enum
from functools import lru_cache
from types import MappingProxyType
from typing import NamedTuple

from linter.clients.data import Support, load_data
from linter.clients.detect import Use
from linter.clients.support import ClientGap, support_for
from linter.clients.targets import Target, resolve_targets
from linter.documents.conditionals import Audience
from linter.lazyre import on_first_use

__all__ = [
    "ENHANCEMENTS",
    "QUIET_PARTIAL",
    "WORD_ENGINE",
    "Assessment",
    "Judge",
    "Level",
    "enhancement",
    "judge_for",
    "targets_for",
]

# Clients that render with Microsoft Word and obey <!--[if mso]>: Outlook for Windows
# 2007-2024 ("classic" Outlook; caniemail's outlook.windows) and the Windows 10/11
# Mail app (outlook.windows-mail), which has used the Word engine for every account
# type since 2016 (Email on Acid, "Coding for Windows 10 Mail App"). The new Outlook
# for Windows renders like Outlook.com (outlook.outlook-com) and ignores [if mso].
WORD_ENGINE = frozenset({"outlook.windows", "outlook.windows-mail"})


class Level(Enum):
    UNSUPPORTED = "unsupported"
    PARTIAL = "partial"
    ENHANCEMENT = "enhancement"


class Assessment(NamedTuple):
    level: Level
    gaps: tuple[ClientGap, ...]
    reason: str = ""  # why it degrades gracefully, for ENHANCEMENT


_MEDIA = "a media query: clients that ignore it show the default layout"
_INTERACTION = "an interaction state: without it the element keeps its normal style"
_A11Y = "assistive-technology markup: layout is unchanged where it is stripped"
_LOOK = "decoration: the element renders without it (square corners, no shadow)"
_WRAP = "a wrapping aid: long words wrap only at spaces where it is lost"
_SELECTOR = (
    "a <style> selector: clients that cannot match it skip the rule, and in email"
    " such rules are client-specific fixes on top of inline styles"
)

# Features whose loss leaves a working email: reported as info (CLS003).
_ENHANCEMENTS: dict[str, str] = {
    "css-at-media": _MEDIA,
    "css-at-media-prefers-color-scheme": "dark-mode styles: others show the light design",
    "css-at-media-prefers-reduced-motion": _MEDIA,
    "css-at-media-orientation": _MEDIA,
    "css-at-media-hover": _MEDIA,
    "css-at-media-device-pixel-ratio": _MEDIA,
    "css-at-supports": "a feature query: clients that ignore it skip the block",
    "css-at-font-face": "web fonts fall back to the font-family stack",
    "css-at-import": "typically web fonts, which fall back to the font-family stack",
    "css-at-keyframes": "animation: others show the static state",
    "css-animation": "animation: others show the static state",
    "css-transition": "a transition: others change state without it",
    "css-color-scheme": "dark-mode hint: others show the light design",
    "html-meta-color-scheme": "dark-mode hint: others show the light design",
    "css-function-light-dark": "dark-mode colours: set a plain colour before it",
    "html-style": (
        "the <style> block: inline styles carry the design where it is dropped;"
        " what is inside is judged only for clients that keep it"
    ),
    "html-role": _A11Y,
    "html-aria-describedby": _A11Y,
    "html-aria-hidden": _A11Y,
    "html-aria-label": _A11Y,
    "html-aria-labelledby": _A11Y,
    "html-aria-live": _A11Y,
    "html-lang": "language hint for screen readers and hyphenation",
    "html-dir": "text-direction hint; the text itself is unchanged",
    "html-loading-attribute": "a loading hint: images load anyway",
    "html-srcset": "responsive images: the src= image shows instead",
    "html-target": "links open in a new window or the browser anyway",
    "image-gif": "animated GIFs show their first frame: design that frame to stand alone",
    "css-pseudo-class-hover": _INTERACTION,
    "css-pseudo-class-focus": _INTERACTION,
    "css-pseudo-class-focus-visible": _INTERACTION,
    "css-pseudo-class-focus-within": _INTERACTION,
    "css-pseudo-class-active": _INTERACTION,
    "css-pseudo-class-visited": _INTERACTION,
    "css-pseudo-class-link": _INTERACTION,
    "css-border-radius": _LOOK,
    "css-box-shadow": _LOOK,
    "css-text-shadow": _LOOK,
    "css-opacity": _LOOK,
    "css-cursor": _LOOK,
    "css-outline": _LOOK,
    "css-outline-offset": _LOOK,
    "css-filter": _LOOK,
    "css-backdrop-filter": _LOOK,
    "css-mix-blend-mode": _LOOK,
    "css-background-blend-mode": _LOOK,
    "css-transform": _LOOK,
    "css-text-decoration-color": _LOOK,
    "css-text-decoration-style": _LOOK,
    "css-text-decoration-thickness": _LOOK,
    "css-text-decoration-skip-ink": _LOOK,
    "css-text-underline-offset": _LOOK,
    "css-text-underline-position": _LOOK,
    "css-font-kerning": _LOOK,
    "css-accent-color": _LOOK,
    "css-user-select": _LOOK,
    "css-word-break": _WRAP,
    "css-overflow-wrap": _WRAP,
    "css-word-wrap": _WRAP,
    "css-hyphens": _WRAP,
    "css-text-overflow": _WRAP,
    "css-white-space": "text kept on one line (nowrap) may wrap where it is lost",
    "css-box-sizing": (
        "the sizing model: only an element that sets a width together with"
        " padding or a border comes out wider"
    ),
    "css-border-spacing": "table cell spacing: the cellspacing attribute sets it everywhere",
    "css-table-layout": "a table layout hint: widths still come from the width attributes",
    "css-selector-attribute": _SELECTOR,
    "css-selector-universal": _SELECTOR,
    "css-selector-adjacent-sibling": _SELECTOR,
    "css-selector-general-sibling": _SELECTOR,
    "css-selector-child": _SELECTOR,
    "css-selector-descendant": _SELECTOR,
    "css-selector-grouping": _SELECTOR,
    "html-anchor-links": "an in-page jump link: readers scroll to the section instead",
}
ENHANCEMENTS: Mapping[str, str] = MappingProxyType(_ENHANCEMENTS)
_SELECTOR_SLUGS = ("css-pseudo-class-", "css-pseudo-element-", "css-selector-")


def enhancement(slug: str) -> str | None:
    """Why losing this feature degrades gracefully, or None when it breaks something.

    Every selector feature lives in <style> too (:first-child, ::before, :not()), so
    it is an enhancement whether or not it is listed.
    """
    if slug in ENHANCEMENTS:
        return ENHANCEMENTS[slug]
    return _SELECTOR if slug.startswith(_SELECTOR_SLUGS) else None


# Building blocks of every email whose caniemail "partial" notes describe edge cases
# (negative margins, padding on a <div> in Word, rem font sizes): only "unsupported"
# is reported for them. The Outlook standard checks the Word box model with element
# knowledge; a warning on every padding would bury the findings that matter.
QUIET_PARTIAL = frozenset(
    {
        "html-table",
        "html-img",
        "html-div",
        "html-p",
        "html-span",
        "html-h1-h6",
        "html-lists",
        "html-width",
        "html-height",
        "html-align",
        "html-valign",
        "html-cellpadding",
        "html-cellspacing",
        "html-strong",
        "html-small",
        "html-hr",
        "html-blockquote",
        "html-code",
        "html-pre",
        "html-mailto-links",
        "html-body",
        "html-background",
        "html-strike",
        "css-padding",
        "css-margin",
        "css-width",
        "css-height",
        "css-max-width",
        "css-min-width",
        "css-border",
        "css-font-size",
        "css-font-weight",
        "css-font",
        "css-line-height",
        "css-text-align",
        "css-display",
        "css-background-color",
        "css-background",
        "css-text-decoration",
        "css-vertical-align",
        "css-unit-px",
        "css-unit-percent",
        "css-unit-em",
        "css-unit-pt",
        "css-rgb",
        "css-letter-spacing",
        "css-text-transform",
        "css-border-collapse",
        "css-important",
        "css-display-none",
        "css-font-family",
        "css-color",
        "css-white-space",
        "css-word-break",
        "css-list-style-type",
        "css-text-indent",
        "image-png",
        "image-jpg",
    }
)

# Never reported: the element is in every email and nothing the reader sees depends on
# the client keeping it (clients replace <body> with a <div> carrying its styles).
_IGNORED = frozenset({"html-body"})


def targets_for(specs: Sequence[str]) -> tuple[Target, ...]:
    """The resolved targets for the config's specs (cached per run)."""
    return _resolve(tuple(specs))


@lru_cache(maxsize=32)
def _resolve(specs: tuple[str, ...]) -> tuple[Target, ...]:
    return resolve_targets(specs)


@lru_cache(maxsize=64)
def _audience_targets(targets: tuple[Target, ...], audience: Audience) -> tuple[Target, ...]:
    if audience is Audience.MSO:
        return tuple(t for t in targets if t.client in WORD_ENGINE)
    if audience is Audience.NON_MSO:
        return tuple(t for t in targets if t.client not in WORD_ENGINE)
    return targets


class Judge:
    """Judges uses for one set of targets; remembers every answer for the run.

    Keys are tuples of strings, so a lookup never re-hashes the targets.
    """

    def __init__(self, targets: tuple[Target, ...]) -> None:
        self._targets = {a: _audience_targets(targets, a) for a in Audience}
        self._memo: dict[tuple[object, ...], Assessment | None] = {}
        self._gap_memo: dict[tuple[str, Audience], tuple[ClientGap, ...]] = {}

    def __call__(self, use: Use) -> Assessment | None:
        return self.assess(
            use.slug, use.audience, use.containers, use.fallback, use.word_fallback, use.value
        )

    def assess(
        self,
        slug: str,
        audience: Audience,
        containers: tuple[str, ...],
        fallback: str,
        word_fallback: str,
        value: str,
    ) -> Assessment | None:
        """Judge a use given by its fields (no Use needs building for an unjudged one)."""
        key = (
            slug,
            audience,
            containers,
            "" if fallback == "value" else fallback,
            word_fallback,
            _inapplicable(slug, value),
        )
        try:
            return self._memo[key]
        except KeyError:
            found = self._memo[key] = self._judge(*key)
            return found

    def gaps(self, slug: str, audience: Audience) -> tuple[ClientGap, ...]:
        key = (slug, audience)
        if key not in self._gap_memo:
            self._gap_memo[key] = tuple(support_for(slug, self._targets[audience]))
        return self._gap_memo[key]

    def _judge(
        self,
        slug: str,
        audience: Audience,
        containers: tuple[str, ...],
        fallback: str,
        word_fallback: str,
        inapplicable: tuple[str, ...],
    ) -> Assessment | None:
        if slug in _IGNORED or not self._targets[audience]:
            return None
        if audience is Audience.MSO and slug in _MSO_INTENT:
            word_fallback = word_fallback or _MSO_INTENT[slug]
        elif slug in _WORD_LAYOUT:
            word_fallback = word_fallback or _WORD_LAYOUT[slug]
        gaps = self.gaps(slug, audience)
        for container in containers:
            if container != slug:
                outer = self.gaps(container, audience)
                gaps = tuple(g for g in gaps if not any(_covers(o, g) for o in outer))
        return _grade(slug, gaps, fallback, word_fallback, inapplicable)


# Features Outlook for Windows ignores on purpose inside <!--[if mso]>: the author wrote
# them for other user agents. Mark Robbins' button hack (goodemailcode.com) puts `hidden`
# on Outlook-only spacer <i> elements so screen readers skip them while Outlook renders them.
_MSO_INTENT: Mapping[str, str] = MappingProxyType(
    {
        "html-hidden": (
            "showing the element, as Outlook-only code intends (hidden= is for screen readers)"
        )
    }
)


# Width limits the Word engine drops matter only where nothing else sizes the element
# (a width attribute, a fixed cell, a ghost table). Whether the layout depends on them is
# judged by the outlook standard (OUT004, OUT005) with that context, so here they are
# enhancements for Outlook for Windows: a `.content { max-width: 600px }` inside a
# 600px cell, or `img { max-width: 100% }` in a file without images, breaks nothing.
_WORD_LAYOUT: Mapping[str, str] = MappingProxyType(
    {
        "css-max-width": "the width its table cell or width attribute gives it (see OUT004)",
        "css-min-width": "the width its table cell or width attribute gives it",
    }
)


@lru_cache(maxsize=32)
def judge_for(specs: tuple[str, ...]) -> Judge:
    """The judge for the config's target specs (one per run and spec list)."""
    return Judge(targets_for(specs))


# Partial-support notes that apply only to some values: (slug, note start, applies-if,
# compiled when a gap in that feature is first judged).
_VALUE_NOTES: tuple[tuple[str, str, Callable[[], re.Pattern[str]]], ...] = (
    ("css-float", "Partial. Logical property values", on_first_use(r"inline-(?:start|end)")),
    ("css-clear", "Partial. Logical property values", on_first_use(r"inline-(?:start|end)")),
    ("css-rgb", "Whitespace syntax", on_first_use(r"rgba?\(\s*[\d.]+%?\s+[\d.]")),
    ("css-rgba", "Whitespace syntax", on_first_use(r"rgba?\(\s*[\d.]+%?\s+[\d.]")),
    ("css-white-space", "Partial. `pre` value", on_first_use(r"^pre\b")),
    ("css-display", "Partial. `flex`, `grid`", on_first_use(r"flex|grid|flow-root|contents")),
    # The type (disc, square, none) is what it keeps; an image or a position is what it loses.
    ("css-list-style", "Only `list-style-type` values", on_first_use(r"url\(|inside|outside")),
    # For attributes the value is the element's tag.
    ("html-lang", "Not supported on `<td>`", on_first_use(r"^t[dh]$")),
    ("html-role", "Partial. Only works on the `<table>` tag", on_first_use(r"^(?!table$)")),
)
# Gaps whose only notes describe a behaviour that does not change a table layout.
_HARMLESS_NOTES: Mapping[str, str] = MappingProxyType(
    {
        # Yahoo rewrites height to min-height: table cells grow to their content anyway.
        "Buggy. Replaces `height` by `min-height`.": "Yahoo applies it as min-height",
    }
)


# "Supports `relative`, `absolute` but not `sticky` and `fixed`.": the values before "but
# not" work. "`overflow-block` & `overflow-inline` not supported.": only those do not.
_SUPPORTS_BUT_NOT = re.compile(r"^(?:partial\. )?supports ((?:`[^`]+`(?:, | and | & )?)+) but not")
_ONLY_NAMED_MISSING = re.compile(
    r"^(?:partial\. )?(?:does not support )?((?:`[^`]+`(?: values?)?(?:, | and | & | or )?)+)"
    r" ?(?:values? )?(?:are |is )?(?:not supported|\.)"
)
_CODE = re.compile(r"`([^`]+)`")


def _note_spares(note: str, value: str) -> bool:
    """True when a partial-support note names what fails and this value is not it."""
    text = note.lower()
    words = set(value.replace("!important", "").split())
    supported = _SUPPORTS_BUT_NOT.match(text)
    if supported:
        return bool(words) and words <= set(_CODE.findall(supported[1]))
    missing = _ONLY_NAMED_MISSING.match(text)
    if missing:
        named = _CODE.findall(missing[1])
        # `list-style-image` values: the image, i.e. a url(); other names by their words.
        return not any(n in value or (n.endswith("-image") and "url(" in value) for n in named)
    return False


@lru_cache(maxsize=8192)
def _inapplicable(slug: str, value: str) -> tuple[str, ...]:
    """Note prefixes of ``slug`` that do not apply to this value."""
    listed = tuple(
        note.lower()
        for s, note, applies in _VALUE_NOTES
        if s == slug and not applies().search(value)
    )
    feature = load_data().features.get(slug)
    if feature is None or not value or slug.startswith("html-"):
        return listed  # an attribute's "value" is its element's tag
    named = tuple(n.lower() for n in feature.notes_by_num.values() if _note_spares(n, value))
    return listed + named


def _grade(
    slug: str,
    gaps: tuple[ClientGap, ...],
    fallback: str,
    word_fallback: str,
    inapplicable: tuple[str, ...],
) -> Assessment | None:
    """The level for the gaps left once containers are accounted for."""
    gaps = tuple(
        g
        for g in gaps
        if not (
            g.support is Support.PARTIAL
            and g.notes
            and all(n.lower().startswith(inapplicable) for n in g.notes)
        )
    )
    if slug in QUIET_PARTIAL:
        gaps = tuple(g for g in gaps if g.support is Support.NO)
    harmless = [g for g in gaps if g.notes and all(n in _HARMLESS_NOTES for n in g.notes)]
    if gaps and len(harmless) == len(gaps) and not fallback:
        fallback = _HARMLESS_NOTES[harmless[0].notes[0]]
    if not gaps:
        return None
    if word_fallback and all(g.client in WORD_ENGINE for g in gaps):
        fallback = word_fallback
    graceful = enhancement(slug)
    if fallback or graceful is not None:
        reason = (
            graceful
            if graceful is not None and not fallback
            else fallback
            if fallback in _HARMLESS_NOTES.values()
            else f"falls back to {fallback}"
        )
        return Assessment(Level.ENHANCEMENT, gaps, reason)
    if any(g.support is Support.NO for g in gaps):
        return Assessment(Level.UNSUPPORTED, gaps)
    return Assessment(Level.PARTIAL, gaps)


def _covers(outer: ClientGap, inner: ClientGap) -> bool:
    """True when the client loses ``inner`` already by losing its container ``outer``."""
    if outer.client != inner.client:
        return False
    if outer.support is Support.NO:
        return outer.by_current or set(inner.versions) <= set(outer.versions)
    if inner.support is Support.PARTIAL and inner.notes:
        return set(inner.notes) <= set(outer.notes)
    return False
