"""SVG snapshots of the main panes with the demo data, at a fixed time and size."""

from __future__ import annotations

from bonecoach.services.coach import Coach
from bonecoach.services.demo import seed_demo
from bonecoach.tui.app import make_app


def test_today_with_demo_data(coach: Coach, snap_compare) -> None:
    seed_demo(coach)
    assert snap_compare(make_app(coach), terminal_size=(80, 24))


def test_log_pane_searching(coach: Coach, snap_compare) -> None:
    seed_demo(coach)

    async def search(pilot) -> None:
        await pilot.press("2", *"tofu calcium")
        await pilot.pause()

    assert snap_compare(make_app(coach), terminal_size=(100, 30), run_before=search)
