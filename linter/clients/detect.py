"""Which caniemail features an email uses, where, and who sees that code.

The mapping from document constructs to caniemail slugs is data: most of it is
derived from the features' own titles and keywords (``css-max-width`` is titled
``max-width``; ``css-border`` lists ``border-top`` ... as keywords), the rest is the
explicit tables below. Only what can be matched exactly is mapped: a property by
its name, a value by its tokens (``display: flex``, a ``rem`` number, ``rgba(``),
a selector by its parsed parts, an at-rule by keyword and media feature, an element
by tag, an attribute by name, an image format by the URL's extension or data: type.
Slugs deliberately left unmapped are listed in :data:`UNMAPPED` with the reason.

Each use also records its *containers*: the features a client must support to apply
the code at all (``@media``, ``:hover``, the ``<style>`` element). A client that
drops the container never sees the contents, so it cannot lose them a second time.
A use has a *fallback* when the same block declares the same property earlier
without the feature (``background: #fff; background: rgba(...)``) or the element
carries the equivalent HTML attribute (``width="600" style="max-width: 600px"``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from functools import cache, lru_cache
from types import MappingProxyType
from typing import NamedTuple

from linter.clients.data import load_data
from linter.documents.conditionals import Audience
from linter.documents.css import Declaration, Stylesheet, parse_stylesheet
from linter.documents.email import EmailDocument, Node

__all__ = [
    "UNMAPPED",
    "Use",
    "detect",
]


class Use(NamedTuple):
    """One use of a caniemail feature at one place in the email (a tuple: cheap to build)."""

    slug: str
    construct: str  # what was matched, as the reader would write it: "display: flex", ":hover"
    line: int
    column: int
    context: str  # normalised code around it, for the fingerprint
    audience: Audience
    containers: tuple[str, ...] = ()  # features the client must apply first
    fallback: str = ""  # what every client falls back to ("" = no fallback)
    word_fallback: str = ""  # what Outlook for Windows falls back to (a ghost table)
    value: str = ""  # declaration value (lower-cased), or an attribute's element tag


# -- properties ------------------------------------------------------------------------
_TITLE_PROPERTY = re.compile(r"([a-z][a-z-]*)(?: property)?")

# Slugs whose caniemail keywords are the property names the page tests (longhands).
_KEYWORD_PROPERTY_SLUGS = (
    "css-border",
    "css-margin",
    "css-margin-block-start-end",
    "css-margin-inline-block",
    "css-margin-inline-start-end",
    "css-padding-block-start-end",
    "css-padding-inline-block",
    "css-padding-inline-start-end",
    "css-border-inline-block",
    "css-border-inline-block-individual",
    "css-border-inline-block-longhand",
    "css-border-radius-logical",
    "css-inset",
    "css-overflow",
    "css-grid-template",
    "css-column-layout-properties",
    "css-block-inline-size",
)

# Properties a page covers that neither its title nor its keywords spell out.
_PROPERTY_GROUPS: Mapping[str, tuple[str, ...]] = {
    "css-font": ("font",),
    "css-color-scheme": ("color-scheme",),
    "css-gap": ("gap", "column-gap", "row-gap"),
    "css-left-right-top-bottom": ("left", "right", "top", "bottom"),
    # "This test includes ... padding-left, padding-right, padding-top and padding-bottom."
    "css-padding": ("padding-top", "padding-right", "padding-bottom", "padding-left"),
    "css-scroll-snap": ("scroll-snap-type", "scroll-snap-align", "scroll-snap-stop"),
    "css-text-emphasis": ("text-emphasis-color", "text-emphasis-style"),
    "css-animation": (
        "animation-name",
        "animation-duration",
        "animation-timing-function",
        "animation-delay",
        "animation-iteration-count",
        "animation-direction",
        "animation-fill-mode",
        "animation-play-state",
    ),
    "css-transition": (
        "transition-property",
        "transition-duration",
        "transition-timing-function",
        "transition-delay",
    ),
    "css-border-radius": (
        "border-top-left-radius",
        "border-top-right-radius",
        "border-bottom-right-radius",
        "border-bottom-left-radius",
    ),
    "css-outline": ("outline-color", "outline-style", "outline-width"),
}


def _property_slugs() -> dict[str, str]:
    features = load_data().features
    table: dict[str, str] = {}
    for slug, feature in features.items():
        match = _TITLE_PROPERTY.fullmatch(feature.title.strip())
        if slug.startswith("css-") and match and slug == f"css-{match[1]}":
            table[match[1]] = slug  # a page titled with its property name
    for slug, names in _PROPERTY_GROUPS.items():
        for name in names:
            table.setdefault(name, slug)
    for slug in _KEYWORD_PROPERTY_SLUGS:
        for keyword in features[slug].keywords:
            if "-" in keyword or keyword == "columns":
                table.setdefault(keyword, slug)
    return table


# -- values ------------------------------------------------------------------------------
# (property or "" for any, regex over the value with url()/strings removed, slug)
_VALUE_FEATURES: tuple[tuple[str, re.Pattern[str], str], ...] = (
    ("display", re.compile(r"^(?:inline-)?flex$|^inline flex$"), "css-display-flex"),
    ("display", re.compile(r"^(?:inline-)?grid$|^inline grid$"), "css-display-grid"),
    ("display", re.compile(r"^none$"), "css-display-none"),
    ("flex-direction", re.compile(r"^column(?:-reverse)?$"), "css-flex-direction"),
    ("flex-wrap", re.compile(r"^wrap(?:-reverse)?$"), "css-flex-wrap"),
    (
        "font-family",
        re.compile(
            r"(?<![\w-])(?:system-ui|ui-serif|ui-sans-serif|ui-rounded"
            r"|ui-monospace)(?![\w-])"
        ),
        "css-sytem-ui",
    ),
    ("", re.compile(r"(?<![\w-])(?:fit|min|max)-content(?![\w-])"), "css-intrinsic-size"),
    ("", re.compile(r"^initial$"), "css-unit-initial"),
)
_FUNCTIONS: Mapping[str, str] = {
    "rgb": "css-rgb",
    "rgba": "css-rgba",
    "calc": "css-unit-calc",
    "clamp": "css-function-clamp",
    "min": "css-function-min",
    "max": "css-function-max",
    "light-dark": "css-function-light-dark",
    "linear-gradient": "css-linear-gradient",
    "repeating-linear-gradient": "css-linear-gradient",
    "radial-gradient": "css-radial-gradient",
    "repeating-radial-gradient": "css-radial-gradient",
    "conic-gradient": "css-conic-gradient",
    "repeating-conic-gradient": "css-conic-gradient",
    "lab": "css-modern-color",
    "lch": "css-modern-color",
    "oklab": "css-modern-color",
    "oklch": "css-modern-color",
    "var": "css-variables",
}
_FUNCTION = re.compile(r"(?<![\w-])([a-z][a-z-]*)\(", re.IGNORECASE)
_UNITS: Mapping[str, str] = {
    "rem": "css-unit-rem",
    "em": "css-unit-em",
    "ex": "css-unit-ex",
    "ch": "css-unit-ch",
    "vw": "css-unit-vw",
    "vh": "css-unit-vh",
    "vmin": "css-unit-vmin",
    "vmax": "css-unit-vmax",
    "cm": "css-unit-cm",
    "mm": "css-unit-mm",
    "in": "css-unit-in",
    "pt": "css-unit-pt",
    "pc": "css-unit-pc",
    "px": "css-unit-px",
    "%": "css-unit-percent",
}
_NUMBER_UNIT = re.compile(r"(?<![\w.#-])[+-]?(?:\d+\.?\d*|\.\d+)([a-z]+|%)(?![\w-])", re.I)
_URL = re.compile(r"url\(\s*(?:\"[^\"]*\"|'[^']*'|[^)]*)\)", re.IGNORECASE)
_STRING = re.compile(r"\"[^\"]*\"|'[^']*'")
_URL_TARGET = re.compile(r"url\(\s*[\"']?([^\"')]+)", re.IGNORECASE)

# -- selectors ----------------------------------------------------------------------------
_PSEUDO = re.compile(r"(::?)(-?[a-z][a-z-]*)", re.IGNORECASE)
_LEGACY_PSEUDO_ELEMENTS = frozenset({"before", "after", "first-letter", "first-line"})
_COMBINATORS: Mapping[str, str] = {
    ">": "css-selector-child",
    "+": "css-selector-adjacent-sibling",
    "~": "css-selector-general-sibling",
    " ": "css-selector-descendant",
    ",": "css-selector-grouping",
}
_SIMPLE = re.compile(r"[.#]-?[_a-zA-Z][\w-]*|\[\]|\*|::?[\w-]+(?:\(\))?|[a-zA-Z][\w-]*")

# -- at-rules --------------------------------------------------------------------------
_AT_RULES: Mapping[str, str] = {
    "media": "css-at-media",
    "font-face": "css-at-font-face",
    "import": "css-at-import",
    "supports": "css-at-supports",
    "keyframes": "css-at-keyframes",
}
_MEDIA_FEATURES: Mapping[str, str] = {
    "prefers-color-scheme": "css-at-media-prefers-color-scheme",
    "prefers-reduced-motion": "css-at-media-prefers-reduced-motion",
    "orientation": "css-at-media-orientation",
    "hover": "css-at-media-hover",
    "any-hover": "css-at-media-hover",
    "-webkit-device-pixel-ratio": "css-at-media-device-pixel-ratio",
    "-webkit-min-device-pixel-ratio": "css-at-media-device-pixel-ratio",
    "-webkit-max-device-pixel-ratio": "css-at-media-device-pixel-ratio",
}
_MEDIA_FEATURE = re.compile(r"\(\s*([a-z-]+)\s*[:)]", re.IGNORECASE)

# -- HTML ----------------------------------------------------------------------------------
_TITLE_TAGS = re.compile(r"<([a-z][a-z0-9]*)>")
_TITLE_TYPED = re.compile(r'<([a-z]+) type="([a-z]+)">')
_TITLE_ATTRIBUTE = re.compile(r"([a-z][a-z-]*) attribute")
_ELEMENT_GROUPS: Mapping[str, tuple[str, ...]] = {
    "html-h1-h6": ("h1", "h2", "h3", "h4", "h5", "h6"),
    "html-address": ("address",),
    "html-svg": ("svg",),
    "html-image-maps": ("map", "area"),
}
_ATTRIBUTE_GROUPS: Mapping[str, tuple[str, ...]] = {
    "html-loading-attribute": ("loading",),
    "html-srcset": ("srcset", "sizes"),
    "css-inert-attribute": ("inert",),
    "html-image-maps": ("usemap",),
}


def _element_slugs() -> dict[str, str]:
    table: dict[str, str] = {}
    for slug, feature in load_data().features.items():
        if not slug.startswith("html-") or 'type="' in feature.title:
            continue
        tags = _TITLE_TAGS.findall(feature.title)
        if slug == "html-semantics":
            tags = list(feature.keywords)  # article, aside, details, ... (listed there)
        elif slug == "html-lists":
            tags = ["ul", "ol", "dl"]  # the title names the list containers
        for tag in tags:
            table.setdefault(tag, slug)
    for slug, group in _ELEMENT_GROUPS.items():
        for tag in group:
            table.setdefault(tag, slug)
    return table


def _typed_element_slugs() -> dict[tuple[str, str], str]:
    table: dict[tuple[str, str], str] = {}
    for slug, feature in load_data().features.items():
        match = _TITLE_TYPED.search(feature.title)
        if slug.startswith("html-") and match:
            table[(match[1], match[2])] = slug
    return table


def _attribute_slugs() -> dict[str, str]:
    table: dict[str, str] = {}
    for slug, feature in load_data().features.items():
        match = _TITLE_ATTRIBUTE.fullmatch(feature.title.strip())
        if slug.startswith("html-") and match:
            table[match[1]] = slug
    for slug, names in _ATTRIBUTE_GROUPS.items():
        for name in names:
            table.setdefault(name, slug)
    return table


_IMAGE_EXTENSIONS: Mapping[str, str] = {
    "webp": "image-webp",
    "svg": "image-svg",
    "avif": "image-avif",
    "apng": "image-apng",
    "bmp": "image-bmp",
    "gif": "image-gif",
    "heic": "image-heif",
    "heif": "image-heif",
    "ico": "image-ico",
    "jpg": "image-jpg",
    "jpeg": "image-jpg",
    "png": "image-png",
    "tif": "image-tiff",
    "tiff": "image-tiff",
    "mp4": "image-mp4",
}
_DATA_TYPES: Mapping[str, str] = {
    "webp": "image-webp",
    "svg+xml": "image-svg",
    "avif": "image-avif",
    "png": "image-png",
    "gif": "image-gif",
    "jpeg": "image-jpg",
    "jpg": "image-jpg",
    "bmp": "image-bmp",
}
_EXTENSION = re.compile(r"\.([a-z0-9]{2,5})$", re.IGNORECASE)
_DATA_URI = re.compile(r"\s*data:image/([a-z0-9.+-]+)(;base64)?", re.IGNORECASE)
# Elements and attributes that load an image; srcset holds several candidates.
_IMAGE_ATTRIBUTES: tuple[tuple[str, str], ...] = (
    ("img", "src"),
    ("img", "srcset"),
    ("source", "srcset"),
    ("input", "src"),
    ("table", "background"),
    ("td", "background"),
    ("th", "background"),
    ("body", "background"),
    ("v:fill", "src"),
    ("v:image", "src"),
)
_DEFAULT_TYPES: Mapping[str, str] = {"input": "text", "button": "submit"}
_IMAGE_PROPERTIES = frozenset(
    {"background", "background-image", "list-style-image", "list-style", "content", "border-image"}
)

# HTML attribute on the same element that every client honours in place of the CSS.
_ATTRIBUTE_FALLBACKS: Mapping[str, str] = {
    "css-width": "width",
    "css-max-width": "width",
    "css-min-width": "width",
    "css-height": "height",
    "css-max-height": "height",
    "css-min-height": "height",
    "css-background-image": "background",
    "css-background-color": "bgcolor",
    "css-text-align": "align",
    "css-vertical-align": "valign",
}

_BACKGROUND_IMAGE = frozenset(
    {
        "css-background-image",
        "css-background-position",
        "css-background-repeat",
        "css-background-size",
        "css-linear-gradient",
        "css-radial-gradient",
        "css-conic-gradient",
    }
)
# Preheaders and mobile-only blocks stack several ways of hiding, so that each client
# honours at least one; two or more in one rule make each of them redundant.
_HIDING = (
    ("display", lambda v: v.startswith("none")),
    ("mso-hide", lambda v: v.startswith("all")),
    ("visibility", lambda v: v.startswith("hidden")),
    ("opacity", lambda v: v.split("!")[0].strip() in ("0", "0.0", "0.01")),
    ("max-height", lambda v: v.startswith("0")),
    ("max-width", lambda v: v.startswith("0")),
    ("overflow", lambda v: v.startswith("hidden")),
    ("font-size", lambda v: v.startswith(("0", "1px"))),
    ("line-height", lambda v: v.startswith(("0", "1px"))),
)
_HIDING_SLUGS = frozenset(
    {
        "css-display-none",
        "css-visibility",
        "css-opacity",
        "css-max-height",
        "css-max-width",
        "css-overflow",
        "css-height",
        "css-width",
        "css-font-size",
        "css-line-height",
    }
)
# max-width/min-width only matter where the width is fluid.
_WIDTH_LIMITS = frozenset({"css-max-width", "css-min-width"})
_FIXED = re.compile(r"^\d+(?:\.\d+)?(?:px)?(?:\s*!important)?$")
# Width and layout features an Outlook ghost table replaces for the Word engine.
_GHOST_COVERED = frozenset(
    {
        "css-max-width",
        "css-min-width",
        "css-width",
        "css-display",
        "css-float",
        "css-clear",
        "css-display-flex",
        "css-display-grid",
    }
)

# Slugs not mapped, and why (a meta-test keeps this list and the tables complete).
UNMAPPED: Mapping[str, str] = MappingProxyType(
    {
        "amp": "AMP is a separate MIME part, not HTML in this document",
        "bimi": "a DNS/brand-logo feature, not document code",
        "css-comments": "comments carry no styling; nothing is lost when stripped",
        "html-comments": "MSO conditional comments are handled as audiences instead",
        "html-doctype": "every email has one; nothing visible breaks when it is ignored",
        "css-nesting": "the CSS parser does not expose nested rules yet",
        "css-selector-chaining": "caniemail's test is ambiguous between .a.b and a.b",
        "css-selector-class": "reported through <style> support: same clients, same cause",
        "css-selector-id": "reported through <style> support: same clients, same cause",
        "css-selector-type": "reported through <style> support: same clients, same cause",
        "image-hdr": "HDR is a property of the pixels, not visible in the URL",
    }
)


@cache
def _tables() -> tuple[dict[str, str], dict[str, str], dict[tuple[str, str], str], dict[str, str]]:
    return _property_slugs(), _element_slugs(), _typed_element_slugs(), _attribute_slugs()


@cache
def _pseudo_slugs() -> dict[str, str]:
    table: dict[str, str] = {}
    for slug in load_data().features:
        for prefix in ("css-pseudo-class-", "css-pseudo-element-"):
            if slug.startswith(prefix):
                table[slug.removeprefix(prefix)] = slug
    return table


# Built from caniemail's data on first use, not at import: every `presend` command
# imports this module, and loading the data costs ~100 ms.


# -- value and selector scanning (cached by text) ---------------------------------------
@lru_cache(maxsize=8192)
def value_features(name: str, value: str) -> tuple[tuple[str, str], ...]:
    """(slug, construct) for features a declaration's value uses."""
    plain = _STRING.sub("''", _URL.sub("url()", value)).strip().lower()
    found: dict[str, str] = {}
    for prop, pattern, slug in _VALUE_FEATURES:
        if (not prop or prop == name) and pattern.search(plain):
            found.setdefault(slug, f"{name}: {plain}")
    for match in _FUNCTION.finditer(plain):
        function = _FUNCTIONS.get(match[1])
        if function:
            found.setdefault(function, f"{match[1]}()")
    if name not in ("font-family", "font-feature-settings"):
        for match in _NUMBER_UNIT.finditer(plain):
            unit = _UNITS.get(match[1])
            if unit:
                found.setdefault(unit, match[1] if match[1] == "%" else f"{match[1]} unit")
    if name in _IMAGE_PROPERTIES:
        for target in _URL_TARGET.findall(value):
            for slug, construct in image_formats(target):
                found.setdefault(slug, construct)
    return tuple(found.items())


