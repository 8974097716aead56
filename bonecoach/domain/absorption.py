"""Absorbable calcium: an estimate of what the body gets, not only what the plate holds.

Fractional absorption from milk falls with the calcium load of the meal, FA = a - b ln(load in mg);
a food absorbs like milk scaled by its absorptive index (its measured efficiency over milk's), and
a food the table does not cover is "not estimated", never milk-like (DOMAIN.md). A meal is every
calcium source within the conflict rules' grouping window of the one before. Supplements count in
a meal's load; our sources give no figure for a salt on its own, so their own calcium is not
estimated. An estimate for comparison, not a measurement: absorption also depends on vitamin D
status, age and the person.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime, timedelta

from pydantic import ConfigDict

from bonecoach.domain.base import Model
from bonecoach.domain.models import Entry

MEAL_MINUTES = 30  # as the conflict rules group a meal's calcium


class LoadEquation(Model):
    """FA = intercept - slope ln(load in mg), from DOMAIN.md."""

    model_config = ConfigDict(frozen=True)

    intercept: float
    slope: float

    def fraction(self, load_mg: float) -> float:
        """Fractional absorption at a calcium load, kept between 0 and 1."""
        if load_mg <= 0:
            return 0.0
        return max(0.0, min(1.0, self.intercept - self.slope * math.log(load_mg)))


class MealEstimate(Model):
    """One meal: its calcium load, the fraction absorbed at that load from milk, and the estimate."""

    model_config = ConfigDict(frozen=True)

    start: datetime
    load_mg: float
    fraction: float
    absorbed_mg: float  # over the foods with an index
    covered_mg: float  # the calcium of those foods


class AbsorptionEstimate(Model):
    """The day: absorbed (estimate), the calcium it covers, the calcium logged, per meal."""

    model_config = ConfigDict(frozen=True)

    mg: float
    covered_mg: float
    calcium_mg: float
    per_meal: list[MealEstimate]

    @property
    def covered_percent(self) -> float | None:
        """How much of the day's calcium the estimate covers, or None with no calcium."""
        return round(self.covered_mg / self.calcium_mg * 100, 0) if self.calcium_mg else None


def _calcium(entry: Entry) -> float:
    if entry.kind == "medication":
        return 0.0
    return entry.nutrients.calcium_mg or 0.0


def absorbable_calcium(
    entries: Sequence[Entry], indices: dict[str, float], equation: LoadEquation, meal_minutes: int = MEAL_MINUTES
) -> AbsorptionEstimate:
    """The day's absorbable calcium from its entries; ``indices``: catalog food id -> index."""
    sources = sorted((e for e in entries if _calcium(e) > 0), key=lambda e: (e.at, e.id))
    meals: list[list[Entry]] = []
    for entry in sources:
        if meals and entry.at - meals[-1][-1].at <= timedelta(minutes=meal_minutes):
            meals[-1].append(entry)
        else:
            meals.append([entry])
    per_meal = []
    total_absorbed = total_covered = 0.0
    for meal in meals:
        load = sum(_calcium(e) for e in meal)
        fraction = equation.fraction(load)
        absorbed = covered = 0.0
        for entry in meal:
            index = indices.get(entry.ref) if entry.kind == "food" else None
            if index is None:
                continue
            covered += _calcium(entry)
            absorbed += _calcium(entry) * min(1.0, fraction * index)  # never more than it holds
        total_absorbed += absorbed
        total_covered += covered
        per_meal.append(MealEstimate(start=meal[0].at, load_mg=round(load, 1), fraction=round(fraction, 4),
                                     absorbed_mg=round(absorbed, 1), covered_mg=round(covered, 1)))  # fmt: skip
    # Totals from the unrounded figures, so estimate <= covered <= logged holds after rounding too.
    return AbsorptionEstimate(
        mg=round(total_absorbed, 1),
        covered_mg=round(total_covered, 1),
        calcium_mg=round(sum(_calcium(e) for e in sources), 1),
        per_meal=per_meal,
    )


class AbsorbedMean(Model):
    """Absorbed calcium (estimate) per logged day over a period, and how much of the calcium it covers."""

    model_config = ConfigDict(frozen=True)

    mg_per_day: float
    covered_percent: float | None

    def phrase(self) -> str:
        """ "absorbed (estimate) ~310 mg/day, for 82% of the calcium" (Week tab, report, CLI)."""
        covered = f", for {self.covered_percent:.0f}% of the calcium" if self.covered_percent is not None else ""
        return f"absorbed (estimate) ~{self.mg_per_day:,.0f} mg/day{covered}"


def mean_absorbed(estimates: Sequence[AbsorptionEstimate]) -> AbsorbedMean | None:
    """The mean over the days given (the logged ones), or ``None`` when none holds calcium."""
    counted = [e for e in estimates if e.calcium_mg > 0]
    if not counted:
        return None
    calcium = sum(e.calcium_mg for e in counted)
    return AbsorbedMean(mg_per_day=round(sum(e.mg for e in counted) / len(counted), 1),
                        covered_percent=round(sum(e.covered_mg for e in counted) / calcium * 100, 0))  # fmt: skip
