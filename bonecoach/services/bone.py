"""Bone status: DEXA scans, bloodwork, the category and next scan they give, and Today's reminders."""

from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta
from pydantic import Field

from bonecoach.domain.amounts import parse_number, parse_signed
from bonecoach.domain.base import Model
from bonecoach.domain.bone import (
    LAB_LABELS,
    LAB_UNITS,
    SITE_LABELS,
    TSCORE_MAX,
    TSCORE_MIN,
    Change,
    Crossing,
    LabResult,
    Scan,
    ScanDue,
    VitaminDReading,
    advice_holds,
    change_since_previous,
    classify,
    crossings,
    due_phrase,
    next_scan_due,
    osteoporosis_aim,
    sessions,
    vitamin_d_reading,
)
from bonecoach.domain.diagnosis import (
    Assessment,
    Fracture,
    assess,
    treat_to_target,
    who_categories_apply,
)
from bonecoach.domain.errors import InputError
from bonecoach.domain.targets import age_on
from bonecoach.domain.timeparse import parse_date
from bonecoach.services import regimen
from bonecoach.services.context import Context

REMINDER_DAYS = 30  # Today mentions a scan or recheck due within 30 days


LAB_RECHECK_MONTHS = 12  # bonecoach's default reminder for 25(OH)D; no source sets an interval


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
    # A factory: a default instance would build its validator when the module is imported (~15 ms
    # at every start), not when a status is made.
    assessment: Assessment = Field(default_factory=lambda: Assessment(category=None))
    fractures: list[Fracture] = Field(default=[])
    treat_to_target: dict[str, float] = Field(default={})  # per site, T + 2.5 (on treatment or with osteoporosis)
    treatment_review: list[tuple[str, date]] = Field(default=[])  # (medicine, when to discuss a review)
    vitamin_d_aim: str | None = None  # with osteoporosis: where 25(OH)D stands against the 30 ng/mL aim
    advice_holds: list[str] = Field(default=[])  # labs that stop calcium and vitamin D advice
    who_applies: bool = True  # the WHO T-score bands apply (postmenopausal, or a man of 50 or more)

    @property
    def reversal(self) -> Crossing | None:
        """The latest crossing of -2.5 (the seed's reversal), if any."""
        found = [c for c in self.crossings if c.threshold == -2.5]
        return found[-1] if found else None


@dataclass(frozen=True)
class ScanRow:
    """One scan result as both faces show it: its category and the change at its site since the
    previous scan there (``None`` for a site's first scan)."""

    scan: Scan
    category: str
    change: Change | None

    @property
    def site_label(self) -> str:
        """The site, as a person reads it."""
        return SITE_LABELS[self.scan.site]

    @property
    def change_text(self) -> str:
        """The change since the previous scan, with whether it is beyond scan noise."""
        if self.change is None:
            return "first scan of this site"
        return f"{self.change.tscore_change:+.1f} T; {self.change.note}"


@dataclass(frozen=True)
class LabRow:
    """One blood test as both faces show it; a 25(OH)D reading is converted and banded."""

    result: LabResult
    reading: VitaminDReading | None

    @property
    def label(self) -> str:
        """The test, as a person reads it."""
        return LAB_LABELS.get(self.result.test, self.result.test)

    @property
    def converted(self) -> str:
        """The result in both units ("" for a test bonecoach does not convert)."""
        if self.reading is None:
            return ""
        return f"{self.reading.ng_per_ml:g} ng/mL = {self.reading.nmol_per_l:g} nmol/L"

    @property
    def band(self) -> str:
        """The IOM band of a 25(OH)D reading; other tests are for the clinician to read."""
        return self.reading.band if self.reading is not None else "ask your clinician"


def scan_history(ctx: Context) -> list[ScanRow]:
    """Every scan result, oldest first, with its category and change."""
    scans = ctx.repo.scans()
    return [ScanRow(scan, classify(scan.tscore), change_since_previous(scans, scan)) for scan in scans]


def scan(ctx: Context, scan_id: str) -> Scan | None:
    """One scan result by id."""
    return next((s for s in ctx.repo.scans() if s.id == scan_id), None)


def lab_rows(ctx: Context) -> list[LabRow]:
    """Every blood test, oldest first, 25(OH)D converted and banded."""
    return [lab_row(result) for result in ctx.repo.labs()]


def lab_row(result: LabResult) -> LabRow:
    """One blood test as the faces show it (e.g. just saved)."""
    return LabRow(result, vitamin_d_reading(result) if result.test == "25ohd" else None)


