"""EmailDocument: one parse of an email's HTML with the indexes every rule shares.

Parser decision (measured on the 81 corpus templates, see docs/decisions.md): lxml's
libxml2 HTML parser, 0.3 ms a file and it never raises on malformed markup. It reports
only the line on which a start tag *ends*; we recover the exact start line and column
by matching each element, in document order, to its ``<tag`` in the source. BeautifulSoup
with html.parser gives positions natively but is ~25x slower, so bs4 serves only for
charset sniffing (documents/decode.py).
"""

from __future__ import annotations

import bisect
import contextlib
import re
from array import array
from collections.abc import Callable, Iterator
from functools import cached_property, lru_cache
from typing import NamedTuple, TypeVar

from lxml import etree

from linter.documents import css, mergetags
from linter.documents.conditionals import Audience, AudienceMap, find_blocks, unwrapped
from linter.documents.cssvalues import is_hidden
from linter.limits import MAX_ATTRIBUTES, MAX_DEPTH, MAX_HTML_BYTES, MIB, LimitError

T = TypeVar("T")

_PARSER_OPTIONS = {
    "no_network": True,  # never fetch DTDs or entities
    "remove_comments": False,
    "remove_pis": True,
    "default_doctype": False,
    "huge_tree": False,
}
# An unterminated comment runs to the end of the file, as in browsers; matching it there
# (\Z) instead of failing keeps the scan linear when a file has thousands of "<!--".
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
# Bounded: an unclosed "<style" must not make every later search rescan the file.
_RAW_OPEN = re.compile(r"<(style|script|textarea|title)\b[^>]{0,4000}>", re.IGNORECASE)
_RAW_CLOSE = {
    t: re.compile(rf"</{t}\s*>", re.IGNORECASE) for t in ("style", "script", "textarea", "title")
}
_ATTR = re.compile(r"""\s([^\s=>/"']+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]*))?""")
_SPACE = re.compile(r"\s+")
# A start tag long enough to hold MAX_ATTRIBUTES attributes (name, "=", a value, a space).
_LONG_TAG = re.compile(rf"<[a-zA-Z][^<>]{{{4 * MAX_ATTRIBUTES},}}>")
_LIBXML_LINE_CAP = 65535  # libxml2 stops counting lines here without XML_PARSE_BIG_LINES


@lru_cache(maxsize=256)
def _tag_pattern(tag: str) -> re.Pattern[str]:
    return re.compile("<" + re.escape(tag) + r"(?=[\s/>])", re.IGNORECASE)


_NO_ATTRS: dict[str, str] = {}


