"""Import Cronometer's CSV exports: ``servings.csv`` (one row per food) and ``dailysummary.csv``
(one row per day): the rows read as entries. Importing them is ``storage.cronometer_import``.

Columns are found by their header names, so reordered or extra columns do no harm. Units follow
the header: vitamin D in IU is converted to micrograms. Cronometer has one vitamin K column: K2 for
a product named for K2 (and, at import, a food whose catalog match is mostly K2), else K1. An empty
cell is unknown, never zero. A row without a time sits at its meal's usual time, marked as guessed.
Every row is checked before anything is written: one bad row and nothing is imported, with each
problem reported by its line number.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Literal, TextIO

from bonecoach.domain.amounts import entry_problem
from bonecoach.domain.errors import InputError
from bonecoach.domain.models import CRONOMETER_ID_PREFIX, Entry, MealSlot
from bonecoach.domain.nutrient_info import NUTRIENT_KEYS, iu_to_mcg
from bonecoach.domain.nutrients import Nutrients
from bonecoach.domain.timeparse import impossible_day

# Header (lower case, micro signs and spaces normalised) -> (our key, factor to our unit).
COLUMNS: dict[str, tuple[str, float | None]] = {
    "calcium (mg)": ("calcium_mg", 1.0),
    "magnesium (mg)": ("magnesium_mg", 1.0),
    "sodium (mg)": ("sodium_mg", 1.0),
    "caffeine (mg)": ("caffeine_mg", 1.0),
    "vitamin d (iu)": ("vitamin_d_mcg", None),  # None: IU, converted with iu_to_mcg
    "vitamin d (ug)": ("vitamin_d_mcg", 1.0),
    "vitamin k (ug)": ("vitamin_k1_mcg", 1.0),
    "energy (kcal)": ("energy_kcal", 1.0),
    "protein (g)": ("protein_g", 1.0),
    "potassium (mg)": ("potassium_mg", 1.0),
}
# Largest believable value per row (a day's total in the summary): beyond it the cell is a typo.
CEILINGS = {"calcium_mg": 20_000, "magnesium_mg": 10_000, "sodium_mg": 50_000, "caffeine_mg": 5_000,
            "vitamin_d_mcg": 5_000, "vitamin_k1_mcg": 50_000, "energy_kcal": 30_000, "protein_g": 2_000,
            "potassium_mg": 50_000}  # fmt: skip
# With no time (Cronometer's free tier leaves it blank), an entry sits at its meal's usual time:
# the person's own usual day when they have set one (``parse_cronometer(meal_times=...)``).
MEAL_TIMES = {MealSlot.breakfast: time(8, 0), MealSlot.lunch: time(12, 30), MealSlot.dinner: time(18, 30),
              MealSlot.snack: time(15, 0), MealSlot.supplements: time(9, 0)}  # fmt: skip
# A supplement whose name says it is vitamin K2 (menaquinone): Cronometer's one vitamin K column
# holds its K2. (A K1 product names phylloquinone or just "vitamin K".)
K2_NAME = re.compile(r"\bk-?2\b|\bmk-?[47]\b|menaquinone", re.IGNORECASE)
NOTES = (
    "Cronometer has one vitamin K column: it counts as K2 for a product named for K2 (K2, MK-7, MK-4, "
    "menaquinone) or a food whose catalog match holds more K2 than K1, else as K1; K2 stays unknown "
    "(not zero) for the others.",
    "Vitamin D is converted from IU to micrograms (40 IU = 1 mcg).",
    "Rows without a time sit at their meal's usual time (your usual day, if set); two such rows are "
    "never judged for timing against each other.",
)
MATCH_NOTE = (
    "A row whose name surely names a catalog food (found as a typed line is: every word in the name, one of them "
    "the food) carries that food's oxalate and phytate tags, so its timing conflicts are checked; the nutrients "
    "stay Cronometer's."
)
SHOWN_MATCHES = 12
MAX_PROBLEMS_SHOWN = 20
DAILY_TOTAL = "cronometer:daily-total"


@dataclass
class CronometerImport:
    """What a file holds, checked: the entries it would add, and what it cannot read."""

    kind: Literal["servings", "dailysummary"]
    entries: list[Entry] = field(default_factory=list)  # read whole (parse_cronometer) only
    problems: list[str] = field(default_factory=list)
    missing_columns: list[str] = field(default_factory=list)
    rows: int = 0  # rows read as entries


def _header_key(name: str) -> str:
    text = name.strip().lower().replace("\u00b5", "u").replace("\u03bc", "u").replace("mcg", "ug")
    return re.sub(r"\s+", " ", text)


def _meal(group: str, category: str) -> MealSlot:
    if "supplement" in category.lower() or "supplement" in group.lower():
        return MealSlot.supplements
    name = group.strip().lower()
    for slot in (MealSlot.breakfast, MealSlot.lunch, MealSlot.dinner):
        if name.startswith(slot.value):
            return slot
    return MealSlot.snack  # "Snacks", "Uncategorized" and the user's own group names


def _time(text: str, meal: MealSlot, meal_times: dict[MealSlot, time]) -> tuple[time, bool]:
    """The row's time, and whether it was guessed (a blank time: the meal's usual time)."""
    text = text.strip().upper()
    return (_clock(text), False) if text else (meal_times.get(meal, MEAL_TIMES[meal]), True)


@functools.lru_cache(maxsize=4096)
def _clock(text: str) -> time:
    # A few times of day repeat over years of rows: each is parsed once (strptime is slow).
    for pattern in ("%I:%M %p", "%H:%M", "%I:%M%p", "%H:%M:%S"):
        try:
            return datetime.strptime(text, pattern).time()
        except ValueError:
            continue
    raise ValueError(f"time {text!r} is not like 8:30 AM or 08:30")


def _amount(text: str) -> tuple[float | None, float | None]:
    """(grams, count) from "58.00 g" / "1.00 cup": grams only when the unit is grams."""
    match = re.match(r"^\s*([0-9]+(?:[.,][0-9]+)?)\s*(.*)$", text)
    if not match:
        return None, None
    number = float(match.group(1).replace(",", "."))
    unit = match.group(2).strip().lower()
    return (number if unit in ("g", "gram", "grams") else None), number


def _entry_id(parts: list[str], seen: dict[str, int]) -> str:
    # The same row read again gives the same id, so a second import finds it already there;
    # identical rows in one file (two coffees logged alike) get a running number.
    digest = hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]
    seen[digest] = seen.get(digest, 0) + 1
    return f"{CRONOMETER_ID_PREFIX}{digest}-{seen[digest]}"


def parse_cronometer(
    text: str, source: str, today: date | None = None, meal_times: dict[MealSlot, time] | None = None
) -> CronometerImport:
    """Read a Cronometer export (either kind); problems are collected, not raised, per line.
    With ``today``, entries keep the limits of typed ones (dates 2000 to tomorrow, grams up to 5 kg);
    rows without a time sit at ``meal_times`` (the person's usual day), else at ``MEAL_TIMES``."""
    result, rows = read_rows(io.StringIO(text, newline=""), source, today, meal_times)
    result.entries = list(rows)
    return result


def read_rows(
    handle: TextIO, source: str, today: date | None = None, meal_times: dict[MealSlot, time] | None = None
) -> tuple[CronometerImport, Iterator[Entry]]:
    """The file's kind and columns (read from its header at once) and its entries, one row at a
    time as they are read (a ten-year export is never held whole); each row's problem is added to
    the import's ``problems`` as the row is read, by line."""
    reader = csv.reader(handle, strict=True)  # strict: an unclosed quote is an error at its line
    try:
        header = next(reader)
    except StopIteration:
        raise InputError(f"{source}: the file is empty.") from None
    except csv.Error as exc:
        raise InputError(f"{source}: line 1: not CSV ({exc}).") from None
    if header:
        header[0] = header[0].lstrip("\ufeff")
    keys = {_header_key(name): index for index, name in enumerate(header)}
    if "food name" in keys and "day" in keys:
        result = CronometerImport(kind="servings")
    elif "date" in keys:
        result = CronometerImport(kind="dailysummary")
    else:
        raise InputError(
            f"{source}: not a Cronometer servings.csv (Day, Food Name, ...) or dailysummary.csv (Date, ...): "
            f"the first line is {', '.join(header[:6])[:120]!r}."
        )
    columns = {header[index].strip(): (index, COLUMNS[key]) for key, index in keys.items() if key in COLUMNS}
    found = {nutrient for _, (nutrient, _) in columns.values()}
    result.missing_columns = [k for k in NUTRIENT_KEYS if k not in found and k != "vitamin_k2_mcg"]
    if not found:
        raise InputError(f"{source}: no column this app reads (Calcium (mg), Vitamin D (IU), ...): nothing to import.")

    def entries() -> Iterator[Entry]:
        seen: dict[str, int] = {}
        line = 1
        try:
            for row in reader:
                first_line, line = line + 1, reader.line_num
                if not any(cell.strip() for cell in row):
                    continue
                try:
                    entry = _row_entry(result.kind, row, keys, columns, seen, meal_times or MEAL_TIMES)
                    problem = entry_problem(entry, today) if entry is not None and today is not None else None
                    if problem:
                        raise ValueError(problem)
                except ValueError as exc:
                    result.problems.append(f"line {first_line}: {exc}")
                    continue
                if entry is not None:
                    result.rows += 1
                    yield entry
        except csv.Error as exc:
            hint = ": a quote opened on this line is never closed" if "end of data" in str(exc) else ""
            result.problems.append(f"line {line + 1}: not CSV ({exc}){hint}")

    return result, entries()


def _cell(row: list[str], keys: dict[str, int], name: str) -> str:
    index = keys.get(name)
    return row[index].strip() if index is not None and index < len(row) else ""


def _row_entry(
    kind: str, row: list[str], keys: dict[str, int], columns: dict[str, tuple[int, tuple[str, float | None]]],
    seen: dict[str, int], meal_times: dict[MealSlot, time],
) -> Entry | None:  # fmt: skip
    values: dict[str, float | None] = {}
    for label, (index, (nutrient, factor)) in columns.items():
        raw = row[index].strip().replace(",", "") if index < len(row) else ""
        if not raw:
            continue  # unknown, not zero
        try:
            number = float(raw)
        except ValueError:
            raise ValueError(f"{label} is {raw[:20]!r}, not a number") from None
        if number < 0 or number != number:
            raise ValueError(f"{label} is {raw[:20]!r}: amounts cannot be negative")
        amount = iu_to_mcg(number) if factor is None else number * factor
        if amount > CEILINGS[nutrient]:
            raise ValueError(f"{label} is {raw[:20]}, more than anyone takes in a day: a typo?")
        values[nutrient] = round(amount, 4)
    day_text = _cell(row, keys, "day" if kind == "servings" else "date")
    try:
        day = date.fromisoformat(day_text)
    except ValueError:
        why = impossible_day(day_text)
        raise ValueError(
            f"date {day_text[:20]!r}: {why}" if why else f"date {day_text[:20]!r} is not YYYY-MM-DD"
        ) from None
    if kind == "dailysummary":
        return Entry(id=_entry_id(["day", day_text], seen), at=datetime.combine(day, time(12, 0)), kind="food",
                     ref=DAILY_TOTAL, name="Daily total from Cronometer", meal=MealSlot.snack,
                     portion="whole day", nutrients=Nutrients.from_values(values))  # fmt: skip
    name = _cell(row, keys, "food name")
    if not name:
        raise ValueError("the Food Name is empty")
    group, category, amount_text = _cell(row, keys, "group"), _cell(row, keys, "category"), _cell(row, keys, "amount")
    meal = _meal(group, category)
    clock, guessed = _time(_cell(row, keys, "time"), meal, meal_times)
    grams, count = _amount(amount_text)
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:60] or "food"
    supplement = meal == MealSlot.supplements
    if supplement and K2_NAME.search(name) and "vitamin_k1_mcg" in values:
        values["vitamin_k2_mcg"] = values.pop("vitamin_k1_mcg")
    return Entry(
        id=_entry_id([day_text, _cell(row, keys, "time"), group, name, amount_text], seen),
        at=datetime.combine(day, clock), time_guessed=guessed, kind="supplement" if supplement else "food", ref=f"cronometer:{slug}", name=name[:120], meal=meal,
        grams=None if supplement else grams, doses=(count or 1.0) if supplement else None,
        portion=amount_text[:40] or None, nutrients=Nutrients.from_values(values),
    )  # fmt: skip
