"""Letters typed in a burst on Today are a food's name, not shortcuts.

Today's keys are single letters (``e`` edit, ``s`` sources, ``p`` profile...). A person who
starts typing "spinach" there by mistake used to open the sources, then the profile, and type the
rest into its fields. Letters less than ``BURST_SECONDS`` apart are typing once one of them has
opened a dialog: the dialog is closed, and the letters so far, and those that follow, go to the
Log tab's food search. Quick letters that open nothing ("d" then "u") stay shortcuts.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from textual import events
from textual.widgets import Input, TabbedContent

if TYPE_CHECKING:
    from bonecoach.tui.app import BonecoachApp

BURST_SECONDS = 0.12
"""Two letters closer than this are typed, not chosen (a typist's letters come 60-120 ms apart
at 100-200 words a minute; deliberate shortcuts, read on screen first, come far slower)."""


class TypingBurst:
    """Watches the letters typed on Today, outside any field and dialog."""

    def __init__(self, app: BonecoachApp, clock: Callable[[], float] = time.monotonic) -> None:
        self._app = app
        self._clock = clock
        self._letters = ""
        self._last = -1.0
        self._stack = 0
        self._moved = False

    async def takes(self, event: events.Event) -> bool:
        """Whether ``event`` is part of a burst of typing (handled here: not a shortcut)."""
        if not isinstance(event, events.Key) or event.is_forwarded:
            return False
        character = event.character
        now = self._clock()
        typing = character is not None and (character.isalpha() or (character == " " and self._letters))
        if not typing or not self._letters or now - self._last > BURST_SECONDS:
            self._letters = ""
            if typing and character is not None and character.isalpha() and self._on_today():
                self._letters, self._last, self._stack, self._moved = character, now, len(self._app.screen_stack), False
            return False
        assert character is not None
        self._letters += character
        self._last = now
        if not self._moved:
            if len(self._app.screen_stack) <= self._stack:
                return False  # nothing opened yet: quick shortcuts ("d" then "u") stay shortcuts
            await self._move_to_search()
        else:
            self._search(None, append=character)
        return True

    def _on_today(self) -> bool:
        app = self._app
        if len(app.screen_stack) != 1 or isinstance(app.focused, Input):
            return False
        return app.query_one(TabbedContent).active == "today"

    async def _move_to_search(self) -> None:
        while len(self._app.screen_stack) > self._stack:  # what the first letter opened
            await self._app.pop_screen()
        self._moved = True
        self._search(self._letters)

    def _search(self, text: str | None, append: str = "") -> None:
        from bonecoach.tui.panes import LogPane

        self._app.query_one(TabbedContent).active = "log"
        self._app.with_pane(LogPane, lambda pane: pane.type_in_search(text, append))
