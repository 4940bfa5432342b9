"""One module per CLI command; each exposes `run(...) -> int` (the exit code)."""

EXIT_CLEAN = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_CRASH = 3  # a bug in presend, not a finding or a user error


class Finished(SystemExit):
    """A command's exit when nothing is left for exit handlers to do (every output written,
    flushed and closed): the `presend` executable then ends without the interpreter's
    teardown (linter.cli.run). Raised by the CLI for commands where that holds."""


# `presend review --format` choices, named here so the CLI need not import review to
# offer them (linter.commands.review.RENDERERS has one renderer for each).
REVIEW_FORMATS = ("text", "json", "markdown", "github", "sarif")
