"""Exercise safety: the catalogue against DOMAIN.md, and properties of every generated plan."""

from __future__ import annotations

import json
from datetime import date, time, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bonecoach.catalog.exercises import load_exercise_rules, load_exercises
from bonecoach.domain.errors import InputError
from bonecoach.domain.exercise import IMPACT_RANK, BoneProfile, Tightening, Window, plan_week, risk_for
from bonecoach.services.coach import Coach

CATALOGUE = load_exercises()
RULES = load_exercise_rules()
BY_ID = {e.id: e for e in CATALOGUE}
MONDAY = date(2026, 11, 23)
AMPLE = [Window(weekday=d, start=time(8, 0), minutes=90) for d in range(7)]


def test_catalogue_has_the_seed_examples_and_the_movements_to_avoid() -> None:
    schedulable = [e for e in CATALOGUE if not e.avoid]
    assert len(schedulable) >= 30
    for seed in ("brisk-walking", "elliptical", "stair-climbing", "walking-fast-bursts", "wall-push-up", "chair-sit-to-stand",
                 "chair-squat", "lying-leg-raise", "prone-back-extension", "goblet-squat", "band-row"):  # fmt: skip
        assert seed in BY_ID and not BY_ID[seed].avoid
    for avoid in ("sit-up", "toe-touch", "loaded-twist", "tuck-jumps"):
        assert BY_ID[avoid].avoid and BY_ID[avoid].why_avoid
    for exercise in schedulable:
        assert exercise.steps and exercise.cues and exercise.source, exercise.id


@pytest.mark.parametrize(
    ("exercise_id", "impact"),
    [("walking", "low"), ("brisk-walking", "low"), ("marching", "low"), ("stair-climbing", "low"), ("gentle-heel-drops", "low"),
     ("stamping", "low"), ("jogging", "moderate"), ("skipping", "moderate"), ("low-jumps", "moderate"),
     ("vigorous-heel-drops", "moderate"), ("star-jumps", "high"), ("tuck-jumps", "high")],
)  # fmt: skip
def test_impact_levels_follow_the_ros_lists(exercise_id: str, impact: str) -> None:
    assert BY_ID[exercise_id].impact == impact


def test_flexion_and_twisting_are_flagged_where_the_guidance_says() -> None:
    assert BY_ID["sit-up"].spinal_flexion and BY_ID["toe-touch"].spinal_flexion and BY_ID["loaded-twist"].twisting
    scheduled_ids = {e.id for e in CATALOGUE if not e.avoid}
    assert not any(BY_ID[i].spinal_flexion or BY_ID[i].twisting for i in scheduled_ids)


profiles = st.builds(
    BoneProfile,
    tscore=st.one_of(st.none(), st.floats(min_value=-5, max_value=2, allow_nan=False).map(lambda t: round(t, 1))),
    vertebral_fractures=st.one_of(st.none(), st.integers(0, 3)),
    other_fractures=st.one_of(st.none(), st.integers(0, 3)),
    falls_last_year=st.one_of(st.none(), st.integers(0, 3)),
    impact_cleared=st.one_of(st.none(), st.booleans()),
)
equipment = st.sets(st.sampled_from(["resistance band", "dumbbells", "elliptical"]))


def at_risk(profile: BoneProfile) -> bool:
    return (profile.tscore is None or profile.tscore < -1.0 or (profile.vertebral_fractures or 0) + (profile.other_fractures or 0) > 0
            or (profile.falls_last_year or 0) > 0)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(profiles, equipment)
