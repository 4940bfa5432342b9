"""`python -m presend`: the same as the `presend` command (the engine is the `linter` package)."""

from linter.__main__ import run

if __name__ == "__main__":
    run()
