"""The GitHub Action's entry: inputs arrive as environment variables, never as shell text.

action.yml passes `paths` (one per line, so a folder may contain spaces) and `args` (split
like a shell would, but never run by one) in PRESEND_PATHS and PRESEND_ARGS, so an input such
as `x/$(echo INJECTED)` is a path name, not a command.
"""

from __future__ import annotations

import os
import shlex
from collections.abc import Mapping, Sequence


def argv_from_env(env: Mapping[str, str]) -> list[str]:
    """`presend check` arguments for the action's inputs."""
    paths = [line.strip() for line in env.get("PRESEND_PATHS", ".").splitlines() if line.strip()]
    args = shlex.split(env.get("PRESEND_ARGS", ""))
    return ["check", "--format", "github", *args, "--", *(paths or ["."])]


def main(argv: Sequence[str] | None = None) -> None:
    from linter.cli import main as cli

    cli(args=list(argv) if argv is not None else argv_from_env(os.environ), prog_name="presend")


if __name__ == "__main__":
    main()
