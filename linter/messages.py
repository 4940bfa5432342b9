"""Lint a whole message (.eml): the message rules on its headers and parts, and every HTML
standard on its HTML part, with each finding placed in the .eml file (docs/messages.md)."""

from __future__ import annotations

from linter.config import RunSettings
from linter.documents.message import MessageDocument, MessageError, Part
from linter.engine import lint_email, lint_message
from linter.findings import Finding
from linter.sources import InputError


def lint_eml(path: str, data: bytes, settings: RunSettings) -> list[Finding]:
    try:
        doc = MessageDocument(path, data)
    except MessageError as exc:
        raise InputError(path, str(exc)) from None
    found = lint_message(doc, settings)
    html = doc.html_document
    if html is not None and doc.html is not None:
        found += [_in_file(f, doc.html) for f in lint_email(html, settings)]
    return sorted(found, key=lambda f: f.sort_key)


def _in_file(finding: Finding, part: Part) -> Finding:
    """A finding of the HTML part, placed in the .eml (its message says where when the
    part is base64 and no exact place exists)."""
    at = part.place(finding.line, finding.column)
    end = None
    if finding.end_line is not None and finding.end_column is not None and not at.note:
        end = part.place(finding.end_line, finding.end_column)
    message = f"{finding.message} ({at.note})" if at.note else finding.message
    return finding._replace(
        line=at.line,
        column=at.column,
        message=message,
        end_line=end.line if end else None,
        end_column=end.column if end else None,
    )
