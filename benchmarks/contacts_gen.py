"""Generate a synthetic contact list with a known number of injected defects per rule.

    python benchmarks/contacts_gen.py OUT.csv ROWS [--seed N]

Every defect row carries exactly one defect, so the expected count for each rule is exact;
`generate()` returns those counts (rule id → rows) and the number of rows to be rejected.
"""

from __future__ import annotations

import argparse
import csv
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HEADER = [
    "email",
    "first_name",
    "last_name",
    "company",
    "phone",
    "country",
    "language",
    "signup_date",
    "consent",
    "lead_source",
    "customer_id",
    "notes",
]
FIRST = ["ann", "bob", "carla", "dev", "emma", "farid", "grace", "hiro", "ines", "jon"]
LAST = ["smith", "jones", "garcia", "chen", "okafor", "muller", "rossi", "kim", "silva", "nowak"]
DOMAINS = [
    "example.com",
    "acme.co.uk",
    "gmail.com",
    "outlook.com",
    "yahoo.com",
    "corp.example",
    "shop.example.org",
    "icloud.com",
]
COUNTRIES = ["GB", "US", "DE", "FR", "ES", "IE", "NL", "SE"]
# rule id → (share of rows, is an error so the row is rejected)
DEFECTS: dict[str, tuple[float, bool]] = {
    "DAT001": (0.004, True),
    "DAT002": (0.004, True),
    "DAT003": (0.003, False),
    "DAT004": (0.003, True),
    "DAT005": (0.003, True),
    "DAT006": (0.003, True),
    "DAT007": (0.003, True),
    "DAT008": (0.002, True),
    "DAT009": (0.003, True),
    "DAT010": (0.004, True),
    "DAT011": (0.002, True),
    "DAT012": (0.002, True),
    "DAT013": (0.002, True),
    "DAT014": (0.002, True),
    "DAT015": (0.002, True),
    "DAT017": (0.002, True),
    "DAT018": (0.002, True),
    "DAT019": (0.002, True),
    "DAT021": (0.003, False),
}


@dataclass(frozen=True)
class Expected:
    rows: int
    rejected: int
    counts: dict[str, int]


def _clean_row(i: int, rnd: random.Random) -> dict[str, str]:
    first, last = FIRST[i % 10], LAST[(i // 10) % 10]
    return {
        "email": f"{first}.{last}{i}@{DOMAINS[i % len(DOMAINS)]}",
        "first_name": first.title(),
        "last_name": last.title(),
        "company": f"Company {i % 997}",
        "phone": f"+4479{rnd.randrange(10**8):08d}",
        "country": COUNTRIES[i % len(COUNTRIES)],
        "language": "en-GB",
        "signup_date": f"20{10 + i % 14}-{1 + i % 12:02d}-{1 + i % 28:02d}",
        "consent": "yes",
        "lead_source": "website form",
        "customer_id": str(i + 1),
        "notes": f"note {i}, from the spring fair",
    }


# rule id → (column to change, its defective value from (row, earlier clean row, user part))
INJECT: dict[str, tuple[str, Callable[[dict[str, str], dict[str, str], str], str]]] = {
    "DAT001": ("email", lambda r, e, u: f"{u}.example.com"),
    "DAT002": ("email", lambda r, e, u: e["email"].upper()),
    "DAT003": ("email", lambda r, e, u: f"info@{u}.example.com"),
    "DAT004": ("email", lambda r, e, u: f"{u}@mailinator.com"),
    "DAT005": ("email", lambda r, e, u: f"{u}@gmial.com"),
    "DAT006": ("phone", lambda r, e, u: "12"),
    "DAT007": ("signup_date", lambda r, e, u: "31/12/2020"),
    "DAT008": ("signup_date", lambda r, e, u: "2999-01-01"),
    "DAT009": ("country", lambda r, e, u: "XX"),
    "DAT010": ("consent", lambda r, e, u: "no"),
    "DAT011": ("lead_source", lambda r, e, u: "purchased list"),
    "DAT012": ("notes", lambda r, e, u: '=HYPERLINK("http://evil.example")'),
    "DAT013": ("email", lambda r, e, u: ""),
    "DAT014": ("customer_id", lambda r, e, u: e["customer_id"]),
    "DAT015": ("language", lambda r, e, u: "English"),
    "DAT017": ("first_name", lambda r, e, u: "A" * 101),
    "DAT018": ("customer_id", lambda r, e, u: f"-{r['customer_id']}"),
    "DAT019": ("customer_id", lambda r, e, u: f"C-{r['customer_id']}"),
    "DAT021": ("first_name", lambda r, e, u: ""),
}


def _inject(rule: str, row: dict[str, str], earlier: dict[str, str]) -> None:
    """Give `row` exactly one defect for `rule`; `earlier` is a clean row before it."""
    column, make = INJECT[rule]
    row[column] = make(row, earlier, row["email"].split("@")[0])


def generate(path: str | Path, rows: int, seed: int = 1) -> Expected:
    """Write `rows` data rows to `path`; return the exact defect counts injected."""
    rnd = random.Random(seed)
    rules = list(DEFECTS)
    weights = [DEFECTS[r][0] for r in rules]
    clean_share = 1.0 - sum(weights)
    counts: Counter[str] = Counter()
    rejected = 0
    earlier: dict[str, str] | None = None
    with open(path, "w", encoding="utf-8", newline="") as fh:
        out = csv.DictWriter(fh, fieldnames=HEADER, lineterminator="\n")
        out.writeheader()
        for i in range(rows):
            row = _clean_row(i, rnd)
            pick = rnd.choices([*rules, ""], weights=[*weights, clean_share])[0]
            if pick and earlier is not None:
                _inject(pick, row, earlier)
                counts[pick] += 1
                rejected += DEFECTS[pick][1]
            elif not pick:
                earlier = row  # duplicates copy a clean row, so each adds exactly one defect
            out.writerow(row)
    return Expected(rows, rejected, dict(counts))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("rows", type=int)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    exp = generate(args.out, args.rows, args.seed)
    print(f"{exp.rows:,} rows, {exp.rejected:,} to reject: {dict(sorted(exp.counts.items()))}")


if __name__ == "__main__":
    main()