@lru_cache(maxsize=4096)
def selector_features(selector: str) -> tuple[tuple[str, str], ...]:
    """(slug, construct) for pseudo-classes, pseudo-elements, combinators and * / [attr]."""
    text = _STRING.sub("''", selector)
    found: dict[str, str] = {}
    if "[" in text:
        found["css-selector-attribute"] = "[attribute] selector"
    text = re.sub(r"\[[^\]]*\]", "[]", text)
    for match in _PSEUDO.finditer(text):
        colons, name = match[1], match[2].lower()
        name = "placeholder" if name.endswith("placeholder") else name
        slug = _pseudo_slugs().get(name)
        if slug and (
            colons == "::"
            or name not in _LEGACY_PSEUDO_ELEMENTS
            or slug.startswith("css-pseudo-element-")
        ):
            found.setdefault(slug, f"{colons}{name}")
    depth = 0
    flat = []
    for char in text:  # keep only depth-0 text: :not(a > b) is not a child combinator
        depth += char == "("
        if depth == 0:
            flat.append(char)
        depth -= char == ")" and depth > 0
    top = "".join(flat)
    if "*" in top:
        found["css-selector-universal"] = "* selector"
    for part in top.split(","):
        squeezed = re.sub(r"\s*([>+~])\s*", r"\1", part.strip())
        for char in squeezed:
            slug = _COMBINATORS.get(char)
            if slug:
                found.setdefault(slug, f"'{char.strip() or 'space'}' combinator")
    if "," in top:
        found["css-selector-grouping"] = "grouping (a, b)"
    return tuple(found.items())


