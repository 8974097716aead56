"""The window arithmetic the conflict checks and the fix search share: forbidden spans, meal sums
and meal sources, the fewest entries to skip, and how times and entries are phrased."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import NamedTuple

from bonecoach.domain.models import Entry
from bonecoach.domain.names import short_name
from bonecoach.domain.rules import EntrySelector, PairWindowRule, Rule

SEARCH_STEP_MINUTES = 5  # the fix search looks at times this far apart
SEARCH_SPAN_MINUTES = 18 * 60


def _hhmm(moment: datetime, day: date) -> str:
    text = f"{moment:%H:%M}"
    if moment.date() != day:
        text += f" on {moment:%a %d %b}"
    return text


ROUNDING = 1e-6  # sums of floats: an entry that brings the day exactly to the limit is enough


def _fewest_to_skip(pool: Sequence[Entry], nutrient: str, over: float) -> list[Entry]:
    """The entries whose skipping brings the day to its limit, supplements first (food first:
    supplements fill what food leaves, NIH ODS, BHOF): one when one is enough (the latest such),
    else the latest ones until enough."""
    holding = [e for e in pool if (e.nutrients.get(nutrient) or 0.0) > 0]
    tablets = sorted((e for e in holding if e.kind == "supplement"), key=lambda e: e.at, reverse=True)
    meals = sorted((e for e in holding if e.kind != "supplement"), key=lambda e: e.at, reverse=True)
    enough_in_tablets = sum(e.nutrients.get(nutrient) or 0.0 for e in tablets) >= over - ROUNDING
    candidates = tablets if enough_in_tablets else [*tablets, *meals]
    single = next((e for e in candidates if (e.nutrients.get(nutrient) or 0.0) >= over - ROUNDING), None)
    if single is not None:
        return [single]
    removed, trimmed = [], 0.0
    for entry in candidates:
        removed.append(entry)
        trimmed += entry.nutrients.get(nutrient) or 0.0
        if trimmed >= over - ROUNDING:
            break
    return removed


def _inhibitor_amount(rule: Rule, entry: Entry) -> str:
    """For an inhibitor rule, how much the food brings: " with ~608 mg oxalate (derived)"."""
    kind = rule.first.inhibitor if isinstance(rule, PairWindowRule) else None
    found = entry.inhibitors.get(kind) if kind else None
    return "" if kind is None or found is None else f" with {found.describe(kind)}"


def _ruled_out_steps(parts: list[tuple[datetime, list[_Forbidden]]], steps: int) -> bytearray:
    """For shifts of -steps..+steps search steps (index ``steps + n``): 1 where some part, moved by
    that shift, lands inside one of its forbidden spans."""
    ruled_out = bytearray(2 * steps + 1)
    size = SEARCH_STEP_MINUTES * 60
    for at, spans in parts:
        for span in spans:
            low = (span.low - at).total_seconds() / size
            high = (span.high - at).total_seconds() / size
            first = math.ceil(low) if span.low_closed else math.floor(low) + 1
            last = math.floor(high) if span.high_closed else math.ceil(high) - 1
            first, last = max(first, -steps), min(last, steps)
            if first <= last:
                ruled_out[steps + first : steps + last + 1] = b"\x01" * (last - first + 1)
    return ruled_out


def _short(entry: Entry) -> str:
    return short_name(entry.name)


class _Forbidden(NamedTuple):
    """Times an entry may not take: between ``low`` and ``high``, ends included as flagged."""

    low: datetime
    high: datetime
    low_closed: bool
    high_closed: bool

    def holds(self, moment: datetime) -> bool:
        above = moment >= self.low if self.low_closed else moment > self.low
        below = moment <= self.high if self.high_closed else moment < self.high
        return above and below


class _MealSums:
    """For one meal-calcium rule and a fixed set of other entries: the meal sums those entries
    make without the entry being moved, so that each candidate time costs a few comparisons."""

    def __init__(self, rule: PairWindowRule, others: Sequence[Entry]) -> None:
        self.rule = rule
        self.span = timedelta(minutes=rule.second.meal_minutes or 0)
        self.threshold = rule.second.min_calcium_mg or 0.0
        self.firsts = [o for o in others if rule.first.matches(o)]
        self.items = sorted((o for o in others if _meal_item(rule.second, o)), key=lambda e: e.at)
        self.sums = _window_sums(self.items, self.span)

    def clear(self, entry: Entry, moment: datetime) -> bool:
        """Whether ``entry`` at ``moment`` joins no conflict of this rule, nor makes one of a meal
        near it (its calcium adds to theirs): ``entry_is_clear``'s meal part, from the sums."""
        rule = self.rule
        moved = entry.model_copy(update={"at": moment})
        is_item = _meal_item(rule.second, entry)
        own = _calcium(entry) if is_item else 0.0
        near = [item for item in self.items if abs(item.at - moment) <= self.span]
        near_ids = {item.id for item in near}
        sources = [
            item for item in self.items if self.sums[item.id] + (own if item.id in near_ids else 0.0) >= self.threshold
        ]
        firsts = [*self.firsts, moved] if rule.first.matches(entry) else self.firsts
        if rule.first.matches(entry) and any(rule.violated(moved, source) for source in sources):
            return False
        meal = own + sum(_calcium(item) for item in near)
        if is_item and meal >= self.threshold and any(rule.violated(first, moved) for first in firsts):
            return False
        if is_item:
            for source in sources:
                if source.id in near_ids and any(rule.violated(first, source) for first in firsts):
                    return False
        return True


def _window_sums(items: Sequence[Entry], span: timedelta) -> dict[str, float]:
    """For time-sorted ``items``: each one's calcium plus that of every item within ``span`` of
    it (a sliding window, so a long day costs n steps rather than n squared)."""
    sums: dict[str, float] = {}
    low = high = 0
    running = 0.0
    for item in items:
        while high < len(items) and items[high].at <= item.at + span:
            running += _calcium(items[high])
            high += 1
        while items[low].at < item.at - span:
            running -= _calcium(items[low])
            low += 1
        sums[item.id] = running
    return sums


def _calcium(entry: Entry) -> float:
    return entry.nutrients.calcium_mg or 0.0


def _meal_item(selector: EntrySelector, entry: Entry) -> bool:
    """Whether ``entry`` can be part of a calcium meal for ``selector``."""
    return selector.matches_item(entry) and _calcium(entry) > 0


def meal_sources(selector: EntrySelector, entries: Sequence[Entry]) -> list[Entry]:
    """The entries ``selector`` names as calcium sources: each on its own calcium, or for a meal
    selector each calcium-bearing entry whose meal (entries within ``meal_minutes``) reaches it."""
    if not selector.by_meal:
        return [e for e in entries if selector.matches(e)]
    span = timedelta(minutes=selector.meal_minutes or 0)
    threshold = selector.min_calcium_mg or 0.0
    items = [e for e in entries if _meal_item(selector, e)]
    # Each item's meal by a sliding window over the time-sorted items (the fix search asks this
    # for every candidate time: n steps, not n squared); the result keeps the input order.
    order = sorted(range(len(items)), key=lambda n: items[n].at)
    meal = [0.0] * len(items)
    low = high = 0
    running = 0.0
    for position in order:
        at = items[position].at
        while high < len(order) and items[order[high]].at <= at + span:
            running += _calcium(items[order[high]])
            high += 1
        while items[order[low]].at < at - span:
            running -= _calcium(items[order[low]])
            low += 1
        meal[position] = running
    return [item for item, total in zip(items, meal, strict=True) if total >= threshold]
