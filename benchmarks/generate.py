"""Generate a realistic synthetic history of N years into a database folder.

    python benchmarks/generate.py --years 10 --db /tmp/bonecoach-10y

Meals, coffees, supplements and a weekly bisphosphonate every day (about 15 entries a day, the
demo's patterns), plus a regimen and DEXA scans every two years.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bonecoach.domain.models import Entry, MealSlot
from bonecoach.domain.nutrients import Nutrients
from bonecoach.services.coach import Coach
from bonecoach.services.demo import demo_entries, seed_demo
from bonecoach.storage.repository import Repository


def generate(folder: Path, years: int, now: datetime) -> int:
    """Fill ``folder`` with ``years`` of history ending at ``now``; returns the entry count."""
    repo = Repository(folder, auto_backup=False)
    coach = Coach(repo, clock=lambda: now)
    seed_demo(coach, weeks=1)
    entries = demo_entries(coach, now.date(), weeks=52 * years, seed=years)
    medications = [
        Entry(id=f"med{n:06d}", at=datetime.combine(e.at.date(), datetime.min.time()).replace(hour=6, minute=30),
              kind="medication", ref="alendronate", name="Alendronate (immediate release)", meal=MealSlot.medications,
              doses=1.0, nutrients=Nutrients(), drug_class="bisphosphonate-oral-fasting")
        for n, e in enumerate(entries) if e.at.weekday() == now.weekday() and e.at.hour == 7 and e.meal == MealSlot.breakfast
    ]  # fmt: skip
    unique = {m.at.date(): m for m in medications}
    repo.add_entries([*entries, *unique.values()])
    for year in range(years, 0, -2):
        coach.add_scan(date(now.year - year, 3, 1), "lumbar_spine", -2.8 + 0.05 * (years - year))
    count = len(entries) + len(unique)
    repo.close()
    return count


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
