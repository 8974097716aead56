"""A day's log: nutrients of each entry, totals, and how they compare with targets."""

from datetime import date, datetime
from typing import Literal

from pydantic import ConfigDict, Field

from bonecoach.domain.base import Model
from bonecoach.domain.conflicts import Conflict
from bonecoach.domain.models import (
    Entry,
    EntryInhibitor,
    Food,
    MealSlot,
    Medication,
    Supplement,
    supplement_carries,
)
from bonecoach.domain.nutrient_info import NUTRIENT_KEYS, VITAMIN_K_TOTAL
from bonecoach.domain.nutrients import Nutrients, NutrientTotal, sum_nutrients
from bonecoach.domain.targets import Target

Status = Literal["none", "low", "close", "met", "over", "unknown"]
CLOSE_FRACTION = 0.8  # 80-99% of a target counts as close
# The vitamin K Adequate Intake (IOM / NIH ODS) is for total vitamin K: K1 and K2 are judged together
# against it (each is still shown on its own). K2's own goal is a study dose, not part of the AI.
JUDGED_WITH: dict[str, tuple[str, ...]] = {"vitamin_k1_mcg": ("vitamin_k2_mcg",)}
# A sum judged under its own key, and the key the target table keeps its target under.
SUMS: dict[str, tuple[str, ...]] = {VITAMIN_K_TOTAL: ("vitamin_k1_mcg", "vitamin_k2_mcg")}
TARGET_KEY: dict[str, str] = {VITAMIN_K_TOTAL: "vitamin_k1_mcg"}


def food_nutrients(food: Food, grams: float) -> Nutrients:
    """Nutrients in ``grams`` of ``food`` (its values are per 100 g)."""
    return food.per_100g.scaled(grams / 100.0)


def food_inhibitors(food: Food, grams: float) -> dict[str, EntryInhibitor]:
    """The oxalate or phytate ``grams`` of ``food`` bring: mg when measured, else the level."""
    return {
        tag.kind: EntryInhibitor(
            level=tag.level,
            mg=None if tag.mg_per_100g is None else round(tag.mg_per_100g * grams / 100.0, 1),
            grams=round(grams, 2),
            origin=tag.origin,
        )
        for tag in food.inhibitors
    }


def known_inhibitors(food: Food, grams: float | None) -> dict[str, EntryInhibitor]:
    """As ``food_inhibitors``, or the level alone when the amount is not known in grams."""
    if grams is not None:
        return food_inhibitors(food, grams)
    return {tag.kind: EntryInhibitor(level=tag.level, origin=tag.origin) for tag in food.inhibitors}


def supplement_nutrients(supplement: Supplement, doses: float) -> Nutrients:
    """Nutrients in ``doses`` of ``supplement`` (its values are per dose)."""
    return supplement.nutrients.scaled(doses)


def food_entry(
    entry_id: str, food: Food, grams: float, at: datetime, meal: MealSlot, portion: str | None = None
) -> Entry:
    """An entry for ``grams`` of ``food``, with its nutrients and inhibitors as of now."""
    return Entry(id=entry_id, at=at, kind="food", ref=food.id, name=food.name, meal=meal, grams=grams, portion=portion,
                 nutrients=food_nutrients(food, grams), inhibitors=food_inhibitors(food, grams))  # fmt: skip


def with_water_calcium(entry: Entry, mg_per_litre: float) -> Entry:
    """A plain-water entry counted at the calcium the person's own water has (its label or the
    utility's report, mg/L; a gram of water is a millilitre) instead of SR28's tap-water average."""
    calcium = round((entry.grams or 0) * mg_per_litre / 1000, 2)
    nutrients = entry.nutrients.model_copy(update={"calcium_mg": calcium})
    return entry.model_copy(update={"nutrients": nutrients})


def supplement_entry(entry_id: str, product: Supplement, doses: float, at: datetime) -> Entry:
    """An entry for ``doses`` of a supplement."""
    return Entry(id=entry_id, at=at, kind="supplement", ref=product.id, name=product.name, meal=MealSlot.supplements,
                 doses=doses, nutrients=supplement_nutrients(product, doses),
                 carries=supplement_carries(product.nutrients, product.carries, product.form))  # fmt: skip


