"""CSS from <style> blocks and style="" attributes, parsed once per distinct text.

Decision (measured, see docs/decisions.md): tinycss2 parses, not cssutils. tinycss2 gives
every declaration its line and column, which findings need, and is ~14x faster on the
corpus; cssutils gives no source positions and logs loudly. Parsed results are cached
by text because real templates repeat the same style blocks and inline styles.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

import tinycss2
from tinycss2 import ast

from linter.limits import MAX_CSS_DIGITS, MAX_CSS_NESTING, LimitError


def place(origin: tuple[int, int], line: int, column: int) -> tuple[int, int]:
    """File (line, column) of a position relative to CSS text that starts at `origin`."""
    if line == 1:
        return origin[0], origin[1] + column - 1
    return origin[0] + line - 1, column


class Declaration(NamedTuple):
    name: str  # lower-case property
    value: str  # as written, without !important
    important: bool
    line: int  # 1-based, relative to the parsed text until placed in a document
    column: int
    selector: str | None = None  # None for inline style=""
    at_rules: tuple[str, ...] = ()  # enclosing at-rules, outermost first, e.g. "@media …"

    @property
    def text(self) -> str:
        return f"{self.name}: {self.value}{' !important' if self.important else ''}"

    def moved(self, line: int, column: int) -> Declaration:
        # Direct construction: dataclasses.replace costs 5x more, on thousands per file.
        return Declaration(
            self.name, self.value, self.important, line, column, self.selector, self.at_rules
        )


class AtRule(NamedTuple):
    keyword: str  # lower-case, without @
    prelude: str
    line: int
    column: int
    at_rules: tuple[str, ...] = ()

    def moved(self, line: int, column: int) -> AtRule:
        return AtRule(self.keyword, self.prelude, line, column, self.at_rules)


class StyleRule(NamedTuple):
    selector: str
    line: int
    column: int
    at_rules: tuple[str, ...] = ()

    def moved(self, line: int, column: int) -> StyleRule:
        return StyleRule(self.selector, line, column, self.at_rules)


class CssError(NamedTuple):
    message: str
    line: int
    column: int

    def moved(self, line: int, column: int) -> CssError:
        return CssError(self.message, line, column)


class Stylesheet(NamedTuple):
    declarations: tuple[Declaration, ...]
    at_rules: tuple[AtRule, ...]
    rules: tuple[StyleRule, ...]
    errors: tuple[CssError, ...]

    def moved(self, base_line: int, base_column: int) -> Stylesheet:
        """The same sheet with positions made absolute for text starting at base."""
        o = (base_line, base_column)
        return Stylesheet(
            tuple(d.moved(*place(o, d.line, d.column)) for d in self.declarations),
            tuple(a.moved(*place(o, a.line, a.column)) for a in self.at_rules),
            tuple(r.moved(*place(o, r.line, r.column)) for r in self.rules),
            tuple(e.moved(*place(o, e.line, e.column)) for e in self.errors),
        )


def _decls(
    nodes: list[ast.Node], selector: str | None, at_rules: tuple[str, ...]
) -> tuple[list[Declaration], list[CssError]]:
    decls: list[Declaration] = []
    errors: list[CssError] = []
    for node in nodes:
        if node.type == "declaration":
            value = tinycss2.serialize(node.value).strip()
            decls.append(
                Declaration(
                    node.lower_name,
                    value,
                    node.important,
                    node.source_line,
                    node.source_column,
                    selector,
                    at_rules,
                )
            )
        elif node.type == "error":
            errors.append(CssError(node.message, node.source_line, node.source_column))
    return decls, errors


_BRACKET = re.compile(r"[()\[\]{}]")
_LONG_NUMBER = re.compile(rf"[0-9]{{{MAX_CSS_DIGITS + 1}}}")


@lru_cache(maxsize=8192)  # style="" texts repeat by the thousand in a template
def refuse_past_limits(text: str) -> None:
    """tinycss2 recurses once per nested bracket and calls int() on integer tokens, so
    CSS nested past the recursion limit or a number past int()'s digit limit crashed it.
    Past these (documented) limits the CSS is refused; `LimitError.line` is relative."""
    long_number = _LONG_NUMBER.search(text)
    if long_number:
        raise LimitError(
            f"a CSS number longer than {MAX_CSS_DIGITS} digits",
            text.count("\n", 0, long_number.start()) + 1,
        )
    if sum(map(text.count, "([{")) <= MAX_CSS_NESTING:
        return  # too few openers to nest that deep: most style texts stop here
    depth = 0
    for bracket in _BRACKET.finditer(text):
        depth += 1 if bracket.group() in "([{" else -1
        if depth > MAX_CSS_NESTING:
            raise LimitError(
                f"CSS nested more than {MAX_CSS_NESTING} brackets deep",
                text.count("\n", 0, bracket.start()) + 1,
            )


@lru_cache(maxsize=8192)
def parse_inline(text: str) -> tuple[Declaration, ...]:
    """Declarations of a style="" attribute (malformed parts are skipped, as clients do)."""
    refuse_past_limits(text)
    simple = _simple_inline(text)
    return simple if simple is not None else _parse_inline_tokens(text)


def _parse_inline_tokens(text: str) -> tuple[Declaration, ...]:
    nodes = tinycss2.parse_declaration_list(text, skip_comments=True, skip_whitespace=True)
    return tuple(_decls(nodes, None, ())[0])


# Most style="" texts are `name: plain words, numbers, #hex, %` and nothing else: no strings,
# functions, comments, escapes or blocks. Those are split directly, which gives what
# tinycss2's tokenizer gives (tests/test_documents.py compares the two on every style
# attribute of the corpus) in a tenth of the time; anything else goes to tinycss2.
_PLAIN_NAME = re.compile(r"-{0,2}[A-Za-z_][A-Za-z0-9_-]*\Z")
_PLAIN_VALUE = re.compile(r"[A-Za-z0-9#%.,+_ \t\n-]*\Z")
_IMPORTANT = re.compile(r"\s*!\s*important\s*\Z", re.IGNORECASE)
# Each word of a plain value is one token (an ident, a #hash, a number with its unit):
# two tokens written together ("0-0", "Z.0") come back from tinycss2 with a comment
# between them ("0/**/-0"), so such a value is left to tinycss2.
_PLAIN_TOKEN = re.compile(
    r"(?:#[A-Za-z0-9_-]+|-?[A-Za-z_][A-Za-z0-9_-]*"
    r"|[+-]?(?:[0-9]+(?:\.[0-9]+)?|\.[0-9]+)(?:%|[A-Za-z_][A-Za-z0-9_-]*)?)\Z"
)
_WORD_BREAK = re.compile(r"[\s,]+")


def _simple_inline(text: str) -> tuple[Declaration, ...] | None:
    """The declarations of a plain style text, or None when it needs the tokenizer."""
    if "\r" in text or "\f" in text:
        return None
    found: list[Declaration] = []
    start = 0
    for part in text.split(";"):
        name, colon, value = part.partition(":")
        bare = name.strip()
        if not colon:
            if bare:
                return None  # a malformed part: tinycss2 decides what to skip
            start += len(part) + 1
            continue
        important = _IMPORTANT.search(value)
        if important:
            value = value[: important.start()]
        value = value.strip()
        if (
            not value
            or not _PLAIN_NAME.match(bare)
            or not _PLAIN_VALUE.match(value)
            or not all(_PLAIN_TOKEN.match(w) for w in _WORD_BREAK.split(value) if w)
        ):
            return None
        at = start + len(name) - len(name.lstrip())
        line = text.count("\n", 0, at) + 1
        column = at - text.rfind("\n", 0, at)
        found.append(Declaration(bare.lower(), value, bool(important), line, column))
        start += len(part) + 1
    return tuple(found)


@lru_cache(maxsize=1024)
def parse_stylesheet(text: str) -> Stylesheet:
    refuse_past_limits(text)
    decls: list[Declaration] = []
    at_rules: list[AtRule] = []
    rules: list[StyleRule] = []
    errors: list[CssError] = []

    def walk(nodes: list[ast.Node], context: tuple[str, ...]) -> None:
        for node in nodes:
            if node.type == "qualified-rule":
                selector = " ".join(tinycss2.serialize(node.prelude).split())
                rules.append(StyleRule(selector, node.source_line, node.source_column, context))
                content = tinycss2.parse_blocks_contents(node.content or [])
                d, e = _decls(content, selector, context)
                decls.extend(d)
                errors.extend(e)
            elif node.type == "at-rule":
                prelude = " ".join(tinycss2.serialize(node.prelude).split())
                at_rules.append(
                    AtRule(
                        node.lower_at_keyword,
                        prelude,
                        node.source_line,
                        node.source_column,
                        context,
                    )
                )
                if node.content is None:
                    continue
                inner = (*context, f"@{node.lower_at_keyword} {prelude}".strip())
                content = tinycss2.parse_blocks_contents(node.content, skip_whitespace=True)
                walk([n for n in content if n.type != "declaration"], inner)
                d, e = _decls(content, None, inner)  # @font-face, @page descriptors
                decls.extend(d)
                errors.extend(e)
            elif node.type == "error":
                errors.append(CssError(node.message, node.source_line, node.source_column))

    walk(tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=True), ())
    return Stylesheet(tuple(decls), tuple(at_rules), tuple(rules), tuple(errors))


_BEFORE_IMPORT = frozenset({"import", "charset", "layer"})


_WIDTH_QUERY = re.compile(r"(?:min|max)-(?:device-)?width", re.IGNORECASE)


def is_width_query(at_rule: str) -> bool:
    """`@media … (max-width: 600px)`: a query on the viewport's width (not `@media screen`,
    which hides web fonts from Outlook and adapts nothing)."""
    return at_rule.lower().startswith("@media") and bool(_WIDTH_QUERY.search(at_rule))


def ignored_imports(sheet: Stylesheet) -> tuple[AtRule, ...]:
    """@import rules every client ignores: inside another @-rule (CSS Conditional 3: "@-rules
    that must occur at the beginning of the style sheet (such as @charset, @import, and
    @namespace rules) are not allowed inside of conditional group rules") or after any
    other rule (CSS Cascade 4 §2.1)."""
    others = [
        (r.line, r.column)
        for r in sheet.at_rules
        if not r.at_rules and r.keyword not in _BEFORE_IMPORT
    ] + [(r.line, r.column) for r in sheet.rules if not r.at_rules]
    first_other = min(others, default=None)
    return tuple(
        r
        for r in sheet.at_rules
        if r.keyword == "import"
        and (r.at_rules or (first_other is not None and (r.line, r.column) > first_other))
    )
