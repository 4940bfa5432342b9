"""Content every client shows but Outlook for Windows: <!--[if !mso]> blocks without a twin.

Code in a downlevel-revealed block (``<!--[if !mso]><!--> … <!--<![endif]-->``) is skipped
by the Word engine. That is the point of the block when an ``<!--[if mso]>`` twin gives
Outlook its own version (the VML button beside the HTML one, the static image beside the
carousel); without one, Outlook readers silently lose a link, an image or text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from linter.checks import NoParams, check
from linter.checks.hits import at_node, clip
from linter.documents.conditionals import Audience, Block
from linter.documents.email import EmailDocument, Node
from linter.findings import Hit
from linter.policy import Policy

_MARKUP = re.compile(r"<!--.*?-->|<[^>]*>|&nbsp;|\s", re.DOTALL)
_HEAD = ("head", "title", "style", "meta", "link", "script")


def _twinned(doc: EmailDocument, block: Block, mso: list[Block]) -> bool:
    """An Outlook-only block sits next to this one: only markup and space between."""
    before = [b for b in mso if b.end <= block.start]
    after = [b for b in mso if b.start >= block.end]
    gaps = []
    if before:
        gaps.append(doc.source[max(b.end for b in before) : block.start])
    if after:
        gaps.append(doc.source[block.end : min(b.start for b in after)])
    return any(not _MARKUP.sub("", gap) for gap in gaps)


def _content(doc: EmailDocument, block: Block) -> list[tuple[Node, str]]:
    """Visible links, images and text that start inside the block, with what they are."""
    found: list[tuple[Node, str]] = []
    inside_links: set[int] = set()
    hidden_from_word = doc.memo(
        "outlook-only-gaps:non-mso",
        lambda: [n for n in doc.nodes if n.audience is Audience.NON_MSO],
    )
    for node in hidden_from_word:
        if not block.start <= node.offset < block.end:
            continue
        if node.tag in _HEAD or doc.is_hidden(node):
            continue
        if any(p.tag == "head" or id(p) in inside_links for p in doc.parents(node)):
            continue  # <head> code, or already counted as part of a link
        if node.tag == "a" and node.get("href"):
            inside_links.add(id(node))
            found.append((node, f'A link ("{clip(node.text(), 40)}")'))
        elif node.tag == "img":
            alt = clip(node.get("alt") or node.get("src") or "", 40)
            found.append((node, f"An image ({alt})"))
        elif (node.el.text or "").strip():
            found.append((node, f'Text ("{clip(node.el.text or "", 40)}")'))
    return found


@check("non-mso-content-has-mso-twin", NoParams)
def non_mso_content_has_mso_twin(doc: EmailDocument, p: NoParams, policy: Policy) -> Iterator[Hit]:
    """Links, images and text in <!--[if !mso]> have an <!--[if mso]> version beside them."""
    blocks = doc.audiences.blocks
    mso = [b for b in blocks if b.audience is Audience.MSO]
    for block in blocks:
        if block.audience is not Audience.NON_MSO or _twinned(doc, block, mso):
            continue
        content = _content(doc, block)
        if content:
            node, what = content[0]
            more = f" and {len(content) - 1} more" if len(content) > 1 else ""
            yield at_node(
                doc,
                node,
                f"{what}{more} is inside <!--[if !mso]> with no <!--[if mso]> version beside"
                " it: Outlook for Windows readers never see it",
            )
