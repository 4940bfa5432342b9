"""`presend rules` and `presend rule`: the catalogue for people."""

from __future__ import annotations

import textwrap

from linter.catalogue import Catalogue, Rule


def table(cat: Catalogue, standard: str | None = None) -> str:
    rules = [r for r in cat.rules if standard is None or r.standard == standard]
    rows = [("ID", "NAME", "STANDARD", "SEVERITY", "FIX", "SUMMARY")]
    rows += [(r.id, r.name, r.standard, r.severity.value, r.fix or "-", r.summary) for r in rules]
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    lines = [
        "  ".join(cell.ljust(w) for cell, w in zip(row[:5], widths, strict=True)) + "  " + row[5]
        for row in rows
    ]
    return "\n".join(lines) + "\n"


def explain(rule: Rule) -> str:
    wrap = textwrap.TextWrapper(width=88, initial_indent="  ", subsequent_indent="  ")
    out = [
        f"{rule.id} {rule.name} [{rule.severity.value}] ({rule.standard})",
        "",
        wrap.fill(rule.summary),
        "",
        "Why it matters:",
        wrap.fill(rule.why),
        "",
        "Options:",
    ]
    for option in rule.options:
        mark = "preferred: " if option.preferred else ""
        out.append(
            textwrap.fill(
                f"- {mark}{option.text}", 88, initial_indent="  ", subsequent_indent="    "
            )
        )
    if rule.fix_hint:
        out += ["", f"  {rule.fix_hint}"]  # unwrapped: the command is copied whole
    if rule.examples.params:
        shown = ", ".join(f"{k} = {v!r}" for k, v in rule.examples.params.items())
        out += ["", f"The examples run with {shown} to stay short."]
    for label, snippets in (("Fails", rule.examples.bad), ("Passes", rule.examples.good)):
        out += ["", f"{label}:"]
        out += [textwrap.indent(s.strip(), "    ") for s in snippets]
    return "\n".join(out) + "\n"
