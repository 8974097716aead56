"""Safe exercise: risk level from bone status, what is excluded and why, and a week's plan.

Pure functions over the catalogue and rules (JSON assets, validated here). When in doubt a
movement is excluded and the reason is kept, so the person can ask "why not?".

Risk, exclusion, the progression ladder and the week's placement stay in one module (about 600
lines) because each step narrows what the next may schedule, and reading them together is how
one checks that nothing excluded for a profile is ever placed.
"""

from datetime import date, datetime, time, timedelta
from typing import Literal, get_args

from dateutil.rrule import DAILY, rrule
from pydantic import ConfigDict, Field

from bonecoach.domain.base import Model
from bonecoach.domain.text import CleanText, SourceText, reader_source

Impact = Literal["none", "low", "moderate", "high"]
Category = Literal["resistance", "balance", "posture", "aerobic", "impact"]
CATEGORIES: tuple[str, ...] = get_args(Category)
IMPACT_RANK: dict[str, int] = {"none": 0, "low": 1, "moderate": 2, "high": 3}
SAFETY_PROPERTIES = ("spinal_flexion", "twisting", "heavy_lifting")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# Always to hand at home: the exercises that need them are never excluded for equipment.
HOUSEHOLD = {"chair", "counter", "wall", "stairs", "step"}
# One exercise per major muscle group in a resistance session (Too Fit To Fracture).
MUSCLE_GROUPS = ("thighs", "hips", "chest", "upper back", "shoulders", "calves", "back extensors", "abdominals")


class Dosage(Model):
    """Sets and reps, a hold, or minutes."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    sets: int | None = Field(default=None, ge=1, le=5)
    reps_min: int | None = Field(default=None, ge=1, le=100)
    reps_max: int | None = Field(default=None, ge=1, le=100)
    hold_seconds: int | None = Field(default=None, ge=1, le=300)
    minutes: int | None = Field(default=None, ge=1, le=120)


class Exercise(Model):
    """One movement with its safety fields, dosage, ladder and plain-words instructions."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    name: str
    category: Category
    impact: Impact
    spinal_flexion: bool
    twisting: bool
    heavy_lifting: bool
    equipment: list[str]
    muscles: list[str]
    dosage: Dosage
    easier: str | None
    harder: str | None
    steps: list[str] = Field(min_length=1)
    cues: list[str]
    source: SourceText = Field(min_length=1)
    avoid: bool = False
    why_avoid: str = ""


class ExerciseCatalogue(Model):
    """The ``exercises.json`` asset."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    schema_version: int = Field(alias="schema")
    note: str = ""
    exercises: list[Exercise] = Field(min_length=1)


class LevelRule(Model):
    """What one risk level allows."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    label: str
    max_impact: Impact
    max_impact_if_cleared: Impact
    forbid: list[Literal["spinal_flexion", "twisting", "heavy_lifting"]]
    dumbbells_need_clearance: bool
    aerobic: str
    source: SourceText


class Prescription(Model):
    """The weekly targets."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    resistance_days: int
    resistance_min_gap_hours: int
    resistance_minutes: int
    balance_days: int
    balance_minutes: int
    posture_days: int
    posture_minutes: int
    aerobic_minutes_per_week: int
    aerobic_min_bout: int
    aerobic_days_min: int
    aerobic_days_max: int
    impact_minutes: int
    source: SourceText


class LimbLoading(Model):
    """Which exercises load a limb: those working any of ``muscles``, or of ``categories``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    muscles: list[str]
    categories: list[str] = Field(default=[])
    source: SourceText

    def loads(self, exercise: Exercise) -> bool:
        """Whether ``exercise`` puts load through this limb."""
        return exercise.category in self.categories or any(m in self.muscles for m in exercise.muscles)


class ExerciseRules(Model):
    """The ``exercise_rules.json`` asset (and the shape of a user's tightening file)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    schema_version: int = Field(alias="schema")
    note: str = ""
    levels: dict[str, LevelRule]
    falls_rule: dict[str, str]
    unknown_rule: dict[str, str]
    prescription: Prescription
    limb_loading: dict[str, LimbLoading] = Field(default={})  # "arm" / "leg"


class Tightening(Model):
    """A user's rule file: it can only make things stricter."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    schema_version: int = Field(1, alias="schema")
    max_impact: Impact | None = None
    forbid_exercises: list[str] = Field(default=[])
    forbid: list[Literal["spinal_flexion", "twisting", "heavy_lifting"]] = Field(default=[])


