"""Ending at once when the terminal closes (SIGHUP) or on a plain kill (SIGTERM), at any moment.

Every acknowledged change is already on disk (each is one atomic write, and a change of several
files is finished or undone at the next open), so ending the process never loses data; staying
alive does: the lock stays held and the next bonecoach opens read-only. A graceful Textual exit
can block for ever once the terminal is gone (its writer thread dies on the closed terminal and
the main thread then waits on its full queue), so these are plain signal handlers, which run even
while the main thread waits on a lock, and not event-loop callbacks, which would wait for the loop.
"""

from __future__ import annotations

import os
import signal
import threading
from types import FrameType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bonecoach.tui.app import BonecoachApp

GRACE_SECONDS = 0.5  # for SIGTERM: time to restore the terminal before ending regardless


def install(app: BonecoachApp) -> None:
    """Handle SIGHUP and SIGTERM for the app about to run (call from the main thread)."""

    def hang_up(signum: int, frame: FrameType | None) -> None:
        os._exit(128 + signum)  # the terminal is gone: there is nothing to restore

    def terminate(signum: int, frame: FrameType | None) -> None:
        watchdog = threading.Timer(GRACE_SECONDS, os._exit, args=(128 + signum,))
        watchdog.daemon = True
        watchdog.start()
        loop = app.running_loop
        if loop is None or loop.is_closed():
            os._exit(128 + signum)  # not running yet (or any more): nothing to restore
        loop.call_soon_threadsafe(app.exit)  # restores the terminal if it can, within the grace

    signal.signal(signal.SIGHUP, hang_up)
    signal.signal(signal.SIGTERM, terminate)


def restore_defaults() -> None:
    """After the app: back to the default dispositions (the process ends on either)."""
    signal.signal(signal.SIGHUP, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
