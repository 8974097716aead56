"""Closing today's gaps: concrete additions that fit the day's timing and limits.

Each candidate (a food the person eats, a supplement they own, or a common food) is tried as a
hypothetical entry at the chosen time. It is rejected if it would cross an upper limit or break a
timing window with what is already logged or still planned from the regimen; the rest are ranked
by how much of the remaining gaps they close, the person's own items first.
"""

from collections.abc import Sequence
from typing import Literal

from pydantic import ConfigDict

from bonecoach.domain.base import Model
from bonecoach.domain.conflicts import ConflictChecker
from bonecoach.domain.day import DaySummary
from bonecoach.domain.models import Entry, doses_text
from bonecoach.domain.nutrient_info import NUTRIENT_INFO

GAP_KEYS = ("calcium_mg", "vitamin_d_mcg", "magnesium_mg", "vitamin_k2_mcg")
OWN_BONUS = 1.5  # a food already eaten or a supplement already owned beats a stranger of equal worth


class Candidate(Model):
    """Something that could be added, as the entry it would make."""

    model_config = ConfigDict(frozen=True)

    entry: Entry
    own: bool
    uses: int = 0


class Suggestion(Model):
    """A concrete addition: what, how much, what it adds, and why."""

    model_config = ConfigDict(frozen=True)

    kind: Literal["food", "supplement"]
    id: str
    name: str
    amount: dict[str, float]
    adds: dict[str, float]
    why: str
    score: float

    def amount_text(self) -> str:
        """ "120 g", "1 dose" or "2 doses" (the Today picker and ``suggest`` say it alike)."""
        if "grams" in self.amount:
            return f"{self.amount['grams']:g} g"
        return doses_text(self.amount.get("doses", 1.0))


def gaps(summary: DaySummary) -> dict[str, float]:
    """How far below target each gap nutrient still is (only those with a target and a gap)."""
    result = {}
    for key in GAP_KEYS:
        target = summary.targets.get(key)
        if target is None or target.target is None:
            continue
        missing = target.target - summary.totals[key].amount
        if missing > 0:
            result[key] = round(missing, 2)
    return result


def _target(summary: DaySummary, key: str) -> float:
    """The target behind a gap (every gap key has one: ``gaps`` only lists those)."""
    target = summary.targets[key].target
    return target if target else 1.0


def _over_a_limit(summary: DaySummary, entry: Entry) -> str | None:
    for key, target in summary.targets.items():
        if target.upper_limit is None:
            continue
        added = entry.nutrients.get(key) or 0.0
        if added <= 0:
            continue
        if target.upper_limit_applies_to == "supplements":
            if entry.kind != "supplement":
                continue
            base = summary.supplement_totals.get(key, 0.0)
        else:
            base = summary.totals[key].amount
        if base + added > target.upper_limit:
            return key
    return None


def suggest(
    summary: DaySummary,
    around: Sequence[Entry],
    planned: Sequence[Entry],
    candidates: Sequence[Candidate],
    checker: ConflictChecker,
    limit: int = 5,
    indices: dict[str, float] | None = None,
) -> list[Suggestion]:
    """The best additions for the day, none crossing a limit or creating a conflict.

    With ``indices`` (absorptive index by catalog food or supplement), calcium counts as it is absorbed: a food's
    calcium times its index (bok choy's 1.7 before spinach's 0.16). A source without an index is
    ranked as it is (its absorption is not estimated, and the why says so)."""
    missing = gaps(summary)
    if not missing:
        return []
    others = [*around, *planned]
    found: list[Suggestion] = []
    seen: set[str] = set()
    for candidate in candidates:
        entry = candidate.entry
        if entry.ref in seen:
            continue
        index = (indices or {}).get(entry.ref) if entry.kind != "medication" else None
        ranked = {key: (entry.nutrients.get(key) or 0.0) * (index if key == "calcium_mg" and index is not None else 1.0)
                  for key in missing}  # fmt: skip
        closes = {key: min(ranked[key], gap) for key, gap in missing.items()}
        worth = sum(closes[key] / _target(summary, key) for key in closes)
        if worth <= 0.02:
            continue  # adds next to nothing to what is missing
        if _over_a_limit(summary, entry) is not None:
            continue
        if checker.too_large_alone(entry) or not checker.entry_is_clear(entry, others):
            continue
        seen.add(entry.ref)
        adds = {key: round(value, 1) for key, value in entry.nutrients.as_dict().items() if value}
        # What it adds of each missing nutrient, in full (as in ``adds``), and how much of the gap
        # that covers: the text and the figures say the same.
        helping = sorted(
            (key for key in missing if closes[key] > 0), key=lambda key: -closes[key] / _target(summary, key)
        )
        parts = []
        for key in helping:
            info = NUTRIENT_INFO[key]
            value = entry.nutrients.get(key) or 0.0
            cover = (f"all of the {missing[key]:,.0f} {info.unit} still missing" if value >= missing[key]
                     else f"{value / missing[key] * 100:.0f}% of the {missing[key]:,.0f} {info.unit} still missing")  # fmt: skip
            parts.append(f"{value:,.0f} {info.unit} {info.label.lower()} ({cover})")
        reasons = ["adds " + ", ".join(parts)]
        if indices is not None and "calcium_mg" in missing and (entry.nutrients.calcium_mg or 0) > 0:
            reasons.append(
                f"ranked by calcium as absorbed (index {index:.2f} against milk)" if index is not None
                else "its absorption is not estimated (no measured index)"
            )  # fmt: skip
        if candidate.own:
            times = "once" if candidate.uses == 1 else f"{candidate.uses} times"
            reasons.append(f"you have had it {times} lately" if candidate.uses else "one of your own")
        reasons.append("no conflict with today's entries or planned doses, no limit crossed")
        amount = {"grams": entry.grams} if entry.kind == "food" and entry.grams else {"doses": entry.doses or 1.0}
        score = worth * (OWN_BONUS if candidate.own else 1.0)
        found.append(Suggestion(kind=entry.kind, id=entry.ref, name=entry.name, amount=amount, adds=adds,
                                why="; ".join(reasons), score=round(score, 4)))  # fmt: skip
    found.sort(key=lambda s: -s.score)
    return found[:limit]
