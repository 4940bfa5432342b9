"""Change-request review: lint before and after a change, report only what it introduces.

compare.py matches findings by fingerprint; git.py and patch.py produce the before/after
texts; brief.py turns the difference into impact and options per standard; triage.py
handles several requests at once; render.py prints text and JSON (Markdown lives with
the reporters).
"""
