"""Where the database lives: ``--db PATH``, else ``BONECOACH_DB``, else the user data folder."""

from __future__ import annotations

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
