"""Bone status from DEXA scans, change against scan noise, reversal, scan intervals and bloodwork.

Every number here comes from bonecoach DOMAIN.md; where sources disagree the conservative
choice is taken and named in the ``why`` the user sees.
"""

import itertools
from datetime import date
from typing import Literal

from dateutil.relativedelta import relativedelta
from pydantic import ConfigDict, Field

from bonecoach.domain.base import Model
from bonecoach.domain.text import CleanText

Site = Literal["lumbar_spine", "femoral_neck", "total_hip", "forearm"]
Category = Literal["normal", "osteopenia", "osteoporosis"]
SITE_LABELS: dict[str, str] = {
    "lumbar_spine": "lumbar spine",
    "femoral_neck": "femoral neck",
    "total_hip": "total hip",
    "forearm": "forearm",
}
# WHO category from the lowest of these (DOMAIN.md); the forearm is shown but does not decide it.
CATEGORY_SITES = ("lumbar_spine", "femoral_neck", "total_hip")
# The least significant change (ISCD, DOMAIN.md): LSC (95%) = 2.77 x the facility's precision, in %
# BMD, between scans on the same scanner. Without the facility's own figure, ISCD's minimum
# acceptable precision gives these defaults (said as defaults). None is given for the forearm.
DEFAULT_LSC_PERCENT: dict[str, float] = {"lumbar_spine": 5.3, "total_hip": 5.0, "femoral_neck": 6.9}
LSC_SOURCE = "ISCD Official Positions: LSC = 2.77 x precision, minimum acceptable precision"
TSCORE_MIN, TSCORE_MAX = -6.0, 4.0
FOREARM_ONLY = (
    "Read from the forearm (33% radius): the hip and spine were not measured, so ISCD allows the forearm to decide."
)
NG_TO_NMOL = 2.496  # 25(OH)D: 1 ng/mL = 2.496 nmol/L (DOMAIN.md)


class Scan(Model):
    """One site's result from a DEXA scan."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    date: date
    site: Site
    tscore: float = Field(ge=TSCORE_MIN, le=TSCORE_MAX)
    zscore: float | None = Field(default=None, ge=-8, le=8)
    bmd: float | None = Field(default=None, gt=0.1, lt=2.5)
    scanner: CleanText | None = Field(default=None, max_length=60)  # free text: the machine or the clinic
    lsc_percent: float | None = Field(default=None, gt=0, le=20)  # the facility's LSC at this site, % BMD


def classify(tscore: float) -> Category:
    """WHO category: normal at -1.0 or above, osteoporosis at -2.5 or below, osteopenia between."""
    if tscore >= -1.0:
        return "normal"
    if tscore <= -2.5:
        return "osteoporosis"
    return "osteopenia"


class Session(Model):
    """One scan visit (its scans may span a few days) and where each site stands after it: every
    site's own latest result, carried forward when the visit did not rescan it."""

    model_config = ConfigDict(frozen=True)

    date: date  # the visit's last day
    scans: list[Scan]  # what was measured at this visit
    standing: dict[str, Scan] = Field(default={})  # each site's latest result as of this visit
    lowest: Scan | None  # the lowest of the category sites as they stand
    category: Category | None


VISIT_DAYS = 31  # scans this close together are one visit (a spine scan the day after the hip)


def sessions(scans: list[Scan]) -> list[Session]:
    """Scan visits, oldest first, each with every site's latest result as it then stood, the
    lowest category site and the WHO category. A site not rescanned keeps its last result."""
    ordered = sorted(scans, key=lambda s: (s.date, s.site))
    visits: list[list[Scan]] = []
    for scan in ordered:
        if visits and (scan.date - visits[-1][-1].date).days <= VISIT_DAYS:
            visits[-1].append(scan)
        else:
            visits.append([scan])
    result, standing = [], {}
    for visit in visits:
        for scan in visit:  # in date order: a site measured twice in a visit keeps the later one
            standing[scan.site] = scan
        relevant = [standing[site] for site in CATEGORY_SITES if site in standing]
        lowest = min(relevant, key=lambda s: s.tscore) if relevant else None
        measured = sorted({scan.site: scan for scan in visit}.values(), key=lambda s: s.site)
        result.append(Session(date=visit[-1].date, scans=measured, standing=dict(standing), lowest=lowest,
                              category=classify(lowest.tscore) if lowest else None))  # fmt: skip
    return result


