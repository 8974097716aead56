"""How a pane or a screen changes stored data and tells the app: one call shape, two messages.

A pane calls the services itself, through ``attempt`` or ``log``: bad input and a failed write
are said in a notification (nothing was saved, nothing is lost), and success posts a message
that bubbles to the app, which redraws what depends on it. No pane calls another pane.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar, cast

from textual.app import App
from textual.dom import DOMNode
from textual.message import Message
from textual.widget import Widget

from bonecoach.domain.errors import InputError
from bonecoach.services.data import StorageError

if TYPE_CHECKING:
    from bonecoach.domain.models import Entry
    from bonecoach.services.coach import Coach
    from bonecoach.tui.app import BonecoachApp

Done = TypeVar("Done")
Place = Widget | App[Any]
"""Where a change is made from: a pane or screen (a widget), or the app itself."""


class EntriesLogged(Message):
    """Entries were just logged: Today redraws and says what they add, and any conflict."""

    def __init__(self, entries: list[Entry]) -> None:
        super().__init__()
        self.entries = entries


class DataChanged(Message):
    """Something stored changed (an entry edited or deleted, a scan, the profile, the targets):
    the panes showing stored data redraw."""


class DamageFound(Message):
    """A database file turned out to be damaged: the app offers the recovery screen (once)."""

    def __init__(self, problem: str) -> None:
        super().__init__()
        self.problem = problem


class LogMealAsked(Message):
    """Next up asked to log a meal: the app shows the Log tab with that meal chosen."""

    def __init__(self, slot: str) -> None:
        super().__init__()
        self.slot = slot


def damage_found(node: Place, problem: str) -> None:
    """Tell the app a file is damaged (from any thread: posting a message is thread-safe)."""
    node.app.post_message(DamageFound(problem))


def data_changed(node: Place) -> None:
    """Tell the app that something stored changed."""
    # Posted to the app itself, not bubbled: a bubbling message waits a turn at every container
    # on its way up (logging's key press to Today redrawn went from 23 to 66 ms that way).
    node.app.post_message(DataChanged())


def entries_logged(node: Place, entries: list[Entry]) -> None:
    """Tell the app that ``entries`` were just logged."""
    node.app.post_message(EntriesLogged(entries))


def bonecoach_app(node: DOMNode) -> BonecoachApp:
    """The app a pane or screen belongs to."""
    return cast("BonecoachApp", node.app)


def coach_of(node: DOMNode) -> Coach:
    """The services over the open database, for a pane or screen."""
    return bonecoach_app(node).coach


def not_saved(node: Place, exc: StorageError) -> None:
    """Say that a write failed (the change did not happen)."""
    node.notify(str(exc), title="Not saved", severity="error", timeout=12)


def attempt(node: Place, work: Callable[[], Done], done: Callable[[Done], str] | None = None,
            title: str = "Saved") -> Done | None:  # fmt: skip
    """Run a change; bad input or a failed write is said and gives ``None``. On success, the
    app is told that data changed and ``done`` (if given) says what happened."""
    try:
        result = work()
    except (InputError, StorageError) as exc:
        node.notify(str(exc), severity="error")
        return None
    data_changed(node)
    if done is not None:
        node.notify(done(result), title=title)
    return result


def log(node: Place, work: Callable[[], list[Entry]]) -> list[Entry] | None:
    """Run a logging call: a failed write is said and gives ``None``; an ``InputError`` reaches
    the caller, to be shown beside the field it is about."""
    try:
        entries = work()
    except StorageError as exc:
        not_saved(node, exc)
        return None
    entries_logged(node, entries)
    return entries


def form_error(work: Callable[[], object]) -> str | None:
    """For a form's save callback: ``None`` once saved, else what to show on the form."""
    try:
        work()
    except (InputError, StorageError) as exc:
        return str(exc)
    return None
