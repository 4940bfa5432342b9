"""The `presend` command line: click wiring only; the work is in linter.commands.

Each command imports its module when it runs, so `presend check` never loads review,
snapshot or contact-data code (start-up is most of a one-template run).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from linter import GC_THRESHOLDS, __version__
from linter.commands import EXIT_CRASH, EXIT_USAGE, REVIEW_FORMATS, Finished
from linter.reporters import FORMATS
from linter.suggest import close_matches

F = TypeVar("F", bound=Callable[..., Any])

# Options several commands share, defined once so their wording and types stay in step.
config_option = click.option(
    "--config",
    type=click.Path(exists=True, dir_okay=False),
    help="Config file (default: nearest presend.toml or pyproject.toml).",
)
fail_on_option = click.option(
    "--fail-on",
    type=click.Choice(["error", "warning", "info"]),
    help="Lowest severity that fails (default from config: error).",
)


snapshot_dir_option = click.option(
    "--dir",
    "folder",
    default=".presend/snapshots",
    show_default=True,
    help="Folder that keeps the snapshots.",
)


def format_option(choices: list[str]) -> Callable[[F], F]:
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(choices),
        default="text",
        show_default=True,
        help="Output format.",
    )


def output_option(what: str) -> Callable[[F], F]:
    return click.option(
        "--output", "-o", type=click.Path(dir_okay=False), help=f"Write the {what} here."
    )


class _Group(click.Group):
    """User errors: one clear line and exit 2. Crashes: a traceback and exit 3, so a bug
    is never mistaken for findings (1) by CI (pre-commit does the same)."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except _user_errors() as exc:  # evaluated only when something was raised
            click.echo(f"presend: {exc}", err=True)
            sys.exit(EXIT_USAGE)
        except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except Exception:
            import traceback

            traceback.print_exc()
            click.echo(
                f"presend {__version__} crashed: please report this with the input.", err=True
            )
            sys.exit(EXIT_CRASH)


def _user_errors() -> tuple[type[Exception], ...]:
    from linter.catalogue import CatalogueError
    from linter.config import ConfigError

    return (ConfigError, CatalogueError, OSError)  # OutputError is an OSError


_EXIT_CODES = (
    "Exit codes: 0 no finding at or above --fail-on; 1 findings; 2 a usage or input error"
    " (the other files are still reported); 3 a crash in presend itself."
)


@click.group(
    cls=_Group, context_settings={"help_option_names": ["-h", "--help"]}, epilog=_EXIT_CODES
)
@click.version_option(__version__, prog_name="presend")
def main() -> None:
    """Lint email HTML and contact data against your team's agreed standards."""
    import gc

    gc.set_threshold(*GC_THRESHOLDS)  # as the executable did before importing (for tests)


def _report(value: str) -> tuple[str, str]:
    """`--report FORMAT=PATH`, checked: a known format and a path."""
    fmt, sep, path = value.partition("=")
    formats = sorted(FORMATS)
    if not sep or not path or fmt not in formats:
        raise click.BadParameter(
            f"expected FORMAT=PATH with FORMAT one of {', '.join(formats)}, got {value!r}",
            param_hint="--report",
        )
    return fmt, path


def _colour(no_color: bool) -> bool:
    """Colour on a terminal, unless --no-color or NO_COLOR (no-color.org) says otherwise;
    FORCE_COLOR turns it on where there is no terminal (CI logs)."""
    if no_color or os.environ.get("NO_COLOR"):
        return False
    return bool(os.environ.get("FORCE_COLOR")) or sys.stdout.isatty()


