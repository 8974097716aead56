"""Every kind of write the repository makes, each numbered so a later write of the same record
carries a higher number: what the crash loop and the one-write tests drive.

``WRITES[path](repo, n)`` makes write number ``n`` and returns the record's key; ``stored(repo)``
reads back, per path, each key's highest number on disk.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from bonecoach.domain.bone import LabResult, Scan
from bonecoach.domain.exercise import ExerciseOutcome, ExerciseSetup, SessionRecord, Window
from bonecoach.domain.meals import Ingredient, MealItem, Recipe, SavedMeal
from bonecoach.domain.models import Entry, Food, MealSlot, Supplement
from bonecoach.domain.nutrients import Nutrients
from bonecoach.domain.planner import Regimen, RegimenItem
from bonecoach.storage.repository import Repository

KEYS = 3  # records per path: most writes replace one that exists (the case that lost data)
FIRST_DAY = date(2001, 1, 1)


def _entry(entry_id: str, n: int) -> Entry:
    # Spread over months, so a replace sometimes moves the entry to another month file.
    at = datetime(2026, 1, 1, 8) + timedelta(days=(n * 13) % 300)
    return Entry(id=entry_id, at=at, kind="food", ref="01077", name=f"Milk {n}", meal=MealSlot.breakfast,
                 grams=100, nutrients=Nutrients(calcium_mg=113))  # fmt: skip


def _add_entry(repo: Repository, n: int) -> str:
    repo.add_entry(_entry(f"new-{n}", n))
    return f"new-{n}"


def _replace_entry(repo: Repository, n: int) -> str:
    key = f"kept-{n % KEYS}"
    (repo.replace_entry if repo.get_entry(key) else repo.add_entry)(_entry(key, n))
    return key


def _setting(repo: Repository, n: int) -> str:
    repo.save_setting(f"setting-{n % KEYS}", n)
    return f"setting-{n % KEYS}"


def _regimen(repo: Repository, n: int) -> str:
    start = FIRST_DAY + timedelta(days=n)
    repo.save_regimen(Regimen(items=[RegimenItem(kind="supplement", ref="calcium-citrate-315", start=start)]))
    return "regimen"


def _setup(repo: Repository, n: int) -> str:
    repo.save_exercise_setup(
        ExerciseSetup(windows=[Window(weekday=0, start=time(9), minutes=30)], equipment=[f"kit-{n}"])
    )
    return "setup"


def _session(repo: Repository, n: int) -> str:
    day = date(2026, 1, 1) + timedelta(days=n % KEYS)
    outcome = ExerciseOutcome(id="wall-pushup", outcome="done", sets_done=n)
    repo.save_session(SessionRecord(date=day, category="resistance", outcomes=[outcome], completed=n % 2 == 0))
    return day.isoformat()


def _scan(repo: Repository, n: int) -> str:
    repo.save_scan(Scan(id=f"scan-{n % KEYS}", date=FIRST_DAY + timedelta(days=n), site="total_hip", tscore=-2.0))
    return f"scan-{n % KEYS}"


def _lab(repo: Repository, n: int) -> str:
    repo.save_lab(LabResult(id=f"lab-{n % KEYS}", date=FIRST_DAY + timedelta(days=n), test="25ohd", value=30, unit="ng/mL"))  # fmt: skip
    return f"lab-{n % KEYS}"


def _supplement(repo: Repository, n: int) -> str:
    repo.save_user_supplement(Supplement(id=f"sup-{n % KEYS}", name=f"Sup {n}", nutrients=Nutrients(calcium_mg=200)))
    return f"sup-{n % KEYS}"


def _food(repo: Repository, n: int) -> str:
    repo.save_custom_food(
        Food(id=f"food-{n % KEYS}", name=f"Food {n}", group="custom", per_100g=Nutrients(), custom=True)
    )
    return f"food-{n % KEYS}"


def _set(repo: Repository, n: int) -> str:
    repo.save_supplement_set(f"set-{n % KEYS}", [(f"sup-{n}", 1.0)])
    return f"set-{n % KEYS}"


def _meal(repo: Repository, n: int) -> str:
    item = MealItem(kind="food", ref="01077", name="Milk", grams=100, nutrients=Nutrients(calcium_mg=113))
    repo.save_meal(SavedMeal(id=f"meal-{n % KEYS}", name=f"Meal {n}", meal=MealSlot.breakfast, items=[item]))
    return f"meal-{n % KEYS}"


def _recipe(repo: Repository, n: int) -> str:
    ingredient = Ingredient(food_id="01077", name="Milk", grams=200)
    repo.save_recipe(Recipe(id=f"recipe-{n % KEYS}", name=f"Recipe {n}", servings=2, ingredients=[ingredient],
                            per_serving=Nutrients(calcium_mg=113), serving_grams=100))  # fmt: skip
    return f"recipe-{n % KEYS}"


WRITES: dict[str, Callable[[Repository, int], str]] = {
    "entries": _add_entry, "entry replace": _replace_entry, "settings": _setting, "regimen": _regimen,
    "exercise setup": _setup, "sessions": _session, "scans": _scan, "labs": _lab, "supplements": _supplement,
    "foods": _food, "sets": _set, "meals": _meal, "recipes": _recipe,
}  # fmt: skip


def _number(name: str) -> int:
    return int(name.rsplit(" ", 1)[-1])


def stored(repo: Repository) -> dict[str, dict[str, int]]:
    """Per path, each key's number as stored now."""
    entries = repo.all_entries()
    regimen, setup = repo.regimen(), repo.exercise_setup()
    settings = {f"setting-{k}": repo.setting(f"setting-{k}") for k in range(KEYS)}
    return {
        "entries": {e.id: _number(e.name) for e in entries if e.id.startswith("new-")},
        "entry replace": {e.id: _number(e.name) for e in entries if e.id.startswith("kept-")},
        "settings": {key: value for key, value in settings.items() if isinstance(value, int)},
        "regimen": {} if regimen is None else {"regimen": (regimen.items[0].start - FIRST_DAY).days},  # type: ignore[operator]
        "exercise setup": {} if setup is None else {"setup": int(setup.equipment[0].split("-")[1])},
        "sessions": {r.date.isoformat(): r.outcomes[0].sets_done for r in repo.session_records()},
        "scans": {s.id: (s.date - FIRST_DAY).days for s in repo.scans()},
        "labs": {r.id: (r.date - FIRST_DAY).days for r in repo.labs()},
        "supplements": {s.id: _number(s.name) for s in repo.user_supplements()},
        "foods": {f.id: _number(f.name) for f in repo.custom_foods()},
        "sets": {name: int(items[0][0].split("-")[1]) for name, items in repo.supplement_sets().items()},
        "meals": {m.id: _number(m.name) for m in repo.saved_meals()},
        "recipes": {r.id: _number(r.name) for r in repo.recipes()},
    }


def lost(acknowledged: dict[str, dict[str, int]], on_disk: dict[str, dict[str, int]]) -> list[str]:
    """Acknowledged writes not on disk: a key missing, or holding an older number than acknowledged."""
    return [
        f"{path} {key}: acknowledged {number}, stored {on_disk[path].get(key)}"
        for path, keys in acknowledged.items()
        for key, number in keys.items()
        if on_disk[path].get(key, -1) < number
    ]
