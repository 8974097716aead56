"""Ending at once when the terminal closes (SIGHUP) or on a plain kill (SIGTERM), at any moment.

Every acknowledged change is already on disk (each is one atomic write, and a change of several
files is finished or undone at the next open), so ending the process never loses data; staying
alive does: the lock stays held and the next bonecoach opens read-only. A graceful Textual exit
can block for ever once the terminal is gone (its writer thread dies on the closed terminal and
the main thread then waits on its full queue), so these are plain signal handlers, which run even
while the main thread waits on a lock, and not event-loop callbacks, which would wait for the loop.

A Python handler still runs only when the interpreter is free: a worker thread inside one long C
call (a big validation, a garbage collection) holds it for as long as the call lasts, and a watchdog
thread is stuck behind it too. So a small watchdog *process*, forked before the app starts, hears of
each signal through the interpreter's wakeup pipe (written by the C-level handler, at once, whatever
holds the interpreter): after SIGTERM it gives the app its grace to end itself, then ends it and
puts the terminal back as it was (modes, screen, cursor, mouse); after SIGHUP it ends it at once.
It ends when the app does (the pipe closes).
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import termios  # imported here, not in the forked watchdog (which must take no lock)
import threading
import time
from types import FrameType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bonecoach.tui.app import BonecoachApp

GRACE_SECONDS = 0.35  # for SIGTERM: time to restore the terminal before ending regardless
# Leave the alternate screen, show the cursor, stop mouse reports and bracketed paste.
RESET_TERMINAL = b"\x1b[?1049l\x1b[?25h\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1006l\x1b[?1015l\x1b[?2004l"


def install(app: BonecoachApp) -> None:
    """Handle SIGHUP and SIGTERM for the app about to run (call from the main thread, before the
    app takes the terminal)."""

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
    _start_watchdog_process()


def restore_defaults() -> None:
    """After the app: back to the default dispositions (the process ends on either)."""
    signal.signal(signal.SIGHUP, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    with contextlib.suppress(ValueError):
        signal.set_wakeup_fd(-1)


def _start_watchdog_process() -> None:
    read, write = os.pipe()
    os.set_blocking(write, False)
    try:
        saved = _terminal_modes()
        child = os.fork()
    except OSError:
        os.close(read)
        os.close(write)
        return  # no watchdog: the handlers above still end the app whenever the interpreter is free
    if child == 0:
        try:
            os.close(write)
            _watch(read, os.getppid(), saved)
        finally:
            os._exit(0)
    os.close(read)
    signal.set_wakeup_fd(write, warn_on_full_buffer=False)


def _terminal_modes() -> Any:  # termios' own list, or None
    try:
        return termios.tcgetattr(sys.stdin.fileno())
    except (termios.error, OSError, ValueError):
        return None


def _watch(read: int, app_pid: int, saved: Any) -> None:
    """The watchdog process: nothing but waiting on the pipe, then (if need be) ending the app."""
    for name in ("SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT"):  # a signal to the whole group is the app's
        signal.signal(getattr(signal, name), signal.SIG_IGN)
    os.closerange(3, read)  # nothing of the app's (its database lock above all) is held here
    with contextlib.suppress(OSError):
        os.closerange(read + 1, os.sysconf("SC_OPEN_MAX"))
    while True:
        try:
            heard = os.read(read, 64)
        except InterruptedError:
            continue
        if not heard:
            return  # the app has ended
        if signal.SIGHUP in heard:
            _end(app_pid, 0.0, None)
            return
        if signal.SIGTERM in heard:
            _end(app_pid, GRACE_SECONDS + 0.05, saved)  # the app's own watchdog goes first if it can
            return


def _end(app_pid: int, grace: float, saved: Any) -> None:
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        if os.getppid() != app_pid:
            return  # it ended itself (and put the terminal back): this process has a new parent
        time.sleep(0.01)
    if os.getppid() != app_pid:
        return
    with contextlib.suppress(ProcessLookupError):
        os.kill(app_pid, signal.SIGKILL)
    if saved is None:
        return
    with contextlib.suppress(OSError, termios.error):
        termios.tcsetattr(sys.stdin.fileno(), termios.TCSANOW, saved)
        os.write(sys.stdout.fileno(), RESET_TERMINAL)
