"""Plan a day: place medicines and supplements around meals so that every window is kept.

The same ``ConflictChecker`` that finds conflicts decides what fits, so a plan and the checks can
never disagree. Meals are assumed to contain calcium (most do, and a missed window is worse than a
cautious one); the plan says so.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, timedelta
from typing import Literal

from pydantic import ConfigDict, Field

from bonecoach.domain.base import Model
from bonecoach.domain.conflicts import ConflictChecker, FastingWindowRule, SingleDoseRule
from bonecoach.domain.models import Entry, MealSlot, Medication, Supplement, supplement_carries
from bonecoach.domain.nutrients import Nutrients
from bonecoach.domain.regimen import FIRST_START as FIRST_START
from bonecoach.domain.regimen import MealTimes as MealTimes
from bonecoach.domain.regimen import Regimen as Regimen
from bonecoach.domain.regimen import RegimenItem as RegimenItem
from bonecoach.domain.targets import Target

STEP_MINUTES = 15
ASSUMED_MEAL_CALCIUM_MG = 300.0  # "a meal may hold a dairy serving": enough to count as a calcium source


class PlannedItem(Model):
    """One line of the timetable."""

    model_config = ConfigDict(frozen=True)

    at: datetime
    kind: Literal["meal", "medication", "supplement"]
    ref: str
    name: str
    doses: float | None = None
    note: str = ""
    fast_minutes: int | None = None  # a fasting tablet: nothing but water for this long after it
    skip: str = ""  # why this dose is not needed today (food first, or the upper limit), if so


class DayPlan(Model):
    """A timetable that keeps every window, and what could not be fitted (with why)."""

    model_config = ConfigDict(frozen=True)

    date: date
    items: list[PlannedItem]
    unplaced: list[dict[str, str]]
    assumptions: list[str]
    warnings: list[str] = Field(default_factory=list)


def _entry(
    kind: Literal["food", "supplement", "medication"], ref: str, name: str, at: datetime, **fields: object
) -> Entry:
    meal = {"food": MealSlot.snack, "supplement": MealSlot.supplements, "medication": MealSlot.medications}[kind]
    # The planner's entries say what they carry (the caller passes ``carries``), as the checker reads
    # it: its window checks then need no copy per trial.
    return Entry.model_validate(
        {"id": f"plan-{ref}-{at:%H%M}-{fields.pop('n', 0)}", "at": at, "kind": kind, "ref": ref, "name": name, "meal": meal,
         "nutrients": fields.pop("nutrients", Nutrients()), **fields}
    )  # fmt: skip


def dose_limit(checker: ConflictChecker) -> tuple[float, int]:
    rule = next((r for r in checker.dose_rules if isinstance(r, SingleDoseRule) and r.nutrient == "calcium_mg"), None)
    return (rule.limit, rule.split_gap_minutes) if rule else (math.inf, 0)


def _units(dose_label: str) -> tuple[int, str]:
    """How many countable units one dose is, and their name: "2 caplets" -> (2, "caplet")."""
    match = re.match(r"^\s*(\d+)\s+([A-Za-z]+?)s?\s*$", dose_label)
    if not match or int(match.group(1)) < 1:
        return 1, "dose"
    return int(match.group(1)), match.group(2)


def calcium_portions(per_dose_mg: float, doses: float, dose_label: str, limit: float) -> tuple[list[float], str]:
    """``doses`` of a product split into portions (in doses) of at most ``limit`` mg calcium, by
    whole units of the product (caplets, tablets); and, when one unit alone is over the limit,
    why it cannot be split (cutting a tablet is not ours to advise)."""
    if per_dose_mg <= 0 or per_dose_mg * doses <= limit:
        return [doses], ""
    count, unit = _units(dose_label)
    per_unit = per_dose_mg / count
    units = doses * count
    if per_unit > limit:
        why = (
            f"one {unit} holds {per_unit:.0f} mg calcium, over the {limit:.0f} mg absorbed well at once, and bonecoach "
            f"cannot split it: whether a {unit} may be cut depends on the product (ask your pharmacist), or choose "
            f"one with at most {limit:.0f} mg per {unit}"
        )
        whole = int(units)
        portions = [1.0 / count] * whole + ([(units - whole) / count] if units > whole else [])
        return portions, why
    per_portion = max(1, math.floor(limit / per_unit))
    n = math.ceil(units / per_portion)
    # Even portions of whole units where the units allow it (4 caplets: 2 + 2, not 3 + 1).
    base, extra = divmod(units, n) if float(units).is_integer() else (units / n, 0)
    sizes = [base + (1 if i < extra else 0) for i in range(n)]
    return [size / count for size in sizes], ""


def _fast_assumptions(checker: ConflictChecker) -> list[str]:
    """What the plan assumes about the night before a fasting tablet, from the rule in force."""
    return [
        f"A fasting tablet ({rule.id}) is taken on waking, before anything else: the night counts as its fast, "
        f"nothing but plain water from midnight (and at least {rule.overnight_minutes} min) before it."
        for rule in checker.fasting_rules
        if rule.first_of_day
    ]


def plan_day(
    day: date,
    regimen: Regimen,
    medications: dict[str, Medication],
    supplements: dict[str, Supplement],
    checker: ConflictChecker,
    targets: dict[str, Target] | None = None,
) -> DayPlan:
    """A timetable for ``day`` that satisfies every timing rule, or says which cannot be met and why."""
    times = regimen.times
    wake, bed = datetime.combine(day, times.wake), datetime.combine(day, times.bed)
    meals = [("breakfast", times.breakfast), ("lunch", times.lunch), ("dinner", times.dinner)]
    placed: list[Entry] = []
    plan: list[PlannedItem] = []
    unplaced: list[dict[str, str]] = []
    for label, moment in meals:
        at = datetime.combine(day, moment)
        placed.append(
            _entry(
                "food", label, label.title(), at, grams=300.0, nutrients=Nutrients(calcium_mg=ASSUMED_MEAL_CALCIUM_MG)
            )
        )
        plan.append(PlannedItem(at=at, kind="meal", ref=label, name=label.title()))
    meal_times = [datetime.combine(day, moment) for _, moment in meals]
    candidates = [
        wake + timedelta(minutes=STEP_MINUTES * i)
        for i in range(int((bed - wake).total_seconds() // 60 // STEP_MINUTES) + 1)
    ]

    limit, gap = dose_limit(checker)
    warnings: list[str] = []
    pinned: set[str] = set()  # entries at a time the person pinned: their conflicts are shown, not solved

    def spaced(trial: Entry) -> bool:
        # DOMAIN.md: split calcium "about 2 h apart", wider than the "at once" the checker flags.
        if not trial.nutrients.calcium_mg or trial.kind != "supplement":
            return True
        return all(
            abs(other.at - trial.at) >= timedelta(minutes=gap)
            for other in placed
            if other.kind == "supplement" and other.nutrients.calcium_mg
        )

    def fits(trial: Entry) -> bool:
        return wake <= trial.at <= bed and spaced(trial) and checker.entry_is_clear(trial, placed, carried=True)

    def try_place(entry: Entry, moments: list[datetime]) -> bool:
        for moment in moments:
            trial = entry.model_copy(update={"at": moment})
            if fits(trial):
                placed.append(trial)
                return True
        return False

    def moved_note(entry: Entry, usual: datetime, hint: str, moved_to: datetime) -> str:
        """Why a medicine is not at its own time: what it moved, why, and that the clinician decides."""
        broken = checker.broken_rule(entry.model_copy(update={"at": usual}), placed)
        why = broken.message if broken is not None else "it breaks a timing window there"
        return (f"Moved from {usual:%H:%M} ({hint}) to {moved_to:%H:%M}: {why} (meals are assumed to hold calcium). "
                "Your clinician may prefer another arrangement, e.g. its own time with a calcium-free meal; "
                "pin a time with 'regimen add ... --at HH:MM' to keep yours.")  # fmt: skip

    def pin(entry: Entry, note: str) -> None:
        """A time the person pinned: kept, and any window it breaks there shown, not solved."""
        clashes = checker.check_day(day, [*placed, entry], targets or {}, fixes=False)
        broken = [c.message for c in clashes if entry.id in c.entries]
        placed.append(entry)
        pinned.add(entry.id)
        if broken:
            warnings.append(f"{entry.name} at {entry.at:%H:%M} (your pinned time): {broken[0]} Kept where you take "
                            "it; check the arrangement with your clinician.")  # fmt: skip
        plan.append(PlannedItem(at=entry.at, kind=entry.kind, ref=entry.ref, name=entry.name, note=note,
                                doses=entry.doses if entry.kind == "supplement" else None))  # fmt: skip

    def place(entry: Entry, preferred: list[datetime], why_none: str) -> bool:
        if try_place(entry, [*preferred, *candidates]):
            return True
        unplaced.append({"name": entry.name, "reason": why_none})
        return False

    # Medicines first, the most constrained first: a fasting tablet must open the day.
    due_today = [item for item in regimen.items if item.due_on(day)]
    meds = [(item, medications.get(item.ref)) for item in due_today if item.kind == "medication"]

    def fast_for(entry: Entry) -> FastingWindowRule | None:
        return next((rule for rule in checker.fasting_rules if rule.first.matches(entry)), None)

    def as_entry(medication: Medication) -> Entry:
        return _entry(
            "medication",
            medication.id,
            medication.name,
            wake,
            drug_class=medication.drug_class,
            doses=1.0,
            carries=medication.carries,
        )

    meds.sort(key=lambda pair: 0 if pair[1] and fast_for(as_entry(pair[1])) else 1)
    tablet_placed = False
    for item, medication in meds:
        if medication is None:
            unplaced.append({"name": item.ref, "reason": "not in the medication list"})
            continue
        if medication.route != "oral":
            # No window against anything: listed on its day (a reminder), at the person's time or on waking.
            at = datetime.combine(day, item.at) if item.at else wake
            plan.append(PlannedItem(at=at, kind="medication", ref=medication.id, name=medication.name,
                                    note=f"{medication.route}: {medication.advice}"))  # fmt: skip
            continue
        if item.at is not None:
            pin(as_entry(medication).model_copy(update={"at": datetime.combine(day, item.at)}), medication.advice)
            continue
        entry = as_entry(medication)
        fast = fast_for(entry)
        if fast is not None:
            # On waking, before anything else, with the first meal no sooner than its wait; only
            # one fasting tablet can be first of the day.
            wait = timedelta(minutes=fast.window(entry))
            first_meal = min(meal_times)
            if tablet_placed:
                unplaced.append({"name": medication.name, "reason": "another fasting tablet already opens this day; "
                                 "only one can be first: ask your prescriber how to space them"})  # fmt: skip
                continue
            if first_meal - wake < wait or not try_place(entry, [wake]):
                unplaced.append({"name": medication.name, "reason": (
                    f"it is taken on waking with plain water only, then nothing else for {fast.window(entry)} min; "
                    f"with waking at {times.wake:%H:%M}, breakfast would have to be at {wake + wait:%H:%M} or later "
                    f"(it is at {first_meal:%H:%M})")})  # fmt: skip
                continue
            tablet_placed = True
            chosen = placed[-1]
            plan.append(
                PlannedItem(
                    at=chosen.at,
                    kind="medication",
                    ref=medication.id,
                    name=medication.name,
                    note=medication.advice,
                    fast_minutes=fast.window(entry),
                )
            )
            continue
        preferred = [wake] if "waking" in medication.schedule_hint else []
        if "after breakfast" in medication.schedule_hint:
            preferred = [meal_times[0] + timedelta(minutes=5)]
        if place(
            entry,
            preferred,
            f"no time between {times.wake:%H:%M} and {times.bed:%H:%M} keeps its windows with the meals and other medicines",
        ):
            chosen = placed[-1]
            note = medication.advice
            if preferred and chosen.at not in preferred:
                note = f"{moved_note(entry, preferred[0], medication.schedule_hint, chosen.at)} {note}"
            plan.append(
                PlannedItem(at=chosen.at, kind="medication", ref=medication.id, name=medication.name, note=note)
            )

    # Supplements: calcium split into doses the gut absorbs well; carbonate with meals.
    for item in (i for i in due_today if i.kind == "supplement"):
        product = supplements.get(item.ref)
        if product is None:
            unplaced.append({"name": item.ref, "reason": "not among your supplements"})
            continue
        per_dose = product.nutrients.calcium_mg or 0.0
        portions, cannot_split = calcium_portions(per_dose, item.doses, product.dose_label, limit)
        if cannot_split:
            warnings.append(f"{product.name}: {cannot_split}.")
        with_meals = "carbonate" in product.form
        for portion_number, doses in enumerate(portions, start=1):
            entry = _entry("supplement", product.id, product.name, wake, doses=doses, n=portion_number,
                           nutrients=product.nutrients.scaled(doses),
                           carries=supplement_carries(product.nutrients.scaled(doses), product.carries, product.form))  # fmt: skip
            if item.at is not None and portion_number == 1:
                pin(entry.model_copy(update={"at": datetime.combine(day, item.at)}), product.advice or "")
                continue
            preferred = list(meal_times) if with_meals else []
            reason = "no time keeps every window" + (" at a meal (carbonate needs food)" if with_meals else "")
            if with_meals:
                fitted = next((m for m in meal_times if fits(entry.model_copy(update={"at": m}))), None)
                if fitted is None:
                    unplaced.append({"name": product.name, "reason": reason})
                    continue
                placed.append(entry.model_copy(update={"at": fitted}))
            elif not place(entry, preferred, reason):
                continue
            chosen = placed[-1]
            note = product.advice or ""
            if cannot_split:
                note = f"over {limit:.0f} mg calcium in one {_units(product.dose_label)[1]}: see the warning. {note}".strip()
            elif len(portions) > 1:
                note = f"split into doses of at most {limit:.0f} mg calcium, {gap // 60} h apart. {note}".strip()
            plan.append(
                PlannedItem(at=chosen.at, kind="supplement", ref=product.id, name=product.name, doses=doses, note=note)
            )

    # The whole day, checked as the conflict view would check it: a plan must be clean.
    # (A pinned time's own conflicts are shown in the warnings, not counted again.)
    leftover = [c for c in checker.check_day(day, placed, targets or {})
                if c.move_entry is not None and not pinned & set(c.entries)]  # fmt: skip
    for conflict in leftover:
        unplaced.append({"name": conflict.rule, "reason": conflict.message})
    plan.sort(key=lambda item: (item.at, item.kind != "meal"))
    return DayPlan(
        date=day,
        items=plan,
        unplaced=unplaced,
        warnings=warnings,
        assumptions=[
            "Meals are assumed to contain calcium (e.g. dairy); a meal without any leaves more room.",
            f"Times fall between waking ({times.wake:%H:%M}) and bed ({times.bed:%H:%M}), in {STEP_MINUTES}-minute steps.",
            *_fast_assumptions(checker),
        ],
    )
