"""What the person takes and when they eat: the regimen, its schedule, and the day's timetable the planner makes of it."""

from __future__ import annotations

import calendar
from collections.abc import Callable, Sequence
from datetime import date, datetime, time
from typing import TYPE_CHECKING, get_args

from dateutil.relativedelta import relativedelta

from bonecoach.domain.amounts import (
    check_doses,
    parse_number,
)
from bonecoach.domain.errors import InputError
from bonecoach.domain.models import Entry, Frequency
from bonecoach.domain.regimen import MONTHS_BETWEEN, MealTimes, Regimen, RegimenItem
from bonecoach.domain.timeparse import parse_date
from bonecoach.services import foods, profiles
from bonecoach.services.context import Context

if TYPE_CHECKING:  # the planner and the dose counts need the conflict rules: imported where used
    from bonecoach.domain.planner import DayPlan

FREQUENCIES: tuple[str, ...] = get_args(Frequency)


def regimen(ctx: Context) -> Regimen:
    """What the user takes every day, and their usual meal times."""
    return ctx.repo.regimen() or Regimen()


LOOK_BACK_MONTHS = 13


def last_doses(ctx: Context, items: Sequence[RegimenItem], day: date) -> dict[str, date | None]:
    """The latest day on or before ``day`` each months-apart item was logged, by ref: read a month
    at a time backwards until each is found, or its start has passed (a start is a dose), or
    ``LOOK_BACK_MONTHS`` (or twice its interval and a month) have been read: an older dose no
    longer says when the next is due."""
    wanted = {item.ref: item for item in items if item.frequency in MONTHS_BETWEEN}
    found: dict[str, date | None] = dict.fromkeys(wanted)
    first = date(day.year, day.month, 1)

    def looking(item: RegimenItem, month: date) -> bool:
        back = max(LOOK_BACK_MONTHS, 2 * MONTHS_BETWEEN[item.frequency] + 1)
        started = item.start is not None and item.start < day and item.start >= month + relativedelta(months=1)
        return found[item.ref] is None and not started and month >= first - relativedelta(months=back)

    for months in range(max(LOOK_BACK_MONTHS, 2 * max(MONTHS_BETWEEN.values()) + 1) + 1):
        start = first - relativedelta(months=months)
        still = {ref: item for ref, item in wanted.items() if looking(item, start)}
        if not still:
            break
        end = min(day, start + relativedelta(months=1, days=-1))
        for entry in ctx.repo.entries_between(start, end):
            item = still.get(entry.ref)  # each item within its own look-back, whatever the others'
            if item is None or entry.kind != item.kind:
                continue
            latest = found[entry.ref]
            if latest is None or entry.at.date() > latest:
                found[entry.ref] = entry.at.date()
    return found


def anchored_regimen(ctx: Context, day: date) -> Regimen:
    """The regimen with each injection every 6 months or yearly infusion counted from its last
    dose known on ``day`` (logged, or its start): what the day's plan and the reminders use."""
    from bonecoach.domain.regimen import last_known_dose

    stored = regimen(ctx)
    logged = last_doses(ctx, stored.items, day)
    items = [item.anchored(last_known_dose(item, logged.get(item.ref), day)) for item in stored.items]
    return stored.model_copy(update={"items": items})


def save_regimen(ctx: Context, regimen: Regimen) -> Regimen:
    ctx.repo.save_regimen(regimen)
    return regimen


