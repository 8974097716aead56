"""Portions a food does not list, from those it does: "5 figs" is five of its "1 fig", and "1 tbsp"
of a food SR28 weighs by the cup is a sixteenth of that cup (US customary measures: a cup is 16
tablespoons, 48 teaspoons, 8 fluid ounces). A food weighed only by mass ("1 oz") has no volume to
derive from: the caller says so instead of guessing."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bonecoach.domain.models import Food, Portion

TEASPOONS = {"cup": 48.0, "tbsp": 3.0, "tsp": 1.0, "fl oz": 6.0}
"""Each household volume in teaspoons (US customary; definitions, not measurements)."""
_LABEL = re.compile(r"^(?P<count>\d+(?:\.\d+)?|\d+/\d+)\s+(?P<unit>fl oz|[a-z]+)", re.I)


def _singular(word: str) -> str:
    word = word.lower()
    for ending, replacement in (("ies", "y"), ("oes", "o"), ("ches", "ch"), ("s", "")):
        if word.endswith(ending) and len(word) > len(ending) + 2:
            return word[: -len(ending)] + replacement
    return word


def _count_and_unit(portion: Portion) -> tuple[float, str] | None:
    """ "1 fig" -> (1, "fig"); "0.5 cup, chopped" -> (0.5, "cup"); "2 sardines" -> (2, "sardine")."""
    found = _LABEL.match(portion.label)
    if found is None:
        return None
    count_text = found.group("count")
    top, _, bottom = count_text.partition("/")
    count = float(top) / float(bottom) if bottom else float(count_text)
    unit = found.group("unit").lower()
    return (count, unit if unit in TEASPOONS else _singular(unit)) if count > 0 else None


def counted_portion(food: Food, query: str) -> tuple[Portion, float] | None:
    """The food's own unit named in ``query`` ("5 dried figs": its "1 fig"), with how many of
    that unit the portion holds; ``None`` if it has none."""
    named = {_singular(word) for word in re.findall(r"[a-z]+", query.lower())}
    for portion in food.portions:
        parsed = _count_and_unit(portion)
        if parsed is not None and parsed[1] in named and parsed[1] not in TEASPOONS:
            return portion, parsed[0]
    return None


def derived_volume(food: Food, unit: str, count: float) -> tuple[float, str] | None:
    """Grams of ``count`` ``unit`` (a household volume) from a volume SR28 does give, and how it
    was derived; ``None`` when the unit is not a volume or the food has no volume portion."""
    if unit not in TEASPOONS:
        return None
    for portion in food.portions:
        parsed = _count_and_unit(portion)
        if parsed is not None and parsed[1] in TEASPOONS:
            per_teaspoon = portion.grams / (parsed[0] * TEASPOONS[parsed[1]])
            grams = round(per_teaspoon * TEASPOONS[unit] * count, 1)
            return grams, f"{count:g} {unit} (from {portion.label} = {portion.grams:g} g)"
    return None
