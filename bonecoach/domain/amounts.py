"""How much of something was had: grams, portions or doses, checked for sense."""

from __future__ import annotations

import contextlib
import math
import re
from typing import TYPE_CHECKING

from bonecoach.domain.errors import InputError

if TYPE_CHECKING:
    from datetime import date

    from bonecoach.domain.models import Entry, Food, Portion

MAX_GRAMS = 5000.0  # More than 5 kg of one food in one entry is a typo, not a meal.
MAX_DOSES = 20.0  # Supplements come in ones and twos; 20 doses at once is surely a slip.
MAX_COUNT = 50.0
MAX_NUTRIENT = 1e7  # per entry, in its unit: 5 kg of table salt holds 2e6 mg of sodium
EARLIEST_YEAR = 2000  # what a typed time accepts (domain.timeparse)

_NUMBER = re.compile(r"^\s*([-+]?(?:[0-9]+(?:[.,][0-9]+)?|[0-9]*[.,][0-9]+))\s*(g|gram|grams)?\s*$", re.I)
_FRACTION = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")
# Thousands with commas, as bonecoach prints them ("1,500", "12,000.5"); a comma with one or two
# digits after it is a decimal comma ("1,5"); anything else with a comma is ambiguous.
_THOUSANDS = re.compile(r"^[-+]?\d{1,3}(,\d{3})+(\.\d+)?$")
_DECIMAL_COMMA = re.compile(r"^[-+]?\d*,\d{1,2}$")


def _plain_number(raw: str, what: str) -> str:
    """``raw`` (a number and maybe a unit) with its separators read: "1,500" -> "1500",
    "1,5" -> "1.5"; refuses the ambiguous ("1,5000", "1.500,5")."""
    number = re.sub(r"\s*(g|gram|grams)\s*$", "", raw, flags=re.I).strip()
    if "," not in number:
        return raw
    if _THOUSANDS.match(number):
        return number.replace(",", "")
    if _DECIMAL_COMMA.match(number):
        return number.replace(",", ".")
    raise InputError(f"{what} {raw!r} is ambiguous: write it as 1500 (or 1,500) for thousands, 1.5 for a decimal.")


def parse_number(text: str | float | int, what: str, *, zero: bool = False) -> float:
    """A positive (with ``zero``, a non-negative), finite number from text such as "150", "1,500", "1.5", "1,5" or "1/2"."""
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        value = float(text)
    else:
        raw = str(text).strip()
        if len(raw) > 32:
            raise InputError(f"{what} must be a number, not {len(raw)} characters of text.")
        fraction = _FRACTION.match(raw)
        match = _NUMBER.match(_plain_number(raw, what)) if not fraction else None
        if fraction:
            denominator = int(fraction.group(2))
            if denominator == 0:
                raise InputError(f"{what} {raw!r} divides by zero.")
            value = int(fraction.group(1)) / denominator
        elif match:
            value = float(match.group(1).replace(",", "."))
        else:
            shown = raw if raw else "(empty)"
            raise InputError(f"{what} must be a number, not {shown!r}.")
    if not math.isfinite(value):
        raise InputError(f"{what} must be a finite number.")
    if zero and value < 0:
        raise InputError(f"{what} must be zero or more.")
    if not zero and value <= 0:
        raise InputError(f"{what} must be more than zero.")
    return value


def parse_signed(text: str, what: str) -> float:
    """A finite number that may be negative (a T-score), from text such as "-2.3" or "−2,3"."""
    try:
        value = float(text.strip().replace(",", ".").replace("−", "-"))
    except ValueError:
        raise InputError(f"{what} must be a number such as -2.3, not {text.strip()[:30]!r}.") from None
    if not math.isfinite(value):
        raise InputError(f"{what} must be a finite number.")
    return value


