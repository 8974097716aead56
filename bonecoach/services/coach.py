"""The services both interfaces call: log, edit, look up and summarise, over one repository.

No business rule lives in the CLI or the TUI; they translate input and output and call here.
"""

from __future__ import annotations

import calendar
import re
import statistics
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

from dateutil.relativedelta import relativedelta
from pydantic import Field, ValidationError

from bonecoach.catalog.foods import FoodCatalog
from bonecoach.catalog.supplements import load_supplements, load_targets
from bonecoach.domain.absorption import AbsorptionEstimate, LoadEquation, mean_absorbed
from bonecoach.domain.adherence import WeekAdherence, nutrient_day, week_adherence, week_days, week_start
from bonecoach.domain.amounts import (
    check_doses,
    check_grams,
    grams_for_portion,
    parse_number,
    parse_signed,
    usual_portion,
)
from bonecoach.domain.base import Model
from bonecoach.domain.bone import (
    LAB_UNITS,
    SITE_LABELS,
    TSCORE_MAX,
    TSCORE_MIN,
    Crossing,
    LabResult,
    Scan,
    ScanDue,
    VitaminDReading,
    classify,
    crossings,
    next_scan_due,
    sessions,
    vitamin_d_reading,
)  # fmt: skip
from bonecoach.domain.conflicts import Conflict, ConflictChecker, Rule
from bonecoach.domain.day import DaySummary, food_entry, medication_entry, summarize_day, supplement_entry
from bonecoach.domain.errors import InputError
from bonecoach.domain.exercise import (
    BoneProfile,
    ExerciseOutcome,
    ExerciseSetup,
    SessionRecord,
    WeekPlan,
    Window,
    plan_week,
    session_overwrite_problem,
)
from bonecoach.domain.logline import LineItem
from bonecoach.domain.meals import (
    Recipe,
    SavedMeal,
    build_recipe,
    entries_for_meal,
    meal_from_entries,
    recipe_entry,
    repeat_entries,
)  # fmt: skip
from bonecoach.domain.models import (
    Entry,
    Food,
    InhibitorTag,
    MealSlot,
    Medication,
    Portion,
    Profile,
    Sex,
    Supplement,
    TargetOverride,
)
from bonecoach.domain.next_up import NextItem, next_up
from bonecoach.domain.nutrient_info import NUTRIENT_KEYS
from bonecoach.domain.nutrients import Nutrients
from bonecoach.domain.planner import DayPlan, MealTimes, Regimen, RegimenItem, plan_day
from bonecoach.domain.search import stem, tokens
from bonecoach.domain.suggest import Candidate, Suggestion, suggest
from bonecoach.domain.targets import Target, TargetTable, age_on, targets_for
from bonecoach.domain.text import unsafe_characters
from bonecoach.domain.timeparse import default_meal_for, iso_date, parse_date, parse_when
from bonecoach.storage.repository import Repository

MAX_NAME = 120
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
RECENT_DAYS = 60  # "recent and frequent" means the last two months
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
REMINDER_DAYS = 30  # Today mentions a scan or recheck due within 30 days
STREAK_CHUNK_DAYS = 31  # the streak reads history a month at a time
MAX_STREAK_DAYS = 3660  # ten years: enough for any streak
LAB_RECHECK_MONTHS = 12  # bonecoach's default reminder for 25(OH)D; no source sets an interval
# DOMAIN.md gives reference values from 14 (ages 14-18 and adults); nothing younger is served.
MIN_AGE, MAX_AGE = 14, 120
_CUSTOM_PREFIX = "custom:"


class AmbiguousMatch(InputError):
    """A name or query matched more than one thing; ``matches`` lists the best ones."""

    def __init__(self, message: str, matches: list[tuple[str, str]]) -> None:
        super().__init__(message)
        self.matches = matches


Named = TypeVar("Named", Medication, Supplement)


def _resolve(items: list[Named], id_or_name: str, what: str, *, empty: str, missing: str) -> Named:
    """An item by id or exact name, or the single one whose id and name hold every word given."""
    text = id_or_name.strip().lower()
    if not text:
        raise InputError(empty)
    for item in items:
        if item.id == text or item.name.lower() == text:
            return item
    words = text.split()
    matches = [item for item in items if all(word in f"{item.id} {item.name}".lower() for word in words)]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise InputError(f"No {what} matches {id_or_name!r}; {missing}.")
    raise AmbiguousMatch(f"{id_or_name!r} matches several {what}s; give the id:", [(m.id, m.name) for m in matches[:8]])


def clean_name(text: str, what: str = "Name") -> str:
    """A name a person typed: trimmed, no control characters, not empty, not absurdly long."""
    name = " ".join(str(text).split())
    if not name:
        raise InputError(f"{what} cannot be empty.")
    if any(ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0 for ch in name):
        raise InputError(f"{what} cannot contain control characters.")
    if unsafe_characters(name):
        # U+202E and its kin reorder what a terminal shows after them: "tab\u202eelbat" misleads.
        raise InputError(f"{what} cannot contain direction-override or invisible formatting characters.")
    if len(name) > MAX_NAME:
        raise InputError(f"{what} is {len(name)} characters; keep it under {MAX_NAME}.")
    return name


