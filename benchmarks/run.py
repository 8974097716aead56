"""Run bonecoach's benchmarks and print a table of figures (median of several runs).

    python benchmarks/run.py [--runs N]

These print measurements; they are not pass/fail tests. Budgets are printed beside figures.
"""

from __future__ import annotations

import argparse
import fcntl
import gc
import os
import pty
import select
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
import zipfile
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))


def time_to_screen_text(
    command: list[str], texts: list[str], timeout: float = 20.0, env: dict[str, str] | None = None
) -> dict[str, float]:
    """Seconds from starting ``command`` in an 80x24 terminal until each text is on its screen.

    The app runs as a person runs it: in a pseudo-terminal, drawing with escape codes; the
    output is read as it comes and searched for each text. Ctrl+Q ends it.
    """
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    env = {**(env or os.environ), "TERM": "xterm-256color"}
    start = time.perf_counter()
    # From a neutral folder: ``python -m`` puts the working folder first on the path.
    process = subprocess.Popen(command, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True,
                               cwd=tempfile.gettempdir())  # fmt: skip
    os.close(slave)
    seen = b""
    found: dict[str, float] = {}
    try:
        while len(found) < len(texts) and time.perf_counter() - start < timeout:
            if select.select([master], [], [], 0.05)[0]:
                seen += os.read(master, 65536)
                for text in texts:
                    if text not in found and text.encode() in seen:
                        found[text] = time.perf_counter() - start
        os.write(master, b"\x11")  # ctrl+q
        # Keep reading while it quits: a full terminal buffer would block its last writes.
        quit_by = time.perf_counter() + 10
        while process.poll() is None and time.perf_counter() < quit_by:
            if select.select([master], [], [], 0.05)[0]:
                try:
                    os.read(master, 65536)
                except OSError:
                    break
        process.wait(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
        os.close(master)
    if len(found) < len(texts):
        raise RuntimeError(f"{command} never showed {[t for t in texts if t not in found]}")
    return found


_INSTALLED: dict[bool, dict[str, str]] = {}


def installed_env(compiled: bool = True) -> dict[str, str]:
    """The environment that runs bonecoach from its wheel, unpacked ahead of the checkout on the
    path: compiled to .pyc as pip installs it (what a person runs), or not compiled.

    The development checkout is an editable install; where PYTHONDONTWRITEBYTECODE is set none of
    it is compiled, and every run pays the compiling a user never pays: the two figures show it."""
    if not _INSTALLED:
        work = Path(tempfile.mkdtemp(prefix="bonecoach-wheel-"))
        subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(work), str(HERE.parent)],
                       check=True, capture_output=True, timeout=300)  # fmt: skip
        (wheel,) = work.glob("bonecoach-*.whl")
        for kind in (True, False):
            site = work / ("compiled" if kind else "sources")
            zipfile.ZipFile(wheel).extractall(site)
            if kind:
                subprocess.run([sys.executable, "-m", "compileall", "-q", str(site / "bonecoach")], check=True,
                               timeout=300)  # fmt: skip
            _INSTALLED[kind] = {**os.environ, "PYTHONPATH": str(site), "PYTHONDONTWRITEBYTECODE": "1"}
    return _INSTALLED[compiled]


