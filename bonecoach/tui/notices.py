"""Notices never cover a dialog: what is said while one is open waits until it closes, unless
the dialog has a line of its own for it (``say``), and opening a dialog clears what was shown."""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

from textual.app import App
from textual.screen import ModalScreen, Screen


@runtime_checkable
class SaysInPlace(Protocol):
    """A dialog that shows its own messages on a line of its own."""

    def say(self, message: str, severity: str) -> None:
        """Show ``message`` in the dialog."""


class NoticeGate:
    """Holds the app's notices while a dialog is on top; shows them when it closes."""

    def __init__(self, app: App[Any]) -> None:
        self._app = app
        self.held: list[tuple[str, dict[str, Any]]] = []
        """Notices waiting for the dialog on top to close, oldest first."""

    def install(self) -> None:
        """Follow the screens as they change."""
        self._app.screen_change_signal.subscribe(self._app, self._screen_changed)

    def holds(self, message: str, options: dict[str, Any]) -> bool:
        """Keep ``message`` back (True) if a dialog is on top, saying it in the dialog if it can."""
        screen = self._app.screen if self._app.screen_stack else None
        if not isinstance(screen, ModalScreen):
            return False
        if isinstance(screen, SaysInPlace):
            screen.say(message, str(options.get("severity", "information")))
            return True
        self.held.append((message, options))
        return True

    def _screen_changed(self, screen: Screen[Any]) -> None:
        if isinstance(screen, ModalScreen):
            self._app.clear_notifications()  # what was said before the dialog does not sit on it
            return
        waiting, self.held = self.held, []
        for message, options in waiting:
            self._app.notify(message, **options)
