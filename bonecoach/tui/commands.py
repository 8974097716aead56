"""Command palette entries for the app's main actions."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:
    from bonecoach.tui.app import BonecoachApp

COMMANDS: list[tuple[str, str, str]] = [
    ("Log food", "show_log", "Search the catalog and log a food"),
    ("Log supplement", "show_supplements", "Jump to the supplement list"),
    ("Today", "show_today", "Totals against targets and the day's timeline"),
    ("Previous day", "previous_day", "Show the day before"),
    ("Next day", "next_day", "Show the day after"),
    ("Undo delete", "undo_delete", "Put back the last deleted entry"),
    ("Show conflicts", "show_conflicts", "The day's timing conflicts with their fixes"),
    ("Plan my day", "show_plan", "A timetable for your regimen that keeps every window"),
    ("Close the gap", "suggest", "Concrete ways to reach today's targets, without conflicts"),
    ("New recipe", "new_recipe", "Build a recipe from catalog foods"),
    ("Edit profile", "edit_profile", "Sex, birth date and guideline"),
    ("Override targets", "edit_targets", "Change a nutrient's target or limit"),
    ("Add my own supplement or food", "add_my_item", "From its label: nutrients per dose or serving"),
    ("Help", "help", "Keys, meanings and sources"),
]


class BonecoachCommands(Provider):
    """Offers bonecoach's actions by name."""

    @property
    def bc_app(self) -> BonecoachApp:
        return cast("BonecoachApp", self.app)

    async def discover(self) -> Hits:
        for name, action, help_text in COMMANDS:
            yield DiscoveryHit(name, partial(self.bc_app.run_action, action), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, action, help_text in COMMANDS:
            score = matcher.match(name)
            if score > 0:
                yield Hit(
                    score, matcher.highlight(name), partial(self.bc_app.run_action, action), text=name, help=help_text
                )
