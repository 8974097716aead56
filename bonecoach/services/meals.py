"""Saved meals, recipes, and logging an earlier entry or meal again."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from bonecoach.domain.amounts import check_grams, parse_number
from bonecoach.domain.errors import InputError
from bonecoach.domain.meals import (
    Recipe,
    SavedMeal,
    build_recipe,
    entries_for_meal,
    meal_from_entries,
    recipe_entry,
    repeat_entries,
    same_time_today,
    still_to_come,
)
from bonecoach.domain.models import Entry
from bonecoach.domain.timeparse import parse_date
from bonecoach.services import foods
from bonecoach.services.context import Context
from bonecoach.services.names import clean_name, parse_meal, slugify


def find_named(items: list[Any], name: str, what: str) -> Any:
    """The saved meal or recipe called ``name`` (by id or exact name), else a message naming them all."""
    wanted = slugify(name)
    for item in items:
        if item.id == wanted or item.name.lower() == name.strip().lower():
            return item
    known = ", ".join(sorted(i.name for i in items)) or "none yet"
    raise InputError(f"No {what} called {name!r} (yours: {known}).")


def save_meal(
    ctx: Context, name: str, day: date | str | None = None, slot: str | None = None, entry_ids: list[str] | None = None
) -> SavedMeal:
    """Save a meal slot of ``day``, or any entries by id, under a name (the same name replaces)."""
    name = clean_name(name, "Meal name")
    if entry_ids:
        entries = []
        for entry_id in entry_ids:
            entry = ctx.repo.get_entry(entry_id.strip())
            if entry is None or entry.kind == "medication":
                raise InputError(f"No food or supplement entry with id {entry_id!r}.")
            entries.append(entry)
    else:
        if day is None or slot is None:
            raise InputError("Give --date and --meal, or the entries to save with --entry ID.")
        when = day if isinstance(day, date) else parse_date(day, ctx.now().date())
        meal = parse_meal(slot, datetime.combine(when, datetime.min.time()))
        entries = [e for e in ctx.repo.entries_on(when) if e.meal == meal and e.kind != "medication"]
        if not entries:
            raise InputError(f"Nothing was logged for {meal.value} on {when}; log it first, then save it.")
    saved = meal_from_entries(slugify(name), name, entries)
    ctx.repo.save_meal(saved)
    return saved


def saved_meals(ctx: Context) -> list[SavedMeal]:
    """Every saved meal."""
    return ctx.repo.saved_meals()


def recipes(ctx: Context) -> list[Recipe]:
    """Every recipe."""
    return ctx.repo.recipes()


def saved_meal(ctx: Context, name: str) -> SavedMeal:
    """A saved meal by name."""
    return find_named(ctx.repo.saved_meals(), name, "saved meal")  # type: ignore[no-any-return]


def delete_meal(ctx: Context, name: str) -> None:
    """Forget a saved meal."""
    ctx.repo.delete_meal(saved_meal(ctx, name).id)


def log_meal(ctx: Context, name: str, at: str | datetime | None = None) -> list[Entry]:
    """Log every item of a saved meal in one action."""
    meal = saved_meal(ctx, name)
    moment = ctx.moment(at)
    entries = entries_for_meal(meal, moment, [ctx.new_id() for _ in meal.items])
    entries = [ctx.stamped(item) for item in entries]
    ctx.repo.add_entries(entries)
    return entries


def add_recipe(ctx: Context, name: str, servings: float, items: list[tuple[str, float]]) -> Recipe:
    """A recipe from catalog foods (id and grams) making ``servings`` servings."""
    name = clean_name(name, "Recipe name")
    if not items:
        raise InputError("A recipe needs at least one ingredient (ID:GRAMS).")
    if not 0 < servings <= 100:
        raise InputError("Servings must be between 0 and 100.")
    ingredients = []
    for food_id, grams in items:
        food = foods.food(ctx, food_id.strip())
        if food is None:
            raise InputError(f"No food with id {food_id!r}; find ids with 'bonecoach foods search WORDS'.")
        ingredients.append((food, check_grams(grams)))
    recipe = build_recipe(slugify(name), name, servings, ingredients)
    ctx.repo.save_recipe(recipe)
    return recipe


def add_recipe_as_typed(ctx: Context, name: str, servings: str, items: list[tuple[str, str]]) -> Recipe:
    """``add_recipe`` from a form: servings and each ingredient's grams as typed."""
    amounts = [(food_id, parse_number(grams, "Grams")) for food_id, grams in items]
    return add_recipe(ctx, name, parse_number(servings, "Servings") if servings.strip() else 0, amounts)


