"""Change-request review: lint before and after a change, report only what it introduces.

compare.py matches findings by fingerprint; git.py and patch.py produce the before/after
texts; contacts.py reviews contact imports; brief.py turns the difference into impact and
options per standard; triage.py handles several requests at once; render.py prints text
and JSON (the Markdown brief lives with the reporters).

Decisions (the issue and DESIGN.md leave these open):
- "Before" is the merge-base of the base and the change (working tree: HEAD), as a pull
  request shows it, so commits that landed on the base since are not blamed on the request.
  Untracked files count as added in a working-tree review.
- A patch's paths are read from the current folder, with git's a/ and b/ removed, like
  `git apply` from the repository root; a hunk that does not match is an error (exit 2).
- A standard is "broken" when the change adds an unwaived finding at or above --fail-on;
  new findings below it are listed and counted in the verdict's parenthesis only.
- A renamed file is linted on both sides under its new name, so its findings keep their
  fingerprints; OLD NEW folders are matched by relative path and shown at NEW's paths.
- A contact finding is one per rule and column, so its fingerprint survives any change
  in volume: when the same rule hits more rows than in the previous import it counts as
  new (the message gives the delta, "50 more rows than the previous import (1 → 51)"),
  and fewer rows count as fixed.
- The waiver snippet is attached to the rule's own waiver option when the catalogue has
  one ("Waive it for …"); otherwise it is an option of its own, last.
- Requests conflict when their edits touch the same or adjacent base lines (git cannot
  merge those either).
- The suggested waiver lasts 30 days and leaves reason and approver empty: the config
  rejects it until someone fills them in.
"""