def test_no_plan_for_an_at_risk_profile_holds_a_forbidden_movement(profile: BoneProfile, kit: set[str]) -> None:
    plan = plan_week(MONDAY, profile, AMPLE, kit, CATALOGUE, RULES)
    for session in plan.sessions:
        for exercise in session.exercises:
            assert not exercise.avoid
            assert IMPACT_RANK[exercise.impact] <= IMPACT_RANK[plan.risk.max_impact]
            if at_risk(profile):
                assert not (exercise.spinal_flexion or exercise.twisting or exercise.heavy_lifting), exercise.id
            if (profile.vertebral_fractures or 0) + (profile.other_fractures or 0) > 0:
                assert IMPACT_RANK[exercise.impact] <= IMPACT_RANK["low"]  # no higher than brisk walking
                if not profile.impact_cleared:
                    assert "dumbbells" not in exercise.equipment
            if (profile.falls_last_year or 0) > 0:
                assert IMPACT_RANK[exercise.impact] <= IMPACT_RANK["low"]
            if profile.impact_cleared is not True and profile.tscore is not None and profile.tscore < -1.0:
                assert IMPACT_RANK[exercise.impact] <= IMPACT_RANK["low"]
    excluded = dict(plan.excluded)
    scheduled = {e.id for s in plan.sessions for e in s.exercises}
    assert not scheduled & set(excluded)
    assert all(excluded.values())  # every exclusion says why


@settings(max_examples=150, deadline=None)
@given(profiles)
def test_ample_time_meets_the_prescription(profile: BoneProfile) -> None:
    plan = plan_week(MONDAY, profile, AMPLE, {"resistance band"}, CATALOGUE, RULES)
    assert plan.unmet == []
    by = {c: [s for s in plan.sessions if s.category == c] for c in ("resistance", "balance", "posture", "aerobic")}
    days = sorted(s.date for s in by["resistance"])
    assert len(days) == 2 and (days[1] - days[0]) >= timedelta(hours=48)
    assert len(by["balance"]) >= 2 and len({s.date for s in by["posture"]}) == 7
    assert sum(s.minutes for s in by["aerobic"]) >= 150 and all(s.minutes >= 10 for s in by["aerobic"])
    assert 3 <= len({s.date for s in by["aerobic"]}) <= 5
    groups = {m for e in by["resistance"][0].exercises for m in e.muscles}
    assert {"thighs", "upper back", "back extensors", "abdominals"} <= groups


@settings(max_examples=100, deadline=None)
@given(
    profiles,
    st.lists(
        st.builds(Window, weekday=st.integers(0, 6), start=st.just(time(9, 0)), minutes=st.integers(10, 40)), max_size=3
    ),
)
def test_scarce_time_is_reported_not_hidden(profile: BoneProfile, windows: list[Window]) -> None:
    plan = plan_week(MONDAY, profile, windows, set(), CATALOGUE, RULES)
    total = sum(w.minutes for w in windows)
    assert sum(s.minutes for s in plan.sessions) <= total
    assert plan.unmet  # 150 aerobic minutes alone exceed 3 x 40
    assert plan == plan_week(MONDAY, profile, windows, set(), CATALOGUE, RULES)  # deterministic


def test_a_user_file_tightens_but_never_loosens() -> None:
    fracture = BoneProfile(tscore=-2.8, vertebral_fractures=1)
    loosen = Tightening(max_impact="high", forbid=[], forbid_exercises=[])
    assert risk_for(fracture, RULES, loosen).max_impact == "low"
    assert set(risk_for(fracture, RULES, loosen).forbid) >= {"spinal_flexion", "twisting", "heavy_lifting"}
    tighten = Tightening(max_impact="none", forbid_exercises=["heel-raise"])
    plan = plan_week(MONDAY, BoneProfile(tscore=0.5, impact_cleared=True), AMPLE, set(), CATALOGUE, RULES, tighten)
    scheduled = {e.id for s in plan.sessions for e in s.exercises}
    assert "heel-raise" not in scheduled and all(BY_ID[i].impact == "none" for i in scheduled)


def test_unknown_status_is_treated_conservatively() -> None:
    risk = risk_for(BoneProfile(), RULES)
    assert (
        risk.level == "osteoporosis" and risk.max_impact == "low" and "when in doubt" in " ".join(risk.reasons).lower()
    )


