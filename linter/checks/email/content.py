"""Content: the copy readers see is the finished copy, not the template's placeholder."""

from __future__ import annotations

import re
from collections.abc import Iterator

from linter.checks import NoParams, check
from linter.checks.email.compliance import walk
from linter.checks.hits import at_node, clip
from linter.documents.email import EmailDocument
from linter.findings import Hit
from linter.policy import Policy

# The printers' dummy text every template gallery ships, and the slot labels templates
# leave for the sender ("Logo here", "Insert headline"). Not "placeholder" or "your
# logo" alone: real copy uses them too.
_SLOT = r"(?:logo|image|picture|photo|text|headline|title|copy|content)"
_LOREM = re.compile(
    rf"\blorem\s+ipsum\b|\bdolor\s+sit\s+amet\b|\binsert\s+(?:your\s+)?{_SLOT}\b"
    rf"|\b{_SLOT}\s+(?:goes\s+)?here\b|\bsnippet\s+text\b",
    re.IGNORECASE,
)


@check("forbids-placeholder-copy", NoParams)
def forbids_placeholder_copy(doc: EmailDocument, p: NoParams, policy: Policy) -> Iterator[Hit]:
    """No lorem ipsum in text or alt text any reader sees (a hidden preheader included:
    the inbox preview shows it). One finding per file, at the first, with the count."""
    found = [(piece, m) for piece in walk(doc, outlook=True) if (m := _LOREM.search(piece.text))]
    if not found:
        return
    first, match = found[0]
    where = "image alt text" if first.image else "text"
    start = match.start()
    rest = len(found) - 1
    more = f" (and {rest} more place{'s' if rest > 1 else ''})" if rest else ""
    yield at_node(
        doc,
        first.node,
        f'The {where} "{clip(first.text[start:], 50)}" is placeholder copy{more}: readers would see'
        " the template's dummy text",
    )
