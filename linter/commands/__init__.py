"""One module per CLI command; each exposes `run(...) -> int` (the exit code)."""

EXIT_CLEAN = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_CRASH = 3  # a bug in presend, not a finding or a user error

# `presend review --format` choices, named here so the CLI need not import review to
# offer them (linter.commands.review.RENDERERS has one renderer for each).
REVIEW_FORMATS = ("text", "json", "markdown", "github", "sarif")
