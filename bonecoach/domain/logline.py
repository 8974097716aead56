"""One line, several foods: "1 cup milk 2%, 2 slices whole wheat bread, coffee at 8am".

Parsing only: the line becomes items (how many, of what household unit or grams, the words naming
the food and, if the item says so, its own time) and the line's time, written at its end, for
the items that give none ("milk at 7am, coffee, toast at 8am": milk at 7, the rest at 8). Finding
the foods and logging them is the services' job.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from bonecoach.domain.amounts import parse_number
from bonecoach.domain.errors import InputError

MAX_LINE = 400
MAX_ITEMS = 12
_WORD_NUMBERS = {"a": 1.0, "an": 1.0, "one": 1.0, "two": 2.0, "three": 3.0, "four": 4.0, "half": 0.5, "half a": 0.5}
# Household units as USDA portions name them ("1 cup", "1 slice", "1 tbsp"), with what people type.
_UNITS = {
    "cup": "cup", "cups": "cup", "slice": "slice", "slices": "slice", "tbsp": "tbsp", "tablespoon": "tbsp",
    "tablespoons": "tbsp", "tsp": "tsp", "teaspoon": "tsp", "teaspoons": "tsp", "oz": "oz", "ounce": "oz",
    "ounces": "oz", "piece": "piece", "pieces": "piece", "glass": "cup", "glasses": "cup", "mug": "cup",
    "mugs": "cup", "bowl": "cup", "bowls": "cup", "container": "container", "containers": "container",
    "can": "can", "cans": "can", "large": "large", "medium": "medium", "small": "small", "egg": "large",
    "fl oz": "fl oz", "serving": "serving", "servings": "serving",
}  # fmt: skip
_GRAMS = {"g", "gram", "grams"}
_NUMBER = r"(?:\d+(?:[.,]\d+)?|\d+\s*/\s*\d+|\d*[.,]\d+)"
_AT = re.compile(r"\s+(?:at|@)\s+(?P<when>[^,]+?)\s*$", re.I)
_ITEM = re.compile(
    rf"^(?P<count>{_NUMBER}|{'|'.join(sorted(_WORD_NUMBERS, key=len, reverse=True))})?\s*(?P<rest>.*)$", re.I
)


@dataclass(frozen=True)
class LineItem:
    """One food of the line: ``count`` household ``unit`` (or ``grams``), and the words naming it."""

    text: str
    query: str
    count: float = 1.0
    unit: str | None = None  # a USDA portion unit ("cup", "slice"); None: the food's usual portion
    grams: float | None = None
    counted: bool = False  # a number with no unit ("5 figs"): so many of the food's own unit
    when: str | None = None  # the item's own time ("milk at 7am"); None: the line's


@dataclass(frozen=True)
class LogLine:
    """The items of a line and the time written at its end ("at 8am"), if any: the time of every
    item that gives none of its own."""

    items: tuple[LineItem, ...]
    when: str | None


def parse_log_line(text: str) -> LogLine:
    """Split a line into items; raises ``InputError`` saying which part cannot be read."""
    line = " ".join(text.split())
    if not line or len(line) > MAX_LINE or any(ord(ch) < 32 for ch in text.replace("\n", " ")):
        raise InputError(
            f"Write the foods on one line of up to {MAX_LINE} characters, e.g. '1 cup milk, coffee at 8am'."
        )
    when = None
    found = _AT.search(line)
    if found:
        when, line = found.group("when"), line[: found.start()]
    parts = [part.strip() for part in re.split(r",|;|\band\b|\+", line) if part.strip()]
    if not parts:
        raise InputError("No food on the line: write e.g. '1 cup milk, 2 slices bread at 8am'.")
    if len(parts) > MAX_ITEMS:
        raise InputError(f"{len(parts)} items on one line: log at most {MAX_ITEMS} at once.")
    return LogLine(tuple(_item(part) for part in parts), when)


def _item(part: str) -> LineItem:
    own = _AT.search(part)  # "milk at 7am": the item's own time
    if own:
        return replace(_amount(part[: own.start()].strip()), text=part, when=own.group("when"))
    return _amount(part)


def _amount(part: str) -> LineItem:
    match = _ITEM.match(part)
    assert match is not None  # the pattern accepts any text
    count_text, rest = match.group("count"), match.group("rest").strip()
    count = 1.0
    if count_text:
        word = count_text.lower()
        count = _WORD_NUMBERS[word] if word in _WORD_NUMBERS else parse_number(count_text, f"The amount in {part!r}")
    words = rest.split()
    if count_text and words and words[0].lower() in _GRAMS:
        return _named(part, " ".join(words[1:]), grams=count)
    for size in (2, 1):  # "fl oz" before "oz"
        unit_words = " ".join(words[:size]).lower()
        if len(words) > size and unit_words in _UNITS:
            return _named(part, " ".join(words[size:]), count=count, unit=_UNITS[unit_words])
    return _named(part, rest, count=count, counted=bool(count_text))


def _named(part: str, query: str, **amount: float | str | bool | None) -> LineItem:
    query = re.sub(r"^(of|x)\s+", "", query.strip(), flags=re.I)
    if not query:
        raise InputError(f"{part!r} names no food: write e.g. '1 cup milk'.")
    return LineItem(text=part, query=query, **amount)  # type: ignore[arg-type]