def test_plan_json_and_session_done(
    profiled: Coach, db_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from bonecoach.cli import context
    from bonecoach.cli.main import main
    from tests.conftest import NOW

    profiled.set_profile(vertebral_fractures=1, falls_last_year=0)
    profiled.repo.close()
    monkeypatch.setattr(context, "CLOCK", lambda: NOW)
    assert main(["--db", str(db_dir), "plan", "--week", "2026-11-25", "--json"]) == 0
    plan = json.loads(capsys.readouterr().out)
    assert plan["risk_level"] == "vertebral-fracture" and plan["week_start"] == "2026-11-23"
    first = plan["sessions"][0]
    assert set(first) >= {"date", "start", "category", "exercises"}
    assert set(first["exercises"][0]) >= {"id", "name", "impact", "spinal_flexion", "twisting", "dosage"}
    assert all(set(x) == {"id", "reason"} for x in plan["excluded"])
    assert main(["--db", str(db_dir), "session", "done", "2026-11-24", "balance"]) == 0
    assert main(["--db", str(db_dir), "session", "done", "2026-12-24", "balance"]) == 2
    assert main(["--db", str(db_dir), "exercise-setup", "--window", "funday=09:00/45"]) == 2


# -- progression, missed sessions, guided sessions ----------------------------------------------

from bonecoach.domain.exercise import ExerciseOutcome, SessionRecord, missed_sessions, progression  # noqa: E402


def record(day: int, exercise_id: str, outcome: str = "done") -> SessionRecord:
    return SessionRecord(date=date(2026, 11, day), category="resistance", completed=True,
                         outcomes=[ExerciseOutcome(id=exercise_id, outcome=outcome, sets_done=2)])  # type: ignore[arg-type]  # fmt: skip


def test_progression_adds_reps_then_moves_up_and_steps_back_after_pain() -> None:
    allowed = set(BY_ID)
    base = BY_ID["chair-sit-to-stand"]
    assert progression(base, [], BY_ID, allowed).reps == 8
    three = [record(d, "chair-sit-to-stand") for d in (2, 4, 6)]
    assert progression(base, three, BY_ID, allowed).reps == 10
    six = [record(d, "chair-sit-to-stand") for d in range(1, 7)]
    assert progression(base, six, BY_ID, allowed).reps == 12  # the top of 8-12
    nine = [record(d, "chair-sit-to-stand") for d in range(1, 10)]
    step = progression(base, nine, BY_ID, allowed)
    assert step.exercise_id == "chair-squat" and step.reps == 8 and "Moved up" in step.note
    hurt = [*nine, record(14, "chair-squat", "hurt")]
    step = progression(base, hurt, BY_ID, allowed)
    assert step.exercise_id == "chair-sit-to-stand" and "clinician or physiotherapist" in step.note
    again = [*hurt, record(16, "chair-sit-to-stand", "hurt")]
    assert "stop this movement" in progression(base, again, BY_ID, allowed).note


def test_progression_never_moves_up_into_an_excluded_variant() -> None:
    allowed = set(BY_ID) - {"goblet-squat"}  # e.g. no dumbbells after a fracture
    many = [record(d, "chair-squat") for d in range(1, 25)]
    assert progression(BY_ID["chair-squat"], many, BY_ID, allowed).exercise_id == "chair-squat"


def test_a_missed_session_is_placed_again_later_in_the_week() -> None:
    profile = BoneProfile(tscore=-1.8)
    plan = plan_week(MONDAY, profile, AMPLE, set(), CATALOGUE, RULES)
    first_resistance = next(s for s in plan.sessions if s.category == "resistance")
    today = first_resistance.date + timedelta(days=1)
    replanned = plan_week(MONDAY, profile, AMPLE, set(), CATALOGUE, RULES, history=[], today=today)
    assert missed_sessions(plan, [], today)
    resistance = sorted(s.date for s in replanned.sessions if s.category == "resistance")
    assert len(resistance) == 2 and all(d >= today for d in resistance)
    assert resistance[1] - resistance[0] >= timedelta(hours=48)


async def test_guided_session_with_timer_done_and_resumed(profiled: Coach) -> None:
    from datetime import datetime as dt

    from textual.widgets import DataTable, Static

    from bonecoach.tui.app import make_app
    from bonecoach.tui.screens.session import GuidedSessionScreen

    now = {"t": dt(2026, 11, 25, 9, 0, 0)}
    coach = Coach(profiled.repo, clock=lambda: now["t"], catalog=profiled.catalog)
    coach.set_exercise_setup([Window(weekday=2, start=time(9, 0), minutes=60)], set())
    app = make_app(coach)
    async with app.run_test(size=(100, 34)) as pilot:
        await pilot.press("f6")
        await pilot.pause(0.2)
        table = app.query_one("#sessions", DataTable)
        rows = [table.get_row_at(i) for i in range(table.row_count)]
        posture = next(i for i, row in enumerate(rows) if row[2] == "posture")
        table.move_cursor(row=posture)
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, GuidedSessionScreen)
        first = screen.current
        assert first is not None and first.id == "prone-back-extension"
        assert "Set 1 of 2" in str(screen.query_one("#guided-body", Static).render())
        await pilot.press("t")  # a 3-second hold
        now["t"] += timedelta(seconds=1)
        screen.tick()
        assert "0:02 left" in str(screen.query_one("#guided-timer", Static).render())
        now["t"] += timedelta(seconds=5)
        screen.tick()
        assert "Time's up" in str(screen.query_one("#guided-timer", Static).render())
        await pilot.press("enter", "enter")  # two sets done
        assert screen.current is not None and screen.current.id != "prone-back-extension"
        await pilot.press("escape")  # close mid-session
        await pilot.pause()
    saved = coach.session_in_progress()
    assert saved is not None and [o.outcome for o in saved.outcomes] == ["done"] and not saved.completed

    app = make_app(coach)
    async with app.run_test(size=(100, 34)) as pilot:
        await pilot.press("f6")
        await pilot.pause(0.2)
        table = app.query_one("#sessions", DataTable)
        rows = [table.get_row_at(i) for i in range(table.row_count)]
        table.move_cursor(row=next(i for i, row in enumerate(rows) if row[2] == "posture"))
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, GuidedSessionScreen) and screen.index == 1  # resumed where it stopped
        await pilot.press("h")  # this one hurt
        while isinstance(app.screen, GuidedSessionScreen):
            await pilot.press("enter")
            await pilot.pause()
        rows = [
            app.query_one("#sessions", DataTable).get_row_at(i)
            for i in range(app.query_one("#sessions", DataTable).row_count)
        ]
        assert any(row[2] == "posture" and row[4] == "✓ done" for row in rows)
    done = [r for r in coach.session_records() if r.completed]
    assert [(r.category, [o.outcome for o in r.outcomes]) for r in done] == [("posture", ["done", "hurt", "done"])]
    assert coach.session_in_progress() is None


