"""The Log pane: search-as-you-type food picker with amount, time and meal; supplement quick-log."""

from __future__ import annotations

from rich.markup import escape
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from bonecoach.domain.amounts import usual_portion
from bonecoach.domain.errors import InputError
from bonecoach.domain.models import Entry, Food, MealSlot
from bonecoach.domain.names import display_name
from bonecoach.services import views
from bonecoach.services.data import StorageError
from bonecoach.services.regimen import MEDICATION_CHOICE
from bonecoach.tui import my_items
from bonecoach.tui.changes import coach_of, entries_logged, log, not_saved
from bonecoach.tui.panes.log_day import LogDay, LogField
from bonecoach.tui.panes.log_line import LINE_OPTION, OneLine
from bonecoach.tui.widgets.type_ahead_list import TypeAheadList

GRAMS = "__grams__"
MEAL_PREFIX = "meal:"
RECIPE_PREFIX = "recipe:"
AUTO_MEAL = "__auto__"
RESULT_LIMIT = 30
LINE_PREFIX = "+"  # in the search box: one line, several foods


class LogPane(LogDay):
    """Log a food or a supplement in a few keystrokes."""

    BINDINGS = [
        Binding("ctrl+f", "focus_search", "Search", tooltip="Search foods"),
        Binding("ctrl+s", "focus_supplements", "Supplements", tooltip="Jump to the supplement list"),
        Binding("ctrl+n", "add_my_item", "Add my own", tooltip="Add your own supplement or food from its label"),
        Binding("ctrl+r", "new_recipe", "New recipe", tooltip="Build a recipe from catalog foods"),
        Binding("ctrl+t", "edit_set", "Sets", tooltip="Make a supplement set, or change the chosen one", show=False),
        Binding("escape", "app.show('today')", "Back to Today", show=False),
        # From the search box the arrows move through the results; enter picks the highlighted one.
        Binding("down", "result_down", "Next result", show=False),
        Binding("up", "result_up", "Previous result", show=False),
    ]

    selected_food: Food | None = None
    """The food the amount applies to (the highlighted search result)."""

    selected_named: str | None = None
    """A saved meal or recipe chosen instead of a food ("meal:ID" / "recipe:ID")."""

    def compose(self) -> ComposeResult:
        """The food search with its results and amount, and the supplement list with its doses."""
        with Vertical(id="food-side"):
            yield Static(id="log-day")
            yield LogField(
                placeholder="Search foods: sardine bones, milk 2%, tofu calcium…", id="food-search", compact=True
            )
            yield OptionList(id="food-results")
            yield Static("Type to search the USDA catalog.", id="food-detail")
            with Horizontal(id="amount-row"):
                yield LogField(placeholder="amount", id="amount", compact=True)
                yield Select([("g", GRAMS)], id="portion", allow_blank=False, compact=True)
            with Horizontal(id="when-row"):
                yield LogField(placeholder="when: now, 8am, yesterday 19:30", id="when", compact=True)
                yield Select(
                    [("meal: auto", AUTO_MEAL)]
                    + [(slot.value, slot.value) for slot in MealSlot if slot != MealSlot.supplements],
                    id="meal",
                    allow_blank=False,
                    compact=True,
                )
            yield Button("Log food", id="log-food", variant="primary", compact=True)
            yield Static(id="log-message")
        with Vertical(id="supplement-side"):
            yield Label("Supplements ℞ medicines (type a name, enter logs)")
            yield TypeAheadList(id="supplement-list")
            with Horizontal(id="dose-row"):
                yield LogField(placeholder="doses: 1", id="doses", compact=True)
                yield LogField(placeholder="when: now", id="supplement-when", compact=True)
            yield Select([], id="supplement-set", prompt="saved set", compact=True)
            with Horizontal(id="set-row"):
                yield Button("Log set", id="log-set", compact=True)
                yield Button("Make / change (ctrl+t)", id="edit-set", compact=True)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.one_line = OneLine(self)

    def on_mount(self) -> None:
        """Fill the supplement list and say which day is logged into."""
        self.reload_supplements()
        self._show_log_day()

    def _search_has_focus(self) -> bool:
        return self.app.focused is self.query_one("#food-search", Input)

    def action_result_down(self) -> None:
        """Move down the search results while typing in the search box."""
        if self._search_has_focus():
            self.query_one("#food-results", OptionList).action_cursor_down()

    def action_result_up(self) -> None:
        """Move up the search results while typing in the search box."""
        if self._search_has_focus():
            self.query_one("#food-results", OptionList).action_cursor_up()

    def reload_supplements(self) -> None:
        """Fill the supplement list and saved sets from the services."""
        coach = coach_of(self)
        supplements = self.query_one("#supplement-list", OptionList)
        # Names are data: shown as text, never read as markup ("[/]" in a name is just that).
        options = [Option(Text(label), id=choice) for choice, label in coach.dose_choices()]  # the regimen first
        supplements.set_options(options)
        if options:
            supplements.highlighted = 0  # enter logs at once: something is always highlighted
        sets = sorted(coach.supplement_sets())
        self.query_one("#supplement-set", Select).set_options((name, name) for name in sets)

    # -- food search ------------------------------------------------------------------------

    @on(Input.Changed, "#food-search")
    def search_foods(self, event: Input.Changed) -> None:
        """Search as the person types (a line starting with + is previewed instead)."""
        results = self.query_one("#food-results", OptionList)
        query = event.value.strip()
        if not query:
            results.clear_options()
            return
        if query.startswith(LINE_PREFIX):
            self.one_line.typed()  # "+1 cup milk, 2 slices bread at 8am": enter previews it
            return
        coach = coach_of(self)
        words = query.lower().split()
        named = [(f"{MEAL_PREFIX}{m.id}", Text.assemble(f"🍽 {m.name} ", (f"(saved meal, {len(m.items)} items)", "dim")))
                 for m in coach.saved_meals() if all(w in m.name.lower() for w in words)]  # fmt: skip
        named += [(f"{RECIPE_PREFIX}{r.id}", Text.assemble(f"🥣 {r.name} ", (f"(recipe, {r.serving_grams:g} g per serving)", "dim")))
                  for r in coach.recipes() if all(w in r.name.lower() for w in words)]  # fmt: skip
        foods = coach.search_foods(query, RESULT_LIMIT)
        results.set_options([Option(text, id=option_id) for option_id, text in named]
                            + [Option(Text.assemble(display_name(food.name), (f"  {food.id}", "dim")), id=food.id)
                               for food in foods])  # fmt: skip
        if named or foods:
            results.highlighted = 0
            self._select_food(named[0][0] if named else foods[0].id)
        else:
            self.query_one("#food-detail", Static).update(f"No food matches {query!r}.")

    @on(Input.Submitted, "#food-search")
    def pick_first_result(self, event: Input.Submitted) -> None:
        """Enter in the search box: take the highlighted food (or log the previewed line)."""
        if event.value.strip().startswith(LINE_PREFIX):
            self.one_line.submit(event.value.strip()[len(LINE_PREFIX) :])
            return
        results = self.query_one("#food-results", OptionList)
        if results.option_count:
            self.query_one("#amount", Input).focus()

    @on(OptionList.OptionHighlighted, "#food-results")
    def show_highlighted_food(self, event: OptionList.OptionHighlighted) -> None:
        """Show the highlighted food's nutrients, portions and inhibitors (or a line's item)."""
        if event.option.id and event.option.id.startswith(LINE_OPTION):
            self.one_line.highlighted(event.option.id)
        elif event.option.id:
            self._select_food(event.option.id)

    @on(OptionList.OptionSelected, "#food-results")
    def choose_food(self, event: OptionList.OptionSelected) -> None:
        """Take the chosen food: its portions fill the amount row (a line's item: choose its food)."""
        if event.option.id and event.option.id.startswith(LINE_OPTION):
            self.one_line.choose(int(event.option.id.removeprefix(LINE_OPTION)))
        elif event.option.id:
            self._select_food(event.option.id)
            self.query_one("#amount", Input).focus()

    def _select_food(self, food_id: str) -> None:
        portion = self.query_one("#portion", Select)
        if food_id.startswith((MEAL_PREFIX, RECIPE_PREFIX)):
            # A saved meal is logged whole; a recipe by servings (the amount, default 1).
            self.selected_food = None
            self.selected_named = food_id
            is_meal = food_id.startswith(MEAL_PREFIX)
            portion.set_options([("whole meal" if is_meal else "servings", food_id)])
            portion.value = food_id
            self.query_one("#food-detail", Static).update(
                "Enter logs the saved meal." if is_meal else "Amount = servings (default 1)."
            )
            return
        self.selected_named = None
        food = coach_of(self).food(food_id)
        if food is None:
            return
        self.selected_food = food
        detail = f"[b]{escape(food.name[:70])}[/b]\n[dim]{views.describe_food(food)}[/dim]"
        for line in views.inhibitor_lines(food):  # the tag, its value, basis and citation
            detail += f"\n[yellow]{escape(line)}[/yellow]"
        self.query_one("#food-detail", Static).update(detail)
        portion = self.query_one("#portion", Select)
        options = [("g", GRAMS)] + [(f"× {p.label} ({p.grams:g} g)", p.label) for p in food.portions]
        portion.set_options(options)
        usual = usual_portion(food)  # "milk, enter, enter" logs a cup
        portion.value = usual.label if usual else GRAMS

    # -- logging ----------------------------------------------------------------------------

    @on(Input.Submitted, "#amount")
    @on(Input.Submitted, "#when")
    @on(Button.Pressed, "#log-food")
    def log_selected_food(self) -> None:
        """Log the chosen food (or saved meal or recipe) in the amount, time and meal given."""
        if self.selected_named:
            self._log_named(self.selected_named)
            return
        food = self.selected_food
        if food is None:
            self._message("Pick a food first: type in the search box.", error=True)
            return
        coach = coach_of(self)
        amount_text = self.query_one("#amount", Input).value.strip()
        portion = self.query_one("#portion", Select).value
        meal_value = self.query_one("#meal", Select).value
        meal = None if meal_value == AUTO_MEAL else str(meal_value)
        chosen = None if portion == GRAMS or portion is Select.NULL else str(portion)
        try:
            when = self._moment("#when")
            logged = log(self, lambda: [coach.log_food_as_typed(food, amount_text, chosen, at=when, meal=meal)])
        except InputError as exc:
            self._message(str(exc), error=True)
            return
        if not logged:
            return
        entry = logged[0]
        self._message(f"Logged {entry.name} at {coach_of(self).when_text(entry.at)}.")
        self.query_one("#amount", Input).value = ""  # the time stays: the next food of the day keeps it
        search = self.query_one("#food-search", Input)
        search.value = ""
        search.focus()

    def _log_named(self, named_id: str) -> None:
        coach = coach_of(self)
        amount_text = self.query_one("#amount", Input).value.strip()
        try:
            when = self._moment("#when")
            if named_id.startswith(MEAL_PREFIX):
                meal = next(m for m in coach.saved_meals() if m.id == named_id.removeprefix(MEAL_PREFIX))
                entries = coach.log_meal(meal.name, at=when)
            else:
                recipe = next(r for r in coach.recipes() if r.id == named_id.removeprefix(RECIPE_PREFIX))
                servings = coach.count_as_typed(amount_text, "Servings")
                entries = [coach.log_recipe(recipe.name, servings, at=when)]
        except (InputError, StopIteration) as exc:
            self._message(str(exc) or "That item no longer exists.", error=True)
            return
        except StorageError as exc:
            not_saved(self, exc)
            return
        self.logged_several(entries)
        self.query_one("#amount", Input).value = ""
        search = self.query_one("#food-search", Input)
        search.value = ""
        search.focus()

    @on(OptionList.OptionSelected, "#supplement-list")
    @on(Input.Submitted, "#doses")
    @on(Input.Submitted, "#supplement-when")
    def log_selected_supplement(self) -> None:
        """Log doses of the highlighted supplement (or a dose of a medication): `enter` in any field
        of the column logs it."""
        options = self.query_one("#supplement-list", OptionList)
        if options.highlighted is None:
            self._message("Pick a supplement first.", error=True)
            return
        option = options.get_option_at_index(options.highlighted)
        doses_text = self.query_one("#doses", Input).value.strip()
        option_id = option.id or ""
        coach = coach_of(self)
        try:
            # Its own time, not the food's; none on a past day: as the day plan had it.
            when = coach.dose_moment(option_id, self._typed("#supplement-when"), self.day_to_log())
            if option_id.startswith(MEDICATION_CHOICE):
                medication = option_id.removeprefix(MEDICATION_CHOICE)
                logged = log(self, lambda: [coach.log_medication(medication, at=when)])
            else:
                doses = coach.count_as_typed(doses_text, "Doses")
                logged = log(self, lambda: [coach.log_supplement(option_id, doses=doses, at=when)])
        except InputError as exc:
            self._message(str(exc), error=True)
            return
        if logged:
            entry = logged[0]
            self._message(f"Logged {entry.name} × {entry.doses:g} at {coach_of(self).when_text(entry.at)}.")
            self.query_one("#doses", Input).value = ""  # the time stays for the day's next dose

    @on(TypeAheadList.Typed, "#supplement-list")
    def jump_to_typed(self, event: TypeAheadList.Typed) -> None:
        """Letters typed in the supplement list go to the first name or brand they start."""
        found = coach_of(self).dose_typed_ahead(event.text)
        supplements = event.control
        if found is None:
            self._message(f"No supplement or medicine matches {event.text!r} (backspace takes a letter back).")
            return
        supplements.highlighted = supplements.get_option_index(found)
        self._message(f"{event.text!r}: enter logs it.")

    @on(Button.Pressed, "#edit-set")
    def edit_set_pressed(self) -> None:
        """The button beside Log set: make or change a set."""
        self.action_edit_set()

    @on(Button.Pressed, "#log-set")
    def log_supplement_set(self) -> None:
        """Log the chosen saved set of supplements in one go."""
        chosen = self.query_one("#supplement-set", Select).value
        if chosen is Select.NULL:
            self._message("No saved set chosen: ctrl+t makes one.", error=True)
            return
        try:
            when = self._moment("#supplement-when")
            log(self, lambda: coach_of(self).log_supplement_set(str(chosen), at=when))
        except InputError as exc:
            self.notify(str(exc), severity="error", title="Not logged")

    def action_edit_set(self) -> None:
        """Make a supplement set, or change the one chosen in the set list."""
        from bonecoach.tui.screens.supplement_set import SupplementSetScreen

        chosen = self.query_one("#supplement-set", Select).value
        name = None if chosen is Select.NULL else str(chosen)

        def saved(name: str | None) -> None:
            if name:
                self.reload_supplements()
                self.query_one("#supplement-set", Select).value = name
                self.notify(f"Saved the set {name!r}: Log set logs it.", title="Supplement set")

        self.app.push_screen(SupplementSetScreen(coach_of(self), name), saved)

    def action_add_my_item(self) -> None:
        """Add the person's own supplement or food from its label."""
        my_items.add_my_item(self, self.reload_supplements)

    def action_new_recipe(self) -> None:
        """Build a recipe from catalog foods."""
        my_items.new_recipe(self)

    def logged_several(self, entries: list[Entry]) -> None:
        """Several entries logged at once: the app redraws and says so."""
        entries_logged(self, entries)
        self._message(f"Logged {len(entries)} item(s) at {coach_of(self).when_text(entries[0].at)}.")

    def _message(self, text: str, error: bool = False) -> None:
        widget = self.query_one("#log-message", Static)
        widget.set_class(error, "error")
        widget.update(Text(text))  # it names foods: text, not markup
        if error:
            self.notify(text, severity="error", title="Not logged")

    def prepare_meal(self, slot: str) -> None:
        """Set the meal to ``slot`` and put the cursor in the search: logging a planned meal."""
        self.query_one("#meal", Select).value = slot
        self.action_focus_search()

    def type_in_search(self, text: str | None, append: str = "") -> None:
        """Put ``text`` (or ``append`` after what is there) in the food search, the cursor after it."""
        search = self.query_one("#food-search", Input)
        search.value = (search.value if text is None else text) + append
        search.cursor_position = len(search.value)
        search.focus()

    def action_focus_search(self) -> None:
        """Put the keyboard in the food search."""
        self.query_one("#food-search", Input).focus()

    def action_focus_supplements(self) -> None:
        """Put the keyboard in the supplement list."""
        supplements = self.query_one("#supplement-list", OptionList)
        if supplements.option_count and supplements.highlighted is None:
            supplements.highlighted = 0
        supplements.focus()
