"""Absorbable calcium: the load equation, food indices, meals, and what the estimate covers."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bonecoach.catalog.rules import load_absorption
from bonecoach.domain.absorption import absorbable_calcium
from bonecoach.domain.models import Entry, MealSlot
from bonecoach.domain.nutrients import Nutrients

EQUATION, INDICES, SOURCE = load_absorption()
BREAKFAST = datetime(2026, 11, 25, 8)


def food(ref: str, calcium: float, minutes: int = 0, entry_id: str | None = None) -> Entry:
    return Entry(id=entry_id or f"{ref}-{minutes}-{calcium}", at=BREAKFAST + timedelta(minutes=minutes), kind="food",
                 ref=ref, name=ref, meal=MealSlot.breakfast, grams=100, nutrients=Nutrients(calcium_mg=calcium))  # fmt: skip


def test_a_cup_of_milk_alone_gives_about_96_mg() -> None:
    estimate = absorbable_calcium([food("01077", 275.7)], INDICES, EQUATION)
    assert estimate.mg == pytest.approx(96, abs=1) and estimate.covered_percent == 100


def test_the_tables_servings_of_kale_and_spinach_against_milk() -> None:
    # DOMAIN.md: one cup of milk (~96 mg absorbed) equals about 3.2 servings of kale and 16.3 of
    # spinach. With the table's indices, a spinach or kale serving absorbs a matching share.
    milk = absorbable_calcium([food("01077", 275.7)], INDICES, EQUATION).mg
    spinach = absorbable_calcium([food("11458", 122)], INDICES, EQUATION).mg  # 1/2 cup boiled spinach
    kale = absorbable_calcium([food("11234", 47)], INDICES, EQUATION).mg  # 1/2 cup boiled kale
    assert INDICES["11458"] == pytest.approx(5.1 / 32.1, abs=0.001) and INDICES["11234"] == pytest.approx(
        49.3 / 32.1, abs=0.001
    )
    assert spinach == pytest.approx(122 * EQUATION.fraction(122) * 5.1 / 32.1, abs=0.2) and spinach < milk / 10
    assert 20 < kale < milk / 2.5  # a kale serving: about a third of a cup of milk's


def test_one_1000_mg_dose_absorbs_less_than_two_of_500() -> None:
    one = 1000 * EQUATION.fraction(1000)
    two = 2 * 500 * EQUATION.fraction(500)
    assert two > one  # the split gains what the load equation says
    assert EQUATION.fraction(20) > EQUATION.fraction(500)


def test_a_food_without_a_measured_index_is_not_estimated_never_milk_like() -> None:
    estimate = absorbable_calcium([food("01077", 275.7), food("15088", 351, minutes=5)], INDICES, EQUATION)
    assert estimate.covered_mg == 275.7 and estimate.calcium_mg == pytest.approx(626.7)
    assert (
        estimate.mg < absorbable_calcium([food("01077", 275.7)], INDICES, EQUATION).mg
    )  # the sardines add to the load


meals = st.lists(
    st.tuples(st.sampled_from(["01077", "11458", "11234", "11116", "15088", "01009"]), st.floats(1, 900), st.integers(0, 600)),
    min_size=1, max_size=8,
)  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(meals)
def test_the_estimate_never_exceeds_the_calcium_logged(items: list[tuple[str, float, int]]) -> None:
    entries = [food(ref, ca, minutes, f"e{n}") for n, (ref, ca, minutes) in enumerate(items)]
    estimate = absorbable_calcium(entries, INDICES, EQUATION)
    assert 0 <= estimate.mg <= estimate.covered_mg <= estimate.calcium_mg + 1e-6
    for meal in estimate.per_meal:
        assert meal.absorbed_mg <= meal.covered_mg + 1e-6


@settings(max_examples=200, deadline=None)
@given(meals, st.sampled_from(["01077", "11458", "15088"]), st.floats(1, 900))
def test_adding_a_food_never_lowers_another_meals_estimate(
    items: list[tuple[str, float, int]], ref: str, ca: float
) -> None:
    entries = [food(r, c, minutes, f"e{n}") for n, (r, c, minutes) in enumerate(items)]
    before = absorbable_calcium(entries, INDICES, EQUATION)
    late = food(ref, ca, 24 * 60 - 1, "late")  # a meal of its own, at the end of the day
    after = absorbable_calcium([*entries, late], INDICES, EQUATION)
    assert after.per_meal[: len(before.per_meal)] == before.per_meal
    assert after.mg >= before.mg


async def test_today_shows_the_estimate_and_k_explains_it_with_its_source(profiled: object) -> None:
    from bonecoach.services.coach import Coach
    from bonecoach.tui.app import make_app

    assert isinstance(profiled, Coach)
    profiled.log_food("01077", portion="1 cup", at="8am")
    app = make_app(profiled)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        shown = str(app.query_one("#absorption").render())
        await pilot.press("k")
        await pilot.pause()
        said = [n.message for n in app._notifications]
    assert "absorbed (estimate) ~96 mg" in shown and "100%" in shown
    assert any("PMC5442193" in m and "not as a measurement" in m for m in said)


def test_the_shipped_indices_are_what_the_tool_builds_from_domain_md() -> None:
    import json
    import sys
    from pathlib import Path

    from bonecoach.catalog.assets import assets_dir

    root = Path(__file__).resolve().parents[1]
    shared = root.parent / "shared"
    if not (shared / "DOMAIN.md").exists():
        pytest.skip("../shared is not beside the repository")
    sys.path.insert(0, str(root / "tools"))
    from build_absorption import build  # type: ignore[import-not-found]

    built = build(shared, root / "tools" / "absorption_matches.csv")
    assert built == json.loads((assets_dir() / "absorption.json").read_text(encoding="utf-8"))
    assert built["equation"]["intercept"] == 0.889 and built["milk_efficiency_percent"] == 32.1


def test_the_split_advice_says_what_the_split_gains(profiled: object) -> None:
    from datetime import date

    from bonecoach.services.coach import Coach

    assert isinstance(profiled, Coach)
    profiled.log_supplement("calcium-citrate-315", doses=3, at="8am")  # 945 mg at once
    conflict = next(c for c in profiled.day(date(2026, 11, 25)).conflicts if c.rule == "calcium-dose-over-500")
    gain = 2 * 472.5 * EQUATION.fraction(472.5) - 945 * EQUATION.fraction(945)
    assert f"about {gain:.0f} mg more is absorbed" in conflict.suggestion


def test_close_the_gap_prefers_a_well_absorbed_source_over_a_larger_poorly_absorbed_one(profiled: object) -> None:
    from datetime import date

    from bonecoach.domain.day import food_entry
    from bonecoach.domain.suggest import Candidate, suggest
    from bonecoach.services.coach import Coach

    assert isinstance(profiled, Coach)
    spinach, bok_choy = profiled.food("11458"), profiled.food("11117")
    assert spinach is not None and bok_choy is not None
    at = BREAKFAST.replace(hour=12)
    candidates = [
        Candidate(entry=food_entry("s", spinach, 180, at, MealSlot.lunch, "1 cup"), own=False),  # 245 mg calcium
        Candidate(entry=food_entry("b", bok_choy, 170, at, MealSlot.lunch, "1 cup"), own=False),  # 158 mg
    ]
    day = profiled.day(date(2026, 11, 25))
    summary = day.model_copy(update={"targets": {"calcium_mg": day.targets["calcium_mg"]}})  # calcium alone is short
    plain = suggest(summary, [], [], candidates, profiled.checker, 2)
    absorbed = suggest(summary, [], [], candidates, profiled.checker, 2, indices=INDICES)
    assert plain[0].id == "11458"  # by the plate alone, spinach "has" more
    assert absorbed[0].id == "11117" and "as absorbed" in absorbed[0].why


def test_the_week_and_the_report_show_the_daily_estimate_beside_the_total(profiled: object) -> None:
    from datetime import date

    from bonecoach.services.coach import Coach
    from bonecoach.services.reporting import clinician_report, render_report
    from bonecoach.services.views import week_json

    assert isinstance(profiled, Coach)
    profiled.log_food("01077", portion="1 cup", at=datetime(2026, 11, 24, 8))
    profiled.log_food("01077", portion="1 cup", at=datetime(2026, 11, 25, 8))
    week = profiled.week(date(2026, 11, 25))
    assert week.absorbed_calcium is not None and week.absorbed_calcium.mg_per_day == pytest.approx(95.8, abs=0.5)
    assert week_json(week)["summary"]["absorbable_calcium"]["covered_percent"] == 100
    text = render_report(clinician_report(profiled, date(2026, 11, 23), date(2026, 11, 25)), "md")
    assert "absorbed (estimate) ~96 mg/day, for 100% of the calcium" in text