class BoneProfile(Model):
    """What the risk level is derived from."""

    model_config = ConfigDict(frozen=True)

    tscore: float | None = None
    vertebral_fractures: int | None = None
    other_fractures: int | None = None
    falls_last_year: int | None = None
    impact_cleared: bool | None = None
    weights_cleared: bool | None = None  # after a fracture: a physiotherapist cleared loading with weights
    diagnosed_osteoporosis: bool = False  # persists when the T-score rises above -2.5
    recent_fractures: tuple[tuple[str, str], ...] = ()  # (limb, the fracture as the person reads it)
    who_applies: bool = True  # False before menopause or under 50: the T-score bands are read cautiously


class Risk(Model):
    """The risk level and the limits that follow from it, with the reasons."""

    model_config = ConfigDict(frozen=True)

    level: str
    label: str
    max_impact: Impact
    forbid: tuple[str, ...]
    no_dumbbells: bool
    forbid_exercises: tuple[str, ...]
    reasons: tuple[str, ...]
    falls: bool = False  # at risk of falls: balance on every day with time to exercise
    unloaded: tuple[tuple[str, str], ...] = ()  # (limb, why): not loaded until a clinician clears it
    limb_loading: dict[str, LimbLoading] = Field(default={})


def risk_for(profile: BoneProfile, rules: ExerciseRules, tightening: Tightening | None = None) -> Risk:
    """The risk level for a profile, tightened (never loosened) by the user's file."""
    reasons: list[str] = []
    vertebral = profile.vertebral_fractures or 0
    other = profile.other_fractures or 0
    if vertebral + other >= 2:
        level = "multiple-fractures"
        reasons.append(f"{vertebral + other} fractures recorded.")
    elif vertebral + other == 1:
        level = "vertebral-fracture"
        reasons.append("A fracture is recorded (treated as vertebral or hip: the safer reading).")
    elif profile.tscore is None:
        level = rules.unknown_rule["level"]
        reasons.append(reader_source(rules.unknown_rule["source"]))
    elif profile.tscore <= -2.5:
        level = "osteoporosis"
        reasons.append(f"T-score {profile.tscore:+.1f} is in the osteoporosis range.")
    elif profile.diagnosed_osteoporosis:
        level = "osteoporosis"
        reasons.append(f"Osteoporosis was diagnosed: exercise stays as safe as for it, though the T-score is now "
                       f"{profile.tscore:+.1f} (a diagnosis persists; the rise is a milestone).")  # fmt: skip
    elif profile.tscore < -1.0:
        level = "low-bone-density"
        reasons.append(f"T-score {profile.tscore:+.1f} is low bone density.")
    else:
        level = "normal"
        reasons.append(f"T-score {profile.tscore:+.1f} is in the normal range.")
    if not profile.who_applies and profile.tscore is not None and level in ("osteoporosis", "low-bone-density"):
        reasons.append("The T-score ranges are for postmenopausal women and men of 50 and older (your bone status "
                       "reads the Z-score): here they only keep exercise on the safe side.")  # fmt: skip
    rule = rules.levels[level]
    max_impact = rule.max_impact_if_cleared if profile.impact_cleared else rule.max_impact
    if not profile.impact_cleared and rule.max_impact_if_cleared != rule.max_impact:
        reasons.append(f"Impact above '{rule.max_impact}' needs a clinician's clearance.")
    if (profile.falls_last_year or 0) > 0:
        max_impact = _lower(max_impact, rules.falls_rule["max_impact"])  # type: ignore[arg-type]
        reasons.append(reader_source(rules.falls_rule["source"]))
    forbid = set(rule.forbid)
    forbid_exercises: tuple[str, ...] = ()
    if tightening is not None:
        if tightening.max_impact is not None:
            max_impact = _lower(max_impact, tightening.max_impact)
        forbid |= set(tightening.forbid)
        forbid_exercises = tuple(tightening.forbid_exercises)
        reasons.append("Your rule file tightens these limits.")
    # Weights after a fracture need a physiotherapist's clearance of their own: clearance for
    # impact does not cover loading the spine with weights.
    no_dumbbells = rule.dumbbells_need_clearance and not profile.weights_cleared
    falls = (profile.falls_last_year or 0) > 0
    unloaded = tuple((limb, label) for limb, label in profile.recent_fractures if limb in rules.limb_loading)
    for limb, label in unloaded:
        reasons.append(f"A recent fracture ({label}): the {limb} is not loaded until your clinician clears it.")
    return Risk(level=level, label=rule.label, max_impact=max_impact, forbid=tuple(sorted(forbid)), no_dumbbells=no_dumbbells,
                forbid_exercises=forbid_exercises, reasons=tuple(reasons), falls=falls, unloaded=unloaded,
                limb_loading=rules.limb_loading)  # fmt: skip


