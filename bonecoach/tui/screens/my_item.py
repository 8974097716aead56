"""Add your own supplement or food from its label."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from bonecoach.domain.nutrient_info import NUTRIENT_INFO, NUTRIENT_KEYS

LEVELS = ("very_high", "high", "moderate", "low")


@dataclass
class ItemForm:
    """What the user typed; the services validate it."""

    kind: str
    name: str
    serving_label: str
    serving_grams: str
    nutrients: dict[str, str] = field(default_factory=dict)
    inhibitors: dict[str, str] = field(default_factory=dict)  # "oxalate" -> level, "" when not given


class MyItemScreen(ModalScreen[str | None]):
    """A label-shaped form: name, serving, nutrient amounts. ``save`` returns an error or the new id."""

    AUTO_FOCUS = "#item-name"
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, save: Callable[[ItemForm], tuple[bool, str]]) -> None:
        super().__init__()
        self.save_item = save

    def compose(self) -> ComposeResult:
        """Kind, name, serving, a field per nutrient, and the inhibitor levels (for a food)."""
        with Vertical(id="item-form", classes="modal-form"):
            yield Static("[b]Add your own[/b] supplement (per dose) or food (per serving), from its label")
            with Horizontal(classes="form-row"):
                yield Select(
                    [("supplement", "supplement"), ("food", "food")],
                    id="item-kind",
                    value="supplement",
                    allow_blank=False,
                    compact=True,
                )
                yield Input(placeholder="name", id="item-name", compact=True)
            with Horizontal(classes="form-row"):
                yield Input(placeholder="dose/serving label, e.g. 1 tablet", id="item-serving", compact=True)
                yield Input(placeholder="grams (foods)", id="item-grams", compact=True)
            with Grid(id="item-nutrients"):
                for key in NUTRIENT_KEYS:
                    info = NUTRIENT_INFO[key]
                    yield Label(f"{info.label} {info.unit}")
                    yield Input(placeholder="0", id=f"item-{key}", compact=True)
            with Horizontal(classes="form-row"):
                for kind in ("oxalate", "phytate"):
                    yield Select(
                        [(f"{kind}: {level.replace('_', ' ')}", level) for level in LEVELS],
                        id=f"item-{kind}", prompt=f"{kind} (foods, optional)", compact=True,
                    )  # fmt: skip
            yield Static(id="item-error", classes="error")
            with Horizontal(classes="buttons"):
                yield Button("Save", id="save-item", variant="primary", compact=True)
                yield Button("Cancel", id="cancel-item", compact=True)

    @on(Button.Pressed, "#save-item")
    @on(Input.Submitted)
    def save(self) -> None:
        """Save the item; a problem is shown on the form."""
        form = ItemForm(
            kind=str(self.query_one("#item-kind", Select).value),
            name=self.query_one("#item-name", Input).value,
            serving_label=self.query_one("#item-serving", Input).value,
            serving_grams=self.query_one("#item-grams", Input).value,
            nutrients={key: self.query_one(f"#item-{key}", Input).value for key in NUTRIENT_KEYS},
            inhibitors={kind: self._level(kind) for kind in ("oxalate", "phytate")},
        )
        ok, message = self.save_item(form)
        if not ok:
            self.query_one("#item-error", Static).update(message)
            return
        self.dismiss(message)

    def _level(self, kind: str) -> str:
        value = self.query_one(f"#item-{kind}", Select).value
        return value if isinstance(value, str) else ""

    @on(Button.Pressed, "#cancel-item")
    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(None)
