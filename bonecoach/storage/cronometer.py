"""Import Cronometer's CSV exports: ``servings.csv`` (one row per food) and ``dailysummary.csv``
(one row per day).

Columns are found by their header names, so reordered or extra columns do no harm. Units follow
the header: vitamin D in IU is converted to micrograms. Cronometer has no vitamin K2 column, and
its "Vitamin K" is taken as K1 (phylloquinone, which its food databases measure). An empty cell is
unknown, never zero. Every row is checked before anything is written: one bad row and nothing is
imported, with each problem reported by its line number.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import io
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Literal, TextIO

from bonecoach.domain.amounts import entry_problem
from bonecoach.domain.day import known_inhibitors
from bonecoach.domain.errors import InputError
from bonecoach.domain.models import CRONOMETER_ID_PREFIX, Entry, Food, MealSlot
from bonecoach.domain.nutrient_info import NUTRIENT_KEYS, iu_to_mcg
from bonecoach.domain.nutrients import Nutrients
from bonecoach.domain.timeparse import impossible_day
from bonecoach.storage.repository import Repository

# Header (lower case, micro signs and spaces normalised) -> (our key, factor to our unit).
COLUMNS: dict[str, tuple[str, float | None]] = {
    "calcium (mg)": ("calcium_mg", 1.0),
    "magnesium (mg)": ("magnesium_mg", 1.0),
    "sodium (mg)": ("sodium_mg", 1.0),
    "caffeine (mg)": ("caffeine_mg", 1.0),
    "vitamin d (iu)": ("vitamin_d_mcg", None),  # None: IU, converted with iu_to_mcg
    "vitamin d (ug)": ("vitamin_d_mcg", 1.0),
    "vitamin k (ug)": ("vitamin_k1_mcg", 1.0),
}
# Largest believable value per row (a day's total in the summary): beyond it the cell is a typo.
CEILINGS = {"calcium_mg": 20_000, "magnesium_mg": 10_000, "sodium_mg": 50_000, "caffeine_mg": 5_000,
            "vitamin_d_mcg": 5_000, "vitamin_k1_mcg": 50_000}  # fmt: skip
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


@dataclass
class ImportPreview:
    """What an import would add to this database, and what it leaves out and why: counts, kept
    month by month, so that a ten-year file is never held whole (``new`` keeps the entries only when
    read whole: ``preview_import``)."""

    parsed: CronometerImport
    new: list[Entry] = field(default_factory=list)
    duplicates: int = 0
    skipped_days: set[date] = field(default_factory=set)
    overlapping_days: int = 0
    matches: list[tuple[str, Food]] = field(default_factory=list)  # tagged rows: (row name, catalog food)
    unmatched: int = 0  # food rows with no confident catalog match: no inhibitor tags
    unmatched_names: list[tuple[str, int]] = field(default_factory=list)  # each such name, with its rows
    new_count: int = 0
    new_days: set[date] = field(default_factory=set)
    new_calcium: float = 0.0
    matched: Counter[tuple[str, str]] = field(default_factory=Counter)  # (row name, food id): rows
    matched_foods: dict[str, Food] = field(default_factory=dict)
    unmatched_counts: Counter[str] = field(default_factory=Counter)

    @property
    def skipped(self) -> list[str]:
        """Why whole days were left out, if any were."""
        if not self.skipped_days:
            return []
        days = sorted(self.skipped_days)
        return [f"{len(days)} day(s) skipped because they already hold entries and would be counted twice: "
                + ", ".join(str(d) for d in days[:8]) + (" ..." if len(days) > 8 else "")]  # fmt: skip

    def add_month(self, plan: MonthPlan, *, keep: bool) -> None:
        """Count one month's plan in (and keep its entries, when reading whole)."""
        if keep:
            self.new += plan.new
        self.new_count += len(plan.new)
        self.new_days |= {e.at.date() for e in plan.new}
        self.new_calcium += sum(e.nutrients.calcium_mg or 0.0 for e in plan.new)
        self.duplicates += plan.duplicates
        self.skipped_days |= plan.skipped_days
        self.overlapping_days += plan.overlapping_days
        for name, food in plan.matches:
            self.matched[name, food.id] += 1
            self.matched_foods[food.id] = food
            if keep:
                self.matches.append((name, food))
        self.unmatched_counts.update(plan.unmatched)
        self.unmatched = sum(self.unmatched_counts.values())
        self.unmatched_names = self.unmatched_counts.most_common()

    def lines(self, source: str) -> list[str]:
        """The preview shown before anything is written."""
        kind = "servings (one row per food)" if self.parsed.kind == "servings" else "daily summary (one row per day)"
        out = [f"{source}: Cronometer {kind}, {self.parsed.rows} rows read."]
        if self.new_count:
            days = sorted(self.new_days)
            out.append(f"Would add {self.new_count} entries on {len(days)} days, {days[0]} to {days[-1]} "
                       f"({self.new_calcium:,.0f} mg calcium in all).")  # fmt: skip
        else:
            out.append("Nothing new to add.")
        if self.duplicates:
            out.append(f"{self.duplicates} rows were imported before and are skipped.")
        out += self.skipped
        if self.overlapping_days:
            out.append(f"{self.overlapping_days} of these days already hold entries logged in bonecoach: "
                       "check for foods logged in both.")  # fmt: skip
        if self.parsed.missing_columns:
            out.append("No column for " + ", ".join(self.parsed.missing_columns) + " in this file: left unknown.")
        if self.matched:
            out.append(
                f"{sum(self.matched.values())} entries carry oxalate or phytate tags from a matching catalog food:"
            )
            # Each row name once, with how many entries it is (a year of one breakfast is one line).
            for (name, food_id), times in list(self.matched.items())[:SHOWN_MATCHES]:
                food = self.matched_foods[food_id]
                out.append(f"  {name} -> {food_id} {food.name}" + (f" ({times} entries)" if times > 1 else ""))
            if len(self.matched) > SHOWN_MATCHES:
                out.append(f"  ... and {len(self.matched) - SHOWN_MATCHES} more foods")
        if self.unmatched:
            out.append(f"{self.unmatched} food entries match no catalog food surely: they carry no oxalate or phytate "
                       "tags, so their timing conflicts are not checked:")  # fmt: skip
            for name, times in self.unmatched_names[:SHOWN_MATCHES]:
                out.append(f"  {name}" + (f" ({times} entries)" if times > 1 else ""))
            if len(self.unmatched_names) > SHOWN_MATCHES:
                out.append(f"  ... and {len(self.unmatched_names) - SHOWN_MATCHES} more names")
        return [*out, *NOTES, MATCH_NOTE]