def _lower(a: Impact, b: Impact) -> Impact:
    return a if IMPACT_RANK[a] <= IMPACT_RANK[b] else b


def exclusion(exercise: Exercise, risk: Risk, equipment: set[str]) -> str | None:
    """Why ``exercise`` is not for this person, or ``None`` if it is allowed."""
    if exercise.avoid:
        return exercise.why_avoid or "A movement to avoid."
    if exercise.id in risk.forbid_exercises:
        return "Switched off in your rule file."
    for limb, label in risk.unloaded:
        if risk.limb_loading[limb].loads(exercise):
            return (f"It loads the {limb}, and your fracture ({label}) is recent: not until your clinician clears "
                    "it (then: bonecoach fracture edit ID ... --cleared yes).")  # fmt: skip
    for prop in SAFETY_PROPERTIES:
        if prop in risk.forbid and getattr(exercise, prop):
            return f"It involves {prop.replace('_', ' ')}, which is not advised at your risk level ({risk.label})."
    if IMPACT_RANK[exercise.impact] > IMPACT_RANK[risk.max_impact]:
        return f"Impact '{exercise.impact}' is above the '{risk.max_impact}' allowed for you ({risk.label})."
    if risk.no_dumbbells and "dumbbells" in exercise.equipment:
        return "After a fracture, see a physiotherapist before loading with weights (then record the clearance)."
    missing = [item for item in exercise.equipment if item not in equipment and item not in HOUSEHOLD]
    if missing:
        return f"Needs {', '.join(missing)}, which you have not listed."
    return None


class Window(Model):
    """A time a person can exercise on a weekday."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    weekday: int = Field(ge=0, le=6)
    start: time
    minutes: int = Field(ge=10, le=240)


class ExerciseSetup(Model):
    """When a person can exercise and what equipment they have."""

    model_config = ConfigDict(extra="forbid")

    windows: list[Window]
    equipment: list[CleanText] = Field(default=[])


class PlannedExercise(Model):
    """An exercise in a session with its dosage."""

    model_config = ConfigDict(frozen=True)

    exercise: Exercise


class Session(Model):
    """One session of the week."""

    model_config = ConfigDict(frozen=True)

    date: date
    start: time
    category: Category
    minutes: int
    exercises: list[Exercise]


class WeekPlan(Model):
    """The week's sessions, what is excluded and why, and what could not be fitted."""

    model_config = ConfigDict(frozen=True)

    week_start: date
    risk: Risk
    sessions: list[Session]
    excluded: list[tuple[str, str]]
    unmet: list[str]
    steps: dict[str, "Step"] = Field(default={})


def _pick(candidates: list[Exercise], groups: tuple[str, ...]) -> list[Exercise]:
    """One exercise per muscle group, the easiest rung first (progression moves up later)."""
    chosen: list[Exercise] = []
    for group in groups:
        options = [e for e in candidates if group in e.muscles and e not in chosen]
        options.sort(key=lambda e: e.easier is not None)  # stable: catalogue order breaks ties
        if options:
            chosen.append(options[0])
    return chosen


