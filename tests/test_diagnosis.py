"""Bone status read for who the person is: WHO categories, Z-scores, fractures, persistence."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bonecoach.domain.bone import Scan, classify, next_scan_due, sessions
from bonecoach.domain.diagnosis import Fracture, assess, treat_to_target, who_categories_apply
from bonecoach.services.coach import Coach
from bonecoach.services.views import status_json


def scan(day: str, site: str, t: float, z: float | None = None, bmd: float | None = None) -> Scan:
    return Scan(id=f"{day}-{site}", date=date.fromisoformat(day), site=site, tscore=t, zscore=z, bmd=bmd)  # type: ignore[arg-type]


def test_a_36_year_old_woman_is_read_by_her_z_score_not_told_osteoporosis() -> None:
    found = assess(sessions([scan("2026-05-01", "lumbar_spine", -2.7, z=-1.4)]), [], "female", 36, None)
    assert found.category is None and found.z_reading == "within the expected range for age"
    assert found.ask_menopause and not found.diagnosed_osteoporosis
    assert any("Z-score" in reason for reason in found.reasons)


def test_a_44_year_old_man_with_z_minus_2_3_is_below_the_expected_range() -> None:
    found = assess(sessions([scan("2026-05-01", "total_hip", -2.2, z=-2.3)]), [], "male", 44, None)
    assert found.category is None and found.z_reading == "below the expected range for age"
    assert not found.ask_menopause


def test_a_postmenopausal_woman_under_50_is_read_by_the_who_categories() -> None:
    found = assess(sessions([scan("2026-05-01", "lumbar_spine", -2.7, z=-1.4)]), [], "female", 47, True)
    assert found.category == "osteoporosis" and not found.ask_menopause


def test_a_vertebral_fracture_diagnoses_osteoporosis_whatever_the_t_score() -> None:
    spine = Fracture(id="f", site="spine", date=date(2025, 3, 1), low_trauma=True)
    found = assess(sessions([scan("2026-05-01", "total_hip", -1.8)]), [spine], "female", 72, None)
    assert found.category == "osteoporosis" and found.diagnosed_osteoporosis
    due = next_scan_due([scan("2026-05-01", "total_hip", -1.8)], False, "female", 72, axial_fracture=True)
    assert due.due == date(2027, 5, 1) and "fracture" in due.why  # not Gourlay's 5 years (2031)


def test_a_wrist_fracture_diagnoses_only_with_low_bone_mass_and_a_high_trauma_one_never() -> None:
    wrist = Fracture(id="w", site="wrist", date=date(2025, 3, 1), low_trauma=True)
    assert (
        assess(sessions([scan("2026-05-01", "total_hip", -1.8)]), [wrist], "female", 66, None).category
        == "osteoporosis"
    )
    assert assess(sessions([scan("2026-05-01", "total_hip", -0.5)]), [wrist], "female", 66, None).category == "normal"
    crash = Fracture(id="c", site="hip", date=date(2025, 3, 1), low_trauma=False)
    assert (
        assess(sessions([scan("2026-05-01", "total_hip", -1.8)]), [crash], "female", 66, None).category == "osteopenia"
    )


def test_a_diagnosis_persists_when_the_t_score_crosses_back_within_the_lsc() -> None:
    # Spine -2.6 then -2.4, a change the app itself calls no measurable change: still osteoporosis.
    scans = [scan("2024-01-01", "lumbar_spine", -2.6, bmd=0.800), scan("2026-01-01", "lumbar_spine", -2.4, bmd=0.810)]
    found = assess(sessions(scans), [], "female", 66, None)
    assert found.category == "osteoporosis" and found.milestone is not None and "milestone" in found.milestone


def test_a_forearm_only_result_is_the_latest_scan(profiled: Coach) -> None:
    profiled.add_scan("2026-10-01", "forearm", -2.7)
    status = profiled.bone_status()
    assert status.latest_tscore == -2.7 and status.latest_site == "forearm"
    assert status.category == "osteoporosis" and any("forearm" in reason for reason in status.assessment.reasons)


def test_status_json_documents_the_reading(profiled: Coach) -> None:
    profiled.set_profile(birth_date=date(1988, 6, 1))  # 38
    profiled.add_scan("2026-10-01", "lumbar_spine", -2.7, zscore=-2.1)
    shown = status_json(profiled.bone_status())
    assert shown["category"] is None and shown["z_reading"] == "below the expected range for age"
    assert shown["ask_postmenopausal"] is True
    profiled.set_profile(postmenopausal=True)
    assert status_json(profiled.bone_status())["category"] == "osteoporosis"


def test_fractures_are_records_that_change_the_status(profiled: Coach) -> None:
    profiled.add_scan("2026-10-01", "total_hip", -1.8)
    assert profiled.bone_status().category == "osteopenia"
    fracture = profiled.add_fracture("spine", "2025-02-01", low_trauma=True)
    status = profiled.bone_status()
    assert status.category == "osteoporosis" and status.fractures == [fracture]
    assert status_json(status)["fractures"][0]["site"] == "spine"
    removed = profiled.delete_fracture(fracture.id)
    assert profiled.bone_status().category == "osteopenia"
    profiled.restore_fracture(removed)
    assert profiled.fractures() == [fracture]


def test_treat_to_target_and_the_review_date_on_a_bisphosphonate(profiled: Coach) -> None:
    profiled.add_to_regimen("medication", "alendronate", frequency="weekly", start=date(2022, 3, 1))
    profiled.add_scan("2026-10-01", "total_hip", -2.8)
    profiled.add_scan("2026-10-01", "lumbar_spine", -2.1)
    status = profiled.bone_status()
    assert status.treat_to_target == {"total_hip": -0.3, "lumbar_spine": 0.4}
    assert status.treatment_review == [("Alendronate (immediate release)", date(2027, 3, 1))]
    shown = status_json(status)
    assert {"site": "total_hip", "tscore": -2.8, "distance": -0.3, "met": False} in shown["treat_to_target"]


@pytest.mark.parametrize(("sex", "age", "post", "applies"), [
    ("male", 49, None, False), ("male", 50, None, True), ("female", 49, None, False), ("female", 49, True, True),
    ("female", 55, None, True), ("female", 55, False, False),
])  # fmt: skip
def test_who_the_who_categories_apply_to(sex: str, age: int, post: bool | None, applies: bool) -> None:
    assert who_categories_apply(sex, age, post) is applies


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 3000), st.sampled_from(["lumbar_spine", "total_hip", "femoral_neck"]),
                       st.integers(-40, 10)), min_size=1, max_size=8),
    st.sampled_from(["female", "male"]), st.integers(50, 95),
    st.lists(st.tuples(st.sampled_from(["spine", "hip", "wrist", "rib", "ankle"]), st.sampled_from([True, False, None])),
             max_size=3),
)  # fmt: skip
def test_a_diagnosis_never_goes_below_what_the_scans_and_fractures_say(
    raw: list[tuple[int, str, int]], sex: str, age: int, broken: list[tuple[str, bool | None]]
) -> None:
    from datetime import timedelta

    scans = [scan((date(2015, 1, 1) + timedelta(days=d)).isoformat(), site, t / 10) for d, site, t in raw]
    fractures = [Fracture(id=f"f{n}", site=site, date=date(2014, 1, 1), low_trauma=low) for n, (site, low) in  # type: ignore[arg-type]
                 enumerate(broken)]  # fmt: skip
    visits = sessions(scans)
    found = assess(visits, fractures, sex, age, None)
    order = {"normal": 0, "osteopenia": 1, "osteoporosis": 2}
    latest = visits[-1].lowest
    assert latest is not None and found.category is not None
    assert order[found.category] >= order[classify(latest.tscore)]  # never milder than the latest scan
    if any(v.lowest is not None and v.lowest.tscore <= -2.5 for v in visits):
        assert found.category == "osteoporosis"  # once diagnosed, it persists
    if any(site in ("spine", "hip") and low is not False for site, low in broken):
        assert found.category == "osteoporosis"
    assert set(treat_to_target(visits[-1])) <= {"lumbar_spine", "total_hip", "femoral_neck"}


@pytest.fixture
def run(db_dir, capsys, monkeypatch):  # type: ignore[no-untyped-def]
    from bonecoach.cli import context
    from bonecoach.cli.main import main
    from tests.conftest import NOW

    monkeypatch.setattr(context, "CLOCK", lambda: NOW)

    def invoke(*args: str) -> tuple[int, str, str]:
        code = main(["--db", str(db_dir), *args])
        out, err = capsys.readouterr()
        return code, out, err

    return invoke


def test_the_reviewed_cases_from_the_command_line(run) -> None:  # type: ignore[no-untyped-def]
    import json

    # 1. A woman of 36 with T -2.7 and Z -1.4: not "osteoporosis ... talk about treatment".
    run("profile", "set", "--sex", "female", "--birth-date", "1990-01-15")
    run("scan", "add", "--date", "2026-10-01", "--site", "lumbar_spine", "--tscore", "-2.7", "--zscore", "-1.4")
    status = json.loads(run("status", "--json")[1])
    assert status["category"] != "osteoporosis"
    assert "treatment" not in status["next_scan_why"]
    # 2. A woman of 72 with a vertebral fracture and a hip T-score of -1.8: osteoporosis, scanned yearly.
    run("profile", "set", "--birth-date", "1954-03-01", "--vertebral-fractures", "1")
    run("scan", "add", "--date", "2026-10-02", "--site", "total_hip", "--tscore", "-1.8")
    status = json.loads(run("status", "--json")[1])
    assert status["category"] == "osteoporosis" and status["next_scan_due"] == "2027-10-02"


def test_a_forearm_only_result_is_shown_as_the_latest_scan(run) -> None:  # type: ignore[no-untyped-def]
    run("profile", "set", "--sex", "male", "--birth-date", "1950-01-15")
    run("scan", "add", "--date", "2026-10-01", "--site", "forearm", "--tscore", "-2.0")
    out = run("status")[1]
    assert "No T-score yet" not in out and "-2.0" in out and "forearm" in out


def test_the_report_carries_the_reading_treat_to_target_and_review(profiled: Coach) -> None:
    from bonecoach.services.reporting import clinician_report, render_report

    profiled.add_to_regimen("medication", "alendronate", frequency="weekly", start=date(2022, 3, 1))
    profiled.add_scan("2026-10-01", "total_hip", -2.8)
    profiled.add_fracture("spine", "2025-01-01", low_trauma=True)
    text = render_report(clinician_report(profiled, date(2026, 11, 1), date(2026, 11, 25)), "md")
    assert "Treat-to-target" in text and "total hip -2.8 (0.3 below -2.5)" in text
    assert "discuss a treatment review with your clinician from Mar 2027" in text and "not advice to stop" in text
    assert "spine (vertebra), Jan 2025, low trauma" in text


_TSCORES = st.floats(-4.0, 1.0).map(lambda t: round(t, 1))


@settings(max_examples=150, deadline=None)
@given(
    sites=st.dictionaries(
        st.sampled_from(["lumbar_spine", "femoral_neck", "total_hip"]),
        st.tuples(_TSCORES, st.none() | _TSCORES),
        min_size=1,
    ),
    sex_age=st.sampled_from([("male", 44), ("female", 36)]),
)
def test_under_50_the_lowest_t_score_is_still_the_lowest_and_a_site_without_z_is_named(
    sites: dict[str, tuple[float, float | None]], sex_age: tuple[str, int]
) -> None:
    """A 41-year-old man, spine T -1.2 / Z -1.0 and hip T -2.6 with no Z: the status said "lowest
    T-score -1.2 at the lumbar spine" (the scan the Z reading rested on), and the exercise plan read
    -1.2; the hip went unmentioned. The lowest T-score of hip and spine is what exercise safety
    reads, whatever the reading; a site without its Z-score is named as left out."""
    scans = [scan("2026-05-01", site, t, z=z) for site, (t, z) in sites.items()]
    found = assess(sessions(scans), [], *sex_age, None)
    assert found.lowest is not None and found.lowest.tscore == min(t for t, _ in sites.values())
    unread = [site for site, (_, z) in sites.items() if z is None]
    named = " ".join(r for r in found.reasons if r.startswith("No Z-score recorded for the "))
    if unread and len(unread) < len(sites):
        assert all(site.replace("_", " ") in named for site in unread), (found.reasons, unread)
    else:
        assert named == ""


def test_the_exercise_plan_reads_the_lowest_t_score_under_50_and_says_how(profiled: Coach) -> None:
    profiled.set_profile("male", date(1985, 3, 3))
    profiled.add_scan_as_typed("2026-10-01", "lumbar_spine", "-1.2", zscore="-1.0")
    profiled.add_scan_as_typed("2026-10-20", "total_hip", "-2.6")
    status = profiled.bone_status()
    assert (status.latest_tscore, status.latest_site) == (-2.6, "total_hip")
    plan = profiled.exercise_plan(date(2026, 11, 25))
    assert plan.risk.level == "osteoporosis"
    assert any("here they only keep exercise on the safe side" in reason for reason in plan.risk.reasons)
