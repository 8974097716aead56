"""Where the database lives: ``--db PATH``, else ``BONECOACH_DB``, else the user data folder."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

ENV_VAR = "BONECOACH_DB"


def default_db_dir() -> Path:
    """The per-user data folder for bonecoach (e.g. ``~/.local/share/bonecoach/db``)."""
    from platformdirs import user_data_path

    return user_data_path("bonecoach", appauthor=False) / "db"


def resolve_db_dir(option: str | None, environ: dict[str, str] | None = None) -> Path:
    """The database folder chosen by the command-line option, the environment, or the default."""
    env = os.environ if environ is None else environ
    chosen = option or env.get(ENV_VAR)
    return Path(chosen).expanduser() if chosen else default_db_dir()


def state_dir() -> Path:
    """The per-user state folder for bonecoach (e.g. ``~/.local/state/bonecoach``): logs, not data."""
    from platformdirs import user_state_path

    return user_state_path("bonecoach", appauthor=False)


def derived_dir(root: Path) -> Path:
    """Where what bonecoach derives from the database in ``root`` is kept (the kept Next up list,
    the record of files checked whole): the user cache folder, one folder per database by its
    resolved path, never the database folder, which may be synced to another computer or shared."""
    from platformdirs import user_cache_path

    key = hashlib.blake2b(str(root.resolve()).encode("utf-8", "surrogateescape"), digest_size=8).hexdigest()
    return user_cache_path("bonecoach", appauthor=False) / "databases" / key
