"""The ``bonecoach`` command: the full-screen app, or scripting subcommands over the same services.

Every error goes to stderr as one clear message with a non-zero exit status; no traceback.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from bonecoach import __version__
from bonecoach.domain.amounts import parse_number
from bonecoach.domain.errors import InputError
from bonecoach.domain.nutrient_info import NUTRIENT_KEYS, iu_to_mcg

EXIT_INPUT = 2
EXIT_STORAGE = 3
EXIT_BUG = 70

_NUTRIENT_OPTIONS = {
    "calcium_mg": "--calcium-mg",
    "vitamin_d_mcg": "--vitamin-d-mcg",
    "magnesium_mg": "--magnesium-mg",
    "vitamin_k1_mcg": "--vitamin-k1-mcg",
    "vitamin_k2_mcg": "--vitamin-k2-mcg",
    "caffeine_mg": "--caffeine-mg",
    "sodium_mg": "--sodium-mg",
}


class _Parser(argparse.ArgumentParser):
    """argparse, but usage errors exit 2 with our own wording and never a traceback."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_INPUT, f"bonecoach: error: {message}\n")


def _positive(what: str) -> Callable[[str], float]:
    def convert(text: str) -> float:
        try:
            return parse_number(text, what)
        except InputError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    convert.__name__ = what
    return convert


