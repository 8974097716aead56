"""Today's figures computed ahead, by a second process, while the app draws its first frame.

Why: with nothing kept (the first start after a change made elsewhere: a logged command, a sync,
a new day), Today's numbers came ~300 ms after the first frame, because the app imports the
domain, opens the database and computes Today on the thread that draws. On a machine with a
second core the launcher starts this module as a helper at once; it computes Today as the app
would and keeps the figures (``tui.today_figures``, a kept answer fingerprinted by the files it
read), while the app builds its first frame. The app waits for it (at most ``WAIT_SECONDS``; the first
frame is drawn meanwhile), paints the figures if they hold (checked as any kept figures are), then
opens the database and computes afresh as always. The helper opens the database read-only and
writes nothing in it.

    python -m bonecoach.tui.figures_ahead FOLDER
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import subprocess
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from bonecoach.clock import wall_clock

WAIT_SECONDS = 0.8
"""How long the app waits for the helper from its start (the first frame comes ~0.1-0.3 s after):
then about what computing Today itself takes at ten years, so a slow helper costs no more."""


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on Linux
        return os.cpu_count() or 1


def start(folder: Path) -> subprocess.Popen[bytes] | None:
    """Start the helper for the database in ``folder``; None on a single core (it would slow the
    first frame it is meant to run beside) or when it cannot be started."""
    if _cores() < 2:
        return None
    try:
        # -P: the working folder is not put first on the path (``-m`` would: a json.py there
        # would be imported in place of the standard library's).
        return subprocess.Popen(
            [sys.executable, "-P", "-m", "bonecoach.tui.figures_ahead", str(folder)],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
    except OSError:
        return None


def stop(helper: subprocess.Popen[bytes] | None) -> None:
    """End the helper if it still runs, and reap it."""
    if helper is None:
        return
    if helper.poll() is None:
        with contextlib.suppress(OSError):
            helper.kill()
    with contextlib.suppress(subprocess.TimeoutExpired, OSError):
        helper.wait(timeout=5)


def compute_and_keep(
    folder: Path, hidden: frozenset[str] | None = None, clock: Callable[[], datetime] = wall_clock
) -> bool:
    """Keep Today's figures for ``folder`` as the app computes them (``hidden``: the nutrients
    left out, by default the person's setting); False if figures kept earlier still hold."""
    from bonecoach.services import kept_answers
    from bonecoach.services.settings import kept_settings
    from bonecoach.tui.today_figures import kept_words

    if hidden is None:
        hidden = frozenset(kept_settings()[0].hidden)
    words = kept_words(hidden)
    if kept_answers.kept(str(folder), words, clock().date()) is not None:
        return False
    from bonecoach.services.opening import open_database
    from bonecoach.tui.today_figures import figures_for

    coach, _banner = open_database(folder, "read", clock=clock)
    try:
        today = coach.now().date()
        with kept_answers.recording() as reads:
            figures = figures_for(coach, coach.day(today), hidden)
        kept_answers.keep(str(folder), words, today, reads, json.dumps(figures))
    finally:
        coach.close()
    return True


def main(argv: list[str]) -> int:
    """The helper: 0 when the figures are kept (or were already), 1 when they could not be."""
    if len(argv) != 1:
        print("usage: python -m bonecoach.tui.figures_ahead FOLDER", file=sys.stderr)
        return 2
    try:
        compute_and_keep(Path(argv[0]))
    except Exception:  # the app computes them itself as always; nothing is lost
        return 1
    return 0


if __name__ == "__main__":
    gc.disable()  # a short process, as a subcommand (cli.main.run): its objects live until it ends
    status = main(sys.argv[1:])
    sys.stderr.flush()
    # At once: the interpreter's teardown (the domain's objects, the modules) took ~40 ms more,
    # which the app waited for. Everything written is already closed (the kept answer's file).
    os._exit(status)