def bench_first_frame(runs: int, history: Path) -> list[tuple[str, float, str]]:
    """The first frame and Today's numbers, interleaved with a bare Textual app of the same shape:
    from the installed, compiled package with Today's figures kept from the run before and
    computed afresh (no kept figures), and afresh from the package not compiled."""
    from bonecoach.storage.paths import derived_dir

    kept = derived_dir(history) / "answers.json"
    figures: dict[str, list[float]] = {"empty": [], "first": [], "kept first": [], "kept": [], "fresh": [], "raw": []}
    app = [sys.executable, "-m", "bonecoach", "--db", str(history)]
    for _ in range(runs):
        # Interleaved, so all see the same machine load.
        figures["empty"].append(
            time_to_screen_text([sys.executable, str(HERE / "first_frame_child.py")], ["Today"])["Today"]
        )
        # bonecoach as its command starts it. "(today)" is in Today's title once the data is shown.
        kept.unlink(missing_ok=True)
        fresh = time_to_screen_text(app, ["Today", "(today)"], env=installed_env())
        figures["first"].append(fresh["Today"])
        figures["fresh"].append(fresh["(today)"])
        kept_run = time_to_screen_text(app, ["Today", "(today)"], env=installed_env())
        figures["kept first"].append(kept_run["Today"])
        figures["kept"].append(kept_run["(today)"])
        kept.unlink(missing_ok=True)
        figures["raw"].append(time_to_screen_text(app, ["(today)"], env=installed_env(compiled=False))["(today)"])
    e, f, kf, k, d, c = (
        statistics.median(figures[name]) for name in ("empty", "first", "kept first", "kept", "fresh", "raw")
    )
    return [
        ("first frame: empty Textual app, same widgets", e * 1000, "reference, in an 80x24 pseudo-terminal"),
        ("first frame: bonecoach, 10 years, nothing kept", f * 1000, f"ratio {f / e:.2f}x (budget 0.9x, issue 35)"),
        ("first frame: bonecoach, 10 years, figures kept", kf * 1000, f"ratio {kf / e:.2f}x (the numbers are in it)"),
        ("Today's numbers, kept from the last run, 10 years", k * 1000, f"ratio {k / e:.2f}x (budget 1.25x)"),
        ("Today's numbers, computed (nothing kept), 10 years", d * 1000, f"ratio {d / e:.2f}x (budget 1.25x)"),
        ("  the same, not compiled to .pyc", c * 1000, f"ratio {c / e:.2f}x (a checkout run here; no user pays it)"),
    ]


def child_figures(args: list[str]) -> dict[str, list[float]]:
    """Run session_child.py and read its "NAME value ..." lines."""
    out = subprocess.run(
        [sys.executable, str(HERE / "session_child.py"), *args], capture_output=True, text=True, check=True, timeout=600
    ).stdout
    return {line.split()[0]: [float(v) for v in line.split()[1:]] for line in out.splitlines() if line.strip()}


def bench_memory(history: Path) -> list[tuple[str, float, str]]:
    """Resident size after the first frame, the Week tab and the Log tab: empty vs 10 years."""
    from bonecoach.services.coach import Coach
    from bonecoach.storage.repository import Repository

    empty = Path(tempfile.mkdtemp(prefix="bonecoach-empty-")) / "db"
    repo = Repository(empty)
    Coach(repo).set_profile("female", datetime(1962, 4, 12).date())
    repo.close()
    small = child_figures(["memory", str(empty)])["RSS"]
    big = child_figures(["memory", str(history)])["RSS"]
    return [
        ("memory (RSS MB): empty database", small[0] / 1024, f"peak {small[1] / 1024:.0f} MB"),
        ("memory (RSS MB): 10 years", big[0] / 1024,
         f"ratio {big[0] / small[0]:.2f}x, peak {big[1] / 1024:.0f} MB ({big[1] / small[1]:.2f}x) (budget 2x)"),
    ]  # fmt: skip


def bench_log_keypress(history: Path, runs: int) -> list[tuple[str, float, str]]:
    """From the Enter that logs a food to the entry on disk and Today redrawn, in the app."""
    copy = Path(tempfile.mkdtemp(prefix="bonecoach-log-")) / "db"
    shutil.copytree(history, copy)
    figures = child_figures(["log", str(copy), str(max(runs, 5) * 2)])["LOG"]
    return [("log an entry: key press to stored and Today repainted, 10 years", statistics.median(figures),
             f"worst {max(figures):.1f} ms (budget 30 ms)")]  # fmt: skip


