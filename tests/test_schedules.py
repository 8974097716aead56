"""Medicines that are not a daily tablet: every 6 months, yearly, a monthly course, self-injections."""

from __future__ import annotations

from datetime import date, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from bonecoach.domain.planner import RegimenItem
from bonecoach.services.coach import Coach
from bonecoach.services.views import week_json


def test_prolia_is_every_6_months_by_default_and_is_not_due_daily(profiled: Coach) -> None:
    item = profiled.add_to_regimen("medication", "Prolia", start=date(2026, 6, 12))
    assert item.frequency == "every-6-months" and item.describe().startswith("every 6 months")
    assert item.due_on(date(2026, 12, 12)) and not item.due_on(date(2026, 12, 13))
    assert not item.due_on(date(2026, 9, 12))
    week = week_json(profiled.week(date(2026, 11, 23)))
    assert week["summary"]["medication"]["due"] == 0  # not "due, not taken" every day
    assert all(i.ref != "denosumab" for i in profiled.plan(date(2026, 11, 25)).items)


def test_a_coming_injection_is_reminded_ahead_and_an_overdue_one_said_plainly(profiled: Coach) -> None:
    profiled.add_to_regimen("medication", "denosumab", start=date(2026, 6, 12))  # next: 12 Dec 2026
    assert "Denosumab (injection) due 12 Dec 2026" in profiled.reminders()
    profiled.add_to_regimen("medication", "denosumab", start=date(2026, 5, 1))  # due 01 Nov 2026, not logged
    (note,) = [n for n in profiled.reminders() if "Denosumab" in n]
    assert note.startswith("Denosumab (injection) overdue since 01 Nov 2026")
    profiled.log_medication("denosumab", at=datetime(2026, 11, 3, 10))
    assert not any("overdue" in n for n in profiled.reminders())


def test_reclast_is_yearly_and_evenity_a_12_month_course(profiled: Coach) -> None:
    reclast = profiled.add_to_regimen("medication", "Reclast", start=date(2026, 3, 1))
    assert reclast.frequency == "yearly" and reclast.due_on(date(2027, 3, 1)) and not reclast.due_on(date(2026, 9, 1))
    evenity = profiled.add_to_regimen("medication", "Evenity", start=date(2026, 1, 15))
    assert evenity.frequency == "monthly" and evenity.until == date(2027, 1, 14)
    assert evenity.due_on(date(2026, 12, 15)) and not evenity.due_on(date(2027, 1, 15))


def test_teriparatide_is_a_daily_self_injection(profiled: Coach) -> None:
    medicine = profiled.resolve_medication("Forteo")
    assert "self-injection" in medicine.name and "give yourself" in medicine.advice
    assert profiled.add_to_regimen("medication", "Forteo").frequency == "daily"


@settings(max_examples=200, deadline=None)
@given(st.dates(date(2020, 1, 1), date(2030, 12, 31)), st.sampled_from(["every-6-months", "yearly", "monthly"]),
       st.integers(0, 800))  # fmt: skip
def test_a_months_apart_schedule_falls_on_its_day_and_the_next_is_found(
    start: date, frequency: str, offset: int
) -> None:
    from datetime import timedelta

    from dateutil.relativedelta import relativedelta

    item = RegimenItem(kind="medication", ref="denosumab", frequency=frequency, start=start)  # type: ignore[arg-type]
    day = start + timedelta(days=offset)
    step = {"monthly": 1, "every-6-months": 6, "yearly": 12}[frequency]
    expected = any(start + relativedelta(months=step * k) == day for k in range(0, 40))
    assert item.due_on(day) is expected
    following = item.next_due(day)
    assert following is not None and following >= day and item.due_on(following)
    assert not any(item.due_on(day + timedelta(days=n)) for n in range((following - day).days))


def test_the_planner_says_what_it_moved_and_why(profiled: Coach) -> None:
    # A daily levothyroxine was moved from waking to 22:30 in silence.
    profiled.add_to_regimen("medication", "levothyroxine")
    (levo,) = [i for i in profiled.plan(date(2026, 11, 25)).items if i.ref == "levothyroxine"]
    if levo.at.time() != profiled.regimen().times.wake:
        assert levo.note.startswith("Moved from 06:30 (on waking)")
        assert "calcium" in levo.note.lower() and "clinician may prefer another arrangement" in levo.note


def test_a_pinned_time_is_kept_and_its_conflict_shown_not_solved(profiled: Coach) -> None:
    from datetime import time

    profiled.schedule("medication", "levothyroxine", "1", None, at="06:30")
    plan = profiled.plan(date(2026, 11, 25))
    (levo,) = [i for i in plan.items if i.ref == "levothyroxine"]
    assert levo.at.time() == time(6, 30)
    assert any("pinned time" in w and "Levothyroxine" in w for w in plan.warnings)
    assert plan.unplaced == []


def test_an_injection_is_listed_on_its_day_and_plan_day_does_not_fail(profiled: Coach) -> None:
    profiled.add_to_regimen("medication", "Forteo")
    plan = profiled.plan(date(2026, 11, 25))
    assert plan.unplaced == [] and any(i.ref == "teriparatide" for i in plan.items)


def test_next_up_and_next_remind_ahead_and_say_overdue(profiled: Coach, db_dir, capsys, monkeypatch) -> None:
    from bonecoach.cli import next_command
    from bonecoach.cli.main import main
    from bonecoach.domain.next_up import status

    profiled.add_to_regimen("medication", "Prolia", start=date(2026, 5, 1))  # due 01 Nov 2026: not logged
    (note,) = [i for i in profiled.next_up(date(2026, 11, 25)) if i.reminder]
    assert note.reminder.startswith("Denosumab (injection) overdue since 01 Nov 2026")
    assert status(note, datetime(2026, 11, 25, 9).time()) == "remind"
    profiled.repo.close()
    monkeypatch.setattr(next_command, "CLOCK", lambda: datetime(2026, 11, 25, 9, 0))
    assert main(["--db", str(db_dir), "next"]) == 0
    assert "note  Denosumab (injection) overdue since 01 Nov 2026" in capsys.readouterr().out
