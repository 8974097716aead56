"""Foods and supplements: the catalog and the person's own items, search (their own and recent first), and resolving a name to one."""

from __future__ import annotations

import re
from datetime import timedelta

from bonecoach.domain.amounts import check_grams, parse_number
from bonecoach.domain.errors import InputError
from bonecoach.domain.models import (
    Food,
    InhibitorTag,
    Medication,
    Portion,
    Supplement,
)
from bonecoach.domain.nutrient_info import NUTRIENT_KEYS
from bonecoach.domain.nutrients import Nutrients
from bonecoach.services import names
from bonecoach.services.context import Context
from bonecoach.services.names import MAX_NAME, AmbiguousMatch, clean_name, slugify

RECENT_DAYS = 60  # "recent and frequent" means the last two months


_CUSTOM_PREFIX = "custom:"


INHIBITOR_LEVELS = ("very_high", "high", "moderate", "low")


def food(ctx: Context, food_id: str) -> Food | None:
    """A catalog or custom food by id."""
    if food_id.startswith(_CUSTOM_PREFIX):
        return next((food for food in ctx.repo.custom_foods() if food.id == food_id), None)
    return ctx.catalog.get(food_id)


def sure_catalog_match(ctx: Context, name: str) -> Food | None:
    """The catalog food a name from another app surely names, or ``None``: the first result of the
    search people use, read as they type it (the reviewed words: "oatmeal" is oats, cooked; "bok
    choy" is pak-choi), when it is as sure as a typed line's match (every word in its name, one
    of them the food itself) or the same food by its head (``confident_match``)."""
    from bonecoach.domain.search import confident_match, match_strength

    top = ctx.catalog.search(name, limit=1)
    if not top:
        return None
    typed = ctx.catalog.index.terms.rewrite(name)
    sure = match_strength(typed, top[0].name) == "sure" or confident_match(name, top[0].name)
    return top[0] if sure else None


def search_foods(ctx: Context, query: str, limit: int = 20) -> list[Food]:
    """Your own foods, then foods you ate lately (most often first), then the catalog."""
    from bonecoach.domain.search import stem, tokens  # a day's figures need no search

    words = [stem(word) for word in tokens(query)]
    if not words:
        return []

    def matches(name: str) -> bool:
        have = [stem(word) for word in tokens(name)]
        return all(any(h.startswith(w) for h in have) for w in words)

    custom = [food for food in ctx.repo.custom_foods() if matches(food.name)]
    recent = []
    for ref, _, _ in recent_refs(ctx):
        food = ctx.catalog.get(ref) if not ref.startswith(_CUSTOM_PREFIX) else None
        if food is not None and matches(food.name):
            recent.append(food)
    seen = {food.id for food in custom + recent}
    catalog = [food for food in ctx.catalog.search(query, limit) if food.id not in seen]
    return (custom + recent + catalog)[:limit]


def resolve_food(ctx: Context, id_or_query: str) -> Food:
    """A food by exact id, or the single clear match of a query; else ``AmbiguousMatch``."""
    text = id_or_query.strip()
    if not text or len(text) > MAX_NAME:
        raise InputError("Name a food by its id (e.g. 01077) or a few words of its name.")
    direct = food(ctx, text)
    if direct is not None:
        return direct
    matches = search_foods(ctx, text, limit=6)
    if not matches:
        raise InputError(f"No food matches {text!r}. Try fewer or other words.")
    exact = [food for food in matches if food.name.lower() == text.lower()]
    if len(exact) == 1:
        return exact[0]
    if len(matches) == 1:
        return matches[0]
    raise AmbiguousMatch(
        f"{text!r} matches several foods; give the id of the one you mean:",
        [(food.id, food.name) for food in matches],
    )


_STRENGTH = re.compile(r"(?<![\w.])\d+(?:[.,]\d+)?\s*(?:mg|mcg|µg|ug|iu|ml)\b(?:\s*(?:/|per)\s*(?:ml|tablet|dose))?")


def resolve_medication(ctx: Context, id_or_name: str) -> Medication:
    """A medication by id, by a brand name (Fosamax, Atelvia, Cipro...), or by the one name
    containing every word given."""
    known = ", ".join(m.id for m in ctx.medications)
    text = " ".join(id_or_name.strip().lower().split())
    # A strength written after the name ("Synthroid 50 mcg", "alendronate 70mg") names no other medicine.
    bare = " ".join(_STRENGTH.sub(" ", text).split())
    by_brand = [m for m in ctx.medications if bare and (bare == m.id or bare in (a.lower() for a in m.aliases))]
    if len(by_brand) == 1:
        return by_brand[0]
    # "Fosamax Plus D": a name that holds a known brand or id is pointed at it, not guessed.
    words = f" {text} "
    holds = [
        f"{name} ({m.id})"
        for m in ctx.medications
        for name in (m.id, *m.aliases)
        if len(name) > 3 and f" {name.lower()} " in words
    ]
    hint = f"it names {' or '.join(dict.fromkeys(holds))}: log that if it is the medicine; " if holds else ""
    return names.resolve_named(
        ctx.medications,
        id_or_name,
        "medication",
        empty="Name a medication (e.g. alendronate, levothyroxine, iron).",
        missing=f"{hint}known: {known}",
    )


def supplements(ctx: Context) -> list[Supplement]:
    """The user's own products first, then the presets."""
    return ctx.repo.user_supplements() + ctx.preset_supplements


