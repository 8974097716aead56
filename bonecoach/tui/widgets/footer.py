"""Textual's Footer, without the slow leak of its key widgets and without repeated re-composes.

Textual 8.2 re-composes the footer whenever the focused widget's bindings change (every Tab, every
step of logging). Each new key widget binds itself to the footer's ``compact`` reactive, and the
footer's list of those watchers is only pruned when ``compact`` changes, which it never does here:
the old key widgets stayed reachable, about a dozen per focus change, and full garbage collections
grew with them (measured: from 10 ms to over 150 ms after a few hundred focus changes).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widgets import Footer as TextualFooter

if TYPE_CHECKING:
    from textual.screen import Screen


class Footer(TextualFooter):
    """A Footer that re-composes once per burst of binding changes and drops stale watchers."""

    _recompose_pending = False

    def bindings_changed(self, screen: Screen[object]) -> None:
        """Re-compose once for a burst of binding changes."""
        # Textual's own version (8.2) queues one re-compose per change (~35 ms each); several
        # changes in a row (a focus move and a tab switch) need only one.
        self._bindings_ready = True
        if self._recompose_pending or not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen:
            self._recompose_pending = True
            self.call_after_refresh(self.recompose)

    async def recompose(self) -> None:
        """Re-compose, then drop the watchers of the key widgets it replaced."""
        self._recompose_pending = False
        await super().recompose()
        self.prune_watchers()

    def prune_watchers(self) -> None:
        """Keep only the data-bind watchers of the key widgets now on the footer."""
        # Textual keeps data-bind watchers in this attribute (see textual.reactive). Keep those of
        # the key widgets on the footer now; the rest were removed by earlier re-composes.
        watchers: dict[str, list[tuple[object, object]]] = getattr(self, "__watchers", {})
        current = {id(child) for child in self.walk_children()}
        for pairs in watchers.values():
            pairs[:] = [(node, callback) for node, callback in pairs if id(node) in current or node is self]
