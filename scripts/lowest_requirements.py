"""Print pip constraints that pin each runtime dependency to the lowest version pyproject.toml
allows (`name==floor`), for the runtime and the given extras (default: contacts, mjml).

CI installs the development environment under these constraints and runs the tests, so a
floor that no longer holds (an API presend calls that the oldest allowed version lacks, a
parser that reads markup differently) fails there instead of on a user's machine:

    python scripts/lowest_requirements.py > lowest.txt
    pip install -c lowest.txt -e '.[dev]'
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent


def floors(extras: list[str]) -> list[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    texts = list(project["dependencies"])
    for extra in extras:
        texts += project["optional-dependencies"][extra]
    pins = []
    for text in texts:
        req = Requirement(text)
        if req.name == project["name"]:
            continue  # presend[contacts] inside another extra
        lows = [s.version for s in req.specifier if s.operator == ">="]
        if len(lows) != 1:
            raise SystemExit(f"pyproject.toml: {text!r} needs one '>=' floor")
        pins.append(f"{req.name}=={lows[0]}")
    return pins


if __name__ == "__main__":
    print("\n".join(floors(sys.argv[1:] or ["contacts", "mjml"])))
