"""The documented input limits (docs/limits.md): past one, an input is refused with a clear
error naming the file and line, never linted partly and reported clean, never a hang."""

from __future__ import annotations

MIB = 1024 * 1024

MAX_HTML_BYTES = 1 * MIB  # 10x Gmail's 102 KB clip, 7x the largest bundled real template
MAX_DEPTH = 80  # nested elements, <html> included: 2x the deepest bundled real template (38)
MAX_ATTRIBUTES = 1000  # on one start tag: libxml2 and lxml handle them in quadratic time
MAX_CSS_NESTING = 100  # brackets inside brackets; tinycss2 recurses once per level
MAX_CSS_DIGITS = 4300  # Python's int() refuses longer digit strings (sys.int_info)
FINDINGS_PER_RULE = 1000  # per file; one more finding says the list was cut there
MAX_SIDE_FILE_BYTES = 16 * MIB  # config, schema, baseline and snapshot files
MAX_SCHEMA_FIELDS = 2000
MAX_PATCH_BYTES = 20 * MIB
MAX_PATCH_HEADER_LINE = 1000  # characters: whatthepatch's header regexes are quadratic
MAX_HEADER_BYTES = 16 * MIB  # a contact file's header line (plus rows to sniff the dialect)
# A contact record this long without an end is most likely an unclosed quote: refused.
MAX_RECORD_BYTES = 64 * MIB


class LimitError(ValueError):
    """An input is past a documented limit; `line` is where (0 when the whole file is)."""

    def __init__(self, message: str, line: int = 0) -> None:
        super().__init__(message)
        self.line = line

    @property
    def located(self) -> str:
        """The message with its line, as input errors show it."""
        return f"line {self.line}: {self}" if self.line else str(self)
