"""One module per CLI command; each exposes `run(...) -> int` (the exit code)."""

EXIT_CLEAN = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_CRASH = 3  # a bug in presend, not a finding or a user error

# `presend review --format` choices (review.RENDERERS), known without importing it.
REVIEW_FORMATS = ("github", "json", "markdown", "sarif", "text")