def medication_entry(entry_id: str, medication: Medication, at: datetime) -> Entry:
    """An entry for a dose of a medicine (no nutrients; its drug class drives the timing rules)."""
    return Entry(id=entry_id, at=at, kind="medication", ref=medication.id, name=medication.name, meal=MealSlot.medications,
                 doses=1.0, nutrients=Nutrients(), drug_class=medication.drug_class, carries=medication.carries)  # fmt: skip


def nutrient_status(amount: float, target: Target | None) -> Status:
    """Where an amount stands: over the limit, met, close (80% or more), low, or no target."""
    if target is None:
        return "none"
    if target.upper_limit is not None and target.upper_limit_applies_to == "all" and amount > target.upper_limit:
        return "over"
    if target.target is None:
        return "none"
    if amount >= target.target:
        return "met"
    if amount >= CLOSE_FRACTION * target.target:
        return "close"
    return "low"


class DaySummary(Model):
    """Everything the Today pane and ``day --json`` show for one date."""

    model_config = ConfigDict(frozen=True)

    date: date
    entries: list[Entry]
    totals: dict[str, NutrientTotal]
    supplement_totals: dict[str, float]
    targets: dict[str, Target]
    conflicts: list[Conflict] = Field(default=[])

    def conflicted_entries(self) -> set[str]:
        """Ids of entries that take part in a conflict."""
        return {entry_id for conflict in self.conflicts for entry_id in conflict.entries}

    def measured(self, key: str) -> bool:
        """Whether any entry of the day has a value for ``key`` (if none has, the total is unknown,
        not zero: nothing was measured)."""
        counted = sum(1 for entry in self.entries if entry.kind != "medication")
        return counted == 0 or self.totals[key].unknown_entries < counted

    def amount(self, key: str) -> float:
        """A nutrient's own total, or a sum's (total vitamin K)."""
        if key in SUMS:  # rounded as the totals are, so 0.96 + 93.44 reads 94.4
            return round(sum(self.totals[part].amount for part in SUMS[key]), 2)
        return self.totals[key].amount

    def measured_any(self, key: str) -> bool:
        """As ``measured``, for a sum too: measured when any of its parts is."""
        return any(self.measured(part) for part in SUMS.get(key, (key,)))

    def unknown_entries(self, key: str) -> int:
        """Entries without a value for a nutrient; for a sum, those without any of its parts (at
        least as many as the part with fewest unknowns)."""
        return min(self.totals[part].unknown_entries for part in SUMS.get(key, (key,)))

    def target_of(self, key: str) -> Target | None:
        """The target a key is judged against (a sum's is kept under its first part's key)."""
        return self.targets.get(TARGET_KEY.get(key, key))

    def judged_amount(self, key: str) -> float:
        """The amount a target is judged on: the nutrient's total, with K2 for total vitamin K."""
        return self.totals[key].amount + sum(self.totals[other].amount for other in JUDGED_WITH.get(key, ()))

    def status(self, key: str) -> Status:
        """The status of one nutrient, judging supplement-only limits on supplements alone;
        "unknown" when every entry of the day lacks a value for it. A sum (total vitamin K) is
        judged as Today's bar for its first part is."""
        if key in SUMS:
            key = TARGET_KEY[key]
        if not self.measured_any(key):
            return "unknown"
        target = self.targets.get(key)
        amount = self.judged_amount(key)
        limit = target.upper_limit if target else None
        supplements_only = target is not None and target.upper_limit_applies_to == "supplements"
        if supplements_only and limit is not None and self.supplement_totals.get(key, 0.0) > limit:
            return "over"
        return nutrient_status(amount, target)


def summarize_day(
    day: date, entries: list[Entry], targets: dict[str, Target], conflicts: list[Conflict] | None = None
) -> DaySummary:
    """Totals for ``day``'s entries (which the caller has already chosen) against ``targets``."""
    ordered = sorted(entries, key=lambda entry: (entry.at, entry.id))
    supplements = sum_nutrients(entry.nutrients for entry in ordered if entry.kind == "supplement")
    # Medicines carry no nutrients; leaving them out keeps "unmeasured" counts honest.
    nourishing = (entry.nutrients for entry in ordered if entry.kind != "medication")
    return DaySummary(
        date=day,
        entries=ordered,
        totals=sum_nutrients(nourishing),
        supplement_totals={key: supplements[key].amount for key in NUTRIENT_KEYS},
        targets=targets,
        conflicts=conflicts or [],
    )
