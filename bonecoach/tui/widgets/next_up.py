"""Next up on Today: the day's doses, meals and exercise, ticked when done; enter does one."""

from __future__ import annotations

from datetime import time

from rich.text import Text
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from bonecoach.domain.next_up import NextItem, open_items, status


class NextUpList(OptionList):
    """One row per item: ✓ done, ▸ due, or its time to come. The first open item is highlighted."""

    class Chosen(Message):
        """The person asked to log or start ``item``."""

        def __init__(self, item: NextItem) -> None:
            super().__init__()
            self.item = item

    items: list[NextItem] = []
    _top = 0  # the row to scroll to once the list knows its height

    def show(self, items: list[NextItem], now: time) -> None:
        """Draw ``items`` as they stand at ``now``, keeping the view on what is left."""
        self.items = items
        self.clear_options()
        if not items:
            self.add_option(Option(Text("Nothing planned yet: R adds your medicines and supplements.", style="dim"),
                                   disabled=True))  # fmt: skip
            return
        for n, item in enumerate(items):
            state = status(item, now)
            marks = {"done": ("✓", "dim"), "due": ("▸", "bold"), "later": (" ", ""), "skip": ("–", "yellow"),
                     "remind": ("!", "yellow")}  # fmt: skip
            mark, style = marks[state]
            word = {"medication": "log", "supplement": "log", "meal": "log food", "exercise": "start"}[item.kind]
            hint = "" if state in ("done", "skip", "remind") else f"  enter: {word}"
            self.add_option(Option(Text(f"{mark} {item.label()}", style=style) + Text(hint, style="dim"), id=str(n)))
        left = open_items(items, now)
        first = items.index(left[0]) if left else len(items) - 1
        self.highlighted = first
        self._top = first
        self.call_after_refresh(self.on_resize)  # a redraw at the same height gets no resize

    def on_resize(self) -> None:
        """Laid out at its height: scroll the first open item to the top."""
        # Laid out at its height only now: put the first open item at the top (done ones above).
        self.scroll_to(y=self._top, animate=False, immediate=True)

    def first_open(self, now: time) -> NextItem | None:
        """The item ``n`` does: the oldest due one, else the next to come."""
        left = open_items(self.items, now)
        return left[0] if left else None

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """An item chosen: tell Today which."""
        event.stop()
        if event.option.id is not None:
            self.post_message(self.Chosen(self.items[int(event.option.id)]))
