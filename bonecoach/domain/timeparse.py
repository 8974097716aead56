"""Reading the times people type: "8am", "yesterday 19:30", "2h ago" or ISO 8601."""

from __future__ import annotations

import calendar
import re
from datetime import UTC, date, datetime, timedelta, tzinfo

from bonecoach.domain.errors import InputError

_RELATIVE_DAYS = {"today": 0, "yesterday": -1, "tomorrow": 1}
_AGO = re.compile(r"^(\d{1,4})\s*(m|min|mins|minutes?|h|hr|hrs|hours?)\s+ago$")
_EARLIEST = datetime(2000, 1, 1)
HINT = "try 8am, 19:30, yesterday 19:30, 2h ago or 2026-11-24T08:00"
MAX_TIME_TEXT = 64
EARLIEST_DATE_YEAR = 1900  # a calendar day (a scan, a review): an old scan is fine, year 1 is a slip
LATEST_DATE_YEARS = 50  # and year 9999 too (callers say "in the future" for nearer dates)


_ISO_DAY = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


def impossible_day(text: str) -> str | None:
    """For a date written as YYYY-MM-DD that the calendar does not have, why: "there is no 30
    February 2026"; None when the text is a real day or not written that way."""
    match = _ISO_DAY.match(text.strip())
    if not match:
        return None
    year, month, day = (int(part) for part in match.groups())
    if not 1 <= month <= 12:
        return f"there is no month {month} (months run 1 to 12)"
    last = calendar.monthrange(year, month)[1]
    if 1 <= day <= last:
        return None
    leap = " (not a leap year)" if month == 2 and day == 29 else ""
    return f"there is no {day} {calendar.month_name[month]} {year}{leap}"


