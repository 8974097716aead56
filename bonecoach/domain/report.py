"""The clinician report: a period's nutrients, exercise, conflicts and doses, with the bone history.

Pure: the caller passes the day summaries, sessions, doses, scans and labs. The same adherence
definitions as the week review apply (see ``adherence``), over any period.
"""

from datetime import date, timedelta
from typing import Literal

from dateutil.relativedelta import relativedelta
from pydantic import ConfigDict, Field

from bonecoach.domain.absorption import AbsorbedMean
from bonecoach.domain.adherence import exercise_adherence, exercise_tally, nutrient_day, sessions_kept, week_start
from bonecoach.domain.base import Model
from bonecoach.domain.bone import (
    SITE_LABELS,
    Category,
    Crossing,
    LabResult,
    Scan,
    ScanDue,
    change_since_previous,
    classify,
    vitamin_d_reading,
)
from bonecoach.domain.day import JUDGED_WITH, DaySummary
from bonecoach.domain.errors import InputError
from bonecoach.domain.nutrient_info import JUDGED_KEYS, NUTRIENT_INFO

Period = Literal["week", "month", "since-scan", "year"]
PERIODS: tuple[Period, ...] = ("week", "month", "since-scan", "year")
MAX_REPORT_DAYS = 3 * 366  # a longer table is no longer readable in two minutes


def period_dates(period: str, today: date, last_scan: date | None) -> tuple[date, date]:
    """The first and last day of a named period ending today.

    week: the last 7 days; month: the last calendar month's worth of days (same day last month,
    plus one); since-scan: from the latest DEXA scan; year: the last 12 months."""
    if period == "week":
        return today - timedelta(days=6), today
    if period == "month":
        return today - relativedelta(months=1) + timedelta(days=1), today
    if period == "year":
        return today - relativedelta(years=1) + timedelta(days=1), today
    if period == "since-scan":
        if last_scan is None:
            raise InputError("No DEXA scan is recorded, so there is no 'since the last scan' period.")
        return last_scan, today
    raise InputError(f"Unknown period {period!r}; use week, month, since-scan or year.")


def check_period(start: date, end: date) -> None:
    """A period must run forwards and stay readable."""
    if end < start:
        raise InputError(f"The period ends ({end}) before it starts ({start}).")
    if (end - start).days + 1 > MAX_REPORT_DAYS:
        raise InputError(f"A report covers at most {MAX_REPORT_DAYS} days; choose a shorter period.")


class NutrientReport(Model):
    """One nutrient over the period (means over logged days only)."""

    model_config = ConfigDict(frozen=True)

    key: str
    label: str
    unit: str
    target: float | None
    upper_limit: float | None
    mean_daily: float | None
    mean_percent_of_target: float | None
    days_met: int
    days_over: int
    days_logged: int
    entries_unmeasured: int
    limit_from_supplements: bool = False  # the upper limit applies to supplements only (magnesium)
    daily: list[float | None]  # one per day of the period; None where nothing was logged


class ExerciseWeek(Model):
    """Sessions done against planned in one week of the period."""

    model_config = ConfigDict(frozen=True)

    week_start: date
    planned: int
    done: int


class ExerciseReport(Model):
    """Exercise over the period, per category and per week."""

    model_config = ConfigDict(frozen=True)

    planned: dict[str, int]
    done: dict[str, int]
    adherence: float | None
    weeks: list[ExerciseWeek]


class RecurringConflict(Model):
    """A rule broken during the period: on how many days, and the latest suggested fix."""

    model_config = ConfigDict(frozen=True)

    rule: str
    severity: str
    message: str
    days: int
    occurrences: int
    last_seen: date
    fix: str


class DoseReport(Model):
    """One regimen item: doses due against taken in the period."""

    model_config = ConfigDict(frozen=True)

    ref: str
    name: str
    kind: str
    due: int
    taken: int


class ScanRow(Model):
    """One DEXA result with its change against the previous scan of the site."""

    model_config = ConfigDict(frozen=True)

    date: date
    site: str
    tscore: float
    zscore: float | None
    bmd: float | None
    category: Category
    change: str


