"""Build Hits from document places; context text (for fingerprints) is chosen here once."""

from __future__ import annotations

import re

from linter.documents.css import Declaration
from linter.documents.email import EmailDocument, Node
from linter.findings import Hit


def at_node(
    doc: EmailDocument,
    node: Node,
    message: str,
    attr: str | None = None,
    context: str | None = None,
) -> Hit:
    """A hit on an element (or on one of its attributes' values)."""
    line, column = doc.attr_position(node, attr) if attr else (node.line, node.column)
    return Hit(line, column, message, context or doc.start_tag(node), audience=node.audience.value)


def at_declaration(decl: Declaration, node: Node, message: str) -> Hit:
    """A hit on a CSS declaration in a <style> block or style attribute."""
    where = decl.selector or node.tag
    return Hit(
        decl.line, decl.column, message, f"{where} {{{decl.text}}}", audience=node.audience.value
    )


def at_offset(doc: EmailDocument, offset: int, message: str, context: str) -> Hit:
    line, column = doc.position(offset)
    return Hit(line, column, message, context)


def at_document(doc: EmailDocument, message: str, context: str = "document") -> Hit:
    """A hit about the whole file (something missing): reported on the <html> or line 1."""
    html = doc.find("html")
    if html and html[0].offset >= 0:
        return Hit(html[0].line, html[0].column, message, context)
    return Hit(1, 1, message, context)


_SPACE = re.compile(r"\s+")


def clip(text: str, size: int = 80) -> str:
    """A value short enough to quote in a message: white space folded, cut with "…"."""
    text = _SPACE.sub(" ", text).strip()
    return text if len(text) <= size else text[: size - 1] + "…"
