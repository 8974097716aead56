"""Generate a realistic synthetic history of N years into a database folder.

    python benchmarks/generate.py --years 10 --db /tmp/bonecoach-10y

Meals, coffees, supplements and a weekly bisphosphonate (about 14 entries a day, the demo's
patterns), a regimen, exercise sessions (most of each week's plan done), DEXA scans every two
years and a vitamin D result every year.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bonecoach.services.coach import Coach
from bonecoach.services.demo import demo_entries, demo_sessions, seed_demo
from bonecoach.storage.repository import Repository


def generate(folder: Path, years: int, now: datetime) -> int:
    """Fill ``folder`` with ``years`` of history ending at ``now``; returns the entry count."""
    repo = Repository(folder, auto_backup=False)
    coach = Coach(repo, clock=lambda: now)
    seed_demo(coach, weeks=1)
    first = now.date() - timedelta(weeks=52 * years)
    entries = demo_entries(coach, now.date(), weeks=52 * years, seed=years)
    # The history replaces the demo week (same ids), so start from an empty entries folder.
    shutil.rmtree(folder / "entries", ignore_errors=True)
    repo.close()
    repo = Repository(folder, auto_backup=False)
    coach = Coach(repo, clock=lambda: now)
    repo.add_entries(entries)
    regimen = coach.regimen()
    for item in regimen.items:
        item.start = first
    repo.save_regimen(regimen)
    records = demo_sessions(coach, first, now.date(), seed=years)
    repo.save_sessions(records)
    for year in range(years, 0, -2):
        coach.add_scan(date(now.year - year, 3, 1), "lumbar_spine", -2.8 + 0.05 * (years - year))
    for year in range(years, 0, -1):
        coach.add_lab(date(now.year - year, 10, 1), "25ohd", 48 + 2 * (years - year), "nmol/L")
    repo.close()
    return len(entries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--db", type=Path, required=True)
    args = parser.parse_args()
    start = time.perf_counter()
    count = generate(args.db, args.years, datetime.now().replace(second=0, microsecond=0))
    print(f"{count} entries over {args.years} years in {args.db} ({time.perf_counter() - start:.1f} s)")


if __name__ == "__main__":
    main()
