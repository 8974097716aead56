"""A per-user secret that lets bonecoach know its own derived files from planted ones.

The files bonecoach derives and keeps beside a database (the record of files checked whole, the
kept Next up list) save work only if they can be trusted; anyone who can write into the folder
could write them too. Each is therefore signed with a key that never enters the database folder:
32 random bytes in the user's config folder (``~/.config/bonecoach/derived-files.key``, 0600).
A signature is a keyed BLAKE2b, as fast as the plain hash it replaces. Without a usable key (a
read-only home, a key file that is not the user's) nothing derived is trusted: every file is
checked and every list computed, which is slower and never wrong.
"""

from __future__ import annotations

import functools
import hashlib
import os
import secrets
import stat
from pathlib import Path

from bonecoach.storage.errors import StorageError
from bonecoach.storage.guard import open_regular

KEY_NAME = "derived-files.key"
KEY_BYTES = 32


def key_path() -> Path:
    """Where the key lives: the user config folder (XDG), outside every database folder."""
    from platformdirs import user_config_path

    return user_config_path("bonecoach", appauthor=False) / KEY_NAME


def _read(path: Path) -> bytes | None:
    fd = open_regular(path)
    try:
        if os.fstat(fd).st_mode & (stat.S_IRWXG | stat.S_IRWXO):
            return None  # readable by others: not a secret
        key = os.read(fd, KEY_BYTES + 1)
    finally:
        os.close(fd)
    return key if len(key) == KEY_BYTES else None


def _create(path: Path) -> None:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    try:
        os.write(fd, secrets.token_bytes(KEY_BYTES))
        os.fsync(fd)
    finally:
        os.close(fd)


@functools.lru_cache(maxsize=4)
def _key_at(path: Path) -> bytes | None:
    try:
        return _read(path)
    except FileNotFoundError:
        pass
    except (OSError, StorageError):
        return None
    try:
        _create(path)
    except FileExistsError:
        pass  # another bonecoach made it meanwhile: read theirs
    except OSError:
        return None
    try:
        return _read(path)
    except (OSError, StorageError):
        return None


def user_key() -> bytes | None:
    """The user's key (made on first use), or ``None`` when none can be kept safely."""
    return _key_at(key_path())


def sign(key: bytes, payload: bytes) -> str:
    """The keyed digest of ``payload``: only a holder of ``key`` can produce it."""
    return hashlib.blake2b(payload, key=key, digest_size=16).hexdigest()
