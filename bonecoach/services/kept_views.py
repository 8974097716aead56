"""The ``--json`` shapes of what a person keeps (the profile, the regimen, saved meals, recipes)
and of a suggestion: each key written out, so a renamed field cannot change a documented
interface (README, JSON output; a test checks the README names every key printed)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bonecoach.services.views import nutrients_json

if TYPE_CHECKING:
    from bonecoach.domain.meals import Recipe, SavedMeal
    from bonecoach.domain.models import Profile
    from bonecoach.domain.regimen import Regimen
    from bonecoach.domain.suggest import Suggestion


def suggestion_json(suggestion: Suggestion) -> dict[str, Any]:
    """``suggest --json``'s shape for one suggestion (an interface: README, JSON output)."""
    return {"kind": suggestion.kind, "id": suggestion.id, "name": suggestion.name, "amount": dict(suggestion.amount),
            "adds": dict(suggestion.adds), "why": suggestion.why}  # fmt: skip


def profile_json(profile: Profile) -> dict[str, Any]:
    """``profile show --json`` (an interface: README, JSON output)."""
    return {"sex": profile.sex.value, "birth_date": profile.birth_date.isoformat(), "guideline": profile.guideline,
            "overrides": {key: {"target": o.target, "upper_limit": o.upper_limit} for key, o in profile.overrides.items()},
            "reported_tscore": profile.reported_tscore, "vertebral_fractures": profile.vertebral_fractures,
            "other_fractures": profile.other_fractures, "falls_last_year": profile.falls_last_year,
            "impact_cleared": profile.impact_cleared, "weights_cleared": profile.weights_cleared,
            "postmenopausal": profile.postmenopausal, "weight_kg": profile.weight_kg,
            "water_calcium_mg_per_l": profile.water_calcium_mg_per_l}  # fmt: skip


def regimen_json(regimen: Regimen) -> dict[str, Any]:
    """``regimen show --json``: each item and the usual times of the day."""
    items = [{"kind": i.kind, "ref": i.ref, "doses": i.doses, "frequency": i.frequency, "weekday": i.weekday,
              "monthday": i.monthday, "start": i.start.isoformat() if i.start else None,
              "until": i.until.isoformat() if i.until else None, "at": i.at.isoformat() if i.at else None}
             for i in regimen.items]  # fmt: skip
    times = regimen.times
    return {"items": items, "times": {name: getattr(times, name).isoformat()
                                      for name in ("wake", "breakfast", "lunch", "dinner", "bed")}}  # fmt: skip


def saved_meal_json(meal: SavedMeal) -> dict[str, Any]:
    """``meal list --json``: a saved meal, its items (as entries without id and date, each with its
    ``offset_minutes`` from the first) and its ``totals``."""
    items = [{"kind": i.kind, "ref": i.ref, "name": i.name, "grams": i.grams, "doses": i.doses, "portion": i.portion,
              "nutrients": nutrients_json(i.nutrients),
              "inhibitors": {tag: found.model_dump(mode="json") for tag, found in i.inhibitors.items()},
              "offset_minutes": i.offset_minutes} for i in meal.items]  # fmt: skip
    return {"id": meal.id, "name": meal.name, "meal": meal.meal.value, "items": items, "totals": meal.totals()}


def recipe_json(recipe: Recipe) -> dict[str, Any]:
    """``recipe list --json``: a recipe's ingredients (grams for the whole pot) and what a serving holds."""
    return {"id": recipe.id, "name": recipe.name, "servings": recipe.servings,
            "ingredients": [{"food_id": i.food_id, "name": i.name, "grams": i.grams} for i in recipe.ingredients],
            "per_serving": nutrients_json(recipe.per_serving), "serving_grams": recipe.serving_grams,
            "inhibitors": {tag: found.model_dump(mode="json") for tag, found in recipe.inhibitors.items()},
            "note": recipe.note}  # fmt: skip
