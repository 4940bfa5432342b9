"""The standards catalogue: rules/*.toml loaded, validated and typed.

Each file is one standard (`standard`, `prefix`, `title`, `description`) with a list
of `[[rule]]` tables. Loading rejects unknown keys, duplicate ids or names, unknown
checks, bad params and rules without options or examples, naming file and rule id.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple

from linter import params as P
from linter.checks import CheckSpec
from linter.findings import Severity
from linter.policy import Policy
from linter.userregex import Reviewed, UserRegexError, check_user_patterns

_ID = re.compile(r"^[A-Z]{2,4}\d{3}$")
_NAME = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
_RULE_KEYS = {
    "id",
    "name",
    "severity",
    "summary",
    "why",
    "check",
    "params",
    "options",
    "examples",
    "opt-in",
    "fix",
}
# Whether `presend check --fix` repairs a rule's findings: "safe" fixes change nothing a
# recipient sees; "unsafe" ones (only with --unsafe-fixes) may.
FIX_SAFETY = ("safe", "unsafe")
_FILE_KEYS = {"standard", "prefix", "title", "description", "rule"}


class CatalogueError(ValueError):
    """The catalogue (or a team's own rule) is malformed; the message names the place."""


class Option(NamedTuple):
    text: str
    preferred: bool = False


class Examples(NamedTuple):
    bad: tuple[str, ...]
    good: tuple[str, ...]
    # Team policy the examples assume (same shape as the config file's sections).
    config: Policy = Policy()
    # Check params the examples run with instead of the rule's, so a size limit can be
    # shown with a 1 KB example rather than a 102 KB one.
    params: Mapping[str, Any] = MappingProxyType({})


class Shown(NamedTuple):
    """A rule's `options`, `examples` and `params` as read, which Rule.options,
    Rule.examples and Rule.for_examples parse when a report, `presend rule` or a test shows
    or runs them: a lint needs none of them, and parsing every rule's cost each run ~2 ms.
    A team rule's are checked as its config loads (with_team_rules), the shipped ones by
    the tests that run every example."""

    options: object
    examples: object
    params: object
    where: str  # file and rule id, for errors


class Rule(NamedTuple):
    id: str
    name: str
    standard: str
    severity: Severity
    summary: str
    why: str
    shown: Shown
    check: CheckSpec[Any]
    params: object
    # Runs only when selected by id or name: for informational rules whose volume would
    # bury the findings that matter (see README, "Opt-in rules").
    opt_in: bool = False
    fix: str | None = None  # one of FIX_SAFETY, or None: no automatic fix

    @property
    def kind(self) -> str:
        return self.check.kind

    @property
    def fix_hint(self) -> str | None:
        """The sentence `presend rule` and review briefs show for a rule with a fix."""
        if self.fix is None:
            return None
        flags = "--fix --unsafe-fixes" if self.fix == "unsafe" else "--fix"
        what = " (it changes what recipients may see)" if self.fix == "unsafe" else ""
        return f"presend can apply this{what}: `presend check {flags} --select {self.id}`"

    @property
    def options(self) -> tuple[Option, ...]:
        """Ways to fix or accept a finding, preferred first (CatalogueError if malformed)."""
        return _options(self.shown.options, self.shown.where)

    @property
    def examples(self) -> Examples:
        """The rule's examples (CatalogueError if they are malformed)."""
        return _examples(self.shown.examples, self.shown.where)

    def for_examples(self) -> Rule:
        """This rule as its examples run it: their params over the rule's."""
        extra, (_, _, raw_params, where) = self.examples.params, self.shown
        if not extra or not isinstance(raw_params, dict):
            return self
        try:
            params = P.build(self.check.params, {**raw_params, **extra}, f"{where}.examples.params")
        except P.ParamError as exc:
            raise CatalogueError(str(exc)) from None
        except (ValueError, TypeError) as exc:
            raise CatalogueError(f"{where}: {exc}") from None
        return self._replace(params=params)


class Standard(NamedTuple):
    name: str
    prefix: str
    title: str
    description: str
    rules: tuple[Rule, ...]


class Catalogue(NamedTuple):
    standards: tuple[Standard, ...]

    @property
    def rules(self) -> tuple[Rule, ...]:
        return tuple(r for s in self.standards for r in s.rules)

    def find(self, ref: str) -> Rule | None:
        """A rule by id (case-insensitive) or name."""
        ref_l = ref.lower()
        for rule in self.rules:
            if rule.id.lower() == ref_l or rule.name == ref_l:
                return rule
        return None

    def select(self, ref: str) -> tuple[Rule, ...]:
        """Rules a select/ignore entry means: an id, an id prefix, a name or a standard."""
        ref_l = ref.lower()
        return tuple(
            r
            for r in self.rules
            if r.id.lower().startswith(ref_l) or r.name == ref_l or r.standard == ref_l
        )


def _text(raw: dict[str, object], key: str, where: str) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        raise CatalogueError(f"{where}.{key}: expected non-empty text but got {value!r}")
    return value.strip()


def _flag(raw: dict[str, object], key: str, where: str) -> bool:
    value = raw.get(key, False)
    if not isinstance(value, bool):
        raise CatalogueError(f"{where}.{key}: expected true or false but got {value!r}")
    return value


def _fix(raw: dict[str, object], where: str) -> str | None:
    value = raw.get("fix")
    if value is None or value in FIX_SAFETY:
        return value
    raise CatalogueError(f'{where}.fix: expected "safe" or "unsafe" but got {value!r}')


def _options(raw: object, where: str) -> tuple[Option, ...]:
    if not isinstance(raw, list) or not 2 <= len(raw) <= 3:
        raise CatalogueError(f"{where}.options: expected 2 or 3 options but got {raw!r}")
    try:
        options = tuple(P.build(Option, o, f"{where}.options[{i}]") for i, o in enumerate(raw))
    except P.ParamError as exc:
        raise CatalogueError(str(exc)) from None
    if sum(o.preferred for o in options) != 1:
        raise CatalogueError(f"{where}.options: expected exactly one with preferred = true")
    return options


def _examples(raw: object, where: str) -> Examples:
    try:
        examples = P.build(Examples, raw, f"{where}.examples")
    except P.ParamError as exc:
        raise CatalogueError(str(exc)) from None
    if not examples.bad or not examples.good:
        raise CatalogueError(f"{where}.examples: expected at least one bad and one good example")
    return examples


def parse_rule(
    raw: object, standard: str, prefix: str, source: str, checks: dict[str, CheckSpec[Any]]
) -> Rule:
    if not isinstance(raw, dict):
        raise CatalogueError(f"{source}: [[rule]] must be a table")
    rule_id = raw.get("id")
    if not isinstance(rule_id, str) or not _ID.match(rule_id):
        raise CatalogueError(f"{source}: rule id {rule_id!r} is not PREFIX + 3 digits")
    where = f"{source}: {rule_id}"
    if not rule_id.startswith(prefix):
        raise CatalogueError(f"{where}: id must start with the standard's prefix {prefix!r}")
    unknown = sorted(set(raw) - _RULE_KEYS)
    if unknown:
        raise CatalogueError(f"{where}: unknown key(s) {', '.join(unknown)}")
    name = _text(raw, "name", where)
    if not _NAME.match(name):
        raise CatalogueError(f"{where}.name: {name!r} is not kebab-case")
    check_name = _text(raw, "check", where)
    spec = checks.get(check_name)
    if spec is None:
        known = ", ".join(sorted(checks))
        raise CatalogueError(f"{where}.check: unknown check {check_name!r} (known: {known})")
    raw_params = raw.get("params", {})
    try:
        severity = Severity.parse(_text(raw, "severity", where))
        params = P.build(spec.params, raw_params, f"{where}.params")
    except P.ParamError as exc:
        raise CatalogueError(str(exc)) from None  # it names its own place under `where`
    except (ValueError, TypeError) as exc:
        raise CatalogueError(f"{where}: {exc}") from None
    return Rule(
        id=rule_id,
        name=name,
        standard=standard,
        severity=severity,
        summary=_text(raw, "summary", where),
        why=_text(raw, "why", where),
        shown=Shown(raw.get("options"), raw.get("examples"), raw_params, where),
        check=spec,
        params=params,
        opt_in=_flag(raw, "opt-in", where),
        fix=_fix(raw, where),
    )


def parse_standard(text: str, source: str, checks: dict[str, CheckSpec[Any]]) -> Standard:
    import tomllib  # only for a TOML that prepared.json does not hold (see PREPARED)

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CatalogueError(f"{source}: invalid TOML: {exc}") from None
    return standard_from_data(data, source, checks)


def standard_from_data(
    data: dict[str, Any], source: str, checks: dict[str, CheckSpec[Any]]
) -> Standard:
    """A standard from its parsed TOML table (checked here, whichever way it was read)."""
    unknown = sorted(set(data) - _FILE_KEYS)
    if unknown:
        raise CatalogueError(f"{source}: unknown key(s) {', '.join(unknown)}")
    name, prefix = _text(data, "standard", source), _text(data, "prefix", source)
    rules = tuple(parse_rule(r, name, prefix, source, checks) for r in data.get("rule", []))
    ids = [r.id for r in rules]
    if ids != sorted(ids):
        raise CatalogueError(f"{source}: rules must be sorted by id")
    return Standard(
        name, prefix, _text(data, "title", source), _text(data, "description", source), rules
    )


def with_team_rules(cat: Catalogue, raw_rules: list[object], source: str) -> Catalogue:
    """The catalogue plus a team's own rules from its config (existing checks, no Python).

    Each `[[rule]]` names its `standard`: an existing one (the rule joins it) or a new one
    (created, with the id's letters as its prefix). Validation is the catalogue's own.
    """
    from linter.checks.registry import registry  # imports every check module

    checks = registry()
    by_name = {s.name: s for s in cat.standards}
    added: dict[str, list[Rule]] = {}
    taken = {key: f"the {r.standard} rule {r.id}" for r in cat.rules for key in (r.id, r.name)}
    for i, raw in enumerate(raw_rules):
        if not isinstance(raw, dict):
            raise CatalogueError(f"{source}: rule[{i}] must be a table")
        entry = dict(raw)
        standard = entry.pop("standard", "team")
        if not isinstance(standard, str) or not _NAME.match(standard):
            raise CatalogueError(f"{source}: rule[{i}].standard: expected a kebab-case name")
        prefix = re.sub(r"\d+$", "", str(entry.get("id", "")))
        existing = by_name.get(standard)
        if existing is not None and not str(entry.get("id", "")).startswith(existing.prefix):
            prefix = existing.prefix  # parse_rule then names the mismatch
        rule = parse_rule(entry, standard, prefix, f"{source}: rule[{i}]", checks)
        _ = rule.options  # a team rule's options and examples are checked now, not first
        rule.for_examples()  # when a report shows them
        try:
            check_user_patterns(rule.params, f"{source}: rule[{i}]")
        except UserRegexError as exc:
            raise CatalogueError(str(exc)) from None
        for what, key in (("id", rule.id), ("name", rule.name)):
            if key in taken:
                raise CatalogueError(
                    f"{source}: rule[{i}].{what}: {key!r} is already used by {taken[key]}"
                )
            taken[key] = f"rule[{i}]"
        added.setdefault(standard, []).append(rule)
    standards = []
    for std in cat.standards:
        extra = tuple(added.pop(std.name, ()))
        standards.append(std._replace(rules=std.rules + extra) if extra else std)
    for name, rules in added.items():
        standards.append(
            Standard(name, rules[0].id.rstrip("0123456789"), name, "Team rules.", tuple(rules))
        )
    return build_catalogue(standards)


def build_catalogue(standards: list[Standard]) -> Catalogue:
    seen: dict[str, str] = {}
    for rule in (r for s in standards for r in s.rules):
        for key in (rule.id, rule.name):
            if key in seen:
                raise CatalogueError(f"{rule.standard}: {key!r} is used twice")
            seen[key] = rule.id
    return Catalogue(tuple(sorted(standards, key=lambda s: s.name)))


# The rules' TOML as JSON, with the digest of the TOML it was made from: tomllib (pure
# Python) takes ~25 ms for the catalogue, json ~0.4 ms. Written by scripts/gen_docs.py;
# when a TOML file has changed since, its digest no longer matches and the TOML is read.
PREPARED = "prepared.json"


def rules_folder() -> Path:
    """The shipped catalogue's folder: the linter.rules package (rules/ in a checkout).
    Found from the package's file, not importlib.resources, whose zip support costs every
    run ~5 ms of imports (zipfile, tempfile); presend is never run from a zip."""
    import linter.rules

    return Path(linter.rules.__file__).parent


def rule_texts() -> dict[str, str]:
    """The shipped catalogue's TOML files by name, in name order."""
    entries = sorted(rules_folder().iterdir(), key=lambda e: e.name)
    return {e.name: e.read_text(encoding="utf-8") for e in entries if e.name.endswith(".toml")}


def texts_digest(texts: dict[str, str]) -> str:
    """BLAKE2b (linter.digests: without hashlib's OpenSSL), as fast as SHA-256 on 140 KB."""
    from linter.digests import blake2b

    digest = blake2b(digest_size=32)
    for name, text in texts.items():
        digest.update(f"{name}\0{len(text)}\0{text}".encode())
    return digest.hexdigest()


def prepared(texts: dict[str, str]) -> dict[str, Any] | None:
    """The parsed TOML by file name from PREPARED, if it was made from exactly ``texts``."""
    import json

    try:
        data = json.loads((rules_folder() / PREPARED).read_bytes())
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("digest") != texts_digest(texts):
        return None
    tables = data.get("tables")
    return tables if isinstance(tables, dict) else None


def prepare(texts: dict[str, str]) -> str:
    """PREPARED's text for ``texts`` (scripts/gen_docs.py writes it)."""
    import json
    import tomllib

    tables = {name: tomllib.loads(text) for name, text in texts.items()}
    blob = {"digest": texts_digest(texts), "tables": tables}
    return json.dumps(blob, ensure_ascii=False, indent=None, sort_keys=True) + "\n"


@cache
def load() -> Catalogue:
    """The shipped catalogue (inside the package as linter.rules)."""
    from linter.checks.registry import registry  # imports every check module

    checks = registry()
    texts = rule_texts()
    tables = prepared(texts)
    if tables is None:  # a rule was edited and gen_docs.py not yet run: read the TOML
        standards = [parse_standard(text, f"rules/{n}", checks) for n, text in texts.items()]
    else:
        standards = [standard_from_data(tables[n], f"rules/{n}", checks) for n in texts]
    return build_catalogue([_reviewed(s) for s in standards])


@cache
def load_contacts() -> Catalogue:
    """The shipped `contacts` standard alone, for `presend data` without a config file:
    nothing can then select or ignore another standard's rule, so the HTML checks (~0.15 s
    of imports, every one of them) need not load. A test keeps it equal to load()'s."""
    from linter.checks.registry import table_checks

    entry = rules_folder() / "contacts.toml"
    text = entry.read_text(encoding="utf-8")
    standard = parse_standard(text, "rules/contacts.toml", table_checks())
    return build_catalogue([_reviewed(standard)])


def _reviewed(standard: Standard) -> Standard:
    """The shipped standard with its rules' patterns marked `Reviewed` (run on `re`, see
    linter.userregex); a team rule's, built by with_team_rules, stay plain strings."""

    def mark(params: Any) -> Any:
        names = [n for n in getattr(params, "user_patterns", ()) if getattr(params, n)]
        return params._replace(**{n: Reviewed(getattr(params, n)) for n in names})

    rules = tuple(
        r._replace(params=mark(r.params)) if getattr(r.params, "user_patterns", ()) else r
        for r in standard.rules
    )
    return standard._replace(rules=rules)