def recipe(ctx: Context, name: str) -> Recipe:
    """A recipe by name."""
    return find_named(ctx.repo.recipes(), name, "recipe")  # type: ignore[no-any-return]


def log_recipe(
    ctx: Context, name: str, servings: float = 1.0, at: str | datetime | None = None, meal: str | None = None
) -> Entry:
    """Log servings of a recipe."""
    chosen = recipe(ctx, name)
    if not 0 < servings <= 20:
        raise InputError("Servings eaten must be between 0 and 20.")
    moment = ctx.moment(at)
    entry = recipe_entry(chosen, servings, moment, parse_meal(meal, moment), ctx.new_id())
    entry = ctx.stamped(entry)
    ctx.repo.add_entry(entry)
    return entry


@dataclass(frozen=True)
class RepeatPlan:
    """Where a repeat would be logged: ``start`` for the first copy, spacing kept; ``to_come``:
    the copies' times still to come today (the app asks before logging those)."""

    start: datetime
    to_come: tuple[datetime, ...]


def repeat_plan(ctx: Context, entry_id: str, whole_meal: bool = False) -> RepeatPlan:
    """Where repeating an entry (or its whole meal) with no time given would log it: today's
    entries again now; another day's at the same time of day, today."""
    return _plan(ctx, _to_repeat(ctx, entry_id, whole_meal))


def _to_repeat(ctx: Context, entry_id: str, whole_meal: bool) -> list[Entry]:
    entry = ctx.repo.get_entry(entry_id)
    if entry is None:
        raise InputError(f"No entry with id {entry_id!r}.")
    return _meal_entries(ctx, entry.at.date(), entry.meal.value) if whole_meal else [entry]


def _plan(ctx: Context, entries: list[Entry]) -> RepeatPlan:
    now = ctx.now().replace(second=0, microsecond=0)
    if min(e.at for e in entries).date() == now.date():
        return RepeatPlan(now, ())
    start = same_time_today(entries, now.date())
    return RepeatPlan(start, tuple(still_to_come(entries, start, now)))


def _start(ctx: Context, entries: list[Entry], at: str | datetime | None) -> datetime:
    """The time given, else the plan's, refused while some of it is still to come."""
    if at is not None:
        return ctx.moment(at)
    plan = _plan(ctx, entries)
    if plan.to_come:
        times = ", ".join(f"{t:%H:%M}" for t in plan.to_come)
        raise InputError(f"As on {entries[0].at:%a %d %b}, that is {times} today, still to come: give the time "
                         "to log it at (e.g. --at now).")  # fmt: skip
    return plan.start


def repeat_entry(ctx: Context, entry_id: str, at: str | datetime | None = None) -> Entry:
    """Log an earlier entry again (default: today's again now; another day's at its time of day)."""
    entry = ctx.repo.get_entry(entry_id)
    if entry is None:
        raise InputError(f"No entry with id {entry_id!r}.")
    moment = _start(ctx, [entry], at)
    (copy,) = repeat_entries([entry], moment, [ctx.new_id()])
    if copy.kind != "medication":
        copy = copy.model_copy(update={"meal": parse_meal(None, moment) if copy.kind == "food" else copy.meal})
    copy = ctx.stamped(copy)
    ctx.repo.add_entry(copy)
    return copy


def _meal_entries(ctx: Context, day: date, slot: str) -> list[Entry]:
    meal = parse_meal(slot, datetime.combine(day, datetime.min.time()))
    entries = [e for e in ctx.repo.entries_on(day) if e.meal == meal and e.kind != "medication"]
    if not entries:
        raise InputError(f"Nothing was logged for {meal.value} on {day}.")
    return entries


def repeat_meal(ctx: Context, day: date | str, slot: str, at: str | datetime | None = None) -> list[Entry]:
    """Log a whole meal slot of another day again, spacing kept (default: at its time of day, today)."""
    when = day if isinstance(day, date) else parse_date(day, ctx.now().date())
    entries = _meal_entries(ctx, when, slot)
    moment = _start(ctx, entries, at)
    copies = repeat_entries(entries, moment, [ctx.new_id() for _ in entries])
    copies = [ctx.stamped(item) for item in copies]
    ctx.repo.add_entries(copies)
    return copies
