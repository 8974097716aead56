"""Plan a day: place medicines and supplements around meals so that every window is kept.

The same ``ConflictChecker`` that finds conflicts decides what fits, so a plan and the checks can
never disagree. Meals are assumed to contain calcium (most do, and a missed window is worse than a
cautious one); the plan says so.
"""

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
    warnings: list[str] = Field(default=[])


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
    """A timetable for ``day`` that satisfies every timing rule, or says which cannot be met and why.

    In named steps: the meals first; then the medicines, the most constrained first (a fasting
    tablet must open the day); then the supplements (calcium split into doses the gut absorbs
    well, carbonate with meals); last, the whole day checked as the conflict view checks it."""
    planner = _DayPlanner(day, regimen, checker, targets or {})
    planner.place_meals()
    due_today = [item for item in regimen.items if item.due_on(day)]
    planner.place_medicines([(item, medications.get(item.ref)) for item in due_today if item.kind == "medication"])
    for item in (i for i in due_today if i.kind == "supplement"):
        planner.place_supplement(item, supplements.get(item.ref))
    return planner.finished()


class _DayPlanner:
    """The day being planned: what is placed so far, the plan's lines, and what could not be."""

    def __init__(self, day: date, regimen: Regimen, checker: ConflictChecker, targets: dict[str, Target]) -> None:
        self.day, self.checker, self.targets = day, checker, targets
        self.times = regimen.times
        self.wake = datetime.combine(day, self.times.wake)
        self.bed = datetime.combine(day, self.times.bed)
        self.meal_times = [datetime.combine(day, self.times.breakfast), datetime.combine(day, self.times.lunch),
                           datetime.combine(day, self.times.dinner)]  # fmt: skip
        self.candidates = [self.wake + timedelta(minutes=STEP_MINUTES * i)
                           for i in range(int((self.bed - self.wake).total_seconds() // 60 // STEP_MINUTES) + 1)]  # fmt: skip
        self.limit, self.gap = dose_limit(checker)
        self.placed: list[Entry] = []
        self.plan: list[PlannedItem] = []
        self.unplaced: list[dict[str, str]] = []
        self.warnings: list[str] = []
        self.pinned: set[str] = set()  # entries at a time the person pinned: their conflicts are shown, not solved
        self.tablet_placed = False

    # -- placing one entry ---------------------------------------------------------------------

    def spaced(self, trial: Entry) -> bool:
        """DOMAIN.md: split calcium "about 2 h apart", wider than the "at once" the checker flags."""
        if not trial.nutrients.calcium_mg or trial.kind != "supplement":
            return True
        return all(abs(other.at - trial.at) >= timedelta(minutes=self.gap)
                   for other in self.placed if other.kind == "supplement" and other.nutrients.calcium_mg)  # fmt: skip

    def fits(self, trial: Entry) -> bool:
        """Whether ``trial`` at its time keeps every window with what is placed."""
        return (self.wake <= trial.at <= self.bed and self.spaced(trial)
                and self.checker.entry_is_clear(trial, self.placed, carried=True))  # fmt: skip

    def try_place(self, entry: Entry, moments: list[datetime]) -> bool:
        """Place ``entry`` at the first of ``moments`` that fits."""
        for moment in moments:
            trial = entry.model_copy(update={"at": moment})
            if self.fits(trial):
                self.placed.append(trial)
                return True
        return False

    def place(self, entry: Entry, preferred: list[datetime], why_none: str) -> bool:
        """Place ``entry`` at a preferred time, else the first that fits; else say why not."""
        if self.try_place(entry, [*preferred, *self.candidates]):
            return True
        self.unplaced.append({"name": entry.name, "reason": why_none})
        return False

    def moved_note(self, entry: Entry, usual: datetime, hint: str, moved_to: datetime) -> str:
        """Why a medicine is not at its own time: what it moved, why, and that the clinician decides."""
        broken = self.checker.broken_rule(entry.model_copy(update={"at": usual}), self.placed)
        why = broken.message if broken is not None else "it breaks a timing window there"
        return (f"Moved from {usual:%H:%M} ({hint}) to {moved_to:%H:%M}: {why} (meals are assumed to hold calcium). "
                "Your clinician may prefer another arrangement, e.g. its own time with a calcium-free meal; "
                "pin a time with 'regimen add ... --at HH:MM' to keep yours.")  # fmt: skip

    def pin(self, entry: Entry, note: str) -> None:
        """A time the person pinned: kept, and any window it breaks there shown, not solved."""
        clashes = self.checker.check_day(self.day, [*self.placed, entry], self.targets, fixes=False)
        broken = [c.message for c in clashes if entry.id in c.entries]
        self.placed.append(entry)
        self.pinned.add(entry.id)
        if broken:
            self.warnings.append(f"{entry.name} at {entry.at:%H:%M} (your pinned time): {broken[0]} Kept where you "
                                 "take it; check the arrangement with your clinician.")  # fmt: skip
        self.plan.append(PlannedItem(at=entry.at, kind=entry.kind, ref=entry.ref, name=entry.name, note=note,
                                     doses=entry.doses if entry.kind == "supplement" else None))  # fmt: skip

    # -- the steps -------------------------------------------------------------------------------

    def place_meals(self) -> None:
        """The three meals at the person's times, each assumed to hold calcium."""
        for label, at in zip(("breakfast", "lunch", "dinner"), self.meal_times, strict=True):
            self.placed.append(_entry("food", label, label.title(), at, grams=300.0,
                                      nutrients=Nutrients(calcium_mg=ASSUMED_MEAL_CALCIUM_MG)))  # fmt: skip
            self.plan.append(PlannedItem(at=at, kind="meal", ref=label, name=label.title()))

    def fast_for(self, entry: Entry) -> FastingWindowRule | None:
        """The fasting rule a medicine opens, if any."""
        return next((rule for rule in self.checker.fasting_rules if rule.first.matches(entry)), None)

    def as_entry(self, medication: Medication) -> Entry:
        """A dose of ``medication`` on waking (moved from there as it fits)."""
        return _entry("medication", medication.id, medication.name, self.wake, drug_class=medication.drug_class,
                      doses=1.0, carries=medication.carries)  # fmt: skip

    def place_medicines(self, meds: list[tuple[RegimenItem, Medication | None]]) -> None:
        """The day's medicines, a fasting tablet first."""
        meds.sort(key=lambda pair: 0 if pair[1] and self.fast_for(self.as_entry(pair[1])) else 1)
        for item, medication in meds:
            if medication is None:
                self.unplaced.append({"name": item.ref, "reason": "not in the medication list"})
            elif medication.route != "oral":
                # No window against anything: listed on its day (a reminder), at the person's time or on waking.
                at = datetime.combine(self.day, item.at) if item.at else self.wake
                self.plan.append(PlannedItem(at=at, kind="medication", ref=medication.id, name=medication.name,
                                             note=f"{medication.route}: {medication.advice}"))  # fmt: skip
            elif item.at is not None:
                entry = self.as_entry(medication).model_copy(update={"at": datetime.combine(self.day, item.at)})
                self.pin(entry, medication.advice)
            elif (fast := self.fast_for(self.as_entry(medication))) is not None:
                self.place_fasting_tablet(medication, fast)
            else:
                self.place_medicine(medication)

    def place_fasting_tablet(self, medication: Medication, fast: FastingWindowRule) -> None:
        """On waking, before anything else, with the first meal no sooner than its wait; only one
        fasting tablet can be first of the day."""
        entry = self.as_entry(medication)
        wait = timedelta(minutes=fast.window(entry))
        first_meal = min(self.meal_times)
        if self.tablet_placed:
            self.unplaced.append({"name": medication.name, "reason": "another fasting tablet already opens this day; "
                                  "only one can be first: ask your prescriber how to space them"})  # fmt: skip
            return
        if first_meal - self.wake < wait or not self.try_place(entry, [self.wake]):
            self.unplaced.append({"name": medication.name, "reason": (
                f"it is taken on waking with plain water only, then nothing else for {fast.window(entry)} min; "
                f"with waking at {self.times.wake:%H:%M}, breakfast would have to be at {self.wake + wait:%H:%M} or "
                f"later (it is at {first_meal:%H:%M})")})  # fmt: skip
            return
        self.tablet_placed = True
        self.plan.append(PlannedItem(at=self.placed[-1].at, kind="medication", ref=medication.id, name=medication.name,
                                     note=medication.advice, fast_minutes=fast.window(entry)))  # fmt: skip

    def place_medicine(self, medication: Medication) -> None:
        """A medicine with windows but no fast: at its usual time if that fits, else the nearest that does."""
        entry = self.as_entry(medication)
        preferred = [self.wake] if "waking" in medication.schedule_hint else []
        if "after breakfast" in medication.schedule_hint:
            preferred = [self.meal_times[0] + timedelta(minutes=5)]
        why_none = (f"no time between {self.times.wake:%H:%M} and {self.times.bed:%H:%M} keeps its windows with the "
                    "meals and other medicines")  # fmt: skip
        if not self.place(entry, preferred, why_none):
            return
        chosen = self.placed[-1]
        note = medication.advice
        if preferred and chosen.at not in preferred:
            note = f"{self.moved_note(entry, preferred[0], medication.schedule_hint, chosen.at)} {note}"
        self.plan.append(PlannedItem(at=chosen.at, kind="medication", ref=medication.id, name=medication.name,
                                     note=note))  # fmt: skip

    def place_supplement(self, item: RegimenItem, product: Supplement | None) -> None:
        """A supplement's doses: calcium split into what the gut absorbs well, carbonate with meals."""
        if product is None:
            self.unplaced.append({"name": item.ref, "reason": "not among your supplements"})
            return
        portions, cannot_split = calcium_portions(product.nutrients.calcium_mg or 0.0, item.doses, product.dose_label,
                                                  self.limit)  # fmt: skip
        if cannot_split:
            self.warnings.append(f"{product.name}: {cannot_split}.")
        for portion_number, doses in enumerate(portions, start=1):
            entry = _entry("supplement", product.id, product.name, self.wake, doses=doses, n=portion_number,
                           nutrients=product.nutrients.scaled(doses),
                           carries=supplement_carries(product.nutrients.scaled(doses), product.carries, product.form))  # fmt: skip
            if item.at is not None and portion_number == 1:
                self.pin(entry.model_copy(update={"at": datetime.combine(self.day, item.at)}), product.advice or "")
                continue
            if not self.place_dose(entry, "carbonate" in product.form):
                continue
            note = product.advice or ""
            if cannot_split:
                note = f"over {self.limit:.0f} mg calcium in one {_units(product.dose_label)[1]}: see the warning. {note}".strip()
            elif len(portions) > 1:
                note = (
                    f"split into doses of at most {self.limit:.0f} mg calcium, {self.gap // 60} h apart. {note}".strip()
                )
            self.plan.append(PlannedItem(at=self.placed[-1].at, kind="supplement", ref=product.id, name=product.name,
                                         doses=doses, note=note))  # fmt: skip

    def place_dose(self, entry: Entry, with_meals: bool) -> bool:
        """One supplement dose: at a meal that fits when it needs food, else the first time that fits."""
        reason = "no time keeps every window" + (" at a meal (carbonate needs food)" if with_meals else "")
        if not with_meals:
            return self.place(entry, [], reason)
        fitted = next((m for m in self.meal_times if self.fits(entry.model_copy(update={"at": m}))), None)
        if fitted is None:
            self.unplaced.append({"name": entry.name, "reason": reason})
            return False
        self.placed.append(entry.model_copy(update={"at": fitted}))
        return True

    def finished(self) -> DayPlan:
        """The whole day, checked as the conflict view would check it: a plan must be clean. (A
        pinned time's own conflicts are shown in the warnings, not counted again.)"""
        leftover = [c for c in self.checker.check_day(self.day, self.placed, self.targets)
                    if c.move_entry is not None and not self.pinned & set(c.entries)]  # fmt: skip
        for conflict in leftover:
            self.unplaced.append({"name": conflict.rule, "reason": conflict.message})
        self.plan.sort(key=lambda item: (item.at, item.kind != "meal"))
        return DayPlan(date=self.day, items=self.plan, unplaced=self.unplaced, warnings=self.warnings, assumptions=[
            "Meals are assumed to contain calcium (e.g. dairy); a meal without any leaves more room.",
            f"Times fall between waking ({self.times.wake:%H:%M}) and bed ({self.times.bed:%H:%M}), in "
            f"{STEP_MINUTES}-minute steps.",
            *_fast_assumptions(self.checker),
        ])  # fmt: skip
