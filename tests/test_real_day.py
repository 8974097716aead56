"""A real day logged in seconds (issue 38): one notice per log saying only what it changed,
notices that never cover a dialog, a day to log into, repeats that keep their times."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from textual.screen import ModalScreen
from textual.widgets import DataTable, Input, OptionList, Static

from bonecoach.catalog.foods import FoodCatalog
from bonecoach.domain.conflict_news import new_conflicts
from bonecoach.domain.conflicts import Conflict
from bonecoach.domain.day import food_entry
from bonecoach.domain.errors import InputError
from bonecoach.domain.meals import repeat_entries, same_time_today, still_to_come
from bonecoach.domain.models import MealSlot
from bonecoach.domain.timeparse import parse_when, parse_when_on
from bonecoach.services.coach import Coach
from bonecoach.tui.app import BonecoachApp, make_app

SIZE = (80, 24)
TODAY = date(2026, 11, 25)
YESTERDAY = date(2026, 11, 24)
NOW = datetime(2026, 11, 25, 20, 0)


def capture_notices(app: BonecoachApp) -> list[str]:
    """Every notice the app shows from now on, as "title: message"."""
    shown: list[str] = []
    original = app.notify

    def capture(message: str, **options: object) -> None:
        shown.append(f"{options.get('title', '')}: {message}")
        original(message, **options)  # type: ignore[arg-type]

    app.notify = capture  # type: ignore[method-assign]
    return shown


def conflict(rule: str, *entries: str) -> Conflict:
    return Conflict(rule=rule, severity="warning", entries=entries, message=rule, source="s", suggestion="fix")


def test_a_conflict_that_only_gained_the_new_item_is_not_new() -> None:
    before = [conflict("oxalate-with-calcium", "yogurt", "spinach"), conflict("caffeine-limit", "tea")]
    after = [
        conflict("oxalate-with-calcium", "yogurt", "spinach", "apple"),  # the meal grew: the same conflict
        conflict("caffeine-limit", "tea"),  # not about the apple at all
        conflict("iron-with-calcium", "apple", "yogurt"),  # a new pair
        conflict("calcium-dose-size", "yogurt", "spinach", "apple", "cheese"),  # a rule newly crossed
    ]
    found = new_conflicts(before, after, {"apple", "cheese"})
    assert [c.rule for c in found] == ["iron-with-calcium", "calcium-dose-size"]


async def test_each_log_says_once_what_it_added_and_only_its_new_conflicts(profiled: Coach) -> None:
    profiled.log_food("01117", grams=245, at="12:00")  # plain yogurt
    profiled.log_food("11458", grams=90, at="12:10")  # cooked spinach: a conflict already on the day
    app = make_app(profiled)
    async with app.run_test(size=SIZE) as pilot:
        shown = capture_notices(app)
        await pilot.press("f3", *"apple raw")
        await pilot.pause()
        app.query_one("#when", Input).value = "12:20"  # the same meal as the conflict
        await pilot.press("enter", "enter")
        await pilot.pause()
        assert len(shown) == 1 and shown[0].startswith("Logged: Apple"), shown
        assert "conflict" not in shown[0].lower() and "spinach" not in shown[0].lower(), shown
        await pilot.press(*"cheddar")
        await pilot.pause()
        app.query_one("#when", Input).value = "15:00"  # the old conflict stays old; nothing new
        await pilot.press("enter", "enter")
        await pilot.pause()
        assert len(shown) == 2 and "conflict" not in shown[1].lower(), shown


async def test_a_new_conflict_is_said_once_with_its_fix_and_c_for_the_rest(profiled: Coach) -> None:
    profiled.log_food("01117", grams=245, at="12:00")
    app = make_app(profiled)
    async with app.run_test(size=SIZE) as pilot:
        shown = capture_notices(app)
        await pilot.press("f3", *"spinach cooked")
        await pilot.pause()
        app.query_one("#when", Input).value = "12:10"
        await pilot.press("enter", "enter")
        await pilot.pause()
    assert len(shown) == 1, shown
    assert "New conflict" in shown[0] and "Fix:" in shown[0] and "c: every conflict" in shown[0]


async def test_notices_never_cover_a_dialog(profiled: Coach) -> None:
    app = make_app(profiled)
    async with app.run_test(size=SIZE) as pilot:
        app.notify("said before the dialog")
        await pilot.pause()
        assert len(app._notifications) == 1
        await pilot.press("p")  # the profile form
        await pilot.pause()
        assert isinstance(app.screen, ModalScreen)
        assert len(app._notifications) == 0  # cleared when the dialog opened
        app.notify("said while it is open")
        await pilot.pause()
        assert len(app._notifications) == 0  # waits for the dialog to close
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ModalScreen)
        assert [n.message for n in app._notifications] == ["said while it is open"]


async def test_a_dialog_with_its_own_line_says_its_notices_there(profiled: Coach) -> None:
    app = make_app(profiled)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("R")  # the regimen
        await pilot.pause()
        app.notify("Saved: something.")
        await pilot.pause()
        assert "Saved: something." in str(app.screen.query_one("#regimen-said", Static).render())
        assert len(app._notifications) == 0


# -- a day to log into ------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(
    back=st.integers(min_value=0, max_value=400),
    hour=st.integers(min_value=0, max_value=23),
    minute=st.integers(min_value=0, max_value=59),
)
def test_a_clock_time_typed_for_a_chosen_day_is_on_that_day(back: int, hour: int, minute: int) -> None:
    day = NOW.date() - timedelta(days=back)
    moment = parse_when_on(f"{hour}:{minute:02d}", day, NOW)
    assert moment == datetime.combine(day, time(hour, minute))


@pytest.mark.parametrize("typed", ["yesterday 7:30", "2h ago", "now", "2026-11-02 8am"])
@pytest.mark.parametrize("back", [1, 9])
def test_a_time_that_names_its_own_day_keeps_it(typed: str, back: int) -> None:
    assert parse_when_on(typed, NOW.date() - timedelta(days=back), NOW) == parse_when(typed, NOW)


def test_nothing_typed_is_now_today_and_refused_on_a_past_day() -> None:
    assert parse_when_on("", NOW.date(), NOW) == NOW
    with pytest.raises(InputError, match="Type when on Tue 24 Nov"):
        parse_when_on("", NOW.date() - timedelta(days=1), NOW)


async def test_a_day_is_back_logged_with_its_time_typed_once(profiled: Coach) -> None:
    app = make_app(profiled)
    async with app.run_test(size=SIZE) as pilot:
        shown = capture_notices(app)
        await pilot.press("f3", "left_square_bracket")  # yesterday, from the search box
        await pilot.pause()
        assert "Tue 24 Nov (yesterday)" in str(app.query_one("#log-day", Static).render())
        assert app.query_one("#food-search", Input).value == ""  # "[" is a key here, not text
        await pilot.press(*"milk", "enter")  # to the amount; the time is typed once for the day
        app.query_one("#when", Input).value = "7:30"
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press(*"cheddar", "enter", "enter")  # the second food keeps 7:30
        await pilot.pause()
        assert app.query_one("#when", Input).value == "7:30"
        await pilot.press("ctrl+s", "enter")  # a dose: the supplement time is its own
        await pilot.pause()
        assert "Type when on Tue 24 Nov" in str(app.query_one("#log-message", Static).render())
        app.query_one("#supplement-when", Input).value = "6:30"
        await pilot.press("enter")
        await pilot.pause()
    logged = profiled.repo.entries_on(YESTERDAY)
    assert sorted((e.name.split(",")[0], f"{e.at:%H:%M}") for e in logged) == [
        ("Calcium carbonate 1250 mg (500 mg calcium)", "06:30"),
        ("Cheese", "07:30"),
        ("Milk", "07:30"),
    ]
    assert profiled.repo.entries_on(TODAY) == []
    assert all("07:30 yesterday" in n or "06:30 yesterday" in n for n in shown if n.startswith("Logged")), shown


async def test_the_day_stays_until_changed_or_today_is_shown(profiled: Coach) -> None:
    app = make_app(profiled)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f3", "left_square_bracket", "left_square_bracket")
        await pilot.pause()
        app.query_one("#when", Input).value = "8am"
        await pilot.press("f5", "f3")  # another tab and back: the day and its time stay
        await pilot.pause()
        assert "Mon 23 Nov" in str(app.query_one("#log-day", Static).render())
        assert app.query_one("#when", Input).value == "8am"
        await pilot.press("right_square_bracket")  # the day after has its own (no) time
        await pilot.pause()
        assert app.query_one("#when", Input).value == ""
        await pilot.press("left_square_bracket")
        await pilot.pause()
        assert app.query_one("#when", Input).value == "8am"
        await pilot.press("right_square_bracket", "right_square_bracket", "right_square_bracket")
        await pilot.pause()
        assert "Wed 25 Nov (today)" in str(app.query_one("#log-day", Static).render())  # not beyond today
        await pilot.press("left_square_bracket", "f2")  # Today shows the day logged into
        await pilot.pause()
        assert app.today_pane.day == YESTERDAY
        await pilot.press("t", "f3")  # and the next visit starts from Today's day, no time kept
        await pilot.pause()
        assert "(today)" in str(app.query_one("#log-day", Static).render())
        assert app.query_one("#when", Input).value == ""


# -- repeating another day's meal ---------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(
    back=st.integers(min_value=1, max_value=60),
    minutes=st.lists(st.integers(min_value=0, max_value=23 * 60 + 59), min_size=1, max_size=6),
    now_minutes=st.integers(min_value=0, max_value=23 * 60 + 59),
)
def test_a_repeat_keeps_each_items_time_of_day_and_knows_what_is_to_come(
    catalog: FoodCatalog, back: int, minutes: list[int], now_minutes: int
) -> None:
    day = TODAY - timedelta(days=back)
    base = datetime.combine(day, time())
    food = catalog.get("01077")
    assert food is not None
    entries = [
        food_entry(f"e{n}", food, 100, base + timedelta(minutes=m), MealSlot.snack) for n, m in enumerate(minutes)
    ]
    now = datetime.combine(TODAY, time()) + timedelta(minutes=now_minutes)
    start = same_time_today(entries, TODAY)
    copies = repeat_entries(entries, start, [f"c{n}" for n in range(len(entries))])
    assert sorted(c.at.time() for c in copies) == sorted(e.at.time() for e in entries)
    assert all(c.at.date() == TODAY for c in copies)
    assert still_to_come(entries, start, now) == sorted(c.at for c in copies if c.at > now)


def test_without_a_time_another_days_meal_is_repeated_at_its_times_or_refused_if_to_come(profiled: Coach) -> None:
    profiled.log_food("01077", grams=244, at="yesterday 7:30", meal="breakfast")
    profiled.log_food("14355", grams=240, at="yesterday 10:30", meal="breakfast")  # NOW is 20:00: both passed
    copies = profiled.repeat_meal("yesterday", "breakfast")
    assert [f"{c.at:%Y-%m-%d %H:%M}" for c in copies] == ["2026-11-25 07:30", "2026-11-25 10:30"]
    profiled.log_food("01077", grams=244, at="yesterday 21:30", meal="snack")  # still to come at 20:00
    late = profiled.repo.entries_on(YESTERDAY)[-1]
    with pytest.raises(InputError, match="21:30 today, still to come"):
        profiled.repeat_entry(late.id)
    today_entry = copies[0]
    assert profiled.repeat_entry(today_entry.id).at == NOW  # today's entry: again now


async def test_y_on_a_past_breakfast_logs_it_today_at_its_times_and_asks_for_what_is_to_come(
    profiled: Coach,
) -> None:
    profiled.log_food("01077", grams=244, at="yesterday 7:30", meal="breakfast")
    profiled.log_food("14355", grams=240, at="yesterday 7:40", meal="breakfast")
    profiled.log_food("14355", grams=240, at="yesterday 21:30", meal="snack")  # a late tea
    app = make_app(profiled)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2", "left_square_bracket", "y")  # the cursor is on the breakfast milk
        await pilot.pause()
        assert [f"{e.at:%H:%M}" for e in profiled.repo.entries_on(TODAY)] == ["07:30", "07:40"]
        assert app.today_pane.day == TODAY
        await pilot.press("left_square_bracket")
        await pilot.pause()
        app.query_one("#timeline", DataTable).move_cursor(row=2)  # the 21:30 tea: still to come at 20:00
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, ModalScreen)  # asked, nothing logged yet
        assert len(profiled.repo.entries_on(TODAY)) == 2
        await pilot.press("enter")  # the first choice: now
        await pilot.pause()
    assert [f"{e.at:%H:%M}" for e in profiled.repo.entries_on(TODAY)] == ["07:30", "07:40", "20:00"]


# -- doses in two keys --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("lev", "levo"),
        ("synth", "levo"),
        ("fos", "alen"),
        ("cit", "citrate"),
        ("calcium cit", "citrate"),
        ("zzz", None),
    ],
)
def test_type_ahead_finds_a_name_or_a_brand_in_the_lists_order(typed: str, found: str | None) -> None:
    from bonecoach.domain.search import first_typed_ahead

    choices = [
        ("carbonate", ("Calcium carbonate 1250 mg",)),
        ("citrate", ("Calcium citrate 950 mg",)),
        ("alen", ("℞ Alendronate", "Fosamax")),
        ("levo", ("℞ Levothyroxine", "Synthroid", "Eltroxin")),
    ]
    assert first_typed_ahead(typed, choices) == found


async def test_a_regimen_dose_is_typed_ahead_and_logged_in_few_keys(profiled: Coach) -> None:
    profiled.schedule("medication", "levothyroxine", "1", "daily", "")
    profiled.schedule("supplement", "calcium-citrate-315", "1", "daily", "")
    app = make_app(profiled)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f3", "ctrl+s", *"lev", "enter")  # typed ahead: no shortcut fires
        await pilot.pause()
        assert not isinstance(app.screen, ModalScreen)
        await pilot.press(*"cit", "enter")
        await pilot.pause()
        await pilot.press(*"vit", "enter")  # not in the regimen: found all the same
        await pilot.pause()
    names = [e.name for e in profiled.repo.entries_on(TODAY)]
    assert any("Levothyroxine" in n for n in names) and any("citrate" in n.lower() for n in names), names
    assert any(n.lower().startswith("vitamin") for n in names), names


async def test_a_supplement_set_is_made_changed_and_logged_in_the_app(profiled: Coach) -> None:
    app = make_app(profiled)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f3", "ctrl+t")
        await pilot.pause()
        assert isinstance(app.screen, ModalScreen)
        await pilot.press(*"morning", "tab", "tab")  # name, the set's table, then the doses
        app.screen.query_one("#set-doses", Input).value = "2"
        await pilot.press("tab", *"cit", "enter")  # two doses of the first citrate
        await pilot.pause()
        app.screen.query_one("#set-doses", Input).value = ""
        app.screen.query_one("#set-choices").focus()
        await pilot.press(*"vitamin", "enter", "ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, ModalScreen)
        assert profiled.supplement_sets() == {"morning": [("calcium-citrate-315", 2.0), ("vitamin-d3-400", 1.0)]}
        await pilot.press("ctrl+t")  # the chosen set, changed: the vitamin D taken out
        await pilot.pause()
        table = app.screen.query_one("#set-items", DataTable)
        table.focus()
        table.move_cursor(row=1)
        await pilot.press("d", "ctrl+s")
        await pilot.pause()
        assert profiled.supplement_sets() == {"morning": [("calcium-citrate-315", 2.0)]}
        app.query_one("#supplement-when", Input).value = "7am"
        await pilot.click("#log-set")
        await pilot.pause()
    (entry,) = profiled.repo.entries_on(TODAY)
    assert entry.ref == "calcium-citrate-315" and entry.doses == 2 and f"{entry.at:%H:%M}" == "07:00"


async def test_a_bad_set_is_refused_on_the_form_and_nothing_is_saved(profiled: Coach) -> None:
    app = make_app(profiled)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f3", "ctrl+t", *"evening", "ctrl+s")  # no product in it
        await pilot.pause()
        assert isinstance(app.screen, ModalScreen)
        assert "at least one" in str(app.screen.query_one("#set-error", Static).render())
        app.screen.query_one("#set-doses", Input).value = "-1"
        app.screen.query_one("#set-choices").focus()
        await pilot.press("enter")
        await pilot.pause()
        assert "Doses" in str(app.screen.query_one("#set-error", Static).render())
    assert profiled.supplement_sets() == {}


# -- the one-line log, counted items, the forms people eat --------------------------------------


@pytest.mark.parametrize(
    ("line", "food_id", "grams"),
    [
        ("5 dried figs", "09094", 42.0),  # 5 x its "1 fig", not 5 cups (745 g)
        ("1 cup chickpeas", "16057", 164.0),  # cooked, not the dry seeds (200 g)
        ("1 cup white beans", "16050", 179.0),
        ("1 cup kale", "11234", 130.0),  # cooked: the raw cup is 16 g of leaves
        ("1 tbsp milk", "01085", 15.3),  # a sixteenth of SR28's cup (245 g)
        ("2 sardines", "15088", 24.0),
        ("3 eggs", "01123", 150.0),
        ("fortified oj", "09211", 249.0),
        ("1 cup soy milk", "16139", 243.0),
        ("tahini", "12166", 15.0),
    ],
)
def test_a_line_item_is_what_people_mean_and_sure(profiled: Coach, line: str, food_id: str, grams: float) -> None:
    (match,) = profiled.preview_line(line).items
    assert match.strength == "sure" and match.entry is not None, match.message
    assert (match.entry.ref, match.entry.grams) == (food_id, grams)


def test_a_portion_that_cannot_be_derived_is_unsure_with_the_reason(profiled: Coach) -> None:
    (match,) = profiled.preview_line("1 tbsp chia seeds").items
    assert match.strength == "ambiguous" and match.entry is None
    assert "not weighed by the tbsp" in match.message and "1 oz" in match.message and "g chia" in match.message


def test_every_reviewed_form_exists_and_is_the_food_named(catalog: FoodCatalog) -> None:
    import json

    from bonecoach.catalog.assets import assets_dir
    from bonecoach.domain.search import stem, tokens

    rows = json.loads((assets_dir() / "search_terms.json").read_text())["eaten_as"]
    assert rows
    for row in rows:
        assert row["why"].strip()
        for food_id in row["foods"]:
            food = catalog.get(food_id)
            assert food is not None, food_id
            named = {stem(w) for w in tokens(catalog.index.terms.rewrite(row["query"]))}
            words = {stem(w) for w in tokens(food.name)}
            # The food named: a word of the query is one of the name's, or begins one, as search
            # matches words ("toast": "toasted").
            assert any(w.startswith(n) for n in named for w in words), (row["query"], food.name)
        assert catalog.search(row["query"], 1)[0].id == row["foods"][0]


def test_short_names_keep_added_calcium() -> None:
    from bonecoach.domain.names import display_name

    shown = {display_name(n) for n in ("Orange juice, chilled, includes from concentrate",
                                      "Orange juice, chilled, includes from concentrate, with added calcium",
                                      "Orange juice, chilled, includes from concentrate, with added calcium and vitamin D")}  # fmt: skip
    assert len(shown) == 3 and sum("with added calcium" in s for s in shown) == 2
    assert display_name("Milk, nonfat, fluid, with added vitamin A and vitamin D (fat free or skim)") == "Milk, skim"


async def test_the_line_preview_lists_every_item_with_the_time_at_80x24(profiled: Coach) -> None:
    app = make_app(profiled)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f3", *"+1 cup milk, 5 dried figs, 1 cup kale, 1 cup chickpeas at 7:30", "enter")
        await pilot.pause()
        results = app.query_one("#food-results", OptionList)
        assert results.option_count == 4
        assert "07:30" in str(app.query_one("#food-detail", Static).render())
        await pilot.press("enter")
        await pilot.pause()
    assert len(profiled.repo.entries_on(TODAY)) == 4


async def test_an_unsure_item_is_chosen_from_its_candidates_then_the_line_logs(profiled: Coach) -> None:
    app = make_app(profiled)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f3", *"+1 cup milk, 2 slices zzqx bread", "enter")
        await pilot.pause()
        results = app.query_one("#food-results", OptionList)
        assert results.highlighted == 1  # the unsure item
        await pilot.press("enter")  # its candidates
        await pilot.pause()
        assert isinstance(app.screen, ModalScreen)
        await pilot.press("enter")  # the first: now sure
        await pilot.pause()
        assert "enter logs them" in str(app.query_one("#food-detail", Static).render())
        await pilot.press("enter")
        await pilot.pause()
    assert len(profiled.repo.entries_on(TODAY)) == 2


async def test_a_line_that_cannot_be_logged_says_why(profiled: Coach) -> None:
    app = make_app(profiled)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f3", *"+1 cup milk, 1 tbsp chia seeds", "enter")
        await pilot.pause()
        assert "not weighed by the tbsp" in str(app.query_one("#food-detail", Static).render())
        await pilot.press("up", "enter")  # on the sure item: enter refuses and says why
        await pilot.pause()
        assert "Nothing logged" in str(app.query_one("#food-detail", Static).render())
    assert profiled.repo.entries_on(TODAY) == []


# -- typing on Today by mistake -----------------------------------------------------------------


class TypistClock:
    """Letters 60 ms apart (a typist), or ``gap`` apart."""

    def __init__(self, gap: float = 0.06) -> None:
        self.now, self.gap = 0.0, gap

    def __call__(self) -> float:
        self.now += self.gap
        return self.now


async def test_a_food_name_typed_on_today_goes_to_the_food_search_not_the_shortcuts(profiled: Coach) -> None:
    from bonecoach.tui.typing_burst import TypingBurst

    profiled.log_food("01077", grams=244, at="8:00")
    app = make_app(profiled)
    async with app.run_test(size=SIZE) as pilot:
        app.typing = TypingBurst(app, clock=TypistClock())
        await pilot.press(*"spinach")  # s: the sources; p: the profile... as a typist types them
        await pilot.pause()
        assert not isinstance(app.screen, ModalScreen)  # the sources opened by "s" closed again
        search = app.query_one("#food-search", Input)
        assert search.value == "spinach" and app.focused is search
        assert profiled.profile() is not None and profiled.profile().sex == "female"  # nothing typed into it
        assert len(profiled.repo.entries_on(TODAY)) == 1


async def test_quick_shortcuts_that_open_nothing_stay_shortcuts(profiled: Coach) -> None:
    from bonecoach.tui.typing_burst import TypingBurst

    profiled.log_food("01077", grams=244, at="8:00")
    app = make_app(profiled)
    async with app.run_test(size=SIZE) as pilot:
        app.typing = TypingBurst(app, clock=TypistClock())  # "d" then "u", 60 ms apart
        await pilot.press("d", "u")
        await pilot.pause()
        assert app.query_one("#food-search", Input).value == ""
    assert len(profiled.repo.entries_on(TODAY)) == 1  # deleted, then undone


async def test_shortcuts_pressed_one_by_one_still_act(profiled: Coach) -> None:
    from bonecoach.tui.typing_burst import TypingBurst

    app = make_app(profiled)
    async with app.run_test(size=SIZE) as pilot:
        app.typing = TypingBurst(app, clock=TypistClock(gap=0.5))
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, ModalScreen)  # the sources
        await pilot.press("escape", "c")
        await pilot.pause()
        assert app.query_one("#food-search", Input).value == ""


async def test_tab_on_a_past_day_keeps_the_days_keys_and_says_which_work(profiled: Coach) -> None:
    profiled.log_food("01077", grams=244, at="yesterday 7:30", meal="breakfast")
    profiled.log_food("14355", grams=240, at="yesterday 12:30", meal="lunch")
    app = make_app(profiled)
    async with app.run_test(size=SIZE) as pilot:
        shown = capture_notices(app)
        await pilot.press("f2", "left_square_bracket", "tab")
        await pilot.pause()
        assert app.focused is app.query_one("#timeline", DataTable)
        assert any("past day" in n for n in shown), shown
        await pilot.press("down", "y")  # the lunch tea, repeated today at its time
        await pilot.pause()
    assert [f"{e.at:%H:%M}" for e in profiled.repo.entries_on(TODAY)] == ["12:30"]


async def test_tab_today_goes_between_the_table_and_next_up(profiled: Coach) -> None:
    from bonecoach.tui.widgets.next_up import NextUpList

    profiled.schedule("medication", "levothyroxine", "1", "daily", "")
    profiled.log_food("01077", grams=244, at="7:30")
    app = make_app(profiled)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f2", "tab")
        await pilot.pause()
        assert app.focused is app.query_one(NextUpList)
        await pilot.press("tab")
        await pilot.pause()
        assert app.focused is app.query_one("#timeline", DataTable)


async def test_a_regimen_dose_for_a_past_day_with_no_time_is_logged_as_the_day_plan_had_it(profiled: Coach) -> None:
    profiled.schedule("medication", "levothyroxine", "1", "daily", "", start="2026-11-01")
    planned = next(i.at for i in profiled.plan(YESTERDAY).items if i.ref == "levothyroxine")
    app = make_app(profiled)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f3", "left_square_bracket", "ctrl+s", "enter")
        await pilot.pause()
    (entry,) = profiled.repo.entries_on(YESTERDAY)
    assert entry.ref == "levothyroxine" and entry.at == planned


async def test_the_back_logged_day_keeps_the_key_budget() -> None:
    """The benchmark's flow (benchmarks/back_logged_day.py): every food and dose is logged for
    yesterday within 8 keys per food and 3 per dose (counts of keys, not a timing)."""
    import importlib.util

    path = Path(__file__).resolve().parents[1] / "benchmarks" / "back_logged_day.py"
    spec = importlib.util.spec_from_file_location("back_logged_day", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    per_food, per_dose, foods, doses = await module.back_logged_day()
    assert (foods, doses) == (5, 3)
    assert per_food <= 8 and per_dose <= 3
