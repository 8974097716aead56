"""The weeks: a week's adherence (nutrients, exercise, conflicts, doses), what the Week pane shows
beside it, calcium's trend over twelve weeks and its streak of days."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from bonecoach.domain.adherence import (
    WeekAdherence,
    mean_percent_of_target,
    nutrient_day,
    week_adherence,
    week_days,
    week_start,
)
from bonecoach.domain.day import DaySummary
from bonecoach.services import exercise, regimen
from bonecoach.services.context import Context
from bonecoach.services.review import absorbed_mean, days

STREAK_CHUNK_DAYS = 31  # the streak reads history a month at a time
MAX_STREAK_DAYS = 3660  # ten years: enough for any streak


def week(ctx: Context, day: date | None = None) -> WeekAdherence:
    """The week (Monday to Sunday) holding ``day``: nutrients, exercise, conflicts and doses."""
    monday = week_start(day or ctx.now().date())
    dates = week_days(monday)
    summaries = days(ctx, dates[0], dates[-1])
    planned, done = sessions_between(ctx, dates[0], dates[-1])
    taken_daily = regimen.regimen(ctx)
    count = regimen.dose_counter(ctx)
    today = ctx.now().date()
    doses = {}
    for d in dates:
        if d > today:  # doses still to come are neither due nor missed yet
            continue
        counts = [count(item, summaries[d].entries) for item in taken_daily.items if item.due_on(d)]
        doses[d] = (sum(due for due, _ in counts), sum(taken for _, taken in counts))
    week = week_adherence(monday, summaries, planned, done, doses, today=today)
    absorbed = absorbed_mean(ctx, summaries.values())
    return week.model_copy(update={"absorbed_calcium": absorbed})


@dataclass(frozen=True)
class WeekReview:
    """What the Week pane shows: the week, calcium's change on the week before (points of mean
    % of target), calcium's trend over the twelve weeks up to it, and the calcium streak."""

    week: WeekAdherence
    calcium_change: float | None
    trend: list[float | None]
    streak: int


def week_review(ctx: Context, monday: date) -> WeekReview:
    """The week of ``monday`` with what the Week pane shows beside it."""
    shown = week(ctx, monday)
    before = week(ctx, monday - timedelta(days=7))
    return WeekReview(shown, shown.change_since(before, "calcium_mg"), trend(ctx, monday), streak(ctx))


def sessions_between(
    ctx: Context, start: date, end: date
) -> tuple[dict[date, dict[str, int]], dict[date, dict[str, int]]]:
    """Sessions planned (each week's plan as it stands) and done, per day and category."""
    planned: dict[date, dict[str, int]] = {}
    mondays = [week_start(start) + timedelta(days=7 * n) for n in range((end - week_start(start)).days // 7 + 1)]
    records = exercise.session_records(ctx)
    for plan in exercise.exercise_plans(ctx, mondays, history=records):
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


def trend(ctx: Context, day: date | None = None, weeks: int = 12, key: str = "calcium_mg") -> list[float | None]:
    """Mean percent of target for ``key`` over the ``weeks`` weeks up to ``day``'s, oldest first."""
    monday = week_start(day or ctx.now().date())
    first = monday - timedelta(days=7 * (weeks - 1))
    summaries = days(ctx, first, monday + timedelta(days=6), conflicts=False)
    values: list[float | None] = []
    for back in range(weeks - 1, -1, -1):
        start = monday - timedelta(days=7 * back)
        logged = [summaries[d] for d in week_days(start) if summaries[d].entries]
        values.append(mean_percent_of_target(nutrient_day(summary, key) for summary in logged))
    return values


def streak(ctx: Context, key: str = "calcium_mg", day: date | None = None) -> int:
    """Consecutive days up to ``day`` (or yesterday, if ``day`` is not met yet) meeting the target."""
    current = day or ctx.now().date()
    count = 0
    chunk: dict[date, DaySummary] = {}

    def met(on: date) -> bool:
        if on not in chunk:
            # A month at a time, backwards: one read per month however long the streak.
            chunk.update(days(ctx, on - timedelta(days=STREAK_CHUNK_DAYS - 1), on, conflicts=False))
        return nutrient_day(chunk[on], key).status == "met"

    if not met(current):
        current -= timedelta(days=1)
    while count < MAX_STREAK_DAYS and met(current):
        count += 1
        current -= timedelta(days=1)
    return count