def add_to_regimen(ctx: Context, kind: str, id_or_name: str, doses: float = 1.0, frequency: str | None = None,
                   weekday: int | None = None, monthday: int | None = None, start: date | None = None,
                   at: time | None = None) -> RegimenItem:  # fmt: skip
    """Add a medicine or supplement taken daily, weekly (on ``weekday``), monthly (on ``monthday``),
    every 6 months or yearly, from ``start`` (today by default). Without a frequency, a medicine
    whose label fixes one takes it (Prolia every 6 months, Reclast yearly, Evenity monthly for 12
    months); anything else is daily."""
    until = None
    if kind == "medication":
        medicine = foods.resolve_medication(ctx, id_or_name)
        ref = medicine.id
        if frequency is None:
            frequency = medicine.frequency
        if medicine.course_months is not None:
            until = (start or ctx.now().date()) + relativedelta(months=medicine.course_months, days=-1)
    elif kind == "supplement":
        ref = foods.resolve_supplement(ctx, id_or_name).id
    else:
        raise InputError("The regimen holds medications and supplements.")
    frequency = frequency or "daily"
    if frequency not in FREQUENCIES:
        raise InputError(f"Frequency must be {', '.join(FREQUENCIES)}, not {frequency!r}.")
    first = start or ctx.now().date()  # a weekly or monthly item falls on its first day's weekday or date
    item = RegimenItem.model_validate(
        {"kind": kind, "ref": ref, "doses": check_doses(doses), "frequency": frequency, "start": first,
         "weekday": weekday if weekday is not None else (first.weekday() if frequency == "weekly" else None),
         "monthday": monthday if monthday is not None else (first.day if frequency == "monthly" else None),
         "until": until, "at": at}
    )  # fmt: skip
    current = regimen(ctx)
    current.items = [i for i in current.items if i.ref != ref] + [item]
    save_regimen(ctx, current)
    return item


def schedule(ctx: Context, kind: str, id_or_name: str, doses: str, frequency: str | None, on: str = "",
             start: str = "", at: str = "") -> RegimenItem:  # fmt: skip
    """Add (or change) a regimen item from what a person typed: doses ("" = 1), and for
    weekly the weekday ("mon".."sun" or a full name), for monthly the day (1-31); "" = today's."""
    count = 1.0 if not doses.strip() else parse_number(doses, "Doses")
    text = on.strip().lower()
    weekday = monthday = None
    if text and frequency == "weekly":
        found = [n for n, name in enumerate(calendar.day_name) if len(text) >= 3 and name.lower().startswith(text)]
        if not found:
            raise InputError(f"Weekly on {on.strip()[:20]!r}? Give a weekday: mon, tue, wed, thu, fri, sat or sun.")
        weekday = found[0]
    elif text and frequency == "monthly":
        if not text.isdigit() or not 1 <= int(text) <= 31:
            raise InputError(f"Monthly on {on.strip()[:20]!r}? Give the day of the month, 1 to 31.")
        monthday = int(text)
    elif text:
        raise InputError(
            "Only a weekly or monthly item takes a day: leave 'on' empty (give the date of a dose as its start)."
        )
    first = parse_date(start, ctx.now().date()) if start.strip() else None
    if first is not None and first > ctx.now().date() + relativedelta(years=1):
        raise InputError(f"The start {first} is more than a year ahead.")
    pinned = None
    if at.strip():
        try:
            pinned = datetime.strptime(at.strip(), "%H:%M").time()
        except ValueError:
            raise InputError(f"At {at.strip()[:20]!r}? Give the time you take it as HH:MM (e.g. 06:30).") from None
    return add_to_regimen(ctx, kind, id_or_name, count, frequency, weekday, monthday, start=first, at=pinned)


def remove_from_regimen(ctx: Context, ref: str) -> None:
    """Take an item out of the regimen."""
    current = regimen(ctx)
    kept = [i for i in current.items if i.ref != ref.strip().lower()]
    if len(kept) == len(current.items):
        raise InputError(f"{ref!r} is not in your regimen (see 'bonecoach regimen show').")
    current.items = kept
    save_regimen(ctx, current)


def set_day_times(ctx: Context, **times: str | None) -> Regimen:
    """Change waking, meal or bed times ("07:30")."""
    current = regimen(ctx)
    values = current.times.model_dump()
    for name, text in times.items():
        if text is None:
            continue
        try:
            values[name] = datetime.strptime(text.strip(), "%H:%M").time()
        except ValueError:
            raise InputError(f"{name} time {text!r} is not HH:MM (e.g. 07:30).") from None
    ordered = [values[k] for k in ("wake", "breakfast", "lunch", "dinner", "bed")]
    if ordered != sorted(ordered) or len(set(ordered)) != len(ordered):
        raise InputError("Times must run in order: wake, breakfast, lunch, dinner, bed.")
    current.times = MealTimes.model_validate(values)
    return save_regimen(ctx, current)


