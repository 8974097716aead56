"""Next up: the day's plan, today's exercise and what is already logged, as a list to work down.

Built by ``next_up`` from the day plan (regimen and meals), the week's exercise sessions and the
logged entries; rendered as a list, a one-line status (``status_line``) or "due now"
(``due_now``). Items are plain dataclasses over strings and numbers, so the command line's
``next --line`` can keep a computed day and render it again without importing pydantic: a shell
prompt runs it every few seconds.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, fields
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING, Any, Literal, get_args

from bonecoach.domain.plain_text import clean_text

if TYPE_CHECKING:
    from bonecoach.domain.exercise import Session, SessionRecord
    from bonecoach.domain.models import Entry
    from bonecoach.domain.planner import DayPlan

Kind = Literal["medication", "supplement", "meal", "exercise"]
_KINDS = get_args(Kind)
_CLOCK = re.compile(r"(?:[01]\d|2[0-3]):[0-5]\d")
MEAL_MINUTES = 60  # a food logged this close to a planned meal (or in its slot) counts as that meal
SHOWN = 4  # "the next few": how many open items a list or a line names


@dataclass(frozen=True)
class NextItem:
    """One thing to do today, at its planned time, and whether it is done."""

    at: str  # "HH:MM"
    kind: Kind
    ref: str  # a medicine or supplement id, a meal slot, or an exercise category
    name: str  # short, as a person says it: "Alendronate", "Calcium citrate 315 mg", "Balance"
    detail: str = ""  # "2 doses", "15 min"
    then: str = ""  # what the item asks afterwards: "then nothing but water until 07:00"
    done: bool = False
    doses: float = 1.0  # a supplement's planned doses (what logging it records)
    skip: str = ""  # why it is not needed today ("skip today: food already gave ..."), if so
    reminder: str = ""  # a dose months apart, said ahead or overdue ("Denosumab due 12 Dec 2026")

    @property
    def minute(self) -> int:
        """Minutes since midnight (the items are ordered by it)."""
        hours, minutes = self.at.split(":")
        return int(hours) * 60 + int(minutes)

    def label(self) -> str:
        """ "06:30 Alendronate, then nothing but water until 07:00"."""
        detail = f" {self.detail}" if self.detail else ""
        then = f", {self.then}" if self.then else ""
        if self.reminder:
            return self.reminder
        skip = f": {self.skip}" if self.skip and not self.done else ""
        return f"{self.at} {self.name}{detail}{then}{skip}"

    def to_json(self) -> dict[str, Any]:
        """The item as JSON (``next --json`` and the command line's cache)."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> NextItem:
        """Back from ``to_json``, checked and cleaned: it is read back from a file, and what it
        says is printed into a status bar. A KeyError, TypeError or ValueError: not an item."""
        values: dict[str, Any] = {}
        for item in fields(cls):
            value = data[item.name]
            if item.name == "done":
                if not isinstance(value, bool):
                    raise TypeError("done")
            elif item.name == "doses":
                if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 100:
                    raise TypeError("doses")
                value = float(value)
            elif not isinstance(value, str) or len(value) > 400:
                raise TypeError(item.name)
            else:
                value = clean_text(value)
            values[item.name] = value
        if not _CLOCK.fullmatch(values["at"]) or values["kind"] not in _KINDS:
            raise ValueError("not an item's time or kind")
        return cls(**values)


def short_product_name(name: str) -> str:
    """ "Calcium citrate 1500 mg (315 mg calcium)" -> "Calcium citrate 315 mg": the amount a person
    counts is the element in the brackets; other names lose only their bracketed part."""
    head, _, rest = name.partition(" (")
    inner = rest.rstrip(")")
    words = head.split()
    if inner and inner.split()[0].replace(".", "").isdigit() and len(words) > 1 and words[-1] in ("mg", "mcg", "g"):
        amount = " ".join(inner.split()[:2])
        return " ".join([*words[:-2], amount])
    return head


def next_up(
    plan: DayPlan,
    sessions: list[Session],
    entries: list[Entry],
    records: list[SessionRecord],
) -> list[NextItem]:
    """Everything planned for ``plan.date`` in time order, each ticked when done.

    A medicine or supplement is done once logged that day as many times as it is planned so far
    (the first planned doses are ticked first; a fasting tablet's wait runs from when it was
    taken); a meal once a food is logged in its slot or within ``MEAL_MINUTES`` of its time; an
    exercise session once its record is completed."""
    day = plan.date
    logged: dict[str, list[datetime]] = {}
    foods: list[Entry] = []
    for entry in sorted(entries, key=lambda e: e.at):
        if entry.at.date() != day:
            continue
        if entry.kind == "food":
            foods.append(entry)
        else:
            logged.setdefault(entry.ref, []).append(entry.at)
    finished = {(r.date, r.category) for r in records if r.completed}
    items: list[NextItem] = []
    for planned in plan.items:
        at = planned.at.strftime("%H:%M")
        if planned.kind == "meal":
            done = any(_eats_at(food, planned.ref, planned.at) for food in foods)
            items.append(NextItem(at=at, kind="meal", ref=planned.ref, name=planned.name, done=done))
            continue
        taken = logged.get(planned.ref) or []
        taken_at = taken.pop(0) if taken else None
        doses = planned.doses or 1.0
        detail = f"× {doses:g}" if planned.kind == "supplement" and doses != 1 else ""
        then = ""
        if planned.fast_minutes:
            # From when it was taken, once it was: a tablet taken late moves the wait with it.
            until = ((taken_at or planned.at) + timedelta(minutes=planned.fast_minutes)).strftime("%H:%M")
            then = f"then nothing but water until {until}"
        done = taken_at is not None
        items.append(NextItem(at=at, kind=planned.kind, ref=planned.ref, name=short_product_name(planned.name),
                              detail=detail, then=then, done=done, doses=doses, skip=planned.skip))  # fmt: skip
    for session in sessions:
        if session.date != day:
            continue
        items.append(NextItem(at=session.start.strftime("%H:%M"), kind="exercise", ref=session.category,
                              name=session.category.capitalize(), detail=f"{session.minutes} min",
                              done=(session.date, session.category) in finished))  # fmt: skip
    return sorted(items, key=lambda item: (item.minute, item.kind != "medication"))


def _eats_at(food: Entry, slot: str, planned: datetime) -> bool:
    return food.meal.value == slot or abs(food.at - planned) <= timedelta(minutes=MEAL_MINUTES)


Status = Literal["done", "due", "later", "skip", "remind"]


def status(item: NextItem, now: time) -> Status:
    """Done, skip (not needed today, and why), due (its time has come and it is not done) or later."""
    if item.reminder:
        return "remind"
    if item.done:
        return "done"
    if item.skip:
        return "skip"
    return "due" if item.minute <= now.hour * 60 + now.minute else "later"


def open_items(items: list[NextItem], now: time) -> list[NextItem]:
    """What is left: due items first (oldest first), then what comes later."""
    due = [item for item in items if status(item, now) == "due"]
    return due + [item for item in items if status(item, now) == "later"]


def due_now(items: list[NextItem], now: time) -> list[NextItem]:
    """The items whose time has come and that are not done (for a timer or cron job)."""
    return [item for item in items if status(item, now) == "due"]


def status_line(items: list[NextItem], now: time, width: int = 60) -> str:
    """One short line for a prompt or a status bar: what is due, else what comes next.

    "due 06:30 Alendronate · next 07:30 Breakfast (+3)", "next 12:30 Lunch (+2)", "all done today"
    or "nothing planned today"; never longer than ``width`` (the rest is counted)."""
    if not items:
        return "nothing planned today"
    left = open_items(items, now)
    if not left:
        return "all done today"
    parts: list[str] = []
    said = ""
    for item in left:
        word = "due" if status(item, now) == "due" else "next"
        part = f"{item.at} {item.name}" if word == said else f"{word} {item.at} {item.name}"
        said = word
        rest = len(left) - len(parts) - 1
        more = f" (+{rest})" if rest else ""
        candidate = " · ".join([*parts, part])
        if parts and len(candidate + more) > width:
            break
        parts.append(part)
    shown = " · ".join(parts)
    hidden = len(left) - len(parts)
    line = shown + (f" (+{hidden})" if hidden else "")
    return line if len(line) <= width else line[: width - 1] + "…"
