"""The Log pane's one-line log ("+1 cup milk, 5 dried figs at 7:30"): the first enter lists every
item in the results (they scroll on a small screen) with the time; the arrows go through them; an
unsure item's food is chosen from its candidates with enter; enter logs the line once every item
is sure. A line that cannot be logged always says why."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from bonecoach.domain.errors import InputError
from bonecoach.domain.names import display_name, fit
from bonecoach.services.data import StorageError
from bonecoach.tui.changes import coach_of, not_saved

if TYPE_CHECKING:
    from bonecoach.services.entries import LinePreview
    from bonecoach.tui.panes.log import LogPane

LINE_OPTION = "line:"  # the results list's ids while it shows a line's items
_MARKS = {"sure": ("✓ ", "green"), "ambiguous": ("? ", "yellow"), "unknown": ("✗ ", "red")}


class OneLine:
    """The line typed after ``+``, what it would log, and the foods chosen for its unsure items."""

    def __init__(self, pane: LogPane) -> None:
        self.pane = pane
        self.text: str | None = None
        self.preview: LinePreview | None = None
        self.chosen: dict[int, str] = {}
        self.summary = Text()  # the line's state, above the highlighted item's whole message

    def typed(self) -> None:
        """The line changed: nothing previewed or chosen holds for it."""
        self.text, self.preview = None, None
        self.chosen.clear()
        self.pane.query_one("#food-results", OptionList).clear_options()
        self._detail(Text("One line, several foods: enter lists what it would log, enter again logs it."))

    def submit(self, text: str) -> None:
        """Enter in the search box: preview the line; on a previewed line, choose the highlighted
        unsure item's food, or log it when every item is sure."""
        if self.preview is None or text != self.text:
            self.show(text)
            return
        results = self.pane.query_one("#food-results", OptionList)
        index = results.highlighted
        if index is not None and self.preview.items[index].strength != "sure":
            self.choose(index)
        elif self.preview.ready:
            self._log()
        else:
            self._refused()

    def show(self, text: str) -> None:
        """List what ``text`` would log, item by item, with the time."""
        coach = coach_of(self.pane)
        when = self.pane.query_one("#when", Input).value.strip() or None
        try:
            preview = coach.preview_line(text, day=self.pane.day_to_log(), when=when, chosen=self.chosen)
        except InputError as exc:
            self.text, self.preview = None, None
            self._detail(Text(str(exc), style="red"))
            return
        self.text, self.preview = text, preview
        results = self.pane.query_one("#food-results", OptionList)
        results.set_options([Option(self._item_text(n), id=f"{LINE_OPTION}{n}") for n in range(len(preview.items))])
        unsure = [n for n, item in enumerate(preview.items) if item.strength != "sure"]
        results.highlighted = unsure[0] if unsure else 0
        when_said = coach.when_text(preview.at)
        own = {m.entry.at for m in preview.items if m.entry is not None and m.item.when is not None}
        if own:  # items with a time of their own ("milk at 7am"): every time the line logs at
            when_said = ", ".join(coach.when_text(at) for at in sorted(own | {preview.at}))
        if preview.ready:
            self.summary = Text(f"{len(preview.items)} item(s) at {when_said}: enter logs them.")
        else:
            self.summary = Text(f"At {when_said}: {len(unsure)} of {len(preview.items)} not sure (?/✗). "
                                "↓ ↑ go to one, enter chooses its food; or write it more exactly.", style="yellow")  # fmt: skip
        self.highlighted(f"{LINE_OPTION}{results.highlighted}")

    def _item_text(self, n: int) -> Text:
        assert self.preview is not None
        match = self.preview.items[n]
        mark, colour = _MARKS[match.strength]
        if match.entry is not None:
            said = f"{match.item.text} → {fit(display_name(match.entry.name), 48)}, {match.entry.amount_text()}"
            if match.item.when is not None:
                said += f", {match.entry.at:%H:%M}"
        else:
            said = match.message
        return Text.assemble((mark, colour), said)

    def highlighted(self, option_id: str) -> None:
        """An item of the line highlighted: its whole message below the list."""
        if self.preview is None:
            return
        match = self.preview.items[int(option_id.removeprefix(LINE_OPTION))]
        extra = "  enter: choose its food" if match.strength != "sure" and match.candidates else ""
        self._detail(Text.assemble(self.summary, "\n", match.message + extra))

    def choose(self, index: int) -> None:
        """Offer the item's candidate foods; the one chosen makes it sure."""
        from bonecoach.tui.screens.picker import ChoiceScreen

        assert self.preview is not None
        match = self.preview.items[index]
        coach = coach_of(self.pane)
        choices = [(food_id, fit(display_name(food.name), 70)) for food_id in match.candidates
                   if (food := coach.food(food_id)) is not None]  # fmt: skip
        if not choices:
            self._detail(Text(f"{match.message} Nothing to choose from: write it more exactly.", style="red"))
            return

        def chosen(food_id: str | None) -> None:
            if food_id and self.text is not None:
                self.chosen[index] = food_id
                self.show(self.text)

        title = f"[b]Which food is {match.item.query!r}?[/b] (enter chooses, escape keeps the line as it is)"
        self.pane.app.push_screen(ChoiceScreen(title, choices), chosen)

    def _refused(self) -> None:
        assert self.preview is not None
        why = [m.message for m in self.preview.items if m.strength != "sure" or m.entry is None]
        self._detail(Text("Nothing logged: " + " ".join(why), style="red"))

    def _log(self) -> None:
        assert self.preview is not None
        try:
            entries = coach_of(self.pane).log_line(self.preview)
        except InputError as exc:
            self._detail(Text(f"Nothing logged: {exc}", style="red"))
            return
        except StorageError as exc:
            not_saved(self.pane, exc)
            return
        self.pane.logged_several(entries)
        self.typed()
        self.pane.query_one("#food-search", Input).value = ""

    def _detail(self, text: Text) -> None:
        self.pane.query_one("#food-detail", Static).update(text)
