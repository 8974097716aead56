"""Calcium-inhibitor and medication timing conflicts: rules as data, detection, and fixes.

Rules come from JSON (validated here); detection is a pure function of the entries around a day,
the day's targets and the rules. Every conflict carries a suggestion computed from the actual
entries: the nearest time that keeps every window, or how to split or trim.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import Annotated, Literal, NamedTuple

from pydantic import ConfigDict, Field, model_validator

from bonecoach.domain.base import Model
from bonecoach.domain.models import Entry, EntryKind
from bonecoach.domain.nutrient_info import NUTRIENT_INFO, NUTRIENT_KEYS
from bonecoach.domain.search import short_name
from bonecoach.domain.targets import Target

Severity = Literal["info", "warning", "danger"]
Level = Literal["very_high", "high", "moderate", "low"]
LEVEL_RANK = {"low": 0, "moderate": 1, "high": 2, "very_high": 3}
SEARCH_STEP_MINUTES = 5
SEARCH_SPAN_MINUTES = 18 * 60
# Suggested times stay within the waking day of the entry being moved (bonecoach's choice).
WAKING_START = time(5, 0)
WAKING_END = time(23, 0)


class EntrySelector(Model):
    """Which entries a rule is about. Every condition given must hold."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kinds: tuple[EntryKind, ...] | None = None
    drug_classes: tuple[str, ...] | None = None
    inhibitor: Literal["oxalate", "phytate"] | None = None
    min_inhibitor_mg: float | None = None
    min_inhibitor_level: Level | None = None
    min_grams: float | None = None
    min_calcium_mg: float | None = None
    not_inhibitor: Literal["oxalate", "phytate"] | None = None

    def matches(self, entry: Entry) -> bool:
        """Whether ``entry`` is one this selector names."""
        if self.kinds is not None and entry.kind not in self.kinds:
            return False
        if self.drug_classes is not None and entry.drug_class not in self.drug_classes:
            return False
        if self.min_calcium_mg is not None and (entry.nutrients.calcium_mg or 0.0) < self.min_calcium_mg:
            return False
        if self.min_grams is not None:
            # For an inhibitor rule, count the grams of the food that carries it (a recipe's
            # spoonful of bran is not the whole bowl).
            carrier = entry.inhibitors.get(self.inhibitor) if self.inhibitor else None
            grams = carrier.grams if carrier is not None and carrier.grams is not None else entry.grams
            if (grams or 0.0) < self.min_grams:
                return False
        if self.not_inhibitor is not None and self.not_inhibitor in entry.inhibitors:
            return False
        if self.inhibitor is not None:
            found = entry.inhibitors.get(self.inhibitor)
            if found is None:
                return False
            # A measured amount is judged by amount; an unmeasured one by the food's level.
            if found.mg is not None and self.min_inhibitor_mg is not None:
                return found.mg >= self.min_inhibitor_mg
            if self.min_inhibitor_level is not None:
                return LEVEL_RANK[found.level] >= LEVEL_RANK[self.min_inhibitor_level]
            if self.min_inhibitor_mg is not None:
                return False
        return True


class _Rule(Model):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{1,60}$")
    severity: Severity
    message: str = Field(min_length=1, max_length=400)
    source: str = Field(min_length=1)
    enabled: bool = True


class PairWindowRule(_Rule):
    """Two kinds of entry closer in time than allowed: ``second`` may not fall within
    ``second_before_minutes`` before ``first`` nor ``second_after_minutes`` after it."""

    kind: Literal["pair_window"]
    first: EntrySelector
    second: EntrySelector
    second_before_minutes: int = Field(ge=0, le=24 * 60)
    second_after_minutes: int = Field(ge=0, le=24 * 60)
    windows_by_first_ref: dict[str, tuple[int, int]] = Field(default_factory=dict)
    move: Literal["first", "second"] = "second"

    def window_for(self, first: Entry) -> tuple[int, int]:
        """Minutes ``second`` must keep before and after this ``first`` (per medicine if listed)."""
        return self.windows_by_first_ref.get(first.ref, (self.second_before_minutes, self.second_after_minutes))

    def violated(self, first: Entry, second: Entry) -> bool:
        """Whether this ordered pair breaks the window (a medicine may have its own window)."""
        if first.id == second.id:
            return False
        before, after = self.window_for(first)
        minutes = (second.at - first.at).total_seconds() / 60
        return -before < minutes < after