def check_grams(grams: float) -> float:
    """Refuse amounts no one eats at once."""
    if not math.isfinite(grams) or grams <= 0:
        raise InputError("The amount must be more than 0 g.")
    if grams > MAX_GRAMS:
        raise InputError(f"{grams:g} g is more than 5 kg of one food; check the amount (it is in grams).")
    if round(grams, 2) == 0:
        raise InputError(f"{grams:g} g is less than 0.01 g: check the amount.")
    return round(grams, 2)


def check_doses(doses: float) -> float:
    """Refuse dose counts no one takes at once."""
    if not math.isfinite(doses) or doses <= 0:
        raise InputError("The number of doses must be more than 0.")
    if doses > MAX_DOSES:
        raise InputError(f"{doses:g} doses at once is more than {MAX_DOSES:g}; check the number.")
    if round(doses, 3) == 0:
        raise InputError(f"{doses:g} doses is less than 0.001 of a dose: check the number.")
    return round(doses, 3)


# What a household serving is called, from most to least like one serving (USDA lists portions in
# its own order, which often opens with "1 fl oz" or "1 oz"): a whole item, a cup, a slice...
_USUAL = ("medium", "large", "1 cup (8 fl oz)", "slice", "container", "can", "1 cup", "piece", "serving", "egg",
          "tbsp", "tablespoon", "oz (", "cup,", "small")  # fmt: skip
_UNUSUAL = ("extra", "jumbo", "fl oz", "lb", "kg", "package", "quart", "pint", "gallon", "tsp", "dash", "pinch",
            "yield", "recipe", "nlea", "cubic")  # fmt: skip
SERVING_KCAL = 500  # a portion with more energy than this is not "one" of anything (a cup of oil, of nuts)


def usual_portion(food: Food) -> Portion | None:
    """The household portion a person most likely means by "one" of this food ("1 cup" of milk,
    "1 medium" banana, "1 slice" of bread, "1 cup (8 fl oz)" of coffee, "1 tbsp" of oil), or ``None``."""

    def rank(numbered: tuple[int, Portion]) -> tuple[int, int, int]:
        index, portion = numbered
        label = portion.label.lower()
        kcal = (food.energy_kcal_per_100g or 0) * portion.grams / 100
        if not label.startswith("1 ") or (not label.startswith("1 cup") and any(w in label for w in _UNUSUAL)):
            usual = len(_USUAL) + 1
        else:
            usual = next((n for n, word in enumerate(_USUAL) if (word == "1 cup" and (label == "1 cup" or
                          label.startswith("1 cup ("))) or (word != "1 cup" and word in label)), len(_USUAL))  # fmt: skip
        usual = 0 if usual in (0, 1) else usual  # medium and large alike: USDA's order decides
        return (int(kcal > SERVING_KCAL), usual, index)

    return min(enumerate(food.portions), key=rank)[1] if food.portions else None


def find_portion(food: Food, label: str) -> Portion:
    """The food's household measure matching ``label`` ("1 cup", "cup", "slice")."""
    wanted = " ".join(label.lower().split())
    if not food.portions:
        raise InputError(f"{food.name} has no household portions; give the amount in grams.")
    for portion in food.portions:
        if portion.label.lower() == wanted:
            return portion
    for portion in food.portions:
        unit = portion.label.lower().split(" ", 1)[-1]
        if unit == wanted or unit.startswith(wanted):
            return portion
    choices = ", ".join(p.label for p in food.portions[:8])
    raise InputError(f"{food.name} has no portion {label!r}; choose one of: {choices}.")


_COUNTED = re.compile(r"^(?P<number>\d+(?:[.,]\d+)?|\d+\s*/\s*[1-9]\d*)\s*(?:x\s+)?(?P<unit>[a-z0-9].*)$", re.I)


