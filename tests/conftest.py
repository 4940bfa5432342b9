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
