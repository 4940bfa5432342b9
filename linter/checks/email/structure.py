"""Generic element checks: an element must exist, or must not."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar

from linter.checks import check
from linter.checks.hits import at_document, at_node
from linter.documents.email import EmailDocument, Node
from linter.findings import Hit
from linter.policy import Policy
from linter.userregex import compile_pattern


@dataclass(frozen=True)
class ElementParams:
    tag: str
    attribute: str = ""  # optional attribute the element must carry
    value: str = ""  # optional regex the attribute value must match (case-insensitive)
    # Team rules' patterns must compile on RE2 (checked when the config loads).
    USER_PATTERNS: ClassVar[tuple[str, ...]] = ("value",)


def _matches(node: Node, p: ElementParams) -> bool:
    if not p.attribute:
        return True
    value = node.get(p.attribute)
    if value is None:
        return False
    return not p.value or compile_pattern(p.value, ignore_case=True).search(value) is not None


@check("requires-element", ElementParams)
def requires_element(doc: EmailDocument, p: ElementParams, policy: Policy) -> Iterator[Hit]:
    """The document must contain the element (with the attribute value, if given)."""
    if not any(_matches(n, p) for n in doc.find(p.tag)):
        yield at_document(doc, "", f"missing {p.tag} {p.attribute}={p.value}")


@check("forbids-element", ElementParams)
def forbids_element(doc: EmailDocument, p: ElementParams, policy: Policy) -> Iterator[Hit]:
    """The element (with the attribute value, if given) must not appear."""
    for node in doc.find(p.tag):
        if _matches(node, p):
            yield at_node(doc, node, "", attr=p.attribute or None)
