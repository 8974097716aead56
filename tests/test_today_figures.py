"""Today's figures kept for the next start's first frame (``tui.today_figures``): kept figures
always equal a fresh computation, and the app shows them before it opens the database."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from textual.widgets import Static

from bonecoach.catalog.foods import FoodCatalog
from bonecoach.services import kept_answers
from bonecoach.services.coach import Coach
from bonecoach.storage.repository import Repository
from bonecoach.tui.app import make_app
from bonecoach.tui.today_figures import figures_for, kept_figures, kept_words, styled_parts, styled_text

START = datetime(2026, 11, 25, 9, 30)
HIDDEN = [frozenset(), frozenset({"caffeine_mg"}), frozenset({"protein_g", "energy_kcal", "potassium_mg"})]


def _fresh(coach: Coach, hidden: frozenset[str]) -> tuple[dict, dict[str, str | None]]:
    with kept_answers.recording() as reads:
        figures = figures_for(coach, coach.day(coach.now().date()), hidden)
    return figures, reads


def _change(coach: Coach, step: str, n: int, clock: list[datetime]) -> None:
    at = clock[0].replace(hour=6 + n % 12, minute=(7 * n) % 60)
    if step == "food":
        coach.log_food(["01077", "11458", "20077", "11457"][n % 4], grams=50 + 10 * n, at=at)
    elif step == "supplement":
        coach.log_supplement("calcium-citrate-315", at=at)
    elif step == "medication":
        coach.log_medication("alendronate", at=at)
    elif step == "delete":
        entries = coach.day(clock[0].date()).entries
        if entries:
            coach.delete_entry(entries[n % len(entries)].id)
    elif step == "profile":
        coach.set_profile("female", date(1950 + n % 20, 6, 1))
    elif step == "scan":
        coach.add_scan(date(2025, 1 + n % 12, 1), "total_hip", -1.0 - (n % 20) / 10)
    elif step == "lab":
        coach.add_lab(date(2025, 1 + n % 12, 1), "25ohd", 12 + n, "ng/mL")
    elif step == "regimen":
        coach.add_to_regimen("medication", ["denosumab", "zoledronic-acid", "levothyroxine"][n % 3])
    elif step == "next day":
        clock[0] += timedelta(days=1)


steps = st.lists(
    st.tuples(st.sampled_from(["food", "supplement", "medication", "delete", "profile", "scan", "lab", "regimen",
                               "next day", "nothing"]), st.sampled_from(HIDDEN)),
    min_size=1, max_size=8,
)  # fmt: skip


@pytest.mark.slow
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps)
def test_kept_figures_always_equal_a_fresh_computation(tmp_path_factory, catalog: FoodCatalog, history) -> None:
    """One long-lived coach (the app's, with its caches) keeps the figures after each change; a
    new one (the next start) computes them fresh: whenever the kept figures are given, they equal it.
    At some starts the helper (``tui.figures_ahead``, a read-only coach of its own) computes and
    keeps them first, as the launcher has it do when nothing is kept: they equal the app's too."""
    from bonecoach.tui import figures_ahead

    folder = tmp_path_factory.mktemp("figures") / "db"
    clock = [START]
    coach = Coach(Repository(folder), clock=lambda: clock[0], catalog=catalog)
    coach.set_profile("female", date(1958, 6, 1))
    try:
        for n, (step, hidden) in enumerate(history):
            _change(coach, step, n, clock)
            today = clock[0].date()
            if n % 2:
                figures_ahead.compute_and_keep(folder, hidden, clock=lambda: clock[0])
            kept = kept_figures(kept_answers.kept(str(folder), kept_words(hidden), today))
            if kept is not None:
                assert kept == _fresh(_new_coach(folder, clock[0], catalog), hidden)[0], (step, hidden)
                assert kept == json.loads(json.dumps(_fresh(coach, hidden)[0])), (step, hidden)
            figures, reads = _fresh(coach, hidden)
            kept_answers.keep(str(folder), kept_words(hidden), today, reads, json.dumps(figures))
            again = kept_figures(kept_answers.kept(str(folder), kept_words(hidden), today))
            assert again == figures
    finally:
        coach.close()


def _new_coach(folder: Path, now: datetime, catalog: FoodCatalog) -> Coach:
    repo = Repository(folder, readonly=True)
    return Coach(repo, clock=lambda: now, catalog=catalog)


def test_styled_text_survives_its_json_form() -> None:
    from rich.text import Text

    text = Text("Calcium ")
    text.append("█████", style="green")
    text.append(" [not markup] 1,200/1,200 mg", style="bold red")
    assert styled_text(json.loads(json.dumps(styled_parts(text)))) == text


def test_odd_kept_figures_are_not_used() -> None:
    for text in ("", "[]", '{"title": 1}', json.dumps({"title": "x"}), "{not json"):
        assert kept_figures(text) is None


async def test_the_first_frame_shows_the_kept_figures_before_the_database_opens(
    db_dir: Path, catalog: FoodCatalog
) -> None:
    now = datetime.now().replace(second=0, microsecond=0)
    coach = Coach(Repository(db_dir), clock=lambda: now, catalog=catalog)
    coach.set_profile("female", date(1958, 6, 1))
    coach.log_food("01077", grams=244, at=now.replace(hour=0, minute=5))
    coach.close()
    seen: list[str] = []

    def opener() -> tuple[Coach, str | None]:
        title = app.query_one("#day-title", Static)
        seen.append(str(title.render()))
        return Coach(Repository(db_dir), clock=lambda: now, catalog=catalog), None

    for _ in range(2):  # the first run keeps them, the second shows them at once
        app = make_app(open_coach=opener, kept_folder=db_dir)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause(0.2)
            assert "(today)" in str(app.query_one("#day-title", Static).render())
            await pilot.press("ctrl+q")
    assert "(today)" not in seen[0]
    assert "(today)" in seen[1] and f"{now:%A %d %B %Y}" in seen[1]


def _history(db_dir: Path, catalog: FoodCatalog, now: datetime) -> None:
    coach = Coach(Repository(db_dir), clock=lambda: now, catalog=catalog)
    coach.set_profile("female", date(1958, 6, 1))
    coach.add_to_regimen("medication", "alendronate")
    coach.log_food("01077", grams=244, at=now.replace(hour=0, minute=5))
    coach.log_food("11458", grams=90, at=now.replace(hour=0, minute=6))  # spinach with the milk: a conflict
    coach.close()


@pytest.mark.parametrize("hidden", [[], ["caffeine_mg", "protein_g"]])
def test_the_helper_keeps_the_figures_the_app_computes(db_dir: Path, catalog: FoodCatalog, hidden: list[str]) -> None:
    """``tui.figures_ahead``, run as the launcher runs it, keeps exactly what the app computes for
    Today (with the nutrients the person hid), and does nothing when those are kept already."""
    import subprocess
    import sys

    from bonecoach.services.settings import keep_hidden

    now = datetime.now().replace(second=0, microsecond=0)
    _history(db_dir, catalog, now)
    assert keep_hidden(hidden) is None
    helper = [sys.executable, "-m", "bonecoach.tui.figures_ahead", str(db_dir)]
    assert subprocess.run(helper, timeout=60, capture_output=True).returncode == 0
    coach = Coach(Repository(db_dir, readonly=True), catalog=catalog)
    fresh, _reads = _fresh(coach, frozenset(hidden))
    coach.close()
    kept = kept_figures(kept_answers.kept(str(db_dir), kept_words(frozenset(hidden)), now.date()))
    assert kept == json.loads(json.dumps(fresh)) and "conflict" in kept["title"]
    from bonecoach.tui import figures_ahead

    assert figures_ahead.compute_and_keep(db_dir) is False  # kept already: nothing computed


async def test_a_first_start_with_nothing_kept_shows_the_helper_s_figures_before_the_database_opens(
    db_dir: Path, catalog: FoodCatalog
) -> None:
    """Issue 35: with nothing kept, Today's numbers waited for the app to import the domain, open
    the database and compute them after the first frame (2.0x a bare app at ten years). The helper
    started by the launcher computes them meanwhile; the app paints them before it opens the
    database, then goes on as always (it opens it, builds the panes and takes keys)."""
    from bonecoach.tui import figures_ahead

    now = datetime.now().replace(second=0, microsecond=0)
    _history(db_dir, catalog, now)
    helper = figures_ahead.start(db_dir)
    if helper is None:
        pytest.skip("one core: the helper is not started")
    seen: list[str] = []

    def opener() -> tuple[Coach, str | None]:
        seen.append(str(app.query_one("#day-title", Static).render()))
        return Coach(Repository(db_dir), clock=lambda: now, catalog=catalog), None

    app = make_app(open_coach=opener, kept_folder=db_dir, figures_helper=helper)
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(100):
            if app.ready:
                break
            await pilot.pause(0.05)
        assert "(today)" in seen[0] and f"{now:%A %d %B %Y}" in seen[0]
        assert app.ready and helper.poll() is not None and app.figures_helper is None
        await pilot.press("ctrl+q")


async def test_a_helper_that_takes_too_long_is_ended_and_the_app_computes_today_itself(
    db_dir: Path, catalog: FoodCatalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    import subprocess
    import sys

    from bonecoach.tui import figures_ahead

    now = datetime.now().replace(second=0, microsecond=0)
    _history(db_dir, catalog, now)
    monkeypatch.setattr(figures_ahead, "WAIT_SECONDS", 0.3)
    stuck = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    app = make_app(open_coach=lambda: (Coach(Repository(db_dir), clock=lambda: now, catalog=catalog), None),
                   kept_folder=db_dir, figures_helper=stuck)  # fmt: skip
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            for _ in range(100):
                if app.ready:
                    break
                await pilot.pause(0.05)
            assert app.ready and "(today)" in str(app.query_one("#day-title", Static).render())
            assert stuck.poll() is not None  # ended, and reaped
            await pilot.press("ctrl+q")
    finally:
        figures_ahead.stop(stuck)


def test_the_helper_does_not_import_from_the_working_folder(
    db_dir: Path, catalog: FoodCatalog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``python -m`` puts the working folder first on the path: a json.py in the folder bonecoach
    was started from was imported by the helper in place of the standard library's."""
    from bonecoach.tui import figures_ahead

    now = datetime.now().replace(second=0, microsecond=0)
    _history(db_dir, catalog, now)
    planted = tmp_path / "here"
    planted.mkdir()
    (planted / "json.py").write_text("raise SystemExit('imported from the working folder')\n")
    monkeypatch.chdir(planted)
    helper = figures_ahead.start(db_dir)
    if helper is None:
        pytest.skip("one core: the helper is not started")
    assert helper.wait(timeout=60) == 0
    assert kept_figures(kept_answers.kept(str(db_dir), kept_words(frozenset()), now.date())) is not None
