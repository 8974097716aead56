"""Conflicts through the services: tags on real foods, medications, and user rule files."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from bonecoach.catalog.foods import FoodCatalog
from bonecoach.catalog.medications import load_medications
from bonecoach.catalog.rules import check_rule_file
from bonecoach.domain.errors import InputError
from bonecoach.services.coach import Coach


@pytest.mark.parametrize(
    ("food_id", "kind"),
    [
        ("11457", "oxalate"),  # spinach, raw
        ("11458", "oxalate"),  # spinach, cooked
        ("09307", "oxalate"),  # rhubarb (DOMAIN.md)
        ("11147", "oxalate"),  # Swiss chard (DOMAIN.md)
        ("11086", "oxalate"),  # beet greens (DOMAIN.md)
        ("12061", "oxalate"),  # almonds
        ("20077", "phytate"),  # wheat bran (DOMAIN.md)
        ("16108", "phytate"),  # soybeans, raw (IFCT)
    ],
)
def test_well_known_inhibitor_foods_are_tagged(catalog: FoodCatalog, food_id: str, kind: str) -> None:
    food = catalog.get(food_id)
    assert food is not None
    tags = {tag.kind: tag for tag in food.inhibitors}
    assert kind in tags and tags[kind].source and tags[kind].basis


def test_cooking_state_matters_for_spinach(catalog: FoodCatalog) -> None:
    raw, cooked = catalog.get("11457"), catalog.get("11458")
    assert raw and cooked
    assert raw.inhibitors[0].mg_per_100g == pytest.approx(1054.0)  # 316.2 mg per 30 g cup
    assert cooked.inhibitors[0].mg_per_100g == pytest.approx(608.2)  # 547.4 mg per 90 g half cup


def test_calcium_foods_are_not_tagged(catalog: FoodCatalog) -> None:
    for food_id in ("01077", "01009", "15088", "16426"):
        food = catalog.get(food_id)
        assert food is not None and food.inhibitors == ()


def test_every_listed_medication_loads() -> None:
    ids = {m.id for m in load_medications()}
    assert ids == {
        "alendronate", "risedronate", "risedronate-dr", "ibandronate", "levothyroxine", "iron", "zinc", "ciprofloxacin",
        "levofloxacin", "moxifloxacin", "doxycycline", "denosumab", "zoledronic-acid", "teriparatide", "abaloparatide",
        "romosozumab", "antacid", "warfarin", "raloxifene", "omeprazole", "famotidine", "hydrochlorothiazide",
        "prednisone",
    }  # fmt: skip


def test_logged_spinach_and_yogurt_conflict_with_a_fix(profiled: Coach) -> None:
    yogurt = profiled.log_food("01117", grams=245, at="12:00")
    spinach = profiled.log_food("11458", grams=90, at="12:10")
    day = profiled.day(date(2026, 11, 25))
    (conflict,) = day.conflicts
    assert conflict.rule == "oxalate-with-calcium" and set(conflict.entries) == {yogurt.id, spinach.id}
    assert "13:10" in conflict.suggestion
    profiled.edit_entry(yogurt.id, at="13:10")
    assert profiled.day().conflicts == []


def test_medication_logging_and_recompute_on_delete(profiled: Coach) -> None:
    levo = profiled.log_medication("levothyroxine", at="6:00")
    assert levo.kind == "medication" and levo.drug_class == "levothyroxine"
    calcium = profiled.log_supplement("calcium-citrate-315", at="8:00")
    assert [c.rule for c in profiled.conflicts_from([calcium])] == ["levothyroxine-calcium-separation"]
    profiled.delete_entry(levo.id)
    assert profiled.day().conflicts == []
    assert profiled.day().totals["calcium_mg"].unknown_entries == 0  # medicines do not count as unmeasured


def test_user_rules_add_and_disable(profiled: Coach, db_dir: Path) -> None:
    (db_dir / "rules.json").write_text(json.dumps({
        "schema": 1,
        "disable": ["caffeine-excess"],
        "rules": [{"id": "my-coffee-limit", "kind": "daily_total", "severity": "info", "nutrient": "caffeine_mg",
                   "limit": 150, "message": "My own coffee limit.", "source": "my clinician"}],
    }))  # fmt: skip
    for hour in ("7:00", "9:00"):
        profiled.log_food("14209", grams=237, at=hour)  # 2 x 94.8 mg
    assert [c.rule for c in profiled.day().conflicts] == ["my-coffee-limit"]


def test_broken_user_rules_keep_the_last_good_ones(profiled: Coach, db_dir: Path, catalog: FoodCatalog) -> None:
    rules = db_dir / "rules.json"
    rules.write_text(json.dumps({"schema": 1, "disable": ["sodium-excess"]}))
    assert "sodium-excess" not in {r.id for r in profiled.checker.rules}
    rules.write_text(json.dumps({"schema": 1, "rules": [{"id": "x-rule", "kind": "daily_total", "severity": "loud"}]}))
    fresh = Coach(profiled.repo, clock=profiled.clock, catalog=catalog)
    assert fresh.rules_warning is not None
    assert str(rules) in fresh.rules_warning and "'x-rule'" in fresh.rules_warning and "severity" in fresh.rules_warning
    assert "sodium-excess" not in {r.id for r in fresh.checker.rules}  # the last good copy still applies
    assert "oxalate-with-calcium" in {r.id for r in fresh.checker.rules}


def test_rules_check_names_file_rule_and_field(tmp_path: Path) -> None:
    path = tmp_path / "mine.json"
    path.write_text(json.dumps({"schema": 1, "rules": [
        {"id": "ok-rule", "kind": "daily_total", "severity": "info", "nutrient": "sodium_mg", "limit": 2000, "message": "m", "source": "s"},
        {"id": "bad-rule", "kind": "pair_window", "severity": "warning", "message": "m", "source": "s",
         "first": {"kinds": ["food"]}, "second": {"kinds": ["pizza"]}, "second_before_minutes": -5, "second_after_minutes": 10},
    ]}))  # fmt: skip
    with pytest.raises(InputError) as caught:
        check_rule_file(path)
    text = str(caught.value)
    assert str(path) in text and "rule 1 (id 'bad-rule')" in text
    assert "second.kinds" in text and "second_before_minutes" in text
    path.write_text(json.dumps({"schema": 1, "rules": [{"id": "oxalate-with-calcium", "kind": "daily_total", "severity": "info",
                                                        "nutrient": "sodium_mg", "limit": 1, "message": "m", "source": "s"}]}))  # fmt: skip
    with pytest.raises(InputError, match="reuse shipped ids"):
        check_rule_file(path)
