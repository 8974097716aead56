"""Your regimen: the medicines and supplements you take and how often, and your usual day.

The day plan (``a`` on Today) and Next up are built from these; every change is saved at once.
"""

from __future__ import annotations

import calendar
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, Input, Label, Select, Static

from bonecoach.domain.errors import InputError
from bonecoach.services.data import StorageError

if TYPE_CHECKING:
    from bonecoach.services.coach import Coach

TIMES = ("wake", "breakfast", "lunch", "dinner", "bed")
FREQUENCIES = [("daily", "daily"), ("weekly", "weekly"), ("monthly", "monthly"), ("every 6 months", "every-6-months"),
               ("yearly", "yearly")]  # fmt: skip


class RegimenScreen(ModalScreen[bool]):
    """A table of what you take (enter edits, d removes), a line to add or change one, your times."""

    AUTO_FOCUS = "#regimen-items"
    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("ctrl+s", "save_times", "Save times", priority=True),
        Binding("d,delete", "remove", "Remove", tooltip="Take the selected item out of the regimen"),
    ]

    def __init__(self, coach: Coach) -> None:
        super().__init__()
        self.coach = coach
        self.changed = False

    def compose(self) -> ComposeResult:
        """The regimen's items, a row to add one, and the usual times of the day."""
        times = self.coach.regimen().times
        choices = [(Text(f"℞ {m.name}"), f"medication:{m.id}") for m in self.coach.medications]
        choices += [(Text(s.name), f"supplement:{s.id}") for s in self.coach.supplements()]
        with Vertical(classes="modal-form", id="regimen-form"):
            yield Static("[b]Your regimen[/b] [dim](enter on a row edits it, d removes it; escape closes)[/dim]")
            table: DataTable[str | Text] = DataTable(id="regimen-items", cursor_type="row", zebra_stripes=True)
            table.add_columns("What", "Doses", "How often")
            yield table
            yield Label("[b]Add or change[/b] [dim](weekly: on mon..sun; monthly: on 1-31; blank = today's)[/dim]")
            with Horizontal(classes="form-line"):
                yield Select(choices, id="regimen-what", prompt="medicine or supplement", compact=True)
                yield Input(placeholder="doses (1)", id="regimen-doses", compact=True)
                yield Select(FREQUENCIES, id="regimen-frequency", value="daily", allow_blank=False, compact=True)
                yield Input(placeholder="on", id="regimen-on", compact=True)
            yield Static(id="regimen-item-error", classes="error")
            with Horizontal(classes="buttons"):
                yield Button("Add / update", id="regimen-add", variant="primary", compact=True)
            yield Label("[b]Your usual day[/b] [dim](HH:MM; ctrl+s saves)[/dim]")
            with Horizontal(classes="form-line", id="regimen-times"):
                for name in TIMES:
                    yield Label(name)
                    yield Input(f"{getattr(times, name):%H:%M}", placeholder="HH:MM", id=f"time-{name}", compact=True)
            yield Static(id="regimen-times-error", classes="error")
            yield Static(id="regimen-said")
            with Horizontal(classes="buttons"):
                yield Button("Save times (ctrl+s)", id="regimen-save-times", compact=True)
                yield Button("Close (escape)", id="regimen-close", compact=True)

    def on_mount(self) -> None:
        """Show the stored regimen and times."""
        self._fill()

    def say(self, message: str, severity: str) -> None:
        """What the app would have said in a notice, on the dialog's own line (notices never
        cover a dialog)."""
        said = self.query_one("#regimen-said", Static)
        said.set_class(severity == "error", "error")
        said.update(Text(message))

    def _fill(self) -> None:
        regimen = self.coach.regimen()
        names = {m.id: f"℞ {m.name}" for m in self.coach.medications} | {s.id: s.name for s in self.coach.supplements()}
        table = cast("DataTable[str | Text]", self.query_one("#regimen-items", DataTable))
        table.clear()
        for item in regimen.items:
            doses = f"{item.doses:g}" if item.kind == "supplement" else ""
            table.add_row(Text(names.get(item.ref, item.ref)), doses, item.describe(), key=item.ref)
        if not regimen.items:
            table.add_row(Text("Nothing yet: choose a medicine or supplement below.", style="dim"), "", "", key="")

    def _selected_ref(self) -> str | None:
        table = self.query_one("#regimen-items", DataTable)
        if table.row_count == 0:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return row_key.value or None

    @on(DataTable.RowSelected, "#regimen-items")
    def edit_selected(self) -> None:
        """Load the selected item into the add line, to change its doses or frequency."""
        ref = self._selected_ref()
        item = next((i for i in self.coach.regimen().items if i.ref == ref), None)
        if item is None:
            self.query_one("#regimen-what", Select).focus()
            return
        self.query_one("#regimen-what", Select).value = f"{item.kind}:{item.ref}"
        self.query_one("#regimen-doses", Input).value = f"{item.doses:g}"
        self.query_one("#regimen-frequency", Select).value = item.frequency
        on_day = {"daily": "", "weekly": calendar.day_abbr[item.on_weekday].lower(), "monthly": str(item.on_monthday),
                  "every-6-months": "", "yearly": ""}  # fmt: skip
        self.query_one("#regimen-on", Input).value = on_day[item.frequency]
        self.query_one("#regimen-doses", Input).focus()

    @on(Button.Pressed, "#regimen-add")
    @on(Input.Submitted, "#regimen-doses, #regimen-on")
    def add_item(self) -> None:
        """Add (or change) a medicine or supplement as typed."""
        what = self.query_one("#regimen-what", Select).value
        error = self.query_one("#regimen-item-error", Static)
        if what is Select.NULL:
            error.update("Choose a medicine or supplement first.")
            self.query_one("#regimen-what", Select).focus()
            return
        kind, ref = str(what).split(":", 1)
        try:
            item = self.coach.schedule(kind, ref, self.query_one("#regimen-doses", Input).value,
                                       str(self.query_one("#regimen-frequency", Select).value),
                                       self.query_one("#regimen-on", Input).value)  # fmt: skip
        except (InputError, StorageError) as exc:
            error.update(str(exc))
            return
        error.update("")
        self.changed = True
        self._fill()
        self.notify(f"Saved: {ref}, {item.describe()}.", title="Regimen")

    def action_remove(self) -> None:
        """Take the selected item out of the regimen."""
        if self.focused is not self.query_one("#regimen-items"):
            return
        ref = self._selected_ref()
        if not ref:
            return
        try:
            self.coach.remove_from_regimen(ref)
        except (InputError, StorageError) as exc:
            self.notify(str(exc), severity="error")
            return
        self.changed = True
        self._fill()
        self.notify(f"Removed {ref} from your regimen.", title="Regimen")

    @on(Button.Pressed, "#regimen-save-times")
    @on(Input.Submitted, "#regimen-times Input")
    def action_save_times(self) -> None:
        """Save the usual times as typed."""
        error = self.query_one("#regimen-times-error", Static)
        try:
            saved = self.coach.set_day_times(**{name: self.query_one(f"#time-{name}", Input).value for name in TIMES})
        except (InputError, StorageError) as exc:
            error.update(str(exc))
            return
        error.update("")
        self.changed = True
        self.notify(f"Saved: wake {saved.times.wake:%H:%M}, bed {saved.times.bed:%H:%M}.", title="Your usual day")

    @on(Button.Pressed, "#regimen-close")
    def action_close(self) -> None:
        """Close, saying whether anything changed."""
        self.dismiss(self.changed)
