"""Onboarding: the first form's answers, all checked before anything is saved."""

from collections.abc import Iterator
from contextlib import contextmanager

from pydantic import Field

from bonecoach.domain.amounts import parse_body_weight, parse_number, parse_signed
from bonecoach.domain.base import Model
from bonecoach.domain.bone import (
    SITE_LABELS,
    TSCORE_MAX,
    TSCORE_MIN,
)
from bonecoach.domain.diagnosis import FRACTURE_LABELS
from bonecoach.domain.errors import InputError
from bonecoach.domain.models import Profile
from bonecoach.domain.timeparse import iso_date
from bonecoach.services import bone, foods, fractures, profiles, regimen
from bonecoach.services.context import Context


class OnboardingAnswers(Model):
    """What the onboarding form collected, as typed."""

    sex: str
    birth_date: str
    guideline: str = "iom"
    scan_date: str = ""
    tscores: dict[str, str] = Field(default={})
    vertebral_fractures: str = ""
    other_fractures: str = ""
    falls_last_year: str = ""
    impact_cleared: str = ""
    weights_cleared: str = ""
    medications: list[str] = Field(default=[])
    bone_frequency: str = "weekly"
    postmenopausal: str = ""  # "yes" / "no" / "" (not asked)
    fracture_site: str = ""  # the latest fracture, if any (more in the Bone tab)
    fracture_date: str = ""
    fracture_trauma: str = ""  # "yes" (low trauma) / "no" / "unsure"
    weight: str = ""  # "70 kg", "154 lb"; blank: as it was; "none": cleared
    water_calcium: str = ""  # mg/L in the person's drinking water; blank: as it was; "none": cleared


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


def onboard(ctx: Context, answers: OnboardingAnswers) -> Profile:
    """Save the onboarding answers, all checked first so a mistake saves nothing."""
    today = ctx.now().date()
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
    fracture_day = None
    if answers.fracture_site or answers.fracture_date.strip():
        with _field("fracture_site"):
            if answers.fracture_site not in FRACTURE_LABELS:
                raise InputError("Choose where the fracture was (or leave both fracture fields empty).")
        with _field("fracture_date"):
            if not answers.fracture_date.strip():
                raise InputError("Give when the fracture happened (the 1st of the month will do).")
            fracture_day = iso_date(answers.fracture_date, "Fracture date")
            if fracture_day > today:
                raise InputError(f"The fracture date {fracture_day} is in the future.")
    meds = [foods.resolve_medication(ctx, m) for m in answers.medications]
    if answers.bone_frequency not in ("daily", "weekly", "monthly"):
        raise InputError("How often the bone medicine is taken: daily, weekly or monthly.", field="bone_frequency")
    # Everything checked: now save.
    bone_answers: dict[str, object] = {k: v for k, v in counts.items() if v is not None}
    for key in ("impact_cleared", "weights_cleared", "postmenopausal"):
        if getattr(answers, key) in ("yes", "no"):
            bone_answers[key] = getattr(answers, key) == "yes"
    with _field("weight"):
        if answers.weight.strip():
            bone_answers["weight_kg"] = parse_body_weight(answers.weight)
    with _field("water_calcium"):
        if answers.water_calcium.strip().lower() in ("none", "clear"):
            bone_answers["water_calcium_mg_per_l"] = None
        elif answers.water_calcium.strip():
            mg = parse_number(answers.water_calcium, "Calcium in your water (mg/L)", zero=True)
            if mg > 1000:
                raise InputError(f"{mg:g} mg/L of calcium is more than any drinking water has; check the label.")
            bone_answers["water_calcium_mg_per_l"] = mg
    profile = profiles.set_profile(ctx, answers.sex, birth, answers.guideline, **bone_answers)
    for site, value in tscores.items():
        assert scan_day is not None
        bone.add_scan(ctx, scan_day, site, value)
    if fracture_day is not None:
        trauma = {"yes": True, "no": False}.get(answers.fracture_trauma)
        fractures.add_fracture(ctx, answers.fracture_site, fracture_day, trauma)
    current = {item.ref for item in regimen.regimen(ctx).items}
    for medication in meds:
        if medication.id not in current:
            frequency = answers.bone_frequency if medication.oral_bisphosphonate else None  # else its own
            regimen.add_to_regimen(ctx, "medication", medication.id, frequency=frequency)
    return profile
