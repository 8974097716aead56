"""Start-up as the launcher does it: the first frame, then the database opened and shown."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from textual.widgets import Static, TabbedContent

from bonecoach.services.coach import Coach
from bonecoach.services.opening import open_database
from bonecoach.storage.errors import DatabaseDamaged
from bonecoach.tui.app import BonecoachApp, make_app

SIZE = (80, 24)


async def until_ready(app: BonecoachApp, pilot: object) -> None:
    """Wait (at most 5 s) for the database to be open and the panes built."""
    for _ in range(100):
        if app.ready:
            return
        await pilot.pause(0.05)  # type: ignore[attr-defined]
    raise AssertionError("the app never became ready")


class HeldOpen(BonecoachApp):
    """Opens the database only when the test says so, to act in between."""

    def _open(self) -> None:
        self.open_requested = True

    def open_now(self) -> None:
        BonecoachApp._open(self)


async def test_first_frame_comes_before_the_data_then_today_fills(profiled: Coach) -> None:
    profiled.log_food("01009", grams=30, at="12:00")  # cheddar
    app = HeldOpen(open_coach=lambda: (profiled, None))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.open_requested and not app.ready
        assert str(app.query_one("#day-title", Static).render()) == ""  # Today's outline only
        app.open_now()
        await until_ready(app, pilot)
        assert "Wednesday 25 November 2026" in str(app.query_one("#day-title", Static).render())
        assert app.query_one("#timeline").row_count == 1
        assert app.query("#log-pane") and app.query("#week-pane")
        import gc

        from bonecoach.tui.idle_gc import SAFETY_NET

        assert gc.isenabled() and gc.get_threshold()[2] == SAFETY_NET  # full collections wait for quiet


async def test_keys_pressed_before_the_data_wait_for_it(profiled: Coach) -> None:
    app = HeldOpen(open_coach=lambda: (profiled, None))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2", *"cheddar")  # Log tab, then a search, typed before the database is open
        await pilot.hover("#tabs")  # a mouse move only hovers: it is not kept for later
        assert app.query_one(TabbedContent).active == "today"
        assert [type(e).__name__ for e in app.type_ahead.waiting] == ["Key"] * 8
        app.open_now()
        await until_ready(app, pilot)
        await pilot.pause()
        assert app.query_one(TabbedContent).active == "log"
        assert app.query_one("#food-search").value == "cheddar"


async def test_read_only_banner_comes_with_the_data(profiled: Coach, db_dir: Path) -> None:
    def open_second_window() -> tuple[Coach, str | None]:
        return open_database(db_dir, "app", clock=profiled.clock)  # the fixture's coach holds the lock

    app = make_app(open_coach=open_second_window)
    async with app.run_test(size=SIZE) as pilot:
        await until_ready(app, pilot)
        assert app.coach.repo.readonly
        assert "Read-only" in str(app.query_one("#banner", Static).render())
        assert "read-only" in app.sub_title
        app.coach.repo.close()


async def test_a_read_only_window_becomes_writable_once_the_other_lets_go(profiled: Coach, db_dir: Path) -> None:
    # Started while another process (another window, a backup) held the lock: the window keeps
    # trying and can save as soon as the lock is free, without a restart.
    def open_second_window() -> tuple[Coach, str | None]:
        return open_database(db_dir, "app", clock=profiled.clock)

    app = make_app(open_coach=open_second_window)
    async with app.run_test(size=SIZE) as pilot:
        await until_ready(app, pilot)
        assert app.coach.repo.readonly and "Trying again" in str(app.query_one("#banner", Static).render())
        profiled.repo.close()  # the other one lets go
        for _ in range(40):
            await pilot.pause(0.1)
            if not app.coach.repo.readonly and not app.query("#banner"):  # the banner goes a refresh later
                break
        assert not app.coach.repo.readonly and not app.query("#banner") and "read-only" not in app.sub_title
        app.coach.log_food("01077", grams=100, at="8am")
        assert len(app.coach.repo.entries_on(date(2026, 11, 25))) == 1
        app.coach.repo.close()


async def test_a_database_that_cannot_be_opened_ends_the_app_for_the_launcher(profiled: Coach) -> None:
    def damaged() -> tuple[Coach, str | None]:
        raise DatabaseDamaged("entries/2026-11.json", "not valid JSON at line 1")

    app = make_app(open_coach=damaged)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.1)
    assert isinstance(app.open_error, DatabaseDamaged)
    assert app.return_code == 3 and not app.ready
    assert profiled.repo.entries_on(date(2026, 11, 25)) == []


def test_app_needs_exactly_one_way_to_its_data(profiled: Coach) -> None:
    with pytest.raises(ValueError, match="either a coach or a way to open one"):
        BonecoachApp()
    with pytest.raises(ValueError, match="either a coach or a way to open one"):
        BonecoachApp(profiled, open_coach=lambda: (profiled, None))


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_typing_ahead_in_a_real_terminal_reaches_the_food_search() -> None:
    # The demo takes about a second to build after the first frame: keys typed then must
    # wait for it and arrive in order (the search box selects its text when it gains focus).
    session = f"bcstart{os.getpid()}"
    env = {**os.environ, "TERM": "xterm-256color"}
    command = f"{sys.executable} -m bonecoach --demo"
    subprocess.run(["tmux", "new-session", "-d", "-s", session, "-x", "100", "-y", "30", command], check=True, env=env)
    try:
        time.sleep(0.4)
        subprocess.run(["tmux", "send-keys", "-t", session, "2"], check=True)
        time.sleep(0.05)
        subprocess.run(["tmux", "send-keys", "-t", session, *"cheddar"], check=True)
        screen = ""
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and "Cheese, cheddar  01009" not in screen:
            time.sleep(0.3)
            screen = subprocess.run(
                ["tmux", "capture-pane", "-p", "-t", session], capture_output=True, text=True
            ).stdout
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], check=False)
    assert "Cheese, cheddar  01009" in screen, screen
    assert "No food matches" not in screen


def test_full_collections_wait_for_a_quiet_keyboard() -> None:
    import gc

    from bonecoach.tui.idle_gc import QUIET_SECONDS, SAFETY_NET, IdleCollector

    now = [100.0]
    collections: list[float] = []
    collector = IdleCollector(clock=lambda: now[0], collect=lambda: collections.append(now[0]))
    assert not collector.tick()  # nothing happened yet: nothing to collect
    collector.saw_input()
    now[0] += QUIET_SECONDS / 2
    assert not collector.tick() and collections == []  # still typing
    collector.saw_input()
    now[0] += QUIET_SECONDS
    assert collector.tick() and collections == [now[0]]
    now[0] += 60
    assert not collector.tick() and len(collections) == 1  # once per burst of activity
    before = gc.get_threshold()
    try:
        collector.install()
        assert gc.get_threshold() == (before[0], before[1], SAFETY_NET)
    finally:
        gc.set_threshold(*before)


def test_the_app_alone_builds_no_command_parser() -> None:
    """Issue 35: `bonecoach` with no subcommand imports no command group before the app starts;
    `bonecoach --help` still lists every command."""
    import subprocess
    import sys

    code = ("import sys; from bonecoach.cli.main import build_parser, _command_word\n"
            "args = build_parser(None, groups=False).parse_args(['--db', '/tmp/x'])\n"
            "assert args.command is None and args.db == '/tmp/x'\n"
            "print(sorted(n for n in sys.modules if n.startswith('bonecoach.cli.') and n.split('.')[-1] not in "
            "('main', 'options', '__init__')))")  # fmt: skip
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert found.stdout.strip() == "[]", found.stdout
    shown = subprocess.run([sys.executable, "-m", "bonecoach", "--help"], capture_output=True, text=True, timeout=60)
    assert shown.returncode == 0 and "completion" in shown.stdout and "plan-day" in shown.stdout


def test_nothing_of_the_domain_is_imported_before_the_database_is_opened() -> None:
    """The first frame and the kept figures come before pydantic and the models (issue 35): the
    first tab event named the Log pane's class, which imported it and the domain (~150 ms)."""
    code = """
import asyncio, sys
from bonecoach.tui.app import BonecoachApp
seen = []
class Held(BonecoachApp):
    def _open(self):
        seen.append(sorted(m for m in ('pydantic', 'bonecoach.domain.models', 'bonecoach.services.coach')
                           if m in sys.modules))
        self.exit()
async def run():
    app = Held(open_coach=lambda: (None, None))
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(100):
            if seen:
                break
            await pilot.pause(0.05)
asyncio.run(run())
print(seen)
"""
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert found.stdout.strip() == "[[]]", found.stdout + found.stderr