class Change(Model):
    """How one site changed since its previous comparable scan, against the least significant change."""

    model_config = ConfigDict(frozen=True)

    site: Site
    since: date
    tscore_change: float
    years: float
    bmd_percent: float | None
    beyond_noise: bool | None  # beyond the LSC; None: cannot tell (no BMD, no LSC, another scanner)
    note: str
    lsc_percent: float | None = None
    lsc_is_default: bool = False


def _same_scanner(one: Scan, other: Scan) -> bool | None:
    """Whether two scans were on the same scanner: None when either is not recorded."""
    if not one.scanner or not other.scanner:
        return None
    return " ".join(one.scanner.casefold().split()) == " ".join(other.scanner.casefold().split())


def least_significant_change(scan: Scan) -> tuple[float | None, bool]:
    """The LSC (% BMD) for a scan's site: the facility's when entered, else ISCD's default."""
    if scan.lsc_percent is not None:
        return scan.lsc_percent, False
    default = DEFAULT_LSC_PERCENT.get(scan.site)
    return default, default is not None


def change_since_previous(scans: list[Scan], scan: Scan) -> Change | None:
    """The change at ``scan``'s site since the previous scan of that site. BMD is compared only
    between scans of the same scanner (T-scores across scanners are not comparable), against
    the least significant change: within it is "no measurable change", whatever its direction."""
    earlier = [s for s in scans if s.site == scan.site and s.date < scan.date]
    if not earlier:
        return None
    previous = max(earlier, key=lambda s: s.date)
    years = (scan.date - previous.date).days / 365.25
    lsc, is_default = least_significant_change(scan)
    same = _same_scanner(previous, scan)
    percent = None
    beyond: bool | None = None
    if scan.bmd is not None and previous.bmd is not None:
        percent = round((scan.bmd - previous.bmd) / previous.bmd * 100, 1)
        if lsc is not None and same is not False:
            beyond = abs(percent) > lsc
    said = (
        ""
        if lsc is None
        else f"±{lsc:g}%, ISCD default: enter your facility's LSC"
        if is_default
        else f"±{lsc:g}%, your facility's"
    )
    if same is False:
        note = (f"Another scanner ({previous.scanner} then {scan.scanner}): BMD and T-scores are not comparable "
                "between machines, so no change can be judged. Compare scans from the same machine.")  # fmt: skip
    elif lsc is None:
        note = "No least significant change for this site in our sources: enter your facility's LSC."
    elif percent is None:
        note = f"Record BMD (g/cm²) at both scans to tell a real change from measurement error ({said})."
    elif beyond:
        kind = "loss" if percent < 0 else "gain"
        note = f"{percent:+.1f}% BMD: a measurable {kind}, beyond the least significant change ({said})."
    else:
        note = f"{percent:+.1f}% BMD: no measurable change, within the least significant change ({said})."
    if same is None and (scan.scanner or previous.scanner):
        note += " The scanner of one of the two scans is not recorded: this assumes the same machine."
    return Change(site=scan.site, since=previous.date, tscore_change=round(scan.tscore - previous.tscore, 2),
                  years=round(years, 2), bmd_percent=percent, beyond_noise=beyond, note=note,
                  lsc_percent=lsc, lsc_is_default=is_default)  # fmt: skip


class Crossing(Model):
    """A later scan above a WHO threshold after one at or below it: the seed's "reversal"."""

    model_config = ConfigDict(frozen=True)

    threshold: float
    from_date: date
    from_tscore: float
    to_date: date
    to_tscore: float
    site: Site
    real: bool
    note: str


def crossings(scans: list[Scan]) -> list[Crossing]:
    """Every upward crossing of -2.5 and of -1.0 between consecutive visits, each site judged by
    its own latest result, and judged for noise at the site that was lowest before."""
    found = []
    ordered = [s for s in sessions(scans) if s.lowest is not None]
    for before, after in itertools.pairwise(ordered):
        assert before.lowest is not None and after.lowest is not None
        for threshold in (-2.5, -1.0):
            if before.lowest.tscore <= threshold < after.lowest.tscore:
                # A site that was not rescanned keeps its result, so the site that was lowest
                # before was rescanned: did *it* really improve?
                site = before.lowest.site
                same = after.standing[site]
                change = change_since_previous(scans, same)
                real = bool(change and change.beyond_noise)
                note = change.note if change else "No earlier result at this site to compare."
                found.append(Crossing(threshold=threshold, from_date=before.date, from_tscore=before.lowest.tscore,
                                      to_date=after.date, to_tscore=after.lowest.tscore, site=site, real=real, note=note))  # fmt: skip
    return found