class FastingWindowRule(_Rule):
    """After ``first`` (e.g. a bisphosphonate) nothing else may be taken for a while."""

    kind: Literal["fasting_window"]
    first: EntrySelector
    minutes: int = Field(gt=0, le=24 * 60)
    minutes_by_ref: dict[str, int] = Field(default_factory=dict)

    def window(self, first: Entry) -> int:
        """The fasting minutes for this medicine."""
        return self.minutes_by_ref.get(first.ref, self.minutes)

    def violated(self, first: Entry, other: Entry) -> bool:
        """Whether ``other`` falls inside the fast after ``first``."""
        if first.id == other.id:
            return False
        minutes = (other.at - first.at).total_seconds() / 60
        return 0 <= minutes < self.window(first)


class LowerLimitWhen(Model):
    """A stricter limit on days when another nutrient is low (caffeine when calcium is low)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    nutrient_below: str
    amount: float = Field(gt=0)
    limit: float = Field(gt=0)


class DailyTotalRule(_Rule):
    """A day's total over a limit: fixed, or the person's upper limit from their targets."""

    kind: Literal["daily_total"]
    nutrient: str
    limit: float | None = Field(default=None, gt=0)
    limit_from_targets: bool = False
    scope: Literal["all", "supplements"] = "all"
    stricter: LowerLimitWhen | None = None

    @model_validator(mode="after")
    def _has_a_limit(self) -> DailyTotalRule:
        if self.nutrient not in NUTRIENT_KEYS:
            raise ValueError(f"unknown nutrient {self.nutrient!r}")
        if self.limit is None and not self.limit_from_targets:
            raise ValueError("give a limit or set limit_from_targets")
        return self


class SingleDoseRule(_Rule):
    """More of a nutrient taken at once than is absorbed well (entries within ``group_minutes``)."""

    kind: Literal["single_dose"]
    nutrient: str
    limit: float = Field(gt=0)
    selector: EntrySelector
    group_minutes: int = Field(ge=0, le=240)
    split_gap_minutes: int = Field(gt=0, le=12 * 60)


Rule = Annotated[PairWindowRule | FastingWindowRule | DailyTotalRule | SingleDoseRule, Field(discriminator="kind")]


class RuleFile(Model):
    """A rule file: the shipped one, or a user's that adds rules and switches some off."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    schema_version: int = Field(1, alias="schema")
    note: str = ""
    rules: list[Rule] = Field(default_factory=list)
    disable: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique_ids(self) -> RuleFile:
        seen: set[str] = set()
        for rule in self.rules:
            if rule.id in seen:
                raise ValueError(f"rule id {rule.id!r} appears twice")
            seen.add(rule.id)
        return self


def merge_rules(shipped: RuleFile, user: RuleFile | None) -> list[Rule]:
    """The shipped rules, plus the user's, less the ones switched off."""
    if user is None:
        return [rule for rule in shipped.rules if rule.enabled]
    shipped_ids = {rule.id for rule in shipped.rules}
    clash = [rule.id for rule in user.rules if rule.id in shipped_ids]
    if clash:
        raise ValueError(f"user rules reuse shipped ids {', '.join(clash)}: pick new ids, or disable the shipped rule")
    unknown = [rule_id for rule_id in user.disable if rule_id not in shipped_ids | {r.id for r in user.rules}]
    if unknown:
        raise ValueError(f"disable names unknown rules: {', '.join(unknown)}")
    off = set(user.disable)
    return [rule for rule in [*shipped.rules, *user.rules] if rule.enabled and rule.id not in off]


class Conflict(Model):
    """One problem found on a day, with the entries involved and a concrete fix."""

    model_config = ConfigDict(frozen=True)

    rule: str
    severity: Severity
    entries: tuple[str, ...]
    message: str
    source: str
    suggestion: str
    move_entry: str | None = None
    move_to: datetime | None = None


