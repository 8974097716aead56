"""The things a person logs and the catalog they log from."""

from datetime import date, datetime
from enum import StrEnum
from typing import Literal

from pydantic import ConfigDict, Field, field_validator

from bonecoach.domain.base import Model
from bonecoach.domain.nutrients import Nutrients
from bonecoach.domain.text import CleanText, SourceText


class Sex(StrEnum):
    """Sex as used by the dietary reference intakes."""

    female = "female"
    male = "male"


class MealSlot(StrEnum):
    """Where in the day an entry belongs."""

    breakfast = "breakfast"
    lunch = "lunch"
    dinner = "dinner"
    snack = "snack"
    supplements = "supplements"
    medications = "medications"


Origin = Literal["measured", "derived", "estimate"]
ORIGIN_RANK: dict[str, int] = {"measured": 0, "derived": 1, "estimate": 2}
LEVEL_RANK: dict[str, int] = {"low": 0, "moderate": 1, "high": 2, "very_high": 3}
"""An inhibitor level's order (oxalate, phytate): the one ranking rules and recipes compare by."""


class InhibitorTag(Model):
    """A calcium inhibitor a food carries: its level, amount when measured, and source."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: Literal["oxalate", "phytate"]
    level: Literal["very_high", "high", "moderate", "low"]
    mg_per_100g: float | None = None
    basis: str = ""
    source: SourceText = ""
    # measured: this food was measured; derived: the value of a measured form of it, converted
    # (see basis); estimate: a level from an ingredient named in the food (a dish, a product).
    origin: Origin = "measured"
    derived_from: str | None = None


class Portion(Model):
    """A household measure of a food, e.g. "1 cup" weighing 244 g (USDA SR28 WEIGHT)."""

    model_config = ConfigDict(frozen=True)

    label: CleanText
    grams: float = Field(gt=0)


class Food(Model):
    """A catalog or custom food with nutrients per 100 g."""

    model_config = ConfigDict(frozen=True)

    id: str
    name: CleanText
    group: CleanText
    per_100g: Nutrients
    portions: tuple[Portion, ...] = ()
    energy_kcal_per_100g: float | None = None
    source: SourceText = ""
    notes: dict[str, str] = Field(default={})
    custom: bool = False
    inhibitors: tuple[InhibitorTag, ...] = ()


# How often a regimen item is taken: an injection every 6 months or yearly as well as tablets.
Frequency = Literal["daily", "weekly", "monthly", "every-6-months", "yearly"]

# What binds a medicine in the gut, by mechanism (DOMAIN.md): polyvalent cations, and foods and
# drinks a label names. A medicine declares what binds it; a product, a medicine or a food
# declares what it carries (assets/medications.json, assets/supplements.json, assets/food_binders.json).
Binder = Literal[
    "calcium", "magnesium", "iron", "zinc", "aluminium", "coffee", "tea", "grapefruit", "soy", "walnuts", "carbonate"
]  # "carbonate": calcium carbonate, which needs a meal's stomach acid


def supplement_carries(nutrients: Nutrients, declared: tuple[Binder, ...] = (), form: str = "") -> tuple[Binder, ...]:
    """What a supplement carries that binds medicines: what its product declares, its calcium and
    magnesium read from its own nutrients, and calcium carbonate read from its form."""
    found = list(declared)
    if "carbonate" in form.lower() and "carbonate" not in found:
        found.append("carbonate")
    if (nutrients.calcium_mg or 0) > 0 and "calcium" not in found:
        found.append("calcium")
    if (nutrients.magnesium_mg or 0) > 0 and "magnesium" not in found:
        found.append("magnesium")
    return tuple(found)


class Binding(Model):
    """What binds a medicine, and how long before and after it a carrier must be kept away."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    rule_id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{1,60}$")
    binders: tuple[Binder, ...] = Field(min_length=1)
    binder_before_minutes: int = Field(ge=0, le=24 * 60)  # a carrier taken this long before binds it
    binder_after_minutes: int = Field(ge=0, le=24 * 60)  # ... or this long after
    severity: Literal["info", "warning", "danger"] = "danger"
    message: str = Field(min_length=1, max_length=400)
    source: SourceText = Field(min_length=1)
    own_choices: list[SourceText] = Field(default=[])


