"""The check pipeline: inputs -> documents -> engine -> findings, for any command to reuse."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from linter.config import Config
from linter.contacts import missing_data_stack
from linter.documents.decode import Decoded, decode_html
from linter.documents.email import EmailDocument
from linter.engine import RunSettings, lint_email
from linter.findings import Finding
from linter.limits import LimitError
from linter.sources import InputError, Source, crash_error, expand, kind_of, read_bytes


@dataclass
class LintResult:
    findings: list[Finding] = field(default_factory=list)
    files: int = 0
    errors: list[InputError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # handled surprises, e.g. a charset guess


# Lints one decoded email (given its bytes too); `check --fix` passes one that also repairs it.
EmailLinter = Callable[[Source, bytes, Decoded, RunSettings], list[Finding]]


def lint_text(path: str, text: str, config: Config) -> list[Finding]:
    """Lint one email given as text (used by review, tests and stdin)."""
    kind = kind_of(path)
    if kind in ("message", "mjml"):
        return _lint_message_or_mjml(kind, path, text.encode("utf-8", "surrogateescape"), config)
    doc = EmailDocument(path, text)
    return lint_email(doc, config.settings_for(path))


def lint_sources(
    sources: Sequence[Source],
    config: Config,
    stdin: bytes | None = None,
    email: EmailLinter | None = None,
) -> LintResult:
    result = LintResult()
    kinds = {kind_of(s.path) or "email" for s in sources}
    if kinds == {"email", "table"}:
        config = _with_contact_columns(sources, config, result)
    for source in sources:
        if config.excluded(source.path):
            continue
        try:
            result.findings.extend(_lint_one(source, config, stdin, result.notes, email))
            result.files += 1
        except InputError as exc:
            result.errors.append(exc)
        except LimitError as exc:
            result.errors.append(InputError(source.path, exc.located))
        except Exception as exc:  # a bug must not lose the other files' findings
            result.errors.append(crash_error(source.path, exc))
    result.findings.sort(key=lambda f: f.sort_key)
    return result


def _with_contact_columns(sources: Sequence[Source], config: Config, result: LintResult) -> Config:
    """Templates checked with their contact data must only read columns the data has."""
    from linter.contacts.sniff import columns

    reading = config.file.contacts
    found: list[str] = []
    for source in sources:
        if kind_of(source.path) == "table" and not source.stdin:
            try:
                found += columns(
                    source.path,
                    encoding=reading.encoding or None,
                    delimiter=reading.delimiter or None,
                )
            except Exception:  # an unreadable table, or a bug met on it, is reported
                continue  # when the table itself is linted, naming it
    return replace(config, contact_columns=tuple(dict.fromkeys(found)))


def _lint_one(
    source: Source,
    config: Config,
    stdin: bytes | None,
    notes: list[str],
    email: EmailLinter | None = None,
) -> list[Finding]:
    kind = kind_of(source.path) or "email"
    if kind == "table":
        try:
            from linter.contacts.lint import lint_table  # heavy imports only when needed
        except ModuleNotFoundError as exc:
            message = missing_data_stack(exc)
            if message is None:
                raise
            raise InputError(source.path, message) from None
        return lint_table(source, config)
    data = read_bytes(source, stdin)
    if kind in ("message", "mjml"):
        return _lint_message_or_mjml(kind, source.path, data, config)
    decoded = decode_html(data)
    if decoded.note:
        notes.append(f"{source.path}: {decoded.note}")
    if "\x00" in decoded.text:
        raise InputError(source.path, "contains NUL bytes: not an HTML text file")
    if email is not None:
        return email(source, data, decoded, config.settings_for(source.path))
    del data  # only the text is linted: a large file's bytes need not stay in memory
    return lint_text(source.path, decoded.text, config)


def _lint_message_or_mjml(kind: str, path: str, data: bytes, config: Config) -> list[Finding]:
    """Whole messages (.eml) and MJML sources (.mjml): docs/messages.md."""
    if kind == "message":
        from linter.messages import lint_eml

        return lint_eml(path, data, config)
    from linter.mjml import lint_mjml

    return lint_mjml(path, data, config)


def lint_paths(
    paths: Sequence[str],
    config: Config,
    stdin_filename: str | None = None,
    stdin: bytes | None = None,
    email: EmailLinter | None = None,
) -> LintResult:
    sources, errors = expand(paths, stdin_filename)
    result = lint_sources(sources, config, stdin, email)
    result.errors[:0] = errors
    return result