@lru_cache(maxsize=1024)
def at_rule_features(keyword: str, prelude: str) -> tuple[tuple[str, str], ...]:
    """(slug, construct) for an at-rule and the media features in its prelude."""
    found: dict[str, str] = {}
    slug = _AT_RULES.get(keyword)
    if slug:
        found[slug] = f"@{keyword}"
    if keyword == "media":
        for match in _MEDIA_FEATURE.finditer(prelude):
            name = match[1].lower()
            feature = _MEDIA_FEATURES.get(
                name.removeprefix("min-").removeprefix("max-")
                if name.startswith(("min-", "max-"))
                else name
            )
            if feature:
                found.setdefault(feature, f"@media ({name})")
    return tuple(found.items())


@lru_cache(maxsize=256)
def _context_containers(at_rules: tuple[str, ...]) -> tuple[str, ...]:
    slugs: list[str] = []
    for text in at_rules:
        keyword, _, prelude = text.lstrip("@").partition(" ")
        slugs += [slug for slug, _ in at_rule_features(keyword.lower(), prelude)]
    return tuple(dict.fromkeys(slugs))


_INTERACTIVE = frozenset(
    {
        "css-pseudo-class-hover",
        "css-pseudo-class-focus",
        "css-pseudo-class-active",
        "css-pseudo-class-visited",
        "css-pseudo-class-focus-visible",
        "css-pseudo-class-focus-within",
        "css-pseudo-class-checked",
        "css-pseudo-class-target",
        "css-pseudo-element-before",
        "css-pseudo-element-after",
        "css-pseudo-element-placeholder",
        "css-pseudo-element-first-letter",
        "css-pseudo-element-first-line",
        "css-pseudo-element-marker",
    }
)


