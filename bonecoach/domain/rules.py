"""Conflict rules as data: what each kind of rule says (pair windows, fasts, daily totals and
changes, single doses), the selectors that name the entries a rule is about, a rule file's layout,
and the rules each medicine's own data declares (what binds it in the gut).

Pure models and small functions: detection and the fix search are in ``conflicts``."""

from collections.abc import Mapping, Sequence
from datetime import datetime, time, timedelta
from typing import Annotated, Literal

from pydantic import ConfigDict, Field, model_validator

from bonecoach.domain.base import Model
from bonecoach.domain.models import (
    LEVEL_RANK as LEVEL_RANK,
)
from bonecoach.domain.models import (
    Binder,
    Entry,
    EntryKind,
    Medication,
    Supplement,
    supplement_carries,
)
from bonecoach.domain.nutrient_info import NUTRIENT_KEYS
from bonecoach.domain.nutrients import Nutrients
from bonecoach.domain.text import SourceText

Severity = Literal["info", "warning", "danger"]
Level = Literal["very_high", "high", "moderate", "low"]


class EntrySelector(Model):
    """Which entries a rule is about. Every condition given must hold."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kinds: tuple[EntryKind, ...] | None = None
    drug_classes: tuple[str, ...] | None = None
    refs: tuple[str, ...] | None = None  # these medicines (or products, foods) by id
    carries_any: tuple[Binder, ...] | None = None  # entries carrying any of these binders
    inhibitor: Literal["oxalate", "phytate"] | None = None
    min_inhibitor_mg: float | None = None
    min_inhibitor_level: Level | None = None
    min_grams: float | None = None
    min_calcium_mg: float | None = None
    not_inhibitor: Literal["oxalate", "phytate"] | None = None
    # With ``min_calcium_mg``: the calcium of a meal counts together. A meal is every entry this
    # selector names (calcium aside) within ``meal_minutes`` of the one judged.
    meal_minutes: int | None = Field(default=None, ge=0, le=240)

    @property
    def by_meal(self) -> bool:
        """Whether the calcium threshold is judged over a meal rather than one entry."""
        return self.meal_minutes is not None and self.min_calcium_mg is not None

    def matches(self, entry: Entry) -> bool:
        """Whether ``entry`` is one this selector names (on its own calcium, for a meal selector)."""
        if self.min_calcium_mg is not None and (entry.nutrients.calcium_mg or 0.0) < self.min_calcium_mg:
            return False
        return self.matches_item(entry)

    def matches_item(self, entry: Entry) -> bool:
        """Every condition but the calcium threshold (a meal selector sums calcium over the meal)."""
        if self.kinds is not None and entry.kind not in self.kinds:
            return False
        if self.drug_classes is not None and entry.drug_class not in self.drug_classes:
            return False
        if self.refs is not None and entry.ref not in self.refs:
            return False
        if self.carries_any is not None and (
            not entry.carries or not any(binder in entry.carries for binder in self.carries_any)
        ):
            return False
        if self.min_grams is not None:
            # For an inhibitor rule, count the grams of the food that carries it (a recipe's
            # spoonful of bran is not the whole bowl).
            carrier = entry.inhibitors.get(self.inhibitor) if self.inhibitor else None
            grams = carrier.grams if carrier is not None and carrier.grams is not None else entry.grams
            if (grams or 0.0) < self.min_grams:
                return False
        if self.not_inhibitor is not None and self.not_inhibitor in entry.inhibitors:
            return False
        if self.inhibitor is not None:
            found = entry.inhibitors.get(self.inhibitor)
            if found is None:
                return False
            # A measured amount is judged by amount; an unmeasured one by the food's level.
            if found.mg is not None and self.min_inhibitor_mg is not None:
                return found.mg >= self.min_inhibitor_mg
            if self.min_inhibitor_level is not None:
                return LEVEL_RANK[found.level] >= LEVEL_RANK[self.min_inhibitor_level]
            if self.min_inhibitor_mg is not None:
                return False
        return True


class _Rule(Model):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{1,60}$")
    severity: Severity
    message: str = Field(min_length=1, max_length=400)
    source: SourceText = Field(min_length=1)
    # Numbers and definitions no source gives: bonecoach's own, shown as such by 'rules list'.
    own_choices: list[SourceText] = Field(default=[], max_length=10)
    enabled: bool = True


class PairWindowRule(_Rule):
    """Two kinds of entry closer in time than allowed: ``second`` may not fall within
    ``second_before_minutes`` before ``first`` nor ``second_after_minutes`` after it."""

    kind: Literal["pair_window"]
    first: EntrySelector
    second: EntrySelector
    second_before_minutes: int = Field(ge=0, le=24 * 60)
    second_after_minutes: int = Field(ge=0, le=24 * 60)
    windows_by_first_ref: dict[str, tuple[int, int]] = Field(default={})
    move: Literal["first", "second"] = "second"

    def window_for(self, first: Entry) -> tuple[int, int]:
        """Minutes ``second`` must keep before and after this ``first`` (per medicine if listed)."""
        return self.windows_by_first_ref.get(first.ref, (self.second_before_minutes, self.second_after_minutes))

    def violated(self, first: Entry, second: Entry) -> bool:
        """Whether this ordered pair breaks the window (a medicine may have its own window)."""
        if first.id == second.id:
            return False
        before, after = self.window_for(first)
        minutes = (second.at - first.at).total_seconds() / 60
        return -before < minutes < after


class FastingWindowRule(_Rule):
    """A tablet taken fasting (e.g. an oral bisphosphonate): nothing but what ``allows`` names
    for ``minutes`` after it and, with ``first_of_day``, nothing before it on its day either (the
    day starts at midnight, and the fast before the tablet is at least ``overnight_minutes``)."""

    kind: Literal["fasting_window"]
    first: EntrySelector
    minutes: int = Field(gt=0, le=24 * 60)
    minutes_by_ref: dict[str, int] = Field(default={})
    first_of_day: bool = False
    overnight_minutes: int = Field(default=0, ge=0, le=24 * 60)
    allows: Literal["plain_water"] | None = None

    def window(self, first: Entry) -> int:
        """The fasting minutes after this medicine."""
        return self.minutes_by_ref.get(first.ref, self.minutes)

    def fast_start(self, first: Entry) -> datetime:
        """When the fast before ``first`` begins (``first.at`` itself without ``first_of_day``)."""
        if not self.first_of_day:
            return first.at
        midnight = datetime.combine(first.at.date(), time())
        return min(midnight, first.at - timedelta(minutes=self.overnight_minutes))

    def side(self, first: Entry, other: Entry) -> Literal["before", "after"] | None:
        """Where ``other`` breaks the fast around ``first``: before the tablet, after it, or not."""
        if first.id == other.id:
            return None
        if first.at <= other.at < first.at + timedelta(minutes=self.window(first)):
            return "after"
        if self.fast_start(first) <= other.at < first.at:
            return "before"
        return None

    def violated(self, first: Entry, other: Entry) -> bool:
        """Whether ``other`` falls inside the fast around ``first``."""
        return self.side(first, other) is not None


class DailyChangeRule(_Rule):
    """For people taking what ``when_taking`` names (warfarin): a day whose total of ``nutrients``
    differs from the day before by more than ``max_change``."""

    kind: Literal["daily_change"]
    nutrients: tuple[str, ...] = Field(min_length=1)
    max_change: float = Field(gt=0)
    when_taking: EntrySelector

    @model_validator(mode="after")
    def _known_nutrients(self) -> "DailyChangeRule":
        unknown = [key for key in self.nutrients if key not in NUTRIENT_KEYS]
        if unknown:
            raise ValueError(f"unknown nutrient {unknown[0]!r}")
        return self


class AbsorbedPoorlyRule(_Rule):
    """An entry absorbed poorly as taken: ``selector`` names it (calcium carbonate); it is flagged
    with no food within ``food_minutes`` of it, or on a day with what ``worse_with`` names (an acid
    reducer) taken that day or the day before. Advice only: no time is proposed."""

    kind: Literal["absorbed_poorly"]
    selector: EntrySelector
    food_minutes: int | None = Field(default=None, ge=0, le=240)
    worse_with: EntrySelector | None = None


class LowerLimitWhen(Model):
    """A stricter limit on days when another nutrient is low (caffeine when calcium is low)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    nutrient_below: str
    amount: float = Field(gt=0)
    limit: float = Field(gt=0)


