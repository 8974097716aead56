"""Logging: ``log`` (a food, a dose, a meal or a line of text), ``entry`` edit/delete and ``undo``."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from bonecoach.cli.context import open_coach
from bonecoach.cli.options import Parser, positive
from bonecoach.cli.output import entry_line, print_json
from bonecoach.domain.errors import InputError
from bonecoach.domain.models import Entry
from bonecoach.services import views
from bonecoach.services.coach import Coach


def add_parsers(sub: Any) -> None:
    """Add the ``log``, ``entry``, ``undo`` commands."""
    log = sub.add_parser("log", help="log a food, a supplement or a saved supplement set")
    log_sub = log.add_subparsers(dest="action", required=True, parser_class=Parser)
    log_food = log_sub.add_parser("food", help="log a food by USDA id or name")
    log_food.add_argument("food", metavar="ID_OR_QUERY")
    amount = log_food.add_mutually_exclusive_group(required=True)
    amount.add_argument("--grams", type=positive("Grams"))
    amount.add_argument("--portion", metavar="PORTION", help='e.g. "1 cup"')
    log_food.add_argument("--count", type=positive("Count"), default=1.0, help="how many portions")
    log_food.add_argument("--at", metavar="WHEN", help='e.g. 8am, "yesterday 19:30", ISO (default: now)')
    log_food.add_argument("--meal", metavar="SLOT", help="breakfast, lunch, dinner or snack")
    log_food.add_argument("--json", action="store_true")
    log_supp = log_sub.add_parser("supplement", help="log doses of a supplement")
    log_supp.add_argument("supplement", metavar="ID_OR_NAME")
    log_supp.add_argument("--doses", type=positive("Doses"), default=1.0)
    log_supp.add_argument("--at", metavar="WHEN")
    log_supp.add_argument("--json", action="store_true")
    log_med = log_sub.add_parser("medication", help="log a dose of a medication (its timing is checked)")
    log_med.add_argument("medication", metavar="ID_OR_NAME")
    log_med.add_argument("--at", metavar="WHEN")
    log_med.add_argument("--json", action="store_true")
    log_meal = log_sub.add_parser("meal", help="log a saved meal in one go")
    log_meal.add_argument("name")
    log_meal.add_argument("--at", metavar="WHEN")
    log_meal.add_argument("--json", action="store_true")
    log_recipe = log_sub.add_parser("recipe", help="log servings of a recipe")
    log_recipe.add_argument("name")
    log_recipe.add_argument("--servings", type=positive("Servings"), default=1.0)
    log_recipe.add_argument("--at", metavar="WHEN")
    log_recipe.add_argument("--meal", metavar="SLOT")
    log_recipe.add_argument("--json", action="store_true")
    log_repeat = log_sub.add_parser("repeat", help="log an earlier entry again")
    log_repeat.add_argument("entry_id", metavar="ENTRY_ID")
    log_repeat.add_argument("--at", metavar="WHEN")
    log_repeat.add_argument("--json", action="store_true")
    log_repeat_meal = log_sub.add_parser("repeat-meal", help="log a whole meal of another day again")
    log_repeat_meal.add_argument("--date", required=True, metavar="DATE")
    log_repeat_meal.add_argument("--meal", required=True, metavar="SLOT")
    log_repeat_meal.add_argument("--at", metavar="WHEN")
    log_repeat_meal.add_argument("--json", action="store_true")
    log_set = log_sub.add_parser("set", help="log a saved supplement set (e.g. morning) in one go")
    log_set.add_argument("name")
    log_set.add_argument("--at", metavar="WHEN")
    log_set.add_argument("--json", action="store_true")
    log_line = log_sub.add_parser(
        "line", help='log several foods from one line: "1 cup milk 2%%, 2 slices whole wheat bread, coffee at 8am"'
    )
    log_line.add_argument("text", metavar="LINE")
    log_line.add_argument("--yes", action="store_true", help="log without asking when every item is sure")
    log_line.add_argument("--json", action="store_true")

    entry = sub.add_parser("entry", help="edit or delete a logged entry")
    entry_sub = entry.add_subparsers(dest="action", required=True, parser_class=Parser)
    edit = entry_sub.add_parser("edit", help="change amount, time or meal")
    edit.add_argument("id")
    edit.add_argument("--grams", type=positive("Grams"))
    edit.add_argument("--doses", type=positive("Doses"))
    edit.add_argument("--at", metavar="WHEN")
    edit.add_argument("--meal", metavar="SLOT")
    delete = entry_sub.add_parser("delete", help="delete an entry (undo restores it)")
    delete.add_argument("id")

    sub.add_parser("undo", help="restore the last deleted entry")


def _log_line(coach: Coach, args: argparse.Namespace) -> list[Entry] | None:
    """Preview a one-line log; log it when every item is sure and it is confirmed (or --yes)."""
    preview = coach.preview_line(args.text)
    if not args.json:
        for match in preview.items:
            mark = {"sure": "  ", "ambiguous": "? ", "unknown": "! "}[match.strength]
            print(f"{mark}{match.message}")
        print(f"at {preview.at:%Y-%m-%d %H:%M}")
    if not preview.ready:
        problems = [m.message for m in preview.items if m.strength != "sure"]
        raise InputError("Nothing was logged: " + " ".join(problems) + " Write those items more exactly.")
    if not args.yes:
        if not sys.stdin.isatty():
            print("Nothing logged yet: run again with --yes to log these.")
            return None
        if input(f"Log these {len(preview.items)}? [y/N] ").strip().lower() not in ("y", "yes"):
            print("Nothing logged.")
            return None
    return coach.log_line(preview)


def cmd_log(args: argparse.Namespace) -> int:
    """``log food|supplement|medication|meal|recipe|repeat|repeat-meal|set``: log something, then show any conflict it makes."""
    with open_coach(args, write=True) as coach:
        if args.action == "line":
            logged = _log_line(coach, args)
            if logged is None:
                return 0
            entries = logged
        elif args.action == "food":
            entries = [
                coach.log_food(
                    args.food, grams=args.grams, portion=args.portion, count=args.count, at=args.at, meal=args.meal
                )
            ]
        elif args.action == "supplement":
            entries = [coach.log_supplement(args.supplement, doses=args.doses, at=args.at)]
        elif args.action == "medication":
            entries = [coach.log_medication(args.medication, at=args.at)]
        elif args.action == "meal":
            entries = coach.log_meal(args.name, at=args.at)
        elif args.action == "recipe":
            entries = [coach.log_recipe(args.name, args.servings, at=args.at, meal=args.meal)]
        elif args.action == "repeat":
            entries = [coach.repeat_entry(args.entry_id, at=args.at)]
        elif args.action == "repeat-meal":
            entries = coach.repeat_meal(args.date, args.meal, at=args.at)
        else:
            entries = coach.log_supplement_set(args.name, at=args.at)
        conflicts = coach.conflicts_from(entries)
        if args.json:
            print_json([views.entry_json(entry) for entry in entries])
        else:
            for entry in entries:
                print("Logged " + entry_line(entry))
            for conflict in conflicts:
                print(f"! {conflict.severity}: {conflict.message}\n  fix: {conflict.suggestion}")
        return 0


def cmd_entry(args: argparse.Namespace) -> int:
    """``entry edit|delete``: change or delete a logged entry."""
    with open_coach(args, write=True) as coach:
        if args.action == "delete":
            entry = coach.delete_entry(args.id)
            print(f"Deleted {entry.name} at {entry.at:%Y-%m-%d %H:%M}. 'bonecoach undo' restores it.")
            return 0
        entry = coach.edit_entry(args.id, grams=args.grams, doses=args.doses, at=args.at, meal=args.meal)
        print("Changed " + entry_line(entry))
        return 0


def cmd_undo(args: argparse.Namespace) -> int:
    """``undo``: restore the last deleted entry."""
    with open_coach(args, write=True) as coach:
        entry = coach.undo_delete()
        if entry is None:
            print("Nothing to undo.")
            return 1
        print(f"Restored {entry.name} at {entry.at:%Y-%m-%d %H:%M}.")
        return 0