def due_phrase(what: str, due: date, today: date) -> str:
    """ "Vitamin D recheck due 03 Jan 2027", or "... overdue since 03 Nov 2026" once the date has passed."""
    when = "overdue since" if due < today else "due"
    return f"{what} {when} {due:%d %b %Y}"


class ScanDue(Model):
    """When the next scan is due, and why."""

    model_config = ConfigDict(frozen=True)

    due: date | None
    why: str
    overdue: bool = False


def next_scan_due(
    scans: list[Scan], on_treatment: bool, sex: str, age: int, today: date | None = None,
    axial_fracture: bool = False, diagnosed: bool = False, who_applies: bool = True,
) -> ScanDue:  # fmt: skip
    """The next DEXA date by category and treatment (DOMAIN.md), the conservative end of each
    range, from the latest visit and the lowest site as it stands; ``overdue`` once ``today`` is past it.
    A hip or vertebral fracture, or a diagnosis of osteoporosis that persists, is scanned yearly:
    the Gourlay intervals exclude people with such fractures."""
    due = _next_scan(scans, on_treatment, sex, age, axial_fracture, diagnosed)
    if not who_applies and not on_treatment and not axial_fracture and scans:
        due = ScanDue(due=None, why="Before menopause or under 50, our sources give no routine interval between "
                      "scans (the WHO bands do not apply): your clinician decides when to rescan.")  # fmt: skip
    history = sessions(scans)
    if history and history[-1].lowest is None and due.due is not None:
        due = due.model_copy(update={"why": f"{FOREARM_ONLY} {due.why}"})
    if due.due is not None and today is not None and due.due < today:
        return ScanDue(due=due.due, why=f"Overdue since {due.due:%d %b %Y}: book a scan. {due.why}", overdue=True)
    return due


def _next_scan(
    scans: list[Scan], on_treatment: bool, sex: str, age: int, axial_fracture: bool, diagnosed: bool
) -> ScanDue:
    history = sessions(scans)
    if not history:
        return ScanDue(due=None, why="No scan recorded yet: add your latest DEXA results.")
    last = history[-1]
    deciding = last.lowest or last.standing.get("forearm")
    assert deciding is not None
    tscore = deciding.tscore
    if on_treatment:
        return ScanDue(due=last.date + relativedelta(years=1),
                       why="On bone treatment: every 1-2 years (NOF/BHOF; Endocrine Society 1-3); the earlier date is shown.")  # fmt: skip
    if axial_fracture:
        return ScanDue(due=last.date + relativedelta(years=1),
                       why="A hip or vertebral fracture: 1 year (as osteoporosis; the Gourlay intervals exclude such fractures), and talk to your clinician about treatment.")  # fmt: skip
    if tscore <= -2.5 or diagnosed:
        return ScanDue(due=last.date + relativedelta(years=1),
                       why="Osteoporosis without treatment: 1 year (as on treatment), and talk to your clinician about treatment.")  # fmt: skip
    if sex == "female" and age >= 67:
        years = 15 if tscore >= -1.49 else 5 if tscore >= -1.99 else 1
        return ScanDue(due=last.date + relativedelta(years=years),
                       why=f"Untreated, T-score {tscore:+.1f}, women 67+: about {years} year{'s' if years > 1 else ''} (Gourlay et al., NEJM 2012).")  # fmt: skip
    if tscore < -1.0:
        return ScanDue(due=last.date + relativedelta(years=2),
                       why="Osteopenia: often every 2-5 years depending on risk (seed plan); the earlier date is shown.")  # fmt: skip
    return ScanDue(due=None, why="Normal range: our sources give no routine interval; ask your clinician.")


# -- bloodwork --------------------------------------------------------------------------------

LAB_LABELS = {"25ohd": "25(OH)D (vitamin D)", "serum_calcium": "serum calcium"}
LAB_UNITS = {"25ohd": ("ng/mL", "nmol/L"), "serum_calcium": ("mg/dL", "mmol/L")}

VitaminDBand = Literal["deficient", "some risk", "adequate", "possible harm"]


def ng_per_ml(value: float, unit: str) -> float:
    """25(OH)D in ng/mL from ng/mL or nmol/L."""
    if unit == "ng/mL":
        return value
    if unit == "nmol/L":
        return value / NG_TO_NMOL
    raise ValueError(f"unknown unit {unit!r}")


# IOM bands in each unit as IOM states them (DOMAIN.md): deficient below 12 ng/mL (30 nmol/L),
# some risk below 20 (50), adequate up to 50 (125), possible harm above 50 ng/mL (125 nmol/L).
_BANDS = {"ng/mL": (12.0, 20.0, 50.0), "nmol/L": (30.0, 50.0, 125.0)}


