"""Looking back: a day's totals and conflicts, many days at once, the week's adherence, trends, streaks and what is next up."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from bonecoach.domain.absorption import AbsorbedMean, AbsorptionEstimate, mean_absorbed
from bonecoach.domain.adherence import (
    WeekAdherence,
    mean_percent_of_target,
    nutrient_day,
    week_adherence,
    week_days,
    week_start,
)
from bonecoach.domain.conflict_news import new_conflicts
from bonecoach.domain.conflicts import Conflict
from bonecoach.domain.day import DaySummary, summarize_day
from bonecoach.domain.models import Entry
from bonecoach.domain.next_up import NextItem
from bonecoach.domain.next_up import next_up as in_time_order
from bonecoach.domain.targets import Target, age_on, targets_for
from bonecoach.services import exercise, foods, profiles, regimen
from bonecoach.services.context import Context

STREAK_CHUNK_DAYS = 31  # the streak reads history a month at a time


MAX_STREAK_DAYS = 3660  # ten years: enough for any streak


def day(ctx: Context, day: date | None = None) -> DaySummary:
    """The day's entries, totals, targets and conflicts."""
    chosen = day or ctx.now().date()
    # Windows can cross midnight, so the neighbouring days take part in the checks.
    around = ctx.repo.entries_between(chosen - timedelta(days=1), chosen + timedelta(days=1))
    targets = profiles.targets(ctx, chosen)
    conflicts = ctx.checker.check_day(chosen, around, targets, day_complete=chosen < ctx.now().date(), zone=ctx.zone)
    entries = [entry for entry in around if entry.at.date() == chosen]
    return summarize_day(chosen, entries, targets, conflicts)


def days(
    ctx: Context, start: date, end: date, *, conflicts: bool = True, fixes: bool = False
) -> dict[date, DaySummary]:
    """Every day from ``start`` to ``end`` as ``day()`` gives it, from one read of the period.

    For reviews of many days: ``fixes=False`` (the default here) leaves out the suggested
    times, the costly part, and ``conflicts=False`` the conflict pass altogether."""
    by_day: dict[date, list[Entry]] = {}
    for entry in ctx.repo.entries_between(start - timedelta(days=1), end + timedelta(days=1)):
        by_day.setdefault(entry.at.date(), []).append(entry)
    profile = ctx.repo.profile()
    today = ctx.now().date()
    found: dict[date, DaySummary] = {}
    by_age: dict[int, dict[str, Target]] = {}  # targets depend on the day only through age
    current = start
    while current <= end:
        targets: dict[str, Target] = {}
        if profile is not None:
            age = age_on(profile.birth_date, current)
            if age not in by_age:
                by_age[age] = targets_for(profile, current, ctx.target_table)
            targets = by_age[age]
        entries = by_day.get(current, [])
        clashes = []
        if conflicts and entries:
            before = by_day.get(current - timedelta(days=1), [])
            after = by_day.get(current + timedelta(days=1), [])
            clashes = ctx.checker.check_day(
                current, before + entries + after, targets, fixes=fixes, day_complete=current < today, zone=ctx.zone
            )
        found[current] = summarize_day(current, entries, targets, clashes)
        current += timedelta(days=1)
    return found


def absorbable(ctx: Context, summary: DaySummary, salts: dict[str, str] | None = None) -> AbsorptionEstimate:
    """The day's absorbable calcium (estimate) from its entries (``salts``: ``supplement_salts``,
    when the caller has them for many days)."""
    from bonecoach.domain.absorption import absorbable_calcium

    return absorbable_calcium(summary.entries, ctx.absorption, supplement_salts(ctx) if salts is None else salts)


def absorbed_mean(ctx: Context, summaries: Iterable[DaySummary]) -> AbsorbedMean | None:
    """The daily absorbable-calcium estimate over the logged days (the week and the report); the
    products' salts are read once, not once per day."""
    salts = supplement_salts(ctx)
    return mean_absorbed([absorbable(ctx, s, salts) for s in summaries if s.entries])


def supplement_salts(ctx: Context) -> dict[str, str]:
    """Each supplement's calcium salt by id (shipped and the person's own), read from its form."""
    from bonecoach.domain.absorption import salt_of

    found = {}
    for product in foods.supplements(ctx):
        salt = salt_of(product.form)
        if salt is not None:
            found[product.id] = salt
    return found


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


def conflicts_from(ctx: Context, entries: list[Entry], known: DaySummary | None = None) -> list[Conflict]:
    """The conflicts that involve any of ``entries`` (e.g. just logged), on their days
    (``known``: a summary computed since they were stored, reused for its day)."""
    ids = {entry.id for entry in entries}
    found: list[Conflict] = []
    for on in sorted({entry.at.date() for entry in entries}):
        fresh = (
            known is not None
            and known.date == on
            and {e.id for e in entries if e.at.date() == on} <= {e.id for e in known.entries}
        )
        summary = known if fresh and known is not None else day(ctx, on)
        found += [c for c in summary.conflicts if ids & set(c.entries)]
    return found


def new_conflicts_from(ctx: Context, entries: list[Entry], known: DaySummary | None = None) -> list[Conflict]:
    """The conflicts that ``entries`` (just logged) brought to their days: those their days did
    not have without them (a meal's old conflict that only gained the new item is not new).
    ``known``: a summary computed since they were stored, reused for its day."""
    added = {entry.id for entry in entries}
    found: list[Conflict] = []
    for on in sorted({entry.at.date() for entry in entries}):
        around = ctx.repo.entries_between(on - timedelta(days=1), on + timedelta(days=1))
        targets = profiles.targets(ctx, on)
        complete = on < ctx.now().date()
        # Only which rule and which entries count for "before": its fixes are not computed.
        before = ctx.checker.check_day(on, [e for e in around if e.id not in added], targets, fixes=False,
                                       day_complete=complete, zone=ctx.zone)  # fmt: skip
        after = (known.conflicts if known is not None and known.date == on
                 and {e.id for e in entries if e.at.date() == on} <= {e.id for e in known.entries}
                 else ctx.checker.check_day(on, around, targets, day_complete=complete, zone=ctx.zone))  # fmt: skip
        found += new_conflicts(before, after, added)
    return found


def next_up(ctx: Context, day: date | None = None) -> list[NextItem]:
    """The day's plan, exercise sessions and meals in time order, each ticked when logged."""
    chosen = day or ctx.now().date()
    history = exercise.session_records(ctx)  # read once: the plan and the ticks both need it
    sessions = exercise.exercise_plans(ctx, [week_start(chosen)], history)[0].sessions
    items = in_time_order(regimen.plan(ctx, chosen), sessions, ctx.repo.entries_on(chosen), history)
    # Doses months apart, said ahead and when overdue (a Prolia dose is not a daily tablet).
    from bonecoach.services.bone import dose_reminders

    notes = [NextItem(at="00:00", kind="medication", ref="reminder", name=text, reminder=text)
             for text in dose_reminders(ctx, chosen)]  # fmt: skip
    return notes + items