def add_scan(ctx: Context, day: date | str, site: str, tscore: float, zscore: float | None = None, bmd: float | None = None,
             scan_id: str | None = None, scanner: str | None = None, lsc_percent: float | None = None) -> Scan:  # fmt: skip
    """Record (or, with ``scan_id``, correct) one site's DEXA result, checked for sense; ``scanner``
    (free text) and the facility's least significant change (% BMD) are optional."""
    when = day if isinstance(day, date) else parse_date(day, ctx.now().date())
    if when > ctx.now().date():
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
    if lsc_percent is not None and not 0 < lsc_percent <= 20:
        raise InputError(f"A least significant change of {lsc_percent:g}% is outside 0 to 20; check the report.")
    if scan_id is not None and scan(ctx, scan_id) is None:
        raise InputError(f"No scan with id {scan_id!r}.")
    machine = " ".join((scanner or "").split())[:60] or None
    recorded = Scan(id=scan_id or ctx.new_id(), date=when, site=site_key, tscore=round(tscore, 2), zscore=zscore,
                    bmd=bmd, scanner=machine, lsc_percent=lsc_percent)  # fmt: skip
    ctx.repo.save_scan(recorded)
    return recorded


def add_scan_as_typed(ctx: Context, day: str, site: str, tscore: str, zscore: str = "", bmd: str = "",
                      scan_id: str | None = None, scanner: str = "", lsc: str = "") -> Scan:  # fmt: skip
    """``add_scan`` from what a person typed on the form (Z-score and BMD may be left empty)."""
    if not site:
        raise InputError("Choose the site (lumbar spine, femoral neck, total hip or forearm).")
    if not day.strip():
        raise InputError("Give the scan date (YYYY-MM-DD).")
    return add_scan(ctx, day, site, parse_signed(tscore, "T-score"),
                    parse_signed(zscore, "Z-score") if zscore.strip() else None,
                    parse_number(bmd, "BMD") if bmd.strip() else None, scan_id=scan_id, scanner=scanner,
                    lsc_percent=parse_number(lsc.rstrip("% "), "Least significant change") if lsc.strip() else None)  # fmt: skip


def delete_scan(ctx: Context, scan_id: str) -> Scan:
    """Remove a scan result; returns it, so that it can be put back (``restore_scan``)."""
    found = scan(ctx, scan_id)
    if found is None or not ctx.repo.delete_scan(scan_id):
        raise InputError(f"No scan with id {scan_id!r}.")
    return found


def restore_scan(ctx: Context, scan: Scan) -> None:
    """Put back a deleted scan result, as it was."""
    ctx.repo.save_scan(scan)


def add_lab(ctx: Context, day: date | str, test: str, value: float, unit: str, lab_id: str | None = None) -> LabResult:
    """Record (or, with ``lab_id``, correct) a blood test: 25(OH)D in ng/mL or nmol/L, serum calcium
    in mg/dL or mmol/L."""
    when = day if isinstance(day, date) else parse_date(day, ctx.now().date())
    if when > ctx.now().date():
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
    if lab_id is not None and lab(ctx, lab_id) is None:
        raise InputError(f"No blood test with id {lab_id!r}.")
    result = LabResult(id=lab_id or ctx.new_id(), date=when, test=test_key, value=value, unit=unit)
    ctx.repo.save_lab(result)
    return result


def lab(ctx: Context, lab_id: str) -> LabResult | None:
    """One blood test by id."""
    return next((r for r in ctx.repo.labs() if r.id == lab_id), None)


def delete_lab(ctx: Context, lab_id: str) -> LabResult:
    """Remove a blood test; returns it, so that it can be put back (``restore_lab``)."""
    found = lab(ctx, lab_id)
    if found is None or not ctx.repo.delete_lab(lab_id):
        raise InputError(f"No blood test with id {lab_id!r}.")
    return found


def restore_lab(ctx: Context, result: LabResult) -> None:
    """Put back a deleted blood test, as it was."""
    ctx.repo.save_lab(result)


def add_lab_as_typed(ctx: Context, day: str, test: str, value: str, unit: str, lab_id: str | None = None) -> LabResult:
    """``add_lab`` from what a person typed on the form."""
    if not test or not unit:
        raise InputError("Choose the test and its unit.")
    if not day.strip():
        raise InputError("Give the test date (YYYY-MM-DD).")
    return add_lab(ctx, day, test, parse_number(value, "Value"), unit, lab_id=lab_id)


def on_bone_treatment(ctx: Context) -> bool:
    """Whether the regimen holds a bone medicine (for the scan interval)."""
    treats_bone = {m.id for m in ctx.medications if m.treats_bone}
    return any(item.ref in treats_bone for item in regimen.regimen(ctx).items if item.kind == "medication")


def fractures_as_recorded(ctx: Context) -> list[Fracture]:
    """The fracture records, and the profile's older counts where they say more: a vertebral
    fracture counted in the profile with no spine record stands as one (date unknown: its scan
    date is not used for recency)."""
    records = ctx.repo.fractures()
    profile = ctx.repo.profile()
    counted = (profile.vertebral_fractures or 0) if profile else 0
    spine = sum(1 for f in records if f.site == "spine")
    extra = [Fracture(id=f"profile-{n}", site="spine", date=date(1900, 1, 1)) for n in range(max(0, counted - spine))]
    return records + extra


