"""What Today does with a logged entry: edit, delete and undo, save its meal, log it again, and
"close the gap" (a suggestion, logged with one key).

Each takes the pane it runs for; the services do the work, ``changes`` says how it went.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from rich.markup import escape

from bonecoach.domain.errors import InputError
from bonecoach.domain.names import display_name, fit
from bonecoach.services.data import StorageError
from bonecoach.tui.changes import attempt, coach_of, data_changed, log, not_saved

if TYPE_CHECKING:
    from datetime import date

    from textual.widget import Widget

    from bonecoach.domain.models import Entry
    from bonecoach.tui.screens.edit_entry import EntryChanges


def edit_entry(pane: Widget, entry_id: str) -> None:
    """Open the edit form for an entry; saving it redraws and says so."""
    from bonecoach.tui.screens.edit_entry import EditEntryScreen

    coach = coach_of(pane)
    entry = coach.entry(entry_id)
    if entry is None:
        pane.notify("That entry no longer exists.", severity="error")
        return

    def apply(entry: Entry, changes: EntryChanges) -> Entry | str:
        try:
            return coach.edit_entry_as_typed(entry.id, changes.amount, at=changes.at, meal=changes.meal)
        except (InputError, StorageError) as exc:  # said on the form; the entry is as it was
            return str(exc)

    def edited(changed: Entry | None) -> None:
        if changed is not None:
            data_changed(pane)
            pane.notify(f"Saved {changed.name[:60]} at {changed.at:%H:%M}.", title="Changed")

    pane.app.push_screen(EditEntryScreen(entry, apply), edited)


def delete_entry(pane: Widget, entry_id: str) -> None:
    """Delete an entry; ``u`` undoes it."""
    coach = coach_of(pane)
    attempt(pane, lambda: coach.delete_entry(entry_id), lambda e: f"Deleted {e.name[:60]}. Press u to undo.", "Deleted")


def undo_delete(pane: Widget) -> None:
    """Put back the entry deleted last."""
    try:
        restored = coach_of(pane).undo_delete()
    except StorageError as exc:
        not_saved(pane, exc)
        return
    if restored is None:
        pane.notify("Nothing to undo.", severity="warning")
        return
    data_changed(pane)
    pane.notify(f"Restored {restored.name[:60]} at {restored.at:%H:%M}.", title="Undone")


def save_meal_of(pane: Widget, entry_id: str) -> None:
    """Save the meal the entry belongs to (that day, that slot) under a name."""
    from bonecoach.tui.screens.picker import NameScreen

    coach = coach_of(pane)
    entry = coach.entry(entry_id)
    if entry is None or entry.kind == "medication":
        pane.notify("Select a food or supplement of the meal to save.", severity="warning")
        return

    def named(name: str | None) -> None:
        if name:
            attempt(pane, lambda: coach.save_meal(name, entry.at.date(), entry.meal.value),
                    lambda saved: f"Saved {saved.name!r} ({len(saved.items)} items): find it in Log by its name.",
                    "Saved meal")  # fmt: skip

    pane.app.push_screen(NameScreen(f"Save this {entry.meal.value} as", "e.g. my usual breakfast"), named)


def repeat(pane: Widget, entry_id: str, whole_meal: bool, done: Callable[[list[Entry]], None]) -> None:
    """Log an entry, or its whole meal, again: today's again now; another day's at the same
    times of day today, asking first when some of those are still to come."""
    from bonecoach.tui.screens.picker import ChoiceScreen

    coach = coach_of(pane)
    entry = coach.entry(entry_id)
    if entry is None:
        return
    try:
        plan = coach.repeat_plan(entry_id, whole_meal)
    except InputError as exc:
        pane.notify(str(exc), severity="error")
        return

    def log_at(at: datetime) -> None:
        try:
            if whole_meal:
                copies = log(pane, lambda: coach.repeat_meal(entry.at.date(), entry.meal.value, at=at))
            else:
                copies = log(pane, lambda: [coach.repeat_entry(entry_id, at=at)])
        except InputError as exc:
            pane.notify(str(exc), severity="error")
            return
        if copies:
            done(copies)

    if not plan.to_come:
        log_at(plan.start)
        return
    now = coach.now().replace(second=0, microsecond=0)
    later = ", ".join(f"{t:%H:%M}" for t in plan.to_come)
    choices = [
        ("now", f"Now ({now:%H:%M})"),
        ("same", f"At {plan.start:%H:%M} as on {entry.at:%a %d %b} ({later} still to come)"),
    ]

    def chosen(choice: str | None) -> None:
        if choice is not None:
            log_at(now if choice == "now" else plan.start)

    pane.app.push_screen(ChoiceScreen(f"[b]When today?[/b] {later} has not come yet.", choices, ""), chosen)


def suggest(pane: Widget, day: date) -> None:
    """Offer ways to close the day's gaps now; enter logs the one chosen."""
    from bonecoach.tui.screens.picker import ChoiceScreen

    coach = coach_of(pane)
    now = coach.now()
    at = now if day == now.date() else datetime.combine(day, now.time())
    found = coach.suggestions(day, at=at)
    choices = [(str(n), escape(f"{fit(display_name(s.name), 50)} ({s.amount_text()}): {s.why}"))
               for n, s in enumerate(found)]  # fmt: skip
    title = f"[b]Close the gap[/b] at {at:%H:%M}: enter logs one (nothing here creates a conflict or crosses a limit)"
    for reason in coach.suggestion_holds():
        title += f"\n[yellow]{escape(reason)}[/]"
    empty = "Nothing to suggest: the gaps are closed, or nothing fits without a conflict or a crossed limit."

    def accept(choice: str | None) -> None:
        if choice is None:
            return
        try:
            log(pane, lambda: [coach.accept_suggestion(found[int(choice)], at=at)])
        except InputError as exc:
            pane.notify(str(exc), severity="error")

    pane.app.push_screen(ChoiceScreen(title, choices, empty), accept)
