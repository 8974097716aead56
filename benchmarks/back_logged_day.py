"""Keys to log yesterday in the app: five foods and three regimen doses, Pilot-driven.

    python benchmarks/back_logged_day.py

A man on three regimen items logs yesterday the way the Log tab lets him: F3, ``[`` to yesterday,
each food by the fewest keys that highlight it (letters of what he types, then at most three
``↓``), ``enter`` (its usual portion) and ``enter``;
the time once for the first food (``tab tab 7:30``), kept for the others; then ``ctrl+s`` to the
dose list, the regimen first, each dose ``enter`` (at the time the day plan gave it) and ``↓`` to
the next. Every key pressed is counted, the two to get there included. It prints the figures;
the budget (issue 38) is at most 8 keys per food and 3 per dose.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

FOODS = [("yogurt", "01116 01117 01118"), ("banana", "09040"), ("whole wheat bread", "18075"),
         ("sardines", "15088 15089"), ("kale", "11234")]  # fmt: skip
ARROWS = 3  # ↓ presses a person makes before typing on instead
DOSES = [("medication", "levothyroxine"), ("supplement", "calcium-citrate-315"), ("supplement", "vitamin-d3-1000")]
TODAY = date(2026, 11, 25)


def fewest_keys(coach: object, query: str, meant: list[str]) -> list[str]:
    """The fewest keys that highlight a meant food: a prefix of ``query``, then arrows."""
    options = []
    for n in range(1, len(query) + 1):
        found = [food.id for food in coach.search_foods(query[:n], ARROWS + 1)]  # type: ignore[attr-defined]
        at = next((i for i, food_id in enumerate(found) if food_id in meant), None)
        if at is not None:
            options.append([*query[:n], *["down"] * at])
    return min(options, key=len) if options else list(query)


async def back_logged_day() -> tuple[float, float, int, int]:
    """Keys per food, keys per dose, and how many foods and doses were logged for yesterday."""
    from bonecoach.services.coach import Coach
    from bonecoach.storage.repository import Repository
    from bonecoach.tui.app import make_app

    with tempfile.TemporaryDirectory() as folder:
        coach = Coach(Repository(Path(folder) / "db", auto_backup=False), clock=lambda: datetime(2026, 11, 25, 9))
        coach.set_profile("male", date(1958, 6, 2))
        for kind, ref in DOSES:
            coach.schedule(kind, ref, "1", "daily", "", start="2026-11-01")  # taken for weeks
        app = make_app(coach)
        food_keys = dose_keys = 0
        async with app.run_test(size=(80, 24)) as pilot:

            async def press(*keys: str) -> int:
                await pilot.press(*keys)
                await pilot.pause()
                return len(keys)

            food_keys += await press("f3", "left_square_bracket")
            for number, (query, meant) in enumerate(FOODS):
                food_keys += await press(*fewest_keys(coach, query, meant.split()), "enter")
                if number == 0:  # the time, once: to the time field past the portion
                    food_keys += await press("tab", "tab", *"7:30")
                food_keys += await press("enter")
            dose_keys += await press("ctrl+s")
            for number in range(len(DOSES)):
                dose_keys += await press(*(["down"] if number else []), "enter")
        yesterday = coach.repo.entries_on(TODAY - timedelta(days=1))
        foods = sum(1 for e in yesterday if e.kind == "food")
        doses = len(yesterday) - foods
        coach.repo.close()
    return food_keys / len(FOODS), dose_keys / len(DOSES), foods, doses


def main() -> None:
    per_food, per_dose, foods, doses = asyncio.run(back_logged_day())
    print(f"back-logged day (Pilot, yesterday): {per_food:.1f} keys per food ({foods} of {len(FOODS)} logged; "
          f"budget 8), {per_dose:.1f} keys per dose ({doses} of {len(DOSES)} logged; budget 3)")  # fmt: skip


if __name__ == "__main__":
    main()
