"""A list that jumps as you type: letters typed while it has focus build a prefix ("lev") that
the owner turns into a highlighted option; a pause starts a new prefix."""

from __future__ import annotations

import time

from textual import events
from textual.message import Message
from textual.widgets import OptionList

RESTART_SECONDS = 1.0
"""A pause this long between letters starts a new prefix (as in a file manager's list)."""


class TypeAheadList(OptionList):
    """An option list with type-ahead: each letter posts ``Typed`` with the prefix so far."""

    class Typed(Message):
        """The prefix typed so far in the list."""

        def __init__(self, type_ahead_list: TypeAheadList, text: str) -> None:
            super().__init__()
            self.type_ahead_list = type_ahead_list
            self.text = text

        @property
        def control(self) -> TypeAheadList:
            """The list typed in."""
            return self.type_ahead_list

    typed = ""
    """The prefix typed so far (a pause, or a key that is not a letter, starts a new one)."""
    _last_key = 0.0

    def check_consume_key(self, key: str, character: str | None) -> bool:
        """Letters, digits and spaces are typed into the prefix, not taken as shortcuts."""
        return character is not None and (character.isalnum() or character == " ")

    async def _on_key(self, event: events.Key) -> None:
        character = event.character
        if event.key == "backspace" and self.typed:
            self.typed = self.typed[:-1]
        elif character is not None and (character.isalnum() or (character == " " and self.typed)):
            now = time.monotonic()
            if now - self._last_key > RESTART_SECONDS:
                self.typed = ""
            self._last_key = now
            self.typed += character
        else:
            self.typed = ""  # enter, an arrow: the next letter starts afresh
            return
        event.stop()
        event.prevent_default()
        self.post_message(self.Typed(self, self.typed))
