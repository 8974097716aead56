"""The Exercise pane: this week's safe plan, what is excluded and why, and guided sessions."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from bonecoach.domain.errors import InputError
from bonecoach.services.data import DatabaseDamaged, StorageError
from bonecoach.tui.changes import coach_of, damage_found
from bonecoach.tui.exercise_flow import start_session

if TYPE_CHECKING:
    from bonecoach.services.exercise import SessionStatus, WeekSessions


class ExercisePane(Vertical):
    """The week's sessions; enter starts or resumes the selected one."""

    BINDINGS = [
        Binding("w", "why_not", "Why not?", tooltip="Exercises left out, each with its reason"),
        Binding("u", "setup", "Your times", tooltip="When you can exercise, and your equipment"),
        Binding("enter", "start_session", "Start session", show=False),
    ]

    week: WeekSessions | None = None

    def compose(self) -> ComposeResult:
        """The risk line, the week's sessions and what could not be fitted."""
        yield Static(id="exercise-risk")
        table: DataTable[str] = DataTable(id="sessions", cursor_type="row", zebra_stripes=True)
        # Status before the exercise names: at 80 columns the names are cut, never the status.
        table.add_columns("Day", "Time", "Session", "Min", "Status", "Exercises")
        yield table
        yield Static(id="exercise-unmet", classes="error")

    def reload(self) -> None:
        """Plan the week again from stored data."""
        coach = coach_of(self)
        try:
            week = coach.week_sessions()
        except DatabaseDamaged as exc:
            damage_found(self, str(exc))
            return
        except InputError as exc:
            # Planning without the user's tightening would loosen what they asked for: show no plan.
            self.week = None
            self.query_one("#exercise-risk", Static).update(
                f"[b]No plan until your exercise rule file is fixed.[/b]\n{exc}"
            )
            cast("DataTable[str]", self.query_one("#sessions", DataTable)).clear()
            return
        self.week, plan = week, week.plan
        reasons = " ".join(plan.risk.reasons)
        self.query_one("#exercise-risk", Static).update(
            f"[b]{plan.risk.label}[/b]: impact up to {plan.risk.max_impact}. [dim]{reasons} (w: why not?)[/dim]"
        )
        table = cast("DataTable[str]", self.query_one("#sessions", DataTable))
        row = table.cursor_row  # kept: after a session the cursor stays on it, not on row 1
        table.clear()
        for n, status in enumerate(week.sessions):
            session = status.session
            table.add_row(f"{session.date:%a %d}", f"{session.start:%H:%M}", session.category, str(session.minutes),
                          status.label, ", ".join(e.name for e in session.exercises)[:60], key=str(n))  # fmt: skip
        if table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1))
        notes = [*plan.unmet, *(step.note for step in plan.steps.values() if step.note)]
        self.query_one("#exercise-unmet", Static).update("\n".join(notes))

    def selected(self) -> SessionStatus | None:
        """The session under the cursor, with its status."""
        table = cast("DataTable[str]", self.query_one("#sessions", DataTable))
        if self.week is None or table.row_count == 0:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return self.week.sessions[int(str(row_key.value))]

    @on(DataTable.RowSelected, "#sessions")
    def action_start_session(self) -> None:
        """Start or resume the selected session (a finished one is not reopened)."""
        status = self.selected()
        if status is None:
            return
        if status.state == "done" and status.record is not None:
            # Reopening a finished session would start it over and could undo its record.
            self.notify(f"Already done on {status.session.date:%a %d %b} ({status.record.summary()}); "
                        "its record is kept.", title="Exercise")  # fmt: skip
            return
        start_session(self, status.session)

    def action_setup(self) -> None:
        """When the person can exercise, and their equipment."""
        from bonecoach.tui.screens.exercise_setup import ExerciseSetupScreen

        coach = coach_of(self)
        windows, equipment = coach.exercise_setup()

        def save(rows: dict[int, tuple[str, str]], kit: set[str]) -> str | None:
            try:
                coach.set_exercise_times(rows, kit)
            except (InputError, StorageError) as exc:
                return str(exc)
            return None

        def saved(done: bool | None) -> None:
            if done:
                self.reload()
                self.notify("Saved: the week is planned again around your times.", title="Exercise")

        self.app.push_screen(ExerciseSetupScreen(windows, equipment, save), saved)

    def action_why_not(self) -> None:
        """Each exercise left out, with its reason."""
        from bonecoach.services.reference import exercise_names
        from bonecoach.tui.screens.help import HelpScreen

        if self.week is None:
            return
        plan = self.week.plan
        names = exercise_names()
        lines = [
            "# Why not?",
            "",
            f"Your level: **{plan.risk.label}**, impact up to *{plan.risk.max_impact}*.",
            "",
        ]
        lines += [f"- **{names.get(ex_id, ex_id)}**: {reason}" for ex_id, reason in plan.excluded]
        lines += [
            "",
            "When in doubt, bonecoach leaves a movement out. A clinician's clearance (F4) can open moderate impact.",
        ]
        self.app.push_screen(HelpScreen("\n".join(lines)))
