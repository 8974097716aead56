"""One line per nutrient: a bar against the target (or the limit, for caffeine and sodium)."""

from __future__ import annotations

from textual.widgets import Static


class NutrientBar(Static):
    """A nutrient's day total drawn against its target and upper limit (its text:
    ``tui.bar_text.render_bar``, through Today's figures, ``tui.today_figures``)."""

    def __init__(self, key: str) -> None:
        super().__init__(id=f"bar-{key}", classes="nutrient-bar")
        self.key = key
