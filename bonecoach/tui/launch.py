"""Open the database (or a demo one) and run the app.

The app draws its first frame before the database and the domain (pydantic) are loaded, so the
openers below import them when called, not when this module is imported.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bonecoach.services import data, opening
from bonecoach.tui import figures_ahead

if TYPE_CHECKING:
    from bonecoach.services.coach import Coach


def open_coach(folder: Path) -> tuple[Coach, str | None]:
    """The coach over the database in ``folder``, and the banner to show (read-only, recovered)."""
    return opening.open_database(folder, "app")


def _recover(folder: Path, problem: str) -> int:
    from bonecoach.tui.screens.recovery import RecoveryApp
    from bonecoach.tui.upkeep import restore_into

    message = RecoveryApp(folder, problem, lambda name: restore_into(folder, name)).run()
    print(message or f"Nothing was changed. {problem}", file=sys.stderr if not message else sys.stdout)
    return 0 if message else 3


def run_app(db_option: str | None = None, demo: bool = False) -> int:
    """Run the full-screen app until the user quits."""
    if not sys.stdout.isatty() or not sys.stdin.isatty():
        print(
            "bonecoach: the app needs a terminal. For scripts use a subcommand, e.g. 'bonecoach day --json' "
            "(see 'bonecoach --help').",
            file=sys.stderr,
        )
        return 2
    temporary: str | None = None
    helper = None
    try:
        if demo:
            temporary = tempfile.mkdtemp(prefix="bonecoach-demo-")
            folder = Path(temporary) / "db"
            options: dict[str, Any] = {"open_coach": lambda: opening.open_demo(folder)}
        else:
            folder = data.database_folder(db_option)
            # Started before Textual is imported: it computes Today's figures beside the first frame.
            helper = figures_ahead.start(folder)
            options = {"open_coach": lambda: open_coach(folder), "kept_folder": folder, "figures_helper": helper}
        from bonecoach.tui import signals
        from bonecoach.tui.app import make_app

        app = make_app(**options)
        signals.install(app)
        try:
            app.run()
        finally:
            signals.restore_defaults()
        if app.return_code:  # an unexpected error ended it: the terminal is back, say what it means
            from bonecoach.tui.crash import CRASH_EXIT, crash_message

            print(crash_message(getattr(app, "crash_log", None), getattr(app, "crash_log_problem", None)),
                  file=sys.stderr)  # fmt: skip
            return CRASH_EXIT
        if app.open_error is not None:
            if isinstance(app.open_error, data.DatabaseDamaged):
                return _recover(folder, str(app.open_error))
            raise app.open_error  # reported by the command line like any other start-up failure
        coach: Coach | None = getattr(app, "coach", None)  # None when it could not be opened
        if coach is not None:
            coach.close()
        if app.restore_message:
            print(app.restore_message)
    finally:
        figures_ahead.stop(helper)
        if temporary:
            shutil.rmtree(temporary, ignore_errors=True)
    return 0
