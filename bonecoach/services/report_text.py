"""Words shared by the Markdown and HTML reports: the at-a-glance lines and number formats."""

from __future__ import annotations

from dataclasses import dataclass, field

from bonecoach.domain.bone import due_phrase
from bonecoach.domain.nutrient_info import mcg_to_iu
from bonecoach.domain.report import ClinicianReport, NutrientReport

TITLE = "Bone health log: summary for the clinician"
GLANCE_NUTRIENTS = ("calcium_mg", "vitamin_d_mcg", "magnesium_mg")
WEEKS_AS_TABLE = 12


def amount(value: float | None, unit: str) -> str:
    """1,234 mg / 15.5 mcg / "none": whole numbers above 100, one decimal below."""
    if value is None:
        return "none"
    return f"{value:,.0f} {unit}" if abs(value) >= 100 else f"{value:,.1f} {unit}"


def percent(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0f}%"


def period_line(report: ClinicianReport) -> str:
    return (
        f"{report.start:%d %b %Y} to {report.end:%d %b %Y}: {report.days} days, "
        f"{report.days_logged} with something logged"
    )


def limit_text(n: NutrientReport) -> str:
    """ "2,000 mg", or "350 mg from supplements" where the limit counts supplements only."""
    return amount(n.upper_limit, n.unit) + (" from supplements" if n.limit_from_supplements else "")


def nutrient_line(n: NutrientReport) -> str:
    """One nutrient in a sentence a clinician can scan."""
    if n.mean_daily is None:
        return f"{n.label}: nothing logged."
    mean = amount(n.mean_daily, n.unit) + "/day"
    if n.key == "vitamin_d_mcg":
        mean += f" ({mcg_to_iu(n.mean_daily):,.0f} IU)"
    parts = [f"{n.label}: mean {mean}"]
    if n.target is not None:
        parts.append(f"against a target of {amount(n.target, n.unit)} ({percent(n.mean_percent_of_target)})")
    text = " ".join(parts) + f"; target met on {n.days_met} of {n.days_logged} logged days"
    if n.days_over:
        text += f"; over the upper limit ({limit_text(n)}) on {n.days_over}"
    return text + "."


def glance(report: ClinicianReport) -> list[str]:
    """The lines read first: period, the main nutrients, exercise, doses, conflicts and bone."""
    lines = [f"Period: {period_line(report)}."]
    by_key = {n.key: n for n in report.nutrients}
    lines += [nutrient_line(by_key[key]) for key in GLANCE_NUTRIENTS]
    if report.absorbed_calcium is not None:
        lines.append(f"Calcium {report.absorbed_calcium.phrase()}: an estimate for comparison, not a measurement.")
    ex = report.exercise
    if ex.adherence is None:
        lines.append("Exercise: no sessions were planned in this period.")
    else:
        planned, done = sum(w.planned for w in ex.weeks), sum(w.done for w in ex.weeks)
        lines.append(f"Exercise: {ex.adherence:.0%} of planned sessions done ({done} of {planned}).")
    if report.doses:
        lines.append("Doses taken: " + "; ".join(f"{d.name} {d.taken} of {d.due}" for d in report.doses) + ".")
    lines += [f"{reminder}." for reminder in report.dose_reminders]  # as of the day the report was made
    recurring = [c for c in report.conflicts if c.days >= 2]
    if recurring:
        top = recurring[0]
        lines.append(f"Most frequent timing or intake problem: {top.message} On {top.days} days.")
    else:
        lines.append("No timing or intake problem recurred in this period.")
    if report.scans:
        last = max(report.scans, key=lambda s: s.date).date
        lowest = min((s for s in report.scans if s.date == last and s.site != "forearm"),
                     key=lambda s: s.tscore, default=None)  # fmt: skip
        if lowest is not None:
            lines.append(f"Latest DEXA {last:%d %b %Y}: lowest T-score {lowest.tscore:+.1f} ({lowest.site}), "
                         f"{report.latest_category or lowest.category}.")  # fmt: skip
    due = report.next_scan
    lines.append(f"{due_phrase('Next DEXA', due.due, report.generated)}." if due.due else f"Next DEXA: {due.why}")
    vitamin_d = [lab for lab in report.labs if lab.test == "25(OH)D"]
    if vitamin_d:
        lines.append(f"Latest 25(OH)D ({vitamin_d[-1].date:%d %b %Y}): {vitamin_d[-1].reading}.")
    return lines


@dataclass
class Section:
    """One part of the report, laid out by either renderer (charts are added by the HTML one)."""

    key: str
    title: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[tuple[list[str], list[list[str]]]] = field(default_factory=list)
    bullets: list[str] = field(default_factory=list)


def _given(value: int | None) -> str:
    return "not given" if value is None else str(value)


