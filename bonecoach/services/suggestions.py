"""Suggestions: ways to close the day's gaps at a given time without a conflict or a crossed limit."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from bonecoach.domain.day import DaySummary, food_entry, medication_entry, supplement_entry
from bonecoach.domain.errors import InputError
from bonecoach.domain.meals import (
    recipe_entry,
)
from bonecoach.domain.models import Entry
from bonecoach.domain.suggest import Candidate, Suggestion, suggest
from bonecoach.services import entries, foods, meals, regimen, review
from bonecoach.services.context import Context
from bonecoach.services.names import parse_meal

# Everyday foods offered when the person's own history has nothing that fits: common calcium,
# vitamin D and magnesium sources in the USDA catalog, in their first household portion.
COMMON_FOODS = {
    "01079": "1 cup",  # 2% milk
    "01117": "1 container (8 oz)",  # plain low-fat yogurt
    "01009": "1 oz",  # cheddar
    "15088": "1 can (3.75 oz)",  # sardines with bone
    "16427": "0.5 cup",  # tofu made with calcium sulfate
    "11234": "1 cup, chopped",  # kale, cooked
    "12061": "1 oz (23 whole kernels)",  # almonds
    "15084": "3 oz",  # canned pink salmon with bones
    "16426": "0.5 cup",  # firm calcium tofu
    "11091": "0.5 cup, chopped",  # broccoli, cooked
}


def suggestions(
    ctx: Context, day: date | None = None, at: str | datetime | None = None, limit: int = 5
) -> list[Suggestion]:
    """Ways to close the day's gaps at ``at`` (default now) without a conflict or a crossed limit."""
    chosen = day or ctx.now().date()
    moment = ctx.moment(at)
    if moment.date() != chosen:
        moment = datetime.combine(chosen, moment.time())
    summary = review.day(ctx, chosen)
    around = ctx.repo.entries_between(chosen - timedelta(days=1), chosen + timedelta(days=1))
    offered = candidates(ctx, moment)
    if holds(ctx):
        # Labs say no calcium or vitamin D: neither is a gap to close, nor anything that adds them.
        held = ("calcium_mg", "vitamin_d_mcg")
        summary = summary.model_copy(update={"targets": {k: t for k, t in summary.targets.items() if k not in held}})
        offered = [c for c in offered if not any((c.entry.nutrients.get(k) or 0) > 0 for k in held)]
    return suggest(
        summary,
        around,
        planned_doses(ctx, chosen, around),
        offered,
        ctx.checker,
        limit,
        indices=ranking_indices(ctx),
    )


def holds(ctx: Context) -> list[str]:
    """Why no calcium or vitamin D is suggested (a lab result above its range), or nothing."""
    from bonecoach.domain.bone import advice_holds

    return advice_holds(ctx.repo.labs())


def ranking_indices(ctx: Context) -> dict[str, float]:
    """Index against milk by catalog food and by calcium supplement (a salt absorbs as milk does)."""
    data = ctx.absorption
    salts = review.supplement_salts(ctx)
    return {**data.indices, **{ref: data.salts[salt].index for ref, salt in salts.items() if salt in data.salts}}


def accept_suggestion(ctx: Context, suggestion: Suggestion, at: str | datetime | None = None) -> Entry:
    """Log a suggestion as it was offered."""
    if suggestion.kind == "supplement":
        return entries.log_supplement(ctx, suggestion.id, doses=suggestion.amount.get("doses", 1.0), at=at)
    if suggestion.id.startswith("recipe:"):
        recipe = next((r for r in ctx.repo.recipes() if f"recipe:{r.id}" == suggestion.id), None)
        if recipe is None:
            raise InputError("That recipe no longer exists.")
        return meals.log_recipe(ctx, recipe.name, servings=1.0, at=at)
    return entries.log_food(ctx, suggestion.id, grams=suggestion.amount["grams"], at=at)


def planned_doses(ctx: Context, day: date, logged: list[Entry]) -> list[Entry]:
    """Regimen medicines still to come today, where the planner would put them."""
    taken = {e.ref for e in logged if e.at.date() == day}
    plan = regimen.plan(ctx, day)
    medications = {m.id: m for m in ctx.medications}
    return [
        medication_entry(f"planned-{item.ref}-{n}", medications[item.ref], item.at)
        for n, item in enumerate(plan.items)
        if item.kind == "medication" and item.ref not in taken and item.ref in medications
    ]


def candidates(ctx: Context, moment: datetime) -> list[Candidate]:
    found: list[Candidate] = []
    supplements = {s.id: s for s in foods.supplements(ctx)}
    recipes = {f"recipe:{r.id}": r for r in ctx.repo.recipes()}
    meal = parse_meal(None, moment)
    for ref, uses, amount in foods.recent_refs(ctx):
        if ref in supplements:
            product = supplements[ref]
            entry = supplement_entry(f"suggest-{ref}", product, amount or 1.0, moment)
        elif ref in recipes:
            entry = recipe_entry(recipes[ref], 1.0, moment, meal, f"suggest-{ref}")
        else:
            food = foods.food(ctx, ref)
            if food is None or not amount:
                continue
            entry = food_entry(f"suggest-{ref}", food, amount, moment, meal)
        found.append(Candidate(entry=entry, own=True, uses=uses))
    owned = {s.id for s in ctx.repo.user_supplements()} | {
        sid for items in ctx.repo.supplement_sets().values() for sid, _ in items
    }
    for ref in sorted(owned):
        if ref in supplements:
            product = supplements[ref]
            entry = supplement_entry(f"suggest-{ref}", product, 1.0, moment)
            found.append(Candidate(entry=entry, own=True))
    for food_id, label in COMMON_FOODS.items():
        food = foods.food(ctx, food_id)
        portion = next((p for p in food.portions if p.label == label), None) if food else None
        if food is None or portion is None:
            continue
        grams = portion.grams
        entry = food_entry(f"suggest-{food_id}", food, grams, moment, meal, portion.label)

        found.append(Candidate(entry=entry, own=False))
    return found


def day_notes(ctx: Context, summary: DaySummary, hidden: frozenset[str] = frozenset()) -> list[str]:
    """What Today says under the bars, in order: on today, what is still short of a target (not
    for a nutrient the person hid), then the reminders (a scan or recheck due, doses)."""
    from bonecoach.domain.nutrient_info import NUTRIENT_INFO
    from bonecoach.domain.suggest import gaps
    from bonecoach.services.bone import reminders

    notes = list(reminders(ctx, summary.date))
    short = {key: amount for key, amount in gaps(summary).items() if key not in hidden}
    if short and summary.date == ctx.now().date():
        missing = ", ".join(f"{NUTRIENT_INFO[k].label} {v:,.0f} {NUTRIENT_INFO[k].unit}" for k, v in short.items())
        notes.insert(0, f"Still short: {missing} (g: close the gap)")
    return notes
