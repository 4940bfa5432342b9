"""The real templates in fixtures/email/corpus: all lint without a crash, with positions."""

from __future__ import annotations

from pathlib import Path

import pytest

from linter.config import Config
from linter.lint import lint_text

CORPUS = Path(__file__).resolve().parent.parent / "fixtures" / "email" / "corpus"
FILES = sorted(CORPUS.glob("*/*.html"))


def test_the_corpus_is_bundled() -> None:
    assert len(FILES) == 290  # 81 from the first families, 209 held out (README)
    for folder in {f.parent for f in FILES}:
        assert (folder / "LICENSE.txt").is_file(), f"{folder} has no licence"


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_template_lints_with_valid_positions(path: Path, default_config: Config) -> None:
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    for finding in lint_text(str(path), text, default_config):
        assert 1 <= finding.line <= len(lines) + 1, finding
        assert finding.column >= 1, finding
        assert finding.message and finding.fingerprint