def bench_search(runs: int) -> list[tuple[str, float, str]]:
    from bonecoach.catalog.foods import FoodCatalog

    start = time.perf_counter()
    catalog = FoodCatalog.load()
    load = time.perf_counter() - start
    start = time.perf_counter()
    _ = catalog.index
    catalog.tagged()  # as the app's background worker does (tui.upkeep.check_and_preload)
    build = time.perf_counter() - start
    queries = [
        "sardine bones",
        "milk 2%",
        "tofu calcium",
        "spinach cooked",
        "orange juice fortified",
        "yogurt greek plain",
    ]
    timings = []
    for _ in range(runs):
        for query in queries:
            for end in range(1, len(query) + 1):
                t0 = time.perf_counter()
                catalog.search(query[:end], 30)
                timings.append(time.perf_counter() - t0)
    timings.sort()
    p95 = timings[int(len(timings) * 0.95)]
    return [
        ("catalog load (8,441 foods)", load * 1000, "once, in a background worker"),
        ("search index build and the tags validated", build * 1000, "once, in a background worker"),
        (f"search per keystroke, median of {len(timings)}", statistics.median(timings) * 1000, "budget 10 ms"),
        ("search per keystroke, p95", p95 * 1000, "budget 10 ms"),
        ("search per keystroke, worst", timings[-1] * 1000, ""),
    ]


