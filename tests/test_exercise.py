"""Exercise safety: the catalogue against DOMAIN.md, and properties of every generated plan."""

from __future__ import annotations

import json
from datetime import date, time, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bonecoach.catalog.rules import load_exercise_rules, load_exercises
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
    from bonecoach.cli import commands
    from bonecoach.cli.main import main
    from tests.conftest import NOW

    profiled.set_profile(vertebral_fractures=1, falls_last_year=0)
    profiled.repo.close()
    monkeypatch.setattr(commands, "CLOCK", lambda: NOW)
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
