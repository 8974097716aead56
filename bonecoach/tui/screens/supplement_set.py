"""A saved set of supplements ("morning": calcium citrate and vitamin D), made or changed in the
app: type a product's name, enter adds it with the doses typed, d takes the selected one out,
ctrl+s saves the set under its name."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, Input, Static
from textual.widgets.option_list import Option

from bonecoach.domain.amounts import parse_number
from bonecoach.domain.errors import InputError
from bonecoach.services.data import StorageError
from bonecoach.tui.widgets.type_ahead_list import TypeAheadList

if TYPE_CHECKING:
    from bonecoach.services.coach import Coach


class SupplementSetScreen(ModalScreen[str | None]):
    """Make or change a set: its name, its products with their doses. Closes with the saved name."""

    AUTO_FOCUS = "#set-name"
    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("ctrl+s", "save", "Save set", priority=True),
        Binding("d,delete", "remove", "Remove", tooltip="Take the selected product out of the set"),
    ]

    def __init__(self, coach: Coach, name: str | None = None) -> None:
        super().__init__()
        self.coach = coach
        self.set_name = name or ""
        self.items: dict[str, float] = dict(coach.supplement_sets().get(self.set_name, []))
        self.names = {product.id: product.name for product in coach.supplements()}

    def compose(self) -> ComposeResult:
        """The set's name, its products, and the products to add from."""
        with Vertical(classes="modal-form", id="set-form"):
            yield Static("[b]Supplement set[/b] [dim](type a product, enter adds it; d removes; ctrl+s saves)[/dim]")
            yield Input(self.set_name, placeholder="set name, e.g. morning", id="set-name", compact=True)
            table: DataTable[str | Text] = DataTable(id="set-items", cursor_type="row", zebra_stripes=True)
            table.add_columns("In the set", "Doses")
            yield table
            with Horizontal(classes="form-line"):
                yield Input(placeholder="doses (1)", id="set-doses", compact=True)
            yield TypeAheadList(*[Option(Text(name), id=pid) for pid, name in self.names.items()], id="set-choices")
            yield Static(id="set-error", classes="error")
            with Horizontal(classes="buttons"):
                yield Button("Save (ctrl+s)", id="set-save", variant="primary", compact=True)
                yield Button("Close (escape)", id="set-close", compact=True)

    def on_mount(self) -> None:
        """Show what the set holds."""
        self._fill()

    def _fill(self) -> None:
        table = cast("DataTable[str | Text]", self.query_one("#set-items", DataTable))
        table.clear()
        for pid, doses in self.items.items():
            table.add_row(Text(self.names.get(pid, pid)), f"{doses:g}", key=pid)

    @on(TypeAheadList.Typed, "#set-choices")
    def jump_to_typed(self, event: TypeAheadList.Typed) -> None:
        """Letters typed go to the first product whose name has a word starting with them."""
        found = self.coach.supplement_typed_ahead(event.text)
        error = self.query_one("#set-error", Static)
        if found is None:
            error.update(Text(f"No product matches {event.text!r} (backspace takes a letter back)."))
            return
        error.update("")
        event.control.highlighted = event.control.get_option_index(found)

    @on(TypeAheadList.OptionSelected, "#set-choices")
    def add_chosen(self, event: TypeAheadList.OptionSelected) -> None:
        """Add the chosen product with the doses typed (1 if none); again replaces its doses."""
        doses_text = self.query_one("#set-doses", Input).value.strip()
        try:
            doses = parse_number(doses_text, "Doses") if doses_text else 1.0
            if doses <= 0:
                raise InputError("Doses must be more than 0.")
        except InputError as exc:
            self.query_one("#set-error", Static).update(Text(str(exc)))
            return
        self.items[event.option.id or ""] = doses
        self.query_one("#set-error", Static).update("")
        self._fill()

    def action_remove(self) -> None:
        """Take the selected product out of the set."""
        table = self.query_one("#set-items", DataTable)
        if self.focused is not table or table.row_count == 0:
            return
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        self.items.pop(row_key.value or "", None)
        self._fill()

    @on(Button.Pressed, "#set-save")
    @on(Input.Submitted, "#set-name")
    def action_save(self) -> None:
        """Save the set under its name (the same name replaces it); a rename keeps no old copy."""
        name = self.query_one("#set-name", Input).value
        try:
            saved = self.coach.save_supplement_set(name, list(self.items.items()))
            if self.set_name and saved != self.set_name:
                self.coach.delete_supplement_set(self.set_name)
        except (InputError, StorageError) as exc:
            self.query_one("#set-error", Static).update(Text(str(exc)))
            return
        self.dismiss(saved)

    @on(Button.Pressed, "#set-close")
    def action_close(self) -> None:
        """Close without saving what was not saved."""
        self.dismiss(None)
