"""Open the database (or a demo one) and run the app."""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from bonecoach.services.coach import Coach
from bonecoach.storage.errors import DatabaseDamaged, DatabaseLocked
from bonecoach.storage.paths import resolve_db_dir
from bonecoach.storage.repository import Repository


def open_for_app(folder: Path) -> tuple[Repository, str | None]:
    """Open writable, or read-only with a banner when another bonecoach holds the database."""
    try:
        return Repository(folder), None
    except DatabaseLocked as exc:
        banner = f"Read-only: {exc}"
        return Repository(folder, readonly=True), banner


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
    from bonecoach.tui.app import make_app

    if not sys.stdout.isatty() or not sys.stdin.isatty():
        print(
            "bonecoach: the app needs a terminal. For scripts use a subcommand, e.g. 'bonecoach day --json' "
            "(see 'bonecoach --help').",
            file=sys.stderr,
        )
        return 2
    temporary: str | None = None
    banner: str | None
    try:
        if demo:
            temporary = tempfile.mkdtemp(prefix="bonecoach-demo-")
            repo, banner = Repository(Path(temporary) / "db"), "Demo: a temporary database; nothing here is saved."
            coach = Coach(repo)
            from bonecoach.services.demo import seed_demo

            seed_demo(coach)
        else:
            folder = resolve_db_dir(db_option)
            try:
                repo, banner = open_for_app(folder)
            except DatabaseDamaged as exc:
                return _recover(folder, str(exc))
            coach = Coach(repo)
        app = make_app(coach, banner=banner)
        app.run()
        repo.close()
        if app.restore_message:
            print(app.restore_message)
    finally:
        if temporary:
            shutil.rmtree(temporary, ignore_errors=True)
    return 0