class LabRow(Model):
    """One blood result as reported, with the vitamin D band where it applies."""

    model_config = ConfigDict(frozen=True)

    date: date
    test: str
    value: float
    unit: str
    reading: str


class Patient(Model):
    """Who the report is about, as the user entered it."""

    model_config = ConfigDict(frozen=True)

    sex: str
    age: int | None
    exercise_level: str
    vertebral_fractures: int | None
    other_fractures: int | None
    falls_last_year: int | None
    regimen: list[str]


class ClinicianReport(Model):
    """Everything the report shows, computed; the renderers only lay it out."""

    model_config = ConfigDict(frozen=True)

    start: date
    end: date
    generated: date
    patient: Patient
    days: int
    days_logged: int
    nutrients: list[NutrientReport]
    exercise: ExerciseReport
    conflicts: list[RecurringConflict]
    doses: list[DoseReport]
    scans: list[ScanRow]
    latest_category: str | None
    next_scan: ScanDue
    reversals: list[Crossing]
    labs: list[LabRow]
    notes: list[str]
    absorbed_calcium: AbsorbedMean | None = None  # the daily estimate over logged days
    bone_reading: list[str] = Field(default=[])  # why the category, fractures, treat-to-target, review
    dose_reminders: list[str] = Field(default=[])  # doses months apart due soon or overdue, as of generated


def nutrient_reports(days: list[date], summaries: dict[date, DaySummary]) -> list[NutrientReport]:
    """Per nutrient: mean of logged days, days met / over, and the daily series for the chart."""
    reports = []
    logged = [d for d in days if summaries[d].entries]
    for key in JUDGED_KEYS:
        info = NUTRIENT_INFO[key]
        statuses = [nutrient_day(summaries[d], key) for d in logged]
        totals = [s.total for s in statuses]
        percents = [s.total / s.target * 100 for s in statuses if s.target]
        last_target = None if key in JUDGED_WITH else summaries[days[-1]].target_of(key)
        reports.append(NutrientReport(
            key=key, label=info.label, unit=info.unit,
            target=last_target.target if last_target else None,
            upper_limit=last_target.upper_limit if last_target else None,
            limit_from_supplements=bool(last_target and last_target.upper_limit_applies_to == "supplements"),
            mean_daily=round(sum(totals) / len(totals), 1) if totals else None,
            mean_percent_of_target=round(sum(percents) / len(percents), 1) if percents else None,
            days_met=sum(s.status in ("met", "within") for s in statuses),
            days_over=sum(s.status == "over" for s in statuses),
            days_logged=len(logged),
            entries_unmeasured=sum(summaries[d].unknown_entries(key) for d in logged),
            daily=[summaries[d].amount(key) if summaries[d].entries else None for d in days],
        ))  # fmt: skip
    return reports


def exercise_report(
    days: list[date], planned: dict[date, dict[str, int]], done: dict[date, dict[str, int]], today: date | None = None
) -> ExerciseReport:
    """Done against planned per category (capped at planned, as in the week review) and per week;
    sessions still to come (today's until done) are not counted."""
    planned_by, done_by = exercise_tally(days, planned, done, today)
    weeks: dict[date, list[date]] = {}
    for day in days:
        weeks.setdefault(week_start(day), []).append(day)
    tallies = {monday: exercise_tally(week, planned, done, today) for monday, week in weeks.items()}
    return ExerciseReport(
        planned=planned_by,
        done=done_by,
        adherence=exercise_adherence(planned_by, done_by),
        weeks=[
            ExerciseWeek(week_start=monday, planned=sum(p.values()), done=sessions_kept(p, d))
            for monday, (p, d) in tallies.items()
        ],
    )


