"""Small modal pickers: choose one of a list, or type a name."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option


class ChoiceScreen(ModalScreen[str | None]):
    """A title, a list of (id, text) choices; enter picks one, escape none."""

    AUTO_FOCUS = "#choices"
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, choices: list[tuple[str, str]], empty: str = "Nothing to choose from.") -> None:
        super().__init__()
        self.title_text, self.choices, self.empty = title, choices, empty

    def compose(self) -> ComposeResult:
        """The title and the choices (or why there are none)."""
        with Vertical(classes="modal-form choice-form"):
            yield Static(self.title_text)
            if self.choices:
                yield OptionList(*[Option(text, id=choice_id) for choice_id, text in self.choices], id="choices")
            else:
                yield Static(self.empty, classes="error")

    @on(OptionList.OptionSelected, "#choices")
    def chosen(self, event: OptionList.OptionSelected) -> None:
        """Close with the chosen item."""
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        """Close with nothing chosen."""
        self.dismiss(None)


class NameScreen(ModalScreen[str | None]):
    """Ask for a name."""

    AUTO_FOCUS = "#name"
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, placeholder: str = "") -> None:
        super().__init__()
        self.title_text, self.placeholder = title, placeholder

    def compose(self) -> ComposeResult:
        """The prompt and the name field."""
        with Vertical(classes="modal-form"):
            yield Static(self.title_text)
            yield Input(placeholder=self.placeholder, id="name", compact=True)

    @on(Input.Submitted, "#name")
    def named(self, event: Input.Submitted) -> None:
        """Close with the name typed."""
        if event.value.strip():
            self.dismiss(event.value.strip())

    def action_cancel(self) -> None:
        """Close with no name."""
        self.dismiss(None)
