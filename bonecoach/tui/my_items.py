"""The person's own items, from the Log tab: a supplement or food from its label, and recipes."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from bonecoach.domain.errors import InputError
from bonecoach.services.data import StorageError
from bonecoach.tui.changes import Place, coach_of, form_error

if TYPE_CHECKING:
    from bonecoach.tui.screens.my_item import ItemForm


def add_my_item(node: Place, added: Callable[[], object]) -> None:
    """Open the label form; once saved, ``added()`` (the supplement list shows the new one)."""
    from bonecoach.tui.screens.my_item import MyItemScreen

    coach = coach_of(node)

    def save(form: ItemForm) -> tuple[bool, str]:
        try:
            item = coach.add_item_from_label(form.kind, form.name, form.nutrients, serving_label=form.serving_label,
                                             serving_grams=form.serving_grams, inhibitors=form.inhibitors)  # fmt: skip
        except (InputError, StorageError) as exc:
            return False, str(exc)
        if form.kind == "food":
            return True, f"Added {item.name}: search for it in Log."
        return True, f"Added {item.name} to your supplements."

    def saved(message: str | None) -> None:
        if message:
            added()
            node.notify(message, title="Saved")

    node.app.push_screen(MyItemScreen(save), saved)


def new_recipe(node: Place) -> None:
    """Build a recipe from catalog foods."""
    from bonecoach.tui.screens.recipe import RecipeScreen

    coach = coach_of(node)

    def save(name: str, servings: str, items: list[tuple[str, str]]) -> str | None:
        return form_error(lambda: coach.add_recipe_as_typed(name, servings, items))

    def saved(done: bool | None) -> None:
        if done:
            node.notify("Recipe saved: find it in Log by its name.", title="Recipe")

    node.app.push_screen(RecipeScreen(lambda q: coach.search_foods(q, 12), save), saved)
