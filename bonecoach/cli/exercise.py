"""Exercise: the week's ``plan``, ``session done`` and ``exercise-setup``."""

from __future__ import annotations

import argparse
from typing import Any

from bonecoach.cli.context import open_coach
from bonecoach.cli.options import Parser
from bonecoach.cli.output import print_json
from bonecoach.domain.errors import InputError
from bonecoach.domain.timeparse import parse_date
from bonecoach.services import views


def add_parsers(sub: Any) -> None:
    """Add the ``plan``, ``session``, ``exercise-setup`` commands."""
    plan = sub.add_parser("plan", help="this week's safe exercise plan for your bone status and time")
    plan.add_argument("--week", metavar="YYYY-MM-DD", help="any day of the week to plan (default: this week)")
    plan.add_argument("--json", action="store_true")

    session = sub.add_parser("session", help="exercise sessions")
    session_sub = session.add_subparsers(dest="action", required=True, parser_class=Parser)
    session_done = session_sub.add_parser("done", help="record a session as completed")
    session_done.add_argument("date", metavar="DATE")
    session_done.add_argument("category", choices=["resistance", "balance", "posture", "aerobic", "impact"])

    setup = sub.add_parser("exercise-setup", help="when you can exercise and what equipment you have")
    setup.add_argument(
        "--window", action="append", metavar="DAY=HH:MM/MIN", help="e.g. mon=09:00/45 (repeat; replaces all windows)"
    )
    setup.add_argument(
        "--equipment", metavar="LIST", help="comma-separated, e.g. 'resistance band,dumbbells,elliptical' ('' for none)"
    )


def cmd_plan(args: argparse.Namespace) -> int:
    """``plan``: the week's safe exercise plan, each session with its status."""
    with open_coach(args, write=False) as coach:
        week_of = parse_date(args.week, coach.now().date()) if args.week else None
        week = coach.week_sessions(week_of)
        plan = week.plan
        if args.json:
            print_json(views.week_plan_json(week))
            return 0
        print(f"Week of {plan.week_start:%d %B %Y}: {plan.risk.label} (impact up to {plan.risk.max_impact})")
        for reason in plan.risk.reasons:
            print(f"  - {reason}")
        for status in week.sessions:
            s = status.session
            print(f"{s.date:%a %d} {s.start:%H:%M}  {s.category:<10} {s.minutes:>3} min  {status.label:<16} "
                  + ", ".join(e.name for e in s.exercises))  # fmt: skip
        for problem in plan.unmet:
            print(f"not fitted: {problem}")
        print(f"{len(plan.excluded)} exercises excluded; 'plan --json' lists each with the reason.")
        return 0


def cmd_session(args: argparse.Namespace) -> int:
    """``session done``: record a session as completed."""
    with open_coach(args, write=True) as coach:
        record = coach.mark_session_done(args.date, args.category)
        print(f"Recorded {record['category']} on {record['date']} as done.")
        if record["note"]:
            print(record["note"])
        return 0


def cmd_exercise_setup(args: argparse.Namespace) -> int:
    """``exercise-setup``: when the person can exercise and what equipment they have."""
    from datetime import time as clock_time

    from bonecoach.domain.exercise import WEEKDAYS, Window

    windows = None
    if args.window:
        windows = []
        for text in args.window:
            day, _, rest = text.partition("=")
            start, _, minutes = rest.partition("/")
            if day.strip().lower()[:3] not in WEEKDAYS or not minutes.strip().isdigit():
                raise InputError(f"--window {text[:40]!r}: write it as mon=09:00/45.")
            try:
                hour, minute = (int(part) for part in start.split(":"))
                begin = clock_time(hour, minute)
            except ValueError:
                raise InputError(f"--window {text[:40]!r}: the time must be HH:MM.") from None
            if not 10 <= int(minutes) <= 240:
                raise InputError(f"--window {text[:40]!r}: minutes must be 10 to 240.")
            windows.append(Window(weekday=WEEKDAYS.index(day.strip().lower()[:3]), start=begin, minutes=int(minutes)))
    equipment = (
        None if args.equipment is None else {item.strip().lower() for item in args.equipment.split(",") if item.strip()}
    )
    if windows is None and equipment is None:
        raise InputError("Give --window and/or --equipment.")
    with open_coach(args, write=True) as coach:
        coach.set_exercise_setup(windows, equipment)
        saved_windows, saved_equipment = coach.exercise_setup()
        print(f"Saved {len(saved_windows)} windows; equipment: {', '.join(sorted(saved_equipment)) or 'none'}.")
        return 0
