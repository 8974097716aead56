"""The daily coach in the app: Next up logs and starts things, the regimen is edited in the app and
changes the plan, every action is in the palette with its key, and help lists every README key."""

from __future__ import annotations

import re
from datetime import datetime, time
from pathlib import Path

import pytest
from textual.widgets import Input, Select

from bonecoach.services.coach import Coach
from bonecoach.storage.repository import Repository
from bonecoach.tui import panes
from bonecoach.tui.app import BonecoachApp
from bonecoach.tui.keys import KEYS, palette_entries, readme_rows
from bonecoach.tui.panes.today import TodayPane
from bonecoach.tui.screens.help import HELP, HelpScreen
from bonecoach.tui.screens.regimen import RegimenScreen
from bonecoach.tui.widgets.next_up import NextUpList

README = Path(__file__).resolve().parents[1] / "README.md"
MORNING = datetime(2026, 11, 25, 7, 45)


@pytest.fixture
def morning(repo: Repository, catalog) -> Coach:  # type: ignore[no-untyped-def]
    """A woman aged 64 at 07:45, taking alendronate and calcium citrate daily."""
    from datetime import date

    coach = Coach(repo, clock=lambda: MORNING, catalog=catalog)
    coach.set_profile("female", date(1962, 4, 12))
    coach.add_to_regimen("medication", "alendronate")
    coach.add_to_regimen("supplement", "calcium-citrate-315", doses=2)
    return coach


def app_for(coach: Coach) -> BonecoachApp:
    return BonecoachApp(coach, ask_profile=False)


async def test_next_up_logs_the_first_open_item_and_ticks_it(morning: Coach) -> None:
    app = app_for(morning)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.3)
        listing = app.query_one(NextUpList)
        assert listing.display and [i.ref for i in listing.items][:2] == ["alendronate", "calcium-citrate-315"]
        await pilot.press("n")
        await pilot.pause(0.3)
        logged = morning.repo.entries_on(MORNING.date())
        assert [(e.ref, e.at.time()) for e in logged] == [("alendronate", time(7, 45))]
        assert app.query_one(NextUpList).items[0].done
        # Any item: focus the list, move to the second calcium dose (the plan splits 630 mg) and press enter.
        listing = app.query_one(NextUpList)
        listing.focus()
        calcium = [n for n, i in enumerate(listing.items) if i.ref == "calcium-citrate-315"]
        assert len(calcium) == 2
        listing.highlighted = calcium[1]
        await pilot.press("enter")
        await pilot.pause(0.3)
        doses = [e.doses for e in morning.repo.entries_on(MORNING.date()) if e.ref == "calcium-citrate-315"]
        assert doses == [listing.items[calcium[1]].doses] and app.query_one(NextUpList).items[calcium[0]].done
        # A meal opens the food search with its slot chosen; an exercise item starts the session.
        breakfast = next(i for i in app.query_one(NextUpList).items if i.ref == "breakfast")
        app.query_one(TodayPane).do(breakfast)
        await pilot.pause(0.3)
        assert app.query_one("#meal", Select).value == "breakfast"
        assert app.focused is app.query_one("#food-search", Input)


async def test_an_exercise_item_starts_its_session(morning: Coach) -> None:
    from bonecoach.tui.screens.session import GuidedSessionScreen

    app = app_for(morning)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.3)
        exercise = next(i for i in app.query_one(NextUpList).items if i.kind == "exercise")
        app.query_one(TodayPane).do(exercise)
        await pilot.pause(0.3)
        assert isinstance(app.screen, GuidedSessionScreen) and app.screen.session.category == exercise.ref


