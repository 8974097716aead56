"""The bonecoach Textual app: its tabs, keys, navigation and start-up.

The panes and screens make their changes through the services and post ``EntriesLogged`` or
``DataChanged`` (``tui.changes``); the app only redraws what depends on them.
"""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Header, TabbedContent, TabPane

from bonecoach.tui import panes, settings_flow, startup, upkeep
from bonecoach.tui.changes import DamageFound, DataChanged, EntriesLogged, LogMealAsked
from bonecoach.tui.commands import BonecoachCommands
from bonecoach.tui.crash import print_or_divert
from bonecoach.tui.exercise_flow import start_todays_session
from bonecoach.tui.idle_gc import IdleCollector
from bonecoach.tui.notices import NoticeGate
from bonecoach.tui.panes.today import TodayPane
from bonecoach.tui.type_ahead import TypeAhead
from bonecoach.tui.typing_burst import TypingBurst
from bonecoach.tui.widgets.footer import Footer
from bonecoach.tui.workarounds import apply as apply_workarounds

# Nothing above imports pydantic or the database: the first frame is drawn before they load.
# The other panes import the domain: `panes` imports each on first use, once the data is loaded.
if TYPE_CHECKING:
    import subprocess

    from bonecoach.services.coach import Coach


apply_workarounds()

PaneT = TypeVar("PaneT", bound=Widget)
IDLE_CHECK_SECONDS = 1.0
"""How often to see whether the keyboard has been quiet long enough for a full collection."""
FOCUS = {"today": "#timeline", "log": "#food-search", "bone": "#scans", "exercise": "#sessions", "week": "#week-grid"}
"""Each tab's main widget: where the keyboard goes when the tab is shown."""
CoachOpener = Callable[[], "tuple[Coach, str | None]"]
"""Opens the database: the coach over it and a banner to show (read-only, demo), if any."""


def pane_type(tab: str) -> Any:
    """A tab's pane class (the other panes are imported on first use, with the domain)."""
    return TodayPane if tab == "today" else getattr(panes, f"{tab.title()}Pane")


