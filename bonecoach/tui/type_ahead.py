"""Keys and clicks that come before the app can take them, kept and replayed in order.

The app draws its first frame before the database is open and the panes are built; a person may
already be typing ("2", then a food's name). Those events wait here, and are replayed one at a time
once everything is ready, each after the last one's effects have settled.
"""

from __future__ import annotations

import asyncio

from textual import events
from textual.app import App

HELD = (events.Key, events.Paste, events.MouseDown, events.MouseUp, events.Click,
        events.MouseScrollDown, events.MouseScrollUp)  # fmt: skip
"""What carries intent. Mouse moves only hover: they pass (replaying each would slow the start)."""
SETTLE_ROUNDS = 3
"""A key's effects take up to three hops: the key, the action's focus change, the Focus event."""


class TypeAhead:
    """Holds input events until ``release``; then replays them and lets new ones through."""

    def __init__(self, app: App[None]) -> None:
        self._app = app
        self._held: list[events.Event] = []
        self._replaying: events.Event | None = None
        self._replay: asyncio.Task[None] | None = None
        self.released = False
        """True once every held event has been replayed: input goes straight through."""

    @property
    def waiting(self) -> tuple[events.Event, ...]:
        """The events held, oldest first."""
        return tuple(self._held)

    def holds(self, event: events.Event) -> bool:
        """Keep ``event`` for later if it came too early (True), or let it through (False)."""
        if self.released or not isinstance(event, HELD) or event.is_forwarded:
            return False
        if event is self._replaying:
            return False
        self._held.append(event)
        return True

    def release(self) -> None:
        """Replay what was held (once), then let everything through."""
        if not self.released and self._replay is None:
            self._replay = asyncio.create_task(self._replay_held())

    async def _replay_held(self) -> None:
        # "2" then "cheddar": the 2 moves the focus to the food search, and the search box
        # selects its text when it gains focus; a letter sent before that would be overwritten.
        while self._held:
            self._replaying = self._held.pop(0)
            self._app.post_message(self._replaying)
            for _ in range(SETTLE_ROUNDS):
                await self._settle()
        self.released = True

    async def _settle(self) -> None:
        """Wait until the app and every widget on screen have handled what was sent to them."""
        nodes = [self._app, *self._app.screen.walk_children(with_self=True)]
        waiting = [asyncio.get_running_loop().create_future() for _ in nodes]
        for node, future in zip(nodes, waiting, strict=True):
            if not node.call_later(future.set_result, None):
                future.set_result(None)  # closed: nothing to wait for
        await asyncio.wait(waiting, timeout=1.0)
