"""Absorbable calcium: an estimate of what the body gets, not only what the plate holds.

Fractional absorption from milk falls with the calcium load of the meal, FA = a - b ln(load in mg).
A food absorbs like milk at the meal's load times its absorptive index. The index comes from the
table's own figures: each published efficiency is already the milk equation at the food's serving
load times its index (PMC5442193 Table 1, footnote c), so index = efficiency / FA(serving load);
dividing by milk's efficiency instead would count the load twice. Dairy is 1.0 by definition. A
calcium salt absorbs about as milk at the same load (index 1.0), carbonate only with food. A food
or product without a measured figure is "not estimated", never milk-like (DOMAIN.md). A meal is
every calcium source within the conflict rules' grouping window of the one before. An estimate for
comparison, not a measurement: absorption also depends on vitamin D status, age and the person.
"""

import math
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta

from pydantic import ConfigDict, Field

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


class CalciumSalt(Model):
    """How a supplement's calcium salt absorbs: its index against milk and whether it needs food."""

    model_config = ConfigDict(frozen=True)

    salt: str
    index: float
    needs_food: bool
    source: str


class AbsorptionData(Model):
    """What the estimate needs: the equation, each covered food's index, the salts, the citation."""

    model_config = ConfigDict(frozen=True)

    equation: LoadEquation
    indices: dict[str, float]  # catalog food id -> index
    salts: dict[str, CalciumSalt]  # "carbonate" / "citrate" -> how it absorbs
    source: str


def salt_of(form: str) -> str | None:
    """The calcium salt a supplement's form names ("calcium carbonate + cholecalciferol" -> carbonate).

    A product naming both salts counts as carbonate, the one that needs food: the cautious reading.
    """
    text = form.lower()
    if "carbonate" in text:
        return "carbonate"
    if "citrate" in text:
        return "citrate"
    return None


class AbsorptionEstimate(Model):
    """The day: absorbed (estimate), the calcium it covers, the calcium logged, per meal, and why
    any supplement's calcium was not estimated."""

    model_config = ConfigDict(frozen=True)

    mg: float
    covered_mg: float
    calcium_mg: float
    per_meal: list[MealEstimate]
    notes: list[str] = Field(default=[])

    @property
    def covered_percent(self) -> float | None:
        """How much of the day's calcium the estimate covers, or None with no calcium."""
        return round(self.covered_mg / self.calcium_mg * 100, 0) if self.calcium_mg else None


def _calcium(entry: Entry) -> float:
    if entry.kind == "medication":
        return 0.0
    return entry.nutrients.calcium_mg or 0.0


def _index(
    entry: Entry, data: AbsorptionData, supplement_salts: Mapping[str, str], with_food: bool
) -> tuple[float | None, str | None]:
    """The entry's index against milk, or None with the reason when the entry has a reason."""
    if entry.kind == "food":
        return data.indices.get(entry.ref), None
    salt = data.salts.get(supplement_salts.get(entry.ref, ""))
    if salt is None:
        return None, None
    if salt.needs_food and not with_food:
        return None, (
            f"{entry.name} at {entry.clock()}: calcium {salt.salt} taken without food is absorbed poorly "
            "(it needs a meal's stomach acid), so its calcium is not estimated; take it with a meal, or "
            "ask about calcium citrate."
        )
    return salt.index, None


def absorbable_calcium(
    entries: Sequence[Entry],
    data: AbsorptionData,
    supplement_salts: Mapping[str, str] | None = None,
    meal_minutes: int = MEAL_MINUTES,
) -> AbsorptionEstimate:
    """The day's absorbable calcium from its entries.

    ``supplement_salts``: supplement id -> its calcium salt (see ``salt_of``); a supplement not in it
    is not estimated. A supplement is taken with food when a food entry lies within ``meal_minutes``.
    """
    salts = supplement_salts or {}
    window = timedelta(minutes=meal_minutes)
    food_times = sorted(e.at for e in entries if e.kind == "food")
    sources = sorted((e for e in entries if _calcium(e) > 0), key=lambda e: (e.at, e.id))
    meals: list[list[Entry]] = []
    for entry in sources:
        if meals and entry.at - meals[-1][-1].at <= window:
            meals[-1].append(entry)
        else:
            meals.append([entry])
    per_meal = []
    notes: list[str] = []
    total_absorbed = total_covered = 0.0
    for meal in meals:
        load = sum(_calcium(e) for e in meal)
        fraction = data.equation.fraction(load)
        absorbed = covered = 0.0
        for entry in meal:
            with_food = any(abs(at - entry.at) <= window for at in food_times)
            index, why = _index(entry, data, salts, with_food)
            if why is not None:
                notes.append(why)
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
        notes=notes,
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