def lf_lines(text: str) -> str:
    """The text with CRLF and CR line ends as LF, as EmailDocument reads it (the same
    object when it has none)."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


class Node:
    """An element with its exact source position and audience."""

    __slots__ = ("_hidden", "attrs", "audience", "column", "el", "line", "offset", "tag")

    def __init__(
        self,
        el: etree._Element,
        tag: str,
        offset: int,
        line: int,
        column: int,
        audience: Audience,
        attrs: dict[str, str],
    ) -> None:
        self.el = el
        self.tag = tag
        # The element's attributes: read-only, like the node, and shared (_AttributeMaps).
        # The tree holds none (see _parse): rules read them here or with doc.attrs_of(el).
        self.attrs = attrs
        self._hidden: bool | None = None  # EmailDocument.is_hidden's memo
        self.offset = offset  # -1 when the parser implied the element (no tag in source)
        self.line = line
        self.column = column
        self.audience = audience

    def get(self, name: str, default: str | None = None) -> str | None:
        return self.attrs.get(name, default)

    def text(self) -> str:
        """Visible text inside the element, white space collapsed."""
        return _SPACE.sub(" ", "".join(self.el.itertext())).strip()

    def __repr__(self) -> str:
        return f"<Node {self.tag} {self.line}:{self.column} {self.audience.value}>"


class _AttributeMaps:
    """One copy per document of each distinct attribute name, value and whole map (and one
    empty map for every element without attributes): a large email repeats the same
    attributes on thousands of elements, and a map per element was a sixth of presend's
    memory. Maps are read from items(), not attrib: attrib looks each value up by name,
    which lxml refuses for a name with a control character (libxml2 parses one) and which
    is quadratic."""

    def __init__(self) -> None:
        self._strings: dict[str, str] = {}
        self._maps: dict[tuple[tuple[str, str], ...], dict[str, str]] = {(): _NO_ATTRS}

    def shared(self, text: str) -> str:
        return self._strings.setdefault(text, text)

    def of(self, el: etree._Element) -> dict[str, str]:
        pairs = tuple((self.shared(k), self.shared(v)) for k, v in el.items())
        found = self._maps.get(pairs)
        if found is None:
            found = self._maps[pairs] = dict(pairs)
        return found


class AttrSpan(NamedTuple):
    """One attribute as written: `start`/`end` cover ` name="value"` from the name on;
    `value_start`/`value_end` the value inside its quotes (equal when there is none)."""

    name: str  # lower-cased
    start: int
    end: int
    value_start: int
    value_end: int
    has_value: bool


class StyleBlock(NamedTuple):
    node: Node
    sheet: css.Stylesheet  # positions already absolute in the file


class EmailDocument:
    """A parsed email: `EmailDocument(path, text)`; rules only read it."""

    def __init__(self, path: str, source: str) -> None:
        self.path = path
        if len(source) > MAX_HTML_BYTES:  # text from review or the API; files are checked on read
            raise LimitError(f"larger than {MAX_HTML_BYTES // MIB} MiB, presend's limit for HTML")
        self.source = lf_lines(source)
        self.size_bytes = len(self.source.encode("utf-8"))
        # An array, not a list: 8 bytes a line instead of a pointer and an int object.
        self._line_starts = array("q", [0])
        self._line_starts.extend(m.end() for m in re.finditer("\n", self.source))
        conditionals = find_blocks(self.source)
        self.audiences = AudienceMap(conditionals.blocks)
        self.unclosed_conditionals = conditionals.unclosed
        self.merge_tags = mergetags.find_tags(self.source)
        markers = conditionals.markers
        # The parser reads the source with the Outlook markers blanked and merge tags masked.
        # When nothing needs masking and no marker sits inside a tag, the scans that pair
        # elements with their tags read the source itself, skipping the markers: the same
        # matches, and no second copy of the text (2-4 bytes a character) while the tree
        # is built, only the parser's UTF-8 bytes.
        masked = mergetags.needs_mask(self.merge_tags)
        self.parsed_text = self.source
        if masked or _marker_in_tag(self.source, markers):
            self.parsed_text = mergetags.mask(
                "".join(unwrapped(self.source, markers)), self.merge_tags
            )
            markers = []  # blanked in the text that is scanned
        self._refuse_crowded_tags()
        maps = _AttributeMaps()
        self.root, attributes = _parse(_parser_input(self.parsed_text, markers), maps)
        self.raw_text_spans: list[tuple[int, int]] = []  # bodies of style/script/title
        self.nodes: list[Node] = list(self._locate(markers, maps, attributes))
        del attributes
        _refuse_css_past_limits(self.nodes)
        if not masked:
            # The scanned text differs from the source only by blanked Outlook markers, which
            # no later scan (a start tag's end, an end tag) reads: one copy of the text is kept.
            self.parsed_text = self.source
        del conditionals, markers
        self._memo: dict[str, object] = {}
        self._inline: dict[int, tuple[css.Declaration, ...]] = {}
        self._attr_offsets: dict[tuple[int, str, str], int] = {}
        self._start_tags: dict[int, str] = {}
        self.by_tag: dict[str, list[Node]] = {}
        self._by_el: dict[etree._Element, Node] = {}
        for node in self.nodes:
            self.by_tag.setdefault(node.tag, []).append(node)
            self._by_el[node.el] = node

    def memo(self, key: str, make: Callable[[], T]) -> T:
        """Compute a derived index once per document and share it between checks."""
        if key not in self._memo:
            self._memo[key] = make()
        return self._memo[key]  # type: ignore[return-value]

    # -- positions ---------------------------------------------------------------
    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a character offset."""
        line = bisect.bisect_right(self._line_starts, offset)
        return line, offset - self._line_starts[line - 1] + 1

    def offset_of(self, line: int, column: int) -> int:
        """The character offset of a 1-based (line, column): position() reversed."""
        return self._line_starts[min(max(line, 1), len(self._line_starts)) - 1] + column - 1

    def _locate(
        self,
        markers: list[tuple[int, int]],
        maps: _AttributeMaps,
        attributes: dict[etree._Element, dict[str, str]],
    ) -> Iterator[Node]:
        """Pair every element with its start tag in the source, in document order."""
        text = self.parsed_text
        comments = _Spans(_comment_spans(_Scan(text, _Spans(markers))))
        self.raw_text_spans = _raw_text_spans(text, comments)
        # A "<td" in a comment or in CSS/JS is never a tag: matches there are skipped
        # (rather than searched for in a blanked copy of the text, two copies of a large
        # email at the moment its tree is built).
        scan = _Scan(text, _Spans(comments.spans + self.raw_text_spans))
        cursor = 0
        claimed: set[int] = set()
        for el in self.root.iter(etree.Element):
            tag = maps.shared(el.tag) if isinstance(el.tag, str) else ""
            if tag and tag is not el.tag:
                # lxml keeps the name it made for el.tag with the element: renamed to the
                # same name, the element keeps the shared copy instead (a 50-byte string an
                # element, which libxml2 itself holds once per document).
                with contextlib.suppress(ValueError):  # a name lxml would not set
                    el.tag = tag
            end_line = el.sourceline or 0
            offset = self._find_start(scan, tag, cursor, end_line, claimed)
            if offset >= 0:
                claimed.add(offset)
                cursor = max(cursor, offset + 1)
                line, column = self.position(offset)
                audience = self.audiences.at(offset)
            else:
                line, column, audience = max(end_line, 1), 1, Audience.ALL
            taken = attributes.pop(el, None)  # None: an element the parser made no event of
            yield Node(
                el, tag, offset, line, column, audience, maps.of(el) if taken is None else taken
            )

    def _find_start(
        self, scan: _Scan, tag: str, cursor: int, end_line: int, claimed: set[int]
    ) -> int:
        pattern = _tag_pattern(tag)
        match = scan.search(pattern, cursor)
        if match and (
            not end_line
            or end_line >= _LIBXML_LINE_CAP
            or self.position(match.start())[0] <= end_line
        ):
            return match.start()
        if not end_line or end_line > len(self._line_starts):
            return -1
        # Out of order (the parser moved it) or implied: look back from where it ended.
        window_start = self._line_starts[max(end_line - 30, 0)]
        window_end = (
            self._line_starts[end_line] if end_line < len(self._line_starts) else len(scan.text)
        )
        found = scan.starts(pattern, window_start, window_end)
        unclaimed = [o for o in found if o not in claimed]
        return unclaimed[-1] if unclaimed else -1

    def _refuse_crowded_tags(self) -> None:
        """libxml2 checks each attribute against the tag's others, and lxml reads each value
        by name: 80,000 attributes on one tag took 35 s. No email has a tag near the limit;
        only long tags are counted (a tag with the limit's attributes is at least 4x long)."""
        for tag in _LONG_TAG.finditer(self.parsed_text):
            if tag.group().count("=") > MAX_ATTRIBUTES:
                raise LimitError(
                    f"a start tag with more than {MAX_ATTRIBUTES} attributes",
                    self.position(tag.start())[0],
                )

    # -- elements ------------------------------------------------------------------
    def node(self, el: etree._Element) -> Node | None:
        return self._by_el.get(el)

    def attrs_of(self, el: etree._Element) -> dict[str, str]:
        """An element's attributes (read-only): the tree holds none (see _parse)."""
        node = self._by_el.get(el)
        return node.attrs if node is not None else _NO_ATTRS

    def parents(self, node: Node) -> Iterator[Node]:
        """The node's ancestors, nearest first (elements the parser made up included)."""
        for el in node.el.iterancestors():
            parent = self._by_el.get(el)
            if parent is not None:
                yield parent

    def find(self, *tags: str) -> list[Node]:
        if len(tags) == 1:
            return self.by_tag.get(tags[0], [])
        return sorted((n for t in tags for n in self.by_tag.get(t, [])), key=_doc_order)

    def start_tag(self, node: Node) -> str:
        """The start tag as written (for messages and fingerprints). Memoised: findings
        on one element share one string, however long the tag."""
        if node.offset < 0:
            return f"<{node.tag}>"
        found = self._start_tags.get(node.offset)
        if found is None:
            end = _start_tag_end(self.parsed_text, node.offset)
            found = self._start_tags[node.offset] = self.source[node.offset : end]
        return found

    def content_origin(self, node: Node) -> tuple[int, int]:
        """(line, column) where an element's content starts: just after its start tag."""
        return self.position(
            _start_tag_end(self.parsed_text, node.offset) if node.offset >= 0 else 0
        )

    def start_tag_end(self, node: Node) -> int:
        """Offset just after the node's start tag (its ">"), or 0 for an implied element."""
        return _start_tag_end(self.parsed_text, node.offset) if node.offset >= 0 else 0

    def attr_spans(self, node: Node) -> Iterator[AttrSpan]:
        """Where each attribute of the start tag is written, in source order."""
        if node.offset < 0:
            return
        end = _start_tag_end(self.parsed_text, node.offset)
        for m in _ATTR.finditer(self.parsed_text, node.offset + 1 + len(node.tag), end):
            raw = m.group(2)
            quoted = bool(raw) and raw[:1] in "\"'"
            value = (m.start(2) + quoted, m.end(2) - quoted) if raw else (m.end(1), m.end(1))
            yield AttrSpan(m.group(1).lower(), m.start(1), m.end(), *value, bool(raw))

    def attr_offset(self, node: Node, name: str) -> int:
        """Offset of an attribute's value in the source, or of the tag if not found.

        Memoised: a check reporting many values of one attribute (a long srcset) would
        otherwise rescan a start tag that may be most of the file for each."""
        if node.offset < 0:
            return 0
        key = (node.offset, node.tag, name)  # the tag too: where its attributes start
        found = self._attr_offsets.get(key)
        if found is None:
            found = self._attr_offsets[key] = self._find_attr(node, name)
        return found

    def _find_attr(self, node: Node, name: str) -> int:
        for span in self.attr_spans(node):
            if span.name == name:
                return span.value_start if span.has_value else span.start
        return node.offset

    def attr_position(self, node: Node, name: str) -> tuple[int, int]:
        return self.position(self.attr_offset(node, name))

    def is_templated(self, value: str | None) -> bool:
        return bool(value) and mergetags.is_templated(value or "")

    # -- CSS -----------------------------------------------------------------------
    def inline_style(self, node: Node) -> tuple[css.Declaration, ...]:
        """Declarations of the node's style="" with file positions (memoised per node)."""
        text = node.attrs.get("style")
        if not text:
            return ()
        key = node.offset if node.offset >= 0 else -id(node)
        placed = self._inline.get(key)
        if placed is None:
            decls = css.parse_inline(text)
            base = self.attr_offset(node, "style") if decls else 0
            start = self.position(base)  # one lookup for all of the attribute's declarations
            placed = self._inline[key] = tuple(
                d.moved(*css.place(start, d.line, d.column)) for d in decls
            )
        return placed

    def style_map(self, node: Node) -> dict[str, str]:
        """Inline property -> value (lower-cased, the last declaration wins, as in CSS).
        Read-only: one map is shared by every element with the same style text."""
        text = node.attrs.get("style")
        return _style_map(text) if text else _NO_STYLE

    def style_value(self, node: Node, prop: str) -> str | None:
        return self.style_map(node).get(prop)

    def is_hidden(self, node: Node) -> bool:
        """True when the node or an ancestor is hidden inline (preheaders, mobile-only)."""
        if node._hidden is not None:
            return node._hidden
        hidden = is_hidden(self.style_map(node))
        if not hidden:
            parent_el = node.el.getparent()
            parent = self._by_el.get(parent_el) if parent_el is not None else None
            hidden = parent is not None and self.is_hidden(parent)
        node._hidden = hidden
        return hidden

    @cached_property
    def style_blocks(self) -> list[StyleBlock]:
        blocks = []
        for node in self.by_tag.get("style", []):
            text = node.el.text or ""
            sheet = css.parse_stylesheet(text)
            origin = self.content_origin(node)
            blocks.append(StyleBlock(node, sheet.moved(*origin)))
        return blocks

    def declarations(self) -> Iterator[tuple[css.Declaration, Node]]:
        """Every CSS declaration in the file with the element that carries it."""
        for block in self.style_blocks:
            for decl in block.sheet.declarations:
                yield decl, block.node
        for node in self.nodes:
            if "style" in node.attrs:
                for decl in self.inline_style(node):
                    yield decl, node

    # -- text ------------------------------------------------------------------------
    def comments(self) -> Iterator[tuple[int, str]]:
        """(offset, inner text) of each HTML comment in the source."""
        for m in _COMMENT.finditer(self.source):
            text = m.group(0)
            yield m.start(), text[4:-3] if text.endswith("-->") else text[4:]