class DailyTotalRule(_Rule):
    """A day's total over a limit: fixed, or the person's upper limit from their targets."""

    kind: Literal["daily_total"]
    nutrient: str
    limit: float | None = Field(default=None, gt=0)
    limit_from_targets: bool = False
    scope: Literal["all", "supplements"] = "all"
    stricter: LowerLimitWhen | None = None

    @model_validator(mode="after")
    def _has_a_limit(self) -> "DailyTotalRule":
        if self.nutrient not in NUTRIENT_KEYS:
            raise ValueError(f"unknown nutrient {self.nutrient!r}")
        if self.limit is None and not self.limit_from_targets:
            raise ValueError("give a limit or set limit_from_targets")
        return self


class SingleDoseRule(_Rule):
    """More of a nutrient taken at once than is absorbed well (entries within ``group_minutes``)."""

    kind: Literal["single_dose"]
    nutrient: str
    limit: float = Field(gt=0)
    selector: EntrySelector
    group_minutes: int = Field(ge=0, le=240)
    split_gap_minutes: int = Field(gt=0, le=12 * 60)


Rule = Annotated[
    PairWindowRule | FastingWindowRule | DailyTotalRule | SingleDoseRule | DailyChangeRule | AbsorbedPoorlyRule,
    Field(discriminator="kind"),
]


