"""Medicines as people take them: what binds each, by mechanism and as data, and brand names."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bonecoach.catalog.medications import load_medications
from bonecoach.domain.errors import InputError
from bonecoach.services.coach import Coach

DAY = date(2026, 11, 25)


def rules_on(coach: Coach) -> set[str]:
    return {c.rule for c in coach.day(DAY).conflicts}


@pytest.mark.parametrize("antibiotic", ["ciprofloxacin", "levofloxacin", "moxifloxacin", "doxycycline"])
@pytest.mark.parametrize(
    ("kind", "item"),
    [
        ("supplement", "magnesium-citrate-150"),
        ("medication", "iron"),
        ("medication", "zinc"),
        ("medication", "antacid"),
    ],
)
def test_an_antibiotic_with_any_polyvalent_cation_within_the_hour_is_flagged(
    profiled: Coach, antibiotic: str, kind: str, item: str
) -> None:
    # Only calcium was checked: magnesium, iron, zinc or an aluminium/magnesium antacid passed.
    if antibiotic == "doxycycline" and item == "zinc":
        return  # the source names antacids, calcium, magnesium and iron for tetracyclines, not zinc
    profiled.log_medication(antibiotic, at=datetime(2026, 11, 25, 8))
    if kind == "supplement":
        profiled.log_supplement(item, at=datetime(2026, 11, 25, 8, 45))
    else:
        profiled.log_medication(item, at=datetime(2026, 11, 25, 8, 45))
    fired = rules_on(profiled)
    assert any(rule.startswith(antibiotic) and "cation" in rule for rule in fired), fired


def test_calcium_three_hours_before_doxycycline_is_too_close(profiled: Coach) -> None:
    profiled.log_supplement("calcium-citrate-315", at=datetime(2026, 11, 25, 9))
    profiled.log_medication("doxycycline", at=datetime(2026, 11, 25, 12))
    assert "tetracycline-calcium-separation" in rules_on(profiled)


@pytest.mark.parametrize(("food", "minutes"), [("14209", 15), ("09123", 10), ("16115", 15)])
def test_coffee_grapefruit_juice_or_soy_flour_just_after_levothyroxine_is_flagged(
    profiled: Coach, food: str, minutes: int
) -> None:
    profiled.log_medication("levothyroxine", at=datetime(2026, 11, 25, 6))
    profiled.log_food(food, grams=100, at=datetime(2026, 11, 25, 6, minutes))
    assert "levothyroxine-food-separation" in rules_on(profiled)


def test_tea_beside_an_iron_tablet_is_flagged_and_its_fix_avoids_the_tea(profiled: Coach) -> None:
    profiled.log_medication("iron", at=datetime(2026, 11, 25, 10))
    profiled.log_food("14355", grams=240, at=datetime(2026, 11, 25, 10, 30))  # black tea
    conflict = next(c for c in profiled.day(DAY).conflicts if c.rule == "iron-tea-coffee-separation")
    assert conflict.move_to is not None and abs((conflict.move_to - datetime(2026, 11, 25, 10)).total_seconds()) >= 3600


def test_atelvia_with_a_calcium_tablet_is_flagged(profiled: Coach) -> None:
    profiled.log_supplement("calcium-carbonate-500", at=datetime(2026, 11, 25, 8))
    profiled.log_medication("Atelvia", at=datetime(2026, 11, 25, 8, 5))
    assert "risedronate-dr-cation-separation" in rules_on(profiled)


@pytest.mark.parametrize(
    ("brand", "medicine"),
    [("Fosamax", "alendronate"), ("atelvia", "risedronate-dr"), ("Prolia", "denosumab"), ("Cipro", "ciprofloxacin"),
     ("Synthroid", "levothyroxine"), ("Evista", "raloxifene"), ("Reclast", "zoledronic-acid"), ("Forteo", "teriparatide"),
     ("Prilosec", "omeprazole")],
)  # fmt: skip
def test_brand_names_resolve_to_their_ingredient_and_form(profiled: Coach, brand: str, medicine: str) -> None:
    assert profiled.resolve_medication(brand).id == medicine


@pytest.mark.parametrize("name", ["omeprazole", "hydrochlorothiazide", "raloxifene", "prednisone"])
def test_common_medicines_beside_the_bone_drug_are_known_with_their_advice(profiled: Coach, name: str) -> None:
    medicine = profiled.resolve_medication(name)
    assert medicine.advice and medicine.source


def test_still_mineral_water_breaks_the_bisphosphonate_fast(profiled: Coach) -> None:
    # The alendronate label names mineral water among the drinks that reduce absorption.
    profiled.log_medication("alendronate", at=datetime(2026, 11, 25, 6, 30))
    profiled.log_food("14559", grams=240, at=datetime(2026, 11, 25, 6, 40))  # Evian, still mineral water
    assert "bisphosphonate-fasting-window" in rules_on(profiled)


def test_every_binding_is_data_a_new_medicine_needs_a_row() -> None:
    from bonecoach.domain.conflicts import PairWindowRule, binding_rules
    from bonecoach.domain.models import Binding, Medication

    new = Medication(id="newdrug", name="New drug", drug_class="x", bound_by=(Binding(
        rule_id="newdrug-iron-separation", binders=("iron",), binder_before_minutes=60, binder_after_minutes=90,
        message="Iron too close to the new drug.", source="a label"),))  # fmt: skip
    (rule,) = binding_rules([new])
    assert isinstance(rule, PairWindowRule) and rule.id == "newdrug-iron-separation"
    assert (rule.second_before_minutes, rule.second_after_minutes) == (60, 90)
    ids = [b.rule_id for m in load_medications() for b in m.bound_by]
    assert len(ids) == len(set(ids))


def test_an_unknown_brand_says_what_is_known(profiled: Coach) -> None:
    with pytest.raises(InputError, match="known:"):
        profiled.resolve_medication("Zzzyxal")


def test_high_serum_calcium_stops_calcium_and_vitamin_d_suggestions_and_says_why(profiled: Coach) -> None:
    from bonecoach.services.views import status_json

    profiled.log_food("01077", portion="1 cup", at=datetime(2026, 11, 25, 8))  # the day is short of calcium
    assert any((s.adds.get("calcium_mg") or 0) > 0 for s in profiled.suggestions(DAY, at=datetime(2026, 11, 25, 19)))
    profiled.add_lab("2026-11-20", "serum_calcium", 11.5, "mg/dL")
    offered = profiled.suggestions(DAY, at=datetime(2026, 11, 25, 19))
    assert all(not s.adds.get("calcium_mg") and not s.adds.get("vitamin_d_mcg") for s in offered)
    (reason,) = profiled.suggestion_holds()
    assert "11.5 mg/dL" in reason and "clinician" in reason
    assert status_json(profiled.bone_status())["advice_holds"] == [reason]


def test_25ohd_above_50_stops_them_too(profiled: Coach) -> None:
    profiled.add_lab("2026-11-20", "25ohd", 65, "ng/mL")
    offered = profiled.suggestions(DAY, at=datetime(2026, 11, 25, 19))
    assert all(not s.adds.get("calcium_mg") and not s.adds.get("vitamin_d_mcg") for s in offered)
    assert "above 50 ng/mL" in profiled.suggestion_holds()[0]


def test_the_30_ng_aim_is_shown_with_osteoporosis(profiled: Coach) -> None:
    from bonecoach.services.views import status_json, status_lines

    profiled.add_lab("2026-11-20", "25ohd", 22, "ng/mL")
    assert status_json(profiled.bone_status())["vitamin_d"]["aim"] is None  # no osteoporosis recorded
    profiled.add_scan("2026-10-01", "total_hip", -2.7)
    status = profiled.bone_status()
    assert status.vitamin_d is not None and status.vitamin_d.band == "adequate"
    assert "below the 30 ng/mL" in status_json(status)["vitamin_d"]["aim"]
    assert any("below the 30 ng/mL" in line for line in status_lines(status))


def test_food_first_a_planned_calcium_dose_the_food_made_unnecessary_is_skip_today(profiled: Coach, capsys) -> None:
    from bonecoach.domain.next_up import status

    profiled.add_to_regimen("supplement", "calcium-carbonate-500", doses=2, start=date(2026, 11, 1))
    profiled.log_food("15088", grams=300, at=datetime(2026, 11, 25, 8))  # sardines: ~1,150 mg
    profiled.log_food("01077", grams=488, at=datetime(2026, 11, 25, 12, 30))  # two cups of milk: ~600 mg
    plan = profiled.plan(DAY)
    tablets = [i for i in plan.items if i.ref == "calcium-carbonate-500"]
    assert tablets and all(i.skip.startswith("skip today: food already gave") for i in tablets)
    items = [i for i in profiled.next_up(DAY) if i.ref == "calcium-carbonate-500"]
    assert items and all(status(i, datetime(2026, 11, 25, 20).time()) == "skip" for i in items)


def test_a_dose_that_would_pass_the_upper_limit_is_skip_today_and_the_limit_fix_names_the_tablet(
    profiled: Coach,
) -> None:
    profiled.add_to_regimen("supplement", "calcium-carbonate-600", start=date(2026, 11, 1))
    profiled.log_food("15088", grams=400, at=datetime(2026, 11, 25, 8))  # ~1,530 mg
    (tablet,) = [i for i in profiled.plan(DAY).items if i.ref == "calcium-carbonate-600"]
    assert tablet.skip.startswith("skip today")
    profiled.log_supplement("calcium-carbonate-600", at=datetime(2026, 11, 25, 12, 30))  # taken anyway
    profiled.log_food("01077", grams=244, at=datetime(2026, 11, 25, 19))
    limit = next(c for c in profiled.day(DAY).conflicts if c.rule == "calcium-over-upper-limit")
    assert "Calcium carbonate" in limit.suggestion and "Sardine" not in limit.suggestion
    assert "Food first" in limit.suggestion


def test_calcium_carbonate_without_food_or_with_an_acid_reducer_is_said_to_absorb_poorly(profiled: Coach) -> None:
    profiled.log_supplement("calcium-carbonate-500", at=datetime(2026, 11, 25, 10))  # no food near it
    (poorly,) = [c for c in profiled.day(DAY).conflicts if c.rule == "calcium-carbonate-absorbed-poorly"]
    assert "no food logged within 30 min" in poorly.message and "citrate" in poorly.suggestion
    profiled.log_food("18075", grams=60, at=datetime(2026, 11, 25, 10, 10))  # toast with it
    assert "calcium-carbonate-absorbed-poorly" not in rules_on(profiled)
    profiled.log_medication("Prilosec", at=datetime(2026, 11, 25, 7))  # omeprazole: low stomach acid
    assert "calcium-carbonate-absorbed-poorly" in rules_on(profiled)


def test_calcium_citrate_is_never_said_to_need_food(profiled: Coach) -> None:
    profiled.log_medication("omeprazole", at=datetime(2026, 11, 25, 7))
    profiled.log_supplement("calcium-citrate-315", at=datetime(2026, 11, 25, 10))
    assert "calcium-carbonate-absorbed-poorly" not in rules_on(profiled)


def test_an_iron_fortified_cereal_binds_an_antibiotic_like_an_iron_tablet(profiled: Coach) -> None:
    # Every source of the cations counts, fortified foods too (the labels; DOMAIN.md).
    profiled.log_medication("ciprofloxacin", at=datetime(2026, 11, 25, 8))
    profiled.log_food("08001", grams=31, at=datetime(2026, 11, 25, 8, 30))  # All-Bran: iron-fortified
    assert "ciprofloxacin-cation-separation" in rules_on(profiled)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    pick=st.integers(0, 10_000),
    strength=st.sampled_from(["70 mg", "50mcg", "2.5 mg", "60 mg/ml", "1000 IU", "150 mg per tablet", "0,5 mg"]),
)
def test_a_name_with_its_strength_is_that_medicine(profiled: Coach, pick: int, strength: str) -> None:
    """ "Synthroid 50 mcg" or "alendronate 70mg", as a box or a prescription reads, said "no
    medication matches": a strength names no other medicine. Over every shipped name (ids and
    brands) and several ways of writing a strength."""
    named = [(name, m.id) for m in load_medications() for name in (m.id, *m.aliases)]
    name, medicine = named[pick % len(named)]
    assert profiled.resolve_medication(f"{name} {strength}").id == medicine


def test_a_name_that_holds_a_known_brand_points_at_it_without_guessing(profiled: Coach) -> None:
    with pytest.raises(InputError, match=r"it names Fosamax \(alendronate\): log that if it is the medicine"):
        profiled.resolve_medication("Fosamax Plus D")