_NO_STYLE: dict[str, str] = {}


@lru_cache(maxsize=8192)
def _style_map(text: str) -> dict[str, str]:
    """Shared per distinct style text: large emails repeat the same inline styles on
    thousands of elements, and a map per element was a tenth of presend's memory."""
    return {d.name: d.value.lower() for d in css.parse_inline(text)}


def _refuse_css_past_limits(nodes: list[Node]) -> None:
    """Refuse CSS past the parser's limits up front, naming the file's line: every check
    may parse any style text (and caches it), so none of them has to place the error."""
    for node in nodes:
        if node.tag == "style" and node.el.text:
            text, first_line = node.el.text, node.line
        elif "style" in node.attrs:
            text, first_line = node.attrs["style"], node.line
        else:
            continue
        try:
            css.refuse_past_limits(text)
        except LimitError as exc:
            raise LimitError(str(exc), first_line + max(exc.line, 1) - 1) from None


class _Spans:
    """Disjoint (start, end) ranges of the text, for "is this offset inside one?"."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        merged: list[tuple[int, int]] = []
        for start, end in sorted(spans):
            if merged and start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
            else:
                merged.append((start, end))
        self.spans = merged
        self._starts = [start for start, _ in merged]

    def end_of(self, offset: int) -> int | None:
        """The end of the range holding `offset`, or None when none does."""
        i = bisect.bisect_right(self._starts, offset) - 1
        return self.spans[i][1] if i >= 0 and offset < self.spans[i][1] else None


class _Scan(NamedTuple):
    """Searches of the text that skip what lies inside the spans."""

    text: str
    skip: _Spans

    def search(self, pattern: re.Pattern[str], pos: int, endpos: int = -1) -> re.Match[str] | None:
        endpos = len(self.text) if endpos < 0 else endpos
        while (match := pattern.search(self.text, pos, endpos)) is not None:
            end = self.skip.end_of(match.start())
            if end is None:
                return match
            pos = max(end, match.start() + 1)
        return None

    def starts(self, pattern: re.Pattern[str], pos: int, endpos: int) -> list[int]:
        found = []
        while (match := self.search(pattern, pos, endpos)) is not None:
            found.append(match.start())
            pos = match.start() + 1
        return found


_COMMENT_OPEN = re.compile("<!--")
_COMMENT_CLOSE = re.compile("-->")


def _comment_spans(scan: _Scan) -> list[tuple[int, int]]:
    """(start, end) of each comment, as _COMMENT finds them in the text the scan skips
    through: a "<!--" or "-->" of a blanked Outlook marker does not count."""
    spans: list[tuple[int, int]] = []
    pos = 0
    while (opening := scan.search(_COMMENT_OPEN, pos)) is not None:
        closing = scan.search(_COMMENT_CLOSE, opening.end())
        pos = closing.end() if closing else len(scan.text)
        spans.append((opening.start(), pos))
    return spans


# Where a tag or end tag still open at a marker starts: "<td", "</style".
_TAG_OPENING = re.compile("</?[a-zA-Z]")


def _marker_in_tag(text: str, markers: list[tuple[int, int]]) -> bool:
    """Whether a marker sits inside a tag (``<td <!--[if mso]>…``): only then could a scan
    of the source match other than one of the text the parser reads (the marker blanked).
    Linear: each search goes back no further than the ">" that ends the previous marker."""
    for start, _ in markers:
        if _TAG_OPENING.search(text, text.rfind(">", 0, start) + 1, start):
            return True
    return False


def _raw_text_spans(text: str, comments: _Spans) -> list[tuple[int, int]]:
    """The (start, end) offsets of the bodies of <style>, <script>…, whose "<td" in CSS or
    JS is never a tag (an opening or closing tag inside a comment does not count)."""
    scan = _Scan(text, comments)
    spans: list[tuple[int, int]] = []
    pos = 0
    while (opening := scan.search(_RAW_OPEN, pos)) is not None:
        closing = scan.search(_RAW_CLOSE[opening.group(1).lower()], opening.end())
        end = closing.start() if closing else len(text)
        spans.append((opening.end(), end))
        pos = closing.end() if closing else len(text)
    return spans


def _doc_order(node: Node) -> int:
    return node.offset


# Atomic groups (?>…) keep this linear: a stray quote inside a tag must not make the
# engine try every way of splitting the attributes (exponential backtracking).
_START_TAG = re.compile(
    r"""<[^\s>/]+(?>\s+[^\s=>/"']+(?>\s*=\s*(?>"[^"]*"|'[^']*'|[^\s>"']*))?)*\s*/?>"""
)


def _start_tag_end(text: str, offset: int) -> int:
    m = _START_TAG.match(text, offset)
    if m:
        return m.end()
    end = text.find(">", offset)
    return end + 1 if end >= 0 else len(text)


def _parser_input(text: str, markers: list[tuple[int, int]]) -> bytes:
    """The text with the markers blanked, as UTF-8 (a lone surrogate as "?"). The blanked
    copy lives only until it is encoded, before the tree is built."""
    return "".join(unwrapped(text, markers)).encode("utf-8", "replace")


_CHUNK = 1 << 16  # bytes fed to the parser at a time


def _parse(
    data: bytes, maps: _AttributeMaps
) -> tuple[etree._Element, dict[etree._Element, dict[str, str]]]:
    """The tree of UTF-8 bytes, and the attributes of its elements, which it no longer holds.

    Bytes: lxml refuses a str that starts with an XML declaration naming an encoding (the
    XHTML prolog `<?xml version="1.0" encoding="utf-8"?>`). Fed in chunks to libxml2's push
    parser, which builds the tree a parse of the whole builds (tests/test_fuzz.py compares
    them), so that each element's attributes are taken when its start tag is read and
    removed from the tree: libxml2 reuses their memory for the rest of the tree. They were
    half of it (two libxml2 nodes an attribute). Rules read attributes from Node.attrs.
    """
    parser = etree.HTMLPullParser(events=("start",), encoding="utf-8", **_PARSER_OPTIONS)
    attributes: dict[etree._Element, dict[str, str]] = {}
    data = data or b"<html></html>"
    for start in range(0, len(data), _CHUNK):
        parser.feed(data[start : start + _CHUNK])
        _take_attributes(parser, maps, attributes)
    root: etree._Element | None
    try:
        root = parser.close()
    except etree.XMLSyntaxError:  # only white space or comments: no element
        root = None
    _take_attributes(parser, maps, attributes)
    _refuse_cut_short(parser.feed_error_log)
    if root is None:
        root = etree.fromstring(b"<html></html>", etree.HTMLParser(**_PARSER_OPTIONS))
    _adopt_trailing(root)
    _refuse_too_deep(root)
    return root, attributes


def _take_attributes(
    parser: etree.HTMLPullParser,
    maps: _AttributeMaps,
    attributes: dict[etree._Element, dict[str, str]],
) -> None:
    for _, el in parser.read_events():
        attributes[el] = maps.of(el)
        el.attrib.clear()


def _refuse_too_deep(root: etree._Element) -> None:
    """Rules walk an element's ancestors (inherited colours, hidden wrappers), so deep
    nesting multiplies their cost: 200-deep text took 24 s on 2 MiB. Real templates nest
    under 40 deep (the deepest of the 313 bundled ones: 38)."""
    depth = 0
    for event, el in etree.iterwalk(root, events=("start", "end")):
        depth += 1 if event == "start" else -1
        if depth > MAX_DEPTH:
            raise LimitError(f"elements nested more than {MAX_DEPTH} deep", el.sourceline or 0)


def _adopt_trailing(root: etree._Element) -> None:
    """Content after </html> is what browsers (HTML spec, "after after body") put in the
    body; libxml2 2.14 parses it into a second root element that fromstring drops, so a
    <script> there went unseen. Move it into the body, in document order."""
    body = root.find("body")
    home = body if body is not None else root
    for extra in [e for e in root.itersiblings() if isinstance(e.tag, str)]:
        if extra.text and extra.text.strip():
            last = home[-1] if len(home) else None
            # lxml refuses to set text with control characters that libxml2 parsed: such
            # text is dropped (the elements, which rules read, are kept).
            with contextlib.suppress(ValueError):
                if last is None:
                    home.text = (home.text or "") + extra.text
                else:
                    last.tail = (last.tail or "") + extra.text
        home.extend(list(extra))


def _refuse_cut_short(errors: etree._ListErrorLog) -> None:
    """libxml2 stops reading at a resource limit (elements nested 256 deep, say) and
    returns the tree so far: the rest of the file would go unchecked and look clean."""
    for error in errors:
        if error.type_name == "ERR_RESOURCE_LIMIT":
            raise LimitError(
                f"the HTML parser stops here ({error.message.split(',')[0].strip()}), so the"
                " rest of the file cannot be checked",
                error.line,
            )