DoseCounter = Callable[[RegimenItem, Sequence[Entry]], tuple[int, int]]


def dose_counter(ctx: Context) -> DoseCounter:
    """Counts an item's doses on a day it is due, as planned (a calcium item taken in two portions
    is two doses): (due, taken by the day's entries). The week and the report count alike."""
    from bonecoach.domain.doses import doses_covered, planned_doses

    products = {s.id: s for s in foods.supplements(ctx)}
    checker = ctx.checker

    def count(item: RegimenItem, entries: Sequence[Entry]) -> tuple[int, int]:
        planned = planned_doses(item, products.get(item.ref), checker)
        logged = [entry.doses or 1.0 for entry in entries if entry.ref == item.ref]
        return len(planned), doses_covered(planned, logged)

    return count


def plan(ctx: Context, day: date | None = None) -> DayPlan:
    """A timetable for the regimen that keeps every window (or says what cannot be met)."""
    from bonecoach.domain.doses import calcium_skips
    from bonecoach.domain.planner import plan_day

    chosen = day or ctx.now().date()
    products = {s.id: s for s in foods.supplements(ctx)}
    targets = profiles.targets(ctx, chosen)
    plan = plan_day(chosen, anchored_regimen(ctx, chosen), {m.id: m for m in ctx.medications}, products, ctx.checker,
                    targets)  # fmt: skip
    # What the day's food has made unnecessary, said on the dose (Today, Next up, next, plan-day).
    return calcium_skips(plan, ctx.repo.entries_on(chosen), products, targets.get("calcium_mg"))


MEDICATION_CHOICE = "medication:"  # the id prefix of a medicine among the dose choices


def dose_choices(ctx: Context) -> list[tuple[str, str]]:
    """What the Log tab offers to log as a dose, (id, label): the person's regimen first, in its
    order (what they take every day is one key away), then every other product, then the other
    medicines (``MEDICATION_CHOICE`` + id, labelled with ℞)."""
    products = [(product.id, product.name) for product in foods.supplements(ctx)]
    medicines = [(f"{MEDICATION_CHOICE}{medication.id}", f"℞ {medication.name}") for medication in ctx.medications]
    current = ctx.repo.regimen()
    wanted = [f"{MEDICATION_CHOICE}{item.ref}" if item.kind == "medication" else item.ref
              for item in (current.items if current else [])]  # fmt: skip
    everything = dict([*products, *medicines])
    first = [(choice, everything[choice]) for choice in dict.fromkeys(wanted) if choice in everything]
    chosen = {choice for choice, _ in first}
    return first + [choice for choice in [*products, *medicines] if choice[0] not in chosen]


def dose_typed_ahead(ctx: Context, typed: str) -> str | None:
    """The dose choice (``dose_choices``' id) that typing ``typed`` in the list goes to: names
    and brand names, in the list's order (the regimen first)."""
    from bonecoach.domain.search import first_typed_ahead

    brands = {f"{MEDICATION_CHOICE}{m.id}": m.aliases for m in ctx.medications}
    return first_typed_ahead(typed, [(choice, (label, *brands.get(choice, ()))) for choice, label in dose_choices(ctx)])


def supplement_typed_ahead(ctx: Context, typed: str) -> str | None:
    """The product (by id) that typing ``typed`` in a list of products goes to."""
    from bonecoach.domain.search import first_typed_ahead

    return first_typed_ahead(typed, [(product.id, (product.name,)) for product in foods.supplements(ctx)])


def dose_moment(ctx: Context, choice: str, typed: str | None, day: date) -> datetime:
    """When a dose logged from the Log tab was taken: the time typed (on ``day``); with none on a
    day already past, the time the day plan gives a regimen item (taken as planned), else a
    message saying to type it."""
    if typed or day >= ctx.now().date():
        return ctx.moment_on(typed, day)
    ref = choice.removeprefix(MEDICATION_CHOICE)
    planned = next((item.at for item in plan(ctx, day).items if item.kind != "meal" and item.ref == ref), None)
    if planned is None:
        return ctx.moment_on(typed, day)  # refused: it says what to type
    return planned