def grams_for_portion(food: Food, label: str, count: float = 1.0) -> tuple[float, str]:
    """Grams for ``count`` of the named portion, and how to describe it. A number before a measure
    ("3 cups", "1/2 cup", "2 x 1 tbsp") is a count of it, unless the food has that exact label."""
    if not math.isfinite(count) or count <= 0:
        raise InputError("The portion count must be more than 0.")
    if count > MAX_COUNT:
        raise InputError(f"{count:g} portions at once is more than {MAX_COUNT:g}; check the count.")
    try:
        portion = find_portion(food, label)
    except InputError:
        counted = _counted_measure(food, label)
        if counted is None:
            raise
        portion, times = counted
        return grams_for_portion(food, portion.label, count * times)
    grams = check_grams(portion.grams * count)
    described = portion.label if count == 1 else f"{count:g} x {portion.label}"
    return grams, described


def _counted_measure(food: Food, label: str) -> tuple[Portion, float] | None:
    """For "3 cups": the food's portion of that measure and how many of that portion were meant
    ("3 tbsp" of a food weighed by "2 tbsp" is 1.5 of it); None if the measure is not the food's."""
    counted = _COUNTED.match(" ".join(label.split()))
    if counted is None:
        return None
    top, _, bottom = counted.group("number").replace(",", ".").partition("/")
    unit = counted.group("unit")
    for measure in dict.fromkeys((unit, re.sub(r"(?<=[a-z])(?:es|s)\b", "", unit, count=1))):  # "cups": "cup"
        with contextlib.suppress(InputError):
            portion = find_portion(food, measure)
            own = _COUNTED.match(portion.label) if measure.lower() != portion.label.lower() else None
            per = float(own.group("number").replace(",", ".")) if own and "/" not in own.group("number") else 1.0
            return portion, float(top) / float(bottom or 1) / (per or 1.0)
    return None


def entry_problem(entry: Entry, today: date) -> str | None:
    """What makes a stored or imported entry impossible, by the same limits as typing one; or
    ``None``. ``today`` is the importer's day (an entry may be dated up to tomorrow, for time zones)."""
    from datetime import timedelta

    if entry.at.year < EARLIEST_YEAR or entry.at.date() > today + timedelta(days=1):
        return f"at: {entry.at:%Y-%m-%d} is outside {EARLIEST_YEAR}-01-01 to {today + timedelta(days=1)}"
    if entry.grams is not None and not 0 < entry.grams <= MAX_GRAMS:
        return f"grams: {entry.grams:g} is not between 0 and {MAX_GRAMS:g}"
    if entry.doses is not None and not 0 < entry.doses <= MAX_DOSES:
        return f"doses: {entry.doses:g} is not between 0 and {MAX_DOSES:g}"
    for key, value in entry.nutrients.as_dict().items():
        if value is not None and not 0 <= value <= MAX_NUTRIENT:
            return f"nutrients.{key}: {value:g} is not between 0 and {MAX_NUTRIENT:g}"
    return None


KG_PER_LB = 0.45359237  # the international pound (definition)
_WEIGHT = re.compile(r"^\s*(?P<number>\d+(?:[.,]\d+)?)\s*(?P<unit>kg|kgs|kilos?|lb|lbs|pounds?)?\s*$", re.I)


def parse_body_weight(text: str) -> float | None:
    """A body weight as people write it ("70", "70 kg", "154lb") in kg, rounded to 0.1; "none"
    clears it (``None``). Outside 25-300 kg is refused as a slip."""
    if text.strip().lower() in ("none", "clear", ""):
        return None
    found = _WEIGHT.match(text)
    if found is None:
        raise InputError(f"{text[:40]!r} is not a body weight: write e.g. 70 kg or 154 lb.")
    number = float(found.group("number").replace(",", "."))
    unit = (found.group("unit") or "kg").lower()
    kg = round(number * (KG_PER_LB if unit.startswith(("lb", "pound")) else 1.0), 1)
    if not 25 <= kg <= 300:
        raise InputError(f"{text.strip()} is {kg:g} kg: a body weight here is 25 to 300 kg; check the number and unit.")
    return kg
