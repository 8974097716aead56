"""A real day logged in seconds (issue 38): one notice per log saying only what it changed,
notices that never cover a dialog, a day to log into, repeats that keep their times."""

from __future__ import annotations

from datetime import date

from textual.screen import ModalScreen
from textual.widgets import Input

from bonecoach.domain.conflict_news import new_conflicts
from bonecoach.domain.conflicts import Conflict
from bonecoach.services.coach import Coach
from bonecoach.tui.app import BonecoachApp, make_app

SIZE = (80, 24)
TODAY = date(2026, 11, 25)


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
    from textual.widgets import Static

    app = make_app(profiled)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("R")  # the regimen
        await pilot.pause()
        app.notify("Saved: something.")
        await pilot.pause()
        assert "Saved: something." in str(app.screen.query_one("#regimen-said", Static).render())
        assert len(app._notifications) == 0
