"""The Today pane: a bar per nutrient against target and limit, and the day's timeline."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Literal, cast

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.reactive import reactive
from textual.widgets import DataTable, Static

from bonecoach.clock import wall_clock
from bonecoach.domain.errors import InputError
from bonecoach.domain.nutrient_info import BAR_KEYS
from bonecoach.services import kept_answers
from bonecoach.services.data import DatabaseDamaged
from bonecoach.tui import entry_actions
from bonecoach.tui.changes import LogMealAsked, bonecoach_app, coach_of, damage_found, log
from bonecoach.tui.day_notes import conflicts_text, plan_text, sources_text
from bonecoach.tui.exercise_flow import start_todays_session
from bonecoach.tui.today_figures import Figures, figures_for, kept_figures, kept_words, styled_text
from bonecoach.tui.widgets.next_up import NextUpList
from bonecoach.tui.widgets.nutrient_bar import NutrientBar

# The domain (pydantic models) is only needed once data is shown, after the first frame.
if TYPE_CHECKING:
    from bonecoach.domain.day import DaySummary
    from bonecoach.domain.models import Entry
    from bonecoach.domain.next_up import NextItem


class TodayPane(Vertical):
    """What the day adds up to, and what was logged when."""

    BINDINGS = [
        Binding("left_square_bracket", "previous_day", "Prev day", tooltip="Show the day before"),
        Binding("right_square_bracket", "next_day", "Next day", tooltip="Show the day after"),
        Binding("t", "go_today", "Today", tooltip="Back to today"),
        Binding("e", "edit_entry", "Edit", tooltip="Change the selected entry"),
        Binding("d,delete", "delete_entry", "Delete", tooltip="Delete the selected entry (u undoes)"),
        Binding("u", "undo_delete", "Undo", tooltip="Put back the last deleted entry"),
        Binding("s", "show_sources", "Sources", tooltip="Where each target and limit comes from"),
        Binding("o", "app.settings('targets')", "Targets", tooltip="Override a target or limit"),
        Binding("c", "show_conflicts", "Conflicts", tooltip="The day's timing conflicts with their fixes"),
        Binding("a", "show_plan", "Plan day", tooltip="A timetable for your regimen that keeps every window"),
        Binding("g", "suggest", "Close the gap", tooltip="Concrete ways to reach today's targets"),
        Binding("m", "save_meal", "Save meal", tooltip="Save the selected entry's meal under a name"),
        Binding("r", "repeat_entry", "Repeat", tooltip="Log the selected entry again today (at its time of day)"),
        Binding("y", "repeat_meal", "Repeat meal", tooltip="Log the selected entry's whole meal again today"),
        Binding("i", "entry_info", "Full name", tooltip="The selected entry's full USDA name and ids"),
        Binding("k", "explain_absorption", "Absorbed?", tooltip="What the absorbed-calcium estimate is"),
        Binding("n", "do_next", "Do next", tooltip="Log or start the first open item of Next up"),
        Binding("R", "app.settings('regimen')", "Regimen", tooltip="Your medicines, supplements and usual times"),
        # Tab goes between the day's table and Next up, and never leaves the day's keys behind.
        Binding("tab", "switch_list", "Next list", show=False),
        Binding("shift+tab", "switch_list", "Previous list", show=False),
    ]

    day: reactive[date | None] = reactive(None, init=False)
    """The date shown; ``None`` until the app sets it."""

    summary: DaySummary | None = None
    """The summary on screen."""

    next_up_after: float | None = None
    """Seconds to wait before computing Next up at the next reload (set once, at start-up)."""

    def compose(self) -> ComposeResult:
        """The day's title, a bar per nutrient, notes, Next up and the timeline."""
        yield Static(id="day-title")
        with Vertical(id="bars"):
            for key in BAR_KEYS:
                yield NutrientBar(key)
                if key == "calcium_mg":
                    yield Static(id="absorption", classes="dim")
            yield Static(id="more-nutrients")
        yield Static(id="targets-note")
        yield Static(id="reminders")
        yield NextUpList(id="next-up")
        yield Static(id="conflicts")
        table: DataTable[str] = DataTable(id="timeline", cursor_type="row", zebra_stripes=True)
        table.add_columns(" ", "Time", "Meal", "Item", "Amount", "Ca mg", "D mcg")
        yield table

    def watch_day(self) -> None:
        """Another day chosen: show it."""
        self.reload()

    def reload(self) -> None:
        """Recompute the summary for the shown day and redraw everything."""
        if self.day is None:
            return
        coach, hidden = coach_of(self), bonecoach_app(self).hidden_nutrients
        try:
            # The files read are recorded: today's figures are kept for the next start with them.
            with kept_answers.recording() as reads:
                summary = coach.day(self.day)
                figures = figures_for(coach, summary, hidden)
        except DatabaseDamaged as exc:
            # Deferred: a screen pushed while the app is still mounting is styled before the
            # app's stylesheet applies (its text came out unreadable).
            damage_found(self, str(exc))
            return
        self.summary = summary
        self.paint(figures, hidden)
        today = coach.now().date()
        if summary.date == today:  # kept after the paint: it hashes what was read
            words = kept_words(hidden)
            self.call_after_refresh(kept_answers.keep, str(coach.folder), words, today, reads, json.dumps(figures))
        next_up = self.query_one(NextUpList)
        next_up.display = summary.date == today
        if next_up.display and self.next_up_after is not None:
            # At start-up: a timer, so that the numbers are painted first (a callback "after
            # refresh" still ran before the paint, and held it ~35 ms).
            self.set_timer(self.next_up_after, lambda day=summary.date: self._show_next_up(day))
            self.next_up_after = None
        elif next_up.display:
            self.call_after_refresh(self._show_next_up, summary.date)

    def paint_kept(self, folder: Path, hidden: frozenset[str]) -> bool:
        """Paint today's figures kept from the last run, if nothing they came from has changed
        (before the database is opened); the fresh computation replaces them. True if shown."""
        figures = kept_figures(kept_answers.kept(str(folder), kept_words(hidden), wall_clock().date()))
        if figures is None:
            return False
        self.paint(figures, hidden)
        return True

    def paint(self, figures: Figures, hidden: frozenset[str]) -> None:
        """Draw a day's figures: computed now, or kept from the last run for the first frame."""
        self.query_one("#day-title", Static).update(figures["title"])
        for bar in self.query(NutrientBar):
            bar.display = bar.key not in hidden
            if bar.key in figures["bars"]:
                bar.update(styled_text(figures["bars"][bar.key]))
        more = self.query_one("#more-nutrients", Static)
        more.display = bool(figures["more"])
        more.update(styled_text(figures["more"]))
        self.query_one("#absorption", Static).update(Text(figures["absorption"]))
        self.query_one("#targets-note", Static).update(figures["note"])
        reminders = self.query_one("#reminders", Static)
        reminders.display = bool(figures["reminders"])
        reminders.update(Text(figures["reminders"]))
        panel = self.query_one("#conflicts", Static)
        panel.set_class(bool(figures["conflicts"]), "-shown")  # a class: a short screen hides it in CSS
        if figures["conflicts"]:
            panel.update(figures["conflicts"])
        table = cast("DataTable[str | Text]", self.query_one("#timeline", DataTable))
        keep = table.cursor_row
        table.clear()
        for mark, at, meal, name, amount, calcium, vitamin_d, entry_id in figures["rows"]:
            # Names and amounts are data: never markup.
            table.add_row(mark, at, meal, Text(name), Text(amount), calcium, vitamin_d, key=entry_id)
        if figures["rows"]:
            table.move_cursor(row=min(keep, len(figures["rows"]) - 1))

    def _show_next_up(self, day: date) -> None:
        coach = coach_of(self)
        if self.day != day:
            return
        from bonecoach.services import kept_next

        try:
            # Kept for `bonecoach next --line` too: a status bar stays fast after logging here.
            items = kept_next.refresh(coach, day)
        except (DatabaseDamaged, InputError) as exc:
            self.query_one(NextUpList).display = False
            self.notify(f"Next up is not shown: {exc}", severity="warning")
            return
        self.query_one(NextUpList).show(items, coach.now().time())

    def action_switch_list(self) -> None:
        """Between the day's table and Next up (shown today); on another day the table stays, and
        the keys that work there are said."""
        table, next_up = self.query_one("#timeline", DataTable), self.query_one(NextUpList)
        if next_up.display and self.app.focused is table:
            next_up.focus()
            return
        table.focus()
        if not next_up.display:
            self.notify("On a past day the table is all there is: ↓ ↑ choose an entry, e edits, y repeats its meal "
                        "today, [ ] change the day, t goes back to today.", title="Today")  # fmt: skip

    def action_do_next(self) -> None:
        """Log or start the first open item of Next up."""
        next_up = self.query_one(NextUpList)
        item = next_up.first_open(coach_of(self).now().time()) if next_up.display else None
        if item is None:
            self.notify("Nothing left to do today." if next_up.items else "Nothing planned today: R adds your regimen.")
            return
        self.do(item)

    @on(NextUpList.Chosen)
    def _chosen(self, event: NextUpList.Chosen) -> None:
        self.do(event.item)

    def do(self, item: NextItem) -> None:
        """Log a dose now, open the food search for a meal, or start the exercise session."""
        coach = coach_of(self)
        if item.done:
            self.notify(f"{item.name} is done already.")
        elif item.kind == "medication":
            log(self, lambda: [coach.log_medication(item.ref)])
        elif item.kind == "supplement":
            log(self, lambda: [coach.log_supplement(item.ref, doses=item.doses)])
        elif item.kind == "meal":
            self.app.post_message(LogMealAsked(item.ref))
        else:
            start_todays_session(self, item.ref)

    def selected_entry_id(self) -> str | None:
        """The id of the entry under the timeline cursor."""
        table = cast("DataTable[str]", self.query_one("#timeline", DataTable))
        if table.row_count == 0:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return row_key.value

    def action_previous_day(self) -> None:
        """Show the day before."""
        if self.day:
            self.day = self.day - timedelta(days=1)

    def action_next_day(self) -> None:
        """Show the day after (not beyond today)."""
        if self.day:
            self.day = self.day + timedelta(days=1)

    def action_go_today(self) -> None:
        """Back to today."""
        self.day = coach_of(self).now().date()

    def action_explain_absorption(self) -> None:
        """What the absorbed-calcium estimate is, and its source."""
        from bonecoach.services.views import absorption_explanation

        coach = coach_of(self)
        notes = coach.absorbable(self.summary).notes if self.summary else []
        self.notify(absorption_explanation(coach.absorption.source, notes), title="Absorbed calcium (estimate)",
                    timeout=15, markup=False)  # fmt: skip

    def action_entry_info(self) -> None:
        """The selected entry's full name, catalog id and entry id."""
        entry_id = self.selected_entry_id()
        entry = next((e for e in self.summary.entries if e.id == entry_id), None) if self.summary else None
        if entry is None:
            self.notify("No entry selected.", severity="warning")
            return
        self.notify(f"{entry.name}\ncatalog id {entry.ref} · entry {entry.id}", title="Full name", markup=False,
                    timeout=10)  # fmt: skip

    def action_edit_entry(self) -> None:
        """Edit the selected entry."""
        entry_id = self.selected_entry_id()
        if entry_id is None:
            self.notify("No entry selected.", severity="warning")
            return
        entry_actions.edit_entry(self, entry_id)

    def action_delete_entry(self) -> None:
        """Delete the selected entry (u undoes it)."""
        entry_id = self.selected_entry_id()
        if entry_id is None:
            self.notify("No entry selected.", severity="warning")
            return
        entry_actions.delete_entry(self, entry_id)

    def action_undo_delete(self) -> None:
        """Put back the entry deleted last."""
        entry_actions.undo_delete(self)

    def action_save_meal(self) -> None:
        """Save the selected entry's meal under a name."""
        entry_id = self.selected_entry_id()
        if entry_id:
            entry_actions.save_meal_of(self, entry_id)

    def action_repeat_entry(self) -> None:
        """Log the selected entry again now."""
        entry_id = self.selected_entry_id()
        if entry_id:
            entry_actions.repeat(self, entry_id, whole_meal=False, done=self._repeated)

    def action_repeat_meal(self) -> None:
        """Log the selected entry's whole meal again now."""
        entry_id = self.selected_entry_id()
        if entry_id:
            entry_actions.repeat(self, entry_id, whole_meal=True, done=self._repeated)

    def _repeated(self, copies: list[Entry]) -> None:
        self.day = copies[0].at.date()  # logged today: show it

    def action_suggest(self) -> None:
        """Ways to close the shown day's gaps; enter logs one."""
        entry_actions.suggest(self, self.day or coach_of(self).now().date())

    def announce(self, entries: list[Entry]) -> None:
        """Redraw after ``entries`` were logged; one notice says what they add and only the
        conflicts they brought (the day's others are on ``c``)."""
        self.reload()
        coach = coach_of(self)
        total = sum(entry.nutrients.calcium_mg or 0 for entry in entries)
        names = ", ".join(entry.name for entry in entries)
        # Calcium is named only when there is some: "(Ca 0 mg)" after a vitamin D tablet reads as a fault.
        text = f"{names[:80]}" + (f" (Ca {total:,.0f} mg)" if total >= 0.5 else "")
        days = {entry.at.date() for entry in entries}
        if days != {coach.now().date()}:
            text += f", {coach.when_text(entries[0].at)}"
        fresh = coach.new_conflicts_from(entries, known=self.summary)
        severity: Literal["information", "error", "warning"] = "information"
        if fresh:
            first = fresh[0]
            more = f" (+{len(fresh) - 1} more)" if len(fresh) > 1 else ""
            text += f"\n⚠ New conflict{more}: {first.message}\nFix: {first.suggestion}\nc: every conflict of the day"
            severity = "error" if any(c.severity == "danger" for c in fresh) else "warning"
        self.notify(text, title="Logged", severity=severity, timeout=12 if fresh else 4)

    def action_show_conflicts(self) -> None:
        """The day's conflicts, each with why, the fix and the source."""
        from bonecoach.tui.screens.help import HelpScreen

        summary = self.summary
        if summary is None or not summary.conflicts:
            self.notify("No conflicts on this day.")
            return
        self.app.push_screen(HelpScreen(conflicts_text(summary)))

    def action_show_plan(self) -> None:
        """The day's timetable for the regimen."""
        from bonecoach.tui.screens.help import HelpScreen

        plan = coach_of(self).plan(self.day)
        self.app.push_screen(HelpScreen(plan_text(plan)))

    def action_show_sources(self) -> None:
        """Where each target comes from."""
        from bonecoach.tui.screens.help import HelpScreen

        targets = coach_of(self).targets(self.day or coach_of(self).now().date())
        self.app.push_screen(HelpScreen(sources_text(targets)))

    @on(DataTable.RowSelected, "#timeline")
    def edit_selected_row(self) -> None:
        """Enter on the timeline edits the entry."""
        self.action_edit_entry()
