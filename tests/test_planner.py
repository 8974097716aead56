"""The day planner: timetables that keep every window, and honest failure when none can."""

from __future__ import annotations

from datetime import date, time

from hypothesis import given, settings
from hypothesis import strategies as st

from bonecoach.catalog.medications import load_medications
from bonecoach.catalog.rules import load_carriers, load_shipped_rules
from bonecoach.catalog.supplements import load_supplements
from bonecoach.domain.conflicts import ConflictChecker
from bonecoach.domain.models import Entry, MealSlot
from bonecoach.domain.nutrients import Nutrients
from bonecoach.domain.planner import DayPlan, MealTimes, Regimen, RegimenItem, plan_day

CHECKER = ConflictChecker(load_shipped_rules().rules, carriers=load_carriers())
MEDS = {m.id: m for m in load_medications()}
SUPPS = {s.id: s for s in load_supplements()}
DAY = date(2026, 11, 25)


def plan(*items: RegimenItem, times: MealTimes | None = None) -> DayPlan:
    return plan_day(DAY, Regimen(items=list(items), times=times or MealTimes()), MEDS, SUPPS, CHECKER)


def as_entries(result: DayPlan) -> list[Entry]:
    entries = []
    for n, item in enumerate(result.items):
        if item.kind == "meal":
            entries.append(Entry(id=f"m{n}", at=item.at, kind="food", ref=item.ref, name=item.name, meal=MealSlot.lunch,
                                 grams=300, nutrients=Nutrients(calcium_mg=300)))  # fmt: skip
        elif item.kind == "medication":
            entries.append(Entry(id=f"d{n}", at=item.at, kind="medication", ref=item.ref, name=item.name,
                                 meal=MealSlot.medications, doses=1, nutrients=Nutrients(), drug_class=MEDS[item.ref].drug_class))  # fmt: skip
        else:
            product = SUPPS[item.ref]
            entries.append(Entry(id=f"s{n}", at=item.at, kind="supplement", ref=item.ref, name=item.name,
                                 meal=MealSlot.supplements, doses=item.doses, nutrients=product.nutrients.scaled(item.doses or 1)))  # fmt: skip
    return entries


def test_a_full_regimen_fits() -> None:
    result = plan(
        RegimenItem(kind="medication", ref="alendronate"),
        RegimenItem(kind="medication", ref="levothyroxine"),
        RegimenItem(kind="medication", ref="iron"),
        RegimenItem(kind="supplement", ref="calcium-carbonate-500", doses=2),
        RegimenItem(kind="supplement", ref="vitamin-d3-1000"),
    )
    assert result.unplaced == []
    times = {item.ref: item.at.time() for item in result.items if item.kind != "meal"}
    assert times["alendronate"] == time(6, 30)  # on waking
    carbonate = [item.at.time() for item in result.items if item.ref == "calcium-carbonate-500"]
    assert carbonate == [time(7, 30), time(12, 30)]  # with meals, never 1,000 mg at once
    assert CHECKER.check_day(DAY, as_entries(result), {}) == []


def test_an_impossible_morning_is_reported_not_hidden() -> None:
    # Breakfast 15 minutes after waking leaves no room for alendronate's 30-minute fast.
    tight = MealTimes(wake=time(7, 0), breakfast=time(7, 15), lunch=time(12, 0), dinner=time(18, 0), bed=time(22, 0))
    result = plan(RegimenItem(kind="medication", ref="alendronate"), times=tight)
    placed = [item for item in result.items if item.ref == "alendronate"]
    assert placed == [] or placed[0].at.time() > time(7, 15)
    if placed == []:
        assert result.unplaced and "Alendronate" in result.unplaced[0]["name"]


def test_an_injected_drug_is_listed_on_its_day_with_no_window_and_nothing_unplaced() -> None:
    # It was "unplaced" every day it was due, so plan-day exited 1.
    result = plan(RegimenItem(kind="medication", ref="denosumab"))
    assert result.unplaced == []
    (item,) = [i for i in result.items if i.ref == "denosumab"]
    assert item.note.startswith("injection:") and "6 months" in item.note


# Every shipped oral medicine and every shipped product: the generated regimens draw from them all.
ORAL = [m.id for m in load_medications() if m.route == "oral"]
SUPPLEMENTS = [s.id for s in load_supplements()]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.sampled_from(ORAL), max_size=3, unique=True),
    st.lists(
        st.tuples(st.sampled_from(SUPPLEMENTS), st.sampled_from([1.0, 2.0])), max_size=3, unique_by=lambda t: t[0]
    ),
)
def test_every_plan_is_free_of_timing_conflicts(meds: list[str], supplements: list[tuple[str, float]]) -> None:
    items = [RegimenItem(kind="medication", ref=m) for m in meds]
    items += [RegimenItem(kind="supplement", ref=s, doses=d) for s, d in supplements]
    result = plan(*items)
    found = CHECKER.check_day(DAY, as_entries(result), {})
    # A single tablet over 500 mg is the product's, not the plan's: the plan warns instead of cutting it.
    alone = [c for c in found if "dose" in c.rule and len(c.entries) == 1]
    timing = [c for c in found if c.move_entry is not None or ("dose" in c.rule and c not in alone)]
    assert timing == []
    for conflict in alone:
        assert any("cannot split it" in warning for warning in result.warnings), conflict
    placed = {item.ref for item in result.items}
    for item in items:
        assert item.ref in placed or any(
            MEDS.get(item.ref, SUPPS.get(item.ref)).name == u["name"] for u in result.unplaced
        )  # type: ignore[union-attr]
