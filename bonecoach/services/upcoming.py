"""Next up, computed: the day's planned doses, the week's exercise sessions and the meals in time
order, each ticked when logged, after the reminders of doses months apart (``services.kept_next``
keeps the list)."""

from __future__ import annotations

from datetime import date

from bonecoach.domain.adherence import week_start
from bonecoach.domain.next_up import NextItem
from bonecoach.domain.next_up import next_up as in_time_order
from bonecoach.services import exercise, regimen
from bonecoach.services.bone import dose_reminders
from bonecoach.services.context import Context


def next_up(ctx: Context, day: date | None = None) -> list[NextItem]:
    """The day's plan, exercise sessions and meals in time order, each ticked when logged."""
    chosen = day or ctx.now().date()
    history = exercise.session_records(ctx)  # read once: the plan and the ticks both need it
    sessions = exercise.exercise_plans(ctx, [week_start(chosen)], history)[0].sessions
    items = in_time_order(regimen.plan(ctx, chosen), sessions, ctx.repo.entries_on(chosen), history)
    # Doses months apart, said ahead and when overdue (a Prolia dose is not a daily tablet).
    notes = [NextItem(at="00:00", kind="medication", ref="reminder", name=text, reminder=text)
             for text in dose_reminders(ctx, chosen)]  # fmt: skip
    return notes + items
