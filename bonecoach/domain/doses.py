"""Doses as the day plan takes them: how many a regimen item is due in on a day, and how many of
those what was logged covers (the week and the report count adherence by these)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from bonecoach.domain.models import Entry, Supplement
from bonecoach.domain.planner import DayPlan, RegimenItem, calcium_portions, dose_limit

if TYPE_CHECKING:
    from bonecoach.domain.conflicts import ConflictChecker
    from bonecoach.domain.targets import Target


def planned_doses(item: RegimenItem, product: Supplement | None, checker: ConflictChecker) -> list[float]:
    """The doses an item is taken in on a day it is due, as ``plan_day`` plans them: a calcium
    supplement in portions the gut absorbs well (two tablets of 600 mg: two doses), anything else
    at once. Adherence counts each of them."""
    if item.kind != "supplement" or product is None:
        return [1.0]
    limit, _ = dose_limit(checker)
    portions, _ = calcium_portions(product.nutrients.calcium_mg or 0.0, item.doses, product.dose_label, limit)
    return portions


def doses_covered(planned: Sequence[float], logged: Sequence[float]) -> int:
    """How many of the day's planned doses what was logged covers: in order, each planned dose
    counts once the logged amount reaches it (two tablets logged at once cover two planned
    doses of one; one logged of two planned covers one)."""
    remaining = sum(logged)
    covered = 0
    for size in planned:
        if remaining + 1e-9 < size:
            break
        remaining -= size
        covered += 1
    return covered


def calcium_skips(plan: DayPlan, entries: Sequence[Entry], products: Mapping[str, Supplement],
                  calcium: Target | None) -> DayPlan:  # fmt: skip
    """The plan with each calcium dose not yet taken marked "skip today" where the day's food has
    made it unnecessary (the food met the target) or where it would take the day over the upper
    limit: food first, supplements fill what food leaves (NIH ODS, BHOF, via DOMAIN.md)."""
    on_day = [e for e in entries if e.at.date() == plan.date]
    food = sum(e.nutrients.calcium_mg or 0.0 for e in on_day if e.kind == "food")
    projected = sum(e.nutrients.calcium_mg or 0.0 for e in on_day if e.kind != "medication")
    logged: dict[str, int] = {}
    for entry in on_day:
        logged[entry.ref] = logged.get(entry.ref, 0) + 1
    target = calcium.target if calcium else None
    limit = calcium.upper_limit if calcium and calcium.upper_limit_applies_to == "all" else None
    items = []
    for item in plan.items:
        product = products.get(item.ref) if item.kind == "supplement" else None
        per_dose = (product.nutrients.calcium_mg or 0.0) if product else 0.0
        if per_dose <= 0:
            items.append(item)
            continue
        if logged.get(item.ref, 0) > 0:  # taken (the first planned doses are ticked first)
            logged[item.ref] -= 1
            items.append(item)
            continue
        dose = per_dose * (item.doses or 1.0)
        if target is not None and food >= target:
            why = f"skip today: food already gave {food:,.0f} mg of calcium, the day's {target:,.0f} mg (food first)"
        elif limit is not None and projected + dose > limit:
            why = (f"skip today: it would take the day's calcium to {projected + dose:,.0f} mg, over the "
                   f"{limit:,.0f} mg upper limit (food first)")  # fmt: skip
        else:
            projected += dose
            items.append(item)
            continue
        items.append(item.model_copy(update={"skip": why}))
    return plan.model_copy(update={"items": items})
