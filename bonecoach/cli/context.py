"""The database a command works on, opened for reading or writing, and the clock it reads."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime

from bonecoach.services.coach import Coach
from bonecoach.storage.paths import resolve_db_dir
from bonecoach.storage.repository import Repository

WRITE_LOCK_WAIT = 3.0  # seconds a command waits for another one to finish writing
CLOCK: Callable[[], datetime] = datetime.now  # replaced in tests to fix "now"


@contextmanager
def open_coach(
    args: argparse.Namespace, *, write: bool, clock: Callable[[], datetime] | None = None
) -> Iterator[Coach]:
    """Open the database chosen by ``--db`` / ``BONECOACH_DB`` / the default folder, then release it."""
    folder = resolve_db_dir(args.db)
    # A command takes the lock at its first write, not while it loads: another bonecoach is kept
    # waiting only for the write itself.
    repo = (
        Repository(folder, lock_wait=WRITE_LOCK_WAIT, lock_on_open=False)
        if write
        else Repository(folder, readonly=True)
    )
    if repo.recovered:
        print(f"bonecoach: {repo.recovered}", file=sys.stderr)
    try:
        yield Coach(repo, clock=clock or CLOCK)
    finally:
        repo.close()
