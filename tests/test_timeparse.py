from datetime import date, datetime

import pytest
from hypothesis import given
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
