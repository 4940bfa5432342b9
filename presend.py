"""`python -m presend`: the same as the `presend` command (the engine is the `linter` package)."""

from linter.cli import run

if __name__ == "__main__":
    run()
