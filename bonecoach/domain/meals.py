"""Saved meals, recipes and repeats: logging many things in one action, with exact totals.

A saved meal keeps each item's nutrients and inhibitors as logged, so logging it again gives
exactly the totals of its parts. A recipe's nutrients per serving are the sum of its ingredients
divided by its servings (raw-ingredient values: cooking losses are not modelled).
"""

from datetime import date, datetime, timedelta
from typing import Literal

from pydantic import ConfigDict, Field

from bonecoach.domain.base import Model
from bonecoach.domain.day import food_inhibitors, food_nutrients
from bonecoach.domain.models import LEVEL_RANK, ORIGIN_RANK, Entry, EntryInhibitor, Food, MealSlot
from bonecoach.domain.nutrient_info import NUTRIENT_KEYS
from bonecoach.domain.nutrients import Nutrients, sum_nutrients
from bonecoach.domain.text import CleanText

RECIPE_NOTE = "Per serving, from the raw ingredients; cooking losses are not modelled."


class MealItem(Model):
    """One item of a saved meal: an entry without its id and date."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: Literal["food", "supplement"]
    ref: str
    name: CleanText
    grams: float | None = None
    doses: float | None = None
    portion: str | None = None
    nutrients: Nutrients
    inhibitors: dict[str, EntryInhibitor] = Field(default={})
    offset_minutes: int = 0


class SavedMeal(Model):
    """A named set of items logged together (e.g. "my usual breakfast")."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    name: CleanText
    meal: MealSlot
    items: list[MealItem]

    def totals(self) -> dict[str, float]:
        """Known nutrient amounts of the whole meal."""
        summed = sum_nutrients(item.nutrients for item in self.items)
        return {key: summed[key].amount for key in NUTRIENT_KEYS}


def meal_from_entries(meal_id: str, name: str, entries: list[Entry]) -> SavedMeal:
    """A saved meal made of ``entries`` (times kept relative to the first)."""
    ordered = sorted(entries, key=lambda e: e.at)
    start = ordered[0].at
    items = [
        MealItem(kind=e.kind, ref=e.ref, name=e.name, grams=e.grams, doses=e.doses, portion=e.portion,
                 nutrients=e.nutrients, inhibitors=e.inhibitors, offset_minutes=int((e.at - start).total_seconds() // 60))
        for e in ordered
    ]  # fmt: skip
    return SavedMeal(id=meal_id, name=name, meal=ordered[0].meal, items=items)


def entries_for_meal(meal: SavedMeal, at: datetime, new_id: list[str]) -> list[Entry]:
    """The meal's items as entries starting at ``at`` (``new_id`` supplies one id per item)."""
    return [
        Entry(id=new_id[n], at=at + timedelta(minutes=item.offset_minutes), kind=item.kind, ref=item.ref, name=item.name,
              meal=meal.meal, grams=item.grams, doses=item.doses, portion=item.portion, nutrients=item.nutrients,
              inhibitors=item.inhibitors)
        for n, item in enumerate(meal.items)
    ]  # fmt: skip


def repeat_entries(entries: list[Entry], at: datetime, new_id: list[str]) -> list[Entry]:
    """Copies of ``entries`` moved so the first starts at ``at`` (spacing kept)."""
    start = min(e.at for e in entries)
    return [
        e.model_copy(update={"id": new_id[n], "at": at + (e.at - start)})
        for n, e in enumerate(sorted(entries, key=lambda e: e.at))
    ]


def same_time_today(entries: list[Entry], today: date) -> datetime:
    """Where copies of another day's ``entries`` start today: the first one's time of day (a
    07:30 breakfast repeated is today's 07:30 breakfast)."""
    return datetime.combine(today, min(e.at for e in entries).time())


def still_to_come(entries: list[Entry], start: datetime, now: datetime) -> list[datetime]:
    """The times copies of ``entries`` starting at ``start`` would have that are later than
    ``now`` (logging them there records what has not happened yet)."""
    first = min(e.at for e in entries)
    return sorted(start + (e.at - first) for e in entries if start + (e.at - first) > now)


class Ingredient(Model):
    """A catalog food and its grams in the whole recipe."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    food_id: str
    name: CleanText
    grams: float = Field(gt=0, le=5000)


class Recipe(Model):
    """Ingredients for a number of servings, with nutrients and inhibitors per serving."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    name: CleanText
    servings: float = Field(gt=0, le=100)
    ingredients: list[Ingredient] = Field(min_length=1)
    per_serving: Nutrients
    serving_grams: float
    inhibitors: dict[str, EntryInhibitor] = Field(default={})
    note: str = RECIPE_NOTE


def build_recipe(recipe_id: str, name: str, servings: float, ingredients: list[tuple[Food, float]]) -> Recipe:
    """Compute a recipe's per-serving nutrients and inhibitors from its ingredients."""
    parts = [food_nutrients(food, grams) for food, grams in ingredients]
    summed = sum_nutrients(parts)
    per_serving: dict[str, float | None] = {}
    for key in NUTRIENT_KEYS:
        # Unknown if any ingredient's value is unknown: never count an unmeasured value as 0.
        # No rounding here: a serving must add up to exactly its share of the parts.
        total = sum((p.get(key) or 0.0) for p in parts)
        per_serving[key] = None if summed[key].unknown_entries else total / servings
    inhibitors: dict[str, EntryInhibitor] = {}
    for food, grams in ingredients:
        for kind, found in food_inhibitors(food, grams).items():
            previous = inhibitors.get(kind)
            mg = found.mg / servings if found.mg is not None else None
            carrier = grams / servings
            if previous is None:
                inhibitors[kind] = EntryInhibitor(
                    level=found.level, mg=None if mg is None else round(mg, 1), grams=round(carrier, 2),
                    origin=found.origin,
                )  # fmt: skip
                continue
            level = max(previous.level, found.level, key=lambda lv: LEVEL_RANK[lv])
            total_mg = None if previous.mg is None or mg is None else round(previous.mg + mg, 1)
            origin = max(previous.origin, found.origin, key=lambda o: ORIGIN_RANK[o])  # the weakest basis
            inhibitors[kind] = EntryInhibitor(
                level=level, mg=total_mg, grams=round((previous.grams or 0) + carrier, 2), origin=origin
            )
    total = sum(grams for _, grams in ingredients)
    return Recipe(
        id=recipe_id, name=name, servings=servings,
        ingredients=[Ingredient(food_id=food.id, name=food.name, grams=grams) for food, grams in ingredients],
        per_serving=Nutrients(**per_serving), serving_grams=round(total / servings, 1), inhibitors=inhibitors,
    )  # fmt: skip


def recipe_entry(recipe: Recipe, servings: float, at: datetime, meal: MealSlot, entry_id: str) -> Entry:
    """An entry for ``servings`` of a recipe."""
    inhibitors = {
        kind: EntryInhibitor(level=found.level, mg=None if found.mg is None else round(found.mg * servings, 1),
                             grams=None if found.grams is None else round(found.grams * servings, 2),
                             origin=found.origin)
        for kind, found in recipe.inhibitors.items()
    }  # fmt: skip
    label = "1 serving" if servings == 1 else f"{servings:g} servings"
    return Entry(id=entry_id, at=at, kind="food", ref=f"recipe:{recipe.id}", name=f"{recipe.name} (recipe)", meal=meal,
                 grams=round(recipe.serving_grams * servings, 1), portion=label, nutrients=recipe.per_serving.scaled(servings),
                 inhibitors=inhibitors)  # fmt: skip