def slugify(text: str) -> str:
    """A stable id from a name: lower case, words joined by hyphens."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:60] or "item"


def parse_meal(text: str | None, moment: datetime) -> MealSlot:
    """A meal slot by name (or its first letters), or the usual one for the time of day."""
    if not text:
        return MealSlot(default_meal_for(moment))
    wanted = text.strip().lower()
    for slot in MealSlot:
        if slot.value == wanted or (len(wanted) >= 2 and slot.value.startswith(wanted)):
            return slot
    names = ", ".join(slot.value for slot in MealSlot)
    raise InputError(f"Unknown meal {text!r}; use one of {names}.")


class OnboardingAnswers(Model):
    """What the onboarding form collected, as typed."""

    sex: str
    birth_date: str
    guideline: str = "iom"
    scan_date: str = ""
    tscores: dict[str, str] = Field(default_factory=dict)
    vertebral_fractures: str = ""
    other_fractures: str = ""
    falls_last_year: str = ""
    impact_cleared: str = ""
    weights_cleared: str = ""
    medications: list[str] = Field(default_factory=list)
    bone_frequency: str = "weekly"


@contextmanager
def _field(name: str) -> Iterator[None]:
    """Name the form field an InputError raised inside belongs to (for a message beside it)."""
    try:
        yield
    except InputError as exc:
        exc.field = exc.field or name
        raise


def _count_text(text: str, what: str) -> int | None:
    if not text.strip():
        return None
    if not text.strip().isdigit() or int(text.strip()) > 365:
        raise InputError(f"{what} must be a whole number from 0, not {text.strip()[:30]!r}.")
    return int(text.strip())


class BoneStatus(Model):
    """What the Bone pane and ``status --json`` show."""

    today: date
    category: str | None
    latest_tscore: float | None
    latest_site: str | None
    latest_scan: date | None
    next_scan: ScanDue
    crossings: list[Crossing]
    vitamin_d: VitaminDReading | None
    vitamin_d_recheck: date | None

    @property
    def reversal(self) -> Crossing | None:
        """The latest crossing of -2.5 (the seed's reversal), if any."""
        found = [c for c in self.crossings if c.threshold == -2.5]
        return found[-1] if found else None


INHIBITOR_LEVELS = ("very_high", "high", "moderate", "low")


@dataclass(frozen=True)
class LineMatch:
    """One item of a one-line log: the food it matched, how surely ("sure", "ambiguous",
    "unknown"), what to show, and the entry it would log."""

    item: LineItem
    food: Food | None
    strength: str
    message: str
    entry: Entry | None = None


@dataclass(frozen=True)
class LinePreview:
    """What a line would log, at one time."""

    items: tuple[LineMatch, ...]
    at: datetime

    @property
    def ready(self) -> bool:
        """Whether every item is surely matched (only then is anything logged)."""
        return all(match.strength == "sure" and match.entry is not None for match in self.items)


class Coach:
    """Application services over a repository, a catalog and a clock (passed in for tests)."""

    def __init__(
        self,
        repo: Repository,
        clock: Callable[[], datetime] = datetime.now,
        catalog: FoodCatalog | None = None,
    ) -> None:
        self.repo = repo
        self.clock = clock
        self._recent_cache: tuple[object, list[tuple[str, int, float | None]]] | None = None
        if catalog is not None:
            self.__dict__["catalog"] = catalog

    # -- reference data (loaded on first use, so start-up stays fast) -----------------------

    @cached_property
    def catalog(self) -> FoodCatalog:
        """The shipped USDA food catalog."""
        return FoodCatalog.load()

    @cached_property
    def preset_supplements(self) -> list[Supplement]:
        """The shipped supplement presets."""
        return load_supplements()

    @cached_property
    def target_table(self) -> TargetTable:
        """The shipped DRI table."""
        return load_targets()

    @cached_property
    def medications(self) -> list[Medication]:
        """The shipped medication list."""
        from bonecoach.catalog.rules import load_medications

        return load_medications()

    @cached_property
    def rules_warning(self) -> str | None:
        """Why the user's rule file was not used, if it was not (set when the rules load)."""
        _ = self.checker
        return self.__dict__.get("_rules_warning")

    @cached_property
    def checker(self) -> ConflictChecker:
        """The conflict rules in force: shipped, plus the user's file in the database folder.

        A broken user file never silences the checks: the last good copy of it is used (or the
        shipped rules alone) and ``rules_warning`` says what is wrong.
        """
        from bonecoach.catalog.rules import (
            USER_RULES_NAME,
            check_rule_file,
            load_plain_water,
            load_shipped_rules,
            parse_rule_file,
        )

        shipped = load_shipped_rules()
        rules: list[Rule] = list(shipped.rules)
        path = self.repo.root / USER_RULES_NAME
        if path.exists():
            try:
                rules = check_rule_file(path, shipped)
                if not self.repo.readonly:
                    self.repo.save_setting("rules_last_good", path.read_text(encoding="utf-8"))
            except InputError as exc:
                last_good = self.repo.setting("rules_last_good")
                fallback = "the shipped rules"
                if isinstance(last_good, str):
                    from bonecoach.domain.conflicts import merge_rules

                    rules = merge_rules(shipped, parse_rule_file("last good copy", last_good))
                    fallback = "the last good copy of your rules"
                self.__dict__["_rules_warning"] = f"Your rule file has problems, so {fallback} are in use:\n{exc}"
        return ConflictChecker(
            [rule for rule in rules if rule.enabled], plain_water=load_plain_water(), load=self.absorption[0]
        )

    def now(self) -> datetime:
        """The current local time, to the minute."""
        return self.clock().replace(second=0, microsecond=0)

    def close(self) -> None:
        """Let go of the database (its lock, if held)."""
        self.repo.close()

    # -- profile and targets ----------------------------------------------------------------

    def profile(self) -> Profile | None:
        """The stored profile, if onboarding happened."""
        return self.repo.profile()

    def set_profile(
        self, sex: str | Sex | None = None, birth_date: date | None = None, guideline: str | None = None, **bone: object
    ) -> Profile:
        """Create or update the profile; sex and birth date are both needed the first time."""
        current = self.repo.profile()
        if current is None and (sex is None or birth_date is None):
            raise InputError(
                "Give both --sex and --birth-date the first time: targets depend on both.",
                field="birth_date" if sex is not None else "sex",
            )
        if sex is not None:
            try:
                sex = Sex(str(getattr(sex, "value", sex)).strip().lower())
            except ValueError:
                raise InputError(f"Sex must be female or male, not {sex!r}.", field="sex") from None
        if birth_date is not None:
            age = age_on(birth_date, self.now().date())
            if birth_date > self.now().date():
                raise InputError("The birth date is in the future.", field="birth_date")
            if age < MIN_AGE:
                raise InputError(
                    f"That birth date makes you {age}: bonecoach serves ages {MIN_AGE} and over, the youngest its "
                    "reference values cover. Bone health before then belongs with a paediatrician.",
                    field="birth_date",
                )
            if age > MAX_AGE:
                raise InputError(f"That birth date makes you {age}; check the year.", field="birth_date")
        if guideline is not None and guideline not in self.target_table.guidelines:
            names = ", ".join(self.target_table.guidelines)
            raise InputError(f"Unknown guideline {guideline!r}; use one of {names}.", field="guideline")
        updates: dict[str, object] = {}
        if sex is not None:
            updates["sex"] = sex
        if birth_date is not None:
            updates["birth_date"] = birth_date
        if guideline is not None:
            updates["guideline"] = guideline
        allowed = {"reported_tscore", "vertebral_fractures", "other_fractures", "falls_last_year", "impact_cleared",
                   "weights_cleared"}  # fmt: skip
        unknown = set(bone) - allowed
        if unknown:
            raise InputError(f"Unknown profile fields: {', '.join(sorted(unknown))}.")
        updates.update(bone)
        try:
            profile = Profile.model_validate({**(current.model_dump() if current else {}), **updates})
        except ValidationError as exc:
            problem = exc.errors()[0]
            raise InputError(f"Profile field {'.'.join(map(str, problem['loc']))}: {problem['msg']}.") from None
        self.repo.save_profile(profile)
        return profile

    def set_target_override(
        self, key: str, target: float | None = None, upper_limit: float | None = None, clear: bool = False
    ) -> Profile:
        """Override a nutrient's target or limit (or clear the override)."""
        profile = self._require_profile()
        if key not in NUTRIENT_KEYS:
            raise InputError(f"Unknown nutrient {key!r}; use one of {', '.join(NUTRIENT_KEYS)}.")
        overrides = dict(profile.overrides)
        if clear:
            overrides.pop(key, None)
        else:
            for value in (target, upper_limit):
                if value is not None and not (0 < value < 100_000):
                    raise InputError("A target or limit must be a positive number.")
            overrides[key] = TargetOverride(target=target, upper_limit=upper_limit)
        profile = profile.model_copy(update={"overrides": overrides})
        self.repo.save_profile(profile)
        return profile

    def apply_target_edits(self, edits: dict[str, tuple[str | None, str | None]]) -> Profile:
        """Apply typed target and limit edits: ``None`` leaves a field, "" returns it to the
        guideline, a number overrides it. All are checked before anything is saved."""
        profile = self._require_profile()
        overrides = dict(profile.overrides)
        for key, (target_text, limit_text) in edits.items():
            if key not in NUTRIENT_KEYS:
                raise InputError(f"Unknown nutrient {key!r}.")
            current = overrides.get(key, TargetOverride())
            label = key.replace("_", " ")
            values = {}
            for field, text in (("target", target_text), ("upper_limit", limit_text)):
                if text is None:
                    values[field] = getattr(current, field)
                elif not text.strip():
                    values[field] = None
                else:
                    values[field] = parse_number(text, f"{label} {field.replace('_', ' ')}")
            if values["target"] is None and values["upper_limit"] is None:
                overrides.pop(key, None)
            else:
                overrides[key] = TargetOverride(**values)
        profile = profile.model_copy(update={"overrides": overrides})
        self.repo.save_profile(profile)
        return profile

    def _require_profile(self) -> Profile:
        profile = self.repo.profile()
        if profile is None:
            raise InputError(
                "No profile yet: run 'bonecoach profile set --sex female|male --birth-date YYYY-MM-DD' first."
            )
        return profile

    def targets(self, day: date) -> dict[str, Target]:
        """Targets on ``day`` for the stored profile (none before onboarding)."""
        profile = self.repo.profile()
        return {} if profile is None else targets_for(profile, day, self.target_table)

    # -- foods and supplements --------------------------------------------------------------

    def food(self, food_id: str) -> Food | None:
        """A catalog or custom food by id."""
        if food_id.startswith(_CUSTOM_PREFIX):
            return next((food for food in self.repo.custom_foods() if food.id == food_id), None)
        return self.catalog.get(food_id)

    @cached_property
    def absorption(self) -> tuple[LoadEquation, dict[str, float], str]:
        """The absorbable-calcium equation, food indices and citation (loaded once)."""
        from bonecoach.catalog.rules import load_absorption

        return load_absorption()

    def absorbable(self, summary: DaySummary) -> AbsorptionEstimate:
        """The day's absorbable calcium (estimate) from its entries."""
        from bonecoach.domain.absorption import absorbable_calcium

        equation, indices, _ = self.absorption
        return absorbable_calcium(summary.entries, indices, equation)

    def sure_catalog_match(self, name: str) -> Food | None:
        """The catalog food a name from another app surely names (see ``confident_match``), or ``None``."""
        from bonecoach.domain.search import confident_match

        top = self.catalog.search(name, limit=1)
        return top[0] if top and confident_match(name, top[0].name) else None

    def search_foods(self, query: str, limit: int = 20) -> list[Food]:
        """Your own foods, then foods you ate lately (most often first), then the catalog."""
        words = [stem(word) for word in tokens(query)]
        if not words:
            return []

        def matches(name: str) -> bool:
            have = [stem(word) for word in tokens(name)]
            return all(any(h.startswith(w) for h in have) for w in words)

        custom = [food for food in self.repo.custom_foods() if matches(food.name)]
        recent = []
        for ref, _, _ in self.recent_refs():
            food = self.catalog.get(ref) if not ref.startswith(_CUSTOM_PREFIX) else None
            if food is not None and matches(food.name):
                recent.append(food)
        seen = {food.id for food in custom + recent}
        catalog = [food for food in self.catalog.search(query, limit) if food.id not in seen]
        return (custom + recent + catalog)[:limit]

    def resolve_food(self, id_or_query: str) -> Food:
        """A food by exact id, or the single clear match of a query; else ``AmbiguousMatch``."""
        text = id_or_query.strip()
        if not text or len(text) > MAX_NAME:
            raise InputError("Name a food by its id (e.g. 01077) or a few words of its name.")
        direct = self.food(text)
        if direct is not None:
            return direct
        matches = self.search_foods(text, limit=6)
        if not matches:
            raise InputError(f"No food matches {text!r}. Try fewer or other words.")
        exact = [food for food in matches if food.name.lower() == text.lower()]
        if len(exact) == 1:
            return exact[0]
        if len(matches) == 1:
            return matches[0]
        raise AmbiguousMatch(
            f"{text!r} matches several foods; give the id of the one you mean:",
            [(food.id, food.name) for food in matches],
        )

    def resolve_medication(self, id_or_name: str) -> Medication:
        """A medication by id or by the one name containing every word given."""
        names = ", ".join(m.id for m in self.medications)
        return _resolve(self.medications, id_or_name, "medication",
                        empty="Name a medication (e.g. alendronate, levothyroxine, iron).", missing=f"known: {names}")  # fmt: skip

    def supplements(self) -> list[Supplement]:
        """The user's own products first, then the presets."""
        return self.repo.user_supplements() + self.preset_supplements

    def resolve_supplement(self, id_or_name: str) -> Supplement:
        """A supplement by id, exact name, or the one name containing every word given."""
        return _resolve(self.supplements(), id_or_name, "supplement",
                        empty="Name a supplement by id or name (see 'bonecoach supplements list').",
                        missing="see 'bonecoach supplements list'")  # fmt: skip

    def add_supplement(
        self, name: str, nutrients: dict[str, float], form: str = "", dose_label: str = "1 dose"
    ) -> Supplement:
        """Add the user's own product with its nutrients per dose."""
        name = clean_name(name, "Supplement name")
        self._check_nutrient_values(nutrients, "per dose")
        product = Supplement(
            id=f"my-{slugify(name)}",
            name=name,
            form=clean_name(form, "Form") if form else "",
            dose_label=clean_name(dose_label, "Dose label"),
            nutrients=Nutrients.from_values(dict(nutrients)),
            source="Added by you from your product's label.",
            custom=True,
        )
        self.repo.save_user_supplement(product)
        return product

    def add_custom_food(
        self,
        name: str,
        serving_grams: float,
        nutrients_per_serving: dict[str, float],
        serving_label: str = "1 serving",
        inhibitors: dict[str, str] | None = None,
    ) -> Food:
        """Add the user's own food from its label: nutrients per serving and the serving's weight,
        and, optionally, its oxalate or phytate level (``{"oxalate": "high"}``) as the user knows it."""
        name = clean_name(name, "Food name")
        tags = []
        for kind, level in (inhibitors or {}).items():
            if not level:
                continue
            if kind not in ("oxalate", "phytate") or level not in INHIBITOR_LEVELS:
                raise InputError(f"{kind} level must be one of {', '.join(INHIBITOR_LEVELS)} (or left empty).")
            tags.append(InhibitorTag(kind=kind, level=level, origin="estimate", basis="the level you gave",
                                     source="Added by you"))  # fmt: skip
        serving_grams = check_grams(serving_grams)
        self._check_nutrient_values(nutrients_per_serving, "per serving")
        per_100g = Nutrients.from_values(dict(nutrients_per_serving)).scaled(100.0 / serving_grams)
        food = Food(
            id=f"{_CUSTOM_PREFIX}{slugify(name)}",
            name=name,
            group="My foods",
            per_100g=per_100g,
            portions=(Portion(label=clean_name(serving_label, "Serving label"), grams=serving_grams),),
            source="Added by you from the product's label.",
            custom=True,
            inhibitors=tuple(tags),
        )
        self.repo.save_custom_food(food)
        return food

    @staticmethod
    def _check_nutrient_values(values: dict[str, float], what: str) -> None:
        if not values:
            raise InputError(f"Give at least one nutrient amount {what}.")
        for key, value in values.items():
            if key not in NUTRIENT_KEYS:
                raise InputError(f"Unknown nutrient {key!r}; use {', '.join(NUTRIENT_KEYS)}.")
            if not (0 <= value < 100_000):
                raise InputError(f"{key} {what} must be between 0 and 100000.")

    # -- logging ----------------------------------------------------------------------------

    def _new_id(self) -> str:
        return uuid.uuid4().hex[:12]

    def preview_line(self, text: str) -> LinePreview:
        """What a line such as "1 cup milk 2%, coffee at 8am" would log: each item with the food it
        matched, how surely, and the amount; nothing is logged."""
        from bonecoach.domain.logline import parse_log_line
        from bonecoach.domain.search import match_strength

        line = parse_log_line(text)
        moment = parse_when(line.when, self.now())
        items = []
        for item in line.items:
            found = self.search_foods(item.query, limit=1)
            if not found:
                items.append(LineMatch(item, None, "unknown", f"{item.text!r}: no food matches {item.query!r}."))
                continue
            food = found[0]
            strength = match_strength(item.query, food.name)
            try:
                if item.grams is not None:
                    grams, portion = check_grams(item.grams), None
                elif item.unit is not None:
                    grams, portion = grams_for_portion(food, item.unit, item.count)
                elif (usual := usual_portion(food)) is not None:
                    grams, portion = grams_for_portion(food, usual.label, item.count)
                else:
                    raise InputError(f"{food.name} has no household portions; give grams, e.g. '100 g {item.query}'.")
            except InputError as exc:
                items.append(LineMatch(item, food, "unknown", f"{item.text!r}: {exc}"))
                continue
            note = "" if strength == "sure" else f" (only some words of {item.query!r} match: check it)"
            entry = food_entry(self._new_id(), food, grams, moment, parse_meal(None, moment), portion)
            items.append(LineMatch(item, food, strength, f"{item.text} -> {food.id} {food.name}, "
                                   f"{portion or f'{grams:g} g'} ({grams:g} g){note}", entry))  # fmt: skip
        return LinePreview(tuple(items), moment)

    def log_line(self, preview: LinePreview) -> list[Entry]:
        """Log every item of a previewed line, as one change; refused unless every item is sure."""
        unsure = [match.message for match in preview.items if match.strength != "sure" or match.entry is None]
        if unsure:
            raise InputError("Nothing was logged: " + " ".join(unsure))
        entries = [match.entry for match in preview.items if match.entry is not None]
        self.repo.add_entries(entries)
        return entries

    def log_food(
        self,
        food: Food | str,
        *,
        grams: float | None = None,
        portion: str | None = None,
        count: float = 1.0,
        at: str | datetime | None = None,
        meal: str | None = None,
    ) -> Entry:
        """Log an amount of a food (grams, or a count of one of its portions)."""
        chosen = food if isinstance(food, Food) else self.resolve_food(food)
        if (grams is None) == (portion is None):
            raise InputError("Give the amount either in grams or as a portion (e.g. '1 cup').")
        if grams is not None:
            amount, described = check_grams(grams), None
        else:
            amount, described = grams_for_portion(chosen, portion or "", count)
        moment = at if isinstance(at, datetime) else parse_when(at, self.now())
        entry = food_entry(self._new_id(), chosen, amount, moment, parse_meal(meal, moment), described)
        self.repo.add_entry(entry)
        return entry

    def log_supplement(
        self, supplement: Supplement | str, *, doses: float = 1.0, at: str | datetime | None = None
    ) -> Entry:
        """Log doses of a supplement."""
        product = supplement if isinstance(supplement, Supplement) else self.resolve_supplement(supplement)
        doses = check_doses(doses)
        moment = at if isinstance(at, datetime) else parse_when(at, self.now())
        entry = supplement_entry(self._new_id(), product, doses, moment)
        self.repo.add_entry(entry)
        return entry

    def log_medication(self, medication: Medication | str, *, at: str | datetime | None = None) -> Entry:
        """Log a dose of a medication (its timing is what the conflict rules check)."""
        chosen = medication if isinstance(medication, Medication) else self.resolve_medication(medication)
        moment = at if isinstance(at, datetime) else parse_when(at, self.now())
        entry = medication_entry(self._new_id(), chosen, moment)
        self.repo.add_entry(entry)
        return entry

    def save_supplement_set(self, name: str, items: list[tuple[str, float]]) -> None:
        """Name a set of supplements (e.g. "morning") to log in one action."""
        name = clean_name(name, "Set name").lower()
        if not items:
            raise InputError("A supplement set needs at least one supplement.")
        checked = [(self.resolve_supplement(sid).id, check_doses(doses)) for sid, doses in items]
        self.repo.save_supplement_set(name, checked)

    def log_supplement_set(self, name: str, at: str | datetime | None = None) -> list[Entry]:
        """Log every supplement of a saved set at one time, as one action."""
        sets = self.repo.supplement_sets()
        key = name.strip().lower()
        if key not in sets:
            known = ", ".join(sorted(sets)) or "none saved yet"
            raise InputError(f"No supplement set {name!r} (saved sets: {known}).")
        moment = at if isinstance(at, datetime) else parse_when(at, self.now())
        entries = []
        for supplement_id, doses in sets[key]:
            product = self.resolve_supplement(supplement_id)
            entries.append(supplement_entry(self._new_id(), product, doses, moment))
        self.repo.add_entries(entries)
        return entries

    def edit_entry(
        self,
        entry_id: str,
        *,
        grams: float | None = None,
        doses: float | None = None,
        at: str | None = None,
        meal: str | None = None,
    ) -> Entry:
        """Change an entry's amount, time or meal; its nutrients are recomputed from the amount."""
        entry = self.repo.get_entry(entry_id)
        if entry is None:
            raise InputError(f"No entry with id {entry_id!r}.")
        updates: dict[str, object] = {}
        if grams is not None:
            if entry.kind != "food" or not entry.grams:
                raise InputError("Only a food's amount is in grams; give doses for a supplement.")
            grams = check_grams(grams)
            updates.update(grams=grams, portion=None, nutrients=entry.nutrients.scaled(grams / entry.grams))
        if doses is not None:
            if entry.kind != "supplement" or not entry.doses:
                raise InputError("Only a supplement is counted in doses; give grams for a food.")
            doses = check_doses(doses)
            updates.update(doses=doses, nutrients=entry.nutrients.scaled(doses / entry.doses))
        if at is not None:
            updates["at"] = parse_when(at, self.now())
        if meal is not None:
            updates["meal"] = parse_meal(meal, entry.at)
        if not updates:
            raise InputError("Nothing to change: give a new amount, time or meal.")
        changed = entry.model_copy(update=updates)
        self.repo.replace_entry(changed)
        return changed

    def delete_entry(self, entry_id: str) -> Entry:
        """Delete an entry (undo puts it back)."""
        try:
            return self.repo.delete_entry(entry_id)
        except KeyError:
            raise InputError(f"No entry with id {entry_id!r}.") from None

    def undo_delete(self) -> Entry | None:
        """Restore the most recently deleted entry."""
        return self.repo.restore_last_deleted()

    # -- summaries --------------------------------------------------------------------------

    def day(self, day: date | None = None) -> DaySummary:
        """The day's entries, totals, targets and conflicts."""
        chosen = day or self.now().date()
        # Windows can cross midnight, so the neighbouring days take part in the checks.
        around = self.repo.entries_between(chosen - timedelta(days=1), chosen + timedelta(days=1))
        targets = self.targets(chosen)
        conflicts = self.checker.check_day(chosen, around, targets, day_complete=chosen < self.now().date())
        entries = [entry for entry in around if entry.at.date() == chosen]
        return summarize_day(chosen, entries, targets, conflicts)

    def days(self, start: date, end: date, *, conflicts: bool = True, fixes: bool = False) -> dict[date, DaySummary]:
        """Every day from ``start`` to ``end`` as ``day()`` gives it, from one read of the period.

        For reviews of many days: ``fixes=False`` (the default here) leaves out the suggested
        times, the costly part, and ``conflicts=False`` the conflict pass altogether."""
        by_day: dict[date, list[Entry]] = {}
        for entry in self.repo.entries_between(start - timedelta(days=1), end + timedelta(days=1)):
            by_day.setdefault(entry.at.date(), []).append(entry)
        profile = self.repo.profile()
        today = self.now().date()
        found: dict[date, DaySummary] = {}
        by_age: dict[int, dict[str, Target]] = {}  # targets depend on the day only through age
        current = start
        while current <= end:
            targets: dict[str, Target] = {}
            if profile is not None:
                age = age_on(profile.birth_date, current)
                if age not in by_age:
                    by_age[age] = targets_for(profile, current, self.target_table)
                targets = by_age[age]
            entries = by_day.get(current, [])
            clashes = []
            if conflicts and entries:
                before = by_day.get(current - timedelta(days=1), [])
                after = by_day.get(current + timedelta(days=1), [])
                clashes = self.checker.check_day(
                    current, before + entries + after, targets, fixes=fixes, day_complete=current < today
                )
            found[current] = summarize_day(current, entries, targets, clashes)
            current += timedelta(days=1)
        return found

    # -- saved meals, recipes, repeats, recents ---------------------------------------------

    def _find_named(self, items: list[Any], name: str, what: str) -> Any:
        wanted = slugify(name)
        for item in items:
            if item.id == wanted or item.name.lower() == name.strip().lower():
                return item
        known = ", ".join(sorted(i.name for i in items)) or "none yet"
        raise InputError(f"No {what} called {name!r} (yours: {known}).")

    def save_meal(
        self, name: str, day: date | str | None = None, slot: str | None = None, entry_ids: list[str] | None = None
    ) -> SavedMeal:
        """Save a meal slot of ``day``, or any entries by id, under a name (the same name replaces)."""
        name = clean_name(name, "Meal name")
        if entry_ids:
            entries = []
            for entry_id in entry_ids:
                entry = self.repo.get_entry(entry_id.strip())
                if entry is None or entry.kind == "medication":
                    raise InputError(f"No food or supplement entry with id {entry_id!r}.")
                entries.append(entry)
        else:
            if day is None or slot is None:
                raise InputError("Give --date and --meal, or the entries to save with --entry ID.")
            when = day if isinstance(day, date) else parse_date(day, self.now().date())
            meal = parse_meal(slot, datetime.combine(when, datetime.min.time()))
            entries = [e for e in self.repo.entries_on(when) if e.meal == meal and e.kind != "medication"]
            if not entries:
                raise InputError(f"Nothing was logged for {meal.value} on {when}; log it first, then save it.")
        saved = meal_from_entries(slugify(name), name, entries)
        self.repo.save_meal(saved)
        return saved

    def saved_meal(self, name: str) -> SavedMeal:
        """A saved meal by name."""
        return self._find_named(self.repo.saved_meals(), name, "saved meal")  # type: ignore[no-any-return]

    def delete_meal(self, name: str) -> None:
        """Forget a saved meal."""
        self.repo.delete_meal(self.saved_meal(name).id)

    def log_meal(self, name: str, at: str | datetime | None = None) -> list[Entry]:
        """Log every item of a saved meal in one action."""
        meal = self.saved_meal(name)
        moment = at if isinstance(at, datetime) else parse_when(at, self.now())
        entries = entries_for_meal(meal, moment, [self._new_id() for _ in meal.items])
        self.repo.add_entries(entries)
        return entries

    def add_recipe(self, name: str, servings: float, items: list[tuple[str, float]]) -> Recipe:
        """A recipe from catalog foods (id and grams) making ``servings`` servings."""
        name = clean_name(name, "Recipe name")
        if not items:
            raise InputError("A recipe needs at least one ingredient (ID:GRAMS).")
        if not 0 < servings <= 100:
            raise InputError("Servings must be between 0 and 100.")
        foods = []
        for food_id, grams in items:
            food = self.food(food_id.strip())
            if food is None:
                raise InputError(f"No food with id {food_id!r}; find ids with 'bonecoach foods search WORDS'.")
            foods.append((food, check_grams(grams)))
        recipe = build_recipe(slugify(name), name, servings, foods)
        self.repo.save_recipe(recipe)
        return recipe

    def recipe(self, name: str) -> Recipe:
        """A recipe by name."""
        return self._find_named(self.repo.recipes(), name, "recipe")  # type: ignore[no-any-return]

    def log_recipe(
        self, name: str, servings: float = 1.0, at: str | datetime | None = None, meal: str | None = None
    ) -> Entry:
        """Log servings of a recipe."""
        recipe = self.recipe(name)
        if not 0 < servings <= 20:
            raise InputError("Servings eaten must be between 0 and 20.")
        moment = at if isinstance(at, datetime) else parse_when(at, self.now())
        entry = recipe_entry(recipe, servings, moment, parse_meal(meal, moment), self._new_id())
        self.repo.add_entry(entry)
        return entry

    def repeat_entry(self, entry_id: str, at: str | datetime | None = None) -> Entry:
        """Log an earlier entry again (default: now)."""
        entry = self.repo.get_entry(entry_id)
        if entry is None:
            raise InputError(f"No entry with id {entry_id!r}.")
        moment = at if isinstance(at, datetime) else parse_when(at, self.now())
        (copy,) = repeat_entries([entry], moment, [self._new_id()])
        if copy.kind != "medication":
            copy = copy.model_copy(update={"meal": parse_meal(None, moment) if copy.kind == "food" else copy.meal})
        self.repo.add_entry(copy)
        return copy

    def repeat_meal(self, day: date | str, slot: str, at: str | datetime | None = None) -> list[Entry]:
        """Log a whole meal slot of another day again, spacing kept."""
        when = day if isinstance(day, date) else parse_date(day, self.now().date())
        meal = parse_meal(slot, datetime.combine(when, datetime.min.time()))
        entries = [e for e in self.repo.entries_on(when) if e.meal == meal and e.kind != "medication"]
        if not entries:
            raise InputError(f"Nothing was logged for {meal.value} on {when}.")
        moment = at if isinstance(at, datetime) else parse_when(at, self.now())
        copies = repeat_entries(entries, moment, [self._new_id() for _ in entries])
        self.repo.add_entries(copies)
        return copies

    def recent_refs(self, days: int = RECENT_DAYS) -> list[tuple[str, int, float | None]]:
        """Foods and supplements logged lately: (ref, times, usual amount), most used first."""
        today = self.now().date()
        # Asked on every keystroke of a food search: kept until those months' files change.
        key = (today, days, self.repo.entries_stamp(today - timedelta(days=days), today))
        if self._recent_cache is not None and self._recent_cache[0] == key:
            return self._recent_cache[1]
        uses: dict[str, list[float]] = {}
        for entry in self.repo.entries_between(today - timedelta(days=days), today):
            if entry.kind == "medication":
                continue
            uses.setdefault(entry.ref, []).append(entry.grams if entry.kind == "food" else (entry.doses or 1.0))  # type: ignore[arg-type]
        ranked = sorted(uses.items(), key=lambda item: (-len(item[1]), item[0]))
        found = [(ref, len(amounts), statistics.median(amounts) if amounts else None) for ref, amounts in ranked]
        self._recent_cache = (key, found)
        return list(found)

    # -- suggestions ------------------------------------------------------------------------

    def suggestions(
        self, day: date | None = None, at: str | datetime | None = None, limit: int = 5
    ) -> list[Suggestion]:
        """Ways to close the day's gaps at ``at`` (default now) without a conflict or a crossed limit."""
        chosen = day or self.now().date()
        moment = at if isinstance(at, datetime) else parse_when(at, self.now()) if at else self.now()
        if moment.date() != chosen:
            moment = datetime.combine(chosen, moment.time())
        summary = self.day(chosen)
        around = self.repo.entries_between(chosen - timedelta(days=1), chosen + timedelta(days=1))
        return suggest(
            summary, around, self._planned_doses(chosen, around), self._candidates(moment), self.checker, limit,
            indices=self.absorption[1],
        )  # fmt: skip

    def accept_suggestion(self, suggestion: Suggestion, at: str | datetime | None = None) -> Entry:
        """Log a suggestion as it was offered."""
        if suggestion.kind == "supplement":
            return self.log_supplement(suggestion.id, doses=suggestion.amount.get("doses", 1.0), at=at)
        if suggestion.id.startswith("recipe:"):
            recipe = next((r for r in self.repo.recipes() if f"recipe:{r.id}" == suggestion.id), None)
            if recipe is None:
                raise InputError("That recipe no longer exists.")
            return self.log_recipe(recipe.name, servings=1.0, at=at)
        return self.log_food(suggestion.id, grams=suggestion.amount["grams"], at=at)

    def _planned_doses(self, day: date, logged: list[Entry]) -> list[Entry]:
        """Regimen medicines still to come today, where the planner would put them."""
        taken = {e.ref for e in logged if e.at.date() == day}
        plan = self.plan(day)
        medications = {m.id: m for m in self.medications}
        return [
            medication_entry(f"planned-{item.ref}-{n}", medications[item.ref], item.at)
            for n, item in enumerate(plan.items)
            if item.kind == "medication" and item.ref not in taken and item.ref in medications
        ]

    def _candidates(self, moment: datetime) -> list[Candidate]:
        found: list[Candidate] = []
        supplements = {s.id: s for s in self.supplements()}
        recipes = {f"recipe:{r.id}": r for r in self.repo.recipes()}
        meal = parse_meal(None, moment)
        for ref, uses, amount in self.recent_refs():
            if ref in supplements:
                product = supplements[ref]
                entry = supplement_entry(f"suggest-{ref}", product, amount or 1.0, moment)
            elif ref in recipes:
                entry = recipe_entry(recipes[ref], 1.0, moment, meal, f"suggest-{ref}")
            else:
                food = self.food(ref)
                if food is None or not amount:
                    continue
                entry = food_entry(f"suggest-{ref}", food, amount, moment, meal)
            found.append(Candidate(entry=entry, own=True, uses=uses))
        owned = {s.id for s in self.repo.user_supplements()} | {
            sid for items in self.repo.supplement_sets().values() for sid, _ in items
        }
        for ref in sorted(owned):
            if ref in supplements:
                product = supplements[ref]
                entry = supplement_entry(f"suggest-{ref}", product, 1.0, moment)
                found.append(Candidate(entry=entry, own=True))
        for food_id, label in COMMON_FOODS.items():
            food = self.food(food_id)
            portion = next((p for p in food.portions if p.label == label), None) if food else None
            if food is None or portion is None:
                continue
            grams = portion.grams
            entry = food_entry(f"suggest-{food_id}", food, grams, moment, meal, portion.label)

            found.append(Candidate(entry=entry, own=False))
        return found

    # -- exercise -----------------------------------------------------------------------------

    def exercise_setup(self) -> tuple[list[Window], set[str]]:
        """When the person can exercise, and their equipment (defaults: 45 min at 09:00 daily, none)."""
        stored = self.repo.exercise_setup()
        if stored is None:
            return [Window(weekday=d, start=time(9, 0), minutes=45) for d in range(7)], set()
        return list(stored.windows), set(stored.equipment)

    def set_exercise_setup(self, windows: list[Window] | None = None, equipment: set[str] | None = None) -> None:
        """Store availability and/or equipment."""
        current_windows, current_equipment = self.exercise_setup()
        chosen = windows if windows is not None else current_windows
        kit = sorted(equipment if equipment is not None else current_equipment)
        self.repo.save_exercise_setup(ExerciseSetup(windows=chosen, equipment=kit))

    def set_exercise_times(self, rows: dict[int, tuple[str, str]], equipment: set[str]) -> None:
        """Availability typed per weekday (start "HH:MM", minutes; both empty = none), and equipment."""
        windows = []
        for day, (start_text, minutes_text) in sorted(rows.items()):
            if not start_text.strip() and not minutes_text.strip():
                continue
            try:
                start = datetime.strptime(start_text.strip(), "%H:%M").time()
            except ValueError:
                raise InputError(
                    f"{WEEKDAY_NAMES[day]}: the start time {start_text.strip()[:20]!r} is not HH:MM."
                ) from None
            if not minutes_text.strip().isdigit() or not 10 <= int(minutes_text.strip()) <= 240:
                raise InputError(f"{WEEKDAY_NAMES[day]}: minutes must be a whole number from 10 to 240.")
            windows.append(Window(weekday=day, start=start, minutes=int(minutes_text.strip())))
        self.set_exercise_setup(windows, equipment)

    def exercise_plan(self, week_of: date | None = None) -> WeekPlan:
        """This week's plan (Monday to Sunday) for the profile's bone status and the person's time."""
        day = week_of or self.now().date()
        return self.exercise_plans([week_start(day)])[0]

    def exercise_plans(self, mondays: list[date], history: list[SessionRecord] | None = None) -> list[WeekPlan]:
        """The plans of several weeks, sharing one read of the profile, scans and records
        (``history``: the session records, when the caller has them already)."""
        from bonecoach.catalog.rules import load_exercise_rules, load_exercises, load_tightening

        profile = self.repo.profile()
        status = self.bone_status()
        bone = BoneProfile(
            tscore=status.latest_tscore,
            vertebral_fractures=profile.vertebral_fractures if profile else None,
            other_fractures=profile.other_fractures if profile else None,
            falls_last_year=profile.falls_last_year if profile else None,
            impact_cleared=profile.impact_cleared if profile else None,
            weights_cleared=profile.weights_cleared if profile else None,
        )
        user_file = self.repo.root / "exercise_rules.json"
        tightening = load_tightening(user_file) if user_file.exists() else None
        windows, equipment = self.exercise_setup()
        today = self.now().date()
        exercises, rules = load_exercises(), load_exercise_rules()
        history = self.session_records() if history is None else history
        # Only records with outcomes move the ladder; the current week also needs the others
        # (to re-place missed sessions). Filtered once, not once per week.
        rungs = [r for r in history if r.completed and r.outcomes]
        start = self.started_on(history)
        plans = []
        for monday in mondays:
            current = monday <= today < monday + timedelta(days=7)
            plans.append(plan_week(monday, bone, windows, equipment, exercises, rules, tightening,
                                   history=history if current else rungs, today=today if current else None,
                                   began=start))  # fmt: skip
        return plans

    def started_on(self, history: list[SessionRecord] | None = None) -> date | None:
        """The first day of this person's data: the database's creation, or an earlier entry or
        session (an import brings history from before). Nothing is planned, nor missed, before it."""
        created = self.repo.created_on()
        if created is None or created > self.now().date():
            return None  # unknown, or written by a clock ahead of this one (a test clock): no limit
        found = [d for d in (created, self.repo.first_entry_day()) if d is not None]
        records = self.session_records() if history is None else history
        if records:
            found.append(min(r.date for r in records))
        return min(found) if found else None

    def session_records(self) -> list[SessionRecord]:
        """Every session record, oldest first."""
        return self.repo.session_records()

    def save_session_record(self, record: SessionRecord) -> None:
        """Store a session (replacing the record of the same date and category); an unfinished
        one is also the session to resume. One write. A finished session is never replaced by an
        unfinished one (``InputError``)."""
        same = (record.date, record.category)
        stored = next((r for r in self.repo.session_records() if (r.date, r.category) == same), None)
        problem = session_overwrite_problem(stored, record)
        if problem:
            raise InputError(problem)
        self.repo.save_session(record)

    def session_in_progress(self) -> SessionRecord | None:
        """A guided session left unfinished, to resume."""
        return self.repo.session_in_progress()

    def mark_session_done(self, day: date | str, category: str) -> dict[str, str]:
        """Record a session as completed (it counts toward the week)."""
        when = day if isinstance(day, date) else parse_date(day, self.now().date())
        if when > self.now().date():
            raise InputError(f"{when} has not happened yet.")
        if category not in ("resistance", "balance", "posture", "aerobic", "impact"):
            raise InputError("Category must be resistance, balance, posture, aerobic or impact.")
        planned = next(
            (p for p in self.exercise_plan(when).sessions if p.date == when and p.category == category), None
        )
        outcomes = (
            [ExerciseOutcome(id=e.id, outcome="done", sets_done=e.dosage.sets or 1) for e in planned.exercises]
            if planned
            else []
        )
        self.save_session_record(SessionRecord(date=when, category=category, outcomes=outcomes, completed=True))
        return {"date": when.isoformat(), "category": category}

    # -- weekly review ------------------------------------------------------------------------

    def week(self, day: date | None = None) -> WeekAdherence:
        """The week (Monday to Sunday) holding ``day``: nutrients, exercise, conflicts and doses."""
        monday = week_start(day or self.now().date())
        days = week_days(monday)
        summaries = self.days(days[0], days[-1])
        planned, done = self.sessions_between(days[0], days[-1])
        regimen = self.regimen()
        today = self.now().date()
        doses = {}
        for d in days:
            if d > today:  # doses still to come are neither due nor missed yet
                continue
            due = [item for item in regimen.items if item.due_on(d)]
            refs = [e.ref for e in summaries[d].entries]
            doses[d] = (len(due), sum(min(1, refs.count(item.ref)) for item in due))
        week = week_adherence(monday, summaries, planned, done, doses, today=today)
        absorbed = mean_absorbed([self.absorbable(s) for s in summaries.values() if s.entries])
        return week.model_copy(update={"absorbed_calcium": absorbed})

    def sessions_between(self, start: date, end: date) -> tuple[dict[date, dict[str, int]], dict[date, dict[str, int]]]:
        """Sessions planned (each week's plan as it stands) and done, per day and category."""
        planned: dict[date, dict[str, int]] = {}
        mondays = [week_start(start) + timedelta(days=7 * n) for n in range((end - week_start(start)).days // 7 + 1)]
        records = self.session_records()
        for plan in self.exercise_plans(mondays, history=records):
            for session in plan.sessions:
                if start <= session.date <= end:
                    counts = planned.setdefault(session.date, {})
                    counts[session.category] = counts.get(session.category, 0) + 1
        done: dict[date, dict[str, int]] = {}
        for record in records:
            if record.completed and start <= record.date <= end:
                counts = done.setdefault(record.date, {})
                counts[record.category] = counts.get(record.category, 0) + 1
        return planned, done

    def trend(self, day: date | None = None, weeks: int = 12, key: str = "calcium_mg") -> list[float | None]:
        """Mean percent of target for ``key`` over the ``weeks`` weeks up to ``day``'s, oldest first."""
        monday = week_start(day or self.now().date())
        first = monday - timedelta(days=7 * (weeks - 1))
        summaries = self.days(first, monday + timedelta(days=6), conflicts=False)
        values: list[float | None] = []
        for back in range(weeks - 1, -1, -1):
            start = monday - timedelta(days=7 * back)
            percents = []
            for d in week_days(start):
                summary = summaries[d]
                target = summary.targets.get(key)
                if summary.entries and target and target.target:
                    percents.append(summary.totals[key].amount / target.target * 100)
            values.append(round(sum(percents) / len(percents), 1) if percents else None)
        return values

    def streak(self, key: str = "calcium_mg", day: date | None = None) -> int:
        """Consecutive days up to ``day`` (or yesterday, if ``day`` is not met yet) meeting the target."""
        current = day or self.now().date()
        count = 0
        chunk: dict[date, DaySummary] = {}

        def met(on: date) -> bool:
            if on not in chunk:
                # A month at a time, backwards: one read per month however long the streak.
                chunk.update(self.days(on - timedelta(days=STREAK_CHUNK_DAYS - 1), on, conflicts=False))
            return nutrient_day(chunk[on], key).status == "met"

        if not met(current):
            current -= timedelta(days=1)
        while count < MAX_STREAK_DAYS and met(current):
            count += 1
            current -= timedelta(days=1)
        return count

    # -- bone status: scans, bloodwork, reminders -------------------------------------------

    def add_scan(self, day: date | str, site: str, tscore: float, zscore: float | None = None, bmd: float | None = None,
                 scan_id: str | None = None) -> Scan:  # fmt: skip
        """Record (or, with ``scan_id``, correct) one site's DEXA result, checked for sense."""
        when = day if isinstance(day, date) else parse_date(day, self.now().date())
        if when > self.now().date():
            raise InputError(f"The scan date {when} is in the future.")
        site_key = site.strip().lower().replace(" ", "_").replace("-", "_")
        if site_key not in SITE_LABELS:
            raise InputError(f"Unknown site {site!r}; use lumbar_spine, femoral_neck, total_hip or forearm.")
        if not TSCORE_MIN <= tscore <= TSCORE_MAX:
            raise InputError(f"A T-score of {tscore:g} is outside -6 to +4; check the report.")
        if zscore is not None and not -8 <= zscore <= 8:
            raise InputError(f"A Z-score of {zscore:g} is outside -8 to +8; check the report.")
        if bmd is not None and not 0.1 < bmd < 2.5:
            raise InputError(f"A BMD of {bmd:g} g/cm² is outside 0.1 to 2.5; check the report (g/cm², not mg).")
        if scan_id is not None and not any(s.id == scan_id for s in self.repo.scans()):
            raise InputError(f"No scan with id {scan_id!r}.")
        scan = Scan(
            id=scan_id or self._new_id(), date=when, site=site_key, tscore=round(tscore, 2), zscore=zscore, bmd=bmd
        )
        self.repo.save_scan(scan)
        return scan

    def delete_scan(self, scan_id: str) -> Scan:
        """Remove a scan result; returns it, so that it can be put back (``restore_scan``)."""
        found = next((s for s in self.repo.scans() if s.id == scan_id), None)
        if found is None or not self.repo.delete_scan(scan_id):
            raise InputError(f"No scan with id {scan_id!r}.")
        return found

    def restore_scan(self, scan: Scan) -> None:
        """Put back a deleted scan result, as it was."""
        self.repo.save_scan(scan)

    def add_lab(self, day: date | str, test: str, value: float, unit: str) -> LabResult:
        """Record a blood test: 25(OH)D in ng/mL or nmol/L, serum calcium in mg/dL or mmol/L."""
        when = day if isinstance(day, date) else parse_date(day, self.now().date())
        if when > self.now().date():
            raise InputError(f"The test date {when} is in the future.")
        units = LAB_UNITS
        test_key = test.strip().lower().replace("(", "").replace(")", "").replace("-", "_")
        test_key = {"vitamin_d": "25ohd", "25_oh_d": "25ohd", "calcium": "serum_calcium"}.get(test_key, test_key)
        if test_key not in units:
            raise InputError(f"Unknown test {test!r}; use 25ohd or serum_calcium.")
        if unit not in units[test_key]:
            raise InputError(f"{test_key} is given in {' or '.join(units[test_key])}, not {unit!r}.")
        if not 0 < value < 1000:
            raise InputError(f"{value:g} {unit} is not a plausible result; check the report.")
        result = LabResult(id=self._new_id(), date=when, test=test_key, value=value, unit=unit)
        self.repo.save_lab(result)
        return result

    def onboard(self, answers: OnboardingAnswers) -> Profile:
        """Save the onboarding answers, all checked first so a mistake saves nothing."""
        today = self.now().date()
        with _field("sex"):
            if not answers.sex.strip():
                raise InputError("Choose female or male: targets depend on it.")
        with _field("birth_date"):
            birth = iso_date(answers.birth_date, "Birth date")
        with _field("scan_date"):
            scan_day = iso_date(answers.scan_date, "Scan date") if answers.scan_date.strip() else None
        tscores = {}
        for site, text in answers.tscores.items():
            with _field(f"tscores.{site}"):
                if text.strip():
                    tscores[site] = parse_signed(text, f"{SITE_LABELS[site]} T-score")
                    if not TSCORE_MIN <= tscores[site] <= TSCORE_MAX:
                        raise InputError(f"A {SITE_LABELS[site]} T-score of {tscores[site]:g} is outside -6 to +4; "
                                         "check the report.")  # fmt: skip
        with _field("scan_date"):
            if tscores and scan_day is None:
                raise InputError("Give the date of the scan the T-scores come from.")
            if scan_day is not None and scan_day > today:
                raise InputError(f"The scan date {scan_day} is in the future.")
        counts = {}
        for key, label in (("vertebral_fractures", "Vertebral fractures"), ("other_fractures", "Other fractures"),
                           ("falls_last_year", "Falls in the last year")):  # fmt: skip
            with _field(key):
                counts[key] = _count_text(getattr(answers, key), label)
        meds = [self.resolve_medication(m) for m in answers.medications]
        if answers.bone_frequency not in ("daily", "weekly", "monthly"):
            raise InputError("How often the bone medicine is taken: daily, weekly or monthly.", field="bone_frequency")
        # Everything checked: now save.
        bone = {k: v for k, v in counts.items() if v is not None}
        for key in ("impact_cleared", "weights_cleared"):
            if getattr(answers, key) in ("yes", "no"):
                bone[key] = getattr(answers, key) == "yes"
        profile = self.set_profile(answers.sex, birth, answers.guideline, **bone)
        for site, value in tscores.items():
            assert scan_day is not None
            self.add_scan(scan_day, site, value)
        current = {item.ref for item in self.regimen().items}
        bone_classes = {"bisphosphonate-oral-fasting", "bisphosphonate-oral-dr"}
        for medication in meds:
            if medication.id not in current:
                frequency = answers.bone_frequency if medication.drug_class in bone_classes else "daily"
                self.add_to_regimen("medication", medication.id, frequency=frequency)
        return profile

    def on_bone_treatment(self) -> bool:
        """Whether the regimen holds a bone medicine (for the scan interval)."""
        bone = {"bisphosphonate-oral-fasting", "bisphosphonate-oral-dr", "bone-injectable", "bone-anabolic"}
        classes = {m.id: m.drug_class for m in self.medications}
        return any(classes.get(item.ref) in bone for item in self.regimen().items if item.kind == "medication")

    def bone_status(self) -> BoneStatus:
        """Category, latest T-score, next scan, reversal and latest vitamin D, as of today."""
        today = self.now().date()
        scans = self.repo.scans()
        profile = self.repo.profile()
        history = [s for s in sessions(scans) if s.lowest is not None]
        latest = history[-1] if history else None
        age = age_on(profile.birth_date, today) if profile else 0
        due = next_scan_due(scans, self.on_bone_treatment(), profile.sex.value if profile else "", age, today)
        found = crossings(scans)
        vitamin_d = [r for r in self.repo.labs() if r.test == "25ohd"]
        reading = vitamin_d_reading(vitamin_d[-1]) if vitamin_d else None
        reported = profile.reported_tscore if profile else None
        return BoneStatus(
            today=today,
            category=latest.category if latest else (classify(reported) if reported is not None else None),
            latest_tscore=latest.lowest.tscore if latest and latest.lowest else reported,
            latest_site=latest.lowest.site if latest and latest.lowest else None,
            latest_scan=latest.date if latest else None,
            next_scan=due,
            crossings=found,
            vitamin_d=reading,
            vitamin_d_recheck=(vitamin_d[-1].date + relativedelta(months=LAB_RECHECK_MONTHS)) if vitamin_d else None,
        )

    def reminders(self, day: date | None = None) -> list[str]:
        """What Today should mention: a scan or recheck due within 30 days, and regimen doses."""
        chosen = day or self.now().date()
        notes = []
        status = self.bone_status()
        soon = chosen + relativedelta(days=REMINDER_DAYS)
        if status.next_scan.due is not None and status.next_scan.due <= soon:
            late = "overdue since" if status.next_scan.due < chosen else "due"
            notes.append(f"DEXA scan {late} {status.next_scan.due:%d %b %Y}")
        if status.vitamin_d_recheck is not None and status.vitamin_d_recheck <= soon:
            notes.append(f"Vitamin D recheck due {status.vitamin_d_recheck:%d %b %Y}")
        return notes

    def doses_due(
        self, day: date | None = None, entries: list[Entry] | None = None
    ) -> list[tuple[RegimenItem, str, int]]:
        """Regimen items due on ``day``, with their name and how many times they were logged
        (``entries``: the day's entries, when the caller has read them already)."""
        chosen = day or self.now().date()
        logged: dict[str, int] = {}
        for entry in self.repo.entries_on(chosen) if entries is None else entries:
            logged[entry.ref] = logged.get(entry.ref, 0) + 1
        names = {m.id: m.name for m in self.medications} | {s.id: s.name for s in self.supplements()}
        return [
            (item, names.get(item.ref, item.ref), logged.get(item.ref, 0))
            for item in self.regimen().items
            if item.due_on(chosen)
        ]

    # -- regimen and the day planner --------------------------------------------------------

    def regimen(self) -> Regimen:
        """What the user takes every day, and their usual meal times."""
        return self.repo.regimen() or Regimen()

    def _save_regimen(self, regimen: Regimen) -> Regimen:
        self.repo.save_regimen(regimen)
        return regimen

    def add_to_regimen(self, kind: str, id_or_name: str, doses: float = 1.0, frequency: str = "daily",
                       weekday: int | None = None, monthday: int | None = None, start: date | None = None) -> RegimenItem:  # fmt: skip
        """Add a medicine or supplement taken daily, weekly (on ``weekday``) or monthly (on ``monthday``),
        from ``start`` (today by default)."""
        if kind == "medication":
            ref = self.resolve_medication(id_or_name).id
        elif kind == "supplement":
            ref = self.resolve_supplement(id_or_name).id
        else:
            raise InputError("The regimen holds medications and supplements.")
        if frequency not in ("daily", "weekly", "monthly"):
            raise InputError(f"Frequency must be daily, weekly or monthly, not {frequency!r}.")
        today = self.now().date()
        item = RegimenItem.model_validate(
            {"kind": kind, "ref": ref, "doses": check_doses(doses), "frequency": frequency, "start": start or today,
             "weekday": weekday if weekday is not None else (today.weekday() if frequency == "weekly" else None),
             "monthday": monthday if monthday is not None else (today.day if frequency == "monthly" else None)}
        )  # fmt: skip
        regimen = self.regimen()
        regimen.items = [i for i in regimen.items if i.ref != ref] + [item]
        self._save_regimen(regimen)
        return item

    def schedule(self, kind: str, id_or_name: str, doses: str, frequency: str, on: str = "") -> RegimenItem:
        """Add (or change) a regimen item from what a person typed: doses ("" = 1), and for
        weekly the weekday ("mon".."sun" or a full name), for monthly the day (1-31); "" = today's."""
        count = 1.0 if not doses.strip() else parse_number(doses, "Doses")
        text = on.strip().lower()
        weekday = monthday = None
        if text and frequency == "weekly":
            found = [n for n, name in enumerate(calendar.day_name) if len(text) >= 3 and name.lower().startswith(text)]
            if not found:
                raise InputError(f"Weekly on {on.strip()[:20]!r}? Give a weekday: mon, tue, wed, thu, fri, sat or sun.")
            weekday = found[0]
        elif text and frequency == "monthly":
            if not text.isdigit() or not 1 <= int(text) <= 31:
                raise InputError(f"Monthly on {on.strip()[:20]!r}? Give the day of the month, 1 to 31.")
            monthday = int(text)
        elif text:
            raise InputError("A daily item needs no day: leave 'on' empty.")
        return self.add_to_regimen(kind, id_or_name, count, frequency, weekday, monthday)

    def remove_from_regimen(self, ref: str) -> None:
        """Take an item out of the regimen."""
        regimen = self.regimen()
        kept = [i for i in regimen.items if i.ref != ref.strip().lower()]
        if len(kept) == len(regimen.items):
            raise InputError(f"{ref!r} is not in your regimen (see 'bonecoach regimen show').")
        regimen.items = kept
        self._save_regimen(regimen)

    def set_day_times(self, **times: str | None) -> Regimen:
        """Change waking, meal or bed times ("07:30")."""
        regimen = self.regimen()
        values = regimen.times.model_dump()
        for name, text in times.items():
            if text is None:
                continue
            try:
                values[name] = datetime.strptime(text.strip(), "%H:%M").time()
            except ValueError:
                raise InputError(f"{name} time {text!r} is not HH:MM (e.g. 07:30).") from None
        ordered = [values[k] for k in ("wake", "breakfast", "lunch", "dinner", "bed")]
        if ordered != sorted(ordered) or len(set(ordered)) != len(ordered):
            raise InputError("Times must run in order: wake, breakfast, lunch, dinner, bed.")
        regimen.times = MealTimes.model_validate(values)
        return self._save_regimen(regimen)

    def plan(self, day: date | None = None) -> DayPlan:
        """A timetable for the regimen that keeps every window (or says what cannot be met)."""
        chosen = day or self.now().date()
        return plan_day(
            chosen,
            self.regimen(),
            {m.id: m for m in self.medications},
            {s.id: s for s in self.supplements()},
            self.checker,
            self.targets(chosen),
        )

    def export_to_home(self) -> Path:
        """Everything stored, as a JSON export in the home folder (readable only by the user)."""
        from bonecoach.services import data

        path = Path.home() / f"bonecoach-export-{self.now():%Y-%m-%d-%H%M%S}.json"
        return data.write_user_file(path, data.export_text(self, "json"))

    def backup_now(self) -> Path:
        """A checked backup of the database now, beside the daily and weekly ones."""
        from bonecoach.services import data

        if self.repo.readonly:
            raise InputError("This window is read-only (another bonecoach holds the database): back up from that one.")
        return data.write_manual_backup(self.repo.root, self.now())

    def next_up(self, day: date | None = None) -> list[NextItem]:
        """The day's plan, exercise sessions and meals in time order, each ticked when logged."""
        chosen = day or self.now().date()
        history = self.session_records()  # read once: the plan and the ticks both need it
        sessions = self.exercise_plans([week_start(chosen)], history)[0].sessions
        return next_up(self.plan(chosen), sessions, self.repo.entries_on(chosen), history)

    def conflicts_from(self, entries: list[Entry], known: DaySummary | None = None) -> list[Conflict]:
        """The conflicts that involve any of ``entries`` (e.g. just logged), on their days
        (``known``: a summary computed since they were stored, reused for its day)."""
        ids = {entry.id for entry in entries}
        found: list[Conflict] = []
        for day in sorted({entry.at.date() for entry in entries}):
            fresh = (
                known is not None
                and known.date == day
                and {e.id for e in entries if e.at.date() == day} <= {e.id for e in known.entries}
            )
            summary = known if fresh and known is not None else self.day(day)
            found += [c for c in summary.conflicts if ids & set(c.entries)]
        return found