@lru_cache(maxsize=4096)
def _selector_containers(selector: str) -> tuple[str, ...]:
    """Pseudo-classes/elements without which a rule never applies (a :hover rule)."""
    return tuple(s for s, _ in selector_features(selector) if s in _INTERACTIVE)


def image_formats(url: str) -> tuple[tuple[str, str], ...]:
    """(slug, construct) for the image format a URL names by extension or data: type."""
    data = _DATA_URI.match(url)
    if data:
        kind = data[1].lower()
        found = [("image-base64", "base64 data: image")] if data[2] else []
        if kind in _DATA_TYPES:
            found.append((_DATA_TYPES[kind], f"data:image/{kind}"))
        return tuple(found)
    path = url.split("#", 1)[0].split("?", 1)[0].strip()
    match = _EXTENSION.search(path)
    if match is None:
        return ()
    ext = match[1].lower()
    slug = _IMAGE_EXTENSIONS.get(ext)
    return ((slug, f".{ext} image"),) if slug else ()


# -- the walk ------------------------------------------------------------------------------
def detect(doc: EmailDocument) -> tuple[Use, ...]:
    """Every feature use in ``doc``, once per (feature, place), in document order."""
    return _detect_cached(doc)


@lru_cache(maxsize=4)
def _detect_cached(doc: EmailDocument) -> tuple[Use, ...]:
    # The three client-support rules share one detection pass per document.
    seen: set[tuple[str, int, int]] = set()
    uses: list[Use] = []
    for use in _all_uses(doc):
        key = (use.slug, use.line, use.column)
        if key not in seen:
            seen.add(key)
            uses.append(use)
    return tuple(uses)