def plan_week(
    week_start: date,
    profile: BoneProfile,
    windows: list[Window],
    equipment: set[str],
    catalogue: list[Exercise],
    rules: ExerciseRules,
    tightening: Tightening | None = None,
    history: list["SessionRecord"] | None = None,
    today: date | None = None,
    began: date | None = None,
) -> WeekPlan:
    """A deterministic week from Monday ``week_start`` that meets the prescription where the time allows.

    With ``history``, each exercise stands where its progression has brought it; with ``today``,
    sessions missed earlier in the week are placed again in the time left (see ``replan``). Days
    before ``began`` (when the person began with bonecoach) hold nothing: no session is planned,
    so none is missed, before they started.
    """
    risk = risk_for(profile, rules, tightening)
    allowed, excluded = _sorted_out(catalogue, risk, equipment)
    by_id = {e.id: e for e in catalogue}
    steps = _progressed(allowed, excluded, history or [], by_id)
    rx = rules.prescription
    days = [d.date() for d in rrule(DAILY, dtstart=datetime.combine(week_start, time()), count=7)]
    week = _WeekTime({d: [] if began is not None and d < began
                      else [(w.start, w.minutes) for w in windows if w.weekday == d.weekday()] for d in days})  # fmt: skip
    by = {category: [e for e in allowed if e.category == category] for category in CATEGORIES}
    sessions: list[Session] = []
    unmet: list[str] = []
    # Resistance first (it needs the 48-hour gap), on the days with the most time; then balance,
    # posture, and aerobic minutes with the impact a person is cleared for.
    for step in (_place_resistance, _place_balance, _place_posture, _place_aerobic):
        placed, missed = step(week, days, by, rx, risk)
        sessions += placed
        unmet += missed
    if steps:
        sessions = [s.model_copy(update={"exercises": [by_id[steps[e.id].exercise_id] if e.id in steps else e for e in s.exercises]})
                    for s in sessions]  # fmt: skip
    sessions.sort(key=lambda s: (s.date, s.start, s.category))
    plan = WeekPlan(week_start=week_start, risk=risk, sessions=sessions, excluded=excluded, unmet=unmet,
                    steps={k: v for k, v in steps.items() if v.exercise_id != k or v.note or v.reps != by_id[k].dosage.reps_min})  # fmt: skip
    return replan(plan, history or [], today, week.free, rx) if today is not None else plan


def _sorted_out(
    catalogue: list[Exercise], risk: Risk, equipment: set[str]
) -> tuple[list[Exercise], list[tuple[str, str]]]:
    """The exercises allowed for this person, and those left out with why."""
    allowed: list[Exercise] = []
    excluded: list[tuple[str, str]] = []
    for exercise in catalogue:
        reason = exclusion(exercise, risk, equipment)
        if reason is None:
            allowed.append(exercise)
        else:
            excluded.append((exercise.id, reason))
    return allowed, excluded


def _progressed(allowed: list[Exercise], excluded: list[tuple[str, str]], history: list["SessionRecord"],
                by_id: dict[str, Exercise]) -> dict[str, "Step"]:  # fmt: skip
    """Where each allowed exercise's progression stands; a movement stopped after a second pain
    report leaves ``allowed`` for ``excluded`` (it says why). Both lists are changed in place."""
    # Only completed sessions with per-exercise outcomes move the ladder; sorting them once here
    # keeps years of records cheap (progression runs once per exercise).
    rungs = sorted((r for r in history if r.completed and r.outcomes), key=lambda r: r.date)
    if not rungs:
        return {}
    allowed_ids = {e.id for e in allowed}
    steps = {exercise.id: progression(exercise, rungs, by_id, allowed_ids) for exercise in allowed}
    for exercise_id, step in list(steps.items()):
        if step.stopped:
            allowed[:] = [e for e in allowed if e.id not in (exercise_id, step.exercise_id)]
            excluded.append((exercise_id, step.note))
            del steps[exercise_id]
    return steps