def _hhmm(moment: datetime, day: date) -> str:
    text = f"{moment:%H:%M}"
    if moment.date() != day:
        text += f" on {moment:%a %d %b}"
    return text


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


class ConflictChecker:
    """Finds conflicts for a day among the entries around it (windows may cross midnight)."""

    def __init__(self, rules: Sequence[Rule]) -> None:
        self.rules = list(rules)
        self.pair_rules = [r for r in self.rules if isinstance(r, PairWindowRule)]
        self.fasting_rules = [r for r in self.rules if isinstance(r, FastingWindowRule)]
        self.total_rules = [r for r in self.rules if isinstance(r, DailyTotalRule)]
        self.dose_rules = [r for r in self.rules if isinstance(r, SingleDoseRule)]
        self._fixes = True
        self._by_kind: dict[str, list[Entry]] = {}

    # -- detection --------------------------------------------------------------------------

    def check_day(
        self,
        day: date,
        entries: Sequence[Entry],
        targets: dict[str, Target],
        *,
        fixes: bool = True,
    ) -> list[Conflict]:
        """Conflicts that involve ``day``: ``entries`` should span the day before to the day after.

        With ``fixes=False`` the conflicts are the same but carry no suggested time (the search
        for one is most of the cost), for reviews of many days that only count them."""
        self._fix_memo: dict[tuple[str, str], datetime | None] = {}
        self._fixes = fixes
        ordered = sorted(entries, key=lambda e: (e.at, e.id))
        on_day = [e for e in ordered if e.at.date() == day]
        self._by_kind = {}
        for entry in ordered:
            self._by_kind.setdefault(entry.kind, []).append(entry)
        found: list[Conflict] = []
        found += self._pairs(day, ordered)
        found += self._fasting(day, ordered)
        found += self._doses(day, on_day, ordered)
        found += self._totals(day, on_day, targets)
        return found

    def _select(self, selector: EntrySelector, entries: Sequence[Entry]) -> list[Entry]:
        """The entries ``selector`` names, in time order; a one-kind selector looks at that kind only."""
        pool = self._by_kind.get(selector.kinds[0], []) if selector.kinds and len(selector.kinds) == 1 else entries
        return [e for e in pool if selector.matches(e)]

    def _pairs(self, day: date, entries: Sequence[Entry]) -> list[Conflict]:
        found = []
        for rule in self.pair_rules:
            firsts = self._select(rule.first, entries)
            if not firsts:  # most days hold no iron, quinolone or the like: skip the second scan
                continue
            seconds = self._select(rule.second, entries)
            for first in firsts:
                for second in seconds:
                    if day not in (first.at.date(), second.at.date()) or not rule.violated(first, second):
                        continue
                    moved = second if rule.move == "second" else first
                    found.append(self._with_fix(rule, (first, second), moved, entries, day))
        return found

    def _fasting(self, day: date, entries: Sequence[Entry]) -> list[Conflict]:
        found = []
        for rule in self.fasting_rules:
            for first in self._select(rule.first, entries):
                for other in entries:
                    if day not in (first.at.date(), other.at.date()) or not rule.violated(first, other):
                        continue
                    found.append(self._with_fix(rule, (first, other), other, entries, day))
        return found

    def _with_fix(
        self, rule: Rule, pair: tuple[Entry, Entry], moved: Entry, entries: Sequence[Entry], day: date
    ) -> Conflict:
        message = f"{rule.message} ({_short(pair[0])} {pair[0].at:%H:%M}, {_short(pair[1])} {pair[1].at:%H:%M})"
        if not self._fixes:
            ids = tuple(e.id for e in pair)
            return Conflict(rule=rule.id, severity=rule.severity, entries=ids, message=message, source=rule.source,
                            suggestion="", move_entry=moved.id)  # fmt: skip
        others = [e for e in entries if e.id != moved.id]
        later = self._memo_fix(moved, others, "later")
        earlier = self._memo_fix(moved, others, "earlier")
        options = [t for t in (later, earlier) if t is not None]
        when = min(options, key=lambda t: (abs((t - moved.at).total_seconds()), t < moved.at)) if options else None
        if later and earlier:
            suggestion = (
                f"Move {_short(moved)} to {_hhmm(later, day)}, or back to {_hhmm(earlier, day)}: "
                "the nearest times on each side that keep every window."
            )
        elif when is not None:
            suggestion = f"Move {_short(moved)} to {_hhmm(when, day)}: the nearest time that keeps every window."
        else:
            suggestion = f"No time between 05:00 and 23:00 that day keeps every window for {_short(moved)}; ask your pharmacist how to fit it in."
        return Conflict(
            rule=rule.id,
            severity=rule.severity,
            entries=tuple(e.id for e in pair),
            message=message,
            source=rule.source,
            suggestion=suggestion,
            move_entry=moved.id,
            move_to=when,
        )

    def _doses(self, day: date, on_day: Sequence[Entry], entries: Sequence[Entry]) -> list[Conflict]:
        found = []
        for rule in self.dose_rules:
            doses = [e for e in on_day if rule.selector.matches(e)]
            groups: list[list[Entry]] = []
            for entry in doses:
                if groups and (entry.at - groups[-1][0].at) <= timedelta(minutes=rule.group_minutes):
                    groups[-1].append(entry)
                else:
                    groups.append([entry])
            for group in groups:
                amount = sum(e.nutrients.get(rule.nutrient) or 0.0 for e in group)
                if amount <= rule.limit:
                    continue
                unit = NUTRIENT_INFO[rule.nutrient].unit
                later = group[0].at + timedelta(minutes=rule.split_gap_minutes)
                moved: Entry | None = None
                when: datetime | None = None
                if len(group) > 1:
                    # Several doses at once: move the last one, at least the split gap later.
                    moved = group[-1]
                    when = (
                        self.nearest_allowed_time(moved, [e for e in entries if e.id != moved.id], not_before=later)
                        if self._fixes
                        else None
                    )
                    suggestion = (
                        f"Take {_short(moved)} at {_hhmm(when or later, day)} instead, "
                        f"at least {rule.split_gap_minutes // 60} h after the rest."
                    )
                else:
                    # One dose too large: only a split (or a smaller product) fixes it.
                    each = amount / int(-(-amount // rule.limit))
                    suggestion = (
                        f"Split it: about {each:.0f} {unit} at {group[0].at:%H:%M} and the rest from {_hhmm(later, day)}, "
                        f"or choose a product with at most {rule.limit:.0f} {unit} per dose."
                    )
                found.append(
                    Conflict(
                        rule=rule.id,
                        severity=rule.severity,
                        entries=tuple(e.id for e in group),
                        message=f"{rule.message} ({amount:.0f} {unit} at {group[0].at:%H:%M})",
                        source=rule.source,
                        suggestion=suggestion,
                        move_entry=moved.id if moved else None,
                        move_to=when,
                    )
                )
        return found

    def _totals(self, day: date, on_day: Sequence[Entry], targets: dict[str, Target]) -> list[Conflict]:
        found = []
        nourishing = [e for e in on_day if e.kind != "medication"]
        for rule in self.total_rules:
            pool = [e for e in nourishing if rule.scope == "all" or e.kind == "supplement"]
            total = sum(e.nutrients.get(rule.nutrient) or 0.0 for e in pool)
            limit, why = self._limit(rule, nourishing, targets)
            if limit is None or total <= limit:
                continue
            unit = NUTRIENT_INFO[rule.nutrient].unit
            over = total - limit
            # The fix names the latest entries whose removal brings the day under the limit.
            trimmed, removed = 0.0, []
            for entry in sorted(pool, key=lambda e: e.at, reverse=True):
                value = entry.nutrients.get(rule.nutrient) or 0.0
                if value <= 0:
                    continue
                removed.append(entry)
                trimmed += value
                if trimmed >= over:
                    break
            names = ", ".join(f"{_short(e)} at {e.at:%H:%M}" for e in removed)
            found.append(
                Conflict(
                    rule=rule.id,
                    severity=rule.severity,
                    entries=tuple(e.id for e in removed),
                    message=f"{rule.message} ({total:,.0f} {unit} against {limit:,.0f}{why})",
                    source=rule.source,
                    suggestion=f"{over:,.0f} {unit} over: skip or swap {names}.",
                )
            )
        return found

    @staticmethod
    def _limit(rule: DailyTotalRule, entries: Sequence[Entry], targets: dict[str, Target]) -> tuple[float | None, str]:
        limit = rule.limit
        if rule.limit_from_targets:
            target = targets.get(rule.nutrient)
            limit = target.upper_limit if target else None
        if limit is not None and rule.stricter is not None:
            other = sum(e.nutrients.get(rule.stricter.nutrient_below) or 0.0 for e in entries)
            if other < rule.stricter.amount:
                label = NUTRIENT_INFO[rule.stricter.nutrient_below].label.lower()
                return min(
                    limit, rule.stricter.limit
                ), f", lower because {label} is under {rule.stricter.amount:g} today"
        return limit, ""

    # -- fixes ------------------------------------------------------------------------------

    def entry_is_clear(self, entry: Entry, others: Sequence[Entry]) -> bool:
        """Whether ``entry`` breaks no timing window with any of ``others``, nor joins them in a dose
        that is too large at once (a group in ``_doses`` that holds ``entry`` lies within
        ``group_minutes`` of it, so checking that span is enough)."""
        for rule in self.dose_rules:
            if not rule.selector.matches(entry):
                continue
            span = timedelta(minutes=rule.group_minutes)
            nearby = sum(
                o.nutrients.get(rule.nutrient) or 0.0
                for o in others
                if rule.selector.matches(o) and abs(o.at - entry.at) <= span
            )
            # An entry too large on its own cannot be fixed by moving it; the split advice covers it.
            if nearby > 0 and nearby + (entry.nutrients.get(rule.nutrient) or 0.0) > rule.limit:
                return False
        for other in others:
            for pair_rule in self.pair_rules:
                if (
                    pair_rule.first.matches(entry)
                    and pair_rule.second.matches(other)
                    and pair_rule.violated(entry, other)
                ):
                    return False
                if (
                    pair_rule.first.matches(other)
                    and pair_rule.second.matches(entry)
                    and pair_rule.violated(other, entry)
                ):
                    return False
            for fast in self.fasting_rules:
                if fast.first.matches(entry) and fast.violated(entry, other):
                    return False
                if fast.first.matches(other) and fast.violated(other, entry):
                    return False
        return True

    def too_large_alone(self, entry: Entry) -> bool:
        """Whether ``entry`` by itself breaks a single-dose rule (only a split could fix it)."""
        return any(
            rule.selector.matches(entry) and (entry.nutrients.get(rule.nutrient) or 0.0) > rule.limit
            for rule in self.dose_rules
        )

    def _memo_fix(
        self, moved: Entry, others: Sequence[Entry], direction: Literal["later", "earlier"]
    ) -> datetime | None:
        # One entry often conflicts with several others; its nearest free time is the same.
        key = (moved.id, direction)
        if key not in self._fix_memo:
            self._fix_memo[key] = self.nearest_allowed_time(moved, others, direction=direction)
        return self._fix_memo[key]

    def _forbidden(self, entry: Entry, others: Sequence[Entry]) -> list[_Forbidden]:
        """The times at which ``entry`` would break a timing window with one of ``others``."""
        spans: list[_Forbidden] = []
        for rule in self.pair_rules:
            as_first, as_second = rule.first.matches(entry), rule.second.matches(entry)
            for other in others:
                if other.id == entry.id:
                    continue
                if as_first and rule.second.matches(other):
                    before, after = rule.window_for(entry)
                    spans.append(
                        _Forbidden(
                            other.at - timedelta(minutes=after), other.at + timedelta(minutes=before), False, False
                        )
                    )
                if as_second and rule.first.matches(other):
                    before, after = rule.window_for(other)
                    spans.append(
                        _Forbidden(
                            other.at - timedelta(minutes=before), other.at + timedelta(minutes=after), False, False
                        )
                    )
        for fast in self.fasting_rules:
            opens_fast = fast.first.matches(entry)
            for other in others:
                if other.id == entry.id:
                    continue
                if opens_fast:
                    span = timedelta(minutes=fast.window(entry))
                    spans.append(_Forbidden(other.at - span, other.at, False, True))
                if fast.first.matches(other):
                    spans.append(_Forbidden(other.at, other.at + timedelta(minutes=fast.window(other)), True, False))
        return spans

    def _dose_ok(self, entry: Entry, moment: datetime, doses_nearby: list[tuple[SingleDoseRule, list[Entry]]]) -> bool:
        for rule, pool in doses_nearby:
            span = timedelta(minutes=rule.group_minutes)
            nearby = sum(o.nutrients.get(rule.nutrient) or 0.0 for o in pool if abs(o.at - moment) <= span)
            if nearby > 0 and nearby + (entry.nutrients.get(rule.nutrient) or 0.0) > rule.limit:
                return False
        return True

    def nearest_allowed_time(
        self,
        entry: Entry,
        others: Sequence[Entry],
        not_before: datetime | None = None,
        direction: Literal["both", "later", "earlier"] = "both",
    ) -> datetime | None:
        """The nearest time (5-minute steps, 05:00-23:00 of the entry's day) at which ``entry`` breaks no window."""
        start = entry.at
        if not_before is not None and start < not_before:
            start = not_before
        nearby = [o for o in others if abs((o.at - start).total_seconds()) <= (SEARCH_SPAN_MINUTES + 24 * 60) * 60]
        # Work out the forbidden spans once; each candidate time is then a few comparisons.
        spans = self._forbidden(entry, nearby)
        doses = [
            (rule, [o for o in nearby if o.id != entry.id and rule.selector.matches(o)])
            for rule in self.dose_rules
            if rule.selector.matches(entry)
        ]
        later = self._first_free(entry, start, +1, spans, doses, not_before) if direction != "earlier" else None
        earlier = self._first_free(entry, start, -1, spans, doses, not_before) if direction != "later" else None
        candidates = [c for c in (later, earlier) if c is not None]
        # The nearer one; later first on a tie (min keeps the first of equals).
        return min(candidates, key=lambda c: c[0])[1] if candidates else None

    def _first_free(
        self,
        entry: Entry,
        start: datetime,
        sign: int,
        spans: list[_Forbidden],
        doses: list[tuple[SingleDoseRule, list[Entry]]],
        not_before: datetime | None,
    ) -> tuple[int, datetime] | None:
        """The first 5-minute step from ``start`` (forwards for ``sign`` +1, backwards for -1) at
        which ``entry`` breaks no window: (steps, time). Inside a forbidden span it jumps to the
        span's end rather than trying every step (a busy day has dozens of conflicts to fix)."""
        step = timedelta(minutes=SEARCH_STEP_MINUTES)
        last = SEARCH_SPAN_MINUTES // SEARCH_STEP_MINUTES
        k = 0
        while k <= last:
            moment = start + sign * k * step
            if moment.date() != entry.at.date():
                return None  # the search stays on the entry's own day
            if not_before is not None and moment < not_before:
                if sign < 0:
                    return None
                k += 1
                continue
            if moment.time() < WAKING_START or moment.time() > WAKING_END:
                if (sign > 0) == (moment.time() > WAKING_END):
                    return None  # past the waking hours in the direction of travel
                k += 1
                continue
            if k == 0 and moment == entry.at and not_before is None:
                k += 1  # staying put is not a fix
                continue
            holding = [span for span in spans if span.holds(moment)]
            if not holding:
                if self._dose_ok(entry, moment, doses):
                    return k, moment
                k += 1
                continue
            # Jump to the first step outside every span that holds this moment.
            edge = max(s.high for s in holding) if sign > 0 else min(s.low for s in holding)
            distance = abs((edge - start).total_seconds()) / 60 / SEARCH_STEP_MINUTES
            k = max(k + 1, math.floor(distance))
        return None