@dataclass
class MonthPlan:
    """One month of rows against what the database holds that month."""

    new: list[Entry]
    duplicates: int
    skipped_days: set[date]
    overlapping_days: int
    matches: list[tuple[str, Food]]
    unmatched: Counter[str]


def _plan_month(
    repo: Repository, rows: list[Entry], match: Callable[[str], Food | None] | None, found: dict[str, Food | None]
) -> MonthPlan:
    days = sorted({e.at.date() for e in rows})
    existing = repo.entries_between(days[0], days[-1])
    known_ids = {e.id for e in existing}
    by_day: dict[date, list[Entry]] = {}
    for entry in existing:
        by_day.setdefault(entry.at.date(), []).append(entry)
    new, duplicates, skipped_days = [], 0, set()
    for entry in rows:
        if entry.id in known_ids:
            duplicates += 1
            continue
        there = by_day.get(entry.at.date(), [])
        # A day's total beside anything already logged that day, or foods beside a day's total,
        # would count the day twice.
        if (entry.ref == DAILY_TOTAL and there) or any(e.ref == DAILY_TOTAL for e in there):
            skipped_days.add(entry.at.date())
            continue
        new.append(entry)
    overlapping = len(
        {e.at.date() for e in new if any(not x.ref.startswith("cronometer:") for x in by_day.get(e.at.date(), []))}
    )
    tagged, matches, unmatched = _with_tags(new, match, found)
    return MonthPlan(tagged, duplicates, skipped_days, overlapping, matches, unmatched)


def _by_month(entries: Iterable[Entry]) -> Iterator[list[Entry]]:
    """Runs of entries of one month, as they come (a file in day order gives each month once)."""
    month: list[Entry] = []
    for entry in entries:
        if month and (entry.at.year, entry.at.month) != (month[0].at.year, month[0].at.month):
            yield month
            month = []
        month.append(entry)
    if month:
        yield month


def _with_tags(
    entries: list[Entry], match: Callable[[str], Food | None] | None, found: dict[str, Food | None]
) -> tuple[list[Entry], list[tuple[str, Food]], Counter[str]]:
    """Entries given the inhibitor tags of the catalog food each surely names (and its vitamin K
    as K2 when that food holds more K2 than K1); the tagged matches and, by name, the food rows
    with no sure match."""
    if match is None:
        return entries, [], Counter()
    tagged, matches, unmatched = [], [], Counter[str]()
    for entry in entries:
        if entry.kind != "food" or entry.ref == DAILY_TOTAL:
            tagged.append(entry)
            continue
        key = entry.name.lower()
        if key not in found:
            found[key] = match(entry.name)
        food = found[key]
        if food is None:
            unmatched[entry.name] += 1
            tagged.append(entry)
            continue
        if _mostly_k2(food) and entry.nutrients.vitamin_k1_mcg is not None:
            nutrients = entry.nutrients.model_copy(
                update={"vitamin_k2_mcg": entry.nutrients.vitamin_k1_mcg, "vitamin_k1_mcg": None}
            )
            entry = entry.model_copy(update={"nutrients": nutrients})
        if food.inhibitors:
            entry = entry.model_copy(update={"inhibitors": known_inhibitors(food, entry.grams)})
            matches.append((entry.name, food))
        tagged.append(entry)
    return tagged, matches, unmatched


