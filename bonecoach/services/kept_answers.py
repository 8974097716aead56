"""The answers of the read commands kept for the next identical call (``storage.kept_answers``):
the faces reach them through here. Imports no pydantic: a kept answer is printed without the domain."""

from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import date

from bonecoach.services.data import database_folder
from bonecoach.storage import kept_answers
from bonecoach.storage.errors import StorageError


def kept(db_option: str | None, words: list[str], day: date) -> str | None:
    """The answer kept for ``words`` on ``day`` in the database chosen by ``db_option``, if it
    still holds. Any doubt (no key, an odd folder) gives None: the command runs and says why."""
    root = database_folder(db_option)
    try:
        return kept_answers.read(root, words, day) if root.is_dir() else None
    except (OSError, StorageError):
        return None


def recording() -> AbstractContextManager[dict[str, str | None]]:
    """Within: the database files read, for ``keep``."""
    from bonecoach.storage.atomic import recording  # TinyDB: only when an answer is computed

    return recording()


def keep(db_option: str | None, words: list[str], day: date, reads: dict[str, str | None], output: str) -> None:
    """Keep ``output``, the answer to ``words`` on ``day`` computed from ``reads``."""
    root = database_folder(db_option)
    if root.is_dir():
        kept_answers.keep(root, words, day, reads, output)
