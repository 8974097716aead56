from hypothesis import given
from hypothesis import strategies as st

from bonecoach.domain.nutrient_info import NUTRIENT_KEYS, iu_to_mcg, mcg_to_iu
from bonecoach.domain.nutrients import Nutrients, sum_nutrients

amounts = st.one_of(st.none(), st.floats(min_value=0, max_value=10_000, allow_nan=False))
nutrients = st.builds(Nutrients, **{key: amounts for key in NUTRIENT_KEYS})


def test_unknown_is_counted_not_added_as_zero() -> None:
    totals = sum_nutrients([Nutrients(calcium_mg=100), Nutrients(calcium_mg=None), Nutrients(calcium_mg=50)])
    assert totals["calcium_mg"].amount == 150
    assert totals["calcium_mg"].unknown_entries == 1


def test_scaling_keeps_unknowns_unknown() -> None:
    scaled = Nutrients(calcium_mg=113, vitamin_k2_mcg=None).scaled(2.44)
    assert scaled.calcium_mg == 275.72
    assert scaled.vitamin_k2_mcg is None


def test_vitamin_d_conversion_uses_40_iu_per_mcg() -> None:
    assert mcg_to_iu(15) == 600
    assert iu_to_mcg(800) == 20


@given(st.lists(nutrients, max_size=30))
def test_totals_are_sums_of_known_values(items: list[Nutrients]) -> None:
    totals = sum_nutrients(items)
    for key in NUTRIENT_KEYS:
        known = [getattr(item, key) for item in items if getattr(item, key) is not None]
        assert abs(totals[key].amount - sum(known)) < 1e-2
        assert totals[key].unknown_entries == len(items) - len(known)


@given(nutrients, st.floats(min_value=0.01, max_value=50))
def test_scaling_is_proportional(item: Nutrients, factor: float) -> None:
    scaled = item.scaled(factor)
    for key in NUTRIENT_KEYS:
        before, after = item.get(key), scaled.get(key)
        assert (before is None) == (after is None)
        if before is not None and after is not None:
            assert abs(after - before * factor) < 1e-3 + 1e-6 * before * factor
