"""When you can exercise each weekday, and what equipment you have."""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, SelectionList, Static

from bonecoach.domain.exercise import Window

DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
EQUIPMENT = ("resistance band", "dumbbells", "elliptical")
Save = Callable[[dict[int, tuple[str, str]], set[str]], str | None]


class ExerciseSetupScreen(ModalScreen[bool]):
    """A start time and minutes per weekday (empty = no exercise that day), and equipment."""

    AUTO_FOCUS = "#start-0"
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, windows: list[Window], equipment: set[str], save: Save) -> None:
        super().__init__()
        self.windows = {w.weekday: w for w in windows}
        self.equipment = equipment
        self.save_setup = save

    def compose(self) -> ComposeResult:
        """A start time and minutes per weekday, and the equipment at hand."""
        with Vertical(classes="modal-form", id="setup-form"):
            yield Static("[b]When can you exercise?[/b] [dim](leave a day empty for none; minutes 10-240)[/dim]")
            with Grid(id="setup-grid"):
                for day, name in enumerate(DAY_NAMES):
                    window = self.windows.get(day)
                    yield Label(name)
                    yield Input(
                        f"{window.start:%H:%M}" if window else "", placeholder="HH:MM", id=f"start-{day}", compact=True
                    )
                    yield Input(
                        str(window.minutes) if window else "", placeholder="min", id=f"minutes-{day}", compact=True
                    )
            yield Static("[b]Equipment[/b] [dim](space selects; chair, counter, wall and stairs are assumed)[/dim]")
            yield SelectionList[str](*[(item, item, item in self.equipment) for item in EQUIPMENT], id="equipment")
            yield Static(id="setup-error", classes="error")
            with Horizontal(classes="buttons"):
                yield Button("Save", id="save-setup", variant="primary", compact=True)
                yield Button("Cancel", id="cancel-setup", compact=True)

    @on(Button.Pressed, "#save-setup")
    @on(Input.Submitted)
    def save(self) -> None:
        """Save the times and equipment; a problem is shown on the form."""
        rows = {
            day: (self.query_one(f"#start-{day}", Input).value, self.query_one(f"#minutes-{day}", Input).value)
            for day in range(7)
        }
        error = self.save_setup(rows, set(self.query_one("#equipment", SelectionList).selected))
        if error:
            self.query_one("#setup-error", Static).update(error)
            return
        self.dismiss(True)

    @on(Button.Pressed, "#cancel-setup")
    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(False)
