"""Names people read: "Milk, 2%" for "Milk, reduced fat, fluid, 2% milkfat, with added vitamin A and
vitamin D", and text cut at a word, never inside one.

The rules are a reviewed table, applied in order to the USDA description. The full name and the
catalog id stay on every entry, in exports and reports, one key away in the app.
"""

from __future__ import annotations

import re

# (pattern, replacement), applied in order; each written from SR28 names, checked by tests.
_RULES: tuple[tuple[str, str], ...] = (
    # Group words before the food itself.
    (
        r"^(Beverages|Alcoholic beverages?|Cereals ready-to-eat|Fish|Nuts|Seeds|Spices|Crustaceans|Mollusks|"
        r"Game meat|Candies|Snacks|Babyfood|Fast foods|Restaurant),\s*",
        "",
    ),
    # Added calcium is what makes a juice or a soy drink a calcium source: it stays, whole.
    # Other fortification notes and remarks in brackets say nothing about what was eaten.
    (r",?\s*\b(with|without) added (?!calcium\b)[^,()]*(?:vitamin[^,()]*)?", ""),
    (r"\s*\((?:includes|fat free|fat-free|not previously|may have|garbanzo)[^)]*\)", ""),
    (r",\s*\d+ grams protein per \d+ ounce", ""),
    (r"^Cabbage, chinese \(pak-choi\)", "Bok choy"),
    (r"\bprepared with calcium sulfate\b", "calcium-set"),
    # Milk: the fat level is the name people use.
    (r"^Milk, reduced fat, fluid, 2% milkfat", "Milk, 2%"),
    (r"^Milk, lowfat, fluid, 1% milkfat", "Milk, 1%"),
    (r"^Milk, nonfat, fluid", "Milk, skim"),
    (r"^Milk, whole, 3\.25% milkfat", "Milk, whole"),
    # Cooking words people do not say.
    (r"\bcooked, boiled, drained, without salt\b", "boiled"),
    (r"\bcooked, boiled, drained, with salt\b", "boiled, salted"),
    (r"\bcooked, boiled, drained\b", "boiled"),
    (r"\bcooked, boiled\b", "boiled"),
    (r"\bbrewed, prepared with tap water\b", "brewed"),
    (
        r",\s*(without salt|commercially prepared|regular pack|all commercial varieties|year round average|"
        r"mature seeds|all types|fluid)\b",
        "",
    ),
    (r"\bdrained solids\b", "drained"),
    (r"\bsolids and liquids\b", "with liquid"),
)
_COMPILED = tuple((re.compile(pattern, re.I), replacement) for pattern, replacement in _RULES)
# A maker named twice, in capitals: "KELLOGG, KELLOGG'S" -> "KELLOGG'S" (case matters here).
_MAKER_TWICE = re.compile(r"^([A-Z][A-Z'&.]+), \1'?S\b")


def display_name(name: str) -> str:
    """The short name of a food or entry for tables and lists."""
    text = name
    for pattern, replacement in _COMPILED:
        text = pattern.sub(replacement, text)
    text = _MAKER_TWICE.sub(r"\1'S", text)
    text = re.sub(r"\s*,\s*(,\s*)+", ", ", text).strip(" ,")
    text = re.sub(r"\s{2,}", " ", text)
    if not text:
        return name
    return text[:1].upper() + text[1:]


def fit(text: str, width: int) -> str:
    """``text`` in at most ``width`` characters, cut after a whole word (and a comma) with "…"."""
    if len(text) <= width:
        return text
    cut = text[: max(1, width - 1)]
    space = max(cut.rfind(" "), cut.rfind(","))
    if space > 0 and text[len(cut)] not in " ,":  # the cut fell inside a word: end at the one before
        cut = cut[:space]
    return cut.rstrip(" ,") + "…"


# USDA names often open with a category ("Beverages, coffee, brewed"); the food itself is then
# the next part of the name, so both count as its head.
CATEGORY_HEADS = {
    "beverages",
    "fish",
    "nuts",
    "seeds",
    "cheese",
    "spices",
    "alcoholic beverage",
    "crustaceans",
    "mollusks",
    "game meat",
    "cereals ready-to-eat",
    "cereals",
    "candies",
    "snacks",
    "soup",
    "sauce",
    "babyfood",
    "infant formula",
    "oil",
    "syrups",
}


def short_name(name: str) -> str:
    """A short, readable name: "Beverages, coffee, brewed, ..." -> "Coffee, brewed"."""
    parts = [part.strip() for part in name.split(",")]
    if parts[0].lower() in CATEGORY_HEADS and len(parts) > 1:
        text = ", ".join(parts[1:3])
    else:
        text = ", ".join(parts[:2]) if len(parts[0]) < 12 and len(parts) > 1 else parts[0]
    text = text.split(" (")[0]
    return (text[:1].upper() + text[1:])[:40]
