"""presend: lint email HTML and contact data against agreed marketing standards."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("presend")
except PackageNotFoundError:  # running from a source tree without an install
    __version__ = "0.0.0+source"
