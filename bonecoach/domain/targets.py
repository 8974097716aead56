"""Daily targets and upper limits for a person's age and sex, from a DRI table."""

import math
from datetime import date
from typing import Literal

from dateutil.relativedelta import relativedelta
from pydantic import ConfigDict, Field

from bonecoach.domain.base import Model
from bonecoach.domain.models import Profile
from bonecoach.domain.nutrient_info import NUTRIENT_KEYS
from bonecoach.domain.text import SourceText


class TargetBand(Model):
    """One row of a DRI table: an age band for one sex (or any) with its target and limit."""

    model_config = ConfigDict(extra="forbid")

    sex: Literal["female", "male", "any"]
    min_age: int
    max_age: int
    target: float | None
    upper_limit: float | None
    note: str = ""
    target_per_kg: float | None = Field(default=None, gt=0, le=5)
    """With a body weight in the profile, the target is this much per kg (protein)."""


class NutrientRule(Model):
    """The bands for one nutrient with where they come from."""

    model_config = ConfigDict(extra="forbid")

    official: bool
    source: SourceText
    note: str = ""
    upper_limit_applies_to: Literal["all", "supplements"] = "all"
    bands: list[TargetBand]


class Guideline(Model):
    """A named set of rules; ``base`` fills in whatever this set does not cover."""

    model_config = ConfigDict(extra="forbid")

    name: str
    source: SourceText
    base: str | None = None
    nutrients: dict[str, NutrientRule]


class TargetTable(Model):
    """The whole ``targets.json`` asset."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    schema_version: int = Field(1, alias="schema")
    default_guideline: str
    guidelines: dict[str, Guideline]


class Target(Model):
    """The target and limit that apply to one nutrient for one person on one day."""

    model_config = ConfigDict(frozen=True)

    target: float | None
    upper_limit: float | None
    official: bool
    source: SourceText
    note: str = ""
    upper_limit_applies_to: str = "all"
    overridden: bool = False


def age_on(birth_date: date, day: date) -> int:
    """Whole years of age on ``day``."""
    return relativedelta(day, birth_date).years


def _band_for(rule: NutrientRule, sex: str, age: int) -> TargetBand | None:
    for band in rule.bands:
        if band.sex in (sex, "any") and band.min_age <= age <= band.max_age:
            return band
    return None


def targets_for(profile: Profile, day: date, table: TargetTable) -> dict[str, Target]:
    """Targets for every tracked nutrient on ``day``, with the user's overrides applied.

    A nutrient with no band for this age (caffeine and sodium limits at 14-18, which our
    reference gives for adults only) gets no target rather than a guessed one.
    """
    age = age_on(profile.birth_date, day)
    sex = profile.sex.value
    guideline_id = profile.guideline if profile.guideline in table.guidelines else table.default_guideline
    result: dict[str, Target] = {}
    for key in NUTRIENT_KEYS:
        band: TargetBand | None = None
        rule: NutrientRule | None = None
        current: str | None = guideline_id
        while current is not None and band is None:
            guideline = table.guidelines[current]
            candidate = guideline.nutrients.get(key)
            if candidate is not None:
                band = _band_for(candidate, sex, age)
                rule = candidate if band is not None else rule or candidate
            current = guideline.base
        target = band.target if band else None
        limit = band.upper_limit if band else None
        note = (band.note if band and band.note else rule.note) if rule else ""
        if band is not None and band.target_per_kg is not None and profile.weight_kg is not None:
            target = float(math.floor(band.target_per_kg * profile.weight_kg + 0.5))  # 82.5 g is 83
            note = f"{band.target_per_kg:g} g per kg of your {profile.weight_kg:g} kg. {note}".strip()
        if rule is None:
            note = "No target: shown for what it is."
        elif band is None:
            note = "No reference value for this age in our sources; ask your clinician."
        override = profile.overrides.get(key)
        overridden = False
        if override is not None:
            if override.target is not None:
                target, overridden = override.target, True
            if override.upper_limit is not None:
                limit, overridden = override.upper_limit, True
        result[key] = Target(
            target=target,
            upper_limit=limit,
            official=rule.official if rule else False,
            source=rule.source if rule else "",
            note=note,
            upper_limit_applies_to=rule.upper_limit_applies_to if rule else "all",
            overridden=overridden,
        )
    return result