async def test_set_times_and_equipment_in_the_app_and_ask_why_not(profiled: Coach) -> None:
    from textual.widgets import Input, SelectionList, Static

    from bonecoach.tui.app import make_app

    app = make_app(profiled)
    async with app.run_test(size=(100, 34)) as pilot:
        await pilot.press("f6")
        await pilot.pause(0.2)
        await pilot.press("u")
        await pilot.pause()
        form = app.screen
        for day in range(7):
            form.query_one(f"#start-{day}", Input).value = ""
            form.query_one(f"#minutes-{day}", Input).value = ""
        form.query_one("#start-0", Input).value = "7:30"
        form.query_one("#minutes-0", Input).value = "5"
        form.query_one("#save-setup").press()
        await pilot.pause()
        assert "minutes must be a whole number from 10 to 240" in str(form.query_one("#setup-error", Static).render())
        form.query_one("#minutes-0", Input).value = "60"
        form.query_one("#start-3", Input).value = "18:00"
        form.query_one("#minutes-3", Input).value = "45"
        form.query_one("#equipment", SelectionList).select("dumbbells")
        form.query_one("#save-setup").press()
        await pilot.pause()
        windows, kit = profiled.exercise_setup()
        assert [(w.weekday, w.start, w.minutes) for w in windows] == [(0, time(7, 30), 60), (3, time(18, 0), 45)]
        assert kit == {"dumbbells"}
        await pilot.press("w")
        await pilot.pause()
        assert "Sit-ups" in app.screen.text and "vertebral fracture" in app.screen.text  # type: ignore[attr-defined]


def test_a_broken_user_file_stops_the_plan_instead_of_loosening_it(profiled: Coach, db_dir: Path) -> None:
    from bonecoach.domain.errors import InputError

    (db_dir / "exercise_rules.json").write_text('{"schema": 1, "max_impact": "sky-high"}')
    with pytest.raises(InputError, match=r"exercise_rules\.json"):
        profiled.exercise_plan()


