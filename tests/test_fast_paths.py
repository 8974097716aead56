"""The faster paths for many days give the same answers as the plain one-day computation.

Reviews (the Week pane, the 12-week trend, the streak, the clinician report) read a whole period
at once and skip the suggested-fix search; these properties compare them with ``Coach.day`` on
generated histories that cross midnight and month ends.
"""

from __future__ import annotations

import tempfile
from datetime import date, datetime, time, timedelta
from pathlib import Path

from dateutil.rrule import MONTHLY, WEEKLY, rrule
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bonecoach.domain.adherence import nutrient_day, week_adherence, week_days, week_start
from bonecoach.domain.models import Entry
from bonecoach.domain.nutrients import Nutrients
from bonecoach.domain.planner import RegimenItem
from bonecoach.services.coach import Coach
from bonecoach.storage.repository import Repository
from tests.conftest import NOW as NOW_TEST
from tests.test_conflicts import MEDICINES, bran, food, medicine, spinach, supplement

FIRST = date(2026, 10, 27)  # the history crosses the end of October
SPAN = 10
NOW = datetime(2026, 11, 5, 23, 0)


@st.composite
def histories(draw: st.DrawFn) -> list[Entry]:
    entries: list[Entry] = []
    for offset in draw(st.lists(st.integers(0, SPAN - 1), max_size=SPAN, unique=True)):
        day = FIRST + timedelta(days=offset)
        for _ in range(draw(st.integers(1, 6))):
            # Early and late minutes, so windows cross midnight into the neighbouring days.
            minute = draw(st.one_of(st.integers(0, 120), st.integers(6 * 60, 22 * 60), st.integers(22 * 60, 1439)))
            hhmm = f"{minute // 60:02d}:{minute % 60:02d}"
            kind = draw(st.sampled_from(["calcium", "spinach", "bran", "plain", "medicine", "coffee"]))
            if kind == "calcium":
                entries.append(supplement(hhmm, day=day, calcium_mg=draw(st.sampled_from([200, 500, 600]))))
            elif kind == "spinach":
                entries.append(spinach(hhmm, calcium_mg=120).model_copy(update={"at": _on(day, hhmm)}))
            elif kind == "bran":
                entries.append(bran(hhmm).model_copy(update={"at": _on(day, hhmm)}))
            elif kind == "medicine":
                ref, drug_class = draw(st.sampled_from(MEDICINES))
                entries.append(medicine(hhmm, ref, drug_class, day=day))
            elif kind == "coffee":
                entries.append(food(hhmm, "Coffee", 240, day=day, caffeine_mg=200, sodium_mg=900))
            else:
                entries.append(food(hhmm, "Yogurt", day=day, calcium_mg=draw(st.sampled_from([150, 450]))))
    return entries


def _on(day: date, hhmm: str) -> datetime:
    hour, minute = map(int, hhmm.split(":"))
    return datetime(day.year, day.month, day.day, hour, minute)


def _coach(entries: list[Entry], folder: Path) -> Coach:
    repo = Repository(folder / "db", auto_backup=False)
    coach = Coach(repo, clock=lambda: NOW)
    coach.set_profile("female", date(1958, 3, 1))
    repo.add_entries(entries)
    return coach