class RuleFile(Model):
    """A rule file: the shipped one, or a user's that adds rules and switches some off."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    schema_version: int = Field(1, alias="schema")
    note: str = ""
    rules: list[Rule] = Field(default=[])
    disable: list[str] = Field(default=[])

    @model_validator(mode="after")
    def _unique_ids(self) -> "RuleFile":
        seen: set[str] = set()
        for rule in self.rules:
            if rule.id in seen:
                raise ValueError(f"rule id {rule.id!r} appears twice")
            seen.add(rule.id)
        return self


def binding_rules(medications: Sequence[Medication]) -> list[Rule]:
    """One timing rule per thing that binds a medicine, from the medicines' own data: a new
    medicine or product needs a row in the assets, not code."""
    found: list[Rule] = []
    for medicine in medications:
        for binding in medicine.bound_by:
            found.append(PairWindowRule(
                kind="pair_window", id=binding.rule_id, severity=binding.severity, message=binding.message,
                source=binding.source, own_choices=list(binding.own_choices),
                first=EntrySelector(kinds=("medication",), refs=(medicine.id,)),
                second=EntrySelector(carries_any=binding.binders),
                second_before_minutes=binding.binder_before_minutes, second_after_minutes=binding.binder_after_minutes,
                move="second",
            ))  # fmt: skip
    return found


def carriers_of(medications: Sequence[Medication], products: Sequence[Supplement],
                foods: Mapping[str, tuple[Binder, ...]]) -> dict[str, tuple[Binder, ...]]:  # fmt: skip
    """What each medicine, product and food (by id) carries that binds a medicine."""
    found: dict[str, tuple[Binder, ...]] = dict(foods)
    for product in products:  # a carbonate product (read from its form) needs food and stomach acid
        carries = supplement_carries(Nutrients(), product.carries, product.form)
        if carries:
            found[product.id] = carries
    found.update({m.id: m.carries for m in medications if m.carries})
    return found


def merge_rules(shipped: RuleFile, user: RuleFile | None) -> list[Rule]:
    """The shipped rules, plus the user's, less the ones switched off."""
    if user is None:
        return [rule for rule in shipped.rules if rule.enabled]
    shipped_ids = {rule.id for rule in shipped.rules}
    clash = [rule.id for rule in user.rules if rule.id in shipped_ids]
    if clash:
        raise ValueError(f"user rules reuse shipped ids {', '.join(clash)}: pick new ids, or disable the shipped rule")
    unknown = [rule_id for rule_id in user.disable if rule_id not in shipped_ids | {r.id for r in user.rules}]
    if unknown:
        raise ValueError(f"disable names unknown rules: {', '.join(unknown)}")
    off = set(user.disable)
    return [rule for rule in [*shipped.rules, *user.rules] if rule.enabled and rule.id not in off]
