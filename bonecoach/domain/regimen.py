"""What a person takes and when they eat: regimen items on their schedules (daily, weekly,
monthly, every 6 months, yearly, a course with an end, a pinned time) and the day's usual times."""

import calendar
from datetime import date, time, timedelta
from typing import Literal

from pydantic import ConfigDict, Field

from bonecoach.domain.base import Model
from bonecoach.domain.models import Frequency

FIRST_START = date(2000, 1, 1)  # an item without a start date: due from the earliest day we keep
COVERED_DAYS_BEFORE = 14  # a dose logged up to two weeks before its day counts as that dose


class MealTimes(Model):
    """A person's usual day."""

    model_config = ConfigDict(extra="forbid")

    wake: time = time(6, 30)
    breakfast: time = time(7, 30)
    lunch: time = time(12, 30)
    dinner: time = time(18, 30)
    bed: time = time(22, 30)


MONTHS_BETWEEN: dict[str, int] = {"monthly": 1, "every-6-months": 6, "yearly": 12}


class RegimenItem(Model):
    """Something taken on a schedule: a medicine, or a supplement with its doses.

    Daily, weekly on ``weekday`` (0 = Monday) or monthly on ``monthday``, from ``start``.
    """

    model_config = ConfigDict(extra="forbid")

    kind: Literal["medication", "supplement"]
    ref: str
    doses: float = Field(default=1.0, gt=0, le=20)
    frequency: Frequency = "daily"
    weekday: int | None = Field(default=None, ge=0, le=6)
    monthday: int | None = Field(default=None, ge=1, le=31)
    start: date | None = None
    until: date | None = None  # a course (monthly for 12 months): the last day a dose can fall
    at: time | None = None  # a time the person pins: the plan keeps it and shows any conflict there

    @property
    def on_weekday(self) -> int:
        """The weekday a weekly item falls on (0 = Monday): as set, else its start's."""
        return self.weekday if self.weekday is not None else (self.start or FIRST_START).weekday()

    @property
    def on_monthday(self) -> int:
        """The day of the month a monthly item falls on: as set, else its start's."""
        return self.monthday or (self.start or FIRST_START).day

    def due_on(self, day: date) -> bool:
        """Whether this item is due on ``day``: daily from ``start``, weekly on its weekday, monthly
        on its day of the month, or the month's last day when the month is shorter.

        Worked out directly rather than by walking a recurrence from ``start`` (years of reviews
        ask this for every day); a property test checks it against dateutil's rrule."""
        start = self.start or FIRST_START
        if day < start or (self.until is not None and day > self.until):
            return False
        if self.frequency == "daily":
            return True
        if self.frequency == "weekly":
            return day.weekday() == self.on_weekday
        months = (day.year - start.year) * 12 + day.month - start.month
        if months % MONTHS_BETWEEN[self.frequency]:
            return False
        return day.day == min(self.on_monthday, calendar.monthrange(day.year, day.month)[1])

    def next_due(self, day: date) -> date | None:
        """The first day on or after ``day`` this item is due (a year ahead at most)."""
        return next((d for d in (day + timedelta(days=n) for n in range(0, 372)) if self.due_on(d)), None)

    def anchored(self, last_dose: date | None) -> "RegimenItem":
        """This item with its schedule counted from ``last_dose`` (see ``last_known_dose``): an
        injection every 6 months or a yearly infusion falls that long after the last one, as the
        start (the date of a dose) already says; a monthly item keeps its day of the month."""
        if last_dose is None or self.frequency not in ("every-6-months", "yearly") or last_dose == self.start:
            return self
        return self.model_copy(update={"start": last_dose, "monthday": None})

    def describe(self) -> str:
        """ "daily", "weekly on Monday", "monthly on day 1", "every 6 months (from 12 Jan 2026)"."""
        course = f" until {self.until:%d %b %Y}" if self.until else ""
        if self.frequency == "daily":
            return "daily" + course
        if self.frequency == "weekly":
            return f"weekly on {calendar.day_name[self.on_weekday]}" + course
        if self.frequency == "monthly":
            return f"monthly on day {self.on_monthday}" + course
        every = "every 6 months" if self.frequency == "every-6-months" else "yearly"
        return f"{every} (from {self.start or FIRST_START:%d %b %Y}){course}"

    def when(self) -> str:
        """ "daily at 06:30" (a pinned time) or as ``describe``."""
        return self.describe() + (f" at {self.at:%H:%M}" if self.at else "")


class Regimen(Model):
    """What the planner plans around."""

    model_config = ConfigDict(extra="forbid")

    items: list[RegimenItem] = Field(default=[])
    times: MealTimes = Field(default_factory=MealTimes)


def last_known_dose(item: RegimenItem, last_logged: date | None, day: date) -> date | None:
    """The latest dose of ``item`` known on ``day``: the last one logged, or the item's start once
    that day has passed (the start is the date of a dose: ``regimen add --start``, the last
    injection). None: no dose known, the schedule starts at the start."""
    known = [last_logged] if last_logged is not None and last_logged <= day else []
    if item.start is not None and item.start < day:
        known.append(item.start)
    return max(known, default=None)


def first_due_after(item: RegimenItem, last_dose: date | None, day: date) -> date | None:
    """The first day a dose of ``item`` is due that ``last_dose`` did not cover: every 6 months
    or yearly, that long after it; a monthly item on its day of the month, the first one after
    the dose, or the one after that when the dose was that day's taken early (up to
    ``COVERED_DAYS_BEFORE`` days). With no dose known, the first due day from ``day`` on. None:
    none within a year (a course that ended)."""
    if last_dose is None:
        return item.next_due(day)
    following = item.anchored(last_dose).next_due(last_dose + timedelta(days=1))
    if following is not None and item.frequency == "monthly" and (following - last_dose).days <= COVERED_DAYS_BEFORE:
        following = item.next_due(following + timedelta(days=1))  # the dose was that day's, taken early
    return following