@main.command(epilog=_EXIT_CODES)
@click.argument("paths", nargs=-1, required=True)
@format_option(sorted(FORMATS))
@output_option("report")
@config_option
@click.option("--select", multiple=True, help="Only these rules (id, prefix, name, standard).")
@click.option("--ignore", multiple=True, help="Skip these rules (id, prefix, name, standard).")
@click.option(
    "--target",
    "targets",
    multiple=True,
    help="Client targets for client-support, e.g. 'gmail.*' (default from config: global).",
)
@fail_on_option
@click.option("--stdin-filename", help="Name to report for input read from '-'.")
@click.option(
    "--no-color",
    is_flag=True,
    help="Never colour the output (also NO_COLOR; FORCE_COLOR forces it).",
)
@click.option("--quiet", "-q", is_flag=True, help="Show only findings that fail.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when findings fail.")
@click.option(
    "--baseline",
    "baseline",
    type=click.Path(dir_okay=False),
    help="Report only findings not in this baseline (see `presend baseline`).",
)
@click.option("--fix", is_flag=True, help="Apply the safe fixes to the files; report the rest.")
@click.option(
    "--unsafe-fixes",
    is_flag=True,
    help="With --fix or --diff: also fixes that change what recipients may see.",
)
@click.option("--diff", is_flag=True, help="Print the fixes as a unified diff; write nothing.")
@click.option(
    "--report",
    "reports",
    multiple=True,
    metavar="FORMAT=PATH",
    callback=lambda ctx, param, value: tuple(_report(v) for v in value),
    help="Also write the findings in this format to this file (repeat: sarif=a.sarif ...).",
)
@click.option(
    "--show-files", is_flag=True, help="List the files a run lints and those it skips, and why."
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Lint in this many processes (same output, same order).",
)
@click.option("--no-cache", is_flag=True, help="Lint every file again; read and write no cache.")
@click.option(
    "--cache-dir",
    type=click.Path(file_okay=False),
    help="Cache folder (default: $PRESEND_CACHE_DIR, else .presend-cache beside the config).",
)
def check(
    paths: tuple[str, ...],
    fmt: str,
    output: str | None,
    config: str | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    targets: tuple[str, ...],
    fail_on: str | None,
    stdin_filename: str | None,
    no_color: bool,
    quiet: bool,
    exit_zero: bool,
    baseline: str | None,
    fix: bool,
    unsafe_fixes: bool,
    diff: bool,
    reports: tuple[tuple[str, str], ...],
    show_files: bool,
    jobs: int,
    no_cache: bool,
    cache_dir: str | None,
) -> None:
    """Lint emails (.html) and contact files (.csv); folders recurse, '-' reads stdin."""
    from linter.commands import check as check_cmd

    opts = check_cmd.CheckOptions(
        paths,
        fmt,
        output,
        config,
        _split(select),
        _split(ignore),
        _split(targets),
        fail_on,
        stdin_filename,
        color=_colour(no_color),
        quiet=quiet,
        exit_zero=exit_zero,
        baseline=baseline,
        fix=fix,
        unsafe_fixes=unsafe_fixes,
        reports=reports,
        show_files=show_files,
        diff=diff,
        jobs=jobs,
        cache=not no_cache,
        cache_dir=cache_dir,
    )
    # Reports, fixed files and cache entries are written whole and closed; a --jobs pool
    # is shut down: no exit handler has work left, so the teardown is skipped (`run`).
    raise Finished(check_cmd.run(opts))


