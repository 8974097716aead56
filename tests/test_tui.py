"""The app driven through the Pilot: keys in, widgets and stored data checked."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, OptionList, Select, Static

from bonecoach.services.coach import Coach
from bonecoach.storage.repository import Repository
from bonecoach.tui.app import BonecoachApp, make_app
from bonecoach.tui.panes.log import LogPane
from bonecoach.tui.screens.edit_entry import EditEntryScreen
from bonecoach.tui.screens.profile import ProfileScreen
from tests.conftest import snapshot_files

SIZE = (80, 24)


def bar_text(app: BonecoachApp, key: str) -> str:
    return str(app.query_one(f"#bar-{key}", Static).render())


async def test_first_launch_asks_for_profile_and_shows_targets(coach: Coach) -> None:
    app = make_app(coach)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ProfileScreen)
        app.screen.query_one("#sex", Select).value = "female"
        await pilot.click("#birth-date")
        await pilot.press(*"2015-01-01", "enter")
        assert "ages 14 and over" in str(app.screen.query_one("#birth-date-error", Static).render())
        assert coach.profile() is None
        birth = app.screen.query_one("#birth-date", Input)
        birth.value = ""
        await pilot.press(*"1962-04-12", "enter")
        await pilot.pause()
        assert not isinstance(app.screen, ProfileScreen)
        profile = coach.profile()
        assert profile is not None and profile.birth_date == date(1962, 4, 12)
        assert "/1,200 mg" in bar_text(app, "calcium_mg")


async def test_skipping_profile_says_targets_need_it(coach: Coach) -> None:
    app = make_app(coach)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("escape")
        await pilot.pause()
        assert "No profile yet" in str(app.query_one("#targets-note", Static).render())


async def test_log_food_by_typing_updates_today_and_storage(profiled: Coach) -> None:
    app = make_app(profiled)
    async with app.run_test(size=SIZE) as pilot:
        assert "0/1,200 mg" in bar_text(app, "calcium_mg")
        await pilot.press("2")
        assert app.focused is app.query_one("#food-search", Input)
        await pilot.press(*"sardine bones")
        await pilot.pause()
        results = app.query_one("#food-results", OptionList)
        assert results.get_option_at_index(0).id == "15088"
        await pilot.press("enter")  # to the amount; the default portion is the first USDA measure
        assert app.focused is app.query_one("#amount", Input)
        app.query_one("#portion", Select).value = "__grams__"
        await pilot.press("9", "2", "enter")
        await pilot.pause()
        stored = profiled.repo.entries_on(date(2026, 11, 25))
        assert [(e.ref, e.grams) for e in stored] == [("15088", 92)]
        assert "351/1,200 mg" in bar_text(app, "calcium_mg")
        table = app.query_one("#timeline", DataTable)
        assert table.row_count == 1
        assert app.focused is app.query_one("#food-search", Input)  # ready for the next one
        # Regression: digits typed in the search box are text, so F2 must reach Today from there.
        await pilot.press("f2")
        assert app.query_one("#tabs").active == "today"
        await pilot.press("f3", "escape")
        assert app.query_one("#tabs").active == "today"


async def test_log_food_by_portion_and_time(profiled: Coach) -> None:
    app = make_app(profiled)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2", *"milk whole")
        await pilot.pause()
        pane = app.query_one(LogPane)
        assert pane.selected_food is not None and pane.selected_food.id == "01077"
        assert app.query_one("#portion", Select).value == "1 cup"
        app.query_one("#when", Input).value = "yesterday 8am"
        await pilot.press("enter", "2", "enter")
        await pilot.pause()
        stored = profiled.repo.entries_on(date(2026, 11, 24))
        assert [(e.grams, e.portion, e.at.hour) for e in stored] == [(488, "2 x 1 cup", 8)]


@pytest.mark.parametrize("typed", ["0", "-4", "abc", "9000"])
async def test_bad_amount_is_refused_on_screen_and_nothing_stored(profiled: Coach, db_dir: Path, typed: str) -> None:
    before = snapshot_files(db_dir)
    app = make_app(profiled)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2", *"cheddar", "enter")
        app.query_one("#portion", Select).value = "__grams__"
        await pilot.press(*typed, "enter")
        await pilot.pause()
        message = app.query_one("#log-message", Static)
        assert message.has_class("error") and str(message.render())
        assert app.query_one("#amount", Input).value == typed  # what was typed is kept to fix
    assert snapshot_files(db_dir) == before


async def test_supplement_quick_log(profiled: Coach) -> None:
    app = make_app(profiled)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2", "ctrl+s")
        options = app.query_one("#supplement-list", OptionList)
        assert app.focused is options
        target = next(i for i in range(options.option_count) if options.get_option_at_index(i).id == "vitamin-d3-1000")
        options.highlighted = target
        await pilot.press("enter")
        await pilot.pause()
        stored = profiled.repo.entries_on(date(2026, 11, 25))
        assert [(e.ref, e.doses) for e in stored] == [("vitamin-d3-1000", 1.0)]
        assert "25/15 mcg" in bar_text(app, "vitamin_d_mcg")


async def test_morning_set_in_one_action(profiled: Coach) -> None:
    profiled.save_supplement_set("morning", [("vitamin-d3-1000", 1), ("k2-mk7-90", 1)])
    app = make_app(profiled)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        app.query_one("#supplement-set", Select).value = "morning"
        app.query_one("#log-set").press()
        await pilot.pause()
        assert len(profiled.repo.entries_on(date(2026, 11, 25))) == 2


async def test_delete_undo_and_edit_from_today(profiled: Coach) -> None:
    first = profiled.log_food("01077", grams=100, at="8am")
    profiled.log_food("01009", grams=30, at="12:00")
    app = make_app(profiled)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1")
        table = app.query_one("#timeline", DataTable)
        assert table.row_count == 2
        await pilot.press("d")
        await pilot.pause()
        assert [e.ref for e in profiled.repo.entries_on(date(2026, 11, 25))] == ["01009"]
        assert table.row_count == 1
        await pilot.press("u")
        await pilot.pause()
        assert table.row_count == 2
        table.move_cursor(row=0)
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, EditEntryScreen)
        amount = app.screen.query_one("#edit-amount", Input)
        amount.value = "6000"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, EditEntryScreen)  # refused: stays open with the reason
        assert "5 kg" in str(app.screen.query_one("#edit-error", Static).render())
        amount.value = "250"
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, EditEntryScreen)
        edited = profiled.repo.get_entry(first.id)
        assert edited is not None and edited.grams == 250


async def test_day_navigation(profiled: Coach) -> None:
    profiled.log_food("01077", grams=100, at="yesterday 8am")
    app = make_app(profiled)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1")
        assert app.query_one("#timeline", DataTable).row_count == 0
        await pilot.press("left_square_bracket")
        assert app.query_one("#timeline", DataTable).row_count == 1
        assert "Tuesday 24 November" in str(app.query_one("#day-title", Static).render())
        await pilot.press("t")
        assert app.query_one("#timeline", DataTable).row_count == 0


async def test_help_and_command_palette(profiled: Coach) -> None:
    app = make_app(profiled)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert type(app.screen).__name__ == "HelpScreen"
        await pilot.press("escape")
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Log food")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert app.query_one("#tabs").active == "log"


async def test_second_window_is_read_only_with_a_banner(profiled: Coach, db_dir: Path) -> None:
    from bonecoach.services.opening import open_database

    second, banner = open_database(db_dir, "app", clock=profiled.clock)
    assert second.repo.readonly and banner and "Read-only" in banner
    app = make_app(second, banner=banner)
    async with app.run_test(size=SIZE) as pilot:
        assert "Read-only" in str(app.query_one("#banner", Static).render())
        await pilot.press("2", *"cheddar", "enter")
        app.query_one("#portion", Select).value = "__grams__"
        await pilot.press("3", "0", "enter")
        await pilot.pause()
    assert profiled.repo.entries_on(date(2026, 11, 25)) == []


def test_app_factory_needs_no_terminal(tmp_path: Path) -> None:
    repo = Repository(tmp_path / "db")
    assert isinstance(make_app(Coach(repo)), BonecoachApp)
    repo.close()


async def test_sources_of_targets_are_one_key_away(profiled: Coach) -> None:
    app = make_app(profiled)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2", "s")
        await pilot.pause()
        assert type(app.screen).__name__ == "HelpScreen"
        assert "IOM 2011" in app.screen.text and "not an official target" in app.screen.text  # type: ignore[attr-defined]


async def test_add_own_supplement_and_food_in_the_app(profiled: Coach) -> None:
    app = make_app(profiled)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f3", "ctrl+n")
        await pilot.pause()
        screen = app.screen
        assert type(screen).__name__ == "MyItemScreen"
        screen.query_one("#item-name", Input).value = "Bone Complex"
        screen.query_one("#item-calcium_mg", Input).value = "-5"
        await pilot.press("enter")
        assert "zero or more" in str(screen.query_one("#item-error", Static).render())
        assert profiled.repo.user_supplements() == []
        screen.query_one("#item-calcium_mg", Input).value = "250"
        screen.query_one("#item-vitamin_d_mcg", Input).value = "10"
        await pilot.press("enter")
        await pilot.pause()
        assert [p.name for p in profiled.repo.user_supplements()] == ["Bone Complex"]
        options = app.query_one("#supplement-list", OptionList)
        assert options.get_option_at_index(0).id == "my-bone-complex"

        await pilot.press("ctrl+n")
        await pilot.pause()
        screen = app.screen
        screen.query_one("#item-kind", Select).value = "food"
        screen.query_one("#item-name", Input).value = "Oat bar"
        screen.query_one("#item-serving", Input).value = "1 bar"
        screen.query_one("#item-calcium_mg", Input).value = "200"
        await pilot.press("enter")
        assert "grams" in str(screen.query_one("#item-error", Static).render())
        screen.query_one("#item-grams", Input).value = "40"
        screen.query_one("#item-sodium_mg", Input).value = "0"  # the label says 0 mg: a measured zero
        screen.query_one("#item-phytate", Select).value = "high"  # optional: the level, if known
        await pilot.press("enter")
        await pilot.pause()
        food = profiled.repo.custom_foods()[0]
        assert food.per_100g.calcium_mg == 500 and food.portions[0].label == "1 bar"
        # A typed 0 is stored as 0, as on the command line; an empty field stays unknown.
        assert food.per_100g.sodium_mg == 0 and food.per_100g.caffeine_mg is None
        assert [(t.kind, t.level, t.origin) for t in food.inhibitors] == [("phytate", "high", "estimate")]


async def test_override_a_target_in_the_app(profiled: Coach) -> None:
    app = make_app(profiled)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2", "o")
        await pilot.pause()
        screen = app.screen
        assert screen.query_one("#target-calcium_mg", Input).value == "1200"
        screen.query_one("#target-vitamin_k2_mcg", Input).value = "abc"
        await pilot.press("enter")
        assert "number" in str(screen.query_one("#targets-error", Static).render())
        screen.query_one("#target-vitamin_k2_mcg", Input).value = "90"
        await pilot.press("enter")
        await pilot.pause()
        assert "/90 mcg" in bar_text(app, "vitamin_k2_mcg")
        overrides = profiled.profile().overrides  # type: ignore[union-attr]
        assert list(overrides) == ["vitamin_k2_mcg"] and overrides["vitamin_k2_mcg"].upper_limit is None
        await pilot.press("o")
        await pilot.pause()
        app.screen.query_one("#target-vitamin_k2_mcg", Input).value = ""
        await pilot.press("enter")
        await pilot.pause()
        assert "/180 mcg" in bar_text(app, "vitamin_k2_mcg")
        assert profiled.profile().overrides == {}  # type: ignore[union-attr]


async def test_conflicting_pair_logged_in_the_app_shows_marker_and_fix(profiled: Coach) -> None:
    profiled.log_food("01117", grams=245, at="12:00")  # plain yogurt, 448 mg calcium
    app = make_app(profiled)
    notes: list[str] = []
    async with app.run_test(size=SIZE) as pilot:
        original = app.notify

        def capture(message: str, **kw: object) -> None:
            notes.append(str(kw.get("title", "")) + ": " + message)
            original(message, **kw)  # type: ignore[arg-type]

        app.notify = capture  # type: ignore[method-assign]
        assert app.query_one("#conflicts", Static).display is False
        await pilot.press("f3", *"spinach cooked")
        await pilot.pause()
        results = app.query_one("#food-results", OptionList)
        unsalted = next(i for i in range(results.option_count) if results.get_option_at_index(i).id == "11458")
        results.highlighted = unsalted
        await pilot.pause()  # the highlight selects the food (and its default portion) first
        assert app.query_one(LogPane).selected_food.id == "11458"  # type: ignore[union-attr]
        app.query_one("#portion", Select).value = "__grams__"
        app.query_one("#when", Input).value = "12:10"
        app.query_one("#amount", Input).value = "90"
        app.query_one("#amount", Input).focus()
        await pilot.press("enter")
        await pilot.pause()
        # One notice: what was logged, the new conflict and its fix.
        assert len(notes) == 1 and notes[0].startswith("Logged:") and "New conflict" in notes[0], notes
        assert "13:10" in notes[0]
        await pilot.press("f2")
        panel = app.query_one("#conflicts", Static)
        # At 80x24 the list folds away (c shows it) and the day's title carries the count.
        assert panel.has_class("-shown") and not panel.display and "13:10" in str(panel.render())
        assert "⚠ 1 conflict (c)" in str(app.query_one("#day-title", Static).render())
        table = app.query_one("#timeline", DataTable)
        markers = [table.get_row_at(i)[0] for i in range(table.row_count)]
        assert markers == ["⚠", "⚠"]
        await pilot.press("c")
        await pilot.pause()
        assert "oxalate-with-calcium" in app.screen.text  # type: ignore[attr-defined]


async def test_log_medication_from_the_quick_list_and_see_the_plan(profiled: Coach) -> None:
    profiled.add_to_regimen("medication", "alendronate")
    app = make_app(profiled)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f3", "ctrl+s")
        options = app.query_one("#supplement-list", OptionList)
        index = next(
            i for i in range(options.option_count) if options.get_option_at_index(i).id == "medication:levothyroxine"
        )
        options.highlighted = index
        app.query_one("#supplement-when", Input).value = "6:00"  # the list has its own time
        await pilot.press("enter")
        await pilot.pause()
        (entry,) = profiled.repo.entries_on(date(2026, 11, 25))
        assert entry.kind == "medication" and entry.drug_class == "levothyroxine" and entry.at.hour == 6
        await pilot.press("f2", "a")
        await pilot.pause()
        assert "06:30" in app.screen.text and "Alendronate" in app.screen.text  # type: ignore[attr-defined]


async def test_disk_full_while_logging_says_so_and_keeps_the_old_file(
    profiled: Coach, db_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    profiled.log_food("01077", grams=100, at="8am")
    before = snapshot_files(db_dir)
    app = make_app(profiled)
    notes: list[str] = []
    async with app.run_test(size=SIZE) as pilot:
        original = app.notify
        app.notify = lambda message, **kw: (notes.append(f"{kw.get('title')}: {message}"), original(message, **kw))[1]  # type: ignore[method-assign,assignment]
        await pilot.press("f3", *"cheddar", "enter")
        app.query_one("#portion", Select).value = "__grams__"
        app.query_one("#amount", Input).value = "30"

        def full(fd: int, data: object) -> int:
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(os, "write", full)
        await pilot.press("enter")
        await pilot.pause()
        monkeypatch.undo()
    assert any(n.startswith("Not saved:") and "No space left" in n and "intact" in n for n in notes), notes
    assert snapshot_files(db_dir) == before


async def test_damaged_file_found_after_start_offers_a_backup(profiled: Coach, db_dir: Path) -> None:
    from bonecoach.storage.backup import write_backup
    from bonecoach.tui.screens.recovery import RecoveryScreen

    profiled.log_food("01077", grams=100, at="8am")
    write_backup(db_dir, "manual-good", datetime(2026, 11, 25, 9))
    for stale in (db_dir / "backups").glob("daily-*"):
        stale.unlink()  # so the app's check runs today's backup, which verifies every file
    (db_dir / "entries" / "2026-11.json").write_text('{"entries": {"1": {"id"')
    app = make_app(profiled)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, RecoveryScreen)
        assert "2026-11.json" in app.screen.problem
        options = app.screen.query_one("#backups", OptionList)
        assert options.get_option_at_index(0).id == "manual-good"
        await pilot.press("enter")
        await pilot.pause()
    assert app.restore_message and "manual-good" in app.restore_message
    repo = Repository(db_dir, readonly=True)
    assert [e.ref for e in repo.entries_on(date(2026, 11, 25))] == ["01077"]
    assert list(db_dir.glob("replaced-*/entries/2026-11.json"))


async def test_save_a_meal_on_today_and_log_it_from_the_log_pane(profiled: Coach) -> None:
    profiled.log_food("01117", grams=245, at="yesterday 7:30", meal="breakfast")
    profiled.log_food("09040", grams=118, at="yesterday 7:35", meal="breakfast")
    app = make_app(profiled)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2", "left_square_bracket")  # yesterday
        await pilot.press("m")
        await pilot.pause()
        await pilot.press(*"usual breakfast", "enter")
        await pilot.pause()
        assert [m.name for m in profiled.repo.saved_meals()] == ["usual breakfast"]
        await pilot.press("f3", "right_square_bracket", *"usual")  # Log opens on the day Today showed: ] is today
        await pilot.pause()
        results = app.query_one("#food-results", OptionList)
        assert results.get_option_at_index(0).id == "meal:usual-breakfast"
        await pilot.press("enter", "enter")  # pick it, then log it
        await pilot.pause()
    logged = profiled.repo.entries_on(date(2026, 11, 25))
    assert [e.ref for e in logged] == ["01117", "09040"]


async def test_build_a_recipe_and_log_a_serving(profiled: Coach) -> None:
    app = make_app(profiled)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("f3", "ctrl+r")
        await pilot.pause()
        screen = app.screen
        screen.query_one("#recipe-name", Input).value = "Tofu stir-fry"
        screen.query_one("#recipe-servings", Input).value = "2"
        for query, grams in (("tofu raw regular calcium", "250"), ("broccoli cooked", "150")):
            screen.query_one("#recipe-search", Input).focus()
            await pilot.press(*query)
            await pilot.pause()
            await pilot.press("enter")
            await pilot.press(*grams, "enter")
            await pilot.pause()
        screen.query_one("#recipe-save").press()
        await pilot.pause()
        (recipe,) = profiled.repo.recipes()
        assert [i.grams for i in recipe.ingredients] == [250, 150] and recipe.servings == 2
        await pilot.press(*"stir")
        await pilot.pause()
        assert app.query_one("#food-results", OptionList).get_option_at_index(0).id == "recipe:tofu-stir-fry"
        await pilot.press("enter", "1", ".", "5", "enter")
        await pilot.pause()
    (entry,) = profiled.repo.entries_on(date(2026, 11, 25))
    assert entry.ref == "recipe:tofu-stir-fry" and entry.portion == "1.5 servings"
    assert entry.nutrients.calcium_mg == pytest.approx(recipe.per_serving.calcium_mg * 1.5)  # type: ignore[operator]


async def test_accept_a_suggestion_to_close_the_gap(profiled: Coach) -> None:
    profiled.log_food("01009", grams=30, at="yesterday 12:00")
    app = make_app(profiled)
    async with app.run_test(size=(100, 40)) as pilot:
        shown = str(app.query_one("#reminders", Static).render())
        assert "Still short: Calcium 1,200 mg, Vitamin D 15 mcg" in shown and "g: close the gap" in shown
        await pilot.press("f2", "g")
        await pilot.pause()
        options = app.screen.query_one("#choices", OptionList)
        assert options.option_count >= 1
        first = str(options.get_option_at_index(0).prompt)
        await pilot.press("enter")
        await pilot.pause()
    (entry,) = profiled.repo.entries_on(date(2026, 11, 25))
    from bonecoach.domain.names import display_name

    assert display_name(entry.name)[:20] in first and entry.at == datetime(2026, 11, 25, 20, 0)


async def test_repeat_an_entry_and_its_meal_from_today(profiled: Coach) -> None:
    profiled.log_food("01077", grams=244, at="yesterday 12:00", meal="lunch")
    profiled.log_food("15088", grams=92, at="yesterday 12:10", meal="lunch")
    app = make_app(profiled)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2", "left_square_bracket", "r")
        await pilot.pause()
        assert len(profiled.repo.entries_on(date(2026, 11, 25))) == 1
        await pilot.press("left_square_bracket", "y")
        await pilot.pause()
    assert len(profiled.repo.entries_on(date(2026, 11, 25))) == 3


async def test_footer_does_not_keep_its_old_key_widgets(profiled: Coach) -> None:
    from bonecoach.tui.widgets.footer import Footer

    app = make_app(profiled)
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(12):  # each focus change re-composes the footer
            await pilot.press("f3", "f2")
            await pilot.pause()
        footer = app.query_one(Footer)
        # Textual keeps an object's watchers in this attribute; if it is renamed, fail, not pass.
        assert hasattr(footer, "__watchers"), "Textual moved its watcher registry: update this test"
        watchers = getattr(footer, "__watchers")
        kept = sum(len(pairs) for pairs in watchers.values())
        assert kept <= len(list(footer.walk_children())) + 1


def test_style_caches_of_removed_widgets_are_freed() -> None:
    # Textual issue #6665 (see bonecoach.tui.workarounds): every widget's StylesCache, with each
    # line it drew, stayed reachable from an lru_cache on one of its methods.
    import gc
    import weakref

    from textual._styles_cache import StylesCache
    from textual.color import Color
    from textual.style import Style

    import bonecoach.tui.app  # noqa: F401  (installs the work-arounds)

    cache = StylesCache()
    base, background = Color(10, 20, 30), Color(200, 0, 0, 0.5)
    assert cache.get_inner_outer(base, background) == (Style(background=base + background), Style(background=base))
    freed = weakref.ref(cache)
    del cache
    gc.collect()
    assert freed() is None


async def test_changing_only_an_entrys_time_keeps_its_portion(profiled: Coach) -> None:
    """Issue 38 item 4: "1 cup" became 243 g, and the CSV export lost the portion."""
    from bonecoach.services import data

    logged = profiled.log_food("01077", portion="1 cup", at="8am")
    app = make_app(profiled)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1")
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, EditEntryScreen)
        app.screen.query_one("#edit-at", Input).value = "2026-11-25 08:30"
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, EditEntryScreen)
    edited = profiled.repo.get_entry(logged.id)
    assert edited is not None and edited.at.minute == 30
    assert edited.portion == "1 cup" and edited.grams == logged.grams
    assert "1 cup" in data.export_text(profiled, "csv")
