"""What the user takes every day: ``regimen`` and the timetable ``plan-day`` makes of it."""

from __future__ import annotations

import argparse
from typing import Any

from bonecoach.cli.context import open_coach
from bonecoach.cli.options import Parser, number_in, positive
from bonecoach.cli.output import print_json
from bonecoach.domain.timeparse import parse_date
from bonecoach.services import kept_views, views


def add_parsers(sub: Any) -> None:
    """Add the ``regimen``, ``plan-day`` commands."""
    regimen = sub.add_parser("regimen", help="what you take every day, and your usual day, for plan-day")
    regimen_sub = regimen.add_subparsers(dest="action", required=True, parser_class=Parser)
    regimen_show = regimen_sub.add_parser("show", help="print the regimen and times")
    regimen_show.add_argument("--json", action="store_true")
    regimen_add = regimen_sub.add_parser("add", help="add a daily medication or supplement")
    regimen_add.add_argument("kind", choices=["medication", "supplement"])
    regimen_add.add_argument("item", metavar="ID_OR_NAME")
    regimen_add.add_argument("--doses", type=positive("Doses"), default=1.0)
    regimen_add.add_argument(
        "--frequency", choices=["daily", "weekly", "monthly", "every-6-months", "yearly"],
        help="default: the medicine's own (Prolia every 6 months, Reclast yearly), else daily",
    )  # fmt: skip
    regimen_add.add_argument(
        "--weekday", choices=["mon", "tue", "wed", "thu", "fri", "sat", "sun"], help="for weekly (default: today's)"
    )
    regimen_add.add_argument("--monthday", type=number_in(1, 31, "Day of month"), help="for monthly (default: today's)")
    regimen_add.add_argument(
        "--at", metavar="HH:MM", help="the time you take it: the day plan keeps it there and shows any conflict"
    )
    regimen_add.add_argument(
        "--start",
        metavar="YYYY-MM-DD",
        help="the date of a dose (e.g. the last injection); the schedule counts from it (default: today)",
    )
    regimen_remove = regimen_sub.add_parser("remove", help="take an item out")
    regimen_remove.add_argument("item", metavar="ID")
    regimen_times = regimen_sub.add_parser("times", help="usual waking, meal and bed times (HH:MM)")
    for name in ("wake", "breakfast", "lunch", "dinner", "bed"):
        regimen_times.add_argument(f"--{name}", metavar="HH:MM")

    plan_day = sub.add_parser("plan-day", help="a timetable for your regimen that keeps every window")
    plan_day.add_argument("date", nargs="?", metavar="DATE")
    plan_day.add_argument("--json", action="store_true")


def cmd_regimen(args: argparse.Namespace) -> int:
    """``regimen show|add|remove|times``: what the person takes, how often, and their usual day."""
    if args.action == "show":
        with open_coach(args, write=False) as coach:
            regimen = coach.regimen()
            if args.json:
                print_json(kept_views.regimen_json(regimen))
                return 0
            times = regimen.times
            print(f"wake {times.wake:%H:%M}  breakfast {times.breakfast:%H:%M}  lunch {times.lunch:%H:%M}  "
                  f"dinner {times.dinner:%H:%M}  bed {times.bed:%H:%M}")  # fmt: skip
            for item in regimen.items:
                doses = f" x {item.doses:g}" if item.kind == "supplement" else ""
                print(f"  {item.kind:<11} {item.ref}{doses}, {item.when()}")
            if not regimen.items:
                print("  (nothing yet: 'bonecoach regimen add medication alendronate')")
            return 0
    with open_coach(args, write=True) as coach:
        if args.action == "add":
            on = args.weekday or ("" if args.monthday is None else str(int(args.monthday)))
            item = coach.schedule(
                args.kind, args.item, f"{args.doses:g}", args.frequency, on, args.start or "", args.at or ""
            )
            print(f"Added {item.kind} {item.ref}, {item.when()}.")
        elif args.action == "remove":
            coach.remove_from_regimen(args.item)
            print(f"Removed {args.item}.")
        else:
            saved = coach.set_day_times(
                wake=args.wake, breakfast=args.breakfast, lunch=args.lunch, dinner=args.dinner, bed=args.bed
            )
            print(f"Saved: wake {saved.times.wake:%H:%M}, bed {saved.times.bed:%H:%M}.")
        return 0


def cmd_plan_day(args: argparse.Namespace) -> int:
    """``plan-day``: a timetable for the regimen that keeps every window, or says what cannot be met."""
    with open_coach(args, write=False) as coach:
        day = parse_date(args.date, coach.now().date())
        plan = coach.plan(day)
        if args.json:
            print_json(views.plan_json(plan))
            return 0 if not plan.unplaced else 1
        print(f"Plan for {day:%A %d %B %Y}")
        for item in plan.items:
            doses = f" x {item.doses:g}" if item.doses and item.doses != 1 else ""
            print(
                f"  {item.at:%H:%M}  {item.kind:<10} {item.name}{doses}"
                + (f"\n         {item.skip}" if item.skip else "")
                + (f"\n         {item.note}" if item.note else "")
            )
        for problem in plan.unplaced:
            print(f"  not placed: {problem['name']}: {problem['reason']}")
        for warning in plan.warnings:
            print(f"  warning: {warning}")
        for assumption in plan.assumptions:
            print(f"  note: {assumption}")
        return 0 if not plan.unplaced else 1