def _all_uses(doc: EmailDocument) -> Iterator[Use]:
    for block in doc.style_blocks:
        # Templates repeat the same <style> blocks: detect once per text, then place.
        for use in _sheet_uses(block.node.el.text or "", block.node.audience):
            line, column = block.place(use.line, use.column)
            yield use._replace(line=line, column=column)
    yield from _inline_uses(doc)
    yield from _html_uses(doc)


class _Owner(NamedTuple):
    """The element carrying CSS, as far as detection reads it (a <style>, cacheable)."""

    tag: str
    attrs: Mapping[str, str]
    audience: Audience


@lru_cache(maxsize=256)
def _sheet_uses(text: str, audience: Audience) -> tuple[Use, ...]:
    """Uses in one <style> text, positions relative to the text."""
    sheet = parse_stylesheet(text)
    uses = list(_rule_uses(sheet, audience))
    owner = _Owner("style", {}, audience)
    properties = _tables()[0]
    block: list[tuple[Declaration, _Owner]] = []
    for decl in sheet.declarations:
        if block and (decl.selector, decl.at_rules) != (block[0][0].selector, block[0][0].at_rules):
            uses += _block_uses(None, block, properties)
            block = []
        block.append((decl, owner))
    if block:
        uses += _block_uses(None, block, properties)
    return tuple(uses)


