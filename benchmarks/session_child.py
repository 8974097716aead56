"""Drive the app headless on a database and print what the parent measures.

    python session_child.py memory DB_DIR   -> "RSS <current kB> <peak kB>" after the first frame,
                                               the Week tab computed and the Log tab opened
    python session_child.py log DB_DIR RUNS -> "LOG <ms> ..." from the Enter that logs a food to the
                                               entry on disk and Today repainted, one per run

Run as a separate process so that memory and timings are not shared with the parent.
"""

from __future__ import annotations

import asyncio
import resource
import sys
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bonecoach.services.coach import Coach
from bonecoach.storage.repository import Repository
from bonecoach.tui.app import BonecoachApp


def rss_kb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


async def memory(db: Path) -> None:
    app = BonecoachApp(Coach(Repository(db), clock=datetime.now), ask_profile=False)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        await pilot.press("f7")
        await app.workers.wait_for_complete()
        await pilot.press("f3")
        await app.workers.wait_for_complete()
        await pilot.pause()
        print("RSS", rss_kb(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, flush=True)


async def log(db: Path, runs: int) -> None:
    from textual import events
    from textual.widgets import Select

    repo = Repository(db, auto_backup=False)
    coach = Coach(repo, clock=datetime.now)
    app = BonecoachApp(coach, ask_profile=False)
    timings, paint = [], []
    async with app.run_test(size=(100, 32)) as pilot:
        await app.workers.wait_for_complete()  # the catalog and search index, loaded in the background
        today = app.query_one("#timeline")
        for n in range(runs):
            await pilot.press("f3", *"sardine bones")
            await pilot.pause()
            await pilot.press("enter")
            app.query_one("#portion", Select).value = "__grams__"
            await pilot.press(*str(80 + n))
            before = today.row_count  # type: ignore[attr-defined]
            focused = app.focused
            assert focused is not None and focused.id == "amount"
            # The key goes to the app as the terminal driver sends it (the
            # Pilot's press() also waits for the whole app to go idle, which is not the user's wait).
            t0 = time.perf_counter()
            app.post_message(events.Key("enter", "\r"))
            while today.row_count == before:  # type: ignore[attr-defined]
                await asyncio.sleep(0)
            logged = time.perf_counter()
            app.screen._compositor_refresh()  # and paint the screen now rather than at the next frame tick
            timings.append(time.perf_counter() - t0)
            paint.append(logged - t0)
            stored = [e for e in repo.entries_on(datetime.now().date()) if e.grams == 80 + n and e.ref == "15088"]
            assert stored, "the entry is not on disk"
    print("LOG", " ".join(f"{t * 1000:.2f}" for t in timings), flush=True)
    print("STORED", " ".join(f"{t * 1000:.2f}" for t in paint), flush=True)


if __name__ == "__main__":
    folder = Path(sys.argv[2])
    if sys.argv[1] == "memory":
        asyncio.run(memory(folder))
    else:
        asyncio.run(log(folder, int(sys.argv[3])))