def iso_date(text: str, what: str) -> date:
    """A date typed as YYYY-MM-DD, or an InputError naming ``what`` and what is wrong with it."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        shown = text.strip()[:30] or "(empty)"
        why = impossible_day(text)
        if why:
            raise InputError(f"{what} {shown!r}: {why}.") from None
        raise InputError(f"{what} {shown!r} is not a date; write it as YYYY-MM-DD.") from None


def parse_when(text: str | None, now: datetime, *, allow_future_days: int = 0, zone: tzinfo | None = None) -> datetime:
    """Turn what the user typed into a local, naive datetime (to the minute).

    ``now`` is passed in so the result never depends on the clock. Times later than the end of
    ``now``'s day plus ``allow_future_days`` are refused: a log is about what already happened
    (or is about to, today). With the local time ``zone`` (passed in, never read here), "2h ago"
    is two real hours across a change of the clocks, and a clock time the change skipped (02:30
    on the night clocks go forward) is refused; one that happens twice is taken as the first.
    """
    raw = (text or "").strip()
    if len(raw) > MAX_TIME_TEXT:
        raise InputError(f"That time is {len(raw)} characters long; {HINT}.")
    if any(ord(ch) < 32 for ch in raw):
        raise InputError(f"A time cannot contain control characters; {HINT}.")
    lowered = raw.lower()
    if lowered in ("", "now"):
        return now.replace(second=0, microsecond=0)
    match = _AGO.match(lowered)
    if match:
        count, unit = int(match.group(1)), match.group(2)
        delta = timedelta(hours=count) if unit.startswith("h") else timedelta(minutes=count)
        return _checked(_real_minus(now, delta, zone).replace(second=0, microsecond=0), raw, now, allow_future_days)
    base_day = now.date()
    words = lowered.split(maxsplit=1)
    if words[0] in _RELATIVE_DAYS:
        base_day = base_day + timedelta(days=_RELATIVE_DAYS[words[0]])
        if len(words) == 1:
            # "yesterday" alone means this time of day, yesterday.
            moved = datetime.combine(base_day, now.time())
            return _checked(moved.replace(second=0, microsecond=0), raw, now, allow_future_days)
        lowered = words[1]
    default = datetime.combine(base_day, datetime.min.time())
    from dateutil import parser as date_parser  # 20+ ms to import: only when a time is typed

    try:
        parsed = date_parser.parse(lowered, default=default)
    except (ValueError, OverflowError, TypeError) as exc:
        date_part = lowered.split("t")[0].split()  # "2026-02-30t08:00" or "2026-02-30 8am"; "t" alone has none
        why = impossible_day(date_part[0]) if date_part else None
        if why:
            raise InputError(f"{raw!r}: {why}.") from exc
        raise InputError(f"Could not read {raw!r} as a time; {HINT}.") from exc
    if parsed.tzinfo is not None:
        # Entries are kept in local wall-clock time; convert an explicit offset to it.
        parsed = parsed.astimezone(zone).replace(tzinfo=None)
    parsed = parsed.replace(second=0, microsecond=0)
    if zone is not None:
        _exists(parsed, raw, zone)
    return _checked(parsed, raw, now, allow_future_days)


def parse_when_on(text: str | None, day: date, now: datetime, *, zone: tzinfo | None = None) -> datetime:
    """A time typed for a chosen ``day`` (the Log tab's day to log into): "7:30" is that time on
    that day. What names its own day ("yesterday 19:30", "2h ago", "now", a date) is read as
    ``parse_when`` reads it. Nothing typed is now on today, and refused on another day (there is
    no "now" on a day that has passed)."""
    if day == now.date():
        return parse_when(text, now, zone=zone)
    raw = (text or "").strip()
    lowered = raw.lower()
    if not raw:
        raise InputError(f"Type when on {day:%a %d %b} it was (e.g. 8am or 19:30): now is not on that day.")
    first = lowered.split(maxsplit=1)[0]
    if lowered == "now" or first in _RELATIVE_DAYS or _AGO.match(lowered):
        return parse_when(text, now, zone=zone)
    if day > now.date():
        raise InputError(f"{day:%a %d %b} has not started yet; log what you had today or earlier.")
    # Read as if the day were that one (dateutil fills in only the date parts not typed).
    return parse_when(text, datetime.combine(day, datetime.max.time()), zone=zone)


def _real_minus(now: datetime, delta: timedelta, zone: tzinfo | None) -> datetime:
    """The local wall-clock time ``delta`` of real time before ``now`` (wall-clock arithmetic
    without a zone)."""
    if zone is None:
        return now - delta
    real = now.replace(tzinfo=zone).astimezone(UTC) - delta
    return real.astimezone(zone).replace(tzinfo=None)


def _exists(value: datetime, raw: str, zone: tzinfo) -> None:
    from dateutil import tz

    if not tz.datetime_exists(value, zone):
        later = value + timedelta(hours=1)  # the clock read this then: the change moved it on
        raise InputError(
            f"{raw!r}: {value:%H:%M} on {value:%d %B %Y} did not happen here (the clocks went forward "
            f"that night); did you mean {later:%H:%M}?"
        )


def _checked(value: datetime, raw: str, now: datetime, allow_future_days: int) -> datetime:
    last_allowed = datetime.combine(now.date() + timedelta(days=allow_future_days + 1), datetime.min.time())
    if value >= last_allowed:
        raise InputError(
            f"{raw!r} is {value:%Y-%m-%d %H:%M}, a day that has not started yet; log what you had today or earlier."
        )
    if value < _EARLIEST:
        raise InputError(f"{raw!r} is {value:%Y-%m-%d}, before 2000; check the date.")
    return value


def parse_date(text: str | None, today: date) -> date:
    """A calendar day: "today", "yesterday", or a date dateutil can read (e.g. 2026-11-24)."""
    raw = (text or "").strip()
    if len(raw) > MAX_TIME_TEXT or any(ord(ch) < 32 for ch in raw):
        raise InputError("That is not a date; write it as YYYY-MM-DD.")
    lowered = raw.lower()
    if lowered in ("", "today"):
        return today
    if lowered in _RELATIVE_DAYS:
        return today + timedelta(days=_RELATIVE_DAYS[lowered])
    from dateutil import parser as date_parser

    try:
        parsed = date_parser.parse(lowered, default=datetime.combine(today, datetime.min.time()))
    except (ValueError, OverflowError, TypeError) as exc:
        why = impossible_day(lowered)
        if why:
            raise InputError(f"{raw!r}: {why}.") from exc
        raise InputError(f"Could not read {raw!r} as a date; write it as YYYY-MM-DD.") from exc
    if not EARLIEST_DATE_YEAR <= parsed.year <= today.year + LATEST_DATE_YEARS:
        raise InputError(
            f"{parsed.date().isoformat()} is outside {EARLIEST_DATE_YEAR} to {today.year + LATEST_DATE_YEARS}: check the date."
        )
    return parsed.date()


def default_meal_for(moment: datetime) -> str:
    """The meal slot a time of day most likely belongs to."""
    hour = moment.hour
    if 4 <= hour < 11:
        return "breakfast"
    if 11 <= hour < 15:
        return "lunch"
    if 17 <= hour < 22:
        return "dinner"
    return "snack"