class _WeekTime:
    """The time left in the person's windows, day by day, as sessions take it."""

    def __init__(self, free: dict[date, list[tuple[time, int]]]) -> None:
        self.free = free

    def take(self, day: date, minutes: int) -> time | None:
        """The start of ``minutes`` in the first window of ``day`` that still has them (taken)."""
        for index, (start, left) in enumerate(self.free[day]):
            if left >= minutes:
                self.free[day][index] = (
                    (datetime.combine(day, start) + timedelta(minutes=minutes)).time(),
                    left - minutes,
                )
                return start
        return None

    def total(self, day: date) -> int:
        """Minutes left on ``day``."""
        return sum(m for _, m in self.free[day])


Placed = tuple[list[Session], list[str]]
"""The sessions a step placed, and what of its prescription did not fit (said)."""


def _place_resistance(week: _WeekTime, days: list[date], by: dict[str, list[Exercise]], rx: Prescription,
                      risk: Risk) -> Placed:  # fmt: skip
    """Resistance on the days with the most time, the prescribed gap apart."""
    strength = _pick(by["resistance"] + [e for e in by["posture"] if "back extensors" in e.muscles], MUSCLE_GROUPS)
    sessions: list[Session] = []
    placed: list[date] = []
    for day in sorted(days, key=lambda d: (-week.total(d), d)):
        if len(placed) == rx.resistance_days:
            break
        if any(abs((day - other).days) * 24 < rx.resistance_min_gap_hours for other in placed):
            continue
        start = week.take(day, rx.resistance_minutes)
        if start is not None and strength:
            placed.append(day)
            sessions.append(Session(date=day, start=start, category="resistance", minutes=rx.resistance_minutes,
                                    exercises=strength))  # fmt: skip
    if len(placed) < rx.resistance_days:
        return sessions, [f"resistance: {len(placed)} of {rx.resistance_days} sessions at least "
                          f"{rx.resistance_min_gap_hours} h apart fit your time"]  # fmt: skip
    return sessions, []


def _place_balance(week: _WeekTime, days: list[date], by: dict[str, list[Exercise]], rx: Prescription,
                   risk: Risk) -> Placed:  # fmt: skip
    """Balance on the prescribed number of days; at risk of falls, on every day with time to
    exercise (ROS, via the rule's source). Static before dynamic (Osteoporosis Canada): the
    easiest rungs first, three of them."""
    balance = sorted(by["balance"], key=lambda e: e.easier is not None)[:3]
    sessions: list[Session] = []
    wanted = sum(1 for d in days if week.free[d]) if risk.falls else rx.balance_days
    for day in days:
        if len(sessions) == wanted:
            break
        start = week.take(day, rx.balance_minutes)
        if start is not None and balance:
            sessions.append(Session(date=day, start=start, category="balance", minutes=rx.balance_minutes,
                                    exercises=balance))  # fmt: skip
    return sessions, [] if len(sessions) >= wanted else [f"balance: {len(sessions)} of {wanted} sessions fit your time"]


def _place_posture(week: _WeekTime, days: list[date], by: dict[str, list[Exercise]], rx: Prescription,
                   risk: Risk) -> Placed:  # fmt: skip
    """Posture daily."""
    posture = [e for e in by["posture"] if e.easier is None][:3]
    sessions: list[Session] = []
    for day in days:
        start = week.take(day, rx.posture_minutes)
        if start is not None and posture:
            sessions.append(Session(date=day, start=start, category="posture", minutes=rx.posture_minutes,
                                    exercises=posture))  # fmt: skip
    if len(sessions) < rx.posture_days:
        return sessions, [f"posture: {len(sessions)} of {rx.posture_days} days fit your time"]
    return sessions, []


