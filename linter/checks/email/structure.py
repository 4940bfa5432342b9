"""Generic element checks: an element must exist, or must not."""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from linter.checks import check
from linter.checks.hits import at_document, at_node
from linter.documents.email import EmailDocument, Node
from linter.findings import Hit
from linter.policy import Policy
from linter.userregex import compile_pattern


class ElementParams(NamedTuple):
    tag: str
    attribute: str = ""  # optional attribute the element must carry
    value: str = ""  # optional regex the attribute value must match (case-insensitive)

    @property
    def user_patterns(self) -> tuple[str, ...]:
        """The fields holding a regex: a team rule's must compile on RE2 (checked when the
        config loads, linter.userregex.check_user_patterns)."""
        return ("value",)


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
