"""Unified diffs of whole files as bytes, for `--diff` and `review --fix`, that `git apply`
and `patch -p1` accept: lines split at "\\n" only (a CRLF line keeps its "\\r"), the
file's own bytes (not re-encoded), and "\\ No newline at end of file" where due."""

from __future__ import annotations

import difflib

_CONTEXT = 3
_NO_NEWLINE = b"\\ No newline at end of file\n"


def _lines(data: bytes) -> list[bytes]:
    lines = data.split(b"\n")
    tail = lines.pop()
    out = [line + b"\n" for line in lines]
    return [*out, tail] if tail else out


def _emit(prefix: bytes, line: bytes) -> bytes:
    return prefix + line if line.endswith(b"\n") else prefix + line + b"\n" + _NO_NEWLINE


def unified(path: str, before: bytes, after: bytes) -> bytes:
    """The diff turning `before` into `after`, naming the file a/PATH and b/PATH."""
    if before == after:
        return b""
    a, b = _lines(before), _lines(after)
    name = path.lstrip("/").removeprefix("./").encode("utf-8", "surrogateescape")
    out = [b"--- a/" + name + b"\n", b"+++ b/" + name + b"\n"]
    for group in difflib.SequenceMatcher(None, a, b, autojunk=False).get_grouped_opcodes(_CONTEXT):
        i1, i2, j1, j2 = group[0][1], group[-1][2], group[0][3], group[-1][4]
        out.append(b"@@ -%s +%s @@\n" % (_range(i1, i2), _range(j1, j2)))
        for tag, a1, a2, b1, b2 in group:
            if tag == "equal":
                out += [_emit(b" ", line) for line in a[a1:a2]]
                continue
            out += [_emit(b"-", line) for line in a[a1:a2]]
            out += [_emit(b"+", line) for line in b[b1:b2]]
    return b"".join(out)


def _range(start: int, stop: int) -> bytes:
    length = stop - start
    first = start + 1 if length else start
    return b"%d" % first if length == 1 else b"%d,%d" % (first, length)
