"""Colours as the reader sees them: inline text and background colours, and WCAG contrast.

Colours are parsed with tinycss2.color3 (CSS Color Level 3), so every keyword, hex,
rgb()/hsl() form is read the way clients read it. A colour counts only when it comes
from an inline style or a bgcolor/color attribute and no <style> rule could override
it on the way; otherwise it is unknown and callers skip the text.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

import tinycss2
from tinycss2 import color3

from linter.documents.email import EmailDocument, Node
from linter.documents.selectors import Compound, subjects

Rgb = tuple[float, float, float]
_LEGACY_HEX = re.compile(r"^[0-9a-fA-F]{3}([0-9a-fA-F]{3})?$")
_BACKGROUND = ("background", "background-color", "background-image")


class Colour(NamedTuple):
    rgb: Rgb
    text: str  # as written, for messages
    node: Node  # the element that sets it


@lru_cache(maxsize=4096)  # templates repeat a handful of colours thousands of times
def parse(value: str | None, legacy: bool = False) -> tuple[Rgb, float] | None:
    """(rgb, alpha) of a CSS colour; `legacy` also reads bgcolor="ffffff" without "#"."""
    if not value:
        return None
    value = value.strip()
    if legacy and _LEGACY_HEX.match(value):
        value = "#" + value
    found = color3.parse_color(value)
    if not isinstance(found, color3.RGBA):
        return None  # invalid, or currentColor
    return (found.red, found.green, found.blue), found.alpha


def _luminance(rgb: Rgb) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: Rgb, b: Rgb) -> float:
    """WCAG 2.x contrast ratio, 1.0 to 21.0."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


class SheetTargets:
    """Which elements a <style> rule may give a property (colour, background, font-size).

    Compounds are indexed by the most selective thing they require (a class, an id or a
    tag), so an element is tested only against the rules that could name it.
    """

    def __init__(self, by_property: dict[str, list[Compound]]) -> None:
        self._index: dict[str, dict[str, list[Compound]]] = {}
        for prop, compounds in by_property.items():
            index = self._index.setdefault(prop, {})
            for c in compounds:
                index.setdefault(_key(c), []).append(c)

    @classmethod
    def of(cls, doc: EmailDocument) -> SheetTargets:
        return doc.memo("colours:sheet-targets", lambda: cls._build(doc))

    @classmethod
    def _build(cls, doc: EmailDocument) -> SheetTargets:
        by_property: dict[str, list[Compound]] = {}
        for block in doc.style_blocks:
            for decl in block.sheet.declarations:
                if decl.selector is None or any("prefers-color-scheme" in a for a in decl.at_rules):
                    continue  # dark mode is a different rendering, judged elsewhere
                group = "background" if decl.name in _BACKGROUND else decl.name
                for found in subjects(decl.selector):
                    if not found.state:  # :hover is a state, ::before not the element's text
                        by_property.setdefault(group, []).append(found)
        return cls(by_property)

    def may_set(self, node: Node, prop: str) -> bool:
        index = self._index.get(prop)
        if not index:
            return False
        keys = ["*", f"tag:{node.tag}", f"id:{node.get('id') or ''}"]
        keys += [f"class:{c}" for c in (node.get("class") or "").split()]
        return any(c.may_match(node) for k in keys for c in index.get(k, ()))


def _key(c: Compound) -> str:
    """The index key a compound is filed under: what any element it matches must have."""
    if c.classes:
        return f"class:{min(c.classes)}"
    if c.ids:
        return f"id:{min(c.ids)}"
    if c.tag not in (None, "*"):
        return f"tag:{c.tag}"
    return "*"


def text_colour(doc: EmailDocument, chain: list[Node], sheet: SheetTargets) -> Colour | None:
    """The inline colour the text is drawn in, or None when it is not known."""
    for node in chain:
        value = doc.style_value(node, "color")
        legacy = False
        if value is None and node.tag == "font" and node.get("color"):
            value, legacy = node.get("color"), True
        if value is not None:
            found = parse(value, legacy)
            if found is None or found[1] < 1:
                return None  # inherit, currentColor, translucent: not judged
            return Colour(found[0], value.strip(), node)
        if sheet.may_set(node, "color") or node.tag == "a":
            return None  # a style rule, or the client's own link colour, decides
    return None


@lru_cache(maxsize=4096)  # a template repeats a handful of backgrounds on every cell
def _shorthand(value: str) -> tuple[bool, str]:
    """(has an image, first colour written) of a `background` shorthand."""
    image = False
    colour = ""
    for token in tinycss2.parse_component_value_list(value):
        if token.type == "url" or (
            token.type == "function"
            and token.lower_name in ("url", "linear-gradient", "radial-gradient")
        ):
            image = True
        elif not colour and parse(tinycss2.serialize([token])) is not None:
            colour = tinycss2.serialize([token])
    return image, colour


def _background_of(doc: EmailDocument, node: Node) -> tuple[str, tuple[Rgb, float] | None, bool]:
    """(text, colour, has_image) of a node's own inline background."""
    if node.tag.startswith("v:"):
        # VML shapes (Outlook buttons, background images) paint with fillcolor or a
        # <v:fill> child; without fillcolor the paint is unknown, like an image.
        fill = node.get("fillcolor")
        return (fill or "").strip(), parse(fill, legacy=True), not fill
    style = doc.style_map(node)
    image = "url(" in style.get("background-image", "") or "gradient(" in style.get(
        "background-image", ""
    )
    colour_text = style.get("background-color")
    colour = parse(colour_text)
    if "background" in style:
        shorthand_image, shorthand_colour = _shorthand(style["background"])
        image = image or shorthand_image
        if colour is None and shorthand_colour:
            colour, colour_text = parse(shorthand_colour), shorthand_colour
    if colour is None and node.get("bgcolor"):
        colour_text = node.get("bgcolor")
        colour = parse(colour_text, legacy=True)
    return (colour_text or "").strip(), colour, image


def background_colour(doc: EmailDocument, chain: list[Node], sheet: SheetTargets) -> Colour | None:
    """The nearest opaque inline background behind the text, or None when not known."""
    for node in chain:
        text, colour, image = _background_of(doc, node)
        if colour is not None and colour[1] > 0:
            if colour[1] < 1:
                return None  # translucent: depends on what is behind it
            # With an image the colour is the fallback readers see while images are off
            # (Outlook blocks them by default), so it is judged as the background.
            return Colour(colour[0], text, node)
        if image or sheet.may_set(node, "background"):
            return None
    return None
