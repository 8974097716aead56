"""Export the clinician report: choose the period and the format, then where to save it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, RadioButton, RadioSet, Static

from bonecoach.domain.errors import InputError

PERIOD_LABELS = {
    "shown": "The week shown",
    "month": "The last month",
    "since-scan": "Since the last DEXA scan",
    "year": "The last 12 months",
}
FORMAT_LABELS = {"html": "Web page (HTML, with charts)", "md": "Markdown (plain text)"}
Dates = Callable[[str], tuple[date, date]]  # a period name: its first and last day, or InputError
Save = Callable[[date, date, str, Path], Path]  # writes the report; InputError when it cannot
DefaultPath = Callable[[date, date, str], Path]


class ReportScreen(ModalScreen[Path | None]):
    """Period and format as radio choices; the file name follows them until the user edits it."""

    AUTO_FOCUS = "#report-period"
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, dates: Dates, save: Save, default_path: DefaultPath) -> None:
        super().__init__()
        self.dates, self.save_report, self.default_path = dates, save, default_path
        self.period, self.fmt = "shown", "html"
        self._suggested = ""

    def compose(self) -> ComposeResult:
        """Period and format choices, the file name, and save."""
        with Vertical(classes="modal-form", id="report-form"):
            yield Static("[b]Report for your clinician[/b]")
            with RadioSet(id="report-period"):
                for key, label in PERIOD_LABELS.items():
                    yield RadioButton(label, value=key == self.period, id=f"period-{key}")
            with RadioSet(id="report-format"):
                for key, label in FORMAT_LABELS.items():
                    yield RadioButton(label, value=key == self.fmt, id=f"format-{key}")
            yield Static(id="report-dates", classes="dim")
            yield Input(id="report-path", placeholder="file to write")
            yield Static(id="report-error", classes="error")
            with Horizontal(classes="buttons"):
                yield Button("Save report", id="save-report", variant="primary", compact=True)
                yield Button("Cancel", id="cancel-report", compact=True)

    def on_mount(self) -> None:
        """Show the default choice and its file name."""
        self._refresh_choice()

    @on(RadioSet.Changed)
    def choice_changed(self, event: RadioSet.Changed) -> None:
        """A period or format chosen: the file name follows."""
        chosen = (event.pressed.id or "").split("-", 1)[1]
        if event.radio_set.id == "report-period":
            self.period = chosen
        else:
            self.fmt = chosen
        self._refresh_choice()

    def _refresh_choice(self) -> None:
        error = self.query_one("#report-error", Static)
        try:
            start, end = self.dates(self.period)
        except InputError as exc:
            error.update(str(exc))
            self.query_one("#report-dates", Static).update("")
            return
        error.update("")
        self.query_one("#report-dates", Static).update(f"{start:%d %b %Y} to {end:%d %b %Y}")
        path_input = self.query_one("#report-path", Input)
        if path_input.value in ("", self._suggested):  # keep a name the user typed
            self._suggested = str(self.default_path(start, end, self.fmt))
            path_input.value = self._suggested

    @on(Button.Pressed, "#save-report")
    @on(Input.Submitted, "#report-path")
    def save(self) -> None:
        """Save the report; a problem is shown on the form."""
        error = self.query_one("#report-error", Static)
        text = self.query_one("#report-path", Input).value.strip()
        if not text:
            error.update("Give a file to write the report to.")
            return
        try:
            start, end = self.dates(self.period)
            written = self.save_report(start, end, self.fmt, Path(text))
        except InputError as exc:
            error.update(str(exc))
            return
        self.dismiss(written)

    @on(Button.Pressed, "#cancel-report")
    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(None)
