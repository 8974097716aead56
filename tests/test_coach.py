"""The services both interfaces use: logging, refusing bad input, editing, undo, day totals."""

from datetime import date, datetime
from pathlib import Path

import pytest

from bonecoach.domain.errors import InputError
from bonecoach.services.coach import AmbiguousMatch, Coach
from tests.conftest import snapshot_files


def test_log_by_portion_gives_the_usda_arithmetic(profiled: Coach) -> None:
    entry = profiled.log_food("01077", portion="1 cup", at="8am")
    assert entry.grams == 244 and entry.portion == "1 cup" and entry.meal.value == "breakfast"
    assert entry.nutrients.calcium_mg == pytest.approx(275.72)  # 113 mg x 2.44 (data README)
    coffee = profiled.log_food("14209", portion="1 cup (8 fl oz)", count=2, at="9am", meal="snack")
    assert coffee.nutrients.caffeine_mg == pytest.approx(189.6)  # 40 mg x 2.37 x 2
    day = profiled.day(date(2026, 11, 25))
    assert day.totals["calcium_mg"].amount == pytest.approx(275.72 + 2 * 2.37 * 2)
    assert [e.id for e in day.entries] == [entry.id, coffee.id]


def test_totals_against_targets(profiled: Coach) -> None:
    profiled.log_supplement("calcium-citrate-315", doses=2, at="8am")
    profiled.log_food("15088", grams=92, at="12:30")
    day = profiled.day()
    assert day.targets["calcium_mg"].target == 1200
    assert day.totals["calcium_mg"].amount == pytest.approx(630 + 351.44)
    assert day.status("calcium_mg") == "close"


def test_supplement_magnesium_limit_ignores_food_magnesium(profiled: Coach) -> None:
    profiled.log_food("20077", grams=100, at="8am")  # 611 mg magnesium from wheat bran
    assert profiled.day().status("magnesium_mg") == "met"
    profiled.log_supplement("magnesium-citrate-150", doses=3, at="9am")  # 450 mg from supplements
    assert profiled.day().status("magnesium_mg") == "over"


def test_ambiguous_query_lists_matches_and_logs_nothing(profiled: Coach, db_dir: Path) -> None:
    before = snapshot_files(db_dir)
    with pytest.raises(AmbiguousMatch) as caught:
        profiled.log_food("milk", grams=100)
    assert any(food_id == "01077" for food_id, _ in caught.value.matches)
    assert snapshot_files(db_dir) == before


@pytest.mark.parametrize(
    "options",
    [
        {"grams": 0},
        {"grams": -3},
        {"grams": 5001},
        {"portion": "1 quart", "count": 6},
        {"portion": "slice"},
        {"grams": 100, "at": "tomorrow 8am"},
        {"grams": 100, "at": "at some point"},
        {"grams": 100, "meal": "brunch"},
        {"grams": 100, "portion": "1 cup"},
    ],
)
def test_bad_amounts_are_refused_and_nothing_is_stored(profiled: Coach, db_dir: Path, options: dict) -> None:
    before = snapshot_files(db_dir)
    with pytest.raises(InputError) as caught:
        profiled.log_food("01077", **options)
    assert str(caught.value)
    assert snapshot_files(db_dir) == before


def test_supplement_doses_are_checked(profiled: Coach, db_dir: Path) -> None:
    before = snapshot_files(db_dir)
    for doses in (0, 50, -1):
        with pytest.raises(InputError):
            profiled.log_supplement("vitamin-d3-1000", doses=doses)
    assert snapshot_files(db_dir) == before


def test_supplement_by_name_words(profiled: Coach) -> None:
    entry = profiled.log_supplement("calcium citrate 1500", at="8am")
    assert entry.ref == "calcium-citrate-315" and entry.nutrients.calcium_mg == 315
    with pytest.raises(AmbiguousMatch):
        profiled.resolve_supplement("citrate 315")  # plain citrate and the citrate + D3 combination


