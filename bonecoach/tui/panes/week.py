"""The Week pane: Monday to Sunday as a grid, the headline, a 12-week trend and the streak."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, cast

from rich.cells import cell_len
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Sparkline, Static

from bonecoach.domain.adherence import NutrientDay, week_start
from bonecoach.domain.errors import InputError
from bonecoach.domain.nutrient_info import GRID_KEYS, NUTRIENT_INFO, VITAMIN_K_TOTAL
from bonecoach.services.data import DatabaseDamaged
from bonecoach.tui.changes import bonecoach_app, coach_of, damage_found

if TYPE_CHECKING:
    from bonecoach.services.weeks import WeekReview

MARKS = {"met": "✓", "close": "~", "missed": "·", "over": "⚠ over", "within": "✓", "none": "", "unknown": "?"}


def _cell(day: NutrientDay) -> str:
    """A day's mark; with no target and no limit (energy), its amount."""
    if day.target is None and day.upper_limit is None and day.total:
        return f"{day.total:,.0f}"
    return MARKS[day.status]


class WeekPane(Vertical):
    """A week's adherence; left and right move between weeks."""

    BINDINGS = [
        Binding("left,left_square_bracket", "previous_week", "Prev week"),
        Binding("right,right_square_bracket", "next_week", "Next week"),
        Binding("r", "report", "Report for clinician"),
    ]

    monday: date | None = None

    def compose(self) -> ComposeResult:
        """The title, the headline, the twelve-week trend and the week's grid."""
        yield Static(id="week-title")
        yield Static(id="week-headline")
        yield Sparkline([], id="week-trend")
        grid: DataTable[str] = DataTable(id="week-grid", cursor_type="row", zebra_stripes=True)
        yield grid

    def on_mount(self) -> None:
        """Start on this week."""
        # Computed when the tab is opened (F7), not at start-up: twelve weeks of days take a moment.
        self.monday = week_start(coach_of(self).now().date())

    _asked = 0
    """Counts the requests: only the newest one's figures are shown."""

    def reload(self) -> None:
        """Recompute in the background (twelve weeks of days can take a moment)."""
        self.loading = True
        self._asked += 1
        self._compute(self.monday or week_start(coach_of(self).now().date()), self._asked)

    @work(thread=True, exclusive=True, name="week")
    def _compute(self, monday: date, asked: int) -> None:
        coach = coach_of(self)
        try:
            review = coach.week_review(monday)
        except DatabaseDamaged as exc:
            damage_found(self, str(exc))
            return
        self.app.call_from_thread(self._show_if_newest, asked, review)

    def _show_if_newest(self, asked: int, review: WeekReview) -> None:
        # A superseded request's thread still runs to the end (cancelling a worker cannot stop
        # it) and may finish last: ← pressed twice must not end on the first week's figures.
        if asked == self._asked:
            self._show(review)

    def _show(self, review: WeekReview) -> None:
        self.loading = False
        week, streak = review.week, review.streak
        self.query_one("#week-title", Static).update(
            f"[b]Week of {week.week_start:%d %B %Y}[/b]   [dim]← → weeks · r: report for your clinician[/dim]"
        )
        calcium = week.nutrients["calcium_mg"]
        change = "" if review.calcium_change is None else f" ({review.calcium_change:+.0f} points on the week before)"
        mean = f", {calcium.mean_phrase()}" if calcium.mean_phrase() else ""
        lines = [
            f"Calcium: {calcium.met_phrase()}{mean}{change}"
            + (f"; {week.absorbed_calcium.phrase()}" if week.absorbed_calcium else "")
            + f". Vitamin D: {week.nutrients['vitamin_d_mcg'].met_phrase()}.",
            f"Exercise: {week.exercise_phrase()}. Conflicts: {week.conflicts}. Doses: {week.doses_taken} of {week.doses_due}. "
            f"Calcium streak: {streak} day{'s' if streak != 1 else ''}.",
            "[dim]Calcium, mean % of target, last 12 weeks:[/dim]",
        ]
        self.query_one("#week-headline", Static).update("\n".join(lines))
        self.query_one("#week-trend", Sparkline).data = [value or 0.0 for value in review.trend]
        grid = cast("DataTable[str]", self.query_one("#week-grid", DataTable))
        hidden = bonecoach_app(self).hidden_nutrients  # K1+K2 goes with K1
        shown = [
            key
            for key in GRID_KEYS
            if key not in hidden and not (key == VITAMIN_K_TOTAL and "vitamin_k1_mcg" in hidden)
        ]
        rows = [
            *([NUTRIENT_INFO[key].label, *(_cell(d.nutrients[key]) for d in week.days)] for key in shown),
            ["Exercise", *(
                f"{sum(d.exercise_done.values())}/{sum(d.exercise_planned.values())}" if d.exercise_planned else ""
                for d in week.days
            )],
            ["Conflicts", *(str(d.conflicts) if d.conflicts else "" for d in week.days)],
            ["Doses", *(f"{d.doses_taken}/{d.doses_due}" if d.doses_due else "" for d in week.days)],
        ]  # fmt: skip
        headers = ["", *(f"{d.date:%a %d}" for d in week.days)]
        grid.clear(columns=True)
        # Widths given, not measured: a table measures new cells when the app is next idle, and
        # drawn before that (a refresh replacing the grid) the label column was 0 wide.
        for index, header in enumerate(headers):
            grid.add_column(header, width=max(cell_len(row[index]) for row in [headers, *rows]))
        for row in rows:
            grid.add_row(*row)

    def action_report(self) -> None:
        """Choose a period and format, and save the clinician report."""
        from bonecoach.services.reporting import default_report_path, report_period, save_report
        from bonecoach.tui.screens.report import ReportScreen

        coach = coach_of(self)

        def dates(period: str) -> tuple[date, date]:
            today = coach.now().date()
            if period != "shown":
                return report_period(coach, period)
            monday = self.monday or week_start(today)
            if monday > today:
                raise InputError("The week shown has not started yet: choose another period.")
            return monday, min(monday + timedelta(days=6), today)

        def saved(path: Path | None) -> None:
            if path is not None:
                self.app.notify(f"Report saved to {path} (readable only by you).", title="Report")

        self.app.push_screen(
            ReportScreen(dates, lambda s, e, f, p: save_report(coach, s, e, f, p), default_report_path), saved
        )

    def action_previous_week(self) -> None:
        """Show the week before."""
        self.monday = (self.monday or week_start(coach_of(self).now().date())) - timedelta(days=7)
        self.reload()

    def action_next_week(self) -> None:
        """Show the week after."""
        self.monday = (self.monday or week_start(coach_of(self).now().date())) + timedelta(days=7)
        self.reload()
