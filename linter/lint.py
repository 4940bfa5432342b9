"""The check pipeline: inputs -> documents -> engine -> findings, for any command to reuse."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, NamedTuple

from linter.config import Config, RunSettings
from linter.documents.decode import Decoded
from linter.documents.email import EmailDocument, lf_lines
from linter.engine import lint_email
from linter.findings import Finding
from linter.limits import LimitError
from linter.sources import (
    InputError,
    Source,
    crash_error,
    decode_file,
    expand,
    kind_of,
    read_bytes,
)

if TYPE_CHECKING:  # a run with --no-cache loads no cache code
    from linter.cache import LintCache


class LintResult(NamedTuple):
    findings: list[Finding]
    files: int
    errors: list[InputError]
    notes: list[str]  # handled surprises, e.g. a charset guess


# Lints one decoded email (given its bytes too); `check --fix` passes one that also repairs it.
EmailLinter = Callable[[Source, bytes, Decoded, RunSettings], list[Finding]]


def lint_text(path: str, text: str, config: Config) -> list[Finding]:
    """Lint one email given as text (used by review, tests and stdin)."""
    settings = config.settings_for(path)
    kind = kind_of(path) or "email"
    if kind in _WHOLE_FILE:
        return _WHOLE_FILE[kind](path, text.encode("utf-8", "surrogateescape"), settings, [])
    return lint_email(EmailDocument(path, text), settings)


class Run(NamedTuple):
    """How to lint a set of sources: the same for every file, so workers can share it."""

    config: Config
    stdin: bytes | None = None
    email: EmailLinter | None = None
    cache: LintCache | None = None  # only for plain linting: fixes write files


# One file's outcome: findings, notes, and the input error that stopped it, if any.
Outcome = tuple[list[Finding], list[str], InputError | None]


def lint_sources(
    sources: Sequence[Source],
    config: Config,
    stdin: bytes | None = None,
    email: EmailLinter | None = None,
    *,
    jobs: int = 1,
    cache: LintCache | None = None,
) -> LintResult:
    """Lint every source; with ``jobs`` > 1 in that many processes. The result is the same
    either way: outcomes are gathered in input order, then findings sorted."""
    found: list[Finding] = []
    errors: list[InputError] = []
    notes: list[str] = []
    if any((kind_of(s.path) or "email") == "email" for s in sources):
        config = _with_agreed_columns(sources, config, errors)
    todo = [s for s in sources if not config.excluded(s.path)]
    run = Run(config, stdin, email, cache if email is None else None)
    # A fix session gathers diffs and notes in this process: --fix/--diff run in one.
    if jobs > 1 and len(todo) > 1 and email is None:
        from linter.workers import lint_in_parallel

        outcomes = lint_in_parallel(run, todo, jobs)
    else:
        outcomes = map(lambda source: lint_source(run, source), todo)
    files = 0
    for findings, more, error in outcomes:
        notes.extend(more)
        if error is None:
            found.extend(findings)
            files += 1
        else:
            errors.append(error)
    found.sort(key=lambda f: f.sort_key)
    return LintResult(found, files, errors, notes)


def lint_source(run: Run, source: Source) -> Outcome:
    """One file, never raising: a bug must not lose the other files' findings."""
    notes: list[str] = []
    try:
        return _lint_one(source, run, notes), notes, None
    except InputError as exc:
        return [], notes, exc
    except LimitError as exc:
        return [], notes, InputError(source.path, exc.located)
    except Exception as exc:
        return [], notes, crash_error(source.path, exc)


def _with_agreed_columns(
    sources: Sequence[Source], config: Config, errors: list[InputError]
) -> Config:
    """The columns templates may read (MRG005): the header of the contact files in the run,
    else the field names of the schema the config names, so a commit that changes only a
    template (a pre-commit hook's batch) is still checked against the agreed columns."""
    if any(kind_of(s.path) == "table" for s in sources):
        config = _with_contact_columns(sources, config)
    if config.contact_columns or config.schema_path is None:
        return config
    from linter.contacts.schema import SchemaError, load_schema

    try:
        schema = load_schema(config.schema_path, named_by=f"{config.source}: contacts.schema")
    except SchemaError as exc:  # the templates are still linted, without MRG005
        # named by the schema file, or by the config key when the file cannot be read
        where = exc.path or str(config.source)
        errors.append(InputError(where, str(exc).removeprefix(f"{where}: ")))
        return config
    names = tuple(f.name for f in schema.fields)
    where = f"the agreed contact schema ({config.file.contacts.schema})"
    return config._replace(contact_columns=names, contact_columns_source=where)


def _with_contact_columns(sources: Sequence[Source], config: Config) -> Config:
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
    return config._replace(contact_columns=tuple(dict.fromkeys(found)))


def _lint_one(source: Source, run: Run, notes: list[str]) -> list[Finding]:
    config = run.config
    kind = kind_of(source.path) or "email"
    if kind == "table":
        try:
            from linter.contacts.lint import lint_table  # heavy imports only when needed
        except ModuleNotFoundError as exc:
            from linter.contacts import missing_data_stack

            message = missing_data_stack(exc)
            if message is None:
                raise
            raise InputError(source.path, message) from None
        return lint_table(source, config)
    data = read_bytes(source, run.stdin)
    settings = config.settings_for(source.path)  # once: it resolves every rule
    cache = run.cache if not source.stdin else None
    key = cache.key(source.path, data, settings) if cache is not None else ""
    if cache is not None and (hit := cache.get(key)) is not None:
        notes.extend(hit.notes)
        return list(hit.findings)
    fresh: list[str] = notes if cache is None else []
    if kind in _WHOLE_FILE:  # never fixed: their HTML is not the file's text
        found = _WHOLE_FILE[kind](source.path, data, settings, fresh)
    else:
        decoded = decode_file(source.path, data, fresh, "HTML")
        if run.email is not None:
            found = run.email(source, data, decoded, settings)
        else:
            # Only the text as EmailDocument reads it is kept: the file's bytes, or its text
            # with CRLF line ends, would add a tenth or a fifth to a large file's peak memory.
            text = lf_lines(decoded.text)
            del data, decoded
            found = lint_email(EmailDocument(source.path, text), settings)
    if cache is not None:
        from linter.cache import Entry

        cache.put(key, Entry(tuple(found), tuple(fresh)))
        notes.extend(fresh)
    return found


def _lint_eml(path: str, data: bytes, settings: RunSettings, notes: list[str]) -> list[Finding]:
    """A message says what its charsets make of its bytes in findings (MSG007), not notes."""
    from linter.messages import lint_eml  # the stdlib email package only when needed

    return lint_eml(path, data, settings)


def _lint_mjml(path: str, data: bytes, settings: RunSettings, notes: list[str]) -> list[Finding]:
    from linter.mjml import lint_mjml  # mrml only when needed

    return lint_mjml(path, data, settings, notes)


# Kinds read whole from their bytes, not decoded as one HTML text: docs/messages.md.
_WHOLE_FILE: dict[str, Callable[[str, bytes, RunSettings, list[str]], list[Finding]]] = {
    "message": _lint_eml,
    "mjml": _lint_mjml,
}


def lint_paths(
    paths: Sequence[str],
    config: Config,
    stdin_filename: str | None = None,
    stdin: bytes | None = None,
    email: EmailLinter | None = None,
    *,
    jobs: int = 1,
    cache: LintCache | None = None,
) -> LintResult:
    sources, errors = expand(paths, stdin_filename)
    result = lint_sources(sources, config, stdin, email, jobs=jobs, cache=cache)
    result.errors[:0] = errors
    return result
