"""Calcium-inhibitor and medication timing conflicts: rules as data, detection, and fixes.

The rules are data (``rules``: their models, a rule file, the rules medicines declare); the
window arithmetic they share is ``windows``; this module is the checker: detection, a pure
function of the entries around a day, the day's targets and the rules, and the fix search. Every
conflict carries a suggestion computed from the actual entries: the nearest time that keeps every
window, or how to split or trim.

Detection and the fix search stay in one class, about seven hundred lines, because a fix is only
offered after the same checks that found the conflict clear it (``broken_rule`` is the one
definition both use); keeping them side by side is what keeps the property tests' promise
(every fix clears its conflict and makes none) true.
"""

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Literal

from pydantic import ConfigDict

from bonecoach.domain.absorption import LoadEquation
from bonecoach.domain.base import Model
from bonecoach.domain.models import Binder, Entry, supplement_carries
from bonecoach.domain.nutrient_info import NUTRIENT_INFO
from bonecoach.domain.rules import LEVEL_RANK as LEVEL_RANK
from bonecoach.domain.rules import AbsorbedPoorlyRule as AbsorbedPoorlyRule
from bonecoach.domain.rules import DailyChangeRule as DailyChangeRule
from bonecoach.domain.rules import DailyTotalRule as DailyTotalRule
from bonecoach.domain.rules import EntrySelector as EntrySelector
from bonecoach.domain.rules import FastingWindowRule as FastingWindowRule
from bonecoach.domain.rules import PairWindowRule as PairWindowRule
from bonecoach.domain.rules import Rule as Rule
from bonecoach.domain.rules import RuleFile as RuleFile
from bonecoach.domain.rules import Severity as Severity
from bonecoach.domain.rules import SingleDoseRule as SingleDoseRule
from bonecoach.domain.rules import binding_rules as binding_rules
from bonecoach.domain.rules import carriers_of as carriers_of
from bonecoach.domain.rules import merge_rules as merge_rules
from bonecoach.domain.targets import Target
from bonecoach.domain.text import SourceText
from bonecoach.domain.windows import ROUNDING as ROUNDING
from bonecoach.domain.windows import SEARCH_SPAN_MINUTES as SEARCH_SPAN_MINUTES
from bonecoach.domain.windows import SEARCH_STEP_MINUTES as SEARCH_STEP_MINUTES
from bonecoach.domain.windows import _calcium as _calcium
from bonecoach.domain.windows import _fewest_to_skip as _fewest_to_skip
from bonecoach.domain.windows import _Forbidden as _Forbidden
from bonecoach.domain.windows import _hhmm as _hhmm
from bonecoach.domain.windows import _inhibitor_amount as _inhibitor_amount
from bonecoach.domain.windows import _meal_item as _meal_item
from bonecoach.domain.windows import _MealSums as _MealSums
from bonecoach.domain.windows import _ruled_out_steps as _ruled_out_steps
from bonecoach.domain.windows import _short as _short
from bonecoach.domain.windows import meal_sources as meal_sources

# Suggested times stay within the waking day of the entry being moved (bonecoach's choice).
WAKING_START = time(5, 0)
WAKING_END = time(23, 0)


class Conflict(Model):
    """One problem found on a day, with the entries involved and a concrete fix."""

    model_config = ConfigDict(frozen=True)

    rule: str
    severity: Severity
    entries: tuple[str, ...]
    message: str
    source: SourceText
    suggestion: str
    move_entry: str | None = None
    move_to: datetime | None = None
    # A meal moves as a whole: these entries shift by the same amount as ``move_entry``.
    move_with: tuple[str, ...] = ()


@dataclass(frozen=True)
class RealTime:
    """Entries around a day on one timeline of real time: entries keep local clock times, and on
    the day the clocks change (03:00 after 01:59, or 01:00 twice), or after a flight, the clock's
    gap between two of them is not the time that passed. Each entry is expressed in the offset the
    day has at noon, from its own stored offset (``Entry.utc_offset_minutes``; older entries: the
    zone's), its clock time kept for messages (``Entry.shown_at``). On an ordinary day every entry
    already has the day's offset and nothing changes."""

    entries: list[Entry]
    zone: tzinfo
    offset: timedelta

    @classmethod
    def around(cls, day: date, zone: tzinfo, entries: Sequence[Entry]) -> "RealTime | None":
        """The timeline, or ``None`` when every entry already shares the day's offset."""
        offset = zone.utcoffset(datetime.combine(day, time(12)))
        if offset is None:
            return None
        moved: list[Entry] = []
        for entry in entries:
            # Its own offset where it was logged, else (older entries, imports) the zone's now.
            stored = entry.utc_offset_minutes
            own = timedelta(minutes=stored) if stored is not None else zone.utcoffset(entry.at)
            moved.append(entry if own in (None, offset) else
                         entry.model_copy(update={"at": entry.at - own + offset, "shown_at": entry.at}))  # fmt: skip
        if all(a is b for a, b in zip(moved, entries, strict=True)):
            return None
        return cls(moved, zone, offset)

    def local(self, moment: datetime) -> datetime:
        """A time of this timeline on the local clock."""
        real = (moment - self.offset).replace(tzinfo=UTC)
        return real.astimezone(self.zone).replace(tzinfo=None)