class BonecoachApp(App[None]):
    """Keyboard-first bone-health coach."""

    # Absolute, because Textual resolves a relative CSS_PATH against a subclass's own module.
    CSS_PATH = Path(__file__).parent / "bonecoach.tcss"
    AUTO_FOCUS = "#timeline"  # Today's keys (days, edit, delete) work and show from the start
    TITLE = "bonecoach"
    COMMANDS: ClassVar[set[Any]] = App.COMMANDS | {BonecoachCommands}
    # Below 30 rows Today folds its notes away so the timeline keeps eight rows (bonecoach.tcss).
    VERTICAL_BREAKPOINTS = [(0, "-short"), (30, "-tall")]
    BINDINGS: ClassVar[list[BindingType]] = [
        # Function keys work even while typing in a field; the digits and letters are shortcuts
        # for when no field has focus.
        Binding("f2,1", "show('today')", "Today", key_display="F2", tooltip="Totals and timeline"),
        Binding("f3,2", "show('log')", "Log", key_display="F3", tooltip="Log food or supplements"),
        Binding("f5,3", "show('bone')", "Bone", key_display="F5", tooltip="Scans, bloodwork, next scan"),
        Binding("f6,4", "show('exercise')", "Exercise", key_display="F6", tooltip="The week's safe plan, sessions"),
        Binding("f7,5", "show('week')", "Week", key_display="F7", tooltip="The week's adherence and trend"),
        Binding("f4,p", "edit_profile", "Profile", key_display="F4", tooltip="Sex, birth date, guideline"),
        Binding("f1,question_mark", "help", "Help", key_display="F1", tooltip="Keys, meanings and sources"),
        Binding("ctrl+q", "quit", "Quit", priority=True),
    ]

    coach: Coach
    """The services over the open database (set once it is open)."""

    def _print_error_renderables(self) -> None:
        """After an unexpected error its traceback goes to a log (tui/crash.py), not the terminal."""
        print_or_divert(self, super()._print_error_renderables)

    def __init__(
        self,
        coach: Coach | None = None,
        *,
        open_coach: CoachOpener | None = None,
        banner: str | None = None,
        ask_profile: bool = True,
        kept_folder: Path | None = None,
        figures_helper: subprocess.Popen[bytes] | None = None,
    ) -> None:
        """Run over ``coach``, or open one with ``open_coach`` once the first frame is drawn
        (showing Today's figures kept for the database in ``kept_folder`` meanwhile, or those the
        ``figures_helper`` process computes, ``tui.figures_ahead``)."""
        super().__init__()
        if (coach is None) == (open_coach is None):
            raise ValueError("give either a coach or a way to open one")
        if coach is not None:
            self.coach = coach
        self._open_coach = open_coach
        self.banner = banner
        self.ask_profile = ask_profile
        self.type_ahead = TypeAhead(self)
        self.open_error: Exception | None = None
        """Why the database could not be opened (the launcher reports it after the app exits)."""
        self.idle_collector = IdleCollector()
        self.running_loop: asyncio.AbstractEventLoop | None = None
        self.lock_retry: Timer | None = None
        self.notices = NoticeGate(self)
        self.hidden_nutrients: frozenset[str] = frozenset()
        """Nutrients the person chose not to see on Today and Week (``settings_flow``)."""
        self.typing = TypingBurst(self)
        self.kept_folder = kept_folder
        self.figures_helper = figures_helper

    @property
    def ready(self) -> bool:
        """True once the database is open, the panes are built and keys go straight to them."""
        return self.type_ahead.released

    def compose(self) -> ComposeResult:
        """The header, Today's tab (the other tabs' panes come after the first frame) and the footer."""
        yield Header(show_clock=False, icon="")
        with TabbedContent(initial="today", id="tabs"):
            with TabPane("Today", id="today"):
                yield TodayPane(id="today-pane")
            # The other panes are mounted once Today shows its data (see mount_hidden_panes).
            for title in ("Log", "Bone", "Exercise", "Week"):
                yield TabPane(title, id=title.lower())
        yield Footer()

    def on_mount(self) -> None:
        """Open the database once the first frame is drawn (or show the coach given)."""
        # For SIGTERM's graceful exit (bonecoach.tui.signals): the loop to hand the exit to.
        self.running_loop = asyncio.get_running_loop()
        self.notices.install()
        settings_flow.apply_kept_settings(self)  # before the first frame: no flash of the default
        if self._open_coach is None:
            self._loaded()
        else:
            # Importing pydantic and the domain and reading the database take about 150 ms at
            # ten years: the first frame has the tabs, the footer and Today's figures kept from
            # the last run (if they still hold; else its outline), then the database is opened.
            startup.paint_kept_then(self, self._open)

    def _open(self) -> None:
        assert self._open_coach is not None
        try:
            self.coach, self.banner = self._open_coach()
        except Exception as exc:  # the launcher reports it after the app exits (and offers recovery)
            self.open_error = exc
            self.exit(return_code=3)
            return
        self._loaded()

    def _loaded(self) -> None:
        """Show the open database: banner, Today's data, the other panes, then background work."""
        startup.show_loaded(self, given=self._open_coach is None)

    def notify(self, message: str, *, markup: bool = False, **options: Any) -> None:
        """Notifications name foods, products and files the user gave: plain text unless asked.
        None covers a dialog (``tui.notices``)."""
        if not self.notices.holds(message, {"markup": markup, **options}):
            super().notify(message, markup=markup, **options)

    async def mount_hidden_panes(self) -> None:
        """Build the Log, Bone, Exercise and Week panes, then start the background work."""
        for tab, pane in (("log", panes.LogPane(id="log-pane")), ("bone", panes.BonePane(id="bone-pane")),
                          ("exercise", panes.ExercisePane(id="exercise-pane")), ("week", panes.WeekPane(id="week-pane"))):  # fmt: skip
            await self.query_one(f"#{tab}", TabPane).mount(pane)
        gc.enable()  # the launcher turns it off for start-up
        self.idle_collector.install()
        self.set_interval(IDLE_CHECK_SECONDS, self.idle_collector.tick)
        # Keys typed ahead may be meant for these panes (2 then a food's name): now they can go.
        self.type_ahead.release()
        # The search index is built in a thread, once the panes are up, so it does not compete
        # with them for the interpreter.
        self.call_after_refresh(self.run_worker, lambda: upkeep.check_and_preload(self), thread=True, name="catalog",
                                exclusive=True)  # fmt: skip

    async def on_event(self, event: events.Event) -> None:
        """Note input for the idle collector, and hold keys typed before the data is loaded."""
        if isinstance(event, events.InputEvent):
            self.idle_collector.saw_input()
        # Keys and clicks that come before the data is loaded wait for it (none is lost).
        if self.type_ahead.holds(event) or await self.typing.takes(event):
            return
        await super().on_event(event)

    restore_message: str | None = None
    """Set when the user restored a backup from the recovery screen (printed after exit)."""

    def on_damage_found(self, event: DamageFound) -> None:
        """Offer the recovery screen (once) when a database file turns out to be damaged."""
        # After a refresh: a screen pushed while the app is still mounting is styled before the
        # app's stylesheet applies (its text came out unreadable).
        self.call_after_refresh(upkeep.offer_recovery, self, event.problem)

    # -- navigation -------------------------------------------------------------------------

    @property
    def today_pane(self) -> TodayPane:
        """The Today pane (always mounted)."""
        return self.query_one(TodayPane)

    def with_pane(self, pane_type: type[PaneT], act: Callable[[PaneT], object]) -> None:
        """Act on a lazily mounted pane, waiting for it if a key came before the first frame."""
        found = self.query(pane_type)
        if found:
            act(found.first())
        else:
            self.call_after_refresh(self.with_pane, pane_type, act)

    def action_show(self, tab: str) -> None:
        """Show a tab and put the keyboard in its main widget (Log: the search box)."""
        self.query_one(TabbedContent).active = tab
        if tab == "log":  # before any key typed next: "]" right after F3 is about that day
            self.with_pane(panes.LogPane, lambda pane: pane.enter_from(self.today_pane.day))
        self.with_pane(pane_type(tab), lambda pane: pane.query_one(FOCUS[tab]).focus())

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        """Recompute Week and Exercise when their tab is shown."""
        # The Week and Exercise panes compute when shown (by key or by mouse), not at start-up:
        # years of history and session records take a moment, and they may have changed since.
        tab = event.pane.id or ""
        if tab in ("week", "exercise"):
            self.with_pane(pane_type(tab), lambda pane: pane.reload())
        elif tab == "log":  # logs into the day Today shows, until changed there
            self.with_pane(panes.LogPane, lambda pane: pane.enter_from(self.today_pane.day))
        elif tab == "today" and self.query("#log-pane"):  # and Today then shows the day logged into
            # (Not before the Log pane exists: naming its class imports it and the domain, ~150
            # ms, and Today's first tab event comes before the first frame.)
            self.today_pane.day = self.query_one("#log-pane", panes.LogPane).leave_for_today() or self.today_pane.day

    def action_pane(self, tab: str, action: str) -> None:
        """Run a tab's own action from the palette: show the tab, then act as its key would."""
        self.query_one(TabbedContent).active = tab
        self.with_pane(pane_type(tab), lambda pane: getattr(pane, f"action_{action}")())

    def action_write_file(self, what: str) -> None:
        """Write an export or a checked backup now (``upkeep.FILES``)."""
        upkeep.write_file(self, what)

    def on_log_meal_asked(self, event: LogMealAsked) -> None:
        """Open the food search with the meal set to the one Next up asked for."""
        self.query_one(TabbedContent).active = "log"
        self.with_pane(panes.LogPane, lambda pane: pane.prepare_meal(event.slot))

    def action_show_supplements(self) -> None:
        """The Log tab, with the supplement list focused."""
        self.query_one(TabbedContent).active = "log"
        self.with_pane(panes.LogPane, lambda pane: pane.action_focus_supplements())

    def action_help(self) -> None:
        """The help screen: keys, meanings and sources."""
        from bonecoach.tui.screens.help import HelpScreen  # Markdown is slow to import: only when asked

        self.push_screen(HelpScreen())

    def action_edit_profile(self) -> None:
        """The profile form (onboarding the first time)."""
        settings_flow.edit_profile(self)

    def action_start_next_session(self) -> None:
        """Today's first exercise session not done yet (the palette's "start today's session")."""
        start_todays_session(self)

    def action_settings(self, form: str) -> None:
        """Open a settings form: "regimen", "targets" or "nutrients" (``settings_flow.FORMS``)."""
        settings_flow.FORMS[form](self)

    # -- changes: the panes make them and say so; the app redraws what depends on them ------

    def on_entries_logged(self, event: EntriesLogged) -> None:
        """Entries were logged somewhere: Today redraws and says what they add."""
        # New entries change the day (Today), not the bone status: the Bone pane is left alone.
        self.today_pane.announce(event.entries)

    def on_data_changed(self, _: DataChanged) -> None:
        """Something stored changed: redraw what shows it."""
        self.refresh_views()

    def refresh_views(self) -> None:
        """Redraw what depends on stored data: Today and Bone, and Exercise or Week when shown."""
        self.today_pane.reload()
        for pane in self.query(panes.BonePane):  # absent until mounted after the first frame
            pane.reload()
        shown = self.query_one(TabbedContent).active
        for computed in [*self.query(panes.ExercisePane), *self.query(panes.WeekPane)]:
            if computed.parent is not None and computed.parent.id == shown:
                computed.reload()


def make_app(coach: Coach | None = None, **options: Any) -> BonecoachApp:
    """The app factory used by the launcher, the tests and the snapshot apps."""
    return BonecoachApp(coach, **options)


def frozen_clock(moment: datetime) -> Any:
    """A clock that always says ``moment`` (for tests, snapshots and benchmarks)."""
    return lambda: moment
