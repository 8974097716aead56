"""Medicines that are not a daily tablet: every 6 months, yearly, a monthly course, self-injections."""

from __future__ import annotations

from datetime import date, datetime

from hypothesis import HealthCheck, event, given, settings
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


def _dose_notes(coach: Coach, day: date) -> list[str]:
    return [n for n in coach.reminders(day) if "Denosumab" in n or "Zoledronic" in n or "Ibandronate" in n]


def test_a_start_more_than_one_interval_back_is_overdue_since_the_first_missed_dose(profiled: Coach) -> None:
    """The last injection 01 May 2025 and none since: overdue since 01 Nov 2025, not "since 01 Nov
    2026" (the schedule's latest due day, which hid a year of it)."""
    profiled.add_to_regimen("medication", "Prolia", start=date(2025, 5, 1))
    assert _dose_notes(profiled, date(2026, 11, 25)) == [
        "Denosumab (injection) overdue since 01 Nov 2025: not logged since; call your clinic if it was missed"
    ]


def test_a_logged_injection_is_the_last_dose_the_schedule_counts_from(profiled: Coach) -> None:
    """Prolia added today (the default start) by someone whose last logged injection was 8 months
    ago: overdue since 6 months after it, not "due today"; and today's plan does not list it as
    an ordinary dose of the day."""
    profiled.log_medication("denosumab", at=datetime(2026, 3, 20, 10))
    profiled.add_to_regimen("medication", "Prolia")  # start: today, 25 Nov 2026
    assert _dose_notes(profiled, date(2026, 11, 25)) == [
        "Denosumab (injection) overdue since 20 Sep 2026: not logged since; call your clinic if it was missed"
    ]
    assert all(item.ref != "denosumab" for item in profiled.plan(date(2026, 11, 25)).items)


def test_a_late_injection_moves_the_next_six_months_on(profiled: Coach) -> None:
    """Due 01 Nov 2026, given 20 Nov: the next is due 20 May 2027 (six months from the last
    injection), so on 10 May 2027 it is said ahead, not overdue since 01 May."""
    profiled.add_to_regimen("medication", "Prolia", start=date(2026, 5, 1))
    profiled.log_medication("denosumab", at=datetime(2026, 11, 20, 10))
    assert _dose_notes(profiled, date(2027, 5, 10)) == ["Denosumab (injection) due 20 May 2027"]
    assert any(item.ref == "denosumab" for item in profiled.plan(date(2027, 5, 20)).items)
    assert all(item.ref != "denosumab" for item in profiled.plan(date(2027, 5, 1)).items)


def _months_later(day: date, months: int) -> date:
    from dateutil.relativedelta import relativedelta

    return day + relativedelta(months=months)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    medicine=st.sampled_from([("denosumab", 6), ("zoledronic-acid", 12)]),
    start_back=st.integers(0, 900),
    doses_back=st.lists(st.integers(0, 700), max_size=3, unique=True),
)
def test_an_injection_months_apart_is_due_that_long_after_the_last_dose_known(
    profiled: Coach, medicine: tuple[str, int], start_back: int, doses_back: list[int]
) -> None:
    """Over generated starts and logged doses: the reminder says the day N months after the latest
    dose known (a logged one within 13 months or two intervals, or a start that has passed), "overdue since"
    it once it has passed, "due" within 30 days; with no dose known, the start is the first due
    day. Each example starts from an empty history."""
    from datetime import timedelta

    ref, months = medicine
    day = date(2026, 11, 25)
    for entry in profiled.repo.entries_between(day - timedelta(days=1000), day):
        profiled.repo.delete_entry(entry.id)
    for item in profiled.regimen().items:  # each example from an empty regimen too
        profiled.remove_from_regimen(item.ref)
    start = day - timedelta(days=start_back)
    profiled.add_to_regimen("medication", ref, start=start)
    for back in doses_back:
        profiled.log_medication(
            ref, at=datetime.combine(day - timedelta(days=back), datetime.min.time()).replace(hour=9)
        )
    window = _months_later(date(day.year, day.month, 1), -max(13, 2 * months + 1))
    logged = [day - timedelta(days=b) for b in doses_back if day - timedelta(days=b) >= window]
    known = logged + ([start] if start < day else [])
    due = _months_later(max(known), months) if known else start
    name = {"denosumab": "Denosumab (injection)", "zoledronic-acid": "Zoledronic acid (infusion)"}[ref]
    notes = [n for n in profiled.reminders(day) if n.startswith(name)]
    event("overdue" if due < day else "due soon" if due <= day + timedelta(days=30) else "not yet")
    if due < day:
        assert notes == [f"{name} overdue since {due:%d %b %Y}: not logged since; call your clinic if it was missed"]
    elif due <= day + timedelta(days=30):
        assert notes == [f"{name} due {due:%d %b %Y}"]
    else:
        assert notes == []


def test_a_monthly_dose_keeps_its_day_and_is_overdue_since_the_first_one_missed(profiled: Coach) -> None:
    """Evenity monthly on the 15th, last logged 15 Jun: overdue since 15 Jul (was "since 15 Nov");
    a dose ten days early counts for its day, so the next is the month after."""
    from bonecoach.domain.regimen import first_due_after, last_known_dose

    item = profiled.add_to_regimen("medication", "Evenity", start=date(2026, 1, 15))
    day = date(2026, 11, 25)
    assert first_due_after(item, last_known_dose(item, date(2026, 6, 15), day), day) == date(2026, 7, 15)
    assert first_due_after(item, date(2026, 11, 5), day) == date(2026, 12, 15)
    assert first_due_after(item, date(2026, 11, 20), day) == date(2026, 12, 15)  # five days late for the 15th
    profiled.log_medication("romosozumab", at=datetime(2026, 6, 15, 10))
    assert [n for n in profiled.reminders(day) if "Romosozumab" in n] == [
        "Romosozumab (injection) overdue since 15 Jul 2026: not logged since; call your clinic if it was missed"
    ]
