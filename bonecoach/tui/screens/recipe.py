"""Build a recipe: search catalog foods, give grams, set servings, save."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, OptionList, Static
from textual.widgets.option_list import Option

from bonecoach.domain.models import Food

Search = Callable[[str], list[Food]]
Save = Callable[[str, str, list[tuple[str, str]]], str | None]


class RecipeScreen(ModalScreen[bool]):
    """Ingredients with grams for the whole recipe, and how many servings it makes."""

    AUTO_FOCUS = "#recipe-name"
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, search: Search, save: Save) -> None:
        super().__init__()
        self.search_foods = search
        self.save_recipe = save
        self.items: list[tuple[str, str, str]] = []  # (food id, name, grams as typed)

    def compose(self) -> ComposeResult:
        """Name, servings, an ingredient search with its grams, and the list so far."""
        with Vertical(classes="modal-form recipe-form"):
            yield Static(
                "[b]New recipe[/b] [dim](grams are for the whole recipe; cooking losses are not modelled)[/dim]"
            )
            with Horizontal(classes="form-row"):
                yield Input(placeholder="name, e.g. tofu stir-fry", id="recipe-name", compact=True)
                yield Input(placeholder="servings", id="recipe-servings", compact=True)
            yield Input(placeholder="search an ingredient", id="recipe-search", compact=True)
            yield OptionList(id="recipe-results")
            with Horizontal(classes="form-row"):
                yield Input(placeholder="grams", id="recipe-grams", compact=True)
                yield Button("Add ingredient", id="recipe-add", compact=True)
            yield Static("No ingredients yet.", id="recipe-items")
            yield Static(id="recipe-error", classes="error")
            with Horizontal(classes="buttons"):
                yield Button("Save recipe", id="recipe-save", variant="primary", compact=True)
                yield Button("Cancel", id="recipe-cancel", compact=True)

    @on(Input.Changed, "#recipe-search")
    def search(self, event: Input.Changed) -> None:
        """Catalog foods matching what is typed."""
        results = self.query_one("#recipe-results", OptionList)
        foods = self.search_foods(event.value) if event.value.strip() else []
        results.set_options(
            Option(Text.assemble(food.name, (f"  {food.id}", "dim")), id=food.id) for food in foods[:12]
        )
        if foods:
            results.highlighted = 0

    @on(Input.Submitted, "#recipe-search")
    @on(OptionList.OptionSelected, "#recipe-results")
    def to_grams(self) -> None:
        """A food chosen: the grams field next."""
        self.query_one("#recipe-grams", Input).focus()

    @on(Input.Submitted, "#recipe-grams")
    @on(Button.Pressed, "#recipe-add")
    def add_ingredient(self) -> None:
        """Add the highlighted food with its grams to the recipe."""
        results = self.query_one("#recipe-results", OptionList)
        grams = self.query_one("#recipe-grams", Input).value.strip()
        if results.highlighted is None or not grams:
            self.query_one("#recipe-error", Static).update("Pick an ingredient and give its grams.")
            return
        option = results.get_option_at_index(results.highlighted)
        name = str(option.prompt).split("  ")[0]
        self.items.append((option.id or "", name, grams))
        self.query_one("#recipe-items", Static).update("\n".join(f"• {g} g {n[:60]}" for _, n, g in self.items))
        self.query_one("#recipe-grams", Input).value = ""
        search = self.query_one("#recipe-search", Input)
        search.value = ""
        search.focus()

    @on(Button.Pressed, "#recipe-save")
    def save(self) -> None:
        """Save the recipe; a problem is shown on the form."""
        name = self.query_one("#recipe-name", Input).value
        servings = self.query_one("#recipe-servings", Input).value
        error = self.save_recipe(name, servings, [(food_id, grams) for food_id, _, grams in self.items])
        if error:
            self.query_one("#recipe-error", Static).update(error)
            return
        self.dismiss(True)

    @on(Button.Pressed, "#recipe-cancel")
    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(False)