def _rule_uses(sheet: Stylesheet, audience: Audience) -> Iterator[Use]:
    for at in sheet.at_rules:
        containers = ("html-style", *_context_containers(at.at_rules))
        context = f"@{at.keyword} {at.prelude}".strip()
        for slug, construct in at_rule_features(at.keyword, at.prelude):
            # A media feature is only evaluated by clients that support @media.
            outer = (
                containers
                if slug == _AT_RULES.get(at.keyword)
                else (*containers, _AT_RULES[at.keyword])
            )
            yield Use(slug, construct, at.line, at.column, context, audience, outer)
    for rule in sheet.rules:
        containers = ("html-style", *_context_containers(rule.at_rules))
        for slug, construct in selector_features(rule.selector):
            yield Use(slug, construct, rule.line, rule.column, rule.selector, audience, containers)


def _inline_uses(doc: EmailDocument) -> Iterator[Use]:
    properties = _tables()[0]
    for node in doc.nodes:
        if "style" in node.attrs:
            decls = doc.inline_style(node)
            if decls:
                yield from _block_uses(doc, [(d, node) for d in decls], properties)


def _block_uses(
    doc: EmailDocument | None,
    block: Sequence[tuple[Declaration, Node | _Owner]],
    properties: Mapping[str, str],
) -> Iterator[Use]:
    """Uses in one declaration block (a rule's body or a style="" attribute)."""
    first, node = block[0]
    if ":" in node.tag:
        return  # VML (v:rect, v:fill) styles are read by the VML engine, not as CSS
    inline = first.selector is None and node.tag != "style"
    containers: tuple[str, ...] = ()
    if not inline:
        containers = (
            "html-style",
            *_context_containers(first.at_rules),
            *_selector_containers(first.selector or ""),
        )
    values = {d.name: d.value.strip().lower() for d, _ in block}
    hiding = sum(1 for name, test in _HIDING if test(values.get(name, ""))) >= 2
    # Layout context (ghost tables, fixed cells) matters only for style="" on an element.
    element = node if inline and doc is not None and isinstance(node, Node) else None
    # A ghost table stands in for Outlook only for code Outlook skips or cannot apply;
    # code inside the ghost table itself (audience MSO) has no fallback of its own.
    ghost = (
        element is not None
        and doc is not None
        and element.audience is not Audience.MSO
        and _in_ghost_table(doc, element)
    )
    earlier: dict[str, list[str]] = {}
    for decl, _ in block:
        for use in _uses_in(decl, node, containers, properties):
            fallback = _fallback(
                use, decl, node, earlier.get(decl.name, ()), values, inline, hiding
            )
            word = ""
            if ghost and use.slug in _GHOST_COVERED:
                word = "an Outlook-only ghost table"
            elif (
                element is not None
                and doc is not None
                and use.slug in _WIDTH_LIMITS
                and _in_fixed_cell(doc, element)
            ):
                word = "the fixed-width table cell around it"
            if fallback or word:
                use = use._replace(fallback=fallback or use.fallback, word_fallback=word)
            yield use
        earlier.setdefault(decl.name, []).append(decl.value)


