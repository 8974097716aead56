"""Four realistic weeks of logging, for ``bonecoach --demo``, screenshots and benchmarks.

Deterministic for a given end date and seed, so snapshots and tests stay stable.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta

from bonecoach.domain.adherence import week_start
from bonecoach.domain.day import food_entry, medication_entry, supplement_entry
from bonecoach.domain.exercise import SessionRecord
from bonecoach.domain.models import Entry, MealSlot
from bonecoach.services.coach import Coach

# (USDA id, grams): everyday meals of someone eating for their bones, with the odd slip
# (spinach or wheat bran beside dairy, a third coffee) that the conflict checks will catch.
BREAKFASTS = [
    [("08121", 234), ("01077", 122), ("09040", 118)],
    [("01256", 170), ("12061", 28), ("09206", 248)],
    [("18075", 64), ("01123", 100), ("01009", 28)],
    [("20077", 15), ("01117", 245), ("09040", 118)],
]
LUNCHES = [
    [("15088", 92), ("18075", 64), ("11457", 30)],
    [("16426", 126), ("20045", 158), ("11091", 156)],
    [("01022", 42), ("18075", 64), ("09206", 248)],
    [("15084", 85), ("11234", 130), ("20045", 158)],
]
DINNERS = [
    [("05064", 140), ("11091", 156), ("20045", 158)],
    [("16113", 88), ("20045", 158), ("11458", 90)],
    [("15084", 85), ("11234", 130)],
    [("05064", 140), ("11458", 180), ("01009", 28)],
]
COFFEE = ("14209", 237)
SUPPLEMENTS_MORNING = [("vitamin-d3-1000", 1.0), ("k2-mk7-90", 1.0)]
SUPPLEMENTS_EVENING = [("calcium-citrate-315", 1.0)]


def demo_entries(coach: Coach, end: date, weeks: int = 4, seed: int = 7) -> list[Entry]:
    """Entries for ``weeks`` weeks ending on ``end`` (only up to the coach's current time)."""
    rng = random.Random(seed)
    now = coach.now()
    entries: list[Entry] = []
    counter = 0

    def food(food_id: str, grams: float, at: datetime, meal: MealSlot) -> None:
        nonlocal counter
        item = coach.catalog.get(food_id)
        if item is None or at > now:
            return
        counter += 1
        entries.append(food_entry(f"demo{counter:05d}", item, float(grams), at, meal))

    def supplement(supplement_id: str, doses: float, at: datetime) -> None:
        nonlocal counter
        product = coach.resolve_supplement(supplement_id)
        if at > now:
            return
        counter += 1
        entries.append(supplement_entry(f"demo{counter:05d}", product, doses, at))

    alendronate = coach.resolve_medication("alendronate")
    start = end - timedelta(days=7 * weeks - 1)
    for offset in range(7 * weeks):
        day = start + timedelta(days=offset)

        def at(hour: int, minute: int, day: date = day) -> datetime:
            return datetime.combine(day, time(hour, minute))

        if day.weekday() == end.weekday() and at(6, 30) <= now and rng.random() < 0.9:
            # The weekly bisphosphonate on waking, at least 45 minutes before breakfast.
            counter += 1
            entries.append(medication_entry(f"demo{counter:05d}", alendronate, at(6, 30)))
        breakfast = at(7, rng.choice([15, 30, 45]))
        for food_id, grams in rng.choice(BREAKFASTS):
            food(food_id, grams, breakfast, MealSlot.breakfast)
        for cup in range(rng.choice([1, 2, 2, 3])):
            food(*COFFEE, at(8 + 3 * cup, 0), MealSlot.snack if cup else MealSlot.breakfast)
        if rng.random() < 0.9:
            for supplement_id, doses in SUPPLEMENTS_MORNING:
                supplement(supplement_id, doses, at(8, 0))
        lunch = at(12, rng.choice([0, 30]))
        for food_id, grams in rng.choice(LUNCHES):
            food(food_id, grams, lunch, MealSlot.lunch)
        dinner = at(18, rng.choice([30, 45]))
        for food_id, grams in rng.choice(DINNERS):
            food(food_id, grams, dinner, MealSlot.dinner)
        if rng.random() < 0.8:
            for supplement_id, doses in SUPPLEMENTS_EVENING:
                supplement(supplement_id, doses, at(21, 0))
    return entries


def demo_sessions(coach: Coach, start: date, end: date, seed: int = 7) -> list[SessionRecord]:
    """Most of the planned sessions from ``start`` up to yesterday, done; some missed."""
    rng = random.Random(seed)
    mondays = [week_start(start) + timedelta(days=7 * n) for n in range((end - week_start(start)).days // 7 + 1)]
    done = []
    for plan in coach.exercise_plans(mondays):
        for session in plan.sessions:
            if start <= session.date < end and rng.random() < 0.8:
                done.append(SessionRecord(date=session.date, category=session.category, completed=True))
    return done


def seed_demo(coach: Coach, weeks: int = 4, seed: int = 7) -> int:
    """Give an empty database a profile, a supplement set and ``weeks`` of history."""
    if coach.profile() is None:
        coach.set_profile("female", date(1962, 4, 12))
    coach.save_supplement_set("morning", SUPPLEMENTS_MORNING)
    today = coach.now().date()
    # Three scans two years apart: out of the osteoporosis range, with BMD beyond scan noise.
    history = [
        (today - relativedelta(years=4, months=2), [("lumbar_spine", -2.8, 0.781), ("femoral_neck", -2.3, 0.652), ("total_hip", -2.1, 0.741)]),
        (today - relativedelta(years=2, months=2), [("lumbar_spine", -2.6, 0.798), ("femoral_neck", -2.3, 0.655), ("total_hip", -2.0, 0.745)]),
        (today - relativedelta(months=2), [("lumbar_spine", -2.1, 0.852), ("femoral_neck", -2.1, 0.668), ("total_hip", -1.8, 0.760)]),
    ]  # fmt: skip
    if not coach.repo.scans():
        for when, sites in history:
            for site, tscore, bmd in sites:
                coach.add_scan(when, site, tscore, bmd=bmd)
        coach.add_lab(today - relativedelta(months=11, days=20), "25ohd", 52, "nmol/L")
        first = today - timedelta(days=7 * weeks - 1)
        coach.add_to_regimen("medication", "alendronate", frequency="weekly", weekday=today.weekday(), start=first)
        coach.add_to_regimen("supplement", "calcium-citrate-315", start=first)
    entries = demo_entries(coach, coach.now().date(), weeks, seed)
    coach.repo.add_entries(entries)
    if not coach.session_records():
        records = demo_sessions(coach, today - timedelta(days=7 * weeks - 1), today, seed)
        coach.repo.save_sessions(records)
    return len(entries)
