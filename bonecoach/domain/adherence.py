"""Weekly adherence: nutrients against targets, exercise done against planned, conflicts, doses.

Definitions (also in the README):
- A nutrient with a target is *met* on a day when the total reaches the target, *close* at 80% or
  more, *missed* below that, and *over* when it passes the upper limit (shown apart and not
  counted as met). Limit-only nutrients (caffeine, sodium) are *within* (counted as met) or *over*.
  A day with nothing logged has no status, and the mean percent of target counts logged days only.
- Exercise: *planned* is the week's plan as it stands (missed sessions re-placed later in the
  week count once, where they now are); *done* is the completed sessions of each category, and
  adherence is done over planned per category, capped at planned, summed over categories.
  Sessions still to come do not count: in the current week only days before today count, and
  today's sessions only once done.
- Medication doses: *due* from the regimen's schedule (days still to come are left out);
  *taken* when logged that day.
"""

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Literal

from pydantic import ConfigDict, Field

from bonecoach.domain.absorption import AbsorbedMean
from bonecoach.domain.base import Model
from bonecoach.domain.day import CLOSE_FRACTION, JUDGED_WITH, DaySummary
from bonecoach.domain.nutrient_info import JUDGED_KEYS

WeekStatus = Literal["met", "close", "missed", "over", "within", "none", "unknown"]


def week_start(day: date) -> date:
    """The Monday of ``day``'s week."""
    return day - timedelta(days=day.weekday())


def week_days(monday: date) -> list[date]:
    """Monday to Sunday (calendar dates, so a daylight-saving change changes nothing)."""
    return [monday + timedelta(days=n) for n in range(7)]


class NutrientDay(Model):
    """One nutrient on one day."""

    model_config = ConfigDict(frozen=True)

    total: float
    target: float | None
    upper_limit: float | None
    status: WeekStatus


class DayAdherence(Model):
    """One day of the week grid."""

    model_config = ConfigDict(frozen=True)

    date: date
    nutrients: dict[str, NutrientDay]
    exercise_planned: dict[str, int]
    exercise_done: dict[str, int]
    conflicts: int
    doses_due: int
    doses_taken: int
    logged: bool


class NutrientSummary(Model):
    """A nutrient over the week."""

    model_config = ConfigDict(frozen=True)

    days_met: int
    days_over: int
    mean_percent_of_target: float | None
    days_logged: int = 0

    def met_phrase(self) -> str:
        """ "2 of 5 logged days met" (the headline, the CLI and the report say it the same way)."""
        if not self.days_logged:
            return "no days logged"
        return f"{self.days_met} of {self.days_logged} logged day{'s' if self.days_logged != 1 else ''} met"

    def mean_phrase(self) -> str:
        """ "84% of target on average" over the logged days ("" when there is no figure)."""
        if self.mean_percent_of_target is None:
            return ""
        return f"{self.mean_percent_of_target:.0f}% of target on average"


class WeekAdherence(Model):
    """The week: a day per row and the headline figures."""

    model_config = ConfigDict(frozen=True)

    week_start: date
    days: list[DayAdherence]
    nutrients: dict[str, NutrientSummary]
    exercise_adherence: float | None
    conflicts: int
    doses_due: int
    doses_taken: int
    recurring_conflicts: dict[str, int] = Field(default={})
    sessions_planned: int = 0  # as counted for adherence (see planned_so_far)
    sessions_kept: int = 0
    absorbed_calcium: AbsorbedMean | None = None  # the daily estimate over logged days

    def change_since(self, before: "WeekAdherence", key: str) -> float | None:
        """Points of mean % of target gained on ``before`` (``None`` unless both weeks have a figure)."""
        now, then = self.nutrients[key].mean_percent_of_target, before.nutrients[key].mean_percent_of_target
        return None if now is None or then is None else round(now - then, 1)

    def exercise_phrase(self) -> str:
        """ "1 of 3 planned sessions so far (33%)", from the same counts as the grid."""
        if not self.sessions_planned:
            return "nothing planned so far"
        share = f" ({self.exercise_adherence:.0%})" if self.exercise_adherence is not None else ""
        return f"{self.sessions_kept} of {self.sessions_planned} planned sessions so far{share}"


def planned_so_far(day: date, planned: dict[str, int], done: dict[str, int], today: date | None) -> dict[str, int]:
    """The sessions of ``day`` that count for adherence: all of them on past days and today (as
    the week grid shows them: today's 1/3 is one of three), none on days still to come."""
    if today is None or day <= today:
        return planned
    return {}


def exercise_tally(
    days: Iterable[date], planned: dict[date, dict[str, int]], done: dict[date, dict[str, int]], today: date | None
) -> tuple[dict[str, int], dict[str, int]]:
    """Sessions that count as planned (see ``planned_so_far``) and sessions done, per category."""
    planned_by: dict[str, int] = {}
    done_by: dict[str, int] = {}
    for day in days:
        for category, count in planned_so_far(day, planned.get(day, {}), done.get(day, {}), today).items():
            planned_by[category] = planned_by.get(category, 0) + count
        for category, count in done.get(day, {}).items():
            done_by[category] = done_by.get(category, 0) + count
    return planned_by, done_by


