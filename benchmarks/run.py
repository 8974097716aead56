"""Run bonecoach's benchmarks and print a table of figures (median of several runs).

    python benchmarks/run.py [--runs N]

These print measurements; they are not pass/fail tests. Budgets are printed beside figures.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))


def time_to_first_frame(args: list[str]) -> float:
    """Seconds from starting a Python process to its first frame."""
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, str(HERE / "first_frame_child.py"), *args], stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    for line in process.stdout:
        if line.startswith("FRAME"):
            elapsed = time.perf_counter() - start
            break
    else:
        raise RuntimeError(f"no frame from {args}")
    process.wait(timeout=30)
    return elapsed


def seeded_db(weeks: int) -> Path:
    from bonecoach.services.coach import Coach
    from bonecoach.services.demo import seed_demo
    from bonecoach.storage.repository import Repository

    folder = Path(tempfile.mkdtemp(prefix="bonecoach-bench-")) / "db"
    repo = Repository(folder)
    seed_demo(Coach(repo, clock=datetime.now), weeks=weeks)
    repo.close()
    return folder


def bench_first_frame(runs: int) -> list[tuple[str, float, str]]:
    db = seeded_db(weeks=4)
    empty, ours = [], []
    for _ in range(runs):
        # Interleave so both see the same machine load.
        empty.append(time_to_first_frame(["empty"]))
        ours.append(time_to_first_frame(["bonecoach", str(db)]))
    e, o = statistics.median(empty), statistics.median(ours)
    return [
        ("first frame: empty Textual app, same widgets", e * 1000, "reference"),
        ("first frame: bonecoach (4 demo weeks)", o * 1000, f"ratio {o / e:.2f}x (budget 1.25x)"),
    ]


def bench_search(runs: int) -> list[tuple[str, float, str]]:
    from bonecoach.catalog.foods import FoodCatalog

    start = time.perf_counter()
    catalog = FoodCatalog.load()
    load = time.perf_counter() - start
    start = time.perf_counter()
    _ = catalog.index
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
        ("search index build", build * 1000, "once, in a background worker"),
        (f"search per keystroke, median of {len(timings)}", statistics.median(timings) * 1000, "budget 10 ms"),
        ("search per keystroke, p95", p95 * 1000, "budget 10 ms"),
        ("search per keystroke, worst", timings[-1] * 1000, ""),
    ]


def bench_conflicts(runs: int) -> list[tuple[str, float, str]]:
    """A busy day: 40 entries with medicines, calcium, oxalate and phytate foods."""
    from datetime import timedelta

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


def bench_ten_years(runs: int) -> list[tuple[str, float, str]]:
    """Suggestions, Today and logging with ten years of history on disk."""
    from benchmarks.generate import generate
    from bonecoach.services.coach import Coach
    from bonecoach.storage.repository import Repository

    folder = Path(tempfile.mkdtemp(prefix="bonecoach-10y-")) / "db"
    now = datetime.now().replace(hour=15, minute=0, second=0, microsecond=0)
    count = generate(folder, 10, now)
    repo = Repository(folder, auto_backup=False)
    coach = Coach(repo, clock=lambda: now)
    _ = coach.catalog.index
    suggest, today, log = [], [], []
    for n in range(max(runs, 5) * 3):
        t0 = time.perf_counter()
        coach.suggestions(now.date(), at=now)
        suggest.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        coach.day(now.date())
        today.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        coach.log_food("01077", grams=100 + n, at=now)
        log.append(time.perf_counter() - t0)
    repo.close()
    return [
        (f"suggest, busy day, 10 years ({count:,} entries)", statistics.median(suggest) * 1000, "budget 100 ms"),
        ("Today summary at 10 years", statistics.median(today) * 1000, "budget 20 ms (issue 8)"),
        (
            "log an entry (durably on disk) at 10 years",
            statistics.median(log) * 1000,
            "storage part of the 30 ms budget",
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    rows = (
        bench_first_frame(args.runs) + bench_search(args.runs) + bench_conflicts(args.runs) + bench_ten_years(args.runs)
    )
    width = max(len(name) for name, _, _ in rows)
    print(f"{'benchmark':<{width}}  {'ms':>9}  note")
    for name, value, note in rows:
        print(f"{name:<{width}}  {value:>9.2f}  {note}")


if __name__ == "__main__":
    main()
