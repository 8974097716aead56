"""Exercise: when the person can train and with what, the week's plan for their bone status, and session records."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from bonecoach.domain.adherence import week_start
from bonecoach.domain.errors import InputError
from bonecoach.domain.exercise import (
    BoneProfile,
    ExerciseOutcome,
    ExerciseSetup,
    Session,
    SessionRecord,
    SessionState,
    WeekPlan,
    Window,
    plan_week,
    session_overwrite_problem,
    session_state,
    spacing_problem,
)
from bonecoach.domain.models import CRONOMETER_ID_PREFIX, Profile
from bonecoach.domain.timeparse import parse_date
from bonecoach.services import bone
from bonecoach.services.context import Context

WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class SessionStatus:
    """A planned session as both faces show it: where it stands, and the record behind that."""

    session: Session
    state: SessionState
    record: SessionRecord | None

    @property
    def label(self) -> str:
        """ "✓ done", "paused (2 of 5)", "today", "missed", or "" for a session still to come."""
        if self.state == "done":
            return "✓ done"
        if self.state == "paused" and self.record is not None:
            return f"paused ({len(self.record.outcomes)} of {len(self.session.exercises)})"
        return "" if self.state == "to come" else self.state


@dataclass(frozen=True)
class WeekSessions:
    """A week's plan with each session's status."""

    plan: WeekPlan
    sessions: list[SessionStatus]


def week_sessions(ctx: Context, week_of: date | None = None) -> WeekSessions:
    """The week's plan (this week by default), each session with where it stands today."""
    records = session_records(ctx)
    plan = exercise_plans(ctx, [week_start(week_of or ctx.now().date())], records)[0]
    paused, today = session_in_progress(ctx), ctx.now().date()
    found = [SessionStatus(s, *session_state(s, records, paused, today)) for s in plan.sessions]
    return WeekSessions(plan, found)


def exercise_setup(ctx: Context) -> tuple[list[Window], set[str]]:
    """When the person can exercise, and their equipment (defaults: 45 min at 09:00 daily, none)."""
    stored = ctx.repo.exercise_setup()
    if stored is None:
        return [Window(weekday=d, start=time(9, 0), minutes=45) for d in range(7)], set()
    return list(stored.windows), set(stored.equipment)


def set_exercise_setup(ctx: Context, windows: list[Window] | None = None, equipment: set[str] | None = None) -> None:
    """Store availability and/or equipment."""
    current_windows, current_equipment = exercise_setup(ctx)
    chosen = windows if windows is not None else current_windows
    kit = sorted(equipment if equipment is not None else current_equipment)
    ctx.repo.save_exercise_setup(ExerciseSetup(windows=chosen, equipment=kit))


def set_exercise_times(ctx: Context, rows: dict[int, tuple[str, str]], equipment: set[str]) -> None:
    """Availability typed per weekday (start "HH:MM", minutes; both empty = none), and equipment."""
    windows = []
    for day, (start_text, minutes_text) in sorted(rows.items()):
        if not start_text.strip() and not minutes_text.strip():
            continue
        try:
            start = datetime.strptime(start_text.strip(), "%H:%M").time()
        except ValueError:
            raise InputError(
                f"{WEEKDAY_NAMES[day]}: the start time {start_text.strip()[:20]!r} is not HH:MM."
            ) from None
        if not minutes_text.strip().isdigit() or not 10 <= int(minutes_text.strip()) <= 240:
            raise InputError(f"{WEEKDAY_NAMES[day]}: minutes must be a whole number from 10 to 240.")
        windows.append(Window(weekday=day, start=start, minutes=int(minutes_text.strip())))
    set_exercise_setup(ctx, windows, equipment)


def exercise_plan(ctx: Context, week_of: date | None = None) -> WeekPlan:
    """This week's plan (Monday to Sunday) for the profile's bone status and the person's time."""
    day = week_of or ctx.now().date()
    return exercise_plans(ctx, [week_start(day)])[0]


def exercise_plans(ctx: Context, mondays: list[date], history: list[SessionRecord] | None = None) -> list[WeekPlan]:
    """The plans of several weeks, sharing one read of the profile, scans and records
    (``history``: the session records, when the caller has them already)."""
    from bonecoach.catalog.exercises import load_exercise_rules, load_exercises, load_tightening

    profile = ctx.repo.profile()
    status = bone.bone_status(ctx)
    bone_profile = bone_profile_of(profile, status, ctx.now().date())
    user_file = ctx.repo.root / "exercise_rules.json"
    tightening = load_tightening(user_file) if user_file.exists() else None
    windows, equipment = exercise_setup(ctx)
    today = ctx.now().date()
    exercises, rules = load_exercises(), load_exercise_rules()
    history = session_records(ctx) if history is None else history
    # Only records with outcomes move the ladder; the current week also needs the others
    # (to re-place missed sessions). Filtered once, not once per week.
    rungs = [r for r in history if r.completed and r.outcomes]
    start = started_on(ctx, history)
    plans = []
    for monday in mondays:
        current = monday <= today < monday + timedelta(days=7)
        plans.append(plan_week(monday, bone_profile, windows, equipment, exercises, rules, tightening,
                               history=history if current else rungs, today=today if current else None,
                               began=start))  # fmt: skip
    return plans