def sessions_kept(planned: dict[str, int], done: dict[str, int]) -> int:
    """Sessions done, capped at planned in each category: extra balance work does not make up
    for missed strength work."""
    return sum(min(done.get(category, 0), n) for category, n in planned.items())


def exercise_adherence(planned: dict[str, int], done: dict[str, int]) -> float | None:
    """Kept over planned (0-1), or None when nothing was planned."""
    total = sum(planned.values())
    return round(sessions_kept(planned, done) / total, 3) if total else None


def mean_percent_of_target(days: Iterable[NutrientDay]) -> float | None:
    """The mean percent of target over the days given that have a target (pass logged days
    only), to one decimal; ``None`` when none has. The week's headline and the trend use it."""
    percents = [day.total / day.target * 100 for day in days if day.target]
    return round(sum(percents) / len(percents), 1) if percents else None


def nutrient_day(summary: DaySummary, key: str) -> NutrientDay:
    """The week-grid status of one nutrient (or of total vitamin K) on one day. Each key holds
    its own total; a nutrient whose target is for a sum (K1) is not judged on its own."""
    total = summary.amount(key)
    target = None if key in JUDGED_WITH else summary.target_of(key)
    goal = target.target if target else None
    limit = target.upper_limit if target else None
    base = (
        summary.supplement_totals.get(key, 0.0) if target and target.upper_limit_applies_to == "supplements" else total
    )
    if not summary.measured_any(key):
        status: WeekStatus = "unknown"  # every entry lacked a value: not zero, not "missed"
    elif limit is not None and base > limit:
        status = "over"
    elif goal is None:
        status = "within" if limit is not None else "none"
    elif total >= goal:
        status = "met"
    elif total >= CLOSE_FRACTION * goal:
        status = "close"
    else:
        status = "missed"
    # Built without validation: the values come straight from the summary (a year's report
    # makes thousands of these).
    return NutrientDay.model_construct(total=round(total, 1), target=goal, upper_limit=limit, status=status)


def _nothing(summary: DaySummary, key: str) -> NutrientDay:
    """A day with nothing logged: no status rather than a misleading "missed" or "within"."""
    target = None if key in JUDGED_WITH else summary.target_of(key)
    return NutrientDay(
        total=0.0,
        target=target.target if target else None,
        upper_limit=target.upper_limit if target else None,
        status="none",
    )


def week_adherence(
    monday: date,
    summaries: dict[date, DaySummary],
    planned: dict[date, dict[str, int]],
    done: dict[date, dict[str, int]],
    doses: dict[date, tuple[int, int]],
    today: date | None = None,
) -> WeekAdherence:
    """The week's grid and headline from per-day summaries, sessions and doses (all passed in)."""
    days = []
    conflict_rules: dict[str, int] = {}
    for day in week_days(monday):
        summary = summaries[day]
        for conflict in summary.conflicts:
            conflict_rules[conflict.rule] = conflict_rules.get(conflict.rule, 0) + 1
        due, taken = doses.get(day, (0, 0))
        days.append(DayAdherence(
            date=day, nutrients={key: nutrient_day(summary, key) if summary.entries else _nothing(summary, key) for key in JUDGED_KEYS},
            exercise_planned=planned.get(day, {}), exercise_done=done.get(day, {}), conflicts=len(summary.conflicts),
            doses_due=due, doses_taken=taken, logged=bool(summary.entries),
        ))  # fmt: skip
    nutrients = {}
    for key in JUDGED_KEYS:
        statuses = [d.nutrients[key] for d in days]
        nutrients[key] = NutrientSummary(
            days_met=sum(s.status in ("met", "within") for s in statuses),
            days_over=sum(s.status == "over" for s in statuses),
            mean_percent_of_target=mean_percent_of_target(s for s, d in zip(statuses, days, strict=True) if d.logged),
            days_logged=sum(d.logged for d in days),
        )
    counted, kept = exercise_tally(week_days(monday), planned, done, today)
    return WeekAdherence(
        week_start=monday, days=days, nutrients=nutrients,
        exercise_adherence=exercise_adherence(counted, kept),
        sessions_planned=sum(counted.values()), sessions_kept=sessions_kept(counted, kept),
        conflicts=sum(d.conflicts for d in days), doses_due=sum(d.doses_due for d in days),
        doses_taken=sum(min(d.doses_taken, d.doses_due) for d in days),
        recurring_conflicts={rule: n for rule, n in sorted(conflict_rules.items(), key=lambda kv: -kv[1]) if n >= 2},
    )  # fmt: skip
