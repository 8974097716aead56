"""Full garbage collections while the person is idle, not in the middle of a key press.

Python runs a full collection whenever the long-lived objects have grown by a quarter, which in
this app is about once per logged entry, and each takes 11-25 ms at ten years of history: often
inside a key press (the worst key presses measured 33-38 ms against a 30 ms budget). Here the
collector's own full collections become a rare safety net, and the app collects fully once the
keyboard has been quiet for a moment after some activity.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

QUIET_SECONDS = 2.0
"""How long without input counts as idle."""
SAFETY_NET = 1000
"""Young collections between the collector's own full ones (Python's default is 10)."""


class IdleCollector:
    """Runs ``collect`` once after each burst of activity, when it has been quiet long enough."""

    def __init__(self, clock: Callable[[], float] = time.monotonic, collect: Callable[[], object] = gc.collect) -> None:
        self._clock = clock
        self._collect = collect
        self._last_input = clock()
        self._dirty = False

    def install(self) -> None:
        """Make the collector's own full collections rare (this object runs them instead)."""
        young, middle, _ = gc.get_threshold()
        gc.set_threshold(young, middle, SAFETY_NET)

    def saw_input(self) -> None:
        """Note a key press or click: work, and garbage, may follow."""
        self._last_input = self._clock()
        self._dirty = True

    def tick(self) -> bool:
        """Collect if there was activity and it has been quiet since; True when it collected."""
        if not self._dirty or self._clock() - self._last_input < QUIET_SECONDS:
            return False
        self._dirty = False
        self._collect()
        return True