async def test_the_regimen_is_edited_in_the_app_and_the_plan_follows(morning: Coach) -> None:
    app = app_for(morning)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.3)
        await pilot.press("R")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RegimenScreen)
        screen.query_one("#regimen-what", Select).value = "supplement:vitamin-d3-1000"
        screen.query_one("#regimen-frequency", Select).value = "weekly"
        screen.query_one("#regimen-on", Input).value = "wednesday"
        screen.query_one("#regimen-doses", Input).value = "2"
        screen.query_one("#regimen-add").press()
        await pilot.pause()
        item = next(i for i in morning.regimen().items if i.ref == "vitamin-d3-1000")
        assert (item.doses, item.frequency, item.weekday) == (2.0, "weekly", 2)
        # Enter on its row loads it back into the line, to change it.
        table = screen.query_one("#regimen-items")
        table.focus()
        table.move_cursor(row=[i.ref for i in morning.regimen().items].index("vitamin-d3-1000"))  # type: ignore[attr-defined]
        for field in ("#regimen-on", "#regimen-doses"):
            screen.query_one(field, Input).value = ""
        await pilot.press("enter")
        await pilot.pause()
        assert screen.query_one("#regimen-on", Input).value == "wed"
        assert screen.query_one("#regimen-doses", Input).value == "2"
        assert screen.query_one("#regimen-frequency", Select).value == "weekly"
        # A mistake is said beside the line and changes nothing.
        screen.query_one("#regimen-on", Input).value = "someday"
        screen.query_one("#regimen-add").press()
        await pilot.pause()
        assert "Give a weekday" in str(screen.query_one("#regimen-item-error").render())
        assert next(i for i in morning.regimen().items if i.ref == "vitamin-d3-1000").weekday == 2
        # Remove the calcium: cursor on its row, d.
        table = screen.query_one("#regimen-items")
        table.focus()
        table.move_cursor(row=[i.ref for i in morning.regimen().items].index("calcium-citrate-315"))  # type: ignore[attr-defined]
        await pilot.press("d")
        await pilot.pause()
        assert "calcium-citrate-315" not in {i.ref for i in morning.regimen().items}
        # Usual times: waking later moves the fasting tablet; ctrl+s saves.
        screen.query_one("#time-wake", Input).value = "07:00"
        screen.query_one("#time-breakfast", Input).value = "08:00"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert morning.regimen().times.wake == time(7, 0)
        await pilot.press("escape")
        await pilot.pause(0.3)
        refs = [(i.at, i.ref) for i in app.query_one(NextUpList).items]
        assert ("07:00", "alendronate") in refs and ("08:00", "breakfast") in refs
        assert not any(ref == "calcium-citrate-315" for _, ref in refs)
        assert any(ref == "vitamin-d3-1000" for _, ref in refs)
        # The day plan (a) no longer sends the user to the command line.
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen) and "bonecoach regimen" not in app.screen.text


def _readme_key_rows() -> list[str]:
    text = README.read_text(encoding="utf-8")
    table = text[text.index("| key | where | does |") :].split("\n\n")[0]
    return [line for line in table.splitlines()[2:]]


def test_readme_help_and_palette_list_the_same_keys() -> None:
    assert _readme_key_rows() == readme_rows()
    for row in KEYS:
        assert f"- {row.keys}: {row.meaning}" in HELP
    for key in ("`c`, `a`", "`g`, `m`, `r`, `y`", "`R`", "`n`"):
        assert key in HELP


# The keys as the table writes them -> Textual's key names.
KEY_NAMES = {"[": "left_square_bracket", "]": "right_square_bracket", "←": "left", "→": "right", "↓": "down",
             "↑": "up", "?": "question_mark"}  # fmt: skip
PANES = {"Today": TodayPane, "Log": panes.LogPane, "Bone": panes.BonePane, "Exercise": panes.ExercisePane,
         "Week": panes.WeekPane, "anywhere": BonecoachApp}  # fmt: skip


def test_every_key_in_the_table_is_bound_where_it_says() -> None:
    for row in KEYS:
        owner = PANES.get(row.where)
        if owner is None:
            continue  # the search box and the guided session: typed text and their own screen
        bound = {key.strip() for klass in owner.__mro__ for binding in vars(klass).get("BINDINGS", [])
                 for key in binding.key.split(",")}  # fmt: skip  # a pane's own and those it builds on
        for token in re.findall(r"`([^`]+)`", row.keys):
            if token in ("tab", "ctrl+p", "enter") and owner is not BonecoachApp:
                continue  # tab moves focus, enter selects a row (DataTable and OptionList bindings)
            if token == "ctrl+p":
                continue  # Textual's own command palette key
            for key in re.split(r"\s*/\s*", token):
                name = KEY_NAMES.get(key, key.lower() if key.startswith("F") else key)
                assert name in bound, f"{row.where}: {key!r} is in the key table but not bound"


def test_every_palette_action_exists() -> None:
    for name, action, help_text in palette_entries():
        assert "key " in help_text or help_text.startswith("palette only"), name
        match = re.fullmatch(r"pane\('(\w+)', '(\w+)'\)", action)
        if match:
            tab = {"today": "Today", "log": "Log", "bone": "Bone", "exercise": "Exercise", "week": "Week"}[match[1]]
            assert hasattr(PANES[tab], f"action_{match[2]}"), name
        else:
            shown = re.fullmatch(r"app\.show\('(\w+)'\)", action)
            if shown:  # a tab, by name: its pane and the widget the keyboard goes to
                from bonecoach.tui.app import FOCUS

                assert shown[1] in FOCUS, name
                action = "app.show"
            name_only = action[4:].split("(")[0]  # "app.write_file('export')": the action and its argument
            assert action.startswith("app.") and hasattr(BonecoachApp, f"action_{name_only}"), name


async def _palette(pilot, app: BonecoachApp, words: str) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("ctrl+p")
    await pilot.pause(0.2)
    await pilot.press(*words)
    await pilot.pause(0.5)
    await pilot.press("enter")
    await pilot.pause(0.5)


