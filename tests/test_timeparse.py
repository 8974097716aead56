from datetime import date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from bonecoach.domain.errors import InputError
from bonecoach.domain.timeparse import default_meal_for, parse_date, parse_when

NOW = datetime(2026, 11, 25, 14, 37, 12)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", datetime(2026, 11, 25, 14, 37)),
        ("now", datetime(2026, 11, 25, 14, 37)),
        ("8am", datetime(2026, 11, 25, 8, 0)),
        ("8:15 pm", datetime(2026, 11, 25, 20, 15)),
        ("19:30", datetime(2026, 11, 25, 19, 30)),
        ("yesterday 19:30", datetime(2026, 11, 24, 19, 30)),
        ("Yesterday 7am", datetime(2026, 11, 24, 7, 0)),
        ("yesterday", datetime(2026, 11, 24, 14, 37)),
        ("today 6:05", datetime(2026, 11, 25, 6, 5)),
        ("2h ago", datetime(2026, 11, 25, 12, 37)),
        ("30 min ago", datetime(2026, 11, 25, 14, 7)),
        ("2026-11-24T08:00", datetime(2026, 11, 24, 8, 0)),
        ("2026-11-20 12:00", datetime(2026, 11, 20, 12, 0)),
    ],
)
def test_times_people_type(text: str, expected: datetime) -> None:
    assert parse_when(text, NOW) == expected


@pytest.mark.parametrize(
    "text", ["tomorrow 8am", "2026-12-01 08:00", "1999-01-01 10:00", "banana", "25:99", "8am" * 30, "8\x00am"]
)
def test_refused_with_a_message(text: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_when(text, NOW)
    assert str(caught.value)


def test_later_today_is_allowed_for_a_meal_about_to_be_eaten() -> None:
    assert parse_when("23:30", NOW) == datetime(2026, 11, 25, 23, 30)


@pytest.mark.parametrize("text", ["t", "T", "tt", " T "])
def test_a_lone_t_is_refused_with_a_message(text: str) -> None:
    # The impossible-date wording split the text at "t" and read its first word: none here.
    with pytest.raises(InputError):
        parse_when(text, NOW)


@given(st.text(max_size=80))
def test_any_text_either_parses_or_says_why(text: str) -> None:
    try:
        value = parse_when(text, NOW)
    except InputError as exc:
        assert str(exc)
    else:
        assert datetime(2000, 1, 1) <= value < datetime(2026, 11, 26)


def test_dates() -> None:
    today = date(2026, 11, 25)
    assert parse_date(None, today) == today
    assert parse_date("yesterday", today) == date(2026, 11, 24)
    assert parse_date("2026-01-31", today) == date(2026, 1, 31)
    with pytest.raises(InputError):
        parse_date("not a day", today)


@pytest.mark.parametrize(
    ("hour", "meal"), [(7, "breakfast"), (12, "lunch"), (16, "snack"), (19, "dinner"), (23, "snack")]
)
def test_default_meal_by_time(hour: int, meal: str) -> None:
    assert default_meal_for(datetime(2026, 1, 1, hour)) == meal


# -- changes of the clocks (issue 37 item 10): real hours, times that did not happen -------------------

NEW_YORK = "America/New_York"
ZONES = ["America/New_York", "Europe/London", "Australia/Lord_Howe", "Asia/Kolkata", "UTC"]


def test_hours_ago_across_the_spring_change_are_real_hours() -> None:
    from dateutil import tz

    zone = tz.gettz(NEW_YORK)
    now = datetime(2026, 3, 8, 3, 30)  # EDT: the clocks went from 02:00 to 03:00 an hour and a half ago
    assert parse_when("2h ago", now, zone=zone) == datetime(2026, 3, 8, 0, 30)
    assert parse_when("2h ago", now) == datetime(2026, 3, 8, 1, 30)  # without a zone: wall-clock time


def test_a_time_the_clocks_skipped_is_refused_with_the_time_meant() -> None:
    from dateutil import tz

    zone = tz.gettz(NEW_YORK)
    with pytest.raises(InputError, match=r"did not happen here.*03:30"):
        parse_when("02:30", datetime(2026, 3, 8, 9, 0), zone=zone)
    assert parse_when("01:30", datetime(2026, 11, 1, 9, 0), zone=zone) == datetime(2026, 11, 1, 1, 30)  # twice: first


@settings(max_examples=300, deadline=None)
@given(
    zone_name=st.sampled_from(ZONES),
    now=st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2030, 12, 31)),
    minutes=st.integers(0, 48 * 60),
)
def test_an_interval_ago_is_that_much_real_time_before_now(zone_name: str, now: datetime, minutes: int) -> None:
    from datetime import UTC

    from dateutil import tz

    zone = tz.gettz(zone_name)
    now = now.replace(second=0, microsecond=0)
    assume(tz.datetime_exists(now, zone) and not tz.datetime_ambiguous(now, zone))
    found = parse_when(f"{minutes} min ago", now, zone=zone)
    # A wall-clock time the autumn change makes happen twice is stored without saying which
    # (entries keep local time): either reading must be exact.
    readings = {now.replace(tzinfo=zone).astimezone(UTC) - found.replace(tzinfo=zone, fold=fold).astimezone(UTC)
                for fold in (0, 1)}  # fmt: skip
    assert timedelta(minutes=minutes) in readings


