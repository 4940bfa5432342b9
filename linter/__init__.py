"""presend: lint email HTML and contact data against agreed marketing standards."""

# The one place the version is written: pyproject.toml reads it (dynamic version), so
# start-up need not import importlib.metadata (~30 ms) to learn it.
__version__ = "0.1.0"