def _mostly_k2(food: Food) -> bool:
    """Whether a catalog food's vitamin K is mostly K2 (natto, some cheeses): then a row's one
    vitamin K figure is K2."""
    k1, k2 = food.per_100g.vitamin_k1_mcg, food.per_100g.vitamin_k2_mcg
    return k2 is not None and k2 > (k1 or 0.0)


def _meal_times(repo: Repository) -> dict[MealSlot, time] | None:
    regimen = repo.regimen()
    if regimen is None:
        return None
    usual = regimen.times
    return {MealSlot.breakfast: usual.breakfast, MealSlot.lunch: usual.lunch, MealSlot.dinner: usual.dinner,
            MealSlot.supplements: usual.breakfast}  # fmt: skip


def _refuse_problems(parsed: CronometerImport, source: str) -> None:
    if parsed.problems:
        shown = parsed.problems[:MAX_PROBLEMS_SHOWN]
        more = len(parsed.problems) - len(shown)
        raise InputError(
            f"{source}: {len(parsed.problems)} row(s) cannot be read, so nothing was imported:\n  "
            + "\n  ".join(shown)
            + (f"\n  ... and {more} more" if more else "")
            + "\nCorrect them (or delete those rows) and import the file again."
        )


def preview_import(
    repo: Repository,
    text: str,
    source: str,
    match: Callable[[str], Food | None] | None = None,
    today: date | None = None,
) -> ImportPreview:
    """Check the whole text and compare it with the database; raises with every bad line listed.
    ``match`` names the catalog food a row surely is (or ``None``): its tags come with the entry.
    Rows without a time sit at the person's usual meal times (the regimen's day), if set. The
    entries are kept (``preview.new``): for a file of any size, ``StreamedImport``."""
    parsed = parse_cronometer(text, source, today, _meal_times(repo))
    _refuse_problems(parsed, source)
    preview = ImportPreview(parsed)
    found: dict[str, Food | None] = {}
    ordered = sorted(parsed.entries, key=lambda e: (e.at.year, e.at.month))  # stable: rows keep their order
    for rows in _by_month(ordered):
        preview.add_month(_plan_month(repo, rows, match, found), keep=True)
    return preview


def apply_import(repo: Repository, preview: ImportPreview) -> int:
    """Write the previewed new entries (one change of every month touched)."""
    if preview.new:
        repo.add_entries(preview.new)
    return len(preview.new)


class StreamedImport:
    """A Cronometer file imported a month at a time: read twice (to preview, then to add), never
    held whole, so memory is bounded by a month of rows, not by the file. A file whose rows are not
    in month order (a month seen again after another) is read whole instead, as ``preview_import``."""

    def __init__(self, repo: Repository, path: Path, match: Callable[[str], Food | None] | None, today: date | None):
        self.repo, self.path, self.match, self.today = repo, path, match, today
        self.preview: ImportPreview | None = None
        self._whole: ImportPreview | None = None

    def _open(self) -> TextIO:
        try:
            return self.path.open(encoding="utf-8-sig", newline="")
        except OSError as exc:
            raise InputError(f"{self.path}: cannot be read ({exc.strerror or exc}).") from exc

    def _months(self, parsed_into: list[CronometerImport]) -> Iterator[list[Entry]]:
        with self._open() as handle:
            try:
                parsed, rows = read_rows(handle, str(self.path), self.today, _meal_times(self.repo))
                parsed_into.append(parsed)
                seen: set[tuple[int, int]] = set()
                for month in _by_month(rows):
                    key = (month[0].at.year, month[0].at.month)
                    if key in seen:
                        raise _OutOfOrder
                    seen.add(key)
                    yield month
            except UnicodeDecodeError as exc:
                raise InputError(
                    f"{self.path}: not UTF-8 text ({exc.reason}); export it again from Cronometer."
                ) from None

    def read(self) -> ImportPreview:
        """Pass one: check every row and count what would be added (raises listing bad rows)."""
        parsed_into: list[CronometerImport] = []
        found: dict[str, Food | None] = {}
        try:
            preview: ImportPreview | None = None
            for month in self._months(parsed_into):
                preview = preview or ImportPreview(parsed_into[0])
                if not parsed_into[0].problems:  # once a row is bad nothing is imported: only count
                    preview.add_month(_plan_month(self.repo, month, self.match, found), keep=False)
        except _OutOfOrder:
            with self._open() as handle:
                self._whole = preview_import(self.repo, handle.read(), str(self.path), self.match, self.today)
            self.preview = self._whole
            return self._whole
        parsed = parsed_into[0]
        _refuse_problems(parsed, str(self.path))
        self.preview = preview or ImportPreview(parsed)
        return self.preview

    def add(self) -> int:
        """Pass two: add the new entries, month by month into one change; how many."""
        if self._whole is not None:
            return apply_import(self.repo, self._whole)
        found: dict[str, Food | None] = {}
        added = 0
        with self.repo.adding_entries("import of entries") as add_month:
            for month in self._months([]):
                plan = _plan_month(self.repo, month, self.match, found)
                add_month(plan.new)
                added += len(plan.new)
        return added


class _OutOfOrder(Exception):
    """The file's rows are not grouped by month: read whole."""
