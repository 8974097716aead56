"""The one place bonecoach reads the wall clock.

Everything below the faces takes its time from a clock passed in (``Context(clock=...)``, which
hands the same clock to the repository): tests and snapshots freeze it, and nothing else reads
the time of day. The faces' own timers (a key burst, a lock's wait) measure intervals, not dates.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

Clock = Callable[[], datetime]
"""Local wall-clock time, naive (bonecoach keeps entries in local time)."""


def wall_clock() -> datetime:
    """The local time now."""
    return datetime.now()