def recurring_conflicts(
    days: list[date], summaries: dict[date, DaySummary], messages: dict[str, str], fixes: dict[str, str]
) -> list[RecurringConflict]:
    """Every rule broken in the period, the most frequent first. ``messages`` are the rules' own
    words; ``fixes`` the suggestion from the latest day each rule was broken."""
    seen: dict[str, tuple[str, set[date], int, date]] = {}
    for day in days:
        for conflict in summaries[day].conflicts:
            severity, on, count, _ = seen.get(conflict.rule, (conflict.severity, set(), 0, day))
            on.add(day)
            seen[conflict.rule] = (severity, on, count + 1, day)
    rows = [
        RecurringConflict(rule=rule, severity=severity, message=messages.get(rule, rule), days=len(on),
                          occurrences=count, last_seen=last, fix=fixes.get(rule, ""))
        for rule, (severity, on, count, last) in seen.items()
    ]  # fmt: skip
    return sorted(rows, key=lambda r: (-r.days, -r.occurrences, r.rule))


def scan_rows(scans: list[Scan]) -> list[ScanRow]:
    """The DEXA history, oldest first, each with its change since the site's previous scan."""
    rows = []
    for scan in sorted(scans, key=lambda s: (s.date, s.site)):
        change = change_since_previous(scans, scan)
        rows.append(ScanRow(
            date=scan.date, site=SITE_LABELS[scan.site], tscore=scan.tscore, zscore=scan.zscore, bmd=scan.bmd,
            category=classify(scan.tscore),
            change=f"T {change.tscore_change:+.1f} since {change.since:%b %Y}. {change.note}" if change else "First scan of this site.",
        ))  # fmt: skip
    return rows


def lab_rows(labs: list[LabResult]) -> list[LabRow]:
    """Bloodwork as reported, oldest first; 25(OH)D with its IOM band, serum calcium unbanded."""
    rows = []
    for lab in sorted(labs, key=lambda r: (r.date, r.test)):
        if lab.test == "25ohd":
            reading = vitamin_d_reading(lab)
            text = f"{reading.ng_per_ml:.0f} ng/mL ({reading.nmol_per_l:.0f} nmol/L): {reading.band} (IOM)"
            rows.append(LabRow(date=lab.date, test="25(OH)D", value=lab.value, unit=lab.unit, reading=text))
        else:
            rows.append(LabRow(date=lab.date, test="Serum calcium", value=lab.value, unit=lab.unit,
                               reading="as reported; bonecoach sets no range"))  # fmt: skip
    return rows


def build_report(
    start: date,
    end: date,
    generated: date,
    patient: Patient,
    summaries: dict[date, DaySummary],
    planned: dict[date, dict[str, int]],
    done: dict[date, dict[str, int]],
    doses: list[DoseReport],
    conflict_messages: dict[str, str],
    conflict_fixes: dict[str, str],
    scans: list[Scan],
    labs: list[LabResult],
    latest_category: str | None,
    next_scan: ScanDue,
    reversals: list[Crossing],
) -> ClinicianReport:
    """The report for ``start`` to ``end`` from data gathered by the caller."""
    check_period(start, end)
    days = [start + timedelta(days=n) for n in range((end - start).days + 1)]
    nutrients = nutrient_reports(days, summaries)
    notes = [
        "Logged by the patient in bonecoach, a coaching app: figures are as complete as the log. It does not diagnose.",
        "Means are over logged days only; a day with nothing logged is not counted as missed.",
    ]
    unmeasured = [n for n in nutrients if n.entries_unmeasured]
    if unmeasured:
        parts = ", ".join(f"{n.label} {n.entries_unmeasured}" for n in unmeasured)
        notes.append(f"Entries with no value for a nutrient are left out of its total, not counted as zero: {parts}.")
    return ClinicianReport(
        start=start, end=end, generated=generated, patient=patient, days=len(days),
        days_logged=sum(1 for d in days if summaries[d].entries), nutrients=nutrients,
        exercise=exercise_report(days, planned, done, generated),
        conflicts=recurring_conflicts(days, summaries, conflict_messages, conflict_fixes),
        doses=doses, scans=scan_rows(scans), latest_category=latest_category, next_scan=next_scan,
        reversals=reversals, labs=lab_rows(labs), notes=notes,
    )  # fmt: skip
