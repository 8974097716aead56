"""Open the database (or a demo one) and run the app.

The app draws its first frame before the database and the domain (pydantic) are loaded, so the
openers below import them when called, not when this module is imported.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from bonecoach.storage.errors import DatabaseDamaged, DatabaseLocked
from bonecoach.storage.paths import resolve_db_dir

if TYPE_CHECKING:
    from bonecoach.services.coach import Coach
    from bonecoach.storage.repository import Repository


def open_for_app(folder: Path) -> tuple[Repository, str | None]:
    """Open writable, or read-only with a banner when another bonecoach holds the database."""
    from bonecoach.storage.repository import Repository

    try:
        return Repository(folder), None
    except DatabaseLocked as exc:
        banner = f"Read-only for now: {exc} Trying again every second; nothing can be saved until then."
        return Repository(folder, readonly=True), banner


def open_coach(folder: Path) -> tuple[Coach, str | None]:
    """The coach over the database in ``folder``, and the read-only banner if there is one."""
    from bonecoach.services.coach import Coach

    repo, banner = open_for_app(folder)
    if repo.recovered:
        banner = repo.recovered if banner is None else f"{banner}\n{repo.recovered}"
    return Coach(repo), banner


def open_demo(folder: Path) -> tuple[Coach, str | None]:
    """A coach over a new demo database in ``folder``, filled with a few weeks of sample data."""
    from bonecoach.services.coach import Coach
    from bonecoach.services.demo import seed_demo
    from bonecoach.storage.repository import Repository

    coach = Coach(Repository(folder))
    seed_demo(coach)
    return coach, "Demo: a temporary database; nothing here is saved."


def restore_into(folder: Path, name: str) -> str:
    """Restore backup ``name`` into ``folder`` under the lock; a sentence saying what happened."""
    from datetime import datetime

    from bonecoach.storage.backup import restore_backup
    from bonecoach.storage.lock import DatabaseLock

    lock = DatabaseLock(folder)
    lock.acquire(3.0)
    try:
        aside = restore_backup(folder, name, datetime.now())
    finally:
        lock.release()
    kept = f" The previous files are kept in {aside}." if aside else ""
    return f"Restored backup {name}.{kept} Start bonecoach again to carry on."


def _recover(folder: Path, problem: str) -> int:
    from bonecoach.tui.screens.recovery import RecoveryApp

    message = RecoveryApp(folder, problem, lambda name: restore_into(folder, name)).run()
    print(message or f"Nothing was changed. {problem}", file=sys.stderr if not message else sys.stdout)
    return 0 if message else 3


def run_app(db_option: str | None = None, demo: bool = False) -> int:
    """Run the full-screen app until the user quits."""
    from bonecoach.tui import signals
    from bonecoach.tui.app import make_app

    if not sys.stdout.isatty() or not sys.stdin.isatty():
        print(
            "bonecoach: the app needs a terminal. For scripts use a subcommand, e.g. 'bonecoach day --json' "
            "(see 'bonecoach --help').",
            file=sys.stderr,
        )
        return 2
    temporary: str | None = None
    try:
        if demo:
            temporary = tempfile.mkdtemp(prefix="bonecoach-demo-")
            folder = Path(temporary) / "db"
            app = make_app(open_coach=lambda: open_demo(folder))
        else:
            folder = resolve_db_dir(db_option)
            app = make_app(open_coach=lambda: open_coach(folder))
        signals.install(app)
        try:
            app.run()
        finally:
            signals.restore_defaults()
        if app.open_error is not None:
            if isinstance(app.open_error, DatabaseDamaged):
                return _recover(folder, str(app.open_error))
            raise app.open_error  # reported by the command line like any other start-up failure
        coach: Coach | None = getattr(app, "coach", None)  # None when it could not be opened
        if coach is not None:
            coach.repo.close()
        if app.restore_message:
            print(app.restore_message)
    finally:
        if temporary:
            shutil.rmtree(temporary, ignore_errors=True)
    return 0
