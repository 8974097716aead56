"""The day the Log tab logs into: shown above the search, changed with ``[`` / ``]`` from any
field, taken from Today on entering the tab and handed back to it on leaving; each time field
keeps, per day, the time typed last (the next log on that day keeps it)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Input, Static

from bonecoach.tui.changes import coach_of

DAY_KEYS = "[]"  # change the day to log into, from any field of the pane
TIME_FIELDS = ("#when", "#supplement-when")


class LogField(Input):
    """A Log field in which ``[`` and ``]`` change the day to log into: no food, amount or time
    is written with them, so they can be keys here as on Today."""

    def check_consume_key(self, key: str, character: str | None) -> bool:
        """Leave ``[`` and ``]`` to the pane's bindings."""
        return character not in tuple(DAY_KEYS) and super().check_consume_key(key, character)

    async def _on_key(self, event: events.Key) -> None:
        if event.character is not None and event.character in DAY_KEYS:
            event.prevent_default()  # not typed: the pane's binding takes it


class LogDay(Horizontal):
    """The Log pane's day to log into (the pane builds on this)."""

    BINDINGS = [
        Binding("left_square_bracket", "day_before", "Day before", tooltip="Log into the day before", show=False),
        Binding("right_square_bracket", "day_after", "Day after", tooltip="Log into the day after (up to today)",
                show=False),
    ]  # fmt: skip

    log_day: date | None = None
    """The day logged into; ``None``: today (until the tab is left for Today)."""

    entered = False
    """Whether the day was taken from Today on this visit (or chosen here): it stays until the tab
    is left for Today."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.kept_times: dict[tuple[str, date], str] = {}
        """The time last typed in each time field, per day: the next log on that day keeps it."""

    def day_to_log(self) -> date:
        """The day a log goes into (a time typed without a day is on it)."""
        return self.log_day or coach_of(self).now().date()

    def enter_from(self, day: date | None) -> None:
        """Come from Today showing ``day``: log into it, unless a day was chosen here already."""
        if not self.entered and day is not None:
            self._switch_day(day)
        self.entered = True

    def leave_for_today(self) -> date | None:
        """Back to Today: the day chosen here (Today shows it), and the next visit starts afresh:
        today, no time kept."""
        day = self.log_day
        self.log_day = None
        self.entered = False
        self.kept_times.clear()
        for field in TIME_FIELDS:
            self.query_one(field, Input).value = ""
        self._show_log_day()
        return day

    def action_day_before(self) -> None:
        """Log into the day before."""
        self._step_day(-1)

    def action_day_after(self) -> None:
        """Log into the day after (not beyond today)."""
        self._step_day(1)

    def _step_day(self, step: int) -> None:
        day = self.day_to_log() + timedelta(days=step)
        if day > coach_of(self).now().date():
            self.notify("Today is the last day to log into.")
            return
        self.entered = True
        self._switch_day(day)

    def _switch_day(self, day: date) -> None:
        old = self.day_to_log()
        for field in TIME_FIELDS:
            self.kept_times[(field, old)] = self.query_one(field, Input).value
        self.log_day = None if day == coach_of(self).now().date() else day
        for field in TIME_FIELDS:
            self.query_one(field, Input).value = self.kept_times.get((field, day), "")
        self._show_log_day()

    def _show_log_day(self) -> None:
        coach = coach_of(self)
        day = self.day_to_log()
        ago = (coach.now().date() - day).days
        said = "today" if ago == 0 else "yesterday" if ago == 1 else f"{ago} days ago"
        label = self.query_one("#log-day", Static)
        label.set_class(ago > 0, "past")
        self.query_one("#when", Input).placeholder = ("when: now, 8am, 2h ago" if ago == 0
                                                      else f"when on {day:%a %d}: 7:30, 8am")  # fmt: skip
        self.query_one("#supplement-when", Input).placeholder = "when: now" if ago == 0 else f"when on {day:%a %d}"
        label.update(Text.assemble(("Logging into ", "dim"), (f"{day:%a %d %b}", "bold"), f" ({said})",
                                   ("  [ ] change day", "dim")))  # fmt: skip

    def _moment(self, field: str) -> datetime:
        """When the next log happened, from a time field and the day logged into."""
        return coach_of(self).moment_on(self._typed(field), self.day_to_log())

    def _typed(self, field: str) -> str | None:
        """What is typed in a time field (kept: the next log on this day keeps it), if anything."""
        text = self.query_one(field, Input).value.strip()
        self.kept_times[(field, self.day_to_log())] = text
        return text or None