def _non_negative(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not (0 <= value < 100_000):
        raise argparse.ArgumentTypeError(f"{text!r} must be between 0 and 100000")
    return value


def _number_in(low: float, high: float, what: str) -> Callable[[str], float]:
    def convert(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{what} must be a number, not {text[:40]!r}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{what} {value:g} is outside {low:g} to {high:g}; check the report")
        return value

    convert.__name__ = what
    return convert


def _count(text: str) -> int:
    if not text.isdigit() or int(text) > 365:
        raise argparse.ArgumentTypeError(f"{text[:40]!r} is not a count from 0 to 365")
    return int(text)


def _limit(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not 1 <= value <= 200:
        raise argparse.ArgumentTypeError("--limit must be between 1 and 200")
    return value


def _add_nutrient_options(parser: argparse.ArgumentParser, per: str) -> None:
    for key, flag in _NUTRIENT_OPTIONS.items():
        parser.add_argument(flag, dest=key, type=_non_negative, metavar="N", help=f"{key} {per}")
    parser.add_argument("--vitamin-d-iu", type=_non_negative, metavar="IU", help=f"vitamin D in IU {per} (converted)")


def _top_parser() -> tuple[argparse.ArgumentParser, Any]:
    """The options every command shares, and ``next`` (all the fast path needs)."""
    parser = _Parser(prog="bonecoach", description="A terminal coach for rebuilding bone density.")
    parser.add_argument("--version", action="version", version=f"bonecoach {__version__}")
    parser.add_argument(
        "--db", metavar="PATH", help="database folder (default: your user data folder; or BONECOACH_DB)"
    )
    parser.add_argument("--demo", action="store_true", help="open the app on a temporary database with four demo weeks")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)
    from bonecoach.cli.next_command import add_parser

    add_parser(sub)
    return parser, sub


def next_parser() -> argparse.ArgumentParser:
    """The parser for ``bonecoach next`` alone: a status bar runs it every few seconds."""
    return _top_parser()[0]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every subcommand."""
    parser, sub = _top_parser()

    profile = sub.add_parser("profile", help="your sex and birth date (targets depend on them)")
    profile_sub = profile.add_subparsers(dest="action", required=True, parser_class=_Parser)
    profile_set = profile_sub.add_parser("set", help="create or change the profile")
    profile_set.add_argument("--sex", choices=["female", "male"])
    profile_set.add_argument("--birth-date", metavar="YYYY-MM-DD")
    profile_set.add_argument("--guideline", metavar="NAME", help="iom (default) or bhof")
    profile_set.add_argument(
        "--tscore", type=_number_in(-6, 4, "T-score"), help="your latest T-score if no scan is recorded"
    )
    profile_set.add_argument("--vertebral-fractures", type=_count, metavar="N")
    profile_set.add_argument("--other-fractures", type=_count, metavar="N")
    profile_set.add_argument("--falls-last-year", type=_count, metavar="N")
    profile_set.add_argument(
        "--impact-cleared", choices=["yes", "no"], help="has a clinician cleared you for impact exercise?"
    )
    profile_set.add_argument(
        "--weights-cleared", choices=["yes", "no"],
        help="after a fracture: has a physiotherapist cleared you for exercise with weights?",
    )  # fmt: skip
    profile_show = profile_sub.add_parser("show", help="print the profile")
    profile_show.add_argument("--json", action="store_true")

    targets = sub.add_parser("targets", help="show or override targets")
    targets_sub = targets.add_subparsers(dest="action", required=True, parser_class=_Parser)
    targets_show = targets_sub.add_parser("show", help="today's targets and limits with sources")
    targets_show.add_argument("--json", action="store_true")
    targets_set = targets_sub.add_parser("set", help="override one nutrient's target or limit")
    targets_set.add_argument("nutrient", choices=list(NUTRIENT_KEYS))
    targets_set.add_argument("--target", type=_positive("Target"))
    targets_set.add_argument("--upper-limit", type=_positive("Upper limit"))
    targets_set.add_argument("--clear", action="store_true", help="go back to the guideline's values")

    foods = sub.add_parser("foods", help="search the food catalog or add your own food")
    foods_sub = foods.add_subparsers(dest="action", required=True, parser_class=_Parser)
    search = foods_sub.add_parser("search", help="find foods, best first")
    search.add_argument("query", nargs="+")
    search.add_argument("--limit", type=_limit, default=10)
    search.add_argument("--json", action="store_true")
    show = foods_sub.add_parser("show", help="one food with its portions and sources")
    show.add_argument("id")
    show.add_argument("--json", action="store_true")
    add_food = foods_sub.add_parser("add", help="add your own food from its label (nutrients per serving)")
    add_food.add_argument("name")
    add_food.add_argument("--serving-grams", type=_positive("Serving weight"), required=True)
    add_food.add_argument("--serving-label", default="1 serving")
    for kind in ("oxalate", "phytate"):
        add_food.add_argument(f"--{kind}", choices=["very_high", "high", "moderate", "low"],
                              help=f"its {kind} level, if you know it (conflicts are then checked)")  # fmt: skip
    _add_nutrient_options(add_food, "per serving")

    log = sub.add_parser("log", help="log a food, a supplement or a saved supplement set")
    log_sub = log.add_subparsers(dest="action", required=True, parser_class=_Parser)
    log_food = log_sub.add_parser("food", help="log a food by USDA id or name")
    log_food.add_argument("food", metavar="ID_OR_QUERY")
    amount = log_food.add_mutually_exclusive_group(required=True)
    amount.add_argument("--grams", type=_positive("Grams"))
    amount.add_argument("--portion", metavar="PORTION", help='e.g. "1 cup"')
    log_food.add_argument("--count", type=_positive("Count"), default=1.0, help="how many portions")
    log_food.add_argument("--at", metavar="WHEN", help='e.g. 8am, "yesterday 19:30", ISO (default: now)')
    log_food.add_argument("--meal", metavar="SLOT", help="breakfast, lunch, dinner or snack")
    log_food.add_argument("--json", action="store_true")
    log_supp = log_sub.add_parser("supplement", help="log doses of a supplement")
    log_supp.add_argument("supplement", metavar="ID_OR_NAME")
    log_supp.add_argument("--doses", type=_positive("Doses"), default=1.0)
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
    log_recipe.add_argument("--servings", type=_positive("Servings"), default=1.0)
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

    supps = sub.add_parser("supplements", help="list supplements, add your own, save sets")
    supps_sub = supps.add_subparsers(dest="action", required=True, parser_class=_Parser)
    supps_list = supps_sub.add_parser("list", help="presets and your own products")
    supps_list.add_argument("--json", action="store_true")
    supps_add = supps_sub.add_parser("add", help="add your own product (nutrients per dose)")
    supps_add.add_argument("name")
    supps_add.add_argument("--form", default="")
    supps_add.add_argument("--dose-label", default="1 dose")
    _add_nutrient_options(supps_add, "per dose")
    supps_set = supps_sub.add_parser("set", help="save a named set, e.g. morning")
    supps_set.add_argument("name")
    supps_set.add_argument("--item", action="append", required=True, metavar="ID[:DOSES]")

    meds = sub.add_parser("medications", help="the medications whose timing bonecoach checks")
    meds_sub = meds.add_subparsers(dest="action", required=True, parser_class=_Parser)
    meds_list = meds_sub.add_parser("list", help="ids, names and timing advice")
    meds_list.add_argument("--json", action="store_true")

    rules = sub.add_parser("rules", help="conflict rules: list them or check a rule file")
    rules_sub = rules.add_subparsers(dest="action", required=True, parser_class=_Parser)
    rules_check = rules_sub.add_parser("check", help="validate a rule file and print every problem")
    rules_check.add_argument("file", metavar="FILE")
    rules_list = rules_sub.add_parser("list", help="the rules in force (shipped plus yours)")
    rules_list.add_argument("--json", action="store_true")

    regimen = sub.add_parser("regimen", help="what you take every day, and your usual day, for plan-day")
    regimen_sub = regimen.add_subparsers(dest="action", required=True, parser_class=_Parser)
    regimen_show = regimen_sub.add_parser("show", help="print the regimen and times")
    regimen_show.add_argument("--json", action="store_true")
    regimen_add = regimen_sub.add_parser("add", help="add a daily medication or supplement")
    regimen_add.add_argument("kind", choices=["medication", "supplement"])
    regimen_add.add_argument("item", metavar="ID_OR_NAME")
    regimen_add.add_argument("--doses", type=_positive("Doses"), default=1.0)
    regimen_add.add_argument("--frequency", choices=["daily", "weekly", "monthly"], default="daily")
    regimen_add.add_argument(
        "--weekday", choices=["mon", "tue", "wed", "thu", "fri", "sat", "sun"], help="for weekly (default: today's)"
    )
    regimen_add.add_argument(
        "--monthday", type=_number_in(1, 31, "Day of month"), help="for monthly (default: today's)"
    )
    regimen_remove = regimen_sub.add_parser("remove", help="take an item out")
    regimen_remove.add_argument("item", metavar="ID")
    regimen_times = regimen_sub.add_parser("times", help="usual waking, meal and bed times (HH:MM)")
    for name in ("wake", "breakfast", "lunch", "dinner", "bed"):
        regimen_times.add_argument(f"--{name}", metavar="HH:MM")

    plan_day = sub.add_parser("plan-day", help="a timetable for your regimen that keeps every window")
    plan_day.add_argument("date", nargs="?", metavar="DATE")
    plan_day.add_argument("--json", action="store_true")

    scan = sub.add_parser("scan", help="DEXA results: add, list, edit, delete")
    scan_sub = scan.add_subparsers(dest="action", required=True, parser_class=_Parser)
    scan_add = scan_sub.add_parser("add", help="one site's result from a DEXA report")
    scan_edit = scan_sub.add_parser("edit", help="correct a recorded result")
    scan_edit.add_argument("id")
    for scan_parser in (scan_add, scan_edit):
        scan_parser.add_argument("--date", required=True, metavar="YYYY-MM-DD")
        scan_parser.add_argument("--site", required=True, help="lumbar_spine, femoral_neck, total_hip or forearm")
        scan_parser.add_argument("--tscore", required=True, type=_number_in(-6, 4, "T-score"))
        scan_parser.add_argument("--zscore", type=_number_in(-8, 8, "Z-score"))
        scan_parser.add_argument("--bmd", type=_number_in(0.1, 2.5, "BMD (g/cm²)"))
    scan_delete = scan_sub.add_parser("delete", help="remove a result")
    scan_delete.add_argument("id")
    scan_list = scan_sub.add_parser("list", help="every result with category and change")
    scan_list.add_argument("--json", action="store_true")

    lab = sub.add_parser("lab", help="bloodwork: 25(OH)D and serum calcium")
    lab_sub = lab.add_subparsers(dest="action", required=True, parser_class=_Parser)
    lab_add = lab_sub.add_parser("add", help="record a result")
    lab_add.add_argument("--date", required=True, metavar="YYYY-MM-DD")
    lab_add.add_argument("--test", required=True, choices=["25ohd", "serum_calcium"])
    lab_add.add_argument("--value", required=True, type=_positive("Value"))
    lab_add.add_argument("--unit", required=True, choices=["ng/mL", "nmol/L", "mg/dL", "mmol/L"])
    lab_list = lab_sub.add_parser("list", help="results with conversions and bands")
    lab_list.add_argument("--json", action="store_true")

    status = sub.add_parser("status", help="bone status: category, latest T-score, next scan, reversal, vitamin D")
    status.add_argument("--json", action="store_true")

    meal = sub.add_parser("meal", help="saved meals: save a meal slot of a day, list, delete")
    meal_sub = meal.add_subparsers(dest="action", required=True, parser_class=_Parser)
    meal_save = meal_sub.add_parser("save", help="save what was logged in a meal slot under a name")
    meal_save.add_argument("name")
    meal_save.add_argument("--date", metavar="DATE")
    meal_save.add_argument("--meal", metavar="SLOT")
    meal_save.add_argument(
        "--entry", action="append", metavar="ENTRY_ID", help="save these entries instead of a meal slot"
    )
    meal_list = meal_sub.add_parser("list", help="saved meals with their items and totals")
    meal_list.add_argument("--json", action="store_true")
    meal_delete = meal_sub.add_parser("delete", help="forget a saved meal")
    meal_delete.add_argument("name")

    recipe = sub.add_parser("recipe", help="recipes from catalog foods")
    recipe_sub = recipe.add_subparsers(dest="action", required=True, parser_class=_Parser)
    recipe_add = recipe_sub.add_parser("add", help="ingredients (ID:GRAMS for the whole recipe) and servings")
    recipe_add.add_argument("name")
    recipe_add.add_argument("--servings", type=_positive("Servings"), required=True)
    recipe_add.add_argument("--item", action="append", required=True, metavar="ID:GRAMS")
    recipe_list = recipe_sub.add_parser("list", help="recipes with nutrients per serving")
    recipe_list.add_argument("--json", action="store_true")

    suggest = sub.add_parser("suggest", help="ways to close today's gaps without a conflict or a crossed limit")
    suggest.add_argument("date", nargs="?", metavar="DATE")
    suggest.add_argument("--at", metavar="WHEN")
    suggest.add_argument("--json", action="store_true")

    plan = sub.add_parser("plan", help="this week's safe exercise plan for your bone status and time")
    plan.add_argument("--week", metavar="YYYY-MM-DD", help="any day of the week to plan (default: this week)")
    plan.add_argument("--json", action="store_true")
    session = sub.add_parser("session", help="exercise sessions")
    session_sub = session.add_subparsers(dest="action", required=True, parser_class=_Parser)
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

    week = sub.add_parser("week", help="a week's adherence: nutrients, exercise, conflicts, doses")
    week.add_argument("date", nargs="?", metavar="DATE", help="any day of the week (default: this week)")
    week.add_argument("--json", action="store_true")
    report = sub.add_parser("report", help="a summary for your clinician, as Markdown or a self-contained HTML page")
    report.add_argument("--from", dest="start", metavar="DATE", help="first day (default: from --period)")
    report.add_argument("--to", dest="end", metavar="DATE", help="last day (default: today)")
    report.add_argument("--period", choices=["week", "month", "since-scan", "year"],
                        help="instead of --from: the last 7 days, month, 12 months, or since the last DEXA scan (default: month)")  # fmt: skip
    report.add_argument("--format", choices=["md", "html", "json"], default="md")
    report.add_argument("--output", metavar="FILE", help="write here (mode 0600) instead of standard output")
    export = sub.add_parser("export", help="everything you stored, as JSON (lossless) or CSV (entries)")
    export.add_argument("--format", choices=["json", "csv"], default="json")
    export.add_argument("--output", metavar="FILE", help="write here (mode 0600) instead of standard output")
    importer = sub.add_parser(
        "import", help="load a bonecoach JSON export (into an empty database) or a Cronometer CSV export"
    )
    importer.add_argument("kind", choices=["json", "cronometer"])
    importer.add_argument("file", metavar="FILE", help="for cronometer: servings.csv or dailysummary.csv")
    importer.add_argument("--yes", action="store_true", help="cronometer: add without asking after the preview")
    importer.add_argument("--dry-run", action="store_true", help="cronometer: show the preview only")

    day = sub.add_parser("day", help="a day's totals, targets, entries and conflicts")
    day.add_argument("date", nargs="?", metavar="DATE")
    day.add_argument("--json", action="store_true")

    entry = sub.add_parser("entry", help="edit or delete a logged entry")
    entry_sub = entry.add_subparsers(dest="action", required=True, parser_class=_Parser)
    edit = entry_sub.add_parser("edit", help="change amount, time or meal")
    edit.add_argument("id")
    edit.add_argument("--grams", type=_positive("Grams"))
    edit.add_argument("--doses", type=_positive("Doses"))
    edit.add_argument("--at", metavar="WHEN")
    edit.add_argument("--meal", metavar="SLOT")
    delete = entry_sub.add_parser("delete", help="delete an entry (undo restores it)")
    delete.add_argument("id")
    sub.add_parser("undo", help="restore the last deleted entry")

    backup = sub.add_parser("backup", help="list, make or restore backups of the database")
    backup_sub = backup.add_subparsers(dest="action", required=True, parser_class=_Parser)
    backup_list = backup_sub.add_parser("list", help="backups, newest first, each checked")
    backup_list.add_argument("--json", action="store_true")
    backup_sub.add_parser("create", help="make a backup now (kept until you delete it)")
    backup_restore = backup_sub.add_parser(
        "restore", help="replace the database with a backup; current files are kept aside"
    )
    backup_restore.add_argument("name")
    return parser


LOG_ACTIONS = {"food", "supplement", "medication", "meal", "recipe", "repeat", "repeat-meal", "set", "line"}


def _one_line_log(argv: list[str]) -> list[str]:
    """``bonecoach log "1 cup milk, coffee at 8am"`` is ``bonecoach log line "..."``."""
    for index, word in enumerate(argv):
        if word == "log":
            following = argv[index + 1] if index + 1 < len(argv) else ""
            if following and not following.startswith("-") and following not in LOG_ACTIONS:
                return [*argv[: index + 1], "line", *argv[index + 1 :]]
            break
        if not word.startswith("-") and argv[index - 1 : index] != ["--db"]:
            break  # another command
    return argv


def _command_word(words: list[str]) -> str | None:
    """The subcommand named in ``words`` (skipping ``--db PATH``), if any."""
    index = 0
    while index < len(words):
        word = words[index]
        if word == "--db":
            index += 2
            continue
        if not word.startswith("-"):
            return word
        index += 1
    return None


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    words = list(sys.argv[1:] if argv is None else argv)
    parser = next_parser() if _command_word(words) == "next" else build_parser()
    args = parser.parse_args(_one_line_log(words))
    from bonecoach.storage.errors import StorageError

    try:
        if args.command is None:
            return _run_app(args)
        if args.command == "next":
            from bonecoach.cli import next_command

            return next_command.run(args)
        from bonecoach.cli import commands

        handler = getattr(commands, f"cmd_{args.command.replace('-', '_')}")
        return int(handler(args) or 0)
    except InputError as exc:
        _fail(str(exc), getattr(exc, "matches", None))
        return EXIT_INPUT
    except StorageError as exc:
        _fail(str(exc) + _recovery_hint(exc, args))
        return EXIT_STORAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # Output piped into e.g. `grep -q` or `head` that closed early: not an error worth a message.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:  # a bug: say so plainly, without a traceback, and keep the data safe
        if os.environ.get("BONECOACH_DEBUG"):
            raise
        _fail(f"unexpected error ({type(exc).__name__}: {exc}). Nothing was changed by the failed step; "
              "set BONECOACH_DEBUG=1 to see the details and please report it.")  # fmt: skip
        return EXIT_BUG


def _recovery_hint(exc: Exception, args: argparse.Namespace) -> str:
    """For a damaged database: the newest good backup and the command that restores it."""
    from bonecoach.storage.backup import newest_good_backup
    from bonecoach.storage.errors import DatabaseDamaged
    from bonecoach.storage.paths import resolve_db_dir

    if not isinstance(exc, DatabaseDamaged):
        return ""
    good = newest_good_backup(resolve_db_dir(getattr(args, "db", None)))
    if good is None:
        return "\nNo good backup was found; keep the damaged file for repair."
    return (
        f"\nNewest good backup: {good.name} ({good.entries} entries, {good.created}). "
        f"Restore it with: bonecoach backup restore {good.name} (the damaged files are kept aside, not deleted)."
    )


def _fail(message: str, matches: list[tuple[str, str]] | None = None) -> None:
    print(f"bonecoach: {message}", file=sys.stderr)
    for item_id, name in matches or []:
        print(f"  {item_id}  {name}", file=sys.stderr)


def _run_app(args: argparse.Namespace) -> int:
    # Start-up allocates a great many objects (Textual, pydantic, the catalog) and almost none
    # become garbage; the collector's passes over them cost ~30 ms. The app turns it back on
    # once its panes are built.
    gc.disable()
    from bonecoach.tui.launch import run_app

    return run_app(db_option=args.db, demo=args.demo)


def print_json(data: Any) -> None:
    """Print JSON for scripts: stable key order, UTF-8."""
    print(json.dumps(data, indent=2, ensure_ascii=False, default=_json_default))


def _json_default(value: object) -> object:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    return str(value)


def nutrient_values(args: argparse.Namespace) -> dict[str, float]:
    """The nutrient options given on the command line (vitamin D IU converted to mcg)."""
    values = {key: getattr(args, key) for key in NUTRIENT_KEYS if getattr(args, key) is not None}
    if args.vitamin_d_iu is not None:
        if "vitamin_d_mcg" in values:
            raise InputError("Give vitamin D in mcg or in IU, not both.")
        values["vitamin_d_mcg"] = round(iu_to_mcg(args.vitamin_d_iu), 3)
    return values
