"""Listing the contact checks (every presend command loads the rule catalogue) must not import
the heavy libraries the checks themselves use."""

from __future__ import annotations

import subprocess
import sys
from inspect import isfunction

from linter.checks.registry import table_checks
from linter.contacts.checks import CHECKS, TARGETS

HEAVY = ("polars", "pyarrow", "email_validator", "phonenumbers")


def _imported_after(code: str) -> list[str]:
    probe = f"{code}\nimport sys\nprint('\\n'.join(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", probe], check=True, capture_output=True, text=True
    ).stdout
    return [m for m in out.split() if m.split(".")[0] in HEAVY]


def test_loading_the_catalogue_imports_no_dataframe_libraries() -> None:
    assert _imported_after("from linter.catalogue import load; load()") == []


def test_the_data_command_module_imports_them_only_when_run() -> None:
    assert _imported_after("import linter.commands.data") == []
    assert _imported_after("import linter.contacts") == []


def test_every_name_resolves_to_the_function_it_names() -> None:
    for name, target in TARGETS.items():
        module, _, attr = target.partition(":")
        fn = CHECKS[name]
        assert isfunction(fn), name
        assert (fn.__module__, fn.__name__) == (f"linter.contacts.checks.{module}", attr)
    assert list(CHECKS) == list(TARGETS) and len(CHECKS) == len(TARGETS)
    assert "email-syntax" in CHECKS and "no-such-check" not in CHECKS


def test_the_registry_lists_every_contact_check_and_calls_through() -> None:
    specs = table_checks()
    assert set(specs) == set(TARGETS)
    assert all(s.kind == "table" for s in specs.values())
    from datetime import date

    import polars as pl

    from linter.contacts.checks import Batch, Context
    from linter.contacts.schema import load_schema

    batch = Batch(pl.DataFrame({"email": ["a@example.com", "nope"]}))
    ctx = Context(load_schema(None), date(2026, 1, 1), ("email",))
    direct = CHECKS["email-syntax"](batch, ctx, {})
    via = specs["email-syntax"].fn(batch, ctx, {})
    assert [v.column for v in via] == [v.column for v in direct] == ["email"]


def _modules_of_a_data_run(tmp_path: object, *args: str) -> set[str]:
    """The modules a `presend data` process has loaded when it exits."""
    probe = (
        "import sys\nfrom linter.cli import main\n"
        "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
        "sys.stderr.write('\\n'.join(sorted(sys.modules)))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, "data", *args], capture_output=True, text=True, check=False
    )
    return set(done.stderr.split("\n"))


def test_presend_data_loads_no_other_command(tmp_path: object) -> None:
    from pathlib import Path

    folder = Path(str(tmp_path))
    listing = folder / "list.csv"
    listing.write_text("email,first_name\nann@example.com,Ann\n", encoding="utf-8")
    loaded = _modules_of_a_data_run(folder, str(listing))
    assert "polars" in loaded  # the file was checked
    for other in ("linter.lint", "linter.review", "linter.fixes", "linter.reporters.junit"):
        assert other not in loaded, other
    # A file the sniff refuses (its header) is reported before the data stack loads.
    bad = folder / "bad.csv"
    bad.write_bytes(b"email,Email\nann@example.com,x\n")
    assert not {m for m in _modules_of_a_data_run(folder, str(bad)) if m.split(".")[0] in HEAVY}


def test_the_cli_knows_the_formats_without_importing_them() -> None:
    import importlib
    import pkgutil

    import linter.reporters
    from linter.commands import REVIEW_FORMATS
    from linter.commands.review import RENDERERS
    from linter.reporters import FORMATS, renderer

    modules = [m.name for m in pkgutil.iter_modules(linter.reporters.__path__)]
    with_render = [
        m for m in modules if hasattr(importlib.import_module(f"linter.reporters.{m}"), "render")
    ]
    assert sorted(with_render) == sorted(FORMATS)
    assert all(callable(renderer(f)) for f in FORMATS)
    assert sorted(RENDERERS) == sorted(REVIEW_FORMATS)


def test_without_a_config_presend_data_loads_the_contacts_standard_alone(tmp_path: object) -> None:
    from pathlib import Path

    from linter.catalogue import load, load_contacts
    from linter.config import load_data_config
    from linter.contacts.rules import resolved_rules

    def rules(standard: object) -> list[tuple[object, ...]]:
        return [
            (r.id, r.name, r.severity, r.params, r.opt_in, r.check.name)
            for r in standard.rules  # type: ignore[attr-defined]
        ]

    (standard,) = load_contacts().standards
    assert rules(standard) == rules(next(s for s in load().standards if s.name == "contacts"))
    listing = Path(str(tmp_path)) / "list.csv"
    listing.write_text("email\nann@example.com\n", encoding="utf-8")
    light = load_data_config(None, str(listing))
    assert [s.name for s in light.catalogue.standards] == ["contacts"]
    full = load(), load_data_config(None, str(listing))
    assert resolved_rules(str(listing), light) == resolved_rules(str(listing), full[1])
    loaded = _modules_of_a_data_run(tmp_path, str(listing))
    assert "linter.checks.registry" in loaded and "linter.checks.email.accessibility" not in loaded
    # With a config file, its select/ignore may name any rule: the whole catalogue loads.
    (listing.parent / "presend.toml").write_text('ignore = ["ACC001"]\n', encoding="utf-8")
    assert len(load_data_config(None, str(listing)).catalogue.standards) > 1