async def test_a_finished_session_is_never_reopened_and_a_paused_one_resumes_at_its_set(profiled: Coach) -> None:
    from datetime import datetime as dt

    from textual.widgets import DataTable, Static

    from bonecoach.tui.app import make_app
    from bonecoach.tui.screens.session import GuidedSessionScreen

    coach = Coach(profiled.repo, clock=lambda: dt(2026, 11, 25, 9, 0), catalog=profiled.catalog)
    coach.set_exercise_setup([Window(weekday=d, start=time(9, 0), minutes=60) for d in range(7)], set())
    app = make_app(coach)

    def rows() -> list[list[object]]:
        table = app.query_one("#sessions", DataTable)
        return [list(table.get_row_at(i)) for i in range(table.row_count)]

    async with app.run_test(size=(100, 34)) as pilot:
        await pilot.press("f6")
        await pilot.pause(0.2)
        table = app.query_one("#sessions", DataTable)
        today = [i for i, row in enumerate(rows()) if row[4] == "today"]
        assert len(today) >= 2 and today[0] > 0  # not the first row: a jump to row 1 would show
        first, second = today[0], today[1]
        table.move_cursor(row=second)
        await pilot.press("enter")
        screen = app.screen
        assert isinstance(screen, GuidedSessionScreen)
        exercise = screen.current
        assert exercise is not None and (exercise.dosage.sets or 1) >= 2, exercise
        await pilot.press("enter")  # one set done of the first exercise
        assert "Set 2 of" in str(screen.query_one("#guided-body", Static).render())
        await pilot.press("escape")  # pause
        await pilot.pause()
        assert table.cursor_row == second, "the cursor stays on the session"
        assert str(rows()[second][4]).startswith("paused")
        await pilot.press("enter")  # resume: the same exercise, at set 2
        screen = app.screen
        assert isinstance(screen, GuidedSessionScreen) and screen.current == exercise
        assert "Set 2 of" in str(screen.query_one("#guided-body", Static).render())
        while isinstance(app.screen, GuidedSessionScreen):  # finish it
            await pilot.press("enter")
            await pilot.pause()
        assert table.cursor_row == second and rows()[second][4] == "✓ done"
        await pilot.press("enter")  # a finished session is not reopened
        await pilot.pause()
        assert not isinstance(app.screen, GuidedSessionScreen)
        await pilot.press("escape")
        await pilot.pause()
        done = [(r.date, r.category) for r in coach.session_records() if r.completed]
        assert len(done) == 1 and rows()[second][4] == "✓ done"
        # "this hurt" on the last exercise: the session is recorded as done, and the app says so.
        table.move_cursor(row=first)
        await pilot.press("enter")
        screen = app.screen
        assert isinstance(screen, GuidedSessionScreen)
        while len(screen.record.outcomes) < len(screen.session.exercises) - 1:
            await pilot.press("s")
        await pilot.press("h")
        await pilot.pause()
        assert not isinstance(app.screen, GuidedSessionScreen)
        said = [n.message for n in app._notifications]
        assert any("recorded as done" in m and "hurt" in m for m in said), said
    assert len([r for r in coach.session_records() if r.completed]) == 2


def test_a_finished_session_record_is_never_replaced_by_an_unfinished_one(profiled: Coach) -> None:
    day = date(2026, 11, 25)
    outcome = ExerciseOutcome(id="heel-raise", outcome="done", sets_done=2)
    profiled.save_session_record(SessionRecord(date=day, category="balance", outcomes=[outcome], completed=True))
    with pytest.raises(InputError, match="already done"):
        profiled.save_session_record(SessionRecord(date=day, category="balance"))
    assert [r.completed for r in profiled.session_records()] == [True]


# -- what the plan promises is what it schedules ----------------------------------------------------


def test_at_risk_of_falls_balance_comes_every_day_with_time() -> None:
    plan = plan_week(MONDAY, BoneProfile(tscore=-1.8, falls_last_year=1), AMPLE, set(), CATALOGUE, RULES)
    balance_days = {s.date for s in plan.sessions if s.category == "balance"}
    assert len(balance_days) == 7, sorted(balance_days)
    some_days = [w for w in AMPLE if w.weekday in (0, 2, 4)]
    plan = plan_week(MONDAY, BoneProfile(tscore=-1.8, falls_last_year=2), some_days, set(), CATALOGUE, RULES)
    assert len({s.date for s in plan.sessions if s.category == "balance"}) == 3


