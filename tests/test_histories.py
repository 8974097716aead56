"""Every view over any history (issue 37): histories mixing every entry kind and origin, over any
dates including the last days, and every command and pane runs on each without an exception."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bonecoach.catalog.foods import FoodCatalog
from bonecoach.cli import context, next_command
from bonecoach.cli.main import main
from bonecoach.domain.errors import InputError
from bonecoach.services import data
from bonecoach.services.coach import Coach
from bonecoach.storage.repository import Repository

NOW = datetime(2026, 11, 25, 20, 0)
FOODS = ["01077", "11457", "11854", "15088", "12087", "16057", "20035", "43261"]  # milk, spinach, sardines...
PORTIONED = ["01077", "11457", "09206"]
SUPPLEMENTS = ["calcium-citrate-315", "calcium-carbonate-500", "vitamin-d3-1000", "magnesium-glycinate-200"]
MEDICATIONS = ["alendronate", "levothyroxine", "ciprofloxacin", "iron"]
GROUPS = ["Breakfast", "Lunch", "Dinner", "Snacks", "Supplements", "Uncategorized"]
CRONOMETER_NAMES = ['"Sardines, Canned In Oil"', "Tahini", "Kale, Raw", '"Chickpeas, Canned"', "Vitamin K2 MK-7",
                    "Oatmeal", "Almonds", "Calcium Citrate"]  # fmt: skip

days_back = st.one_of(st.integers(0, 3), st.integers(0, 800))  # the last days, and any day
hours = st.integers(0, 23)
steps = st.one_of(
    st.tuples(st.just("food"), st.sampled_from(FOODS), st.integers(1, 600), days_back, hours),
    st.tuples(st.just("portion"), st.sampled_from(PORTIONED), st.integers(1, 3), days_back, hours),
    st.tuples(st.just("custom"), st.integers(1, 400), days_back, hours),
    st.tuples(st.just("recipe"), st.integers(1, 4), days_back, hours),
    st.tuples(st.just("meal"), days_back, hours),
    st.tuples(st.just("supplement"), st.sampled_from(SUPPLEMENTS), st.integers(1, 3), days_back, hours),
    st.tuples(st.just("medication"), st.sampled_from(MEDICATIONS), days_back, hours),
    st.tuples(st.just("cronometer"), st.lists(st.tuples(days_back, st.one_of(st.none(), hours), st.sampled_from(GROUPS),
              st.sampled_from(CRONOMETER_NAMES), st.booleans(), st.integers(0, 900)), min_size=1, max_size=6)),
    st.tuples(st.just("daily_total"), days_back, st.integers(0, 2500)),
    st.tuples(st.just("repeat"), st.integers(0, 50), days_back, hours),
    st.tuples(st.just("edit"), st.integers(0, 50), st.integers(1, 500)),
    st.tuples(st.just("delete"), st.integers(0, 50)),
    st.tuples(st.just("undo"),),
    st.tuples(st.just("scan"), days_back, st.floats(-4.5, 1.0).map(lambda t: round(t, 1))),
    st.tuples(st.just("session"), days_back, st.sampled_from(["balance", "posture", "resistance", "impact"])),
    st.tuples(st.just("regimen"), st.sampled_from(["alendronate", "levothyroxine", "calcium-citrate-315"])),
)  # fmt: skip


def _at(back: int, hour: int) -> datetime:
    return (NOW - timedelta(days=back)).replace(hour=hour, minute=0)


def _cronometer(rows: list[tuple[Any, ...]]) -> str:
    lines = ["Day,Time,Group,Food Name,Amount,Calcium (mg),Vitamin K (µg),Category"]
    for back, hour, group, name, grams, calcium in rows:
        day = (NOW - timedelta(days=back)).date()
        when = "" if hour is None else f"{hour:02d}:15"
        amount = f"{calcium % 300 + 1}.00 g" if grams else "1.00 can"
        category = "Supplements" if group == "Supplements" else "Foods"
        lines.append(f"{day},{when},{group},{name},{amount},{calcium},{calcium % 120},{category}")
    return "\n".join(lines) + "\n"


def apply(coach: Coach, step: tuple[Any, ...]) -> None:
    """One step of a history; a refusal (a limit of typed input) is part of real use."""
    kind, *args = step
    entries = coach.repo.all_entries()
    try:
        if kind == "food":
            coach.log_food(args[0], grams=args[1], at=_at(args[2], args[3]))
        elif kind == "portion":
            food = coach.food(args[0])
            assert food is not None and food.portions
            coach.log_food(food, portion=food.portions[0].label, count=args[1], at=_at(args[2], args[3]))
        elif kind == "custom":
            food = coach.add_custom_food("Aunt's bread", 60, {"calcium_mg": args[0]})
            coach.log_food(food, grams=60, at=_at(args[1], args[2]))
        elif kind == "recipe":
            coach.add_recipe("Green smoothie", 2, [("01077", 244), ("11457", 30)])
            coach.log_recipe("Green smoothie", servings=args[0] / 2, at=_at(args[1], args[2]))
        elif kind == "meal":
            if entries:
                day = entries[-1].at.date()
                coach.save_meal("usual", day, entries[-1].meal.value)
                coach.log_meal("usual", at=_at(args[0], args[1]))
        elif kind == "supplement":
            coach.log_supplement(args[0], doses=args[1], at=_at(args[2], args[3]))
        elif kind == "medication":
            coach.log_medication(args[0], at=_at(args[1], args[2]))
        elif kind == "cronometer":
            preview = data.preview_cronometer(coach, _cronometer(args[0]), "servings.csv")
            data.apply_cronometer(coach, preview)
        elif kind == "daily_total":
            text = f"Date,Calcium (mg)\n{(NOW - timedelta(days=args[0])).date()},{args[1]}\n"
            data.apply_cronometer(coach, data.preview_cronometer(coach, text, "dailysummary.csv"))
        elif kind == "repeat" and entries:
            coach.repeat_entry(entries[args[0] % len(entries)].id, at=_at(args[1], args[2]))
        elif kind == "edit" and entries:
            target = entries[args[0] % len(entries)]
            if target.kind == "food" and target.grams:
                coach.edit_entry(target.id, grams=args[1])
            elif target.kind == "supplement" and target.doses:
                coach.edit_entry(target.id, doses=1 + args[1] % 3)
        elif kind == "delete" and entries:
            coach.delete_entry(entries[args[0] % len(entries)].id)
        elif kind == "undo":
            coach.undo_delete()
        elif kind == "scan":
            coach.add_scan((NOW - timedelta(days=args[0])).date(), "lumbar_spine", args[1])
        elif kind == "session":
            coach.mark_session_done((NOW - timedelta(days=args[0])).date(), args[1])
        elif kind == "regimen":
            coach.add_to_regimen("medication" if args[0] != "calcium-citrate-315" else "supplement", args[0])
    except InputError:
        pass


@contextmanager
def history(history_steps: list[tuple[Any, ...]], catalog: FoodCatalog) -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as scratch:
        db = Path(scratch) / "db"
        repo = Repository(db)
        coach = Coach(repo, clock=lambda: NOW, catalog=catalog)
        coach.set_profile("female", date(1958, 3, 2))
        for step in history_steps:
            apply(coach, step)
        repo.close()
        yield db


COMMANDS = [
    ["day"], ["day", "yesterday", "--json"], ["day", "2025-06-01"], ["week"], ["week", "--json"], ["next"],
    ["next", "--line"], ["next", "--json"], ["plan-day"], ["suggest"], ["foods", "search", "milk"],
    ["foods", "search", "sardines"], ["status"], ["status", "--json"], ["plan"], ["export", "--format", "csv"],
    ["log", "milk", "--yes"],
]  # fmt: skip


@pytest.mark.slow
@pytest.mark.timeout(600)
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(history_steps=st.lists(steps, min_size=1, max_size=14))
def test_every_command_runs_on_any_history(
    history_steps: list[tuple[Any, ...]],
    catalog: FoodCatalog,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(context, "CLOCK", lambda: NOW)
    monkeypatch.setattr(next_command, "CLOCK", lambda: NOW)
    with history(history_steps, catalog) as db:
        scratch = db.parent
        for command in [*COMMANDS, ["report", "--output", str(scratch / "report.html")],
                        ["export", "--format", "json", "--output", str(scratch / "all.json")]]:  # fmt: skip
            code = main(["--db", str(db), *command])
            out, err = capsys.readouterr()
            assert code == 0, (command, err)
            assert "Traceback" not in err + out
        other = scratch / "imported"
        assert main(["--db", str(other), "import", "json", str(scratch / "all.json"), "--yes"]) == 0, (
            capsys.readouterr()
        )
        capsys.readouterr()
        exported = json.loads((scratch / "all.json").read_text())
        assert len(Repository(other, readonly=True).all_entries()) == len(exported["entries"])


@pytest.mark.slow
@pytest.mark.timeout(600)
@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(history_steps=st.lists(steps, min_size=1, max_size=12))
def test_every_pane_opens_on_any_history(history_steps: list[tuple[Any, ...]], catalog: FoodCatalog) -> None:
    import asyncio

    from bonecoach.tui.app import make_app

    async def visit(coach: Coach) -> None:
        app = make_app(coach)
        async with app.run_test(size=(100, 32)) as pilot:
            for key in ("f2", "f3", "m", "i", "l", "k", "f5", "f6", "f7", "left", "f2"):
                await pilot.press(key)
                await pilot.pause(0.05)
                await app.workers.wait_for_complete()
            assert app.is_running, "the app stopped"

    with history(history_steps, catalog) as db:
        repo = Repository(db)
        try:
            asyncio.run(visit(Coach(repo, clock=lambda: NOW, catalog=catalog)))
        finally:
            repo.close()
