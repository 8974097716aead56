"""Forms for a DEXA result, a blood test and a fracture."""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from bonecoach.domain.bone import LAB_UNITS, SITE_LABELS
from bonecoach.domain.diagnosis import FRACTURE_LABELS

Save = Callable[[dict[str, str]], str | None]


class _Form(ModalScreen[bool]):
    """A small labelled form; ``save`` returns an error to show, or ``None`` when stored."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]
    TITLE_TEXT = ""
    FIELDS: list[tuple[str, str, str]] = []  # (id, label, placeholder)

    def __init__(self, save: Save, initial: dict[str, str] | None = None) -> None:
        super().__init__()
        self.save_form = save
        self.initial = initial or {}

    def on_mount(self) -> None:
        for field_id, value in self.initial.items():
            widget = self.query_one(f"#{field_id}")
            if isinstance(widget, (Input, Select)):
                widget.value = value

    def extra(self) -> ComposeResult:
        yield from ()

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-form record-form"):
            yield Static(self.TITLE_TEXT)
            with Grid(classes="record-grid"):
                yield from self.extra()
                for field_id, label, placeholder in self.FIELDS:
                    yield Label(label)
                    yield Input(placeholder=placeholder, id=field_id, compact=True)
            yield Static(id="form-error", classes="error")
            with Horizontal(classes="buttons"):
                yield Button("Save", id="save-record", variant="primary", compact=True)
                yield Button("Cancel", id="cancel-record", compact=True)

    def values(self) -> dict[str, str]:
        data = {field_id: self.query_one(f"#{field_id}", Input).value for field_id, _, _ in self.FIELDS}
        for select in self.query(Select):
            data[select.id or ""] = "" if select.value is Select.NULL else str(select.value)
        return data

    @on(Button.Pressed, "#save-record")
    @on(Input.Submitted)
    def save(self) -> None:
        error = self.save_form(self.values())
        if error:
            self.query_one("#form-error", Static).update(error)
            return
        self.dismiss(True)

    @on(Button.Pressed, "#cancel-record")
    def action_cancel(self) -> None:
        self.dismiss(False)


class ScanForm(_Form):
    """One site's DEXA result."""

    AUTO_FOCUS = "#scan-site"
    TITLE_TEXT = "[b]Add a DEXA result[/b] (one site; add each site on your report)"
    FIELDS = [("scan-date", "Date", "YYYY-MM-DD"), ("scan-tscore", "T-score", "e.g. -2.3"),
              ("scan-zscore", "Z-score (optional)", ""), ("scan-bmd", "BMD g/cm² (optional)", "e.g. 0.812"),
              ("scan-scanner", "Scanner (optional)", "the machine or clinic"),
              ("scan-lsc", "Facility LSC % (optional)", "e.g. 4.2")]  # fmt: skip

    def extra(self) -> ComposeResult:
        """The site chooser."""
        yield Label("Site")
        yield Select(
            [(label, key) for key, label in SITE_LABELS.items()], id="scan-site", prompt="choose", compact=True
        )


class LabForm(_Form):
    """A blood test result."""

    AUTO_FOCUS = "#lab-test"
    TITLE_TEXT = "[b]Add a blood test[/b]"
    FIELDS = [("lab-date", "Date", "YYYY-MM-DD"), ("lab-value", "Value", "")]

    def extra(self) -> ComposeResult:
        """The test and unit choosers."""
        yield Label("Test")
        yield Select(
            [("25(OH)D (vitamin D)", "25ohd"), ("serum calcium", "serum_calcium")],
            id="lab-test",
            prompt="choose",
            compact=True,
        )
        yield Label("Unit")
        yield Select([], id="lab-unit", prompt="choose the test first", compact=True)

    def on_mount(self) -> None:
        """A result being corrected: its test's units are offered before its own unit is set."""
        self._offer(self.initial.get("lab-test", ""))
        super().on_mount()

    @on(Select.Changed, "#lab-test")
    def offer_units(self, event: Select.Changed) -> None:
        """Only the units the chosen test is reported in (25(OH)D is never in mg/dL)."""
        self._offer(str(event.value))

    def _offer(self, test: str) -> None:
        units = LAB_UNITS.get(test, ())
        if not units:
            return
        unit = self.query_one("#lab-unit", Select)
        kept = unit.value if unit.value in units else None  # a unit already chosen stays chosen
        unit.set_options([(u, u) for u in units])
        unit.prompt = "choose"
        if kept is not None:
            unit.value = kept


class FractureForm(_Form):
    """A broken bone: where, when, how, and whether loading that limb is cleared."""

    AUTO_FOCUS = "#fracture-site"
    TITLE_TEXT = "[b]Add a fracture[/b] (it changes your bone status and exercise plan)"
    FIELDS = [("fracture-date", "Date", "YYYY-MM-DD (the 1st of the month will do)")]

    def extra(self) -> ComposeResult:
        """The site, how it happened, and clearance."""
        yield Label("Site")
        yield Select([(label, key) for key, label in FRACTURE_LABELS.items()], id="fracture-site", prompt="choose",
                     compact=True)  # fmt: skip
        yield Label("From a fall from standing height or less?")
        yield Select([("yes (low trauma)", "yes"), ("no (a major trauma)", "no"), ("not sure", "unsure")],
                     id="fracture-trauma", prompt="choose", compact=True)  # fmt: skip
        yield Label("Cleared to load that limb again?")
        yield Select([("not yet", "no"), ("yes, by my clinician", "yes")], id="fracture-cleared", value="no",
                     allow_blank=False, compact=True)  # fmt: skip