@pytest.mark.parametrize("fractures", [{"vertebral_fractures": 1}, {"other_fractures": 2}])
def test_impact_clearance_after_a_fracture_does_not_unlock_weights(fractures: dict[str, int]) -> None:
    impact_only = BoneProfile(tscore=-2.8, impact_cleared=True, **fractures)
    plan = plan_week(MONDAY, impact_only, AMPLE, {"dumbbells"}, CATALOGUE, RULES)
    loaded = [e.id for s in plan.sessions for e in s.exercises if "dumbbells" in e.equipment]
    assert loaded == [] and any("physiotherapist" in reason for _, reason in plan.excluded)
    cleared = BoneProfile(tscore=-2.8, impact_cleared=True, weights_cleared=True, **fractures)
    plan = plan_week(MONDAY, cleared, AMPLE, {"dumbbells"}, CATALOGUE, RULES)
    assert [e.id for s in plan.sessions for e in s.exercises if "dumbbells" in e.equipment]


def test_a_movement_that_hurt_twice_is_not_scheduled_again() -> None:
    profile = BoneProfile(tscore=-1.8)
    first = plan_week(MONDAY, profile, AMPLE, set(), CATALOGUE, RULES)
    target = next(e for s in first.sessions if s.category == "resistance" for e in s.exercises if e.easier is None)
    history = [record(day, target.id, "hurt") for day in (1, 3)]
    later = plan_week(MONDAY + timedelta(days=7), profile, AMPLE, set(), CATALOGUE, RULES, history=history)
    scheduled = {e.id for s in later.sessions for e in s.exercises}
    assert target.id not in scheduled
    assert any(ex_id == target.id and "stop this movement" in reason for ex_id, reason in later.excluded)


