import functools
import math

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from bonecoach.domain.amounts import MAX_GRAMS, check_doses, check_grams, find_portion, grams_for_portion, parse_number
from bonecoach.domain.errors import InputError
from bonecoach.domain.models import Food, Portion
from bonecoach.domain.nutrient_info import NUTRIENT_KEYS
from bonecoach.domain.nutrients import Nutrients

MILK = Food(
    id="01077",
    name="Milk, whole",
    group="Dairy",
    per_100g=Nutrients(calcium_mg=113),
    portions=(Portion(label="1 cup", grams=244), Portion(label="1 fl oz", grams=30.5)),
)


@pytest.mark.parametrize(
    ("text", "value"), [("150", 150), ("1.5", 1.5), ("1,5", 1.5), ("1/2", 0.5), (" 200 g ", 200), ("+3", 3)]
)
def test_numbers(text: str, value: float) -> None:
    assert parse_number(text, "Amount") == value


@pytest.mark.parametrize("text", ["0", "-5", "abc", "", "nan", "inf", "1/0", "1e400", "12" * 20])
def test_not_numbers_or_not_positive(text: str) -> None:
    with pytest.raises(InputError):
        parse_number(text, "Amount")


def test_absurd_amounts_are_refused() -> None:
    assert check_grams(5000) == 5000
    with pytest.raises(InputError, match="5 kg"):
        check_grams(5000.5)
    with pytest.raises(InputError):
        check_grams(0)
    assert check_doses(20) == 20
    with pytest.raises(InputError):
        check_doses(50)
    with pytest.raises(InputError):
        check_doses(math.nan)


def test_portions_by_label_or_unit() -> None:
    assert find_portion(MILK, "1 cup").grams == 244
    assert find_portion(MILK, "cup").grams == 244
    assert find_portion(MILK, "FL OZ").grams == 30.5
    assert grams_for_portion(MILK, "1 cup", 2) == (488, "2 x 1 cup")
    with pytest.raises(InputError, match="1 cup"):
        find_portion(MILK, "slice")
    with pytest.raises(InputError):
        grams_for_portion(MILK, "1 quart", 30)  # would be 7.3 kg


@given(st.text(max_size=40))
def test_parse_number_never_crashes(text: str) -> None:
    try:
        value = parse_number(text, "Amount")
    except InputError:
        return
    assert value > 0 and math.isfinite(value)


@given(st.dictionaries(st.sampled_from(list(NUTRIENT_KEYS)),
                       st.one_of(st.just(""), st.just("  "), st.decimals(0, 5000, places=2).map(str))))  # fmt: skip
def test_typed_label_amounts_keep_every_number_zero_included_and_leave_blanks_unknown(typed: dict[str, str]) -> None:
    # The app's label form and the command line store the same: "0" is a measured zero.
    from bonecoach.services.foods import typed_nutrients

    values = typed_nutrients(typed)
    assert set(values) == {key for key, text in typed.items() if text.strip()}
    assert all(values[key] == float(typed[key]) for key in values)


@functools.cache
def _catalog_foods() -> list[Food]:
    from bonecoach.catalog.foods import FoodCatalog

    catalog = FoodCatalog.load()
    return [food for row in catalog.index.items if (food := catalog.get(row.item.id)) is not None and food.portions]


@settings(max_examples=150, deadline=None)
@given(pick=st.integers(0, 100_000), number=st.sampled_from([("2", 2.0), ("3", 3.0), ("1/2", 0.5), ("1,5", 1.5)]))
def test_a_number_before_a_measure_counts_it(pick: int, number: tuple[str, float]) -> None:
    """`log food 01077 --portion "3 cups"` said "no portion '3 cups'": a number before a measure
    is a count of it, written "2 x 1 tbsp" (as the app describes an amount), "3 cup" or "3 cups",
    over the catalog's portions: the same grams as that many of the measure."""
    foods = _catalog_foods()
    food = foods[pick % len(foods)]
    portion = food.portions[pick % len(food.portions)]
    typed, times = number
    labels = {p.label.lower() for p in food.portions}
    exact, _ = grams_for_portion(food, portion.label)
    assume(exact * times <= MAX_GRAMS)  # within what one entry may weigh
    assert grams_for_portion(food, f"{typed} x {portion.label}")[0] == pytest.approx(exact * times, abs=0.01)
    first, _, unit = portion.label.partition(" ")
    if first.replace(".", "").isdigit() and float(first) > 0 and unit and f"{typed} {unit}".lower() not in labels:
        measure = next(p for p in food.portions if p.label.lower().split(" ", 1)[-1].startswith(unit.lower()))
        per_unit = (
            measure.grams / float(measure.label.split(" ", 1)[0]) if measure.label[:1].isdigit() else measure.grams
        )
        assume(per_unit * times <= MAX_GRAMS)
        assert grams_for_portion(food, f"{typed} {unit}")[0] == pytest.approx(per_unit * times, abs=0.01)


def test_a_count_of_a_measure_the_food_lacks_names_what_was_typed() -> None:
    with pytest.raises(InputError, match="no portion '3 bowls'; choose one of: 1 cup"):
        grams_for_portion(MILK, "3 bowls")
    with pytest.raises(InputError, match="more than 0"):
        grams_for_portion(MILK, "0 cups")
