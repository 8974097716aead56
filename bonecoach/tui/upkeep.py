"""Looking after the open database while the app runs: the daily check of every file, the
catalog's search index built in the background, taking the lock once another bonecoach lets
go, the recovery offer when a file turns out damaged, and writing an export or a backup."""

from __future__ import annotations

import gc
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from bonecoach.domain.errors import InputError
from bonecoach.services import data
from bonecoach.services.data import DatabaseDamaged, StorageError
from bonecoach.tui.changes import damage_found

if TYPE_CHECKING:
    from bonecoach.tui.app import BonecoachApp


def check_and_preload(app: BonecoachApp) -> None:
    """In a worker thread, once the panes are up: check the files when a backup is due, build
    the search index, and say if the user's rule file was not used."""
    try:
        # Once a day (when a backup is due) read every file, to find damage before it bites.
        # The backup itself is written just before the first change, by the repository.
        if data.checks_due(app.coach):
            data.check_files(app.coach)
    except DatabaseDamaged as exc:
        damage_found(app, str(exc))
    except StorageError as exc:
        app.call_from_thread(app.notify, f"Could not check the database files: {exc}", severity="warning", timeout=15)
    _ = app.coach.catalog.index
    # Every food's inhibitor tags validated here, not when a search first shows the food (a
    # command validates only the foods it touches: catalog.rules.FoodTags).
    app.coach.catalog.tagged()
    # The catalog and its index are large and live as long as the app: moving them out of
    # the collector's reach makes each full collection cheaper (a pause during a key press).
    gc.collect()
    gc.freeze()
    warning = app.coach.rules_warning
    if warning:
        app.call_from_thread(app.notify, warning, title="Rule file", severity="warning", timeout=20)


def retry_lock(app: BonecoachApp) -> bool:
    """Take the lock if the other bonecoach has let go; whether this window is writable now."""
    if not app.coach.try_writable():
        return False
    for banner in app.query("#banner"):
        banner.remove()
    app.sub_title = "bone-health coach"
    app.notify("The other bonecoach has let go of the database: changes are saved again.", title="Writable")
    app.refresh_views()
    if app.lock_retry is not None:
        app.lock_retry.stop()
        app.lock_retry = None
    return True


def offer_recovery(app: BonecoachApp, problem: str) -> None:
    """The recovery screen (once), for a damaged file: restoring a backup ends the app."""
    from bonecoach.tui.screens.recovery import RecoveryScreen

    if any(isinstance(screen, RecoveryScreen) for screen in app.screen_stack):
        return

    def chosen(name: str | None) -> None:
        if name is None:
            app.notify("Nothing was changed. Logging is unsafe until the file is repaired or a backup restored.",
                       severity="error", timeout=20)  # fmt: skip
            return
        app.coach.close()
        app.restore_message = restore_into(app.coach.folder, name)
        app.exit()

    app.push_screen(RecoveryScreen(app.coach.folder, problem), chosen)


FILES = {
    "export": ("Not exported", "Exported", "Everything you stored, as JSON: {path} (readable only by you)."),
    "backup": ("No backup made", "Backup", "Backed up to {path}; restore with 'bonecoach backup restore {path.stem}'."),
}
"""What the app writes on request: what it says when it fails, its title, and where it went."""


def write_file(app: BonecoachApp, what: str) -> None:
    """Write an export or a backup (``FILES``) and say where it went, or why there is none."""
    failed, title, done = FILES[what]
    write: Callable[[], Path] = app.coach.export_to_home if what == "export" else app.coach.backup_now
    try:
        path = write()
    except (InputError, StorageError, OSError) as exc:
        app.notify(f"{failed}: {exc}", severity="error")
        return
    app.notify(done.format(path=path), title=title, timeout=10)


def restore_into(folder: Path, name: str) -> str:
    """Restore backup ``name`` into ``folder`` under the lock; a sentence saying what happened."""
    from bonecoach.clock import wall_clock

    recovered, said = data.restore(folder, name, wall_clock())
    return " ".join(part for part in (recovered, said, "Start bonecoach again to carry on.") if part)
