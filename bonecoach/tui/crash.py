"""An unexpected error in the app: its traceback goes to a log in the user's state folder (0600),
not over the terminal, and the command line says, in a few words, that every change already
confirmed is on disk and where the details are; the process then exits non-zero."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

CRASH_EXIT = 70  # EX_SOFTWARE, as the command line's unexpected errors


def print_or_divert(app: Any, print_them: Callable[[], None]) -> None:
    """At exit: after an unexpected error, write what Textual would print to the crash log (and
    remember where, as ``app.crash_log``); otherwise print as usual (an exit message)."""
    error = getattr(app, "_exception", None)
    renderables = list(getattr(app, "_exit_renderables", []))
    if error is None or not renderables:
        print_them()
        return
    from rich.console import Console

    from bonecoach.services.data import save_crash_report

    buffer = io.StringIO()
    console = Console(file=buffer, width=120, color_system=None, force_terminal=False)
    for renderable in renderables:
        console.print(renderable)
    try:
        app.crash_log = save_crash_report(f"{type(error).__name__}: {error}\n\n{buffer.getvalue()}", datetime.now())
    except Exception as exc:  # the log could not be written: say so, and show the details instead
        app.crash_log_problem = str(exc)
        print_them()
        return
    app._exit_renderables.clear()


def crash_message(log: Path | None, problem: str | None = None) -> str:
    """What the person reads after a crash."""
    where = f"The details are in {log}" if log else f"The details could not be saved ({problem}); they are above"
    return (
        "bonecoach stopped on an unexpected error. Every change it had confirmed is on disk: each is "
        f"written whole before it is confirmed, so nothing confirmed is lost. {where}; please report it."
    )
