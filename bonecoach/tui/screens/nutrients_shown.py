"""Which nutrients Today and Week show: a checklist (space or enter ticks, ctrl+s saves). A hidden
nutrient is still counted, exported, reported and in every ``--json`` output."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import SelectionList, Static

from bonecoach.domain.nutrient_info import NUTRIENT_INFO, NUTRIENT_KEYS


class NutrientsShownScreen(ModalScreen[list[str] | None]):
    """Closes with the nutrients to hide, or ``None`` (escape: nothing changes)."""

    AUTO_FOCUS = "#nutrients-shown"
    BINDINGS = [Binding("escape", "cancel", "Cancel"), Binding("ctrl+s", "save", "Save", priority=True)]

    def __init__(self, hidden: frozenset[str]) -> None:
        super().__init__()
        self.hidden = hidden

    def compose(self) -> ComposeResult:
        """The nutrients, ticked when shown."""
        with Vertical(classes="modal-form", id="nutrients-form"):
            yield Static("[b]Nutrients shown on Today and Week[/b] [dim](space or enter ticks, ctrl+s saves, "
                         "escape leaves them as they were; hidden ones are still counted and exported)[/dim]")  # fmt: skip
            yield SelectionList[str](
                *[(f"{NUTRIENT_INFO[key].label} ({NUTRIENT_INFO[key].unit})", key, key not in self.hidden)
                  for key in NUTRIENT_KEYS],
                id="nutrients-shown",
            )  # fmt: skip

    def action_save(self) -> None:
        """Close with the unticked nutrients."""
        shown = set(self.query_one(SelectionList).selected)
        self.dismiss([key for key in NUTRIENT_KEYS if key not in shown])

    def action_cancel(self) -> None:
        """Close; nothing changes."""
        self.dismiss(None)
