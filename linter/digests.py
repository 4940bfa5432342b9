"""Hash functions from CPython's own modules, hashlib as the fallback: importing hashlib
loads OpenSSL's libcrypto (~4 ms CPU and 3.4 MiB a run) for digests CPython computes
itself, identically (random.py takes SHA-512 from _sha512 likewise)."""

from __future__ import annotations

try:
    from _sha1 import sha1
except ImportError:  # a Python built without its own SHA-1
    from hashlib import sha1
try:
    from _blake2 import blake2b
except ImportError:
    from hashlib import blake2b
try:
    from _sha2 import sha256  # Python 3.12+
except ImportError:
    try:
        from _sha256 import sha256  # Python 3.11
    except ImportError:
        from hashlib import sha256

__all__ = ["blake2b", "sha1", "sha256"]
