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
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from functools import cache, lru_cache
from types import MappingProxyType
from typing import Generic, NamedTuple, Protocol, TypeVar

from linter.clients.data import load_data
from linter.documents.conditionals import Audience
from linter.documents.css import Declaration, Stylesheet, parse_inline, parse_stylesheet, place
from linter.documents.cssvalues import changes_nothing
from linter.documents.email import EmailDocument, Node
from linter.documents.images import CSS_URL, IMAGE_PROPERTIES
from linter.documents.vml import background_attribute_image, has_vml_background
from linter.documents.webfonts import is_web_font_url
from linter.lazyre import on_first_use

__all__ = [
    "UNMAPPED",
    "Assessor",
    "JudgedUses",
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
    selector: str = ""  # the <style> rule's selector ("" for style="" and HTML)


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

# A system font keyword followed by more of the stack: clients without it take the next.
_STACK_AFTER_SYSTEM_FONT = on_first_use(r"(?:system-ui|ui-[a-z-]+)\s*,\s*[^,\s]", re.IGNORECASE)

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
# Properties that act only through another feature: a client that cannot draw a CSS
# background image (Outlook for Windows) loses nothing more by dropping its position.
_DRAWN_WITH: Mapping[str, str] = {
    "css-background-position": "css-background-image",
    "css-background-repeat": "css-background-image",
    "css-background-size": "css-background-image",
    "css-background-attachment": "css-background-image",
    "css-background-origin": "css-background-image",
    "css-left-right-top-bottom": "css-position",
}
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
    if name in IMAGE_PROPERTIES:
        for target in CSS_URL.findall(value):
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
# Detection is cached per CSS text: templates repeat the same <style> blocks and the same
# few hundred style="" texts thousands of times. Uses come out of the caches with
# positions relative to their text and are placed in the file only when needed.
Position = tuple[int, int]
_Key = tuple[str, int, int]  # (slug, line, column): one use per feature per place


def detect(doc: EmailDocument) -> tuple[Use, ...]:
    """Every feature use in ``doc``, once per (feature, place), in document order (kept
    with the document, as its other derived indexes are: a cache keyed by documents would
    keep them alive)."""
    return doc.memo("detect:uses", lambda: _detect(doc))


def _detect(doc: EmailDocument) -> tuple[Use, ...]:
    seen: set[_Key] = set()
    uses: list[Use] = []
    for use in _all_uses(doc):
        key = (use.slug, use.line, use.column)
        if key not in seen:
            seen.add(key)
            uses.append(use)
    return tuple(uses)


def _all_uses(doc: EmailDocument) -> Iterator[Use]:
    for node in doc.by_tag.get("style", ()):
        origin = doc.content_origin(node)
        for use in _sheet_uses(node.el.text or "", node.audience):
            yield _placed(use, origin)
    for node in doc.nodes:
        text = node.attrs.get("style")
        if text:
            uses = _inline_candidates(
                text,
                node.tag,
                node.audience,
                _fallback_attrs(node.attrs),
                node.audience is not Audience.MSO and _in_ghost_table(doc, node),
                _in_fixed_cell(doc, node),
            )
            if uses:
                origin = doc.position(doc.attr_offset(node, "style"))
                for use in uses:
                    yield _placed(use, origin)
    for node, attr, slug, construct, fallback, value in _html_candidates(doc):
        line, column = (node.line, node.column) if attr is None else doc.attr_position(node, attr)
        yield Use(
            slug,
            construct,
            line,
            column,
            doc.start_tag(node),
            node.audience,
            fallback=fallback,
            value=value,
        )


def _placed(use: Use, origin: Position) -> Use:
    """``use`` (positioned in its CSS text) placed in the file, the text starting at origin."""
    line, column = place(origin, use.line, use.column)
    return use._replace(line=line, column=column)


def _unique(uses: Iterable[Use]) -> tuple[Use, ...]:
    """The first use per (slug, line, column), in order."""
    seen: set[_Key] = set()
    found: list[Use] = []
    for use in uses:
        key = (use.slug, use.line, use.column)
        if key not in seen:
            seen.add(key)
            found.append(use)
    return tuple(found)


# -- judged uses: what the client-support check reads ----------------------------------------
A = TypeVar("A")
A_co = TypeVar("A_co", covariant=True)


class Assessor(Protocol[A_co]):
    """What judges a use (linter.clients.assess.Judge); None when no target loses it."""

    def assess(
        self,
        slug: str,
        audience: Audience,
        containers: tuple[str, ...],
        fallback: str,
        word_fallback: str,
        value: str,
    ) -> A_co | None: ...


class _InlineEntry(Generic[A]):
    """One style="" text on one kind of element, judged; per layout context on demand."""

    __slots__ = ("by_layout", "key", "needs_fixed", "needs_ghost")

    def __init__(self, key: _InlineKey, plain: tuple[tuple[Use, A], ...]) -> None:
        self.key = key
        self.by_layout = {(False, False): plain}
        # Layout context changes only the Word fallback of these features, never whether
        # a target loses them: look it up only when such a use has a gap.
        self.needs_ghost = key[2] is not Audience.MSO and any(
            u.slug in _GHOST_COVERED for u, _ in plain
        )
        self.needs_fixed = any(u.slug in _WIDTH_LIMITS for u, _ in plain)


# (style text, tag, audience, fallback attributes present)
_InlineKey = tuple[str, str, Audience, tuple[str, ...]]
_MEMO_LIMIT = 8192  # distinct texts kept per judge before the memo starts over


class JudgedUses(Generic[A]):
    """``detect`` followed by a judge, keeping the uses it judges (not None).

    The same as ``[(u, a) for u in detect(doc) if (a := judge(u)) is not None]``, but the
    judged uses of each <style> text and style="" text are remembered, so a repeated text
    costs a dict lookup, and only judged uses are placed in the file.
    """

    def __init__(self, judge: Assessor[A]) -> None:
        self._judge = judge
        self._sheets: dict[tuple[str, Audience], tuple[tuple[Use, A], ...]] = {}
        self._inline: dict[_InlineKey, _InlineEntry[A]] = {}

    def __call__(self, doc: EmailDocument) -> tuple[tuple[Use, A], ...]:
        # Only the first judged use per place is kept, as detect() keeps the first use.
        # An unjudged use can only hide a later use at its place if the two come from
        # different texts, and their places are apart: a <style> text is raw text that no
        # tag or attribute sits in, and a style="" text is inside its own attribute. The
        # exceptions are claimed below: a <style> the parser implied (placed at 1:1), and
        # a style attribute not found in its tag (its uses are placed from the tag's
        # start, still inside the tag, where only the element's own image URLs can be).
        seen: set[_Key] = set()
        found: list[tuple[Use, A]] = []
        for node in doc.by_tag.get("style", ()):
            judged = self._sheet(node.el.text or "", node.audience)
            if node.offset < 0:  # the text is placed at 1:1: compare every use
                origin = doc.content_origin(node)
                self._exact(_sheet_uses(node.el.text or "", node.audience), origin, seen)
            if judged:
                self._add(judged, doc.content_origin(node), seen, found)
        for node in doc.nodes:
            text = node.attrs.get("style")
            if text:
                self._inline_uses(doc, node, text, seen, found)
        judge = self._judge
        styled: set[int] = set()  # elements whose style="" uses have been claimed
        # One copy of each construct and start tag: a large email repeats the same tags.
        texts: dict[str, str] = {}
        for node, attr, slug, construct, fallback, value in _html_candidates(doc):
            assessed = judge.assess(slug, node.audience, (), fallback, "", value)
            if assessed is None:
                continue
            line, column = (
                (node.line, node.column) if attr is None else doc.attr_position(node, attr)
            )
            if (
                slug.startswith("image-")  # the only HTML uses style="" can also have
                and node.offset >= 0
                and node.attrs.get("style")
                and id(node) not in styled
            ):
                styled.add(id(node))
                offset = doc.attr_offset(node, "style")
                if offset == node.offset:  # not found: see above
                    self._claim_inline(doc, node, offset, seen)
            key = (slug, line, column)
            if key not in seen:
                seen.add(key)
                context = doc.start_tag(node)
                use = Use(
                    slug,
                    texts.setdefault(construct, construct),
                    line,
                    column,
                    texts.setdefault(context, context),
                    node.audience,
                    fallback=fallback,
                    value=value,
                )
                found.append((use, assessed))
        return tuple(found)

    def _sheet(self, text: str, audience: Audience) -> tuple[tuple[Use, A], ...]:
        key = (text, audience)
        judged = self._sheets.get(key)
        if judged is None:
            if len(self._sheets) >= _MEMO_LIMIT:
                self._sheets.clear()
            judged = self._sheets[key] = self._judged(_sheet_uses(text, audience))
        return judged

    def _inline_uses(
        self,
        doc: EmailDocument,
        node: Node,
        text: str,
        seen: set[_Key],
        found: list[tuple[Use, A]],
    ) -> None:
        attrs = node.attrs
        key = (text, node.tag, node.audience, _fallback_attrs(attrs))
        entry = self._inline.get(key)
        if entry is None:
            if len(self._inline) >= _MEMO_LIMIT:
                self._inline.clear()
            plain = self._judged(_inline_candidates(*key, False, False))
            entry = self._inline[key] = _InlineEntry(key, plain)
        if node.offset < 0:  # implied by the parser: its uses are placed at 1:1
            self._claim_inline(doc, node, 0, seen)
        judged = entry.by_layout[(False, False)]
        if not judged:
            return
        offset = doc.attr_offset(node, "style")
        ghost = entry.needs_ghost and _in_ghost_table(doc, node)
        fixed = entry.needs_fixed and not ghost and _in_fixed_cell(doc, node)
        if ghost or fixed:
            judged = entry.by_layout.get((ghost, fixed)) or entry.by_layout.setdefault(
                (ghost, fixed), self._judged(_inline_candidates(*key, ghost, fixed))
            )
        self._add(judged, doc.position(offset), seen, found)

    def _claim_inline(self, doc: EmailDocument, node: Node, offset: int, seen: set[_Key]) -> None:
        key = (node.attrs["style"], node.tag, node.audience, _fallback_attrs(node.attrs))
        self._exact(_inline_candidates(*key, False, False), doc.position(offset), seen)

    def _exact(self, uses: Iterable[Use], origin: Position, seen: set[_Key]) -> None:
        """Claim the places of unjudged uses too (for texts placed where others may sit)."""
        judge = self._judge
        for use in uses:
            if self._assess(judge, use) is None:
                placed = _placed(use, origin)
                seen.add((placed.slug, placed.line, placed.column))

    def _judged(self, uses: Iterable[Use]) -> tuple[tuple[Use, A], ...]:
        judge = self._judge
        pairs = ((use, self._assess(judge, use)) for use in uses)
        return tuple((use, found) for use, found in pairs if found is not None)

    @staticmethod
    def _assess(judge: Assessor[A], use: Use) -> A | None:
        return judge.assess(
            use.slug, use.audience, use.containers, use.fallback, use.word_fallback, use.value
        )

    @staticmethod
    def _add(
        judged: tuple[tuple[Use, A], ...],
        origin: Position,
        seen: set[_Key],
        found: list[tuple[Use, A]],
    ) -> None:
        line0, column0 = origin
        for use, assessed in judged:
            if use.line == 1:
                line, column = line0, column0 + use.column - 1
            else:
                line, column = line0 + use.line - 1, use.column
            key = (use.slug, line, column)
            if key not in seen:
                seen.add(key)
                placed = Use(
                    use.slug,
                    use.construct,
                    line,
                    column,
                    use.context,
                    use.audience,
                    use.containers,
                    use.fallback,
                    use.word_fallback,
                    use.value,
                    use.selector,
                )  # direct construction: _replace costs twice as much
                found.append((placed, assessed))


# -- uses in CSS text (positions relative to the text) --------------------------------------
class _Owner(NamedTuple):
    """The element carrying CSS, as far as detection reads it (hashable, cacheable)."""

    tag: str
    attrs: tuple[str, ...]  # which of _FALLBACK_ATTRIBUTES it carries
    audience: Audience


_FALLBACK_ATTRIBUTES = tuple(dict.fromkeys(_ATTRIBUTE_FALLBACKS.values()))


def _fallback_attrs(attrs: Mapping[str, str]) -> tuple[str, ...]:
    return tuple(filter(attrs.__contains__, _FALLBACK_ATTRIBUTES))


@lru_cache(maxsize=256)
def _sheet_uses(text: str, audience: Audience) -> tuple[Use, ...]:
    """Uses in one <style> text, positions relative to the text."""
    sheet = parse_stylesheet(text)
    uses = list(_rule_uses(sheet, audience))
    owner = _Owner("style", (), audience)
    block: list[Declaration] = []
    for decl in sheet.declarations:
        if block and (decl.selector, decl.at_rules) != (block[0].selector, block[0].at_rules):
            uses += _block_uses(block, owner, False, False)
            block = []
        block.append(decl)
    if block:
        uses += _block_uses(block, owner, False, False)
    return _unique(uses)


@lru_cache(maxsize=4096)
def _inline_candidates(
    text: str, tag: str, audience: Audience, attrs: tuple[str, ...], ghost: bool, fixed: bool
) -> tuple[Use, ...]:
    """Uses in one style="" text on an element, positions relative to the text.

    ``ghost``: the element sits in an Outlook-only ghost table (and is not itself
    Outlook-only code); ``fixed``: in a fixed-width cell.
    """
    decls = parse_inline(text)
    if not decls:
        return ()
    return _unique(_block_uses(decls, _Owner(tag, attrs, audience), ghost, fixed))


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
            yield Use(
                slug,
                construct,
                rule.line,
                rule.column,
                rule.selector,
                audience,
                containers,
                selector=rule.selector,
            )


def _block_uses(
    block: Sequence[Declaration], owner: _Owner, ghost: bool, fixed: bool
) -> Iterator[Use]:
    """Uses in one declaration block (a rule's body or a style="" attribute)."""
    first = block[0]
    if ":" in owner.tag:
        return  # VML (v:rect, v:fill) styles are read by the VML engine, not as CSS
    inline = first.selector is None and owner.tag != "style"
    containers: tuple[str, ...] = ()
    if not inline:
        containers = (
            "html-style",
            *_context_containers(first.at_rules),
            *_selector_containers(first.selector or ""),
        )
    values = {d.name: d.value.strip().lower() for d in block}
    hiding = sum(1 for name, test in _HIDING if test(values.get(name, ""))) >= 2
    # Layout context (ghost tables, fixed cells) matters only for style="" on an element.
    # A ghost table stands in for Outlook only for code Outlook skips or cannot apply;
    # code inside the ghost table itself (audience MSO) has no fallback of its own.
    ghost = ghost and inline
    fixed = fixed and inline
    earlier: dict[str, list[str]] = {}
    for decl in block:
        if changes_nothing(decl.name, decl.value, values):
            continue  # a client that drops it draws the element the same
        if decl.name.startswith("-") and not decl.name.startswith("--"):
            continue  # -webkit-box-shadow: written for one engine, ignored by the rest
        for use in _uses_in(decl, owner, containers):
            fallback = _fallback(
                use, decl, owner.attrs, earlier.get(decl.name, ()), values, inline, hiding
            )
            word = ""
            if ghost and use.slug in _GHOST_COVERED:
                word = "an Outlook-only ghost table"
            elif fixed and use.slug in _WIDTH_LIMITS:
                word = "the fixed-width table cell around it"
            if fallback or word:
                use = use._replace(fallback=fallback or use.fallback, word_fallback=word)
            yield use
        earlier.setdefault(decl.name, []).append(decl.value)


def _uses_in(decl: Declaration, owner: _Owner, containers: tuple[str, ...]) -> Iterator[Use]:
    features = _declaration_features(decl.name, decl.value, decl.important)
    if not features:
        return
    context = f"{decl.selector or owner.tag} {{{decl.text}}}"
    value = decl.value.lower()
    for slug, construct, kind in features:
        outer = containers
        if kind == "clear":  # clear only acts on floats: dropping float drops it too
            outer = (*containers, "css-float")
        elif slug in _DRAWN_WITH:  # acts only through a feature the client may lack
            outer = (*containers, _DRAWN_WITH[slug])
        elif kind.startswith("css-"):  # a value inside a property the client may drop
            outer = (*containers, kind)
        yield Use(
            slug,
            construct,
            decl.line,
            decl.column,
            context,
            owner.audience,
            outer,
            "value" if kind not in ("", "clear") else "",
            "",
            value,
            decl.selector or "",
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
    attrs: Collection[str],
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
    if inline and attribute and attribute in attrs:
        return f'the {attribute}="" attribute'
    if use.slug in _BACKGROUND_IMAGE and ("background-color" in values or "bgcolor" in attrs):
        return "the background colour"
    width = values.get("width", "").replace("!important", "").strip()
    if use.slug in _WIDTH_LIMITS and (_FIXED.match(width) or width == _bare(decl.value)):
        return "the width in the same rule"
    if hiding and use.slug in _HIDING_SLUGS:
        return "the other hiding properties in the same rule"
    if use.slug == "css-overflow" and "border-radius" in values:
        return "square corners, as clients without border-radius draw anyway"
    if use.slug == "css-background-size" and "/" in _URL.sub("", values.get("background", "")):
        return "the size in the background shorthand"
    if use.slug == "css-sytem-ui" and _STACK_AFTER_SYSTEM_FONT().search(decl.value):
        return "the next font of the font-family stack"
    return ""


def _bare(value: str) -> str:
    return value.lower().replace("!important", "").strip()


def _in_fixed_cell(doc: EmailDocument, node: Node) -> bool:
    """True when the nearest enclosing cell or table has a fixed pixel width."""
    for parent in doc.parents(node):
        if parent.tag not in ("td", "th", "table"):
            continue
        width = doc.style_map(parent).get("width") or parent.get("width") or ""
        return bool(_FIXED.match(width.strip()))
    return False


def _in_ghost_table(doc: EmailDocument, node: Node) -> bool:
    """True inside an Outlook-only table cell (<!--[if mso]><table><tr><td><![endif]-->)."""
    return any(
        p.tag in ("td", "th", "table") and p.audience is Audience.MSO for p in doc.parents(node)
    )


# (node, attribute whose value holds it or None for the tag, slug, construct, fallback, value)
_HtmlCandidate = tuple[Node, str | None, str, str, str, str]


def _html_candidates(doc: EmailDocument) -> Iterator[_HtmlCandidate]:
    """HTML uses before placing them: finding an attribute's position costs a scan."""
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
            fallback = (
                "the next font of the font-family stack (a web-font stylesheet)"
                if tag == "link" and is_web_font_url(node.get("href"))
                else ""
            )
            yield node, None, slug, f"<{tag}>", fallback, ""
        for name in node.attrs:
            attr_slug = attributes.get(name.lower())
            if attr_slug:
                fallback = ""
                if name == "background" and "bgcolor" in node.attrs:
                    fallback = 'the bgcolor="" attribute'
                elif name == "background" and background_attribute_image(doc, node) is None:
                    continue  # background="left": MJML 3's styling hook, not an image
                elif name == "background" and has_vml_background(doc, node, node.attrs[name]):
                    fallback = "its VML background, which Outlook for Windows draws instead"
                yield node, name, attr_slug, f'{name}=""', fallback, tag
        if tag == "a":
            href = (node.get("href") or "").strip().lower()
            if href.startswith("#") and len(href) > 1:
                yield node, "href", "html-anchor-links", 'href="#…"', "", ""
            elif href.startswith("mailto:"):
                yield node, "href", "html-mailto-links", "mailto: link", "", ""
        if tag == "meta" and (node.get("name") or "").lower() in (
            "color-scheme",
            "supported-color-schemes",
        ):
            yield node, None, "html-meta-color-scheme", '<meta name="color-scheme">', "", ""
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
            for url in urls:
                for slug, construct in image_formats(url):
                    yield node, attr, slug, construct, "", ""


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