@main.command()
@click.argument("path")
@click.option(
    "--split",
    nargs=2,
    type=click.Path(dir_okay=False),
    metavar="CLEAN REJECTED",
    help="Write every row to exactly one of these files; rejected rows keep their "
    "values plus _row and _reasons.",
)
@click.option(
    "--schema",
    type=click.Path(exists=True, dir_okay=False),
    help="Frictionless Table Schema JSON (default: config [contacts] schema, or bundled).",
)
@click.option("--encoding", help="Read the file in this encoding instead of sniffing it.")
@click.option("--delimiter", help="Field delimiter instead of sniffing it (use '\\t' for tab).")
@click.option(
    "--engine",
    type=click.Choice(["local", "spark"]),
    default="local",
    show_default=True,
    help="spark: check on Apache Spark (PATH: files, folders or globs on any storage Spark "
    "reads; --split writes two Spark datasets). Needs presend[spark]; docs/scaling.md.",
)
@click.option(
    "--input-format",
    type=click.Choice(["csv", "parquet"]),
    help="With --engine spark: the files' format (default: from PATH's suffix, else csv).",
)
@click.option(
    "--multiline",
    is_flag=True,
    help="With --engine spark: quoted CSV values may hold line breaks (each file is then "
    "read by one task).",
)
@format_option(sorted(FORMATS))
@config_option
@fail_on_option
def data(
    path: str,
    split: tuple[str, str] | None,
    schema: str | None,
    encoding: str | None,
    delimiter: str | None,
    engine: str,
    input_format: str | None,
    multiline: bool,
    fmt: str,
    config: str | None,
    fail_on: str | None,
) -> None:
    """Validate a contact import against the agreed schema; --split quarantines bad rows."""
    from linter.commands import data as data_cmd

    if engine == "local":  # --engine spark reads URIs, folders and globs: Spark checks them
        ctx = click.get_current_context()
        param = next(p for p in ctx.command.params if p.name == "path")
        click.Path(exists=True, dir_okay=False)(path, param, ctx)
    tab = "\t" if delimiter in ("\\t", "tab") else delimiter
    opts = data_cmd.DataOptions(
        path,
        split or None,
        schema,
        encoding,
        tab,
        fmt,
        config,
        fail_on,
        progress=sys.stderr.isatty(),
        engine=engine,
        input_format=input_format,
        multiline=multiline,
    )
    code = data_cmd.run(opts)
    if engine == "local":  # its outputs are committed or gone: no exit handler has work left
        raise Finished(code)
    sys.exit(code)  # Spark's JVM is stopped by an exit handler


@main.command("rules")
@click.option("--standard", help="Only this standard's rules.")
def list_rules(standard: str | None) -> None:
    """List the rule catalogue."""
    from linter.commands import rules as rules_cmd
    from linter.config import load_config

    cat = load_config(None, (".",)).catalogue  # with the team's own rules
    names = [s.name for s in cat.standards]
    if standard and standard not in names:
        close = close_matches(standard, names)
        hint = f'did you mean "{close[0]}"? ' if close else ""
        raise click.BadParameter(
            f"unknown standard; {hint}known: {', '.join(names)}", param_hint="--standard"
        )
    click.echo(rules_cmd.table(cat, standard), nl=False)


@main.command("rule")
@click.argument("ref")
def show_rule(ref: str) -> None:
    """Explain one rule, or a caniemail feature (css-display-flex) across your targets."""
    from linter.commands import clients as clients_cmd
    from linter.commands import rules as rules_cmd
    from linter.config import load_config

    cat = load_config(None, (".",)).catalogue  # with the team's own rules
    rule = cat.find(ref)
    if rule is None and clients_cmd.is_feature(ref):
        click.echo(clients_cmd.explain_feature(ref, clients_cmd.configured_targets()), nl=False)
        return
    if rule is None:
        known = [r.id for r in cat.rules] + [r.name for r in cat.rules]
        known += clients_cmd.feature_slugs()
        close = close_matches(ref, known) or [k for k in known if k.endswith(ref.lower())][:1]
        hint = f'; did you mean "{close[0]}"?' if close else "; see `presend rules`"
        raise click.BadParameter(f"no rule or feature {ref!r}{hint}", param_hint="REF")
    click.echo(rules_cmd.explain(rule), nl=False)


@main.command("clients")
def list_clients() -> None:
    """List caniemail client ids and target presets with what they expand to."""
    from linter.commands import clients as clients_cmd

    click.echo(clients_cmd.table(), nl=False)


@main.command()
@click.option("--force", is_flag=True, help="Overwrite an existing presend.toml.")
def init(force: bool) -> None:
    """Write a commented starter presend.toml in the current folder."""
    from linter.commands import init as init_cmd

    path = init_cmd.run(Path.cwd(), force)
    click.echo(f"Wrote {path}")


