"""Run one app headless and print FRAME when its first frame has been drawn (then exit).

Usage: python first_frame_child.py bonecoach DB_DIR | python first_frame_child.py empty
The parent times from starting this process to reading FRAME: interpreter start, imports,
database open and first paint, as a person would wait for them.
"""

from __future__ import annotations

import sys


def empty_app():  # type: ignore[no-untyped-def]
    """A plain Textual app with the same widget tree as bonecoach's first screen."""
    from textual.app import App
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
        def compose(self):  # type: ignore[no-untyped-def]
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

        def on_mount(self) -> None:
            self.call_after_refresh(self.first_frame)

        def first_frame(self) -> None:
            print("FRAME", flush=True)
            self.exit()

    return EmptyApp()


def bonecoach_app(db_dir: str):  # type: ignore[no-untyped-def]
    from pathlib import Path

    from bonecoach.services.coach import Coach
    from bonecoach.storage.repository import Repository
    from bonecoach.tui.app import BonecoachApp

    class Timed(BonecoachApp):
        def on_mount(self) -> None:
            super().on_mount()
            self.call_after_refresh(self.first_frame)

        def first_frame(self) -> None:
            print("FRAME", flush=True)
            self.exit()

    return Timed(Coach(Repository(Path(db_dir))), ask_profile=False)


if __name__ == "__main__":
    app = bonecoach_app(sys.argv[2]) if sys.argv[1] == "bonecoach" else empty_app()
    app.run(headless=True, size=(80, 24))
