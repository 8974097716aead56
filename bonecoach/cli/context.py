"""The database a command works on, opened for reading or writing, and the clock it reads."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import TYPE_CHECKING

from bonecoach.clock import wall_clock
from bonecoach.services import data, opening

if TYPE_CHECKING:  # the services are imported when a database is opened, not with the parser
    from bonecoach.services.coach import Coach

WRITE_LOCK_WAIT = data.WRITE_LOCK_WAIT  # a module attribute, so that tests can shorten it
CLOCK: Callable[[], datetime] = wall_clock  # replaced in tests to fix "now"


@contextmanager
def open_coach(
    args: argparse.Namespace, *, write: bool, clock: Callable[[], datetime] | None = None
) -> Iterator[Coach]:
    """Open the database chosen by ``--db`` / ``BONECOACH_DB`` / the default folder, then release it."""
    coach, notice = opening.open_database(
        data.database_folder(args.db), "write" if write else "read", clock=clock or CLOCK, lock_wait=WRITE_LOCK_WAIT
    )
    if notice:
        print(f"bonecoach: {notice}", file=sys.stderr)
    try:
        yield coach
    finally:
        coach.close()