def _uses_in(
    decl: Declaration,
    node: Node | _Owner,
    containers: tuple[str, ...],
    properties: Mapping[str, str],
) -> Iterator[Use]:
    features = _declaration_features(decl.name, decl.value, decl.important)
    if not features:
        return
    context = f"{decl.selector or node.tag} {{{decl.text}}}"
    value = decl.value.lower()
    for slug, construct, kind in features:
        outer = containers
        if kind == "clear":  # clear only acts on floats: dropping float drops it too
            outer = (*containers, "css-float")
        elif kind.startswith("css-"):  # a value inside a property the client may drop
            outer = (*containers, kind)
        yield Use(
            slug,
            construct,
            decl.line,
            decl.column,
            context,
            node.audience,
            outer,
            "value" if kind not in ("", "clear") else "",
            "",
            value,
        )


@lru_cache(maxsize=8192)
def _declaration_features(
    name: str, value: str, important: bool
) -> tuple[tuple[str, str, str], ...]:
    """(slug, construct, kind) for one declaration; kind is "" for the property itself,
    "clear" for clear, "value" or the property's slug for features of the value."""
    properties = _tables()[0]
    found: list[tuple[str, str, str]] = []
    if name.startswith("--"):
        found.append(("css-variables", "custom property", ""))
    prop = properties.get(name)
    if prop:
        found.append((prop, name, "clear" if prop == "css-clear" else ""))
    found += [(slug, construct, prop or "value") for slug, construct in value_features(name, value)]
    if important:
        found.append(("css-important", "!important", ""))
    return tuple(found)


def _fallback(
    use: Use,
    decl: Declaration,
    node: Node | _Owner,
    earlier: list[str] | tuple[str, ...],
    values: Mapping[str, str],
    inline: bool,
    hiding: bool,
) -> str:
    """What clients that lose ``use`` show instead, or "" when nothing stands in."""
    name = decl.name
    if use.fallback == "value" and any(
        use.slug not in {s for s, _ in value_features(name, v)} for v in earlier
    ):
        return f"the earlier {name} in the same rule"
    attribute = _ATTRIBUTE_FALLBACKS.get(use.slug)
    if inline and attribute and attribute in node.attrs:
        return f'the {attribute}="" attribute'
    if use.slug in _BACKGROUND_IMAGE and ("background-color" in values or "bgcolor" in node.attrs):
        return "the background colour"
    width = values.get("width", "").replace("!important", "").strip()
    if use.slug in _WIDTH_LIMITS and (_FIXED.match(width) or width == _bare(decl.value)):
        return "the width in the same rule"
    if hiding and use.slug in _HIDING_SLUGS:
        return "the other hiding properties in the same rule"
    return ""


