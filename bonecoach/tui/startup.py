"""The app's start: Today's kept figures on the first frame, then the database, then the rest.

The order is what makes the numbers appear fast: the first frame (the tabs, the footer and
Today's figures kept from the last run if they still hold, ``tui.today_figures``; else Today's
outline) is drawn before anything of the domain is imported; then the database is opened and
Today computed afresh (the same figures, unless something changed); then, after a paint, the
other panes are built.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widgets import Static

from bonecoach.tui import upkeep

if TYPE_CHECKING:
    from collections.abc import Callable

    from bonecoach.tui.app import BonecoachApp

AFTER_PAINT = 0.03
"""Seconds to leave the event loop free for a paint (Textual paints at most 60 times a second)."""
LOCK_RETRY_SECONDS = 1.0  # read-only because another bonecoach held the lock: how often to try again


def paint_kept_then(app: BonecoachApp, open_database: Callable[[], None]) -> None:
    """Before the first frame: paint Today's kept figures (if they hold, ~5 ms: no domain is
    imported). Then, once that frame is on screen, ``open_database``."""
    shown = app.kept_folder is not None and app.today_pane.paint_kept(app.kept_folder, app.hidden_nutrients)
    if shown:
        # Painting kept figures into the first frame costs one layout, not two (the outline,
        # then the figures): measured, the numbers came ~100 ms sooner than painted after it.
        app.set_timer(AFTER_PAINT, open_database)  # Textual paints from a timer: the frame first
    else:
        app.call_after_refresh(open_database)


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