def test_morning_supplements_in_one_action(profiled: Coach) -> None:
    profiled.save_supplement_set("Morning", [("vitamin-d3-1000", 1), ("k2-mk7-90", 1), ("calcium-citrate-315", 2)])
    entries = profiled.log_supplement_set("morning", at="7:30")
    assert len(entries) == 3 and {e.at for e in entries} == {datetime(2026, 11, 25, 7, 30)}
    day = profiled.day()
    assert day.totals["vitamin_d_mcg"].amount == 25 and day.totals["calcium_mg"].amount == 630
    with pytest.raises(InputError, match="No supplement set"):
        profiled.log_supplement_set("evening")


def test_own_supplement_and_custom_food(profiled: Coach) -> None:
    product = profiled.add_supplement("Bone Complex", {"calcium_mg": 250, "vitamin_d_mcg": 10, "vitamin_k2_mcg": 45})
    assert profiled.resolve_supplement("bone complex").id == product.id
    bar = profiled.add_custom_food("Fortified oat bar", 40, {"calcium_mg": 200}, "1 bar")
    entry = profiled.log_food(bar.id, portion="1 bar", at="10am")
    assert entry.nutrients.calcium_mg == pytest.approx(200)
    assert entry.nutrients.vitamin_d_mcg is None  # not on the label: unknown, not zero
    assert profiled.search_foods("oat bar")[0].id == bar.id
    with pytest.raises(InputError):
        profiled.add_custom_food("x\x07", 40, {"calcium_mg": 1})


def test_edit_delete_undo(profiled: Coach) -> None:
    entry = profiled.log_food("01077", grams=100, at="8am")
    changed = profiled.edit_entry(entry.id, grams=200, at="9:15", meal="snack")
    assert changed.nutrients.calcium_mg == pytest.approx(226) and changed.at.hour == 9 and changed.meal.value == "snack"
    profiled.delete_entry(entry.id)
    assert profiled.day().entries == []
    restored = profiled.undo_delete()
    assert restored is not None and profiled.day().entries[0].nutrients.calcium_mg == pytest.approx(226)
    assert profiled.undo_delete() is None
    with pytest.raises(InputError):
        profiled.edit_entry(entry.id, doses=2)
    with pytest.raises(InputError):
        profiled.delete_entry("nope")


def test_the_youngest_age_served_is_14(coach: Coach) -> None:
    assert coach.set_profile("female", date(2012, 11, 25)).birth_date == date(2012, 11, 25)  # 14 on the test's day
    assert coach.day().targets["calcium_mg"].target == 1300


def test_profile_validation(coach: Coach) -> None:
    with pytest.raises(InputError, match="both"):
        coach.set_profile("female", None)
    with pytest.raises(InputError, match="ages 14 and over"):
        coach.set_profile("female", date(2012, 11, 26))  # 13 on the test's day
    with pytest.raises(InputError, match="check the year"):
        coach.set_profile("male", date(1890, 1, 1))
    with pytest.raises(InputError, match="female or male"):
        coach.set_profile("other", date(1960, 1, 1))
    assert coach.day().targets == {}
    coach.set_profile("male", date(1950, 1, 1))
    assert coach.day().targets["calcium_mg"].target == 1200
    coach.set_profile(guideline="bhof")
    assert coach.profile() is not None and coach.profile().sex.value == "male"  # type: ignore[union-attr]


def test_target_override(profiled: Coach) -> None:
    profiled.set_target_override("vitamin_k2_mcg", target=90)
    assert profiled.day().targets["vitamin_k2_mcg"].target == 90
    profiled.set_target_override("vitamin_k2_mcg", clear=True)
    assert profiled.day().targets["vitamin_k2_mcg"].target == 180


def test_every_facade_method_names_a_function_of_its_use_case_module() -> None:
    """The facade imports a use-case module when one of its methods is first looked up, so a
    misspelt name would surface only when called: each is resolved here (those other tests have
    looked up already hold their function)."""
    import inspect

    from bonecoach.services.coach import UseCase

    checked = 0
    for name, value in vars(Coach).items():
        if isinstance(value, staticmethod):
            value = value.__func__
        if isinstance(value, UseCase):
            function, module = value.function(), value.module
        elif inspect.isfunction(value) and value.__module__.startswith("bonecoach.services.") and name != "__init__":
            function, module = value, value.__module__
        else:
            continue
        assert inspect.isfunction(function) and function.__module__ == module, name
        checked += 1
    assert checked > 100
    assert Coach.day is __import__("bonecoach.services.review", fromlist=["day"]).day
