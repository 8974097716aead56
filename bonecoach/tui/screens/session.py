"""A guided exercise session: one exercise at a time, a set counter, a countdown, done/skip/hurt.

Progress is saved after every action, so closing the app mid-session loses nothing; the clock
is the app's (injectable), so the countdown can be tested without waiting.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from rich.markup import escape
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from bonecoach.domain.exercise import Exercise, ExerciseOutcome, Session, SessionRecord


def seconds_for(exercise: Exercise) -> int | None:
    """How long a timed item runs: a hold, or minutes of aerobic work."""
    if exercise.dosage.hold_seconds:
        return exercise.dosage.hold_seconds
    if exercise.dosage.minutes:
        return exercise.dosage.minutes * 60
    return None


class GuidedSessionScreen(ModalScreen[SessionRecord | None]):
    """Walks through a session; dismisses with the completed record (or ``None`` if left)."""

    BINDINGS = [
        Binding("enter,space", "done_set", "Done set", priority=True),
        Binding("t", "timer", "Start timer"),
        Binding("s", "skip", "Skip"),
        Binding("h", "hurt", "This hurt"),
        Binding("escape", "leave", "Pause (resumes later)"),
    ]

    def __init__(
        self,
        session: Session,
        record: SessionRecord,
        clock: Callable[[], datetime],
        save: Callable[[SessionRecord], None],
    ) -> None:
        super().__init__()
        self.session = session
        self.record = record
        self.clock = clock
        self.save = save
        self.set_number = record.sets_in_progress + 1  # a paused session resumes at its set
        self.timer_started: datetime | None = None

    def compose(self) -> ComposeResult:
        """The exercise under way, its timer and the keys."""
        with Vertical(id="guided", classes="modal-form"):
            yield Static(id="guided-title")
            yield Static(id="guided-body")
            yield Static(id="guided-timer")
        yield Footer()

    def on_mount(self) -> None:
        """Start the timer's tick and show the first exercise."""
        self.set_interval(0.5, self.tick)
        self.refresh_view()

    @property
    def index(self) -> int:
        """How many exercises have an outcome: the one under way is next."""
        return len(self.record.outcomes)

    @property
    def current(self) -> Exercise | None:
        """The exercise under way (``None`` once all are done)."""
        return self.session.exercises[self.index] if self.index < len(self.session.exercises) else None

    def remaining_seconds(self) -> int | None:
        """Seconds left on a timed exercise's timer (``None`` when no timer runs)."""
        exercise = self.current
        if exercise is None or self.timer_started is None:
            return None
        total = seconds_for(exercise) or 0
        return max(0, total - int((self.clock() - self.timer_started).total_seconds()))

    def tick(self) -> None:
        """Redraw the timer."""
        left = self.remaining_seconds()
        if left is None:
            return
        timer = self.query_one("#guided-timer", Static)
        timer.update("[b green]Time's up: press enter[/]" if left == 0 else f"[b]{left // 60}:{left % 60:02d}[/b] left")

    def refresh_view(self) -> None:
        """Show the exercise under way: its dosage, cues and the sets done."""
        exercise = self.current
        title = self.query_one("#guided-title", Static)
        body = self.query_one("#guided-body", Static)
        if exercise is None:
            title.update("[b]Session complete[/b]")
            body.update("Well done. It counts toward your week.")
            return
        dose = exercise.dosage
        sets = dose.sets or 1
        parts = []
        if dose.reps_min:
            parts.append(
                f"{dose.reps_min}-{dose.reps_max} reps"
                if dose.reps_max and dose.reps_max != dose.reps_min
                else f"{dose.reps_min} reps"
            )
        if dose.hold_seconds:
            parts.append(f"hold {dose.hold_seconds} s")
        if dose.minutes:
            parts.append(f"{dose.minutes} min")
        title.update(
            f"[b]{self.session.category.title()}: {self.index + 1} of {len(self.session.exercises)}[/b]  {escape(exercise.name)}"
        )
        steps = "\n".join(f"{n}. {step}" for n, step in enumerate(exercise.steps, 1))
        cues = "\n".join(f"• {cue}" for cue in exercise.cues)
        timer_hint = "  [dim](t starts the timer)[/dim]" if seconds_for(exercise) else ""
        body.update(
            f"Set {min(self.set_number, sets)} of {sets}: {', '.join(parts)}{timer_hint}\n\n{steps}\n\n[dim]{cues}[/dim]"
        )
        self.query_one("#guided-timer", Static).update("")

    def _next(self, outcome: str, sets_done: int) -> None:
        exercise = self.current
        if exercise is None:
            return
        self.record.outcomes.append(ExerciseOutcome(id=exercise.id, outcome=outcome, sets_done=sets_done))
        self.record.sets_in_progress = 0
        self.set_number = 1
        self.timer_started = None
        if self.current is None:
            self.record.completed = True
        self.save(self.record)
        if self.record.completed:
            self.dismiss(self.record)
            return
        self.refresh_view()

    def action_done_set(self) -> None:
        """One set done; the last set finishes the exercise."""
        exercise = self.current
        if exercise is None:
            return
        if self.set_number >= (exercise.dosage.sets or 1):
            self._next("done", self.set_number)
            return
        self.set_number += 1
        self.record.sets_in_progress = self.set_number - 1
        self.timer_started = None
        self.save(self.record)  # progress is kept set by set
        self.refresh_view()

    def action_timer(self) -> None:
        """Start a timed exercise's timer."""
        if self.current is not None and seconds_for(self.current):
            self.timer_started = self.clock()
            self.tick()

    def action_skip(self) -> None:
        """Skip the exercise under way."""
        self._next("skipped", self.set_number - 1)

    def action_hurt(self) -> None:
        """The exercise hurt: stop it and record that."""
        self.notify(
            "Stopped this one. If it hurts again, check with your clinician or physiotherapist.",
            severity="warning",
            timeout=10,
        )
        self._next("hurt", self.set_number - 1)

    def action_leave(self) -> None:
        """Pause the session (it resumes where it was left)."""
        self.save(self.record)
        self.dismiss(None)
