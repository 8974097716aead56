"""Energy, protein and potassium beside the bone nutrients; protein by body weight; the calcium in
a person's own water; nutrients hidden on screen (issue 32)."""

from __future__ import annotations

import csv
import json
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bonecoach.catalog.foods import FoodCatalog
from bonecoach.domain.amounts import parse_body_weight
from bonecoach.domain.errors import InputError
from bonecoach.services.coach import Coach
from bonecoach.storage.cronometer_import import apply_import, preview_import
from tests.test_cli import run

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
TODAY = date(2026, 11, 25)
NOW = datetime(2026, 11, 25, 20, 0)
MORE = ("energy_kcal", "protein_g", "potassium_mg")


def sr28_per_100g() -> dict[str, dict[str, float | None]]:
    """Energy, protein and potassium per 100 g straight from the SR28 extract."""
    values: dict[str, dict[str, float | None]] = {}
    with (SHARED / "usda_sr_bone_nutrients.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            values[row["fdc_or_ndb_id"]] = {"energy_kcal": float(row["energy_kcal"]) if row["energy_kcal"] else None}
    with (SHARED / "usda_sr_more_nutrients.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            for key in ("protein_g", "potassium_mg"):
                values[row["fdc_or_ndb_id"]][key] = float(row[key]) if row[key] else None
    return values


@pytest.fixture(scope="module")
def sr28() -> dict[str, dict[str, float | None]]:
    if not SHARED.exists():
        pytest.skip("../shared/data is not beside the repository")
    return sr28_per_100g()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(picks=st.lists(st.tuples(st.integers(min_value=0, max_value=8000), st.integers(min_value=1, max_value=600)),
                      min_size=1, max_size=12))  # fmt: skip
def test_a_days_energy_protein_and_potassium_equal_sr28(
    profiled: Coach, catalog: FoodCatalog, sr28: dict[str, dict[str, float | None]], picks: list[tuple[int, int]]
) -> None:
    ids = sorted(catalog._rows)
    day = TODAY.replace(day=1 + len(picks))  # a day of its own for each example
    logged = []
    for index, grams in picks:
        food_id = ids[index % len(ids)]
        logged.append((food_id, grams))
        profiled.log_food(food_id, grams=grams, at=datetime(day.year, day.month, day.day, 8))
    summary = profiled.day(day)
    for key in MORE:
        known = [(sr28[food_id][key], grams) for food_id, grams in logged]
        expected = sum(value * grams / 100 for value, grams in known if value is not None)
        total = summary.totals[key]
        assert total.unknown_entries >= sum(1 for value, _ in known if value is None)
        assert total.amount == pytest.approx(expected, rel=1e-3, abs=0.05), key
    for entry in profiled.repo.entries_on(day):
        profiled.repo.delete_entry(entry.id)


@pytest.mark.parametrize(
    ("sex", "born", "weight", "target"),
    [
        ("female", date(1962, 4, 12), None, 46),  # 64, no weight: the RDA in grams
        ("male", date(1962, 4, 12), None, 56),
        ("female", date(1962, 4, 12), 70.0, 56),  # 64: 0.8 g/kg (RDA)
        ("female", date(1955, 4, 12), 70.0, 70),  # 71: 1.0 g/kg (ESPEN, older adults)
        ("male", date(1960, 11, 25), 82.5, 83),  # 66 today: 1.0 g/kg
        ("female", date(2010, 1, 1), 55.0, 46),  # 16: grams only (no per-kg band)
    ],
)
def test_the_protein_target_by_weight_and_by_age(
    coach: Coach, sex: str, born: date, weight: float | None, target: float
) -> None:
    coach.set_profile(sex, born, weight_kg=weight)
    protein = coach.targets(TODAY)["protein_g"]
    assert protein.target == target and "IOM 2005" in protein.source and "ESPEN" in protein.source
    assert coach.targets(TODAY)["potassium_mg"].target == (3400 if sex == "male" and born.year < 2000 else
                                                          3000 if sex == "male" else 2600 if born.year < 2000 else 2300)  # fmt: skip
    assert coach.targets(TODAY)["energy_kcal"].target is None


@pytest.mark.parametrize(("text", "kg"), [("70", 70.0), ("70 kg", 70.0), ("154lb", 69.9), ("154 lbs", 69.9),
                                          ("70,5 kg", 70.5), ("none", None)])  # fmt: skip
def test_a_body_weight_as_people_write_it(text: str, kg: float | None) -> None:
    assert parse_body_weight(text) == kg


@pytest.mark.parametrize("text", ["70 stone", "7", "700 kg", "seventy", "-70"])
def test_a_body_weight_that_is_a_slip_is_refused(text: str) -> None:
    with pytest.raises(InputError):
        parse_body_weight(text)


def test_day_json_carries_energy_protein_and_potassium_and_the_profile_takes_a_weight(
    db_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from bonecoach.cli import context

    monkeypatch.setattr(context, "CLOCK", lambda: NOW)
    assert (
        run(
            db_dir, "profile", "set", "--sex", "male", "--birth-date", "1958-06-02", "--weight", "176lb", capsys=capsys
        )[0]
        == 0
    )
    assert run(db_dir, "log", "food", "01077", "--portion", "1 cup", "--at", "8am", capsys=capsys)[0] == 0
    code, out, _ = run(db_dir, "day", "--json", capsys=capsys)
    day = json.loads(out)
    assert code == 0
    assert day["totals"]["energy_kcal"] == pytest.approx(148.84, abs=0.01)  # 244 g x 61 kcal/100 g
    assert day["totals"]["protein_g"] == pytest.approx(7.686, abs=0.01)  # x 3.15 g
    assert day["totals"]["potassium_mg"] == pytest.approx(322.08, abs=0.01)  # x 132 mg
    assert day["targets"]["protein_g"]["target"] == 80  # 79.8 kg at 68: 1.0 g/kg
    code, _, err = run(db_dir, "profile", "set", "--weight", "7 stone", capsys=capsys)
    assert code == 2 and "body weight" in err


def test_cronometer_energy_protein_and_potassium_are_imported(profiled: Coach) -> None:
    text = ("Day,Time,Group,Food Name,Amount,Energy (kcal),Protein (g),Potassium (mg),Calcium (mg)\n"
            "2026-11-20,8:00 AM,Breakfast,Yogurt,170 g,100,17,240,187\n")  # fmt: skip
    preview = preview_import(profiled.repo, text, "servings.csv")
    assert apply_import(profiled.repo, preview) == 1
    totals = profiled.day(date(2026, 11, 20)).totals
    assert (totals["energy_kcal"].amount, totals["protein_g"].amount, totals["potassium_mg"].amount) == (100, 17, 240)


def test_plain_water_counts_the_calcium_of_the_persons_own_water(profiled: Coach) -> None:
    water = sorted(profiled.checker.plain_water)[0]
    before = profiled.log_food(water, grams=500, at="8:00")
    profiled.set_profile(water_calcium_mg_per_l=80)
    after = profiled.log_food(water, grams=500, at="9:00")
    assert after.nutrients.calcium_mg == 40.0  # 0.5 L x 80 mg/L
    assert before.nutrients.calcium_mg != 40.0
    milk = profiled.log_food("01077", grams=244, at="9:30")
    assert milk.nutrients.calcium_mg == pytest.approx(275.72)  # only plain water takes it


async def test_a_hidden_nutrient_leaves_today_and_week_but_not_the_data(
    profiled: Coach, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))  # its settings reach no other test
    from textual.widgets import SelectionList, Static

    from bonecoach.storage.user_settings import load
    from bonecoach.tui.app import make_app

    profiled.log_food("01077", grams=244, at="8:00")
    app = make_app(profiled)
    async with app.run_test(size=(100, 40)) as pilot:
        assert "Protein" in str(app.query_one("#more-nutrients", Static).render())
        app.action_settings("nutrients")
        await pilot.pause()
        chooser = app.screen.query_one(SelectionList)
        chooser.deselect("protein_g")
        chooser.deselect("caffeine_mg")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Protein" not in str(app.query_one("#more-nutrients", Static).render())
        assert not app.query_one("#bar-caffeine_mg").display
        await pilot.press("f7")
        await pilot.pause()
        grid = app.query_one("#week-grid")
        labels = [str(grid.get_row_at(n)[0]) for n in range(grid.row_count)]  # type: ignore[attr-defined]
        assert "Protein" not in labels and "Caffeine" not in labels and "Potassium" in labels
    assert set(load()[0].hidden) == {"protein_g", "caffeine_mg"}
    assert profiled.day(TODAY).totals["protein_g"].amount > 0  # still counted


def test_still_short_names_only_what_is_shown_and_only_today(profiled: Coach) -> None:
    profiled.log_food("01077", grams=100, at="8:00")
    summary = profiled.day(TODAY)
    (short,) = [n for n in profiled.day_notes(summary) if n.startswith("Still short")]
    assert "Calcium" in short and "Magnesium" in short
    (hidden,) = [n for n in profiled.day_notes(summary, frozenset({"magnesium_mg"})) if n.startswith("Still short")]
    assert "Magnesium" not in hidden and "Calcium" in hidden
    yesterday = profiled.day(date(2026, 11, 24))
    assert not [n for n in profiled.day_notes(yesterday) if n.startswith("Still short")]