def bone_status(ctx: Context) -> BoneStatus:
    """The reading of scans and fractures for who the person is, latest T-score, next scan,
    crossings, treat-to-target, treatment review and latest vitamin D, as of today."""
    today = ctx.now().date()
    scans = ctx.repo.scans()
    profile = ctx.repo.profile()
    visits = sessions(scans)
    age = age_on(profile.birth_date, today) if profile else 0
    sex = profile.sex.value if profile else ""
    fractures = fractures_as_recorded(ctx)
    assessment = assess(visits, fractures, sex, age, profile.postmenopausal if profile else None)
    treated = on_bone_treatment(ctx)
    reported = profile.reported_tscore if profile else None
    who = who_categories_apply(sex, age, profile.postmenopausal if profile else None)
    if not visits and reported is not None and assessment.category is None and who:
        # No scan yet: the reported T-score stands in (a WHO reading only where it applies).
        assessment = assessment.model_copy(update={"category": classify(reported)})
    fragile_axial = any(f.fragility() and f.site in ("spine", "hip") for f in fractures)
    due = next_scan_due(scans, treated, sex, age, today, axial_fracture=fragile_axial,
                        diagnosed=assessment.diagnosed_osteoporosis, who_applies=who)  # fmt: skip
    labs = ctx.repo.labs()
    vitamin_d = [r for r in labs if r.test == "25ohd"]
    reading = vitamin_d_reading(vitamin_d[-1]) if vitamin_d else None
    lowest = assessment.lowest
    shows_target = treated or assessment.diagnosed_osteoporosis
    return BoneStatus(
        today=today,
        category=assessment.category,
        latest_tscore=lowest.tscore if lowest else reported,
        latest_site=lowest.site if lowest else None,
        latest_scan=visits[-1].date if visits else None,
        next_scan=due,
        crossings=crossings(scans),
        vitamin_d=reading,
        vitamin_d_recheck=(vitamin_d[-1].date + relativedelta(months=LAB_RECHECK_MONTHS)) if vitamin_d else None,
        assessment=assessment,
        fractures=[f for f in fractures if not f.id.startswith("profile-")],
        treat_to_target=treat_to_target(visits[-1] if visits else None) if shows_target else {},
        treatment_review=treatment_reviews(ctx),
        vitamin_d_aim=osteoporosis_aim(reading) if reading and assessment.diagnosed_osteoporosis else None,
        advice_holds=advice_holds(labs),
        who_applies=who,
    )


def treatment_reviews(ctx: Context) -> list[tuple[str, date]]:
    """For each bisphosphonate in the regimen, when to discuss a review with the clinician (from
    its start: 5 years oral, 3 years IV; ASBMR 2016). Never advice to stop."""
    medicines = {m.id: m for m in ctx.medications}
    found = []
    for item in regimen.regimen(ctx).items:
        medicine = medicines.get(item.ref)
        if medicine is None or medicine.review_after_years is None or item.start is None:
            continue
        found.append((medicine.name, item.start + relativedelta(years=medicine.review_after_years)))
    return found


def reminders(ctx: Context, day: date | None = None) -> list[str]:
    """What Today should mention: a scan or recheck due within 30 days, and regimen doses."""
    chosen = day or ctx.now().date()
    notes = []
    status = bone_status(ctx)
    soon = chosen + relativedelta(days=REMINDER_DAYS)
    if status.next_scan.due is not None and status.next_scan.due <= soon:
        notes.append(due_phrase("DEXA scan", status.next_scan.due, chosen))
    if status.vitamin_d_recheck is not None and status.vitamin_d_recheck <= soon:
        notes.append(due_phrase("Vitamin D recheck", status.vitamin_d_recheck, chosen))
    return notes + dose_reminders(ctx, chosen)


def dose_reminders(ctx: Context, day: date) -> list[str]:
    """Doses that come months apart (an injection every 6 months or yearly, a monthly tablet or
    injection): said ahead within 30 days, and "overdue since" the first day one was due after
    the last dose known (logged, or the start: the date of a dose), once that day has passed (a
    late Prolia dose raises the risk of spine fractures: said plainly)."""
    from bonecoach.domain.regimen import MONTHS_BETWEEN, first_due_after, last_known_dose

    medicines = {m.id: m for m in ctx.medications}
    items = [item for item in regimen.regimen(ctx).items if item.frequency in MONTHS_BETWEEN]
    logged = regimen.last_doses(ctx, items, day)
    notes = []
    for item in items:
        name = medicines[item.ref].name if item.ref in medicines else item.ref
        last = last_known_dose(item, logged[item.ref], day)
        due = first_due_after(item, last, day)
        if due is None:
            continue
        if due < day:
            notes.append(due_phrase(name, due, day) + ": not logged since; call your clinic if it was missed")
        elif due <= day + relativedelta(days=REMINDER_DAYS):
            notes.append(due_phrase(name, due, day))
    return notes