@main.command()
@click.argument("paths", nargs=-1)
@click.option("--base", help="Git ref the change targets; reviews the working tree or --head.")
@click.option("--head", help="Git ref holding the change (default: the working tree).")
@click.option(
    "--patch",
    "patches",
    multiple=True,
    type=click.Path(dir_okay=False),
    help="A unified diff to review against the current files (repeatable).",
)
@click.option(
    "--branches",
    multiple=True,
    help="Review every branch matching this glob (e.g. 'cr/*') against --base.",
)
@format_option(sorted(REVIEW_FORMATS))
@output_option("review")
@config_option
@fail_on_option
@click.option("--fix", is_flag=True, help="Propose a patch fixing what the change broke.")
@click.option("--unsafe-fixes", is_flag=True, help="With --fix: also fixes recipients may notice.")
def review(
    paths: tuple[str, ...],
    base: str | None,
    head: str | None,
    patches: tuple[str, ...],
    branches: tuple[str, ...],
    fmt: str,
    output: str | None,
    config: str | None,
    fail_on: str | None,
    fix: bool,
    unsafe_fixes: bool,
) -> None:
    """What a change request would break: OLD NEW, --base REF [PATH...] or --patch FILE."""
    from linter.commands import review as review_cmd

    opts = review_cmd.ReviewOptions(
        paths,
        base,
        head,
        patches,
        branches,
        fmt,
        output,
        config,
        fail_on,
        fix=fix,
        unsafe_fixes=unsafe_fixes,
    )
    sys.exit(review_cmd.run(opts))


@main.command("baseline")
@click.argument("paths", nargs=-1)
@click.option(
    "--output",
    "-o",
    default=".presend-baseline.json",
    show_default=True,
    type=click.Path(dir_okay=False),
    help="Where to write the baseline.",
)
@config_option
def write_baseline(paths: tuple[str, ...], output: str, config: str | None) -> None:
    """Record current findings as accepted, so `check --baseline` fails only on new ones."""
    from linter.commands import baseline as baseline_cmd

    sys.exit(baseline_cmd.run(baseline_cmd.BaselineOptions(paths or (".",), output, config)))


@main.command("snapshot")
@click.argument("paths", nargs=-1)
@snapshot_dir_option
@config_option
def take_snapshot(paths: tuple[str, ...], folder: str, config: str | None) -> None:
    """Append a dated summary of findings (per standard, rule and file)."""
    from linter.commands import snapshot as snapshot_cmd

    sys.exit(snapshot_cmd.snapshot(snapshot_cmd.SnapshotOptions(paths or (".",), folder, config)))


@main.command("report")
@snapshot_dir_option
@click.option(
    "--html",
    "html_path",
    type=click.Path(dir_okay=False),
    help="Also write a self-contained HTML page with a chart here.",
)
def trend_report(folder: str, html_path: str | None) -> None:
    """Show how the agreed standards held over time, from the snapshots."""
    from linter.commands import snapshot as snapshot_cmd

    sys.exit(snapshot_cmd.report(folder, html_path))


def _split(values: tuple[str, ...]) -> tuple[str, ...]:
    """Accept both `--select A --select B` and `--select A,B`."""
    return tuple(v.strip() for value in values for v in value.split(",") if v.strip())


def run() -> None:
    """The `presend` executable (and `python -m linter`, presend.py): `main`, then the end
    of the process made cheap. A command that exits with `Finished` (`check`, a local
    `presend data`) ends the process without the interpreter's teardown, which frees every
    object and module one by one (polars' and pyarrow's ~0.1 s; ~1 % of a one-template
    check) and changes nothing. Other commands may leave work to exit handlers (temporary
    folders, Spark's JVM), so they exit normally, with every object still alive frozen for
    the collector first: its last collection at exit would visit each of them, every rule
    and caniemail table among them, only to free them by reference count anyway. Not done
    in `main`, which tests call many times in one process, where frozen garbage is never
    collected."""
    import gc

    try:
        main()
    except Finished as exc:
        if isinstance(exc.code, int | None):
            try:
                sys.stdout.flush()
                sys.stderr.flush()
            finally:
                os._exit(exc.code or 0)
        raise
    finally:
        gc.freeze()
