"""Starting a guided exercise session: from the Exercise tab, from Next up, or from the palette.

The session screen saves each step through the services; when it closes, the panes that show
sessions are told (``DataChanged``) and the person is told how it went.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bonecoach.domain.errors import InputError
from bonecoach.services.data import StorageError
from bonecoach.tui.changes import Place, coach_of, data_changed, not_saved

if TYPE_CHECKING:
    from bonecoach.domain.exercise import Session, SessionRecord


def start_session(node: Place, session: Session) -> None:
    """Open the guided session, resuming it if it was left unfinished."""
    from bonecoach.domain.exercise import SessionRecord
    from bonecoach.tui.screens.session import GuidedSessionScreen

    coach = coach_of(node)
    resumed = coach.session_in_progress()
    if resumed is not None and (resumed.date, resumed.category) == (session.date, session.category):
        record = resumed
    else:
        record = SessionRecord(date=session.date, category=session.category)

    def save(progress: SessionRecord) -> None:
        try:
            coach.save_session_record(progress)
        except InputError as exc:
            node.notify(str(exc), title="Exercise", severity="warning")
        except StorageError as exc:
            not_saved(node, exc)

    def finished(done: SessionRecord | None) -> None:
        data_changed(node)  # the Exercise tab's status, Next up's tick
        if done is None:
            node.notify("Paused: enter on this session resumes it where you left off.", title="Exercise")
        elif any(o.outcome == "hurt" for o in done.outcomes):
            node.notify(f"Session recorded as done: {done.summary()}. If it hurts again, check with your "
                        "clinician or physiotherapist before repeating it.", title="Exercise", severity="warning",
                        timeout=12)  # fmt: skip
        else:
            node.notify(f"Session complete ({done.summary()}): it counts toward your week.", title="Exercise")

    node.app.push_screen(GuidedSessionScreen(session, record, coach.clock, save), finished)


def start_todays_session(node: Place, category: str | None = None) -> None:
    """Start (or resume) today's first session not done yet (of ``category``, if given)."""
    coach = coach_of(node)
    today = coach.now().date()
    open_today = [s.session for s in coach.week_sessions(today).sessions
                  if s.session.date == today and s.state != "done"]  # fmt: skip
    session = next((s for s in open_today if category is None or s.category == category), None)
    if session is not None:
        start_session(node, session)
    elif category is None:
        node.notify("No exercise session left today: the Exercise tab (F6) shows the week.")
    else:
        node.notify(f"No {category} session is planned today.", severity="warning")
