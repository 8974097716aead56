"""The command palette: every action of every tab by name, its key shown beside it."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from bonecoach.tui.keys import palette_entries

COMMANDS = palette_entries()  # every action of every tab, with its key (bonecoach.tui.keys)


class BonecoachCommands(Provider):
    """Offers bonecoach's actions by name."""

    async def discover(self) -> Hits:
        """Every action, before anything is typed."""
        for name, action, help_text in COMMANDS:
            yield DiscoveryHit(name, partial(self.app.run_action, action), help=help_text)

    async def search(self, query: str) -> Hits:
        """The actions whose names match what was typed, best first."""
        matcher = self.matcher(query)
        for name, action, help_text in COMMANDS:
            score = matcher.match(name)
            if score > 0:
                yield Hit(
                    score, matcher.highlight(name), partial(self.app.run_action, action), text=name, help=help_text
                )
