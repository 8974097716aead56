"""How often the food a person means comes first (and in the top three) for everyday queries.

    python benchmarks/search_quality.py [--show-misses]

The queries and the foods they mean are in ``benchmarks/search_queries.json`` (reviewed data,
written from the queries). The search is the one the app and ``foods search`` use, over the
shipped catalog with no history.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

QUERIES = Path(__file__).with_name("search_queries.json")


def hit_rates(show_misses: bool = False) -> tuple[float, float, int]:
    """Top-1 and top-3 hit rates over the reviewed queries, and their number."""
    from bonecoach.catalog.foods import FoodCatalog

    catalog = FoodCatalog.load()
    queries: dict[str, list[str]] = json.loads(QUERIES.read_text(encoding="utf-8"))["queries"]
    top1 = top3 = 0
    for query, meant in queries.items():
        found = [food.id for food in catalog.search(query, limit=3)]
        top1 += bool(found) and found[0] in meant
        top3 += any(food_id in meant for food_id in found)
        if show_misses and (not found or found[0] not in meant):
            names = [f"{f.id} {f.name[:50]}" for f in catalog.search(query, limit=3)]
            print(f"  {query!r}: {names}")
    return top1 / len(queries), top3 / len(queries), len(queries)


# A morning's logging, as a person would type it: the words they use and the food they mean.
DAY = [("milk", "01077 01079 01082 01085"), ("coffee", "14209"), ("banana", "09040"),
       ("whole wheat bread", "18075"), ("plain yogurt", "01116 01117 01118"), ("almonds", "12061 12063"),
       ("sardines", "15088 15089")]  # fmt: skip


async def _keys_per_food() -> tuple[float, int]:
    """Log the day's foods in the app (Pilot), typing each query only as far as needed for the
    meant food to come first, then enter (the amount opens on the usual portion) and enter."""
    import tempfile
    from datetime import date, datetime

    from bonecoach.services.coach import Coach
    from bonecoach.storage.repository import Repository
    from bonecoach.tui.app import make_app

    with tempfile.TemporaryDirectory() as folder:
        coach = Coach(Repository(Path(folder) / "db", auto_backup=False), clock=lambda: datetime(2026, 11, 25, 9))
        coach.set_profile("female", date(1962, 4, 12))
        app = make_app(coach)
        pressed = 0
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("f3")
            await pilot.pause()
            for query, meant in DAY:
                typed = next((query[:n] for n in range(1, len(query) + 1)
                              if (top := coach.search_foods(query[:n], 1)) and top[0].id in meant.split()), query)  # fmt: skip
                await pilot.press(*typed, "enter", "enter")
                await pilot.pause()
                pressed += len(typed) + 2
        logged = len(coach.repo.entries_on(date(2026, 11, 25)))
        coach.repo.close()
    return pressed / len(DAY), logged


def main() -> None:
    import asyncio

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show-misses", action="store_true")
    args = parser.parse_args()
    top1, top3, count = hit_rates(args.show_misses)
    print(f"search quality over {count} everyday queries: top-1 {top1:.1%}, top-3 {top3:.1%}")
    per_food, logged = asyncio.run(_keys_per_food())
    print(f"keystrokes per logged food (Pilot, {len(DAY)} everyday foods, {logged} logged): {per_food:.1f}")


if __name__ == "__main__":
    main()