# What a command about one day never computes with: the exercise plan, bone figures, meals, the
# week, Next up (their models alone were ~20 ms of ``day`` at ten years); and what the bone status
# never needs: the conflict rules (``status`` read the medicines from the rules' module).
NOT_FOR_ONE_DAY = (
    "bonecoach.domain.exercise",
    "bonecoach.domain.bone",
    "bonecoach.domain.diagnosis",
    "bonecoach.domain.meals",
    "bonecoach.domain.planner",
    "bonecoach.domain.adherence",
    "bonecoach.services.exercise",
    "bonecoach.services.bone",
    "bonecoach.services.meals",
    "bonecoach.services.weeks",
    "bonecoach.services.upcoming",
    "bonecoach.catalog.exercises",
    "bonecoach.domain.next_up",  # the kept answers' fingerprint module held its list's type
    "bonecoach.domain.search",  # a conflict's short food names were in the search module
)
NOT_FOR_BONE_STATUS = ("bonecoach.catalog.rules", "bonecoach.domain.rules", "bonecoach.domain.conflicts",
                       "bonecoach.domain.absorption", "bonecoach.domain.meals", "bonecoach.domain.exercise",
                       "bonecoach.services.meals", "bonecoach.services.weeks", "bonecoach.services.upcoming",
                       "bonecoach.domain.next_up", "bonecoach.domain.search")  # fmt: skip


