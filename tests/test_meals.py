"""Saved meals, recipes, repeats, recents and suggestions."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bonecoach.catalog.foods import FoodCatalog
from bonecoach.domain.nutrient_info import NUTRIENT_KEYS
from bonecoach.services.coach import Coach
from bonecoach.storage.repository import Repository

DAY = date(2026, 11, 25)
FOODS = ["01077", "01117", "01009", "15088", "16427", "11458", "20077", "09040", "14209", "12061", "11091", "16113"]
SUPPLEMENTS = ["calcium-citrate-315", "vitamin-d3-1000", "k2-mk7-90", "magnesium-glycinate-120"]


def fresh(tmp_path: Path, catalog: FoodCatalog, hour: int = 20) -> Coach:
    coach = Coach(
        Repository(tmp_path / f"db{datetime.now().timestamp()}"),
        clock=lambda: datetime(2026, 11, 25, hour, 0),
        catalog=catalog,
    )
    coach.set_profile("female", date(1962, 4, 12))
    return coach


def totals(coach: Coach, day: date) -> dict[str, float]:
    summary = coach.day(day)
    return {key: summary.totals[key].amount for key in NUTRIENT_KEYS}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(st.tuples(st.sampled_from(FOODS), st.integers(5, 400)), min_size=1, max_size=5),
    st.lists(st.tuples(st.sampled_from(SUPPLEMENTS), st.integers(1, 2)), max_size=2),
)
def test_a_logged_saved_meal_adds_exactly_its_parts(
    tmp_path: Path, catalog: FoodCatalog, foods: list, supplements: list
) -> None:
    coach = fresh(tmp_path, catalog)
    for n, (food_id, grams) in enumerate(foods):
        coach.log_food(food_id, grams=grams, at=f"yesterday 7:{n:02d}", meal="breakfast")
    for supplement_id, doses in supplements:
        coach.log_supplement(supplement_id, doses=doses, at="yesterday 7:30")
    parts = [e for e in coach.repo.entries_on(DAY - timedelta(days=1)) if e.meal.value == "breakfast"]
    meal = coach.save_meal("usual breakfast", DAY - timedelta(days=1), "breakfast")
    before = totals(coach, DAY)
    logged = coach.log_meal("Usual Breakfast", at="7:00")
    after = totals(coach, DAY)
    assert len(logged) == len(parts) == len(meal.items)
    for key in NUTRIENT_KEYS:
        expected = sum(p.nutrients.get(key) or 0 for p in parts)
        assert after[key] - before[key] == pytest.approx(expected, abs=1e-3)  # two day totals, each to 0.001
        assert meal.totals()[key] == pytest.approx(expected, abs=1e-3)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(st.tuples(st.sampled_from(FOODS), st.integers(5, 500)), min_size=1, max_size=6),
    st.integers(1, 8),
    st.integers(1, 3),
)
def test_recipe_servings_are_exact_shares_of_the_ingredients(
    tmp_path: Path, catalog: FoodCatalog, items: list, servings: int, eaten: int
) -> None:
    coach = fresh(tmp_path, catalog)
    recipe = coach.add_recipe("Test pot", servings, [(food_id, grams) for food_id, grams in items])
    entry = coach.log_recipe("test pot", servings=eaten, at="12:00")
    for key in NUTRIENT_KEYS:
        values = [catalog.get(f).per_100g.get(key) for f, _ in items]  # type: ignore[union-attr]
        if any(v is None for v in values):
            assert entry.nutrients.get(key) is None  # unknown stays unknown
            continue
        whole = sum(v * g / 100 for v, (_, g) in zip(values, items, strict=True))  # type: ignore[operator]
        assert entry.nutrients.get(key) == pytest.approx(whole / servings * eaten, rel=1e-3, abs=1e-3)
    assert recipe.note.startswith("Per serving")


def test_recipe_carries_inhibitors_so_conflicts_still_fire(profiled: Coach) -> None:
    profiled.add_recipe("Green smoothie", 2, [("11457", 60), ("09040", 236)])  # raw spinach 60 g in 2 servings
    profiled.log_food("01117", grams=245, at="8:00")  # yogurt
    profiled.log_recipe("green smoothie", at="8:10")
    assert [c.rule for c in profiled.day().conflicts] == ["oxalate-with-calcium"]  # 30 g spinach: ~316 mg oxalate


def test_a_spoon_of_bran_in_a_big_bowl_is_judged_by_the_bran(profiled: Coach) -> None:
    profiled.add_recipe("Bran bowl", 1, [("20077", 5), ("01077", 300)])  # 5 g bran: under the rule's 15 g
    profiled.log_recipe("bran bowl", at="8:00")
    profiled.log_food("01009", grams=40, at="8:05")
    assert profiled.day().conflicts == []
    profiled.add_recipe("Bran pot", 1, [("20077", 30), ("09040", 100)])  # 30 g bran, no calcium of its own
    profiled.log_recipe("bran pot", at="9:30")
    profiled.log_food("01009", grams=40, at="9:40")  # cheddar 10 minutes later
    assert "phytate-with-calcium" in [c.rule for c in profiled.day().conflicts]


def test_repeat_an_entry_and_a_whole_meal(profiled: Coach) -> None:
    first = profiled.log_food("01077", grams=244, at="yesterday 12:00", meal="lunch")
    profiled.log_food("15088", grams=92, at="yesterday 12:10", meal="lunch")
    again = profiled.repeat_entry(first.id, at="8:00")
    assert again.id != first.id and again.at == datetime(2026, 11, 25, 8, 0) and again.nutrients == first.nutrients
    copies = profiled.repeat_meal("yesterday", "lunch", at="13:00")
    assert [c.at.strftime("%H:%M") for c in copies] == ["13:00", "13:10"]
    assert len(profiled.day().entries) == 3


def test_recent_and_frequent_foods_come_first(profiled: Coach) -> None:
    plain = profiled.search_foods("yogurt", 5)[0]
    chosen = next(f for f in profiled.search_foods("yogurt greek", 10) if f.id == "01256")
    assert plain.id != chosen.id
    for day in range(1, 4):
        profiled.log_food(chosen.id, grams=170, at=f"{day} days ago" if False else (datetime(2026, 11, 25 - day, 8)))
    assert profiled.search_foods("yogurt", 5)[0].id == "01256"


@st.composite
def days(draw: st.DrawFn) -> list[tuple[str, str, float, int]]:
    items = []
    for _ in range(draw(st.integers(0, 6))):
        kind = draw(st.sampled_from(["food", "supplement", "medication"]))
        minute = draw(st.integers(6 * 60, 14 * 60))
        if kind == "food":
            items.append((kind, draw(st.sampled_from(FOODS)), float(draw(st.integers(20, 300))), minute))
        elif kind == "supplement":
            items.append(
                (kind, draw(st.sampled_from([*SUPPLEMENTS, "vitamin-d3-2000", "calcium-carbonate-600"])), 1.0, minute)
            )
        else:
            items.append(
                (kind, draw(st.sampled_from(["levothyroxine", "iron", "alendronate", "doxycycline"])), 1.0, minute)
            )
    return items


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(days(), st.booleans())
def test_no_suggestion_creates_a_conflict_or_crosses_a_limit(
    tmp_path: Path, catalog: FoodCatalog, items: list, with_regimen: bool
) -> None:
    coach = fresh(tmp_path, catalog, hour=15)
    for kind, ref, amount, minute in items:
        at = datetime(2026, 11, 25, minute // 60, minute % 60)
        if kind == "food":
            coach.log_food(ref, grams=amount, at=at)
        elif kind == "supplement":
            coach.log_supplement(ref, doses=amount, at=at)
        else:
            coach.log_medication(ref, at=at)
    if with_regimen:
        coach.add_to_regimen("medication", "levothyroxine")  # planned for later today if not logged
    coach.save_supplement_set("morning", [("vitamin-d3-1000", 1), ("calcium-citrate-315", 1)])
    for suggestion in coach.suggestions(DAY, at="15:00"):
        before = {(c.rule, c.entries) for c in coach.day(DAY).conflicts}
        entry = coach.accept_suggestion(suggestion, at="15:00")
        after = coach.day(DAY)
        new = [c for c in after.conflicts if (c.rule, c.entries) not in before and entry.id in c.entries]
        assert new == [], (suggestion, new)
        for key, target in after.targets.items():
            if (
                target.upper_limit is not None
                and target.upper_limit_applies_to == "all"
                and (entry.nutrients.get(key) or 0) > 0
            ):
                assert after.totals[key].amount <= target.upper_limit + 1e-6, (suggestion.name, key)
        if with_regimen:
            from bonecoach.services.suggestions import planned_doses

            planned = planned_doses(coach, DAY, coach.repo.entries_on(DAY))
            assert coach.checker.entry_is_clear(entry, planned)
        coach.delete_entry(entry.id)


def test_suggestions_prefer_foods_the_user_eats(profiled: Coach) -> None:
    for day in (20, 21, 22, 23):
        profiled.log_food("16426", grams=126, at=datetime(2026, 11, day, 12))  # firm calcium tofu, often
    found = profiled.suggestions(DAY, at="15:00")
    assert found and found[0].id == "16426" and "you have had it 4 times" in found[0].why


def test_suggest_json(
    profiled: Coach, db_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from bonecoach.cli import context
    from bonecoach.cli.main import main

    profiled.repo.close()
    monkeypatch.setattr(context, "CLOCK", lambda: datetime(2026, 11, 25, 15, 0))
    assert main(["--db", str(db_dir), "suggest", "--at", "15:00", "--json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert found and set(found[0]) == {"kind", "id", "name", "amount", "adds", "why"}
    assert set(found[0]["adds"]) <= set(NUTRIENT_KEYS)
    assert main(["--db", str(db_dir), "meal", "list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    code = main(
        ["--db", str(db_dir), "recipe", "add", "pot", "--servings", "2", "--item", "01077:244", "--item", "nope:10"]
    )
    assert code == 2 and "No food with id 'nope'" in capsys.readouterr().err


def test_save_any_entries_as_a_meal_and_replace_it(profiled: Coach) -> None:
    milk = profiled.log_food("01077", grams=244, at="8:00")
    profiled.log_food("09040", grams=118, at="8:05")
    sardines = profiled.log_food("15088", grams=92, at="12:30")
    meal = profiled.save_meal("snack plate", entry_ids=[milk.id, sardines.id])
    assert [i.ref for i in meal.items] == ["01077", "15088"] and [i.offset_minutes for i in meal.items] == [0, 270]
    again = profiled.save_meal("Snack plate", entry_ids=[sardines.id])
    assert [m.id for m in profiled.repo.saved_meals()] == [again.id] and len(again.items) == 1
    profiled.delete_meal("snack plate")
    assert profiled.repo.saved_meals() == []
    with pytest.raises(Exception, match="No food or supplement entry"):
        profiled.save_meal("x", entry_ids=["nope"])


def test_a_suggestion_says_what_it_adds_as_the_figures_do(profiled: Coach) -> None:
    # Most of the day's calcium is there: a suggestion that brings more than the gap says its full
    # amount (as "adds" does) and that it covers the gap; calcium is named whenever it adds calcium.
    profiled.log_food("01009", grams=120, at="8am")  # cheddar, 852 mg
    found = profiled.suggestions(limit=8)
    assert found
    for suggestion in found:
        calcium = suggestion.adds.get("calcium_mg", 0)
        if calcium >= 1:
            assert f"{calcium:,.0f} mg calcium" in suggestion.why, suggestion.why
