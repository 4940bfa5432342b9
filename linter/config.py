"""Configuration: `presend.toml` or `[tool.presend]` in pyproject.toml.

Found by walking up from the first input; `--config` names one directly. Every key is
checked against the schema below (see params.py), so a typo is an error naming the
file and key, with a hint, not a silently ignored setting.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Mapping
from datetime import date
from pathlib import Path, PurePosixPath
from types import MappingProxyType
from typing import Any, Literal, NamedTuple

from linter import encodings, sidefiles
from linter import params as P
from linter.catalogue import Catalogue, CatalogueError, Rule, with_team_rules
from linter.findings import Severity
from linter.lazyre import on_first_use
from linter.policy import (
    AccessibilityPolicy,
    ClientsPolicy,
    CompliancePolicy,
    LinksPolicy,
    MergeTagsPolicy,
    MessagePolicy,
    Policy,
    TrackingPolicy,
)
from linter.suggest import close_matches

CONFIG_NAMES = ("presend.toml", "pyproject.toml")
# BCP 47 in the shape email templates use: a 2-3 letter language, then subtags.
_LANGUAGE_TAG = on_first_use(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")
SeverityName = Literal["error", "warning", "info"]


class RunSettings(NamedTuple):
    """What applies to one file (Config.settings_for): its rules, severity already
    resolved, and the policy. Here, not in the engine that reads it, so that loading a config
    (`presend data` too) does not load the HTML engine."""

    rules: tuple[Rule, ...]
    policy: Policy
    unused_suppression: Rule | None = None  # reported when a suppression silences nothing
    # The file's path as fingerprints know it (relative to the config, POSIX), so that
    # "e.html", "./e.html" and "/abs/e.html" are one file to baselines and reviews.
    identity: str = ""


class ConfigError(ValueError):
    """The config is invalid; the message names the file and key."""


class Override(NamedTuple):
    """Settings for files matching `files` (globs relative to the config file)."""

    files: tuple[str, ...]
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: Mapping[str, SeverityName] = MappingProxyType({})


class Waiver(NamedTuple):
    """A documented exception: findings of `rule` in `files` are accepted until `expires`.

    `reason` and `approved_by` default to empty only so that a missing one gets a clear
    error naming the waiver (see _validate); they are required. Matching lives in
    linter/baseline.py.
    """

    rule: str
    files: str | tuple[str, ...]
    expires: date
    reason: str = ""
    approved_by: str = ""

    @property
    def globs(self) -> tuple[str, ...]:
        return (self.files,) if isinstance(self.files, str) else self.files


class ContactsConfig(NamedTuple):
    """How contact files (.csv/.tsv) are read and which standard they meet."""

    schema: str = ""  # Frictionless Table Schema JSON, relative to the config; empty: bundled
    encoding: str = ""  # empty: sniffed (BOM, UTF-16, UTF-8); e.g. "cp1252" to override
    delimiter: str = ""  # empty: sniffed; e.g. ";" or "\t"


class ConfigFile(NamedTuple):
    """The schema of a config file. Keys are kebab-case in TOML."""

    standards: tuple[str, ...] = ()  # empty: every standard
    select: tuple[str, ...] = ()  # empty: every rule of the enabled standards
    ignore: tuple[str, ...] = ()
    fail_on: SeverityName = "error"
    severity: Mapping[str, SeverityName] = MappingProxyType({})
    exclude: tuple[str, ...] = ()  # path globs never linted
    overrides: tuple[Override, ...] = ()
    clients: ClientsPolicy = ClientsPolicy()
    tracking: TrackingPolicy = TrackingPolicy()
    links: LinksPolicy = LinksPolicy()
    compliance: CompliancePolicy = CompliancePolicy()
    merge_tags: MergeTagsPolicy = MergeTagsPolicy()
    accessibility: AccessibilityPolicy = AccessibilityPolicy()
    message: MessagePolicy = MessagePolicy()
    contacts: ContactsConfig = ContactsConfig()
    waivers: tuple[Waiver, ...] = ()
    # The team's own rules: catalogue entries ([[rule]], same keys plus `standard`) that
    # reuse existing checks. Parsed into Rules by catalogue.with_team_rules at load.
    rule: tuple[dict[str, Any], ...] = ()


class Config(NamedTuple):
    file: ConfigFile
    source: Path | None  # None: built-in defaults
    root: Path  # globs in the file are relative to this folder
    catalogue: Catalogue
    cli_select: tuple[str, ...] = ()
    cli_ignore: tuple[str, ...] = ()
    cli_targets: tuple[str, ...] = ()
    contact_columns: tuple[str, ...] = ()  # from the contact files in this run
    contact_columns_source: str = ""  # else from the agreed schema: names it (linter/lint.py)

    @classmethod
    def defaults(cls, catalogue: Catalogue, policy: Policy | None = None) -> Config:
        """Built-in settings, optionally with a team policy (rule examples use this)."""
        p = policy or Policy()
        file = ConfigFile(
            clients=p.clients,
            tracking=p.tracking,
            links=p.links,
            compliance=p.compliance,
            merge_tags=p.merge_tags,
            accessibility=p.accessibility,
            message=p.message,
        )
        return cls(file, None, Path.cwd(), catalogue, contact_columns=p.contact_columns)

    @property
    def policy(self) -> Policy:
        f = self.file
        clients = ClientsPolicy(self.cli_targets) if self.cli_targets else f.clients
        return Policy(
            clients,
            f.tracking,
            f.links,
            f.compliance,
            f.merge_tags,
            self.contact_columns,
            f.accessibility,
            f.message,
            self.contact_columns_source,
        )

    def with_reading(self, encoding: str | None, delimiter: str | None) -> Config:
        """This config with --encoding / --delimiter from the command line applied."""
        c = self.file.contacts
        contacts = c._replace(encoding=encoding or c.encoding, delimiter=delimiter or c.delimiter)
        return self._replace(file=self.file._replace(contacts=contacts))

    @property
    def schema_path(self) -> Path | None:
        """The contact schema the config names (relative to the config file), if any."""
        return self.root / self.file.contacts.schema if self.file.contacts.schema else None

    @property
    def fail_on(self) -> Severity:
        return Severity.parse(self.file.fail_on)

    def excluded(self, path: str) -> bool:
        rel = self._relative(path)
        return any(_glob_match(rel, g) for g in self.file.exclude)

    def settings_for(self, path: str) -> RunSettings:
        """The rules that apply to one file, with severities resolved."""
        f = self.file
        rules = [r for r in self.catalogue.rules if not f.standards or r.standard in f.standards]
        select = self.cli_select or f.select
        ignore = f.ignore + self.cli_ignore
        severity = dict(f.severity)
        rel = self._relative(path)
        for o in f.overrides:
            if any(_glob_match(rel, g) for g in o.files):
                select = o.select or select
                ignore = ignore + o.ignore
                severity.update(o.severity)
        if select:
            chosen = {r.id for ref in select for r in self.catalogue.select(ref)}
            rules = [r for r in rules if r.id in chosen]
        # Opt-in rules (informational, high-volume) run only when named by id or name.
        named = {ref.lower() for ref in select}
        rules = [r for r in rules if not r.opt_in or {r.id.lower(), r.name} & named]
        dropped = {r.id for ref in ignore for r in self.catalogue.select(ref)}
        resolved = []
        for rule in rules:
            if rule.id in dropped:
                continue
            level = _severity_for(rule, severity)
            resolved.append(rule if level is None else rule._replace(severity=level))
        unused = next((r for r in resolved if r.name == "unused-suppression"), None)
        return RunSettings(tuple(resolved), self.policy, unused, self.identity(path))

    def identity(self, path: str) -> str:
        """The path fingerprints use: relative to the config folder (or the working
        folder without a config), POSIX, so spelling the path differently changes nothing."""
        for base in (self.root, Path.cwd()):
            try:
                return Path(path).resolve().relative_to(base.resolve()).as_posix()
            except ValueError:
                continue
        return Path(path).resolve().as_posix()

    def _relative(self, path: str) -> str:
        try:
            return PurePosixPath(Path(path).resolve().relative_to(self.root.resolve())).as_posix()
        except ValueError:
            return PurePosixPath(path).as_posix()


def _glob_match(path: str, pattern: str) -> bool:
    return fnmatch.fnmatch(path, pattern) or fnmatch.fnmatch(path, pattern.rstrip("/") + "/*")


def _severity_for(rule: Rule, table: Mapping[str, SeverityName]) -> Severity | None:
    """Most specific wins: rule id or name, then id prefix, then standard."""
    for key in (rule.id, rule.name):
        if key in table:
            return Severity.parse(table[key])
    prefixes = sorted((k for k in table if rule.id.startswith(k)), key=len, reverse=True)
    if prefixes:
        return Severity.parse(table[prefixes[0]])
    if rule.standard in table:
        return Severity.parse(table[rule.standard])
    return None


def discover(start: Path) -> Path | None:
    """The nearest presend.toml, or pyproject.toml with [tool.presend], at or above start."""
    folder = start if start.is_dir() else start.parent
    for candidate in (folder.resolve(), *folder.resolve().parents):
        for name in CONFIG_NAMES:
            path = candidate / name
            if path.is_file() and (name == "presend.toml" or _has_tool_section(path)):
                return path
    return None


# Text a TOML file cannot give a root `tool` a `presend` key without, however it is spelt:
# the dotted key tool.presend (a table header or a dotted key, quotes and spaces allowed
# around the dot), a [tool] header, a root `tool =`, or a \u or \U escape, which can spell
# any letter of a quoted key. Most pyproject.toml files have none of these, so the one found
# above the inputs need not be parsed (tomllib's import and parse, ~2.5 ms of each run).
_MAY_CONFIGURE = on_first_use(
    r"""tool["']?\s*(?:\.\s*["']?presend|=)|\[\s*["']?tool["']?\s*\]|\\[uU]""", re.IGNORECASE
)