def _bare(value: str) -> str:
    return value.lower().replace("!important", "").strip()


def _in_fixed_cell(doc: EmailDocument, node: Node) -> bool:
    """True when the nearest enclosing cell or table has a fixed pixel width."""
    for el in node.ancestors():
        parent = doc.node(el)
        if parent is None or parent.tag not in ("td", "th", "table"):
            continue
        width = doc.style_map(parent).get("width") or parent.get("width") or ""
        return bool(_FIXED.match(width.strip()))
    return False


def _in_ghost_table(doc: EmailDocument, node: Node) -> bool:
    """True inside an Outlook-only table cell (<!--[if mso]><table><tr><td><![endif]-->)."""
    for el in node.ancestors():
        parent = doc.node(el)
        if (
            parent is not None
            and parent.tag in ("td", "th", "table")
            and (parent.audience is Audience.MSO)
        ):
            return True
    return False


def _html_uses(doc: EmailDocument) -> Iterator[Use]:
    _, elements, typed, attributes = _tables()
    for node in doc.nodes:
        if node.offset < 0:
            continue  # implied by the parser (<tbody>, <html>): not written by the author
        tag = node.tag
        slug = elements.get(tag)
        if tag in _DEFAULT_TYPES:
            kind = (node.get("type") or _DEFAULT_TYPES[tag]).strip().lower()
            slug = typed.get((tag, kind))
        if slug:
            yield Use(slug, f"<{tag}>", node.line, node.column, doc.start_tag(node), node.audience)
        for name in node.attrs:
            attr_slug = attributes.get(name.lower())
            if attr_slug:
                line, column = doc.attr_position(node, name)
                fallback = (
                    'the bgcolor="" attribute'
                    if name == "background" and "bgcolor" in node.attrs
                    else ""
                )
                yield Use(
                    attr_slug,
                    f'{name}=""',
                    line,
                    column,
                    doc.start_tag(node),
                    node.audience,
                    fallback=fallback,
                    value=tag,
                )
        if tag == "a":
            href = (node.get("href") or "").strip().lower()
            link = (
                "html-anchor-links"
                if href.startswith("#") and len(href) > 1
                else "html-mailto-links"
                if href.startswith("mailto:")
                else ""
            )
            if link:
                line, column = doc.attr_position(node, "href")
                yield Use(
                    link,
                    'href="#…"' if link == "html-anchor-links" else "mailto: link",
                    line,
                    column,
                    doc.start_tag(node),
                    node.audience,
                )
        if tag == "meta" and (node.get("name") or "").lower() in (
            "color-scheme",
            "supported-color-schemes",
        ):
            yield Use(
                "html-meta-color-scheme",
                '<meta name="color-scheme">',
                node.line,
                node.column,
                doc.start_tag(node),
                node.audience,
            )
    for tag, attr in _IMAGE_ATTRIBUTES:
        for node in doc.find(tag):
            value = node.get(attr)
            if not value:
                continue
            urls = (
                [c.split()[0] for c in value.split(",") if c.strip()]
                if attr == "srcset"
                else [value]
            )
            line, column = doc.attr_position(node, attr)
            for url in urls:
                for slug, construct in image_formats(url):
                    yield Use(slug, construct, line, column, doc.start_tag(node), node.audience)


def mapped_slugs() -> frozenset[str]:
    """Every caniemail slug some construct maps to (the complement of UNMAPPED)."""
    properties, elements, typed, attributes = _tables()
    groups: list[object] = [
        properties.values(),
        elements.values(),
        typed.values(),
        attributes.values(),
        _pseudo_slugs().values(),
        _FUNCTIONS.values(),
        _UNITS.values(),
        _AT_RULES.values(),
        _MEDIA_FEATURES.values(),
        _IMAGE_EXTENSIONS.values(),
        _DATA_TYPES.values(),
        _COMBINATORS.values(),
        [slug for _, _, slug in _VALUE_FEATURES],
    ]
    slugs = {slug for group in groups for slug in group}  # type: ignore[attr-defined]
    slugs |= {
        "css-variables",
        "css-important",
        "css-selector-attribute",
        "css-selector-universal",
        "html-anchor-links",
        "html-mailto-links",
        "html-meta-color-scheme",
        "image-base64",
    }
    return frozenset(str(s) for s in slugs)