# The drug classes of assets/medications.json that treat bone; the oral bisphosphonates among them
# are taken daily, weekly or monthly as prescribed (onboarding asks which).
ORAL_BISPHOSPHONATES = frozenset({"bisphosphonate-oral-fasting", "bisphosphonate-oral-dr"})
BONE_TREATMENTS = ORAL_BISPHOSPHONATES | {"bone-injectable", "bone-anabolic", "serm"}


class Medication(Model):
    """A medicine whose timing matters for calcium (or a bone drug with no timing rule)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    name: str
    drug_class: str
    route: Literal["oral", "injection", "infusion"] = "oral"
    schedule_hint: str = ""
    advice: str = ""
    source: SourceText = ""
    # A bisphosphonate's "discuss a review with your clinician" point, in years from its start.
    review_after_years: int | None = Field(default=None, ge=1, le=20)
    aliases: tuple[str, ...] = ()  # brand names people know it by (Fosamax, Cipro...)
    frequency: Frequency | None = None  # how it is given, when the label fixes it (Prolia: every 6 months)
    course_months: int | None = Field(default=None, ge=1, le=120)  # a course (romosozumab: 12 months)
    carries: tuple[Binder, ...] = ()  # what it brings that binds other medicines (an iron tablet: iron)
    bound_by: tuple[Binding, ...] = ()  # what binds it, each with its window

    @property
    def treats_bone(self) -> bool:
        """Whether this is a bone treatment (it changes the interval between scans)."""
        return self.drug_class in BONE_TREATMENTS

    @property
    def oral_bisphosphonate(self) -> bool:
        """Whether this is an oral bisphosphonate, taken daily, weekly or monthly as prescribed."""
        return self.drug_class in ORAL_BISPHOSPHONATES


class Supplement(Model):
    """A supplement product with its nutrients per dose (elemental amounts)."""

    model_config = ConfigDict(frozen=True)

    id: str
    name: CleanText
    form: CleanText = ""
    dose_label: CleanText = "1 dose"
    nutrients: Nutrients
    advice: str = ""
    source: SourceText = ""
    custom: bool = False
    carries: tuple[Binder, ...] = ()  # beyond its calcium and magnesium (read from its nutrients)

    @field_validator("nutrients", mode="after")
    @classmethod
    def _unlisted_is_zero(cls, value: Nutrients) -> Nutrients:
        # A supplement label lists what the product contains: anything not listed is absent.
        return Nutrients(**{key: amount or 0.0 for key, amount in value.as_dict().items()})


class TargetOverride(Model):
    """A user's own target or limit for one nutrient; ``None`` keeps the guideline's value."""

    target: float | None = None
    upper_limit: float | None = None


class Profile(Model):
    """What targets, scan intervals and exercise rules need to know about the person."""

    sex: Sex
    birth_date: date
    guideline: str = "iom"
    overrides: dict[str, TargetOverride] = Field(default={})
    reported_tscore: float | None = Field(default=None, ge=-6, le=4)
    vertebral_fractures: int | None = Field(default=None, ge=0, le=30)
    other_fractures: int | None = Field(default=None, ge=0, le=30)
    falls_last_year: int | None = Field(default=None, ge=0, le=365)
    impact_cleared: bool | None = None
    weights_cleared: bool | None = None  # after a fracture, loading with weights needs its own clearance
    postmenopausal: bool | None = None  # asked of a woman under 50: the WHO categories apply after menopause
    weight_kg: float | None = Field(default=None, ge=25, le=300)  # a protein target by body weight
    water_calcium_mg_per_l: float | None = Field(default=None, ge=0, le=1000)  # "my water has N mg/L calcium"


EntryKind = Literal["food", "supplement", "medication"]


class EntryInhibitor(Model):
    """How much of an inhibitor an entry brings: mg when measured, else only the level."""

    model_config = ConfigDict(frozen=True)

    level: Literal["very_high", "high", "moderate", "low"]
    mg: float | None = None
    grams: float | None = None  # of the food that carries it (in a recipe, less than the serving)
    origin: Origin = "measured"

    def describe(self, kind: str) -> str:
        """ "~1,094 mg oxalate (derived)" or "phytate: high (estimate)"."""
        marker = "" if self.origin == "measured" else f" ({self.origin})"
        if self.mg is not None:
            return f"~{self.mg:,.0f} mg {kind}{marker}"
        return f"{kind}: {self.level.replace('_', ' ')}{marker}"


CRONOMETER_ID_PREFIX = "cronometer-"  # the ids of entries imported from Cronometer: another app's history


class Entry(Model):
    """One logged item: a food eaten or a supplement taken, with its nutrients frozen at log time.

    Nutrients are stored on the entry so that a day's totals never change because the catalog
    was updated later.
    """

    id: str
    at: datetime
    kind: EntryKind
    ref: CleanText
    name: CleanText
    meal: MealSlot
    grams: float | None = Field(default=None, gt=0)
    doses: float | None = Field(default=None, gt=0)
    portion: CleanText | None = None
    nutrients: Nutrients
    inhibitors: dict[str, EntryInhibitor] = Field(default={})
    drug_class: str | None = None
    # What it carries that binds medicines, as its product or medicine declared it when logged;
    # the conflict checker fills it for older, imported and food entries from what they name.
    carries: tuple[Binder, ...] = ()
    # When it was last changed (local time), if ever: of two computers' edits of one entry,
    # merged from a synced folder, the later one wins.
    edited: datetime | None = None
    # Its time was not recorded (a Cronometer row with a blank time): it sits at its meal's usual
    # time, which says nothing about how it stood to another such entry.
    time_guessed: bool = False
    # Minutes east of UTC of its clock time where it was logged (-300: New York in winter): with
    # it, the time that passed between two entries is known across a change of the clocks or a
    # flight. None for entries from before it was kept and for imports: read in the current zone.
    utc_offset_minutes: int | None = Field(default=None, ge=-16 * 60, le=16 * 60)
    # Set only on the conflict checker's copies across a change of the clocks, whose ``at`` is
    # real time: the local clock time it stands for, as messages show it. Never stored.
    shown_at: datetime | None = Field(default=None, exclude=True)

    def clock(self, pattern: str = "%H:%M") -> str:
        """The entry's local clock time as a person reads it ("07:30")."""
        return (self.shown_at or self.at).strftime(pattern)

    @property
    def local_day(self) -> date:
        """The day the entry was logged on, by the local clock."""
        return (self.shown_at or self.at).date()

    @field_validator("at", mode="before")
    @classmethod
    def _written_time(cls, value: object) -> object:
        # pydantic would read a number as seconds since 1970 in UTC: never how we store a time.
        if not isinstance(value, (str, datetime)):
            raise ValueError("must be a local date and time such as 2026-11-24T08:00:00")
        return value

    @field_validator("at", mode="after")
    @classmethod
    def _local_time(cls, value: datetime) -> datetime:
        # Entries are local wall-clock times; an offset would make days and windows ambiguous.
        if value.tzinfo is not None:
            raise ValueError("must be a local time without a time-zone offset")
        return value

    def amount_text(self) -> str:
        """How much, as the person gave it: the portion, the grams, or the doses."""
        if self.kind != "food":
            return doses_text(self.doses or 1.0)
        return self.portion or f"{self.grams or 0:g} g"


def doses_text(doses: float) -> str:
    """ "1 dose", "2 doses", "0.5 doses"."""
    return f"{doses:g} dose" + ("" if doses == 1 else "s")


class SupplementSet(Model):
    """A named set of supplements (e.g. "morning"), each with its doses, logged in one go."""

    model_config = ConfigDict(extra="forbid")

    name: CleanText
    items: list[tuple[str, float]]
