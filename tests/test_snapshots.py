"""SVG snapshots of the main panes with the demo data, at a fixed time and size."""

from __future__ import annotations

from bonecoach.services.coach import Coach
from bonecoach.services.demo import seed_demo
from bonecoach.tui.app import make_app


async def settled(pilot, pane_id: str, filled: str) -> None:
    """Wait (at most 10 s) until the pane is mounted and done loading, and the table ``filled`` has
    rows and has measured them (its column widths come a moment after the rows)."""
    steady = 0
    for _ in range(500):
        await pilot.pause(0.02)
        await pilot.app.workers.wait_for_complete()
        panes = pilot.app.query(f"#{pane_id}")
        tables = pilot.app.query(f"#{pane_id} #{filled}")
        ready = False
        if panes and tables and not panes.first().loading:
            table = tables.first()
            ready = bool(table.row_count and table.virtual_size.height > table.row_count)  # rows + header
        # Ready for several checks in a row: on a busy machine a second request (a refresh after
        # mounting) can start just after the first one's figures were shown.
        steady = steady + 1 if ready else 0
        if steady >= 5:
            break
    await pilot.pause()


def test_today_with_demo_data(coach: Coach, snap_compare) -> None:
    """80x24: the numbers, Next up (two lines) and eight timeline rows with the calcium column."""
    seed_demo(coach)
    coach.add_to_regimen("medication", "alendronate")
    coach.add_to_regimen("supplement", "calcium-citrate-315")
    for minute in range(6):
        coach.log_food("01077", grams=50 + minute, at=f"19:{10 + minute}")

    async def next_up_filled(pilot) -> None:
        from bonecoach.tui.widgets.next_up import NextUpList

        for _ in range(250):
            await pilot.pause(0.02)
            if pilot.app.query(NextUpList) and pilot.app.query_one(NextUpList).items:
                break
        await pilot.pause(0.2)

    assert snap_compare(make_app(coach), terminal_size=(80, 24), run_before=next_up_filled)


def test_profile_form_at_80x24_with_an_error_beside_its_field(coach: Coach, snap_compare) -> None:
    """Save always visible; the error under the field at fault, scrolled into view."""
    seed_demo(coach)

    async def bad_birth_date(pilot) -> None:
        from textual.widgets import Input

        await pilot.press("f4")
        await pilot.pause(0.3)
        pilot.app.screen.query_one("#birth-date", Input).value = "1961-02-29"
        await pilot.press("ctrl+s")
        await pilot.pause(0.3)

    assert snap_compare(make_app(coach), terminal_size=(80, 24), run_before=bad_birth_date)


def test_log_pane_searching(coach: Coach, snap_compare) -> None:
    seed_demo(coach)

    async def search(pilot) -> None:
        await pilot.press("2", *"tofu calcium")
        await pilot.pause()

    assert snap_compare(make_app(coach), terminal_size=(100, 30), run_before=search)


def test_recovery_screen_is_readable(tmp_path, snap_compare) -> None:
    """Guards a bug: pushed while the app was mounting, its text came out #1e1e1e on dark grey."""
    from pathlib import Path

    from bonecoach.tui.screens.recovery import RecoveryApp

    root = Path(tmp_path) / "db"
    (root / "backups").mkdir(parents=True)
    problem = (
        "The database file db/entries/2026-11.json is damaged (not valid JSON: Expecting ':' delimiter at line 1)."
    )
    assert snap_compare(RecoveryApp(root, problem, lambda name: name), terminal_size=(80, 24))


def test_bone_pane_with_a_reversal(coach: Coach, snap_compare) -> None:
    seed_demo(coach)

    async def open_bone(pilot) -> None:
        await pilot.press("f5")
        await settled(pilot, "bone-pane", "scans")

    assert snap_compare(make_app(coach), terminal_size=(100, 40), run_before=open_bone)


def test_exercise_pane(coach: Coach, snap_compare) -> None:
    seed_demo(coach)

    async def open_exercise(pilot) -> None:
        await pilot.press("f6")
        await settled(pilot, "exercise-pane", "sessions")

    assert snap_compare(make_app(coach), terminal_size=(80, 24), run_before=open_exercise)


def test_week_pane(coach: Coach, snap_compare) -> None:
    seed_demo(coach)

    async def open_week(pilot) -> None:
        await pilot.press("f7")
        await settled(pilot, "week-pane", "week-grid")

    assert snap_compare(make_app(coach), terminal_size=(100, 32), run_before=open_week)


def test_bone_pane_with_two_sites_an_lsc_note_and_a_fracture(coach: Coach, snap_compare) -> None:
    """100x40: a woman of 64 with spine and hip results, her facility's LSC on the spine and a
    wrist fracture: the reading, the change against the LSC, and the fracture table."""
    from datetime import date

    coach.set_profile("female", date(1962, 4, 12))
    coach.add_scan("2024-10-01", "lumbar_spine", -2.3, bmd=0.842)
    coach.add_scan("2024-10-01", "total_hip", -1.9, bmd=0.771)
    coach.add_scan("2026-10-01", "lumbar_spine", -2.4, bmd=0.829, lsc_percent=3.1)
    coach.add_scan("2026-10-01", "total_hip", -2.2, bmd=0.730)
    coach.add_fracture("wrist", "2025-06-01", low_trauma=True)

    async def open_bone(pilot) -> None:
        await pilot.press("f5")
        await settled(pilot, "bone-pane", "scans")

    assert snap_compare(make_app(coach), terminal_size=(100, 40), run_before=open_bone)


async def test_the_week_grid_has_its_row_labels_however_soon_it_is_drawn(coach: Coach) -> None:
    """Issue 37 item 4 (test_week_pane failed once in three runs): a refresh that replaced the grid
    left its label column 0 wide until the app was next idle; drawn then, the rows had no labels."""
    from textual.widgets import DataTable

    from bonecoach.tui.panes.week import WeekPane

    seed_demo(coach)
    app = make_app(coach)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("f7")
        await settled(pilot, "week-pane", "week-grid")
        pane = app.query_one("#week-pane", WeekPane)
        assert pane.monday is not None
        pane._show(coach.week_review(pane.monday))  # as a second request's figures arrive
        grid = app.query_one("#week-grid", DataTable)
        labels = next(iter(grid.columns.values()))
        assert labels.get_render_width(grid) - 2 * grid.cell_padding >= len("Conflicts")
