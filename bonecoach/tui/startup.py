"""The app's start: Today's kept figures on the first frame, then the database, then the rest.

The order is what makes the numbers appear fast: the first frame (the tabs, the footer and
Today's figures kept from the last run if they still hold, ``tui.today_figures``; else Today's
outline) is drawn before anything of the domain is imported; then the database is opened and
Today computed afresh (the same figures, unless something changed); then, after a paint, the
other panes are built. With nothing kept, a helper process computes the figures beside the first
frame (``tui.figures_ahead``) and the app waits for it a moment before opening the database.
"""

from __future__ import annotations

import contextlib
import threading
from typing import TYPE_CHECKING

from textual.widgets import Static

from bonecoach.tui import figures_ahead, upkeep

if TYPE_CHECKING:
    import subprocess
    from collections.abc import Callable

    from bonecoach.tui.app import BonecoachApp

AFTER_PAINT = 0.03
"""Seconds to leave the event loop free for a paint (Textual paints at most 60 times a second)."""
LOCK_RETRY_SECONDS = 1.0  # read-only because another bonecoach held the lock: how often to try again


def paint_kept_then(app: BonecoachApp, open_database: Callable[[], None]) -> None:
    """Before the first frame: paint Today's kept figures (if they hold, ~5 ms: no domain is
    imported). Then, once that frame is on screen, ``open_database``."""
    shown = app.kept_folder is not None and app.today_pane.paint_kept(app.kept_folder, app.hidden_nutrients)
    helper, app.figures_helper = app.figures_helper, None
    if shown:
        # Painting kept figures into the first frame costs one layout, not two (the outline,
        # then the figures): measured, the numbers came ~100 ms sooner than painted after it.
        figures_ahead.stop(helper)  # not needed (it would find them kept too)
        app.set_timer(AFTER_PAINT, open_database)  # Textual paints from a timer: the frame first
    elif helper is not None:
        _wait_for_helper(app, helper, open_database)
    else:
        app.call_after_refresh(open_database)


def _wait_for_helper(app: BonecoachApp, helper: subprocess.Popen[bytes], open_database: Callable[[], None]) -> None:
    """Wait (the loop free to draw the first frame, keys typed ahead kept) for the process that
    computes Today's figures (``tui.figures_ahead``), at most ``WAIT_SECONDS``; paint them if they
    hold, then ``open_database`` after the paint. A thread waits for the process, so its end is
    seen at once (polling from a timer, after the first frame, saw it ~35-50 ms late)."""

    def finish() -> None:
        figures_ahead.stop(helper)  # ended, or taking too long: the app computes them itself
        assert app.kept_folder is not None
        if app.today_pane.paint_kept(app.kept_folder, app.hidden_nutrients):
            # Painted over a frame already drawn: a layout more than the first frame's, so the
            # wait for the paint starts after the next refresh (a timer alone let the database
            # open before the paint in one of four traced starts: the numbers came ~200 ms later).
            app.call_after_refresh(app.set_timer, AFTER_PAINT, open_database)
        else:
            app.call_after_refresh(open_database)  # the first frame may still be to come

    def watch() -> None:
        # A blocking wait, ended by a timer if it takes too long: a wait with a timeout polls in
        # sleeps of up to 50 ms (and took the interpreter lock each time).
        watchdog = threading.Timer(figures_ahead.WAIT_SECONDS, lambda: figures_ahead.stop(helper))
        watchdog.daemon = True
        watchdog.start()
        with contextlib.suppress(OSError):
            helper.wait()
        watchdog.cancel()
        # In the app's context (a bare loop callback lacks it: the panes' timers never fired).
        with contextlib.suppress(RuntimeError):  # the app has ended meanwhile
            app.call_from_thread(finish)

    if helper.poll() is not None:
        finish()
    else:
        threading.Thread(target=watch, name="figures-helper", daemon=True).start()


def show_loaded(app: BonecoachApp, *, given: bool) -> None:
    """Show the open database: banner, Today's data, the other panes, then background work
    (``given``: the coach was handed in, as tests and snapshots do: nothing to hurry)."""
    if app.banner:
        app.mount(Static(app.banner, id="banner"), before="#tabs")
    app.sub_title = "bone-health coach" + (" · read-only" if app.coach.readonly else "")
    if app.coach.readonly:
        # Another bonecoach (or a backup) held the lock at start: keep trying, so this window
        # can save as soon as the other one lets go, rather than staying read-only for good.
        app.lock_retry = app.set_interval(LOCK_RETRY_SECONDS, lambda: upkeep.retry_lock(app))
    if not given:
        app.today_pane.next_up_after = AFTER_PAINT  # Today's numbers are painted before Next up
    app.today_pane.day = app.coach.now().date()
    if app.ask_profile and app.coach.profile() is None and not app.coach.readonly:
        app.action_edit_profile()
    if given:
        # Keys go straight through (panes still mounting are waited for); the panes are built at once.
        app.type_ahead.release()
        app.call_after_refresh(app.mount_hidden_panes)
    else:
        # Textual paints from a timer, and not while widgets are being mounted: waiting a
        # moment lets Today's data reach the screen before the other panes are built (~100 ms).
        app.set_timer(AFTER_PAINT, app.mount_hidden_panes)
