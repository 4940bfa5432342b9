from __future__ import annotations

from pathlib import Path

import pytest

from linter import catalogue
from linter.config import Config

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"


@pytest.fixture(scope="session")
def cat() -> catalogue.Catalogue:
    return catalogue.load()


@pytest.fixture(scope="session")
def default_config(cat: catalogue.Catalogue) -> Config:
    return Config.defaults(cat)


@pytest.fixture(autouse=True, scope="session")
def _cache_outside_the_checkout(tmp_path_factory: pytest.TempPathFactory) -> None:
    """`check` caches findings by default; tests keep that cache in a temporary folder
    (tests/test_cache.py points it elsewhere where it matters)."""
    import os

    os.environ.setdefault("PRESEND_CACHE_DIR", str(tmp_path_factory.mktemp("presend-cache")))