def patient_line(report: ClinicianReport) -> str:
    p = report.patient
    age = f", {p.age} years" if p.age is not None else ""
    return (
        f"Generated {report.generated:%d %b %Y} by bonecoach. Patient: {p.sex}{age}. "
        f"Exercise level used for planning: {p.exercise_level}. As entered by the patient: vertebral fractures "
        f"{_given(p.vertebral_fractures)}, other fractures {_given(p.other_fractures)}, falls in the last year "
        f"{_given(p.falls_last_year)}."
    )


def _table_or(section: Section, header: list[str], rows: list[list[str]], empty: str) -> None:
    """A table when there are rows, otherwise a sentence saying there is nothing."""
    if rows:
        section.tables.append((header, rows))
    else:
        section.paragraphs.append(empty)


def sections(report: ClinicianReport) -> list[Section]:
    """The report's parts, in reading order, as text and tables."""
    parts = [Section("glance", "At a glance", bullets=glance(report))]
    parts.append(Section("nutrients", "Nutrients (daily, logged days)", tables=[(
        ["Nutrient", "Target", "Upper limit", "Mean/day", "% of target", "Days met", "Days over", "Entries without a value"],
        [[n.label, amount(n.target, n.unit) if n.target else "-", limit_text(n) if n.upper_limit else "-",
          amount(n.mean_daily, n.unit), percent(n.mean_percent_of_target), f"{n.days_met}/{n.days_logged}",
          str(n.days_over), str(n.entries_unmeasured)] for n in report.nutrients],
    )]))  # fmt: skip

    ex = report.exercise
    exercise = Section("exercise", "Exercise")
    if ex.adherence is None:
        exercise.paragraphs.append("No sessions were planned in this period.")
    else:
        categories = sorted(set(ex.planned) | set(ex.done))
        exercise.paragraphs.append(
            f"{ex.adherence:.0%} of planned sessions done (each category counted up to its plan)."
        )
        exercise.tables.append((["Category", "Planned", "Done"],
                                [[c, str(ex.planned.get(c, 0)), str(ex.done.get(c, 0))] for c in categories]))  # fmt: skip
        if len(ex.weeks) <= WEEKS_AS_TABLE:  # longer periods: the weekly chart says it better
            exercise.tables.append((["Week of", "Planned", "Done"],
                                    [[f"{w.week_start:%d %b %Y}", str(w.planned), str(w.done)] for w in ex.weeks]))  # fmt: skip
    parts.append(exercise)

    conflicts = Section("conflicts", "Timing and intake problems")
    _table_or(conflicts, ["Problem", "Days", "Times", "Last seen", "Latest suggested fix"],
              [[c.message, str(c.days), str(c.occurrences), f"{c.last_seen:%d %b %Y}", c.fix or "-"]
               for c in report.conflicts], "None recorded in this period.")  # fmt: skip
    parts.append(conflicts)

    doses = Section("doses", "Medicines and supplements on a schedule")
    _table_or(doses, ["Item", "Kind", "Due", "Taken", "Taken %"],
              [[d.name, d.kind, str(d.due), str(d.taken), percent(d.taken / d.due * 100 if d.due else None)]
               for d in report.doses], "No regimen recorded.")  # fmt: skip
    parts.append(doses)

    dexa = Section("dexa", "DEXA history")
    _table_or(dexa, ["Date", "Site", "T-score", "Z-score", "BMD g/cm²", "WHO category", "Change"],
              [[f"{s.date:%d %b %Y}", s.site, f"{s.tscore:+.1f}", "-" if s.zscore is None else f"{s.zscore:+.1f}",
                "-" if s.bmd is None else f"{s.bmd:.3f}", s.category, s.change] for s in report.scans],
              "No scans recorded.")  # fmt: skip
    for crossing in report.reversals:
        verdict = "beyond scan noise" if crossing.real else "not shown to be beyond scan noise"
        dexa.bullets.append(f"Crossed {crossing.threshold:+.1f} between {crossing.from_date:%b %Y} and "
                            f"{crossing.to_date:%b %Y} ({verdict}). {crossing.note}")  # fmt: skip
    dexa.bullets.extend(report.bone_reading)
    due = report.next_scan
    dexa.paragraphs.append(f"Next scan: {due.due:%d %b %Y}. {due.why}" if due.due else f"Next scan: {due.why}")
    parts.append(dexa)

    labs = Section("labs", "Bloodwork")
    _table_or(labs, ["Date", "Test", "Result", "Reading"],
              [[f"{r.date:%d %b %Y}", r.test, f"{r.value:g} {r.unit}", r.reading] for r in report.labs],
              "No results recorded.")  # fmt: skip
    parts.append(labs)
    parts.append(Section("notes", "Notes", bullets=list(report.notes)))
    return parts
