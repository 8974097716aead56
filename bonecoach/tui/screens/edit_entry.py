"""Change an entry's amount, time or meal."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from bonecoach.domain.models import Entry, MealSlot


@dataclass
class EntryChanges:
    """What the user typed; the services validate it."""

    amount: str
    at: str
    meal: str


class EditEntryScreen(ModalScreen[Entry | None]):
    """A small form over one entry; ``apply`` saves the changes or returns why it could not."""

    AUTO_FOCUS = "#edit-amount"  # the app's own AUTO_FOCUS names a Today widget, absent here
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, entry: Entry, apply: Callable[[Entry, EntryChanges], Entry | str]) -> None:
        super().__init__()
        self.entry = entry
        self.apply = apply

    def compose(self) -> ComposeResult:
        """The entry's amount, time and meal."""
        entry = self.entry
        unit = "grams" if entry.kind == "food" else "doses"
        amount = entry.grams if entry.kind == "food" else entry.doses
        with Vertical(id="edit-form", classes="modal-form"):
            yield Static(Text.assemble(("Edit ", "bold"), entry.name))
            yield Label(f"Amount ({unit})")
            yield Input(value=f"{amount:g}" if amount else "", id="edit-amount", compact=True)
            yield Label("When")
            yield Input(value=f"{entry.at:%Y-%m-%d %H:%M}", id="edit-at", compact=True)
            yield Label("Meal")
            yield Select(
                [(slot.value, slot.value) for slot in MealSlot],
                id="edit-meal",
                value=entry.meal.value,
                allow_blank=False,
            )
            yield Static(id="edit-error", classes="error")
            with Horizontal(classes="buttons"):
                yield Button("Save", id="save-entry", variant="primary", compact=True)
                yield Button("Cancel", id="cancel-entry", compact=True)

    @on(Button.Pressed, "#save-entry")
    @on(Input.Submitted)
    def save(self) -> None:
        """Save the changes; a problem is shown on the form."""
        changes = EntryChanges(
            amount=self.query_one("#edit-amount", Input).value,
            at=self.query_one("#edit-at", Input).value,
            meal=str(self.query_one("#edit-meal", Select).value),
        )
        result = self.apply(self.entry, changes)
        if isinstance(result, str):
            # Refused: keep the form open with the reason, nothing stored.
            self.query_one("#edit-error", Static).update(result)
            return
        self.dismiss(result)

    @on(Button.Pressed, "#cancel-entry")
    def action_cancel(self) -> None:
        """Close without changing the entry."""
        self.dismiss(None)
