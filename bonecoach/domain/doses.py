"""Doses as the day plan takes them: how many a regimen item is due in on a day, and how many of
those what was logged covers (the week and the report count adherence by these)."""

from __future__ import annotations

from collections.abc import Sequence

from bonecoach.domain.conflicts import ConflictChecker
from bonecoach.domain.models import Supplement
from bonecoach.domain.planner import RegimenItem, calcium_portions, dose_limit


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
