"""Gather what the clinician report needs from storage, then let the domain compute it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from bonecoach.domain.adherence import week_start
from bonecoach.domain.bone import sessions
from bonecoach.domain.errors import InputError
from bonecoach.domain.report import ClinicianReport, DoseReport, Patient, build_report, check_period, period_dates
from bonecoach.domain.targets import age_on
from bonecoach.services.coach import Coach


def report_period(coach: Coach, period: str, end: date | None = None) -> tuple[date, date]:
    """A named period (week, month, since-scan, year) ending ``end`` (today by default)."""
    scanned = [s.date for s in sessions(coach.repo.scans()) if s.lowest is not None]
    return period_dates(period, end or coach.now().date(), scanned[-1] if scanned else None)


def clinician_report(coach: Coach, start: date, end: date) -> ClinicianReport:
    """The report for ``start`` to ``end`` inclusive, from one read of the period."""
    check_period(start, end)
    if end > coach.now().date():
        raise InputError(f"The period ends on {end}, after today: choose a period that has happened.")
    summaries = coach.days(start, end)
    planned, done = coach.sessions_between(start, end)

    regimen = coach.regimen()
    names = {m.id: m.name for m in coach.medications} | {s.id: s.name for s in coach.supplements()}
    doses = []
    count = coach.dose_counter()
    for item in regimen.items:
        due = taken = 0
        for day, summary in summaries.items():
            if item.due_on(day):
                day_due, day_taken = count(item, summary.entries)
                due, taken = due + day_due, taken + day_taken
        doses.append(DoseReport(ref=item.ref, name=names.get(item.ref, item.ref), kind=item.kind, due=due, taken=taken))

    # The suggested fix shown for each rule is the one from the latest day it was broken
    # (a full check of that day only; the period itself is checked without fix searches).
    latest: dict[str, date] = {}
    for day, summary in summaries.items():
        for conflict in summary.conflicts:
            latest[conflict.rule] = day
    fixes: dict[str, str] = {}
    for day in sorted(set(latest.values())):
        for conflict in coach.day(day).conflicts:
            if latest.get(conflict.rule) == day and conflict.rule not in fixes:
                fixes[conflict.rule] = conflict.suggestion

    profile = coach.repo.profile()
    status = coach.bone_status()
    risk = coach.exercise_plans([week_start(end)], history=[])[0].risk  # the level needs no history
    patient = Patient(
        sex=profile.sex.value if profile else "not given",
        age=age_on(profile.birth_date, end) if profile else None,
        exercise_level=risk.label,
        vertebral_fractures=profile.vertebral_fractures if profile else None,
        other_fractures=profile.other_fractures if profile else None,
        falls_last_year=profile.falls_last_year if profile else None,
        regimen=[f"{names.get(i.ref, i.ref)}, {i.doses:g} dose(s) {i.describe()}" for i in regimen.items],
    )
    report = build_report(
        start, end, coach.now().date(), patient, summaries, planned, done, doses,
        conflict_messages={rule.id: rule.message for rule in coach.checker.rules}, conflict_fixes=fixes,
        scans=coach.repo.scans(), labs=coach.repo.labs(), latest_category=status.category,
        next_scan=status.next_scan, reversals=status.crossings,
    )  # fmt: skip
    absorbed = coach.absorbed_mean(summaries.values())
    from bonecoach.services.bone import dose_reminders
    from bonecoach.services.views import status_lines

    # An overdue Prolia dose is for the clinician to see first (a late dose risks spine fractures).
    reminders = dose_reminders(coach, coach.now().date())
    return report.model_copy(
        update={"absorbed_calcium": absorbed, "bone_reading": status_lines(status), "dose_reminders": reminders}
    )


def render_report(report: ClinicianReport, fmt: str) -> str:
    """The report as HTML, Markdown or JSON text."""
    if fmt == "html":
        from bonecoach.services.report_html import render_html

        return render_html(report)
    if fmt == "md":
        from bonecoach.services.report_markdown import render_markdown

        return render_markdown(report)
    if fmt == "json":
        return report.model_dump_json(indent=1) + "\n"
    raise InputError(f"Unknown report format {fmt!r}; use md, html or json.")


def default_report_path(start: date, end: date, fmt: str) -> Path:
    """Where the app offers to save a report: the home folder, named by its period."""
    return Path.home() / f"bonecoach-report-{start}-to-{end}.{fmt}"  # each format's name is its extension


def save_report(coach: Coach, start: date, end: date, fmt: str, target: Path) -> Path:
    """Write the report atomically to ``target``, readable only by the user."""
    from bonecoach.storage.atomic import write_user_file

    return write_user_file(target, render_report(clinician_report(coach, start, end), fmt))