def bench_conflicts(runs: int) -> list[tuple[str, float, str]]:
    """A busy day: 40 entries with medicines, calcium, oxalate and phytate foods."""

    from bonecoach.services.coach import Coach
    from bonecoach.storage.repository import Repository

    folder = Path(tempfile.mkdtemp(prefix="bonecoach-bench-")) / "db"
    repo = Repository(folder)
    now = datetime(2026, 11, 25, 23, 0)
    coach = Coach(repo, clock=lambda: now)
    coach.set_profile("female", datetime(1960, 1, 1).date())
    start = datetime(2026, 11, 25, 6, 0)
    meds = ["levothyroxine", "alendronate", "iron", "ciprofloxacin", "doxycycline"]
    foods = ["01117", "11458", "20077", "14209", "01077", "12061", "15088", "16426", "11457", "01009"]
    for n in range(40):
        at = start + timedelta(minutes=25 * n)
        if n % 8 == 0:
            coach.log_medication(meds[(n // 8) % len(meds)], at=at)
        elif n % 5 == 0:
            coach.log_supplement("calcium-citrate-315", at=at)
        else:
            coach.log_food(foods[n % len(foods)], grams=120, at=at)
    day = now.date()
    entries = repo.entries_between(day - timedelta(days=1), day + timedelta(days=1))
    targets = coach.targets(day)
    checker = coach.checker
    timings, full = [], []
    for _ in range(max(runs, 5) * 3):
        t0 = time.perf_counter()
        found = checker.check_day(day, entries, targets)
        timings.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        coach.day(day)
        full.append(time.perf_counter() - t0)
    for item in ("alendronate", "levothyroxine", "iron", "zinc"):
        coach.add_to_regimen("medication", item)
    for item, doses in (
        ("calcium-carbonate-500", 2),
        ("calcium-citrate-315", 2),
        ("vitamin-d3-1000", 1),
        ("magnesium-glycinate-120", 1),
    ):
        coach.add_to_regimen("supplement", item, doses)
    plans = []
    for _ in range(max(runs, 5) * 3):
        t0 = time.perf_counter()
        coach.plan(day)
        plans.append(time.perf_counter() - t0)
    repo.close()
    return [
        (
            f"conflicts, busy day of {len(entries)} entries ({len(found)} found)",
            statistics.median(timings) * 1000,
            "recomputed on every change",
        ),
        ("Today summary incl. storage read and conflicts", statistics.median(full) * 1000, "budget 20 ms (issue 8)"),
        ("day planner, 4 medicines + 4 supplements", statistics.median(plans) * 1000, ""),
    ]


def ten_year_history() -> tuple[Path, int, datetime]:
    """One synthetic ten-year history for every benchmark that needs it."""
    from benchmarks.generate import generate

    folder = Path(tempfile.mkdtemp(prefix="bonecoach-10y-")) / "db"
    now = datetime.now().replace(second=0, microsecond=0)
    return folder, generate(folder, 10, now), now


def bench_ten_years(runs: int, history: Path, count: int, now: datetime) -> list[tuple[str, float, str]]:
    """Today, Week, the trend, a one-year report, search, suggestions and logging at ten years."""
    from bonecoach.services.coach import Coach
    from bonecoach.services.reporting import clinician_report, report_period
    from bonecoach.storage.repository import Repository

    copy = Path(tempfile.mkdtemp(prefix="bonecoach-10y-copy-")) / "db"
    shutil.copytree(history, copy)
    repo = Repository(copy, auto_backup=False)
    coach = Coach(repo, clock=lambda: now)
    _ = coach.catalog.index
    year_start, year_end = report_period(coach, "year")
    clinician_report(coach, year_start, year_end)  # builds the report models once, as a first export would
    timings: dict[str, list[float]] = {}
    # The app's collector policy (tui/idle_gc.py): full collections of ten years of objects
    # (11-25 ms each) wait for a quiet moment instead of landing inside a piece of work. Without
    # it the Week review here measured 45 to 122 ms from run to run. A round is one burst of work,
    # and the pause between rounds the quiet moment.
    from bonecoach.tui.idle_gc import IdleCollector

    IdleCollector().install()

    def timed(name: str, work: object) -> None:
        t0 = time.perf_counter()
        work()  # type: ignore[operator]
        timings.setdefault(name, []).append(time.perf_counter() - t0)

    queries = ["sardine bones", "milk 2%", "yogurt greek plain"]
    for n in range(max(runs, 5)):
        gc.collect()
        timed("today", lambda: coach.day(now.date()))
        timed("week", lambda: coach.week(now.date()))
        timed("trend", lambda: coach.trend(now.date()))
        timed("report", lambda: clinician_report(coach, year_start, year_end))
        timed("suggest", lambda: coach.suggestions(now.date(), at=now))
        for query in queries:
            for end in range(1, len(query) + 1):
                timed("search", lambda q=query[:end]: coach.search_foods(q, 30))  # type: ignore[misc]
        timed("log", lambda n=n: coach.log_food("01077", grams=100 + n, at=now))  # type: ignore[misc]
    repo.close()
    ms = {name: statistics.median(values) * 1000 for name, values in timings.items()}
    search_p95 = sorted(timings["search"])[int(len(timings["search"]) * 0.95)] * 1000
    return [
        (f"Today summary, 10 years ({count:,} entries)", ms["today"], "budget 20 ms"),
        ("Week review, 10 years", ms["week"], "budget 50 ms"),
        ("12-week trend, 10 years", ms["trend"], "budget 300 ms"),
        ("one-year clinician report, 10 years", ms["report"], "budget 300 ms"),
        (
            "food search per keystroke with own history, 10 years",
            ms["search"],
            f"p95 {search_p95:.1f} ms (budget 10 ms)",
        ),
        ("suggestions, 10 years", ms["suggest"], "budget 100 ms"),
        ("log an entry, durably on disk (service only), 10 years", ms["log"], "part of the 30 ms budget"),
    ]


CLI_COMMANDS: list[tuple[str, list[str]]] = [
    ("day", ["day"]),
    ("day (computed)", ["day"]),
    ("week", ["week"]),
    ("week (computed)", ["week"]),
    ("log food", ["log", "food", "01077", "--grams", "100"]),
    ("log food, the day's first change", ["log", "food", "01077", "--grams", "100"]),
    ("suggest", ["suggest"]),
    ("status", ["status"]),
    ("status (computed)", ["status"]),
    ("plan-day", ["plan-day"]),
    ("plan-day (computed)", ["plan-day"]),
    ("next --line (computed)", ["next", "--line"]),
    ("next --line (kept list)", ["next", "--line"]),
]
"""Read commands (day, week, status, plan-day) and ``next`` answer from what they kept while nothing they
read has changed: "(computed)" forgets it before each run, the plain name runs them as repeated.
"the day's first change" removes the day's and the week's rotating backups before each run: the
first change of a day writes them."""


BUDGETS = (
    {name: "budget 1.5x floor (issue 35)" for name in ("day", "week", "status")}
    | {f"{name} (computed)": "budget 1.5x floor (issue 35)" for name in ("day", "week", "status")}
    | {"log food": "budget 1.8x floor (issue 35)"}
)


def _forget_kept_list(db: Path) -> Callable[[], None]:
    """Drop the Next up list and the answers kept for ``db`` (in the user cache folder)."""
    from bonecoach.storage.kept_answers import ANSWERS_NAME
    from bonecoach.storage.next_cache import cache_path

    def forget() -> None:
        cache_path(db).unlink(missing_ok=True)
        (cache_path(db).parent / ANSWERS_NAME).unlink(missing_ok=True)

    return forget


def _forget_todays_backups(db: Path) -> Callable[[], None]:
    """Remove the rotating backups of today and this week, as before the day's first change."""
    from bonecoach.storage.backup import BACKUP_DIR, rotating_names

    def forget() -> None:
        for name in rotating_names(date.today()):
            (db / BACKUP_DIR / f"{name}.json").unlink(missing_ok=True)

    return forget


def _wall(command: list[str], runs: int, before: object = None, env: dict[str, str] | None = None) -> float:
    """Median seconds of ``command`` as a process (``before`` runs ahead of each, untimed)."""
    times = []
    for _ in range(runs):
        if before is not None:
            before()  # type: ignore[operator]
        t0 = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
                                   cwd=tempfile.gettempdir())  # fmt: skip
        # A blocking wait: Popen.wait(timeout=...) polls in sleeps of up to 50 ms, which rounded
        # every figure up to the next 50 ms. The timer kills a stuck command instead.
        watchdog = threading.Timer(60, process.kill)
        watchdog.start()
        status = process.wait()
        times.append(time.perf_counter() - t0)
        watchdog.cancel()
        if status != 0:
            raise RuntimeError(f"{command} exited with {status}")
    return statistics.median(times)


def bench_cli(runs: int, history: Path) -> list[tuple[str, float, str]]:
    """Each scripted command as a process at ten years and on an empty database (same profile and
    regimen), beside the floor: importing the dependencies alone. bonecoach runs from its wheel,
    compiled as installed; ``day`` once more not compiled, to show what a checkout pays."""
    python = sys.executable
    floor = _wall([python, "-c", "from pydantic import BaseModel; import tinydb, dateutil.parser, platformdirs"], runs)
    bare = _wall([python, "-c", "pass"], runs)
    ten = Path(tempfile.mkdtemp(prefix="bonecoach-10y-cli-")) / "db"
    shutil.copytree(history, ten)
    empty = Path(tempfile.mkdtemp(prefix="bonecoach-empty-cli-")) / "db"
    cli = [str(Path(python).parent / "bonecoach")]  # the installed command, as a person runs it
    for setup in (["profile", "set", "--sex", "female", "--birth-date", "1958-06-01", "--tscore", "-2.6"],
                  ["regimen", "add", "medication", "alendronate"], ["regimen", "add", "supplement", "calcium-citrate-315"]):  # fmt: skip
        subprocess.run([*cli, "--db", str(empty), *setup], check=True, stdout=subprocess.DEVNULL, timeout=60)
    rows = [
        ("python -c pass", bare * 1000, ""),
        ("dependency-import floor", floor * 1000, "pydantic, tinydb, dateutil, platformdirs"),
    ]
    for name, words in CLI_COMMANDS:
        figures = {}
        for label, db in (("10y", ten), ("empty", empty)):
            forget = _forget_kept_list(db) if "computed" in name else None
            if "first change" in name:
                forget = _forget_todays_backups(db)
            if "kept" in name or name in ("day", "week", "status", "plan-day"):  # answered as repeated
                subprocess.run([*cli, "--db", str(db), *words], check=True, stdout=subprocess.DEVNULL, timeout=60,
                               env=installed_env())  # fmt: skip
            figures[label] = _wall([*cli, "--db", str(db), *words], runs, forget, installed_env())
        budget = "budget 150 ms" if name.startswith("next") else BUDGETS.get(name, "no budget")
        rows.append((f"bonecoach {name}, 10 years", figures["10y"] * 1000,
                     f"{figures['10y'] / floor:.2f}x floor, {figures['10y'] / figures['empty']:.2f}x empty "
                     f"({figures['empty'] * 1000:.0f} ms); {budget}"))  # fmt: skip
    raw = _wall([*cli, "--db", str(ten), "day"], runs, env=installed_env(compiled=False))
    rows.append(("  bonecoach day, 10 years, not compiled to .pyc", raw * 1000,
                 f"{raw / floor:.2f}x floor (a checkout run here; no user pays it)"))  # fmt: skip
    return rows


CRONOMETER_HEADER = (
    "Day,Time,Group,Food Name,Amount,Energy (kcal),Protein (g),Calcium (mg),Magnesium (mg),Sodium (mg),"
    "Caffeine (mg),Vitamin D (IU),Vitamin K (\u00b5g),Iron (mg),Category"
)
CRONOMETER_FOODS = [  # (group, name as Cronometer writes it, amount, calcium, magnesium, category)
    ("Breakfast", "Milk, 2%", "1.00 cup", 293, 27, "Dairy and Egg Products"),
    ("Breakfast", "Coffee", "1.00 cup", 5, 7, "Beverages"),
    ("Breakfast", "Oatmeal, Cooked", "234.00 g", 21, 63, "Breakfast Cereals"),
    ("Lunch", "Spinach, Cooked", "180.00 g", 245, 157, "Vegetables"),
    ("Lunch", "Sardines, Canned in Oil", "92.00 g", 351, 36, "Finfish and Shellfish Products"),
    ("Lunch", "Bread, Whole Wheat", "32.00 g", 52, 24, "Baked Products"),
    ("Dinner", "Salmon, Atlantic, Cooked", "154.00 g", 23, 46, "Finfish and Shellfish Products"),
    ("Dinner", "Broccoli, Cooked", "156.00 g", 62, 33, "Vegetables"),
    ("Snacks", "Almonds", "28.00 g", 76, 76, "Nut and Seed Products"),
    ("Snacks", "Yogurt, Greek, Plain", "170.00 g", 187, 19, "Dairy and Egg Products"),
]


def cronometer_rows(count: int, end: date) -> str:
    """A servings.csv of ``count`` rows, 27 a day back from ``end`` (the review's ten years were
    98,550 rows): the ten foods, at three times each meal."""
    lines = [CRONOMETER_HEADER]
    times = {"Breakfast": (7, 30), "Lunch": (12, 30), "Dinner": (19, 0), "Snacks": (15, 30)}
    for n in range(count):
        day = end - timedelta(days=n // 27)
        group, name, amount, calcium, magnesium, category = CRONOMETER_FOODS[n % len(CRONOMETER_FOODS)]
        hour, minute = times[group]
        minute += 10 * ((n % 27) // len(CRONOMETER_FOODS))
        lines.append(f'{day.isoformat()},{hour:02d}:{minute:02d},{group},"{name}",{amount},100,5,{calcium},'
                     f"{magnesium},120,0,0,1.0,0.5,{category}")  # fmt: skip
    return "\n".join(lines) + "\n"


# Runs the command from a small process and prints its peak resident size: a child forked from
# this (large) benchmark process would count this process's pages until its exec.
_PEAK_SHIM = (
    "import resource, subprocess, sys; "
    "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode; "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); sys.exit(code)"
)


def _process_figures(command: list[str], timeout: float = 600) -> tuple[float, float]:
    """Seconds and peak resident megabytes of ``command`` as a process."""
    t0 = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _PEAK_SHIM, *command], capture_output=True, text=True,
                          timeout=timeout)  # fmt: skip
    elapsed = time.perf_counter() - t0
    if done.returncode != 0:
        raise RuntimeError(f"{command} exited with {done.returncode}: {done.stderr[-500:]}")
    return elapsed, int(done.stdout.split()[-1]) / 1024


def bench_imports(history: Path) -> list[tuple[str, float, str]]:
    """A 100,000-row Cronometer import and a ten-year JSON import, each as the command a person runs."""
    cli = [str(Path(sys.executable).parent / "bonecoach")]
    work = Path(tempfile.mkdtemp(prefix="bonecoach-imports-"))
    csv_file = work / "servings.csv"
    csv_file.write_text(cronometer_rows(100_000, date.today() - timedelta(days=1)), encoding="utf-8")
    profile = ["profile", "set", "--sex", "female", "--birth-date", "1958-06-01"]
    subprocess.run([*cli, "--db", str(work / "cron"), *profile], check=True, stdout=subprocess.DEVNULL, timeout=60)
    cron_s, cron_mb = _process_figures(
        [*cli, "--db", str(work / "cron"), "import", "cronometer", str(csv_file), "--yes"]
    )
    export = work / "ten-years.json"
    subprocess.run([*cli, "--db", str(history), "export", "--format", "json", "--output", str(export)],
                   check=True, stdout=subprocess.DEVNULL, timeout=300)  # fmt: skip
    size_mb = export.stat().st_size / 1024 / 1024
    json_s, json_mb = _process_figures([*cli, "--db", str(work / "json"), "import", "json", str(export)])
    _, idle_mb = _process_figures([*cli, "--db", str(work / "json"), "status"])
    shutil.rmtree(work, ignore_errors=True)
    return [
        ("Cronometer import, 100,000 rows (process)", cron_s * 1000, f"peak {cron_mb:.0f} MB (budget 8,000 ms)"),
        (f"JSON import, ten years ({size_mb:.0f} MB file) (process)", json_s * 1000,
         f"peak {json_mb:.0f} MB = {json_mb / size_mb:.1f}x the file; {idle_mb:.0f} MB for a command that "
         f"reads little (budget 3x the file)"),
    ]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--only", choices=["first_frame", "search", "conflicts", "ten_years", "keypress", "memory", "cli", "imports"],
                        action="append", help="run only these parts (repeatable)")  # fmt: skip
    args = parser.parse_args()
    history, count, now = ten_year_history()
    parts = {
        "first_frame": lambda: bench_first_frame(args.runs, history),
        "search": lambda: bench_search(args.runs),
        "conflicts": lambda: bench_conflicts(args.runs),
        "ten_years": lambda: bench_ten_years(args.runs, history, count, now),
        "keypress": lambda: bench_log_keypress(history, args.runs),
        "memory": lambda: bench_memory(history),
        "cli": lambda: bench_cli(args.runs, history),
        "imports": lambda: bench_imports(history),
    }
    rows = [row for name, part in parts.items() if not args.only or name in args.only for row in part()]
    width = max(len(name) for name, _, _ in rows)
    print(f"{'benchmark':<{width}}  {'ms':>9}  note")
    for name, value, note in rows:
        print(f"{name:<{width}}  {value:>9.2f}  {note}")


if __name__ == "__main__":
    main()