def test_the_log_refuses_a_skipped_time_and_counts_real_hours_in_the_local_zone(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from dateutil import tz

    from bonecoach.services.coach import Coach
    from bonecoach.storage.repository import Repository

    repo = Repository(tmp_path / "db")
    coach = Coach(repo, clock=lambda: datetime(2026, 3, 8, 3, 30), zone=tz.gettz(NEW_YORK))
    with pytest.raises(InputError, match="did not happen"):
        coach.log_food("01077", grams=100, at="2:30")
    entry = coach.log_food("01077", grams=100, at="2h ago")
    assert entry.at == datetime(2026, 3, 8, 0, 30)
    repo.close()


def test_timing_windows_across_the_spring_change_are_real_durations(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Issue 37 item 10: levothyroxine at 01:30 and calcium at 05:45 on 8 March 2026 in New York are
    3 h 15 min apart (the clocks skipped 02:00-03:00): a conflict, with a fix on the clock read."""
    from dateutil import tz

    from bonecoach.services.coach import Coach
    from bonecoach.storage.repository import Repository

    repo = Repository(tmp_path / "db")
    coach = Coach(repo, clock=lambda: datetime(2026, 3, 8, 20, 0), zone=tz.gettz(NEW_YORK))
    coach.set_profile("female", date(1958, 3, 2))
    tablet = coach.log_medication("levothyroxine", at="01:30")
    coach.log_supplement("calcium-citrate-315", at="05:45")
    found = [c for c in coach.day(date(2026, 3, 8)).conflicts if tablet.id in c.entries]
    assert found, "no conflict: the clock's 4 h 15 min was taken for the time that passed"
    assert "01:30" in found[0].message and "05:45" in found[0].message, found[0].message  # the clock read
    assert found[0].move_to is not None and found[0].move_to >= datetime(2026, 3, 8, 6, 30), found[0].move_to
    # An ordinary day keeps the clock: the same gap a week later is 4 h 15 min, and fine.
    later = Coach(repo, clock=lambda: datetime(2026, 3, 15, 20, 0), zone=tz.gettz(NEW_YORK))
    tablet = later.log_medication("levothyroxine", at="01:30")
    later.log_supplement("calcium-citrate-315", at="05:45")
    assert not [c for c in later.day(date(2026, 3, 15)).conflicts if tablet.id in c.entries]
    repo.close()


CHANGE_DAYS = [date(2026, 3, 8), date(2026, 11, 1), date(2026, 3, 29), date(2026, 10, 25), date(2026, 4, 5),
               date(2026, 10, 4)]  # New York, London, Lord Howe (half an hour) in 2026  # fmt: skip


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    zone_name=st.sampled_from(ZONES),
    day=st.one_of(st.sampled_from(CHANGE_DAYS), st.dates(min_value=date(2026, 1, 1), max_value=date(2026, 12, 31))),
    tablet=st.integers(0, 23 * 60),
    gap=st.integers(0, 8 * 60),
)
def test_windows_are_real_time_gaps_on_any_day_in_any_zone(  # type: ignore[no-untyped-def]
    coach, zone_name: str, day: date, tablet: int, gap: int
) -> None:
    """The levothyroxine-calcium window holds exactly when the real time between them is under 4 h,
    whatever the clocks did that day; on a day they did nothing, the zone changes nothing."""
    from datetime import UTC

    from dateutil import tz

    from bonecoach.domain.day import medication_entry, supplement_entry

    zone = tz.gettz(zone_name)
    first = datetime.combine(day, datetime.min.time()) + timedelta(minutes=tablet)
    real = first.replace(tzinfo=zone).astimezone(UTC) + timedelta(minutes=gap)
    second = real.astimezone(zone).replace(tzinfo=None)
    assume(tz.datetime_exists(first, zone) and not tz.datetime_ambiguous(first, zone))
    assume(not tz.datetime_ambiguous(second, zone) and second.date() == day)
    medicine = medication_entry("m", coach.resolve_medication("levothyroxine"), first)
    calcium = supplement_entry("c", coach.resolve_supplement("calcium-citrate-315"), 1.0, second)
    checker = coach.checker
    with_zone = {c.rule for c in checker.check_day(day, [medicine, calcium], {}, fixes=False, zone=zone)}
    assert ("levothyroxine-calcium-separation" in with_zone) == (gap < 240), (first, second, gap, with_zone)
    if zone.utcoffset(first) == zone.utcoffset(second):
        assert with_zone == {c.rule for c in checker.check_day(day, [medicine, calcium], {}, fixes=False)}


def test_an_entry_keeps_its_offset_and_windows_use_it_wherever_the_person_is_now(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Times stored with their UTC offset: logged in New York on the spring change, checked later
    from London (or with a zone that never changes), the time that passed is still 3 h 15 min."""
    from dateutil import tz

    from bonecoach.services.coach import Coach
    from bonecoach.storage.repository import Repository

    repo = Repository(tmp_path / "db")
    logged_in = Coach(repo, clock=lambda: datetime(2026, 3, 8, 20, 0), zone=tz.gettz(NEW_YORK))
    logged_in.set_profile("female", date(1958, 3, 2))
    tablet = logged_in.log_medication("levothyroxine", at="01:30")
    calcium = logged_in.log_supplement("calcium-citrate-315", at="05:45")
    stored = {e.id: e.utc_offset_minutes for e in repo.entries_on(date(2026, 3, 8))}
    assert stored == {tablet.id: -300, calcium.id: -240}
    for elsewhere in ("Europe/London", "UTC"):
        now = Coach(repo, clock=lambda: datetime(2026, 3, 20, 9, 0), zone=tz.gettz(elsewhere))
        assert [c for c in now.day(date(2026, 3, 8)).conflicts if tablet.id in c.entries], elsewhere
    repo.close()