@pytest.mark.parametrize(
    ("words", "not_needed"),
    [(["day"], NOT_FOR_ONE_DAY), (["log", "food", "01077", "--grams", "100"], NOT_FOR_ONE_DAY),
     (["status"], NOT_FOR_BONE_STATUS)],
)  # fmt: skip
def test_a_command_imports_only_what_it_computes_with(
    profiled: Coach, words: list[str], not_needed: tuple[str, ...]
) -> None:
    """Issue 35: the facade, the stored tables' accessors and the review imported every use case
    and every table's model at the top, so ``day`` built the exercise, bone and meal models too;
    ``status`` built the conflict rules to read the medicines. The database holds what those would read (a regimen, a scan, a fracture, a saved meal, a meal's conflict)."""
    profiled.add_to_regimen("medication", "alendronate")
    profiled.add_scan_as_typed("2026-10-01", "lumbar_spine", "-2.6")
    profiled.add_fracture("wrist", "2025-03-02", low_trauma=True)
    profiled.log_food("01077", grams=200, at="08:00")
    profiled.log_food("11457", grams=150, at="08:00")  # spinach with the milk: a conflict naming both
    profiled.save_meal("breakfast", date(2026, 11, 25), "breakfast")
    profiled.repo.close()
    db = str(profiled.repo.root)
    env = {k: v for k, v in os.environ.items() if k != "BONECOACH_DB"}
    # The day's first write backs the whole database up (every table checked): done before.
    subprocess.run([sys.executable, "-m", "bonecoach", "--db", db, "log", "food", "01009", "--grams", "30"],
                   capture_output=True, text=True, timeout=60, check=True, env=env)  # fmt: skip
    code = (
        "import sys\n"
        "from bonecoach.cli.main import main\n"
        "status = main(sys.argv[1:])\n"
        f"print('LOADED', status, sorted(m for m in {not_needed!r} if m in sys.modules))"
    )
    found = subprocess.run([sys.executable, "-c", code, "--db", db, *words], capture_output=True, text=True,
                           timeout=60, env=env)  # fmt: skip
    assert found.stdout.splitlines()[-1] == "LOADED 0 []", found.stdout + found.stderr


def test_importing_every_use_case_builds_no_validator() -> None:
    """Validators are built when a model is first used, not at import: a default instance in a
    class body (BoneStatus's assessment) built one at every start (~15 ms)."""
    code = (
        "from pydantic._internal import _model_construction as mc\n"
        "built = []\n"
        "orig = mc.complete_model_class\n"
        "mc.complete_model_class = lambda cls, *a, **k: built.append(cls.__name__) or orig(cls, *a, **k)\n"
        "import pkgutil, importlib, bonecoach.services, bonecoach.cli.output\n"
        "for found in pkgutil.iter_modules(bonecoach.services.__path__, 'bonecoach.services.'):\n"
        "    importlib.import_module(found.name)\n"
        "print(built)"
    )
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert found.stdout.strip() == "[]", found.stdout + found.stderr


async def test_next_up_waits_for_todays_numbers_to_be_painted(profiled: Coach, monkeypatch) -> None:
    """At start-up Today's numbers go on screen before Next up is computed (issue 35: a callback
    "after refresh" still ran before the paint and held it ~35 ms); later reloads need no wait.
    The wait is stretched here so that the test can see the numbers without Next up."""
    from bonecoach.tui import startup
    from bonecoach.tui.widgets.next_up import NextUpList

    monkeypatch.setattr(startup, "AFTER_PAINT", 0.5)
    profiled.add_to_regimen("medication", "alendronate")
    app = HeldOpen(open_coach=lambda: (profiled, None))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.open_now()
        await pilot.pause()
        assert "Wednesday 25 November 2026" in str(app.query_one("#day-title", Static).render())
        assert app.query_one(NextUpList).option_count == 0  # not yet: the paint comes first
        await until_ready(app, pilot)
        await pilot.pause(0.6)
        assert app.query_one(NextUpList).option_count > 0
