"""``bonecoach next``: what comes next today, for a person, a script, a prompt or a timer.

A shell prompt or a tmux status bar runs ``next --line`` every few seconds, so this command does
not import the rest of the command line: it renders a list kept beside the database
(``services.kept_next``) while nothing it came from has changed, and only otherwise opens the
database and computes the day (then keeps the list for the next call).
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from datetime import date, datetime, time
from typing import Any

from bonecoach.clock import wall_clock
from bonecoach.domain.next_up import SHOWN, NextItem, due_now, open_items, status, status_line
from bonecoach.services import kept_next

CLOCK: Callable[[], datetime] = wall_clock  # replaced in tests to fix "now"
LINE_WIDTH = 60


def add_parsers(sub: argparse._SubParsersAction[Any]) -> None:
    """The ``next`` subcommand's options."""
    found = sub.add_parser("next", help="what comes next today: doses, meals, exercise (fast, for a status bar)")
    shape = found.add_mutually_exclusive_group()
    shape.add_argument("--line", action="store_true", help="one short line, for a shell prompt or tmux")
    shape.add_argument(
        "--due", action="store_true", help="only what is due now and not done (prints nothing otherwise)"
    )
    found.add_argument("--json", action="store_true")


def items_for(args: argparse.Namespace, day: date) -> list[NextItem]:
    """The day's list: kept, or computed from the database (and kept)."""
    from bonecoach.services.data import database_folder

    root = database_folder(args.db)
    kept = kept_next.kept(root, day)
    return kept if kept is not None else kept_next.compute_and_keep(root, day, lambda: _computed(args, day))


def _computed(args: argparse.Namespace, day: date) -> list[NextItem]:
    from bonecoach.cli.context import open_coach

    with open_coach(args, write=False, clock=CLOCK) as coach:
        return coach.next_up(day)


def command(item: NextItem, day: date) -> str:
    """The command that records ``item`` as done."""
    if item.kind == "meal":
        return f"bonecoach log food FOOD --meal {item.ref}"
    if item.kind == "exercise":
        return f"bonecoach session done {day.isoformat()} {item.ref}"
    return f"bonecoach log {item.kind} {item.ref}"


def cmd_next(args: argparse.Namespace) -> int:
    """Print the list, the line or what is due."""
    now = CLOCK()
    day, clock = now.date(), now.time().replace(second=0, microsecond=0)
    items = items_for(args, day)
    if args.json:
        chosen = due_now(items, clock) if args.due else items
        body = {"date": day.isoformat(), "now": f"{clock:%H:%M}", "line": status_line(items, clock, LINE_WIDTH),
                "items": [item.to_json() | {"status": status(item, clock), "command": command(item, day)}
                          for item in chosen]}  # fmt: skip
        print(json.dumps(body, ensure_ascii=False, indent=2))
    elif args.line:
        print(status_line(items, clock, LINE_WIDTH))
    elif args.due:
        for item in due_now(items, clock):
            print(f"due {item.label()}")
    else:
        _print_list(items, day, clock)
    return 0


def _print_list(items: list[NextItem], day: date, clock: time) -> None:
    print(f"Next up, {day:%A %d %B} ({clock:%H:%M})")
    if not items:
        print("  Nothing planned: add what you take with 'bonecoach regimen add', or give the app your regimen (R).")
        return
    marks = {"done": "done", "due": "due ", "later": "    ", "skip": "skip", "remind": "note"}
    for item in items:
        print(f"  {marks[status(item, clock)]}  {item.label()}")
    left = open_items(items, clock)
    if not left:
        print("All done today.")
        return
    first = left[0]
    print(f"Next: {first.at} {first.name}: {command(first, day)}")
    if len(left) > SHOWN:
        print(f"{len(left)} things still to do today.")
