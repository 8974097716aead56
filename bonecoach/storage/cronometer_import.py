"""A Cronometer export imported into the database: previewed (what it would add, what it leaves out
and why), then added, a month at a time.

Each month of rows is planned against that month of the database (rows imported before, days that
would count twice, rows that surely name a catalog food and take its tags); ``StreamedImport`` reads
a file twice (to preview, then to add) and never holds it whole. Reading the rows themselves is
``storage.cronometer``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, time
from pathlib import Path
from typing import TextIO

from bonecoach.domain.amounts import MAX_GRAMS
from bonecoach.domain.day import known_inhibitors
from bonecoach.domain.errors import InputError
from bonecoach.domain.models import Entry, Food, MealSlot
from bonecoach.storage.cronometer import (
    DAILY_TOTAL,
    MATCH_NOTE,
    MAX_PROBLEMS_SHOWN,
    NOTES,
    SHOWN_MATCHES,
    CronometerImport,
    parse_cronometer,
    read_rows,
)
from bonecoach.storage.repository import Repository


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
        grams = _portion_grams(entry, food)
        if grams is not None:
            entry = entry.model_copy(update={"grams": grams})
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


_COUNTED = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?)\s*([a-z][a-z ]*?)(?:\s*\(|,|$)")
OUNCE_GRAMS = 28.3495  # the avoirdupois ounce


def _unit(text: str) -> tuple[float, str] | None:
    """(count, unit) of "1.00 can" or "1 can (3.75 oz)", the unit singular; None if not counted."""
    found = _COUNTED.match(text.lower())
    if not found:
        return None
    unit = found[2].strip()
    return float(found[1]), (unit[:-1] if unit.endswith("s") and not unit.endswith("ss") else unit)


def _portion_grams(entry: Entry, food: Food) -> float | None:
    """The grams of a row given as a count of a unit ("1.00 can") when its matched food has a
    portion of that unit ("1 can (3.75 oz)": 92 g), or in ounces; else None (the amount stays
    the portion, unknown in grams)."""
    if entry.grams is not None or not entry.portion or entry.kind != "food":
        return None
    wanted = _unit(entry.portion)
    if wanted is None or wanted[0] <= 0:
        return None
    count, unit = wanted
    if unit == "oz":
        grams = count * OUNCE_GRAMS
    else:
        same = [(found[0], portion.grams) for portion in food.portions
                if (found := _unit(portion.label)) is not None and found[1] == unit and found[0] > 0]  # fmt: skip
        if not same:
            return None
        grams = count * same[0][1] / same[0][0]
    return round(grams, 1) if 0 < grams <= MAX_GRAMS else None  # a typed entry's limit


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
