"""When a database file is damaged: say which and why, and offer the good backups."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from bonecoach.services.data import backups


class RecoveryScreen(ModalScreen[str | None]):
    """Shows the damage and the backups; dismisses with the backup chosen, or ``None``."""

    AUTO_FOCUS = "#backups"
    BINDINGS = [Binding("escape,q", "leave", "Quit, changing nothing")]

    def __init__(self, root: Path, problem: str) -> None:
        super().__init__()
        self.root = root
        self.problem = problem

    def compose(self) -> ComposeResult:
        """What is damaged, and the backups to restore, newest good one first."""
        good = [info for info in backups(self.root) if info.valid]
        with Vertical(id="recovery", classes="modal-form"):
            yield Static(f"[b]Your database needs attention[/b]\n{self.problem}")
            if good:
                yield Static("Choose a backup and press enter to restore it. The current files are moved aside "
                             "with a timestamp, never deleted. Or press q to quit and change nothing.")  # fmt: skip
                yield OptionList(
                    *[Option(f"{i.name}  ({i.entries} entries, {i.created})", id=i.name) for i in good], id="backups"
                )
            else:
                yield Static(
                    "No good backup was found. Nothing has been changed; keep the file for repair and press q."
                )

    @on(OptionList.OptionSelected, "#backups")
    def choose(self, event: OptionList.OptionSelected) -> None:
        """Restore the chosen backup."""
        self.dismiss(event.option.id)

    def action_leave(self) -> None:
        """Leave without changing anything."""
        self.dismiss(None)


class RecoveryApp(App[str | None]):
    """A minimal app for when the database cannot even be opened."""

    CSS_PATH = Path(__file__).parents[1] / "bonecoach.tcss"
    TITLE = "bonecoach: recovery"

    def __init__(self, root: Path, problem: str, restore: Callable[[str], str]) -> None:
        super().__init__()
        self.root, self.problem, self.restore = root, problem, restore

    def compose(self) -> ComposeResult:
        """Nothing of its own: the recovery screen is pushed on mount."""
        yield Footer()

    def on_mount(self) -> None:
        """Show the recovery screen; its choice ends the app."""
        # After the first refresh: pushed during mount, the screen's text was unreadably dark.
        self.call_after_refresh(self.push_screen, RecoveryScreen(self.root, self.problem), self._chosen)

    def _chosen(self, name: str | None) -> None:
        self.exit(self.restore(name) if name else None)
