"""How a database file's text is known in a kept answer's fingerprint (``storage.kept_answers``):
its own module, so that reading a kept answer imports neither TinyDB nor the storage machinery."""

from __future__ import annotations

import hashlib


def text_digest(text: str) -> str:
    """A file's text, hashed (a kept answer is signed as a whole with the user's key)."""
    return hashlib.blake2b(text.encode("utf-8", "surrogateescape"), digest_size=16).hexdigest()