class ConflictChecker:
    """Finds conflicts for a day among the entries around it (windows may cross midnight).

    ``plain_water`` holds the catalog ids of foods that are plain water (a tag in the assets):
    the one thing a fasting tablet's rule allows."""

    def __init__(
        self,
        rules: Sequence[Rule],
        plain_water: frozenset[str] = frozenset(),
        load: LoadEquation | None = None,
        carriers: Mapping[str, tuple[Binder, ...]] | None = None,
    ) -> None:
        self.rules = list(rules)
        self.plain_water = plain_water
        # What each product, medicine and food (by id) carries that binds a medicine; an entry
        # takes it from what it names when checked, so older and imported entries count too.
        self.carriers = dict(carriers or {})
        self.load = load  # the absorbable-calcium equation: what a split of a calcium dose gains
        pairs = [r for r in self.rules if isinstance(r, PairWindowRule)]
        self.pair_rules = [r for r in pairs if not r.second.by_meal]
        self.meal_rules = [r for r in pairs if r.second.by_meal]
        # The pair rules an entry of each kind can take part in, as first or second (the kind is
        # the cheapest test, and most rules name one kind).
        kinds = ("food", "supplement", "medication")
        self._pairs_as_first = {
            k: [r for r in self.pair_rules if r.first.kinds is None or k in r.first.kinds] for k in kinds
        }
        self._pairs_as_second = {k: [r for r in self.pair_rules if r.second.kinds is None or k in r.second.kinds]
                                 for k in kinds}  # fmt: skip
        self.fasting_rules = [r for r in self.rules if isinstance(r, FastingWindowRule)]
        self.total_rules = [r for r in self.rules if isinstance(r, DailyTotalRule)]
        self.dose_rules = [r for r in self.rules if isinstance(r, SingleDoseRule)]
        self.change_rules = [r for r in self.rules if isinstance(r, DailyChangeRule)]
        self.poorly_rules = [r for r in self.rules if isinstance(r, AbsorbedPoorlyRule)]
        self._fixes = True
        self._by_kind: dict[str, list[Entry]] = {}
        self._real: RealTime | None = None

    def carried(self, entry: Entry) -> tuple[Binder, ...]:
        """What ``entry`` carries that binds medicines: what its product, medicine or food declares,
        and a supplement's calcium and magnesium read from its own nutrients."""
        if entry.kind != "supplement":  # most entries: what they name carries, or nothing
            return entry.carries or self.carriers.get(entry.ref, ())
        declared = entry.carries + tuple(b for b in self.carriers.get(entry.ref, ()) if b not in entry.carries)
        return supplement_carries(entry.nutrients, declared)

    def annotated(self, entries: Sequence[Entry]) -> list[Entry]:
        """``entries`` with what each carries filled in (a copy only where it adds something)."""
        result = list(entries)
        for n, entry in enumerate(result):
            if entry.kind != "supplement" and (entry.carries or entry.ref not in self.carriers):
                continue  # the common case, decided without building anything
            carries = self.carried(entry)
            if carries != entry.carries:
                result[n] = entry.model_copy(update={"carries": carries})
        return result

    def breaks_fast(self, rule: FastingWindowRule, entry: Entry) -> bool:
        """Whether ``entry`` counts against a fast (plain water does not, where the rule allows it)."""
        return not (rule.allows == "plain_water" and entry.kind == "food" and entry.ref in self.plain_water)

    # -- detection --------------------------------------------------------------------------

    def check_day(
        self,
        day: date,
        entries: Sequence[Entry],
        targets: dict[str, Target],
        *,
        fixes: bool = True,
        day_complete: bool = True,
        zone: tzinfo | None = None,
    ) -> list[Conflict]:
        """Conflicts that involve ``day``: ``entries`` should span the day before to the day after.

        With the local time ``zone``, windows are real durations across a change of the clocks
        (``RealTime``); messages still say the clock times a person read.

        With ``fixes=False`` the conflicts are the same but carry no suggested time (the search
        for one is most of the cost), for reviews of many days that only count them. A day still
        being logged (``day_complete=False``) is not compared with the day before for falls."""
        self._fix_memo: dict[tuple[str, str], datetime | None] = {}
        self._fixes = fixes
        self._real = RealTime.around(day, zone, entries) if zone is not None else None
        if self._real is not None:
            entries = self._real.entries
        ordered = sorted(self.annotated(entries), key=lambda e: (e.at, e.id))
        on_day = [e for e in ordered if e.local_day == day]
        self._by_kind = {}
        for entry in ordered:
            self._by_kind.setdefault(entry.kind, []).append(entry)
        timed: list[Conflict] = []
        timed += self._pairs(day, ordered)
        timed += self._fasting(day, ordered)
        timed += self._doses(day, on_day, ordered)
        timed += self._absorbed_poorly(day, on_day, ordered)
        guessed = {e.id for e in ordered if e.time_guessed}
        # Two entries whose times were both guessed (rows imported without a time) are at their
        # meals' usual times: how they stood to each other is unknown, so no timing is judged.
        found = [c for c in timed if len(c.entries) < 2 or not set(c.entries) <= guessed]
        found += self._totals(day, on_day, targets)
        found += self._changes(day, ordered, day_complete)
        if self._real is not None:  # a suggested time back on the local clock
            found = [c.model_copy(update={"move_to": self._local(c.move_to)}) if c.move_to else c for c in found]
        return found

    def _local(self, moment: datetime) -> datetime:
        """A time of the checker's timeline on the local clock (the same but across a change)."""
        return moment if self._real is None else self._real.local(moment)

    def _select(self, selector: EntrySelector, entries: Sequence[Entry]) -> list[Entry]:
        """The entries ``selector`` names, in time order; a one-kind selector looks at that kind only."""
        pool = self._by_kind.get(selector.kinds[0], []) if selector.kinds and len(selector.kinds) == 1 else entries
        if selector.by_meal:
            return meal_sources(selector, pool)
        return [e for e in pool if selector.matches(e)]

    def _pairs(self, day: date, entries: Sequence[Entry]) -> list[Conflict]:
        found = []
        for rule in [*self.pair_rules, *self.meal_rules]:
            firsts = self._select(rule.first, entries)
            if not firsts:  # most days hold no iron, quinolone or the like: skip the second scan
                continue
            seconds = self._select(rule.second, entries)
            for first in firsts:
                hits = [s for s in seconds if day in (first.local_day, s.local_day) and rule.violated(first, s)]
                if rule.second.by_meal:
                    for meal in self._meals_holding(rule.second, hits):
                        found.append(self._meal_conflict(rule, first, meal, entries, day))
                    continue
                for second in hits:
                    moved, other = (second, first) if rule.move == "second" else (first, second)
                    found.append(self._with_fix(rule, (first, second), moved, other, entries, day))
        return found

    @staticmethod
    def _meals_holding(selector: EntrySelector, hits: Sequence[Entry]) -> list[list[Entry]]:
        """``hits`` (calcium entries inside one medicine's window) as meals: each within
        ``meal_minutes`` of the one before, in time order. Only the entries in the window take
        part, so a fix that moves the meal moves what is in conflict and nothing else."""
        span = timedelta(minutes=selector.meal_minutes or 0)
        meals: list[list[Entry]] = []
        for item in sorted(hits, key=lambda e: (e.at, e.id)):
            if meals and item.at - meals[-1][-1].at <= span:
                meals[-1].append(item)
            else:
                meals.append([item])
        return meals

    def _meal_conflict(
        self, rule: PairWindowRule, first: Entry, meal: list[Entry], entries: Sequence[Entry], day: date
    ) -> Conflict:
        """One conflict for a medicine (or inhibitor food) and a meal whose calcium counts together;
        the fix moves the meal as a whole, or else the other one."""
        if len(meal) == 1 or rule.move == "first":
            moved, partner = (meal[0], first) if rule.move == "second" else (first, meal[0])
            single = self._with_fix(rule, (first, meal[0]), moved, partner, entries, day)
            if len(meal) == 1:
                return single
        names = ", ".join(_short(e) for e in meal)
        calcium = sum(_calcium(e) for e in meal)
        message = (
            f"{rule.message} ({_short(first)} {first.clock()}{_inhibitor_amount(rule, first)}; the meal at "
            f"{meal[0].clock()}: {names}, {calcium:.0f} mg calcium together)"
        )
        ids = (first.id, *(e.id for e in meal))
        base = {"rule": rule.id, "severity": rule.severity, "entries": ids, "message": message, "source": rule.source}
        if rule.move == "first":
            return Conflict(**base, suggestion=single.suggestion, move_entry=single.move_entry, move_to=single.move_to)
        if not self._fixes:
            return Conflict(**base, suggestion="", move_entry=meal[0].id, move_with=tuple(e.id for e in meal[1:]))
        shift = self._meal_shift(meal, entries)
        if shift is not None:
            later = meal[0].at + shift
            return Conflict(**base, suggestion=(
                f"Move the meal at {meal[0].clock()} ({names}) to {_hhmm(self._local(later), day)}: the nearest time that keeps "
                "every window for all of it."), move_entry=meal[0].id, move_to=later,
                move_with=tuple(e.id for e in meal[1:]))  # fmt: skip
        text, mover, when = self._fix_for(first, entries, day)
        if when is not None:
            return Conflict(**base, suggestion=f"No time that day keeps every window for the meal. {text}",
                            move_entry=mover.id, move_to=when)  # fmt: skip
        return Conflict(**base, suggestion=(
            f"No single move keeps every window for this meal or {_short(first)}: have the calcium-rich part of it "
            f"({names}) at another meal, or ask your pharmacist how to fit both in."), move_entry=None)  # fmt: skip

    def _meal_shift(self, meal: list[Entry], entries: Sequence[Entry]) -> timedelta | None:
        """The smallest shift (5-minute steps, later first on a tie) that moves the whole meal,
        within its day's waking hours, to a time where every part of it is clear."""
        key = ("meal", ",".join(e.id for e in meal))
        if key in self._fix_memo:
            memo = self._fix_memo[key]
            return None if memo is None else memo - meal[0].at
        ids = {e.id for e in meal}
        others = [e for e in entries if e.id not in ids and abs(e.at - meal[0].at) <= timedelta(days=2)]
        # Times each part surely may not take among the others (the spans of the one-entry search):
        # a shift that puts any part inside one is skipped without the full check. The rest of the
        # meal only adds calcium, so a span against the others alone still holds with it.
        steps = SEARCH_SPAN_MINUTES // SEARCH_STEP_MINUTES
        ruled_out = _ruled_out_steps([(part.at, self._forbidden(part, others)) for part in meal], steps)
        found: timedelta | None = None
        for k in range(1, steps + 1):
            for sign in (1, -1):
                if ruled_out[steps + sign * k]:
                    continue
                shift = timedelta(minutes=sign * k * SEARCH_STEP_MINUTES)
                if any(
                    (e.at + shift).date() != e.at.date() or not WAKING_START <= (e.at + shift).time() <= WAKING_END
                    for e in meal
                ):
                    continue
                moved = [e.model_copy(update={"at": e.at + shift}) for e in meal]
                if all(self.entry_is_clear(m, [*others, *(x for x in moved if x.id != m.id)]) for m in moved):
                    found = shift
                    break
            if found is not None:
                break
        self._fix_memo[key] = None if found is None else meal[0].at + found
        return found

    def _fasting(self, day: date, entries: Sequence[Entry]) -> list[Conflict]:
        found = []
        for rule in self.fasting_rules:
            for first in self._select(rule.first, entries):
                for other in entries:
                    if day not in (first.local_day, other.local_day) or not self.breaks_fast(rule, other):
                        continue
                    side = rule.side(first, other)
                    if side is None:
                        continue
                    why = (
                        f"{_short(first)} must be the first thing of its day: {_short(other)} came before it"
                        if side == "before"
                        else f"{_short(other)} came within {rule.window(first)} min after {_short(first)}"
                    )
                    found.append(self._with_fix(rule, (first, other), other, first, entries, day, why))
        return found

    def _with_fix(
        self,
        rule: Rule,
        pair: tuple[Entry, Entry],
        moved: Entry,
        partner: Entry,
        entries: Sequence[Entry],
        day: date,
        why: str = "",
    ) -> Conflict:
        detail = why or (
            f"{_short(pair[0])} {pair[0].clock()}{_inhibitor_amount(rule, pair[0])}, "
            f"{_short(pair[1])} {pair[1].clock()}"
        )
        if why:
            detail += f"; {_short(pair[0])} {pair[0].clock()}, {_short(pair[1])} {pair[1].clock()}"
        message = f"{rule.message} ({detail})"
        ids = tuple(e.id for e in pair)
        if not self._fixes:
            return Conflict(rule=rule.id, severity=rule.severity, entries=ids, message=message, source=rule.source,
                            suggestion="", move_entry=moved.id)  # fmt: skip
        suggestion, mover, when = self._fix_for(moved, entries, day)
        if when is None:
            # No time suits the usual mover: perhaps the other one of the pair can move instead.
            other_suggestion, other_mover, other_when = self._fix_for(partner, entries, day)
            if other_when is not None:
                suggestion = f"No time that day keeps every window for {_short(moved)}. {other_suggestion}"
                mover, when = other_mover, other_when
            else:
                suggestion = (
                    f"No single move between {WAKING_START:%H:%M} and {WAKING_END:%H:%M} keeps every window for "
                    f"{_short(moved)} or {_short(partner)}: skip {_short(moved)} today (or take it on another "
                    "day), and ask your pharmacist how to fit both in."
                )
        return Conflict(rule=rule.id, severity=rule.severity, entries=ids, message=message, source=rule.source,
                        suggestion=suggestion, move_entry=mover.id, move_to=when)  # fmt: skip

    def _fix_for(self, moved: Entry, entries: Sequence[Entry], day: date) -> tuple[str, Entry, datetime | None]:
        """The suggestion for moving ``moved``: its text, the entry, and the nearest time (or none)."""
        others = [e for e in entries if e.id != moved.id]
        later = self._memo_fix(moved, others, "later")
        earlier = self._memo_fix(moved, others, "earlier")
        options = [t for t in (later, earlier) if t is not None]
        when = min(options, key=lambda t: (abs((t - moved.at).total_seconds()), t < moved.at)) if options else None
        if later and earlier:
            suggestion = (
                f"Move {_short(moved)} to {_hhmm(self._local(later), day)}, or back to {_hhmm(self._local(earlier), day)}: "
                "the nearest times on each side that keep every window."
            )
        elif when is not None:
            suggestion = (
                f"Move {_short(moved)} to {_hhmm(self._local(when), day)}: the nearest time that keeps every window."
            )
        else:
            suggestion = ""
        return suggestion, moved, when

    def _split_gain(self, nutrient: str, whole: float, parts: list[float]) -> str:
        """What taking calcium in ``parts`` instead of at once gains, by the load equation."""
        if self.load is None or nutrient != "calcium_mg":
            return ""
        gain = sum(p * self.load.fraction(p) for p in parts if p > 0) - whole * self.load.fraction(whole)
        if gain < 1:
            return ""
        return f" Split, about {gain:.0f} mg more is absorbed (estimate, by the absorbable-calcium load equation)."

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
                    if when is not None or not self._fixes:
                        last = moved.nutrients.get(rule.nutrient) or 0.0
                        suggestion = (
                            f"Take {_short(moved)} at {_hhmm(when or later, day)} instead, "
                            f"at least {rule.split_gap_minutes // 60} h after the rest."
                        ) + self._split_gain(rule.nutrient, amount, [amount - last, last])
                    else:
                        suggestion = (
                            f"No later time that day keeps every window for {_short(moved)}: skip it today, "
                            f"or take the doses {rule.split_gap_minutes // 60} h apart on another day."
                        )
                else:
                    suggestion = self._split_advice(rule, group[0], amount, later, entries, day)
                found.append(
                    Conflict(
                        rule=rule.id,
                        severity=rule.severity,
                        entries=tuple(e.id for e in group),
                        message=f"{rule.message} ({amount:.0f} {unit} at {group[0].clock()})",
                        source=rule.source,
                        suggestion=suggestion,
                        move_entry=moved.id if moved else None,
                        move_to=when,
                    )
                )
        return found

    def _split_advice(
        self, rule: SingleDoseRule, entry: Entry, amount: float, later: datetime, entries: Sequence[Entry], day: date
    ) -> str:
        """One entry too large at once: split it by whole doses, the rest at a time that keeps every
        window; a single dose (one tablet) is never advised to be cut (that is the pharmacist's call)."""
        unit = NUTRIENT_INFO[rule.nutrient].unit
        count = entry.doses or 1.0
        per_dose = amount / count
        now = max(1, int(rule.limit // per_dose)) if per_dose <= rule.limit else 0
        if not float(count).is_integer() or count < 2 or now == 0:
            return (
                f"One dose holds {per_dose:.0f} {unit}, over the {rule.limit:.0f} {unit} absorbed well at once, and "
                "bonecoach cannot advise cutting a tablet: ask your pharmacist whether this one may be split, or "
                f"choose a product with at most {rule.limit:.0f} {unit} per dose."
            )
        sizes = [float(now)] * int(count // now) + ([count % now] if count % now else [])
        placed = [entry.model_copy(update={"doses": sizes[0], "nutrients": entry.nutrients.scaled(sizes[0] / count)})]
        others = [e for e in entries if e.id != entry.id]
        times = [entry.at]
        for n, size in enumerate(sizes[1:], start=1):
            part = entry.model_copy(update={"id": f"{entry.id}-part{n}", "doses": size,
                                            "nutrients": entry.nutrients.scaled(size / count)})  # fmt: skip
            not_before = times[-1] + timedelta(minutes=rule.split_gap_minutes)
            when = (
                self.nearest_allowed_time(part, [*others, *placed], not_before=not_before)
                if self._fixes
                else not_before
            )
            if when is None:
                return (f"Take {sizes[0]:g} of the {count:g} doses at {entry.clock()}; no later time that day keeps "
                        "every window for the rest: take them on another day.")  # fmt: skip
            placed.append(part.model_copy(update={"at": when}))
            times.append(when)
        parts = ", ".join(
            f"{size:g} at {_hhmm(self._local(at), day)}" for size, at in zip(sizes[1:], times[1:], strict=True)
        )
        advice = (f"Split it by whole doses: {sizes[0]:g} at {entry.clock()}, then {parts}, or choose a product "
                  f"with at most {rule.limit:.0f} {unit} per dose.")  # fmt: skip
        return advice + self._split_gain(rule.nutrient, amount, [per_dose * size for size in sizes])

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
            removed = _fewest_to_skip(pool, rule.nutrient, over)
            names = ", ".join(f"{_short(e)} at {e.clock()}" for e in removed)
            tablets_only = all(e.kind == "supplement" for e in removed) and any(e.kind != "supplement" for e in pool)
            first = " Food first: supplements fill what food leaves." if tablets_only else ""
            found.append(
                Conflict(
                    rule=rule.id,
                    severity=rule.severity,
                    entries=tuple(e.id for e in removed),
                    message=f"{rule.message} ({total:,.0f} {unit} against {limit:,.0f}{why})",
                    source=rule.source,
                    suggestion=f"{over:,.0f} {unit} over: skip or swap {names}.{first}",
                )
            )
        return found

    def _absorbed_poorly(self, day: date, on_day: Sequence[Entry], entries: Sequence[Entry]) -> list[Conflict]:
        """Entries absorbed poorly as taken (carbonate without food, or with an acid reducer)."""
        found = []
        before = day - timedelta(days=1)
        for rule in self.poorly_rules:
            reducer = (
                next((e for e in entries if rule.worse_with.matches(e) and e.local_day in (day, before)), None)
                if rule.worse_with is not None
                else None
            )
            for entry in (e for e in on_day if rule.selector.matches(e)):
                if reducer is not None:
                    why = f"taken with {_short(reducer)} ({reducer.clock('%d %b')}) lowering stomach acid"
                elif rule.food_minutes is not None and not any(
                    e.kind == "food" and abs(e.at - entry.at) <= timedelta(minutes=rule.food_minutes) for e in entries
                ):
                    why = f"no food logged within {rule.food_minutes} min"
                else:
                    continue
                found.append(Conflict(
                    rule=rule.id, severity=rule.severity, entries=(entry.id,),
                    message=f"{rule.message} ({_short(entry)} at {entry.clock()}: {why})", source=rule.source,
                    suggestion="Take calcium carbonate with a meal; with an acid reducer, or if meals do not suit, "
                    "calcium citrate is the form to ask about (any time, with or without food).",
                ))  # fmt: skip
        return found

    def _changes(self, day: date, entries: Sequence[Entry], day_complete: bool) -> list[Conflict]:
        found = []
        before = day - timedelta(days=1)
        for rule in self.change_rules:
            if not any(rule.when_taking.matches(e) and e.local_day in (day, before) for e in entries):
                continue
            today = [e for e in entries if e.local_day == day and e.kind != "medication"]
            yesterday = [e for e in entries if e.local_day == before and e.kind != "medication"]
            if not today or not yesterday:
                continue  # a day with nothing logged is not a day with nothing eaten

            def total(pool: list[Entry], rule: DailyChangeRule = rule) -> float:
                return sum(e.nutrients.get(key) or 0.0 for e in pool for key in rule.nutrients)

            now, then = total(today), total(yesterday)
            change = now - then
            if abs(change) <= rule.max_change or (change < 0 and not day_complete):
                continue
            heavier = today if change > 0 else yesterday
            top = sorted(heavier, key=lambda e: -sum(e.nutrients.get(k) or 0.0 for k in rule.nutrients))[:3]
            unit = NUTRIENT_INFO[rule.nutrients[0]].unit
            direction = "more" if change > 0 else "less"
            names = ", ".join(f"{_short(e)} {e.clock('%a %H:%M')}" for e in top)
            found.append(
                Conflict(
                    rule=rule.id,
                    severity=rule.severity,
                    entries=tuple(e.id for e in top if e.local_day == day),
                    message=f"{rule.message} ({now:,.0f} {unit} today, {then:,.0f} {unit} the day before: "
                    f"{abs(change):,.0f} {unit} {direction}, over the {rule.max_change:g} {unit} flagged)",
                    source=rule.source,
                    suggestion=f"Keep vitamin K foods about the same from day to day (the largest: {names}); "
                    "ask your anticoagulation clinic before changing how much you eat of them.",
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

    def entry_is_clear(self, entry: Entry, others: Sequence[Entry], *, carried: bool = False) -> bool:
        """Whether ``entry`` breaks no rule with any of ``others`` (see ``broken_rule``)."""
        return self.broken_rule(entry, others, carried=carried) is None

    def broken_rule(self, entry: Entry, others: Sequence[Entry], *, carried: bool = False) -> Rule | None:
        """The first rule ``entry`` breaks with ``others`` (``None``: none): a timing window, a dose
        too large at once with them (a group in ``_doses`` that holds ``entry`` lies within
        ``group_minutes`` of it, so checking that span is enough), or a meal near it made a
        calcium source inside a medicine's window.

        This is the plain definition; the fix search's spans and point checks must agree with it
        (a property test holds them to it). ``carried``: the entries already say what they carry
        (the planner makes them so), so they are not annotated again on every trial."""
        if not carried:
            entry, others = self.annotated([entry])[0], self.annotated(others)
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
                return rule
        # The rules this entry takes part in, worked out once (not once per other entry).
        as_first = [rule for rule in self._pairs_as_first[entry.kind] if rule.first.matches(entry)]
        as_second = [rule for rule in self._pairs_as_second[entry.kind] if rule.second.matches(entry)]
        opens = [fast for fast in self.fasting_rules if fast.first.matches(entry)]
        breaks = [fast for fast in self.fasting_rules if self.breaks_fast(fast, entry)]
        for other in others:
            for pair_rule in as_first:
                if pair_rule.second.matches(other) and pair_rule.violated(entry, other):
                    return pair_rule
            for pair_rule in as_second:
                if pair_rule.first.matches(other) and pair_rule.violated(other, entry):
                    return pair_rule
            for fast in opens:
                if self.breaks_fast(fast, other) and fast.violated(entry, other):
                    return fast
            for fast in breaks:
                if fast.first.matches(other) and fast.violated(other, entry):
                    return fast
        pool = [*others, entry]
        for meal_rule in self.meal_rules:
            firsts = [e for e in pool if meal_rule.first.matches(e)]
            if not firsts:
                continue
            sources = meal_sources(meal_rule.second, pool)
            if any(
                (first.id == entry.id or source.id == entry.id) and meal_rule.violated(first, source)
                for first in firsts
                for source in sources
            ):
                return meal_rule
            # Its calcium must not make a nearby meal a source inside a window either.
            if _meal_item(meal_rule.second, entry):
                span = timedelta(minutes=meal_rule.second.meal_minutes or 0)
                if any(
                    source.id != entry.id and abs(source.at - entry.at) <= span and meal_rule.violated(first, source)
                    for first in firsts
                    for source in sources
                ):
                    return meal_rule
        return None

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
        """Times at which ``entry`` would surely break a timing window with one of ``others``.

        Meal-calcium rules give spans only where the answer does not depend on the meal (the
        entry alone reaches the threshold, or it is the medicine facing a meal that does); the
        rest is left to the point check."""
        entry, others = self.annotated([entry])[0], self.annotated(others)
        spans: list[_Forbidden] = []
        for rule in [*self.pair_rules, *self.meal_rules]:
            by_meal = rule.second.by_meal
            as_first = rule.first.matches(entry)
            as_second = rule.second.matches(entry)
            if by_meal and as_first and _meal_item(rule.second, entry):
                as_first = as_second = False  # both roles at once: the point check decides
            if not as_first and not as_second:
                continue  # the rule is not about this entry: no span (and no need to look at the others)
            sources = {e.id for e in meal_sources(rule.second, others)} if by_meal and as_first else None
            for other in others:
                if other.id == entry.id:
                    continue
                is_source = rule.second.matches(other) if sources is None else other.id in sources
                if as_first and is_source:
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
            breaking = self.breaks_fast(fast, entry)
            for other in others:
                if other.id == entry.id:
                    continue
                if opens_fast and self.breaks_fast(fast, other):
                    spans.append(self._tablet_span(fast, entry, other))
                if breaking and fast.first.matches(other):
                    end = other.at + timedelta(minutes=fast.window(other))
                    spans.append(_Forbidden(fast.fast_start(other), end, True, False))
        return spans

    @staticmethod
    def _tablet_span(fast: FastingWindowRule, tablet: Entry, other: Entry) -> _Forbidden:
        """The times at which ``tablet`` would have ``other`` inside its fast: from the wait before
        ``other`` to the end of ``other``'s day (first of the day), or its overnight fast."""
        low = other.at - timedelta(minutes=fast.window(tablet))
        if not fast.first_of_day:
            return _Forbidden(low, other.at, False, True)
        next_midnight = datetime.combine(other.at.date() + timedelta(days=1), time())
        overnight_end = other.at + timedelta(minutes=fast.overnight_minutes)
        if overnight_end >= next_midnight:
            return _Forbidden(low, overnight_end, False, True)
        return _Forbidden(low, next_midnight, False, False)

    def _point_ok(
        self,
        entry: Entry,
        moment: datetime,
        doses_nearby: list[tuple[SingleDoseRule, list[Entry]]],
        meals: list[_MealSums],
    ) -> bool:
        """The checks that spans cannot hold: dose groups and meal calcium, at one time."""
        for rule, pool in doses_nearby:
            span = timedelta(minutes=rule.group_minutes)
            nearby = sum(o.nutrients.get(rule.nutrient) or 0.0 for o in pool if abs(o.at - moment) <= span)
            if nearby > 0 and nearby + (entry.nutrients.get(rule.nutrient) or 0.0) > rule.limit:
                return False
        return all(meal.clear(entry, moment) for meal in meals)

    def point_context(
        self, entry: Entry, others: Sequence[Entry]
    ) -> tuple[list[tuple[SingleDoseRule, list[Entry]]], list[_MealSums]]:
        """What ``_point_ok`` needs for ``entry`` among ``others``, worked out once per search."""
        entry, others = self.annotated([entry])[0], self.annotated(others)
        doses = [
            (rule, [o for o in others if o.id != entry.id and rule.selector.matches(o)])
            for rule in self.dose_rules
            if rule.selector.matches(entry)
        ]
        meals = [
            _MealSums(rule, [o for o in others if o.id != entry.id])
            for rule in self.meal_rules
            if rule.first.matches(entry) or _meal_item(rule.second, entry)
        ]
        return doses, meals

    def nearest_allowed_time(
        self,
        entry: Entry,
        others: Sequence[Entry],
        not_before: datetime | None = None,
        direction: Literal["both", "later", "earlier"] = "both",
    ) -> datetime | None:
        """The nearest time (5-minute steps, 05:00-23:00 of the entry's day) at which ``entry`` breaks no window."""
        entry, others = self.annotated([entry])[0], self.annotated(others)
        start = entry.at
        if not_before is not None and start < not_before:
            start = not_before
        nearby = [o for o in others if abs((o.at - start).total_seconds()) <= (SEARCH_SPAN_MINUTES + 24 * 60) * 60]
        # Work out the forbidden spans once; each candidate time is then a few comparisons.
        spans = self._forbidden(entry, nearby)
        doses, meals = self.point_context(entry, nearby)
        later = self._first_free(entry, start, +1, spans, doses, meals, not_before) if direction != "earlier" else None
        earlier = self._first_free(entry, start, -1, spans, doses, meals, not_before) if direction != "later" else None
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
        meals: list[_MealSums],
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
                if self._point_ok(entry, moment, doses, meals):
                    return k, moment
                k += 1
                continue
            # Jump to the first step outside every span that holds this moment.
            edge = max(s.high for s in holding) if sign > 0 else min(s.low for s in holding)
            distance = abs((edge - start).total_seconds()) / 60 / SEARCH_STEP_MINUTES
            k = max(k + 1, math.floor(distance))
        return None
