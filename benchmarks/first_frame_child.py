"""An empty Textual app with the same widget tree as bonecoach's first screen (the reference).

Usage: python first_frame_child.py   (in a terminal; ctrl+q ends it)
run.py starts it in a pseudo-terminal beside ``python -m bonecoach`` and times each to its first
frame: interpreter start, imports and first paint, as a person would wait for them.
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import (
    Button,
    DataTable,
    Footer,
    Header,
    Input,
    OptionList,
    Select,
    Sparkline,
    Static,
    TabbedContent,
    TabPane,
)


class EmptyApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Header()
        with TabbedContent():
            with TabPane("Today"):
                yield Static("title")
                with Vertical():
                    for _ in range(7):
                        yield Static("bar")
                yield Static("note")
                table: DataTable[str] = DataTable()
                table.add_columns("Time", "Meal", "Item", "Amount", "Ca mg", "D mcg")
                yield table
            with TabPane("Log"), Horizontal():
                with Vertical():
                    yield Input()
                    yield OptionList()
                    yield Static()
                    yield Input()
                    yield Select([("g", "g")], allow_blank=False)
                    yield Input()
                    yield Select([("auto", "auto")], allow_blank=False)
                    yield Button("Log food")
                with Vertical():
                    yield OptionList(*[f"supplement {i}" for i in range(15)])
                    yield Input()
                    yield Select([])
                    yield Button("Log set")
            with TabPane("Bone"):
                yield Static("status")
                yield Static("chart")
                yield DataTable()
                yield DataTable()
            with TabPane("Exercise"):
                yield Static("risk")
                yield DataTable()
                yield Static("unmet")
            with TabPane("Week"):
                yield Static("title")
                yield Static("headline")
                yield Sparkline([])
                yield DataTable()
        yield Footer()


if __name__ == "__main__":
    EmptyApp().run()