@pytest.mark.parametrize(
    ("words", "screen_name"),
    [
        ("Add a scan", "ScanForm"),
        ("Add a blood test", "LabForm"),
        ("Start today's session", "GuidedSessionScreen"),
        ("Save the report for your clinician", "ReportScreen"),
        ("Change the regimen", "RegimenScreen"),
        ("Exercise times and equipment", "ExerciseSetupScreen"),
        ("Show conflicts", "HelpScreen"),
        ("Target sources", "HelpScreen"),
        ("New recipe", "RecipeScreen"),
    ],
)
async def test_palette_actions_open_their_screens(morning: Coach, words: str, screen_name: str) -> None:
    morning.log_medication("alendronate", at="06:50")
    morning.log_food("01077", grams=244, at="07:00")  # milk in the alendronate fast: a conflict to show
    app = app_for(morning)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.3)
        await _palette(pilot, app, words)
        assert type(app.screen).__name__ == screen_name


async def test_palette_export_and_backup(morning: Coach, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    app = app_for(morning)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.3)
        await _palette(pilot, app, "Export all data")
        exports = list(tmp_path.glob("bonecoach-export-*.json"))
        assert len(exports) == 1 and exports[0].stat().st_mode & 0o777 == 0o600
        assert '"regimen"' in exports[0].read_text(encoding="utf-8")
        await _palette(pilot, app, "Back up now")
        assert list((morning.repo.root / "backups").glob("manual-*.json"))


# -- wording a user reads ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "said"),
    [("2026-02-30", "there is no 30 February 2026"), ("2025-02-29", "there is no 29 February 2025 (not a leap year)"),
     ("2026-04-31", "there is no 31 April 2026"), ("2026-13-01", "there is no month 13")],
)  # fmt: skip
def test_an_impossible_date_is_answered_plainly(db_dir: Path, capsys: pytest.CaptureFixture[str], text: str,
                                                said: str) -> None:  # fmt: skip
    from bonecoach.cli.main import main

    for command in (["day", text], ["log", "food", "01077", "--grams", "10", "--at", f"{text} 08:00"],
                    ["profile", "set", "--sex", "female", "--birth-date", text]):  # fmt: skip
        assert main(["--db", str(db_dir), *command]) == 2
        assert said in capsys.readouterr().err


@pytest.mark.parametrize("mark", ["\u202e", "\u202d", "\u2066", "\u2067", "\u2068", "\u200f", "\u061c"])
def test_direction_overrides_are_refused_in_names(profiled: Coach, mark: str) -> None:
    from bonecoach.domain.errors import InputError

    with pytest.raises(InputError, match="direction-override"):
        profiled.add_custom_food(f"Milk{mark}kliM", 100, {"calcium_mg": 100})
    with pytest.raises(InputError, match="direction-override"):
        profiled.add_supplement(f"Cal{mark}cium", nutrients={"calcium_mg": 100})


def test_sources_shown_to_people_name_no_internal_file(profiled: Coach) -> None:
    texts = [r.source for r in profiled.checker.rules] + [m.source for m in profiled.medications]
    texts += [s.source for s in profiled.preset_supplements] + [
        t.source for t in profiled.targets(MORNING.date()).values()
    ]
    texts += [profiled.absorption.source]
    assert texts and not [t for t in texts if "DOMAIN" in t or "via ," in t or "()" in t]


async def test_a_vitamin_d_tablet_is_not_logged_as_ca_0_mg(morning: Coach) -> None:
    from bonecoach.tui.changes import log

    app = app_for(morning)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.3)
        seen: list[str] = []
        original = app.notify

        def capture(message: str, **options: object) -> None:
            seen.append(message)
            original(message, **options)  # type: ignore[arg-type]

        app.notify = capture  # type: ignore[method-assign]
        log(app.today_pane, lambda: [morning.log_supplement("vitamin-d3-1000")])
        log(app.today_pane, lambda: [morning.log_supplement("calcium-citrate-315")])
        await pilot.pause()
        assert seen[0] == "Vitamin D3 1000 IU (25 mcg)" and seen[1].endswith("(Ca 315 mg)")


def test_a_palette_entry_is_described_as_itself_not_as_its_neighbours() -> None:
    """Issue 38 item 10: "Undo the scan delete" was described as "add a DEXA result..."."""
    helps = {name: help_text for name, _, help_text in palette_entries()}
    assert helps["Undo the record delete"] == "key u on Bone"
    assert "DEXA" not in helps["Delete the selected record"] and "DEXA" not in helps["Add a fracture"]
    assert helps["Edit profile"].endswith("profile (sex, birth date, guideline)")  # a row of one: its meaning
    for name, help_text in helps.items():
        described = help_text.partition(" · ")[2]
        rows = [row for row in KEYS if any(entry[0] == name for entry in row.palette)]
        assert not described or len(rows[0].palette) == 1, (name, help_text)
