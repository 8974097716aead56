"""Open the database (or a demo one) and run the app."""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from bonecoach.services.coach import Coach
from bonecoach.storage.errors import DatabaseLocked
from bonecoach.storage.paths import resolve_db_dir
from bonecoach.storage.repository import Repository


def open_for_app(folder: Path) -> tuple[Repository, str | None]:
    """Open writable, or read-only with a banner when another bonecoach holds the database."""
    try:
        return Repository(folder), None
    except DatabaseLocked as exc:
        banner = f"Read-only: {exc}"
        return Repository(folder, readonly=True), banner


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
            repo, banner = open_for_app(resolve_db_dir(db_option))
            coach = Coach(repo)
        make_app(coach, banner=banner).run()
        repo.close()
    finally:
        if temporary:
            shutil.rmtree(temporary, ignore_errors=True)
    return 0
