"""Automatic fixes: minimal text edits at exact offsets in the original source.

A fixer (fixers/) turns one finding into Edits; edits.py orders them and drops
overlapping ones; encoded.py maps the parsed text back to the file's own line endings
and bytes; runner.py applies, re-lints and repeats until nothing more is fixable.
Nothing is re-serialised by a parser, so every byte outside an edit stays as it was.
"""