async def test_the_pane_and_plan_json_give_each_session_the_same_status(
    profiled: Coach, db_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # One view model: the Status column and plan --json's "status" come from the same service,
    # with a session done, one paused, today's and those to come (a missed one is placed again
    # later in the current week).
    from textual.widgets import DataTable

    from bonecoach.cli import context
    from bonecoach.cli.main import main
    from bonecoach.tui.app import make_app
    from tests.conftest import NOW

    profiled.mark_session_done(date(2026, 11, 23), "balance")  # history from Monday: the week is planned from it
    week = profiled.week_sessions()
    tuesday = [s.session for s in week.sessions if s.session.date == date(2026, 11, 24)]
    paused = tuesday[0]
    profiled.save_session_record(SessionRecord(date=paused.date, category=paused.category,
                                               outcomes=[ExerciseOutcome(id=paused.exercises[0].id, outcome="done")]))  # fmt: skip
    statuses = [s.state for s in profiled.week_sessions().sessions]
    assert {"done", "paused", "today", "to come"} <= set(statuses), statuses
    app = make_app(profiled)
    async with app.run_test(size=(100, 34)) as pilot:
        await pilot.press("f6")
        await pilot.pause(0.2)
        table = app.query_one("#sessions", DataTable)
        shown = [str(table.get_row_at(i)[4]) for i in range(table.row_count)]
    profiled.repo.close()
    monkeypatch.setattr(context, "CLOCK", lambda: NOW)
    assert main(["--db", str(db_dir), "plan", "--json"]) == 0
    listed = [s["status"] for s in json.loads(capsys.readouterr().out)["sessions"]]
    assert listed == statuses
    words = {"done": "✓ done", "missed": "missed", "today": "today", "to come": ""}
    for state, cell in zip(listed, shown, strict=True):
        assert cell.startswith("paused (1 of") if state == "paused" else cell == words[state], (state, cell)


def _plan_ids(plan) -> set[str]:  # type: ignore[no-untyped-def]
    return {e.id for s in plan.sessions for e in s.exercises}


def test_a_recent_wrist_fracture_is_not_loaded_until_cleared(profiled: Coach) -> None:
    profiled.add_scan("2026-06-01", "total_hip", -1.8)
    before = profiled.exercise_plan()
    assert {"wall-push-up", "band-row"} & _plan_ids(before) or any(e[0] == "band-row" for e in before.excluded)
    wrist = profiled.add_fracture("wrist", "2026-10-25", low_trauma=True)  # last month
    plan = profiled.exercise_plan()
    reasons = dict(plan.excluded)
    assert not {"wall-push-up", "counter-push-up", "band-row", "dumbbell-row-supported"} & _plan_ids(plan)
    assert "wrist" in reasons["wall-push-up"] and "clinician clears" in reasons["wall-push-up"]
    assert "chair-sit-to-stand" in _plan_ids(plan)  # the legs are still trained
    profiled.add_fracture("wrist", "2026-10-25", low_trauma=True, cleared=True, fracture_id=wrist.id)
    assert "wall-push-up" not in dict(profiled.exercise_plan().excluded)


def test_a_recent_hip_fracture_plans_no_standing_or_impact_work(profiled: Coach) -> None:
    profiled.add_fracture("hip", "2026-09-01", low_trauma=True)
    plan = profiled.exercise_plan()
    categories = {s.category for s in plan.sessions}
    assert "impact" not in categories and "aerobic" not in categories and "balance" not in categories
    assert all(not set(e.muscles) & {"thighs", "hips", "calves", "legs"} for s in plan.sessions for e in s.exercises)


def test_an_osteopenic_person_cleared_for_impact_gets_impact_in_45_minutes_a_day(profiled: Coach) -> None:
    profiled.set_profile(birth_date=date(1971, 5, 1), impact_cleared=True)  # 55
    profiled.add_scan("2026-06-01", "total_hip", -1.8)
    plan = profiled.exercise_plan()
    assert plan.risk.level == "low-bone-density" and plan.risk.max_impact == "moderate"
    assert any(s.category == "impact" for s in plan.sessions)


def test_the_plan_says_when_impact_did_not_fit(profiled: Coach) -> None:
    from bonecoach.domain.exercise import Window

    profiled.set_profile(birth_date=date(1971, 5, 1), impact_cleared=True)
    profiled.add_scan("2026-06-01", "total_hip", -1.8)
    profiled.set_exercise_setup([Window(weekday=d, start=time(9, 0), minutes=30) for d in (0, 3)])
    plan = profiled.exercise_plan()
    assert not any(s.category == "impact" for s in plan.sessions)
    assert any(line.startswith("impact:") for line in plan.unmet)


def test_exercise_safety_does_not_relax_when_a_diagnosis_persists(profiled: Coach) -> None:
    profiled.add_scan("2024-06-01", "lumbar_spine", -2.7, bmd=0.80)
    profiled.add_scan("2026-06-01", "lumbar_spine", -2.4, bmd=0.81)  # within the LSC
    plan = profiled.exercise_plan()
    assert plan.risk.level == "osteoporosis"
    assert "spinal_flexion" in plan.risk.forbid


def test_sessions_recorded_from_the_command_line_count_toward_progression(profiled: Coach) -> None:
    from datetime import timedelta

    profiled.add_scan("2026-06-01", "total_hip", -1.8)
    base = profiled.exercise_plan()
    assert not base.steps
    # Five resistance sessions recorded with 'session done', on days the plan may not have held one.
    for weeks_ago in range(5, 0, -1):
        note = profiled.mark_session_done(date(2026, 11, 25) - timedelta(weeks=weeks_ago, days=2), "resistance")["note"]
        assert "recorded without exercises" not in note
    moved = profiled.exercise_plan().steps  # only exercises off their first rung are listed
    assert moved, "five completed sessions moved nothing up the ladder"


def test_resistance_on_consecutive_days_is_kept_and_the_person_is_told_why_it_matters(profiled: Coach, capsys) -> None:
    first = profiled.mark_session_done(date(2026, 11, 23), "resistance")
    assert first["note"] == ""
    second = profiled.mark_session_done(date(2026, 11, 24), "resistance")
    assert "48 h" in second["note"] and "Mon 23 Nov" in second["note"]
    assert len([r for r in profiled.session_records() if r.category == "resistance"]) == 2  # both kept