def _place_aerobic(week: _WeekTime, days: list[date], by: dict[str, list[Exercise]], rx: Prescription,
                   risk: Risk) -> Placed:  # fmt: skip
    """Aerobic minutes in bouts of 10+ over 3-5 days, spread over the days with time left; impact,
    where allowed, a few minutes on those days, placed first: when both cannot fit, the impact a
    person is cleared for comes before extra aerobic minutes."""
    walks = sorted(by["aerobic"], key=lambda e: e.easier is not None)[:1]
    impact = sorted(by["impact"], key=lambda e: e.easier is not None)[:1]
    sessions: list[Session] = []
    unmet: list[str] = []
    remaining = rx.aerobic_minutes_per_week
    aerobic_days = [d for d in days if week.total(d) >= rx.aerobic_min_bout][: rx.aerobic_days_max]
    impact_sessions = 0
    for n, day in enumerate(aerobic_days):
        if impact and (remaining > 0 or not walks):
            start = week.take(day, rx.impact_minutes)
            if start is not None:
                impact_sessions += 1
                sessions.append(Session(date=day, start=start, category="impact", minutes=rx.impact_minutes,
                                        exercises=impact))  # fmt: skip
        if remaining <= 0 or not walks:
            continue
        share = max(rx.aerobic_min_bout, -(-remaining // (len(aerobic_days) - n)))
        longest = max((m for _, m in week.free[day]), default=0)
        minutes = min(share, longest, remaining)
        if minutes < rx.aerobic_min_bout:
            continue
        start = week.take(day, minutes)
        if start is not None:
            remaining -= minutes
            sessions.append(Session(date=day, start=start, category="aerobic", minutes=minutes, exercises=walks))
    if remaining > 0:
        unmet.append(f"aerobic: {rx.aerobic_minutes_per_week - remaining} of {rx.aerobic_minutes_per_week} minutes "
                     "fit your time")  # fmt: skip
    if impact and impact_sessions == 0:
        unmet.append(f"impact: you are cleared for {risk.max_impact} impact, but no {rx.impact_minutes} minutes "
                     "were left on any day for it")  # fmt: skip
    return sessions, unmet


def replan(
    plan: WeekPlan, done: list["SessionRecord"], today: date, free: dict[date, list[tuple[time, int]]], rx: Prescription
) -> WeekPlan:
    """Place sessions missed before ``today`` again in the time left this week (resistance keeps its gap)."""
    missed = missed_sessions(plan, done, today)
    if not missed:
        return plan
    sessions = [s for s in plan.sessions if s not in missed or s.category in ("posture", "impact")]
    unmet = list(plan.unmet)
    for session in missed:
        if session.category in ("posture", "impact"):
            continue  # daily or add-on: nothing to catch up
        resistance_days = [s.date for s in sessions if s.category == "resistance"]
        placed = False
        for day in sorted(free):
            if day < today:
                continue
            if session.category == "resistance" and any(
                abs((day - d).days) * 24 < rx.resistance_min_gap_hours for d in resistance_days
            ):
                continue
            for index, (start, left) in enumerate(free[day]):
                if left >= session.minutes:
                    free[day][index] = (
                        (datetime.combine(day, start) + timedelta(minutes=session.minutes)).time(),
                        left - session.minutes,
                    )
                    sessions.append(session.model_copy(update={"date": day, "start": start}))
                    placed = True
                    break
            if placed:
                break
        if not placed:
            unmet.append(
                f"{session.category}: the session missed on {session.date:%a %d %b} does not fit the rest of the week"
            )
    sessions.sort(key=lambda s: (s.date, s.start, s.category))
    return plan.model_copy(update={"sessions": sessions, "unmet": unmet})


# -- progression and completed sessions -------------------------------------------------------

PROGRESS_AFTER = 3  # sessions completed without pain before moving up (bonecoach's choice)
REP_STEP = 2


class ExerciseOutcome(Model):
    """How one exercise went in a session."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    outcome: Literal["done", "skipped", "hurt"]
    sets_done: int = 0


class SessionRecord(Model):
    """A session as it was done (or is being done)."""

    model_config = ConfigDict(extra="forbid")

    date: date
    category: Category
    outcomes: list[ExerciseOutcome] = Field(default=[])
    completed: bool = False
    sets_in_progress: int = Field(default=0, ge=0, le=50)  # sets done of the exercise under way

    def summary(self) -> str:
        """ "3 done, 1 skipped, 1 stopped because it hurt"."""
        counts = {kind: sum(1 for o in self.outcomes if o.outcome == kind) for kind in ("done", "skipped", "hurt")}
        words = {"done": "done", "skipped": "skipped", "hurt": "stopped because it hurt"}
        return ", ".join(f"{n} {words[kind]}" for kind, n in counts.items() if n) or "nothing recorded"


def spacing_problem(records: list[SessionRecord], record: SessionRecord, rx: Prescription) -> str | None:
    """Why a completed resistance session breaks the plan's spacing (another within the
    prescribed gap), or ``None``. The record is kept either way: the person is told why it matters."""
    if record.category != "resistance":
        return None
    close = sorted(
        r.date for r in records
        if r.category == "resistance" and r.completed and r.date != record.date
        and abs((r.date - record.date).days) * 24 < rx.resistance_min_gap_hours
    )  # fmt: skip
    if not close:
        return None
    return (f"Resistance also on {', '.join(f'{d:%a %d %b}' for d in close)}: muscles and bone need about "
            f"{rx.resistance_min_gap_hours} h between resistance sessions (non-consecutive days, Too Fit To Fracture), "
            "so the plan keeps them apart; rest, or do balance, posture or a walk, the day after.")  # fmt: skip


SessionState = Literal["done", "paused", "today", "missed", "to come"]


def session_state(
    session: Session, records: list[SessionRecord], paused: SessionRecord | None, today: date
) -> tuple[SessionState, SessionRecord | None]:
    """Where a planned session stands on ``today``, with the record that says so: done (a
    finished record of its day and category), paused (the session left unfinished, to resume),
    else today, missed (its day is past) or still to come."""
    key = (session.date, session.category)
    finished = next((r for r in records if r.completed and (r.date, r.category) == key), None)
    if finished is not None:
        return "done", finished
    if paused is not None and (paused.date, paused.category) == key:
        return "paused", paused
    if session.date == today:
        return "today", None
    return ("missed" if session.date < today else "to come"), None


def session_overwrite_problem(stored: SessionRecord | None, new: SessionRecord) -> str | None:
    """Why ``new`` must not replace ``stored`` (same day and category), or ``None``: a finished
    session's record is never replaced by an unfinished one (a session reopened by accident)."""
    if stored is not None and stored.completed and not new.completed:
        return (
            f"The {new.category} session of {new.date:%a %d %b} is already done ({stored.summary()}); "
            "its record is kept as it was."
        )
    return None


class Step(Model):
    """Where an exercise's ladder stands for this person."""

    model_config = ConfigDict(frozen=True)

    exercise_id: str
    reps: int | None
    note: str = ""
    stopped: bool = False  # hurt twice: not scheduled until a clinician or physiotherapist says so


def progression(
    base: Exercise, history: list[SessionRecord], catalogue: dict[str, Exercise], allowed: set[str]
) -> Step:
    """Move up the ladder after successful sessions; hold or step back after pain.

    More reps first (up to the top of the range), then the harder variant if it is allowed for
    this person; a pain report steps back one rung, and a second one says to see a professional.
    """
    current = base
    reps = base.dosage.reps_min
    streak = 0
    pains = 0
    note = ""
    for record in sorted(history, key=lambda r: r.date):
        outcome = next((o for o in record.outcomes if o.id == current.id), None)
        if outcome is None or not record.completed:
            continue
        if outcome.outcome == "hurt":
            pains += 1
            streak = 0
            if current.easier and current.easier in allowed:
                current = catalogue[current.easier]
                reps = current.dosage.reps_min
            note = (
                "It hurt again: stop this movement and check with your clinician or physiotherapist."
                if pains >= 2
                else "It hurt last time: stepped back. If it hurts again, check with your clinician or physiotherapist."
            )
            continue
        if outcome.outcome != "done":
            continue
        streak += 1
        if streak < PROGRESS_AFTER:
            continue
        streak = 0
        top = current.dosage.reps_max
        if reps is not None and top is not None and reps < top:
            reps = min(top, reps + REP_STEP)
        elif current.harder and current.harder in allowed:
            current = catalogue[current.harder]
            reps = current.dosage.reps_min
            note = f"Moved up to {current.name}."
    return Step(exercise_id=current.id, reps=reps, note=note, stopped=pains >= 2)


def missed_sessions(plan: WeekPlan, done: list[SessionRecord], today: date) -> list[Session]:
    """Planned sessions before ``today`` with no completed record of that category that day."""
    finished = {(r.date, r.category) for r in done if r.completed}
    return [s for s in plan.sessions if s.date < today and (s.date, s.category) not in finished]