def resolve_supplement(ctx: Context, id_or_name: str) -> Supplement:
    """A supplement by id, exact name, or the one name containing every word given."""
    return names.resolve_named(
        supplements(ctx),
        id_or_name,
        "supplement",
        empty="Name a supplement by id or name (see 'bonecoach supplements list').",
        missing="see 'bonecoach supplements list'",
    )


def add_supplement(
    ctx: Context, name: str, nutrients: dict[str, float], form: str = "", dose_label: str = "1 dose"
) -> Supplement:
    """Add the user's own product with its nutrients per dose."""
    name = clean_name(name, "Supplement name")
    check_nutrient_values(nutrients, "per dose")
    product = Supplement(
        id=f"my-{slugify(name)}",
        name=name,
        form=clean_name(form, "Form") if form else "",
        dose_label=clean_name(dose_label, "Dose label"),
        nutrients=Nutrients.from_values(dict(nutrients)),
        source="Added by you from your product's label.",
        custom=True,
    )
    ctx.repo.save_user_supplement(product)
    return product


def add_custom_food(
    ctx: Context,
    name: str,
    serving_grams: float,
    nutrients_per_serving: dict[str, float],
    serving_label: str = "1 serving",
    inhibitors: dict[str, str] | None = None,
) -> Food:
    """Add the user's own food from its label: nutrients per serving and the serving's weight,
    and, optionally, its oxalate or phytate level (``{"oxalate": "high"}``) as the user knows it."""
    name = clean_name(name, "Food name")
    tags = []
    for kind, level in (inhibitors or {}).items():
        if not level:
            continue
        if kind not in ("oxalate", "phytate") or level not in INHIBITOR_LEVELS:
            raise InputError(f"{kind} level must be one of {', '.join(INHIBITOR_LEVELS)} (or left empty).")
        tags.append(InhibitorTag(kind=kind, level=level, origin="estimate", basis="the level you gave",
                                 source="Added by you"))  # fmt: skip
    serving_grams = check_grams(serving_grams)
    check_nutrient_values(nutrients_per_serving, "per serving")
    per_100g = Nutrients.from_values(dict(nutrients_per_serving)).scaled(100.0 / serving_grams)
    food = Food(
        id=f"{_CUSTOM_PREFIX}{slugify(name)}",
        name=name,
        group="My foods",
        per_100g=per_100g,
        portions=(Portion(label=clean_name(serving_label, "Serving label"), grams=serving_grams),),
        source="Added by you from the product's label.",
        custom=True,
        inhibitors=tuple(tags),
    )
    ctx.repo.save_custom_food(food)
    return food


def typed_nutrients(typed: dict[str, str]) -> dict[str, float]:
    """Nutrient amounts as typed on a label form: an empty field is unknown (left out), any
    number, 0 included, is the amount (a label's "0 mg" is a measured zero, as on the command line)."""
    return {key: parse_number(text, key.replace("_", " "), zero=True) for key, text in typed.items() if text.strip()}


def add_item_from_label(
    ctx: Context,
    kind: str,
    name: str,
    typed: dict[str, str],
    *,
    serving_label: str = "",
    serving_grams: str = "",
    inhibitors: dict[str, str] | None = None,
) -> Food | Supplement:
    """The person's own food (per serving, with the serving's weight) or supplement (per dose),
    from a label form as typed."""
    values = typed_nutrients(typed)
    label = serving_label.strip()
    if kind == "food":
        if not serving_grams.strip():
            raise InputError("A food needs the weight of its serving in grams (from the label).")
        grams = parse_number(serving_grams, "Serving weight")
        return add_custom_food(ctx, name, grams, values, label or "1 serving", inhibitors)
    return add_supplement(ctx, name, values, dose_label=label or "1 dose")


def check_nutrient_values(values: dict[str, float], what: str) -> None:
    if not values:
        raise InputError(f"Give at least one nutrient amount {what}.")
    for key, value in values.items():
        if key not in NUTRIENT_KEYS:
            raise InputError(f"Unknown nutrient {key!r}; use {', '.join(NUTRIENT_KEYS)}.")
        if not (0 <= value < 100_000):
            raise InputError(f"{key} {what} must be between 0 and 100000.")


def recent_refs(ctx: Context, days: int = RECENT_DAYS) -> list[tuple[str, int, float | None]]:
    """Foods and supplements logged lately: (ref, times, usual amount), most used first."""
    today = ctx.now().date()
    # Asked on every keystroke of a food search: kept until those months' files change.
    key = (today, days, ctx.repo.entries_stamp(today - timedelta(days=days), today))
    if ctx.recent_cache is not None and ctx.recent_cache[0] == key:
        return ctx.recent_cache[1]
    # Every use counts; the usual amount is over the uses whose amount is known (an imported
    # row may carry a portion and no grams), and None when none is.
    uses: dict[str, list[float | None]] = {}
    for entry in ctx.repo.entries_between(today - timedelta(days=days), today):
        if entry.kind == "medication":
            continue
        uses.setdefault(entry.ref, []).append(entry.grams if entry.kind == "food" else (entry.doses or 1.0))
    ranked = sorted(uses.items(), key=lambda item: (-len(item[1]), item[0]))
    found = [(ref, len(amounts), _usual(amounts)) for ref, amounts in ranked]
    ctx.recent_cache = (key, found)
    return list(found)


def _usual(amounts: list[float | None]) -> float | None:
    import statistics

    known = [amount for amount in amounts if amount is not None]
    return statistics.median(known) if known else None
