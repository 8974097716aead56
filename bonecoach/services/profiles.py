"""The profile (sex, birth date, guideline, bone answers) and the targets it gives, with the person's own overrides."""

from __future__ import annotations

from datetime import date

from pydantic import ValidationError

from bonecoach.domain.amounts import parse_number
from bonecoach.domain.errors import InputError
from bonecoach.domain.models import (
    Profile,
    Sex,
    TargetOverride,
)
from bonecoach.domain.nutrient_info import NUTRIENT_KEYS
from bonecoach.domain.targets import Target, age_on, targets_for
from bonecoach.services.context import Context

# DOMAIN.md gives reference values from 14 (ages 14-18 and adults); nothing younger is served.
MIN_AGE, MAX_AGE = 14, 120


def profile(ctx: Context) -> Profile | None:
    """The stored profile, if onboarding happened."""
    return ctx.repo.profile()


def set_profile(
    ctx: Context,
    sex: str | Sex | None = None,
    birth_date: date | None = None,
    guideline: str | None = None,
    **bone: object,
) -> Profile:
    """Create or update the profile; sex and birth date are both needed the first time."""
    current = ctx.repo.profile()
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
        age = age_on(birth_date, ctx.now().date())
        if birth_date > ctx.now().date():
            raise InputError("The birth date is in the future.", field="birth_date")
        if age < MIN_AGE:
            raise InputError(
                f"That birth date makes you {age}: bonecoach serves ages {MIN_AGE} and over, the youngest its "
                "reference values cover. Bone health before then belongs with a paediatrician.",
                field="birth_date",
            )
        if age > MAX_AGE:
            raise InputError(f"That birth date makes you {age}; check the year.", field="birth_date")
    if guideline is not None and guideline not in ctx.target_table.guidelines:
        names = ", ".join(ctx.target_table.guidelines)
        raise InputError(f"Unknown guideline {guideline!r}; use one of {names}.", field="guideline")
    updates: dict[str, object] = {}
    if sex is not None:
        updates["sex"] = sex
    if birth_date is not None:
        updates["birth_date"] = birth_date
    if guideline is not None:
        updates["guideline"] = guideline
    allowed = {"reported_tscore", "vertebral_fractures", "other_fractures", "falls_last_year", "impact_cleared",
               "weights_cleared", "postmenopausal", "weight_kg", "water_calcium_mg_per_l"}  # fmt: skip
    unknown = set(bone) - allowed
    if unknown:
        raise InputError(f"Unknown profile fields: {', '.join(sorted(unknown))}.")
    updates.update(bone)
    try:
        profile = Profile.model_validate({**(current.model_dump() if current else {}), **updates})
    except ValidationError as exc:
        problem = exc.errors()[0]
        raise InputError(f"Profile field {'.'.join(map(str, problem['loc']))}: {problem['msg']}.") from None
    ctx.repo.save_profile(profile)
    return profile


def set_target_override(
    ctx: Context, key: str, target: float | None = None, upper_limit: float | None = None, clear: bool = False
) -> Profile:
    """Override a nutrient's target or limit (or clear the override)."""
    profile = require_profile(ctx)
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
    ctx.repo.save_profile(profile)
    return profile


def apply_target_edits(ctx: Context, edits: dict[str, tuple[str | None, str | None]]) -> Profile:
    """Apply typed target and limit edits: ``None`` leaves a field, "" returns it to the
    guideline, a number overrides it. All are checked before anything is saved."""
    profile = require_profile(ctx)
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
    ctx.repo.save_profile(profile)
    return profile


def require_profile(ctx: Context) -> Profile:
    profile = ctx.repo.profile()
    if profile is None:
        raise InputError("No profile yet: run 'bonecoach profile set --sex female|male --birth-date YYYY-MM-DD' first.")
    return profile


def targets(ctx: Context, day: date) -> dict[str, Target]:
    """Targets on ``day`` for the stored profile (none before onboarding)."""
    profile = ctx.repo.profile()
    return {} if profile is None else targets_for(profile, day, ctx.target_table)