def bone_profile_of(profile: Profile | None, status: bone.BoneStatus, today: date) -> BoneProfile:
    """What the exercise rules read: the latest T-score, a diagnosis that persists, fractures
    (the profile's counts or the records, whichever say more) and the recent ones by limb."""
    from bonecoach.domain.diagnosis import LIMB_OF

    records = status.fractures
    spine = sum(1 for f in records if f.site == "spine")
    other = len(records) - spine
    recent = tuple((LIMB_OF[f.site], f.label()) for f in records if f.site in LIMB_OF and f.recent(today))
    counted_spine = profile.vertebral_fractures if profile else None
    counted_other = profile.other_fractures if profile else None
    return BoneProfile(
        tscore=status.latest_tscore,
        vertebral_fractures=max(counted_spine or 0, spine) if (counted_spine is not None or spine) else None,
        other_fractures=max(counted_other or 0, other) if (counted_other is not None or other) else None,
        falls_last_year=profile.falls_last_year if profile else None,
        impact_cleared=profile.impact_cleared if profile else None,
        weights_cleared=profile.weights_cleared if profile else None,
        diagnosed_osteoporosis=status.assessment.diagnosed_osteoporosis,
        recent_fractures=recent,
        who_applies=status.who_applies,
    )


def started_on(ctx: Context, history: list[SessionRecord] | None = None) -> date | None:
    """The day this person began with bonecoach: the database's creation, or an earlier entry or
    session logged in bonecoach (a bonecoach export brings history from before). Another app's
    history (a Cronometer import) is not a start: weeks before bonecoach was installed would
    count as missed exercise. Nothing is planned, nor missed, before it."""
    created = ctx.repo.created_on()
    if created is None or created > ctx.now().date():
        return None  # unknown, or written by a clock ahead of this one (a test clock): no limit
    first_entry = ctx.repo.first_entry_day(skip_prefix=CRONOMETER_ID_PREFIX)
    found = [d for d in (created, first_entry) if d is not None]
    records = session_records(ctx) if history is None else history
    if records:
        found.append(min(r.date for r in records))
    return min(found) if found else None


def session_records(ctx: Context) -> list[SessionRecord]:
    """Every session record, oldest first."""
    return ctx.repo.session_records()


def save_session_record(ctx: Context, record: SessionRecord) -> None:
    """Store a session (replacing the record of the same date and category); an unfinished
    one is also the session to resume. One write. A finished session is never replaced by an
    unfinished one (``InputError``)."""
    same = (record.date, record.category)
    stored = next((r for r in ctx.repo.session_records() if (r.date, r.category) == same), None)
    problem = session_overwrite_problem(stored, record)
    if problem:
        raise InputError(problem)
    ctx.repo.save_session(record)


def session_in_progress(ctx: Context) -> SessionRecord | None:
    """A guided session left unfinished, to resume."""
    return ctx.repo.session_in_progress()


def mark_session_done(ctx: Context, day: date | str, category: str) -> dict[str, str]:
    """Record a session as completed: it counts toward the week and, like a guided session, each
    of its exercises toward progression (the exercises the plan has for that kind of session that
    week, when none was planned that day). ``note`` says when it breaks the plan's spacing."""
    from bonecoach.catalog.exercises import load_exercise_rules

    when = day if isinstance(day, date) else parse_date(day, ctx.now().date())
    if when > ctx.now().date():
        raise InputError(f"{when} has not happened yet.")
    if category not in ("resistance", "balance", "posture", "aerobic", "impact"):
        raise InputError("Category must be resistance, balance, posture, aerobic or impact.")
    of_kind = [p for p in exercise_plan(ctx, when).sessions if p.category == category]
    planned = next((p for p in of_kind if p.date == when), of_kind[0] if of_kind else None)
    outcomes = (
        [ExerciseOutcome(id=e.id, outcome="done", sets_done=e.dosage.sets or 1) for e in planned.exercises]
        if planned
        else []
    )
    record = SessionRecord(date=when, category=category, outcomes=outcomes, completed=True)
    save_session_record(ctx, record)
    note = spacing_problem(session_records(ctx), record, load_exercise_rules().prescription) or ""
    if planned is None:
        note = (
            note + " " if note else ""
        ) + f"No {category} session is planned for you that week: recorded without exercises to progress."
    return {"date": when.isoformat(), "category": category, "note": note}
