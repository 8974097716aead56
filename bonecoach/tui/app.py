"""The bonecoach Textual app: tabs for Today and Log over the shared services."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Literal, TypeVar

from rich.markup import escape
from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Header, Static, TabbedContent, TabPane

from bonecoach.domain.amounts import parse_number, parse_signed
from bonecoach.domain.errors import InputError
from bonecoach.domain.names import display_name, fit
from bonecoach.services import data
from bonecoach.services.data import DatabaseDamaged, StorageError
from bonecoach.tui import panes
from bonecoach.tui.commands import BonecoachCommands
from bonecoach.tui.idle_gc import IdleCollector
from bonecoach.tui.panes.today import TodayPane
from bonecoach.tui.type_ahead import TypeAhead
from bonecoach.tui.widgets.footer import Footer
from bonecoach.tui.workarounds import apply as apply_workarounds

# Nothing above imports pydantic or the database: the first frame is drawn before they load.
# The other panes import the domain: `panes` imports each on first use, once the data is loaded.
if TYPE_CHECKING:
    from bonecoach.domain.bone import Scan
    from bonecoach.domain.exercise import Session
    from bonecoach.domain.models import Entry, Food, Profile
    from bonecoach.services.coach import Coach, OnboardingAnswers
    from bonecoach.tui.screens.edit_entry import EntryChanges
    from bonecoach.tui.screens.my_item import ItemForm
    from bonecoach.tui.screens.targets import Changes


apply_workarounds()

PaneT = TypeVar("PaneT", bound=Widget)
IDLE_CHECK_SECONDS = 1.0
"""How often to see whether the keyboard has been quiet long enough for a full collection."""
AFTER_PAINT = 0.03
LOCK_RETRY_SECONDS = 1.0  # read-only because another bonecoach held the lock: how often to try again
"""Seconds to leave the event loop free for a paint (Textual paints at most 60 times a second)."""
CoachOpener = Callable[[], "tuple[Coach, str | None]"]
"""Opens the database: the coach over it and a banner to show (read-only, demo), if any."""


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
        Binding("f2,1", "show_today", "Today", key_display="F2", tooltip="Totals and timeline"),
        Binding("f3,2", "show_log", "Log", key_display="F3", tooltip="Log food or supplements"),
        Binding("f5,3", "show_bone", "Bone", key_display="F5", tooltip="Scans, bloodwork, next scan"),
        Binding(
            "f6,4", "show_exercise", "Exercise", key_display="F6", tooltip="This week's safe plan and guided sessions"
        ),
        Binding("f7,5", "show_week", "Week", key_display="F7", tooltip="The week's adherence and trend"),
        Binding("f4,p", "edit_profile", "Profile", key_display="F4", tooltip="Sex, birth date, guideline"),
        Binding("f1,question_mark", "help", "Help", key_display="F1", tooltip="Keys, meanings and sources"),
        Binding("ctrl+q", "quit", "Quit", priority=True),
    ]

    coach: Coach
    """The services over the open database (set once it is open)."""

    def __init__(
        self,
        coach: Coach | None = None,
        *,
        open_coach: CoachOpener | None = None,
        banner: str | None = None,
        ask_profile: bool = True,
    ) -> None:
        """Run over ``coach``, or open one with ``open_coach`` once the first frame is drawn."""
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
        self.deleted_scans: list[Scan] = []  # this window's deleted scans, for undo

    @property
    def ready(self) -> bool:
        """True once the database is open, the panes are built and keys go straight to them."""
        return self.type_ahead.released

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False, icon="")
        with TabbedContent(initial="today", id="tabs"):
            with TabPane("Today", id="today"):
                yield TodayPane(id="today-pane")
            # The other panes are mounted once Today shows its data (see _mount_hidden_panes).
            for title in ("Log", "Bone", "Exercise", "Week"):
                yield TabPane(title, id=title.lower())
        yield Footer()

    def on_mount(self) -> None:
        # For SIGTERM's graceful exit (bonecoach.tui.signals): the loop to hand the exit to.
        self.running_loop = asyncio.get_running_loop()
        if self._open_coach is None:
            self._loaded()
        else:
            # Importing pydantic and the domain and reading the database take about 150 ms at
            # ten years: the tabs, the footer and Today's outline are drawn first.
            self.call_after_refresh(self._open)

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
        if self.banner:
            self.mount(Static(self.banner, id="banner"), before="#tabs")
        self.sub_title = "bone-health coach" + (" · read-only" if self.coach.repo.readonly else "")
        if self.coach.repo.readonly:
            # Another bonecoach (or a backup) held the lock at start: keep trying, so this window
            # can save as soon as the other one lets go, rather than staying read-only for good.
            self.lock_retry = self.set_interval(LOCK_RETRY_SECONDS, self._retry_lock)
        self.today_pane.day = self.coach.now().date()
        if self.ask_profile and self.coach.profile() is None and not self.coach.repo.readonly:
            self.action_edit_profile()
        if self._open_coach is None:
            # Given a coach (tests, snapshots): no first frame to hurry. Keys go straight through
            # (panes still mounting are waited for) and the panes are built at once.
            self.type_ahead.release()
            self.call_after_refresh(self._mount_hidden_panes)
        else:
            # Textual paints from a timer, and not while widgets are being mounted: waiting a
            # moment lets Today's data reach the screen before the other panes are built (~100 ms).
            self.set_timer(AFTER_PAINT, self._mount_hidden_panes)

    def notify(self, message: str, *, markup: bool = False, **options: Any) -> None:
        """Notifications name foods, products and files the user gave: plain text unless asked."""
        super().notify(message, markup=markup, **options)

    def _retry_lock(self) -> None:
        if not self.coach.repo.try_writable():
            return
        if self.lock_retry is not None:
            self.lock_retry.stop()
            self.lock_retry = None
        for banner in self.query("#banner"):
            banner.remove()
        self.sub_title = "bone-health coach"
        self.notify("The other bonecoach has let go of the database: changes are saved again.", title="Writable")
        self.refresh_views()

    async def _mount_hidden_panes(self) -> None:
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
        self.call_after_refresh(self.run_worker, self._preload_catalog, thread=True, name="catalog", exclusive=True)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.InputEvent):
            self.idle_collector.saw_input()
        # Keys and clicks that come before the data is loaded wait for it (none is lost).
        if self.type_ahead.holds(event):
            return
        await super().on_event(event)

    restore_message: str | None = None
    """Set when the user restored a backup from the recovery screen (printed after exit)."""

    def _preload_catalog(self) -> None:
        try:
            # Once a day (when a backup is due) read every file, to find damage before it bites.
            # The backup itself is written just before the first change, by the repository.
            if data.checks_due(self.coach):
                self.coach.repo.verify()
        except DatabaseDamaged as exc:
            self.call_from_thread(self.show_damage, str(exc))
        except StorageError as exc:
            self.call_from_thread(
                self.notify, f"Could not check the database files: {exc}", severity="warning", timeout=15
            )
        _ = self.coach.catalog.index
        # The catalog and its index are large and live as long as the app: moving them out of
        # the collector's reach makes each full collection cheaper (a pause during a key press).
        gc.collect()
        gc.freeze()
        warning = self.coach.rules_warning
        if warning:
            self.call_from_thread(self.notify, warning, title="Rule file", severity="warning", timeout=20)

    def show_damage(self, problem: str) -> None:
        """Offer the recovery screen (once) when a database file turns out to be damaged."""
        from bonecoach.tui.screens.recovery import RecoveryScreen

        if any(isinstance(screen, RecoveryScreen) for screen in self.screen_stack):
            return
        self.push_screen(RecoveryScreen(self.coach.repo.root, problem), self._recovery_chosen)

    def _recovery_chosen(self, name: str | None) -> None:
        if name is None:
            self.notify("Nothing was changed. Logging is unsafe until the file is repaired or a backup restored.",
                        severity="error", timeout=20)  # fmt: skip
            return
        from bonecoach.tui.launch import restore_into

        self.coach.repo.close()
        self.restore_message = restore_into(self.coach.repo.root, name)
        self.exit()

    # -- navigation -------------------------------------------------------------------------

    @property
    def today_pane(self) -> TodayPane:
        return self.query_one(TodayPane)

    def _with_pane(self, pane_type: type[PaneT], act: Callable[[PaneT], object]) -> None:
        """Act on a lazily mounted pane, waiting for it if a key came before the first frame."""
        found = self.query(pane_type)
        if found:
            act(found.first())
        else:
            self.call_after_refresh(self._with_pane, pane_type, act)

    def action_show_today(self) -> None:
        self.query_one(TabbedContent).active = "today"
        self.today_pane.query_one("#timeline").focus()

    def action_show_log(self) -> None:
        self.query_one(TabbedContent).active = "log"
        self._with_pane(panes.LogPane, lambda pane: pane.action_focus_search())

    def action_show_bone(self) -> None:
        self.query_one(TabbedContent).active = "bone"
        self._with_pane(panes.BonePane, lambda pane: pane.query_one("#scans").focus())

    def action_show_week(self) -> None:
        self.query_one(TabbedContent).active = "week"
        self._with_pane(panes.WeekPane, lambda pane: pane.query_one("#week-grid").focus())

    def action_show_exercise(self) -> None:
        self.query_one(TabbedContent).active = "exercise"
        self._with_pane(panes.ExercisePane, lambda pane: pane.query_one("#sessions").focus())

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        # The Week and Exercise panes compute when shown (by key or by mouse), not at start-up:
        # years of history and session records take a moment, and they may have changed since.
        if event.pane.id == "week":
            self._with_pane(panes.WeekPane, lambda pane: pane.reload())
        elif event.pane.id == "exercise":
            self._with_pane(panes.ExercisePane, lambda pane: pane.reload())

    def start_session(self, session: Session) -> None:
        """Open the guided session, resuming it if it was left unfinished."""
        from bonecoach.domain.exercise import SessionRecord
        from bonecoach.tui.screens.session import GuidedSessionScreen

        resumed = self.coach.session_in_progress()
        if resumed is not None and (resumed.date, resumed.category) == (session.date, session.category):
            record = resumed
        else:
            record = SessionRecord(date=session.date, category=session.category)

        def save(progress: SessionRecord) -> None:
            try:
                self.coach.save_session_record(progress)
            except InputError as exc:
                self.notify(str(exc), title="Exercise", severity="warning")
            except StorageError as exc:
                self._storage_failed(exc)

        def finished(done: SessionRecord | None) -> None:
            for pane in self.query(panes.ExercisePane):
                pane.reload()
            self.today_pane.reload()  # Next up ticks the session
            if done is None:
                self.notify("Paused: enter on this session resumes it where you left off.", title="Exercise")
            elif any(o.outcome == "hurt" for o in done.outcomes):
                self.notify(f"Session recorded as done: {done.summary()}. If it hurts again, check with your "
                            "clinician or physiotherapist before repeating it.", title="Exercise", severity="warning",
                            timeout=12)  # fmt: skip
            else:
                self.notify(f"Session complete ({done.summary()}): it counts toward your week.", title="Exercise")

        self.push_screen(GuidedSessionScreen(session, record, self.coach.clock, save), finished)

    def action_pane(self, tab: str, action: str) -> None:
        """Run a tab's own action from the palette: show the tab, then act as its key would."""
        self.query_one(TabbedContent).active = tab
        pane_type: Any = {"today": TodayPane, "log": panes.LogPane, "bone": panes.BonePane,
                                   "exercise": panes.ExercisePane, "week": panes.WeekPane}[tab]  # fmt: skip
        self._with_pane(pane_type, lambda pane: getattr(pane, f"action_{action}")())

    def action_start_next_session(self) -> None:
        """Today's first exercise session not done yet (the palette's "start today's session")."""
        today = self.coach.now().date()
        done = {(r.date, r.category) for r in self.coach.session_records() if r.completed}
        session = next((s for s in self.coach.exercise_plan(today).sessions
                        if s.date == today and (s.date, s.category) not in done), None)  # fmt: skip
        if session is None:
            self.notify("No exercise session left today: the Exercise tab (F6) shows the week.")
            return
        self.start_session(session)

    def action_export_data(self) -> None:
        self._write_file(self.coach.export_to_home, "Not exported", "Exported",
                         "Everything you stored, as JSON: {path} (readable only by you).")  # fmt: skip

    def action_backup_now(self) -> None:
        self._write_file(self.coach.backup_now, "No backup made", "Backup",
                         "Backed up to {path}; restore with 'bonecoach backup restore {path.stem}'.")  # fmt: skip

    def _write_file(self, write: Callable[[], Path], failed: str, title: str, done: str) -> None:
        """Run ``write`` and say where the file went, or why there is none."""
        try:
            path = write()
        except (InputError, StorageError, OSError) as exc:
            self.notify(f"{failed}: {exc}", severity="error")
            return
        self.notify(done.format(path=path), title=title, timeout=10)

    def start_todays_session(self, category: str) -> None:
        """Start (or resume) today's planned session of ``category``, from Next up."""
        today = self.coach.now().date()
        session = next((s for s in self.coach.exercise_plan(today).sessions
                        if s.date == today and s.category == category), None)  # fmt: skip
        if session is None:
            self.notify(f"No {category} session is planned today.", severity="warning")
            return
        self.start_session(session)

    def log_meal_slot(self, slot: str) -> None:
        """Open the food search with the meal set to ``slot`` (from Next up)."""
        self.query_one(TabbedContent).active = "log"
        self._with_pane(panes.LogPane, lambda pane: pane.prepare_meal(slot))

    def action_edit_regimen(self) -> None:
        from bonecoach.tui.screens.regimen import RegimenScreen

        def closed(changed: bool | None) -> None:
            if changed:
                self.today_pane.reload()

        self.push_screen(RegimenScreen(self.coach), closed)

    def action_add_scan(self) -> None:
        from bonecoach.tui.screens.records import ScanForm

        self.push_screen(ScanForm(self._save_scan), self._record_saved)

    def edit_scan(self, scan_id: str) -> None:
        """Open the scan form on a recorded result."""
        from bonecoach.tui.screens.records import ScanForm

        scan = self.coach.scan(scan_id)
        if scan is None:
            self.notify("That scan no longer exists.", severity="error")
            return
        initial = {"scan-site": scan.site, "scan-date": scan.date.isoformat(), "scan-tscore": f"{scan.tscore:g}",
                   "scan-zscore": "" if scan.zscore is None else f"{scan.zscore:g}", "scan-bmd": "" if scan.bmd is None else f"{scan.bmd:g}"}  # fmt: skip
        self.push_screen(ScanForm(lambda values: self._save_scan(values, scan_id), initial), self._record_saved)

    def _save_scan(self, values: dict[str, str], scan_id: str | None = None) -> str | None:
        try:
            if not values.get("scan-site"):
                raise InputError("Choose the site (lumbar spine, femoral neck, total hip or forearm).")
            tscore = parse_signed(values["scan-tscore"], "T-score")
            zscore = parse_signed(values["scan-zscore"], "Z-score") if values["scan-zscore"].strip() else None
            bmd = parse_number(values["scan-bmd"], "BMD") if values["scan-bmd"].strip() else None
            if not values["scan-date"].strip():
                raise InputError("Give the scan date (YYYY-MM-DD).")
            self.coach.add_scan(values["scan-date"], values["scan-site"], tscore, zscore, bmd, scan_id=scan_id)
        except (InputError, StorageError) as exc:
            return str(exc)
        return None

    def action_add_lab(self) -> None:
        from bonecoach.tui.screens.records import LabForm

        self.push_screen(LabForm(self._save_lab), self._record_saved)

    def _save_lab(self, values: dict[str, str]) -> str | None:
        try:
            if not values.get("lab-test") or not values.get("lab-unit"):
                raise InputError("Choose the test and its unit.")
            if not values["lab-date"].strip():
                raise InputError("Give the test date (YYYY-MM-DD).")
            self.coach.add_lab(
                values["lab-date"], values["lab-test"], parse_number(values["lab-value"], "Value"), values["lab-unit"]
            )
        except (InputError, StorageError) as exc:
            return str(exc)
        return None

    def _record_saved(self, saved: bool | None) -> None:
        if saved:
            self.refresh_views()
            self.notify("Saved.", title="Bone")

    def delete_scan(self, scan_id: str) -> None:
        """Delete a scan result (kept for undo)."""
        try:
            self.deleted_scans.append(self.coach.delete_scan(scan_id))
        except (InputError, StorageError) as exc:
            self.notify(str(exc), severity="error")
            return
        self.refresh_views()
        self.notify("Scan deleted: u puts it back.", title="Bone")

    def undo_scan_delete(self) -> None:
        """Put back the scan result deleted last in this window."""
        if not self.deleted_scans:
            self.notify("No deleted scan to put back.", title="Bone")
            return
        scan = self.deleted_scans.pop()
        try:
            self.coach.restore_scan(scan)
        except StorageError as exc:
            self.deleted_scans.append(scan)
            self.notify(str(exc), severity="error")
            return
        self.refresh_views()
        self.notify(f"Put back the scan of {scan.date}.", title="Bone")

    # -- logging in seconds: suggestions, saved meals, recipes, repeats ---------------------

    def action_suggest(self) -> None:
        """Offer ways to close the day's gaps now; enter logs the one chosen."""
        from bonecoach.tui.screens.picker import ChoiceScreen

        day = self.today_pane.day or self.coach.now().date()
        at = self.coach.now() if day == self.coach.now().date() else datetime.combine(day, self.coach.now().time())
        found = self.coach.suggestions(day, at=at)
        choices = []
        for n, suggestion in enumerate(found):
            amount = (
                f"{suggestion.amount['grams']:g} g"
                if "grams" in suggestion.amount
                else f"{suggestion.amount['doses']:g} dose"
            )
            choices.append((str(n), escape(f"{fit(display_name(suggestion.name), 50)} ({amount}): {suggestion.why}")))
        title = (
            f"[b]Close the gap[/b] at {at:%H:%M}: enter logs one (nothing here creates a conflict or crosses a limit)"
        )
        empty = "Nothing to suggest: the gaps are closed, or nothing fits without a conflict or a crossed limit."

        def accept(choice: str | None) -> None:
            if choice is None:
                return
            try:
                entry = self.coach.accept_suggestion(found[int(choice)], at=at)
            except (InputError, StorageError) as exc:
                self.notify(str(exc), severity="error")
                return
            self._saved([entry])

        self.push_screen(ChoiceScreen(title, choices, empty), accept)

    def save_meal_of(self, entry_id: str) -> None:
        """Save the meal the entry belongs to (that day, that slot) under a name."""
        from bonecoach.tui.screens.picker import NameScreen

        entry = self.coach.repo.get_entry(entry_id)
        if entry is None or entry.kind == "medication":
            self.notify("Select a food or supplement of the meal to save.", severity="warning")
            return

        def named(name: str | None) -> None:
            if not name or entry is None:
                return
            try:
                saved = self.coach.save_meal(name, entry.at.date(), entry.meal.value)
            except (InputError, StorageError) as exc:
                self.notify(str(exc), severity="error")
                return
            self.notify(
                f"Saved {saved.name!r} ({len(saved.items)} items): find it in Log by its name.", title="Saved meal"
            )

        self.push_screen(NameScreen(f"Save this {entry.meal.value} as", "e.g. my usual breakfast"), named)

    def repeat(self, entry_id: str, whole_meal: bool) -> None:
        """Log an entry, or its whole meal, again now."""
        entry = self.coach.repo.get_entry(entry_id)
        if entry is None:
            return
        try:
            if whole_meal:
                copies = self.coach.repeat_meal(entry.at.date(), entry.meal.value, at=self.coach.now())
            else:
                copies = [self.coach.repeat_entry(entry_id, at=self.coach.now())]
        except (InputError, StorageError) as exc:
            self.notify(str(exc), severity="error")
            return
        self.today_pane.day = self.coach.now().date()
        self._saved(copies)

    def action_new_recipe(self) -> None:
        from bonecoach.tui.screens.recipe import RecipeScreen

        def save(name: str, servings: str, items: list[tuple[str, str]]) -> str | None:
            try:
                amounts = [(food_id, parse_number(grams, "Grams")) for food_id, grams in items]
                self.coach.add_recipe(name, parse_number(servings, "Servings") if servings.strip() else 0, amounts)
            except (InputError, StorageError) as exc:
                return str(exc)
            return None

        def saved(done: bool | None) -> None:
            if done:
                self.notify("Recipe saved: find it in Log by its name.", title="Recipe")

        self.push_screen(RecipeScreen(lambda q: self.coach.search_foods(q, 12), save), saved)

    def action_show_supplements(self) -> None:
        self.query_one(TabbedContent).active = "log"
        self._with_pane(panes.LogPane, lambda pane: pane.action_focus_supplements())

    def action_previous_day(self) -> None:
        self.today_pane.action_previous_day()

    def action_next_day(self) -> None:
        self.today_pane.action_next_day()

    def action_undo_delete(self) -> None:
        self.undo_delete()

    def action_show_conflicts(self) -> None:
        self.action_show_today()
        self.today_pane.action_show_conflicts()

    def action_show_plan(self) -> None:
        self.action_show_today()
        self.today_pane.action_show_plan()

    def action_help(self) -> None:
        from bonecoach.tui.screens.help import HelpScreen  # Markdown is slow to import: only when asked

        self.push_screen(HelpScreen())

    def action_edit_profile(self) -> None:
        from bonecoach.tui.screens.profile import ProfileScreen

        guidelines = {key: g.name for key, g in self.coach.target_table.guidelines.items()}
        screen = ProfileScreen(
            self.coach.profile(), guidelines, self.coach.medications,
            current_medications={i.ref for i in self.coach.regimen().items}, has_scans=bool(self.coach.scan_history()),
            save=self._save_onboarding,
        )  # fmt: skip
        self.push_screen(screen, self._profile_saved)

    def _save_onboarding(self, answers: OnboardingAnswers) -> Profile | tuple[str, str | None]:
        try:
            return self.coach.onboard(answers)
        except InputError as exc:
            return str(exc), exc.field
        except StorageError as exc:
            return str(exc), None

    def action_add_my_item(self) -> None:
        from bonecoach.tui.screens.my_item import MyItemScreen

        self.push_screen(MyItemScreen(self._save_my_item), self._my_item_saved)

    def _save_my_item(self, form: ItemForm) -> tuple[bool, str]:
        try:
            values = {
                key: parse_number(text, key.replace("_", " "))
                for key, text in form.nutrients.items()
                if text.strip() and text.strip() != "0"
            }
            label = form.serving_label.strip()
            if form.kind == "food":
                if not form.serving_grams.strip():
                    raise InputError("A food needs the weight of its serving in grams (from the label).")
                grams = parse_number(form.serving_grams, "Serving weight")
                food = self.coach.add_custom_food(form.name, grams, values, label or "1 serving", form.inhibitors)
                return True, f"Added {food.name}: search for it in Log."
            product = self.coach.add_supplement(form.name, values, dose_label=label or "1 dose")
            return True, f"Added {product.name} to your supplements."
        except (InputError, StorageError) as exc:
            return False, str(exc)

    def _my_item_saved(self, message: str | None) -> None:
        if message:
            for pane in self.query(panes.LogPane):
                pane.reload_supplements()
            self.notify(message, title="Saved")

    def action_edit_targets(self) -> None:
        from bonecoach.tui.screens.targets import TargetsScreen

        targets = self.coach.targets(self.coach.now().date())
        if not targets:
            self.notify("Give sex and birth date first (F4): targets depend on them.", severity="warning")
            return
        self.push_screen(TargetsScreen(targets, self._save_targets), self._targets_saved)

    def _save_targets(self, changes: Changes) -> str | None:
        try:
            self.coach.apply_target_edits(changes)
        except (InputError, StorageError) as exc:
            return str(exc)
        return None

    def _targets_saved(self, changed: bool | None) -> None:
        if changed:
            self.refresh_views()
            self.notify("Your targets are saved.", title="Targets")

    def _profile_saved(self, profile: Profile | None) -> None:
        if profile is not None:
            self.notify(f"Profile saved: targets for a {profile.sex.value} born {profile.birth_date}.")
        self.refresh_views()

    # -- changes: the panes call these; errors in input propagate to the pane ---------------

    def refresh_views(self) -> None:
        """Redraw what depends on stored data."""
        self.today_pane.reload()
        for pane in self.query(panes.BonePane):  # absent until mounted after the first frame
            pane.reload()

    def _saved(self, entries: list[Entry]) -> None:
        # New entries change the day (Today), not the bone status: the Bone pane is left alone.
        self.today_pane.reload()
        total = sum(entry.nutrients.calcium_mg or 0 for entry in entries)
        names = ", ".join(entry.name for entry in entries)
        # Calcium is named only when there is some: "(Ca 0 mg)" after a vitamin D tablet reads as a fault.
        self.notify(f"{names[:80]}" + (f" (Ca {total:,.0f} mg)" if total >= 0.5 else ""), title="Logged")
        for conflict in self.coach.conflicts_from(entries, known=self.today_pane.summary):
            severity: Literal["error", "warning"] = "error" if conflict.severity == "danger" else "warning"
            self.notify(
                f"{conflict.message}\nFix: {conflict.suggestion}", title="Conflict", severity=severity, timeout=15
            )

    def log_medication(self, medication_id: str, at: str | None = None) -> Entry | None:
        """Log a dose of a medication."""
        try:
            entry = self.coach.log_medication(medication_id, at=at)
        except StorageError as exc:
            self._storage_failed(exc)
            return None
        self._saved([entry])
        return entry

    def _storage_failed(self, exc: StorageError) -> None:
        self.notify(str(exc), title="Not saved", severity="error", timeout=12)

    def log_food(self, food: Food, **options: Any) -> Entry | None:
        """Log a food; ``InputError`` reaches the caller, storage failures are shown here."""
        try:
            entry = self.coach.log_food(food, **options)
        except StorageError as exc:
            self._storage_failed(exc)
            return None
        self._saved([entry])
        return entry

    def log_supplement(self, supplement_id: str, doses: float = 1.0, at: str | None = None) -> Entry | None:
        """Log doses of a supplement."""
        try:
            entry = self.coach.log_supplement(supplement_id, doses=doses, at=at)
        except StorageError as exc:
            self._storage_failed(exc)
            return None
        self._saved([entry])
        return entry

    def log_supplement_set(self, name: str, at: str | None = None) -> None:
        """Log a saved set of supplements as one action."""
        try:
            entries = self.coach.log_supplement_set(name, at=at)
        except InputError as exc:
            self.notify(str(exc), severity="error", title="Not logged")
            return
        except StorageError as exc:
            self._storage_failed(exc)
            return
        self._saved(entries)

    def delete_entry(self, entry_id: str) -> None:
        """Delete an entry; ``u`` undoes it."""
        try:
            entry = self.coach.delete_entry(entry_id)
        except (InputError, StorageError) as exc:
            self.notify(str(exc), severity="error")
            return
        self.refresh_views()
        self.notify(f"Deleted {entry.name[:60]}. Press u to undo.", title="Deleted")

    def undo_delete(self) -> None:
        """Restore the last deleted entry."""
        try:
            entry = self.coach.undo_delete()
        except StorageError as exc:
            self._storage_failed(exc)
            return
        if entry is None:
            self.notify("Nothing to undo.", severity="warning")
            return
        self.refresh_views()
        self.notify(f"Restored {entry.name[:60]} at {entry.at:%H:%M}.", title="Undone")

    def edit_entry(self, entry_id: str) -> None:
        """Open the edit form for an entry."""
        entry = self.coach.repo.get_entry(entry_id)
        if entry is None:
            self.notify("That entry no longer exists.", severity="error")
            return
        from bonecoach.tui.screens.edit_entry import EditEntryScreen

        self.push_screen(EditEntryScreen(entry, self._apply_changes), self._entry_edited)

    def _apply_changes(self, entry: Entry, changes: EntryChanges) -> Entry | str:
        try:
            amount = parse_number(changes.amount, "Amount")
            options: dict[str, Any] = {"at": changes.at, "meal": changes.meal}
            if entry.kind == "food":
                options["grams"] = amount
            else:
                options["doses"] = amount
            return self.coach.edit_entry(entry.id, **options)
        except (InputError, StorageError) as exc:
            return str(exc)

    def _entry_edited(self, entry: Entry | None) -> None:
        if entry is not None:
            self.refresh_views()
            self.notify(f"Saved {entry.name[:60]} at {entry.at:%H:%M}.", title="Changed")


def make_app(coach: Coach | None = None, **options: Any) -> BonecoachApp:
    """The app factory used by the launcher, the tests and the snapshot apps."""
    return BonecoachApp(coach, **options)


def frozen_clock(moment: datetime) -> Any:
    """A clock that always says ``moment`` (for tests, snapshots and benchmarks)."""
    return lambda: moment
