"""See and override each nutrient's target and limit."""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from bonecoach.domain.nutrient_info import NUTRIENT_INFO, NUTRIENT_KEYS
from bonecoach.domain.targets import Target

# nutrient key -> (target text, limit text); None where that field was not changed.
Changes = dict[str, tuple[str | None, str | None]]


def _shown(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


class TargetsScreen(ModalScreen[bool]):
    """One row per nutrient: target and limit, prefilled; empty means the guideline's value."""

    AUTO_FOCUS = "#target-calcium_mg"
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, targets: dict[str, Target], save: Callable[[Changes], str | None]) -> None:
        super().__init__()
        self.targets = targets
        self.save_changes = save

    def compose(self) -> ComposeResult:
        """A target and a limit field per nutrient, as they stand."""
        with Vertical(id="targets-form", classes="modal-form"):
            yield Static("[b]Your targets[/b]  (change a value to override it; clear it to go back to the guideline)")
            with Grid(id="targets-grid"):
                yield Label("")
                yield Label("target")
                yield Label("limit")
                for key in NUTRIENT_KEYS:
                    info, target = NUTRIENT_INFO[key], self.targets[key]
                    mark = " *" if target.overridden else ""
                    yield Label(f"{info.label} {info.unit}{mark}")
                    yield Input(_shown(target.target), id=f"target-{key}", compact=True)
                    yield Input(_shown(target.upper_limit), id=f"limit-{key}", compact=True)
            yield Static("[dim]* your override. Check changes with your clinician.[/dim]")
            yield Static(id="targets-error", classes="error")
            with Horizontal(classes="buttons"):
                yield Button("Save", id="save-targets", variant="primary", compact=True)
                yield Button("Cancel", id="cancel-targets", compact=True)

    @on(Button.Pressed, "#save-targets")
    @on(Input.Submitted)
    def save(self) -> None:
        """Save the edits; a problem is shown on the form."""
        changes: Changes = {}
        for key in NUTRIENT_KEYS:
            target = self.query_one(f"#target-{key}", Input).value.strip()
            limit = self.query_one(f"#limit-{key}", Input).value.strip()
            old_target, old_limit = _shown(self.targets[key].target), _shown(self.targets[key].upper_limit)
            if (target, limit) != (old_target, old_limit):
                changes[key] = (None if target == old_target else target, None if limit == old_limit else limit)
        error = self.save_changes(changes)
        if error:
            self.query_one("#targets-error", Static).update(error)
            return
        self.dismiss(bool(changes))

    @on(Button.Pressed, "#cancel-targets")
    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(False)