def vitamin_d_band(value: float, unit: str = "ng/mL") -> VitaminDBand:
    """The IOM band of an unrounded result, judged in its own unit (so 125 nmol/L is adequate and
    29.9 nmol/L deficient, whatever the rounding of the converted figure)."""
    deficient, risk, harm = _BANDS[unit]
    if value < deficient:
        return "deficient"
    if value < risk:
        return "some risk"
    if value <= harm:
        return "adequate"
    return "possible harm"


class LabResult(Model):
    """A blood test: 25(OH)D (ng/mL or nmol/L) or serum calcium (as reported)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    date: date
    test: Literal["25ohd", "serum_calcium"]
    value: float = Field(gt=0, lt=1000)
    unit: Literal["ng/mL", "nmol/L", "mg/dL", "mmol/L"]


class VitaminDReading(Model):
    """A 25(OH)D result in both units with its IOM band."""

    model_config = ConfigDict(frozen=True)

    date: date
    ng_per_ml: float
    nmol_per_l: float
    band: VitaminDBand
    note: str = "IOM bands. The Endocrine Society's 2011 cut-offs (< 20 / 21-29 / 30-100 ng/mL) were withdrawn in 2024."


def vitamin_d_reading(result: LabResult) -> VitaminDReading:
    """Convert and band a 25(OH)D result."""
    ng = ng_per_ml(result.value, result.unit)
    nmol = result.value if result.unit == "nmol/L" else ng * NG_TO_NMOL
    # Two decimals where one would round across a band edge (29.9 nmol/L is 11.98 ng/mL, not "12.0").
    shown_ng = (
        round(ng, 1) if vitamin_d_band(round(ng, 1)) == vitamin_d_band(result.value, result.unit) else round(ng, 2)
    )
    return VitaminDReading(date=result.date, ng_per_ml=shown_ng, nmol_per_l=round(nmol, 1),
                           band=vitamin_d_band(result.value, result.unit))  # fmt: skip


# Labs that change advice (DOMAIN.md): serum calcium above the usual adult range (~8.6-10.3 mg/dL,
# 2.15-2.57 mmol/L) or 25(OH)D above 50 ng/mL: no calcium or vitamin D is suggested (the calcium
# and vitamin D labels list hypercalcaemia as a contraindication). With osteoporosis, AACE/ACE 2020
# advises keeping 25(OH)D at 30 ng/mL (75 nmol/L) or more.
SERUM_CALCIUM_UPPER = {"mg/dL": 10.3, "mmol/L": 2.57}
VITAMIN_D_HOLD_NG = 50.0
OSTEOPOROSIS_AIM_NG = 30.0


def advice_holds(labs: list[LabResult]) -> list[str]:
    """Why no calcium or vitamin D should be suggested, from the latest results (empty: none)."""
    found = []
    calcium = max((r for r in labs if r.test == "serum_calcium"), key=lambda r: r.date, default=None)
    if calcium is not None and calcium.value > SERUM_CALCIUM_UPPER[calcium.unit]:
        found.append(
            f"Serum calcium {calcium.value:g} {calcium.unit} ({calcium.date:%d %b %Y}) is above the usual range "
            f"(up to {SERUM_CALCIUM_UPPER[calcium.unit]:g}): bonecoach suggests no calcium or vitamin D. Talk to "
            "your clinician before taking more (high blood calcium is a contraindication in their labels)."
        )
    vitamin_d = max((r for r in labs if r.test == "25ohd"), key=lambda r: r.date, default=None)
    if vitamin_d is not None and ng_per_ml(vitamin_d.value, vitamin_d.unit) > VITAMIN_D_HOLD_NG:
        found.append(
            f"25(OH)D {vitamin_d.value:g} {vitamin_d.unit} ({vitamin_d.date:%d %b %Y}) is above 50 ng/mL, where "
            "IOM sees possible harm: bonecoach suggests no calcium or vitamin D. Talk to your clinician."
        )
    return found


def osteoporosis_aim(reading: VitaminDReading) -> str:
    """The 25(OH)D aim for a person with osteoporosis, beside the IOM band (AACE/ACE 2020)."""
    where = "below" if reading.ng_per_ml < OSTEOPOROSIS_AIM_NG else "at or above"
    return f"{where} the 30 ng/mL (75 nmol/L) aim for people with osteoporosis (AACE/ACE 2020: 30-50 preferred)"