def _has_tool_section(path: Path) -> bool:
    try:
        text = sidefiles.read_text(path, explicit=False)
    except sidefiles.SideFileError:
        return False
    if not _MAY_CONFIGURE().search(text):
        return False
    import tomllib  # as sidefiles.parse_toml does (a run that finds no TOML reads none)

    try:
        data = sidefiles.parse_toml(text, str(path))
    except (sidefiles.SideFileError, tomllib.TOMLDecodeError):
        return False
    tool = data.get("tool")
    return isinstance(tool, dict) and "presend" in tool  # `tool = 5` configures nothing


def load(
    path: Path | None,
    catalogue: Catalogue,
    cli_select: tuple[str, ...] = (),
    cli_ignore: tuple[str, ...] = (),
    cli_targets: tuple[str, ...] = (),
) -> Config:
    if path is None:
        config = Config(
            ConfigFile(), None, Path.cwd(), catalogue, cli_select, cli_ignore, cli_targets
        )
        _check_refs(config, "command line", cli_select + cli_ignore)
        _check_targets(cli_targets, "--target")
        return config
    import tomllib

    try:
        data = sidefiles.parse_toml(sidefiles.read_text(path, explicit=True), str(path))
    except sidefiles.SideFileError as exc:
        raise ConfigError(f"cannot read config: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    where = str(path)
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("presend", {})
        where += ": [tool.presend]"
    try:
        file = P.build(ConfigFile, data, where)
        if file.rule:
            catalogue = with_team_rules(catalogue, list(file.rule), where)
    except (P.ParamError, CatalogueError) as exc:
        raise ConfigError(str(exc)) from None
    config = Config(file, path, path.parent, catalogue, cli_select, cli_ignore, cli_targets)
    _validate(config, where)
    _check_targets(file.clients.targets, f"{where}: clients.targets")
    _check_targets(cli_targets, "--target")
    return config


def _validate(config: Config, where: str) -> None:
    f = config.file
    known = sorted({s.name for s in config.catalogue.standards})
    for i, name in enumerate(f.standards):
        if name not in known:
            raise ConfigError(
                f"{where}: standards[{i}]: unknown standard {name!r}"
                f"{_hint(name, known)} (known: {', '.join(known)})"
            )
    _check_refs(config, f"{where}: select", f.select)
    _check_refs(config, f"{where}: ignore", f.ignore)
    _check_refs(config, f"{where}: severity", tuple(f.severity))
    for i, o in enumerate(f.overrides):
        at = f"{where}: overrides[{i}]"
        if not o.files:
            raise ConfigError(f"{at}.files: expected at least one glob")
        _check_refs(config, f"{at}.select", o.select)
        _check_refs(config, f"{at}.ignore", o.ignore)
        _check_refs(config, f"{at}.severity", tuple(o.severity))
    for i, w in enumerate(f.waivers):
        at = f"{where}: waivers[{i}]"
        missing = [
            k for k, v in (("reason", w.reason), ("approved-by", w.approved_by)) if not v.strip()
        ]
        if missing:
            raise ConfigError(
                f"{at}: a waiver needs {' and '.join(missing)} "
                "(who accepted this exception, and why)"
            )
        if not w.globs:
            raise ConfigError(f"{at}.files: expected at least one glob")
        if config.catalogue.find(w.rule) is None:
            raise ConfigError(
                f"{at}.rule: {w.rule!r} names no rule"
                f"{_hint(w.rule, [r.id for r in config.catalogue.rules])}"
            )
    _check_refs(config, "command line", config.cli_select + config.cli_ignore)
    lang = f.accessibility.lang
    if lang and not _LANGUAGE_TAG().match(lang):
        raise ConfigError(
            f'{where}: accessibility.lang: expected a language tag such as "en" or'
            f' "pt-BR" but got {lang!r}'
        )
    encoding = f.contacts.encoding
    if encoding:
        reason = encodings.problem(encoding)
        if reason:
            raise ConfigError(f"{where}: contacts.encoding: {reason}")
    if len(f.contacts.delimiter.replace("\\t", "\t")) > 1:
        raise ConfigError(
            f"{where}: contacts.delimiter: expected one character but got {f.contacts.delimiter!r}"
        )


def _check_refs(config: Config, where: str, refs: tuple[str, ...]) -> None:
    names = [r.id for r in config.catalogue.rules] + [r.name for r in config.catalogue.rules]
    names += [s.name for s in config.catalogue.standards]
    for ref in refs:
        if not config.catalogue.select(ref):
            raise ConfigError(
                f"{where}: {ref!r} names no rule, id prefix or standard{_hint(ref, names)}"
            )


def _check_targets(specs: tuple[str, ...], where: str) -> None:
    if not specs:
        return  # caniemail's tables load only when targets are named (not for `presend data`)
    from linter.clients import resolve_targets

    for i, spec in enumerate(specs):
        try:
            resolve_targets([spec])
        except ValueError as exc:
            raise ConfigError(f"{where}[{i}]: {exc}") from None


def _hint(value: str, choices: list[str]) -> str:
    match = close_matches(value, choices)
    return f'; did you mean "{match[0]}"?' if match else ""


def load_config(
    config_path: str | None,
    paths: tuple[str, ...],
    select: tuple[str, ...] = (),
    ignore: tuple[str, ...] = (),
    targets: tuple[str, ...] = (),
) -> Config:
    """The config a command runs with: the file given, else the one found from the first
    path (the shipped catalogue plus the team's rules)."""
    from linter import catalogue

    first = next((p for p in paths if p != "-"), ".")
    return load(_config_file(config_path, first), catalogue.load(), select, ignore, targets)


def load_data_config(config_path: str | None, path: str) -> Config:
    """load_config for `presend data`: without a config file nothing refers to another
    standard's rules, so only the contacts standard is loaded (see catalogue.load_contacts)."""
    from linter import catalogue

    found = _config_file(config_path, path)
    if found is None:
        return load(None, catalogue.load_contacts())
    return load(found, catalogue.load())


def _config_file(given: str | None, first: str) -> Path | None:
    """The config file a command names, else the one found from its first path."""
    return Path(given) if given else discover(Path(first))
