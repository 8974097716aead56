"""Bone status through the app and the command line: onboarding, scans, labs, status, regimen."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, Select, SelectionList, Static

from bonecoach.domain.planner import RegimenItem
from bonecoach.services.coach import Coach
from bonecoach.tui.app import make_app
from bonecoach.tui.screens.profile import ProfileScreen
from bonecoach.tui.screens.records import ScanForm
from tests.conftest import snapshot_files

SIZE = (80, 24)


async def fill_onboarding(app, **values: str) -> None:  # type: ignore[no-untyped-def]
    screen = app.screen
    screen.query_one("#sex", Select).value = values.get("sex", "female")
    for field, widget_id in (("birth", "#birth-date"), ("scan", "#scan-date"), ("spine", "#t-lumbar_spine"),
                             ("hip", "#t-total_hip"), ("falls", "#falls"), ("vertebral", "#vertebral")):  # fmt: skip
        if field in values:
            screen.query_one(widget_id, Input).value = values[field]


async def test_onboarding_asks_everything_and_saves_it(coach: Coach) -> None:
    app = make_app(coach)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ProfileScreen)
        await fill_onboarding(
            app, birth="1955-06-01", scan="2026-10-01", spine="-2.7", hip="-2.1", falls="1", vertebral="0"
        )
        app.screen.query_one("#impact", Select).value = "no"
        medicines = app.screen.query_one("#medications", SelectionList)
        medicines.select("alendronate")
        medicines.select("levothyroxine")
        app.screen.query_one("#save-profile").press()
        await pilot.pause()
        assert not isinstance(app.screen, ProfileScreen)
    profile = coach.profile()
    assert (
        profile is not None
        and profile.falls_last_year == 1
        and profile.impact_cleared is False
        and profile.vertebral_fractures == 0
    )
    assert {(s.site, s.tscore) for s in coach.repo.scans()} == {("lumbar_spine", -2.7), ("total_hip", -2.1)}
    regimen = {item.ref: item.frequency for item in coach.regimen().items}
    assert regimen == {"alendronate": "weekly", "levothyroxine": "daily"}
    assert coach.bone_status().category == "osteoporosis"


@pytest.mark.parametrize(
    ("values", "message", "field"),
    [
        ({"birth": "1955-06-01", "scan": "2026-10-01", "spine": "-7"}, "outside -6 to +4", "t-lumbar_spine"),
        ({"birth": "1955-06-01", "scan": "2026-10-01", "hip": "4.5"}, "outside -6 to +4", "t-total_hip"),
        ({"birth": "1955-06-01", "scan": "2027-01-01", "spine": "-2"}, "in the future", "scan-date"),
        ({"birth": "2013-01-01"}, "ages 14 and over", "birth-date"),
        ({"birth": "1890-01-01"}, "check the year", "birth-date"),
        ({"birth": "1961-02-29"}, "there is no 29 February 1961", "birth-date"),
        ({"birth": "1955-06-01", "spine": "-2"}, "date of the scan", "scan-date"),
        ({"birth": "1955-06-01", "falls": "many"}, "whole number", "falls"),
        ({"birth": "1955-06-01", "vertebral": "-1"}, "whole number", "vertebral"),
    ],
)
async def test_onboarding_refuses_with_a_clear_message_and_saves_nothing(
    coach: Coach, db_dir: Path, values: dict[str, str], message: str, field: str
) -> None:
    before = snapshot_files(db_dir)
    app = make_app(coach)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await fill_onboarding(app, **values)
        app.screen.query_one("#save-profile").press()
        await pilot.pause()
        assert isinstance(app.screen, ProfileScreen)
        # Beside the field at fault, on screen, with the cursor in that field.
        error = app.screen.query_one(f"#{field}-error", Static)
        assert message in str(error.render()) and error.display and error.has_class("-shown")
        assert app.focused is app.screen.query_one(f"#{field}") and app.focused.has_class("-invalid")
        await pilot.pause(0.2)
        form = app.screen.query_one("#profile-form")
        assert error.region.y >= form.region.y and error.region.bottom <= form.region.bottom
        assert [e.id for e in app.screen.query(".field-error.-shown")] == [f"{field}-error"]
    assert snapshot_files(db_dir) == before


async def test_add_a_scan_in_the_bone_pane(profiled: Coach) -> None:
    profiled.add_scan("2024-11-01", "lumbar_spine", -2.7, bmd=0.80)
    app = make_app(profiled)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("f5", "n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ScanForm)
        form.query_one("#scan-site", Select).value = "lumbar_spine"
        form.query_one("#scan-date", Input).value = "2026-11-01"
        form.query_one("#scan-tscore", Input).value = "-9"
        form.query_one("#scan-tscore", Input).focus()
        await pilot.press("enter")
        assert "outside -6 to +4" in str(form.query_one("#form-error", Static).render())
        form.query_one("#scan-tscore", Input).value = "-2.2"
        form.query_one("#scan-bmd", Input).value = "0.85"
        form.query_one("#scan-tscore", Input).focus()
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, ScanForm)
        assert app.query_one("#scans", DataTable).row_count == 2
        status = str(app.query_one("#bone-status", Static).render())
        assert "Moved above -2.5 (a milestone: a diagnosis of osteoporosis stays)" in status and "real change" in status
    assert [s.tscore for s in profiled.repo.scans()] == [-2.7, -2.2]


async def test_add_a_vitamin_d_result_in_the_app(profiled: Coach) -> None:
    app = make_app(profiled)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("f5", "l")
        await pilot.pause()
        form = app.screen
        form.query_one("#lab-test", Select).value = "25ohd"
        await pilot.pause()
        offered = [value for _, value in form.query_one("#lab-unit", Select)._options if isinstance(value, str)]
        assert offered == ["ng/mL", "nmol/L"]  # never mg/dL for vitamin D
        form.query_one("#lab-unit", Select).value = "nmol/L"
        form.query_one("#lab-date", Input).value = "2026-11-20"
        form.query_one("#lab-value", Input).value = "75"
        form.query_one("#lab-value", Input).focus()
        await pilot.press("enter")
        await pilot.pause()
        table = app.query_one("#labs", DataTable)
        assert (
            table.row_count == 1 and "30 ng/mL" in str(table.get_row_at(0)[3]) and table.get_row_at(0)[4] == "adequate"
        )
        assert table.get_row_at(0)[1] == "25(OH)D (vitamin D)"


def test_reminder_on_today_when_a_scan_is_due_within_30_days(profiled: Coach) -> None:
    profiled.add_scan(date(2025, 12, 10), "total_hip", -2.6)  # osteoporosis, untreated: due after 1 year
    assert profiled.reminders() == ["DEXA scan due 10 Dec 2026"]
    profiled.add_scan(date(2025, 12, 30), "total_hip", -2.6)
    assert profiled.reminders() == []


def test_regimen_recurrence_and_doses_in_the_week(profiled: Coach) -> None:
    profiled.add_to_regimen("medication", "alendronate", frequency="weekly", weekday=2)  # Wednesdays
    profiled.add_to_regimen("medication", "ibandronate", frequency="monthly", monthday=25)
    wednesday = date(2026, 11, 25)

    def due(day: date) -> set[str]:
        return {item.ref for item in profiled.regimen().items if item.due_on(day)}

    assert due(wednesday) == {"alendronate", "ibandronate"}
    assert due(wednesday + timedelta(days=1)) == set()
    profiled.log_medication("alendronate", at="6:30")
    day = next(d for d in profiled.week(wednesday).days if d.date == wednesday)
    assert (day.doses_due, day.doses_taken) == (2, 1)
    plan = profiled.plan(wednesday + timedelta(days=1))
    assert [i for i in plan.items if i.kind == "medication"] == []  # neither is due on Thursday


def test_every_bone_treatment_in_the_regimen_counts_and_nothing_else(profiled: Coach) -> None:
    # One list of bone drug classes (the domain's): injections and anabolics count as treatment
    # for the scan interval as the oral bisphosphonates do; levothyroxine or iron do not.
    for medication in profiled.medications:
        profiled.add_to_regimen("medication", medication.id)
        expected = medication.drug_class.startswith(("bisphosphonate", "bone-")) or medication.id == "raloxifene"
        assert profiled.on_bone_treatment() is expected, medication.id
        profiled.remove_from_regimen(medication.id)


def test_monthly_on_the_31st_falls_on_short_months_last_day() -> None:
    item = RegimenItem(kind="medication", ref="ibandronate", frequency="monthly", monthday=31, start=date(2026, 1, 1))
    assert item.due_on(date(2026, 2, 28)) and item.due_on(date(2026, 4, 30)) and not item.due_on(date(2026, 4, 29))


def test_status_scan_and_lab_on_the_command_line(
    db_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from bonecoach.cli import context
    from bonecoach.cli.main import main
    from tests.conftest import NOW

    monkeypatch.setattr(context, "CLOCK", lambda: NOW)

    def run(*args: str) -> tuple[int, str, str]:
        code = main(["--db", str(db_dir), *args])
        out, err = capsys.readouterr()
        return code, out, err

    run(
        "profile",
        "set",
        "--sex",
        "female",
        "--birth-date",
        "1955-06-01",
        "--falls-last-year",
        "2",
        "--impact-cleared",
        "no",
    )
    assert (
        run("scan", "add", "--date", "2022-03-01", "--site", "lumbar_spine", "--tscore", "-2.7", "--bmd", "0.80")[0]
        == 0
    )
    assert (
        run("scan", "add", "--date", "2024-03-01", "--site", "lumbar_spine", "--tscore", "-2.2", "--bmd", "0.85")[0]
        == 0
    )
    code, _, err = run("scan", "add", "--date", "2030-01-01", "--site", "total_hip", "--tscore", "-1")
    assert code == 2 and "future" in err
    code, _, err = run("scan", "add", "--date", "2024-01-01", "--site", "elbow", "--tscore", "-1")
    assert code == 2 and "Unknown site" in err
    assert run("lab", "add", "--date", "2026-10-01", "--test", "25ohd", "--value", "45", "--unit", "nmol/L")[0] == 0
    code, _, err = run("lab", "add", "--date", "2026-10-01", "--test", "25ohd", "--value", "45", "--unit", "mg/dL")
    assert code == 2 and "ng/mL or nmol/L" in err
    status = json.loads(run("status", "--json")[1])
    # Osteoporosis diagnosed at -2.7 persists at -2.2 (AACE 2020): the crossing is a milestone.
    assert status["category"] == "osteoporosis" and status["latest_tscore"] == -2.2
    assert "milestone" in status["milestone"]
    assert status["next_scan_due"] == "2025-03-01"  # untreated osteoporosis: 1 year
    assert status["reversal"]["from"] == {"date": "2022-03-01", "tscore": -2.7} and status["reversal"]["real"] is True
    assert (
        status["vitamin_d"]["ng_per_ml"] == pytest.approx(18.0, abs=0.05) and status["vitamin_d"]["band"] == "some risk"
    )
    scans = json.loads(run("scan", "list", "--json")[1])
    assert [s["category"] for s in scans] == ["osteoporosis", "osteopenia"] and scans[1]["change"][
        "beyond_noise"
    ] is True
    profile = json.loads(run("profile", "show", "--json")[1])
    assert profile["falls_last_year"] == 2 and profile["impact_cleared"] is False
    labs = json.loads(run("lab", "list", "--json")[1])
    assert labs[-1]["value"] == 45 and labs[-1]["converted"]["ng_per_ml"] == pytest.approx(18.0, abs=0.05)
    lab_lines = run("lab", "list")[1].splitlines()
    assert lab_lines[-1].endswith("45 nmol/L = 18 ng/mL = 45 nmol/L (some risk)")
    # The command line says what the Bone pane says of a scan's change (one view model).
    scan_lines = run("scan", "list")[1].splitlines()
    assert scan_lines[1].endswith(f"  +{scans[1]['change']['tscore_change']:.1f} T; {scans[1]['change']['note']}")


async def test_edit_and_delete_a_scan_in_the_bone_pane(profiled: Coach) -> None:
    scan = profiled.add_scan("2026-01-10", "total_hip", -2.4)
    profiled.add_scan("2024-01-10", "total_hip", -2.6)
    app = make_app(profiled)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("f5")
        table = app.query_one("#scans", DataTable)
        table.move_cursor(row=0)  # newest first
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ScanForm) and form.query_one("#scan-tscore", Input).value == "-2.4"
        form.query_one("#scan-tscore", Input).value = "-2.3"
        form.query_one("#scan-tscore", Input).focus()
        await pilot.press("enter")
        await pilot.pause()
        assert [s.tscore for s in profiled.repo.scans() if s.id == scan.id] == [-2.3]
        table.move_cursor(row=1)
        before = sorted(s.id for s in profiled.repo.scans())
        await pilot.press("d")  # the first press asks
        await pilot.pause()
        assert sorted(s.id for s in profiled.repo.scans()) == before
        assert any("Press d again" in n.message for n in app._notifications)
        await pilot.press("d")
        await pilot.pause()
        assert [s.id for s in profiled.repo.scans()] == [scan.id]
        await pilot.press("u")  # and undo puts it back as it was
        await pilot.pause()
        assert sorted(s.id for s in profiled.repo.scans()) == before


def test_a_recheck_whose_date_has_passed_reads_overdue_since_everywhere(profiled: Coach, capsys) -> None:
    # "Vitamin D recheck due 03 Nov 2026" was shown on 4 Dec: a passed date reads "overdue since".
    from bonecoach.services.views import status_json

    profiled.add_lab("2025-11-03", "25(OH)D", 32, "ng/mL")  # recheck after 12 months: 03 Nov 2026
    assert "Vitamin D recheck overdue since 03 Nov 2026" in profiled.reminders()
    status = status_json(profiled.bone_status())
    assert status["vitamin_d_recheck"] == "2026-11-03" and status["vitamin_d_recheck_overdue"] is True
    profiled.add_lab("2026-11-20", "25(OH)D", 34, "ng/mL")
    assert not any("overdue" in note for note in profiled.reminders())
    assert status_json(profiled.bone_status())["vitamin_d_recheck_overdue"] is False


async def test_onboarding_asks_for_the_latest_fracture_and_saves_it_as_a_record(coach: Coach) -> None:
    app = make_app(coach)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await fill_onboarding(app, birth="1954-03-01", scan="2026-10-01", hip="-1.8")
        app.screen.query_one("#fracture-site", Select).value = "spine"
        app.screen.query_one("#fracture-date", Input).value = "2025-02-01"
        app.screen.query_one("#fracture-trauma", Select).value = "yes"
        app.screen.query_one("#save-profile").press()
        await pilot.pause()
        assert not isinstance(app.screen, ProfileScreen)
    (fracture,) = coach.fractures()
    assert (fracture.site, fracture.date, fracture.low_trauma) == ("spine", date(2025, 2, 1), True)
    assert coach.bone_status().category == "osteoporosis"  # a vertebral fracture diagnoses it


async def test_a_fracture_without_a_date_is_refused_beside_the_field(coach: Coach, db_dir: Path) -> None:
    before = snapshot_files(db_dir)
    app = make_app(coach)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await fill_onboarding(app, birth="1954-03-01")
        app.screen.query_one("#fracture-site", Select).value = "wrist"
        app.screen.query_one("#save-profile").press()
        await pilot.pause()
        error = app.screen.query_one("#fracture-date-error", Static)
        assert "when the fracture happened" in str(error.render()) and error.has_class("-shown")
    assert snapshot_files(db_dir) == before


async def test_edit_delete_and_undo_a_blood_test_in_the_bone_pane(profiled: Coach) -> None:
    from bonecoach.tui.screens.records import LabForm

    lab = profiled.add_lab("2026-10-01", "25ohd", 22, "ng/mL")
    app = make_app(profiled)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("f5")
        table = app.query_one("#labs", DataTable)
        table.focus()
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, LabForm) and form.query_one("#lab-value", Input).value == "22"
        form.query_one("#lab-value", Input).value = "32"
        form.query_one("#lab-value", Input).focus()
        await pilot.press("enter")
        await pilot.pause()
        assert [(r.id, r.value) for r in profiled.repo.labs()] == [(lab.id, 32)]
        app.query_one("#labs", DataTable).focus()
        await pilot.press("d", "d")
        await pilot.pause()
        assert profiled.repo.labs() == []
        await pilot.press("u")
        await pilot.pause()
        assert [(r.id, r.value) for r in profiled.repo.labs()] == [(lab.id, 32)]


async def test_add_and_clear_a_fracture_in_the_bone_pane(profiled: Coach) -> None:
    from bonecoach.tui.screens.records import FractureForm

    app = make_app(profiled)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("f5", "f")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FractureForm)
        form.query_one("#fracture-site", Select).value = "wrist"
        form.query_one("#fracture-date", Input).value = "2026-10-20"
        form.query_one("#fracture-trauma", Select).value = "yes"
        form.query_one("#fracture-date", Input).focus()
        await pilot.press("enter")
        await pilot.pause()
        assert app.query_one("#fractures", DataTable).row_count == 1
        assert "wall-push-up" in dict(profiled.exercise_plan().excluded)
        app.query_one("#fractures", DataTable).focus()
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one("#fracture-cleared", Select).value = "yes"
        app.screen.query_one("#fracture-date", Input).focus()
        await pilot.press("enter")
        await pilot.pause()
    (fracture,) = profiled.fractures()
    assert fracture.cleared and "wall-push-up" not in dict(profiled.exercise_plan().excluded)
