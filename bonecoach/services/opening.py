"""Opening a database for a face: the coach over it, above the facade (``Coach``) so that the
facade's own modules never import it (no import cycle: coach -> data, never data -> coach)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from bonecoach.clock import wall_clock
from bonecoach.services.data import WRITE_LOCK_WAIT
from bonecoach.storage.errors import DatabaseLocked

if TYPE_CHECKING:
    from bonecoach.services.coach import Coach


def open_database(
    folder: Path,
    mode: Literal["app", "read", "write"],
    clock: Callable[[], datetime] | None = None,
    lock_wait: float = WRITE_LOCK_WAIT,
) -> tuple[Coach, str | None]:
    """The coach over ``folder`` and a notice for the user (what was recovered, or why it is
    read-only), if any.

    ``app``: writable, or read-only while another bonecoach holds the lock. ``read``: read-only.
    ``write``: takes the lock at the first write, not while loading, so another bonecoach is kept
    waiting only for the write itself.
    """
    from bonecoach.services.coach import Coach
    from bonecoach.storage.repository import Repository

    banner = None
    if mode == "app":
        try:
            repo = Repository(folder)
        except DatabaseLocked as exc:
            banner = f"Read-only for now: {exc} Trying again every second; nothing can be saved until then."
            repo = Repository(folder, readonly=True)
    elif mode == "read":
        repo = Repository(folder, readonly=True)
    else:
        repo = Repository(folder, lock_wait=lock_wait, lock_on_open=False)
    if repo.recovered:
        banner = repo.recovered if banner is None else f"{banner}\n{repo.recovered}"
    return Coach(repo, clock=clock or wall_clock), banner


def open_demo(folder: Path) -> tuple[Coach, str]:
    """A coach over a new demo database in ``folder``, filled with a few weeks of sample data."""
    from bonecoach.services.coach import Coach
    from bonecoach.services.demo import seed_demo
    from bonecoach.storage.repository import Repository

    coach = Coach(Repository(folder))
    seed_demo(coach)
    return coach, "Demo: a temporary database; nothing here is saved."