PROPERTY = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(histories())
def test_a_period_read_at_once_equals_each_day_read_alone(entries: list[Entry]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        coach = _coach(entries, Path(folder))
        last = FIRST + timedelta(days=SPAN - 1)
        plain = {FIRST + timedelta(days=n): coach.day(FIRST + timedelta(days=n)) for n in range(SPAN)}
        assert coach.days(FIRST, last, fixes=True) == plain
        quick = coach.days(FIRST, last)
        for day, summary in quick.items():
            # Without fixes: the same conflicts, entries and totals, only no suggested time.
            assert summary.totals == plain[day].totals and summary.entries == plain[day].entries
            assert [(c.rule, c.entries, c.message) for c in summary.conflicts] == [
                (c.rule, c.entries, c.message) for c in plain[day].conflicts
            ]
        for day, summary in coach.days(FIRST, last, conflicts=False).items():
            assert summary.totals == plain[day].totals and summary.conflicts == []
        coach.repo.close()


@PROPERTY
@given(histories())
def test_week_trend_and_streak_equal_the_plain_computation(entries: list[Entry]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        coach = _coach(entries, Path(folder))
        monday = week_start(FIRST + timedelta(days=SPAN - 1))
        week = coach.week(monday)
        plain = week_adherence(
            monday,
            {d: coach.day(d) for d in week_days(monday)},
            {d: week.days[n].exercise_planned for n, d in enumerate(week_days(monday))},
            {d: week.days[n].exercise_done for n, d in enumerate(week_days(monday))},
            {d: (week.days[n].doses_due, week.days[n].doses_taken) for n, d in enumerate(week_days(monday))},
            today=NOW.date(),
        )
        from bonecoach.domain.absorption import mean_absorbed

        absorbed = mean_absorbed([coach.absorbable(coach.day(d)) for d in week_days(monday) if coach.day(d).entries])
        assert week == plain.model_copy(update={"absorbed_calcium": absorbed})

        trend = coach.trend(monday, weeks=3)
        expected: list[float | None] = []
        for back in (2, 1, 0):
            percents = []
            for d in week_days(monday - timedelta(days=7 * back)):
                summary = coach.day(d)
                goal = summary.targets["calcium_mg"].target
                if summary.entries and goal:
                    percents.append(summary.totals["calcium_mg"].amount / goal * 100)
            expected.append(round(sum(percents) / len(percents), 1) if percents else None)
        assert trend == expected

        end = FIRST + timedelta(days=SPAN - 1)
        current, count = end, 0
        if nutrient_day(coach.day(current), "calcium_mg").status != "met":
            current -= timedelta(days=1)
        while nutrient_day(coach.day(current), "calcium_mg").status == "met":
            count += 1
            current -= timedelta(days=1)
        assert coach.streak(day=end) == count
        coach.repo.close()


def _due_by_rrule(item: RegimenItem, day: date) -> bool:
    """The plain computation: walk dateutil's recurrence from the item's start."""
    start = item.start or date(2000, 1, 1)
    if day < start:
        return False
    if item.frequency == "daily":
        return True
    begin = datetime.combine(start, time())
    if item.frequency == "weekly":
        rule = rrule(WEEKLY, dtstart=begin, byweekday=item.weekday if item.weekday is not None else start.weekday())
    else:
        wanted = item.monthday or start.day
        rule = rrule(MONTHLY, dtstart=begin, bymonthday=(wanted,) if wanted <= 28 else (wanted, -1),
                     bysetpos=1 if wanted > 28 else None)  # fmt: skip
    moment = datetime.combine(day, time())
    return rule.after(moment - timedelta(seconds=1), inc=True) == moment


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(["daily", "weekly", "monthly"]),
    st.one_of(st.none(), st.integers(0, 6)),
    st.one_of(st.none(), st.integers(1, 31)),
    st.one_of(st.none(), st.dates(date(2020, 1, 1), date(2030, 12, 31))),
    st.dates(date(2019, 6, 1), date(2031, 12, 31)),
)
def test_regimen_due_dates_equal_dateutils_recurrence(
    frequency: str, weekday: int | None, monthday: int | None, start: date | None, day: date
) -> None:
    item = RegimenItem(kind="medication", ref="x", frequency=frequency, weekday=weekday, monthday=monthday, start=start)  # type: ignore[arg-type]
    assert item.due_on(day) == _due_by_rrule(item, day)


def test_recent_foods_cache_follows_every_change(profiled: Coach) -> None:
    profiled.log_food("01077", grams=244, at=datetime(2026, 11, 24, 8))
    assert [ref for ref, _, _ in profiled.recent_refs()] == ["01077"]
    entry = profiled.log_food("15088", grams=92, at=datetime(2026, 11, 25, 12))
    profiled.log_food("15088", grams=92, at=datetime(2026, 11, 25, 13))
    assert [ref for ref, _, _ in profiled.recent_refs()] == ["15088", "01077"]  # seen at once, most used first
    profiled.delete_entry(entry.id)
    assert [ref for ref, n, _ in profiled.recent_refs()] == ["01077", "15088"]
    # Another process writing the same database is seen too: the cache follows the files.
    other = Repository(profiled.repo.root, readonly=True)
    assert [ref for ref, _, _ in Coach(other, clock=lambda: NOW_TEST).recent_refs()] == ["01077", "15088"]


def test_conflicts_of_new_entries_are_the_same_from_a_fresh_summary(profiled: Coach) -> None:
    yogurt = profiled.log_food("01256", grams=170, at=datetime(2026, 11, 25, 8))
    spinach = profiled.log_food("11457", grams=180, at=datetime(2026, 11, 25, 8, 5))
    summary = profiled.day(date(2026, 11, 25))
    assert profiled.conflicts_from([spinach], known=summary) == profiled.conflicts_from([spinach])
    stale = profiled.day(date(2026, 11, 24))  # another day's summary is not used
    assert profiled.conflicts_from([yogurt, spinach], known=stale) == profiled.conflicts_from([yogurt, spinach])
    assert profiled.conflicts_from([spinach])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 600), st.integers(0, 400)), max_size=30), st.integers(0, 120))
def test_meal_sources_by_a_sliding_window_equal_the_plain_definition(
    items: list[tuple[int, int]], minutes: int
) -> None:
    from bonecoach.domain.conflicts import EntrySelector, meal_sources
    from bonecoach.domain.models import MealSlot

    selector = EntrySelector(kinds=["food", "supplement"], min_calcium_mg=100, meal_minutes=minutes)
    entries = [
        Entry(id=f"e{n}", at=datetime(2026, 11, 25, 6) + timedelta(minutes=m), kind="food", ref="x", name="x",
              meal=MealSlot.breakfast, grams=10, nutrients=Nutrients(calcium_mg=float(ca)))
        for n, (m, ca) in enumerate(items)
    ]  # fmt: skip
    span = timedelta(minutes=minutes)
    calcium = [e for e in entries if (e.nutrients.calcium_mg or 0) > 0]
    plain = [e for e in calcium if sum(o.nutrients.calcium_mg or 0 for o in calcium if abs(o.at - e.at) <= span) >= 100]
    assert meal_sources(selector, entries) == plain
