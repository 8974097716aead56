"""Looking back: ``day``, ``week``, ``suggest`` (ways to close today's gaps) and the clinician ``report``."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from bonecoach.cli.context import open_coach
from bonecoach.cli.output import entry_line, print_json, write_output
from bonecoach.domain.errors import InputError
from bonecoach.domain.nutrient_info import GRID_KEYS, NUTRIENT_INFO, NUTRIENT_KEYS
from bonecoach.domain.timeparse import parse_date
from bonecoach.services import kept_views, views


def add_parsers(sub: Any) -> None:
    """Add the ``day``, ``week``, ``suggest``, ``report`` commands."""
    day = sub.add_parser("day", help="a day's totals, targets, entries and conflicts")
    day.add_argument("date", nargs="?", metavar="DATE")
    day.add_argument("--json", action="store_true")

    week = sub.add_parser("week", help="a week's adherence: nutrients, exercise, conflicts, doses")
    week.add_argument("date", nargs="?", metavar="DATE", help="any day of the week (default: this week)")
    week.add_argument("--json", action="store_true")

    suggest = sub.add_parser("suggest", help="ways to close today's gaps without a conflict or a crossed limit")
    suggest.add_argument("date", nargs="?", metavar="DATE")
    suggest.add_argument("--at", metavar="WHEN")
    suggest.add_argument("--json", action="store_true")

    report = sub.add_parser("report", help="a summary for your clinician, as Markdown or a self-contained HTML page")
    report.add_argument("--from", dest="start", metavar="DATE", help="first day (default: from --period)")
    report.add_argument("--to", dest="end", metavar="DATE", help="last day (default: today)")
    report.add_argument("--period", choices=["week", "month", "since-scan", "year"],
                        help="instead of --from: the last 7 days, month, 12 months, or since the last DEXA scan (default: month)")  # fmt: skip
    report.add_argument("--format", choices=["md", "html", "json"], default="md")
    report.add_argument("--output", metavar="FILE", help="write here (mode 0600) instead of standard output")


def cmd_day(args: argparse.Namespace) -> int:
    """``day``: a day's totals, targets, entries and conflicts."""
    with open_coach(args, write=False) as coach:
        day = parse_date(args.date, coach.now().date())
        summary = coach.day(day)
        if args.json:
            print_json(views.day_json(summary, coach.absorbable(summary)))
            return 0
        print(f"{day:%A %d %B %Y}")
        for key in NUTRIENT_KEYS:
            info, total, target = NUTRIENT_INFO[key], summary.totals[key], summary.targets.get(key)
            goal = f" / {target.target:g}" if target and target.target is not None else ""
            limit = f"  (limit {target.upper_limit:g})" if target and target.upper_limit is not None else ""
            unknown = f"  +{total.unknown_entries} unknown" if total.unknown_entries else ""
            shown = f"{total.amount:>8.1f}" if summary.measured(key) else f"{'?':>8}"
            print(f"  {info.label:<11} {shown}{goal} {info.unit}{limit}  {summary.status(key)}{unknown}")
            if key == "calcium_mg":
                print(f"              {views.absorption_line(coach.absorbable(summary))}")
        conflicted = summary.conflicted_entries()
        for entry in summary.entries:
            print(("! " if entry.id in conflicted else "  ") + entry_line(entry))
        for conflict in summary.conflicts:
            print(f"! {conflict.severity}: {conflict.message}\n  fix: {conflict.suggestion}")
        return 0


def cmd_week(args: argparse.Namespace) -> int:
    """``week``: a week's adherence grid and headline."""
    with open_coach(args, write=False) as coach:
        day = parse_date(args.date, coach.now().date()) if args.date else None
        week = coach.week(day)
        if args.json:
            print_json(views.week_json(week))
            return 0
        print(f"Week of {week.week_start:%d %B %Y}")
        width = max(len(NUTRIENT_INFO[key].label) for key in GRID_KEYS)
        header = " " * (width + 1) + " ".join(f"{d.date:%a}" for d in week.days)
        print(header)
        marks = {"met": " ✓ ", "close": " ~ ", "missed": " · ", "over": " ! ", "within": " ✓ ", "none": "   ",
                 "unknown": " ? "}  # fmt: skip
        for key in GRID_KEYS:
            row = "".join(f"{marks[d.nutrients[key].status]:<4}" for d in week.days)
            summary = week.nutrients[key]
            print(f"{NUTRIENT_INFO[key].label:<{width}} {row} {summary.met_phrase()} {summary.mean_phrase()}".rstrip())
        if week.absorbed_calcium is not None:
            print(f"Calcium {week.absorbed_calcium.phrase()}")
        print(f"Exercise: {week.exercise_phrase()}; conflicts: {week.conflicts}; "
              f"doses taken {week.doses_taken} of {week.doses_due}")  # fmt: skip
        return 0


def cmd_suggest(args: argparse.Namespace) -> int:
    """``suggest``: ways to close the day's gaps without a conflict or a crossed limit."""
    with open_coach(args, write=False) as coach:
        day = parse_date(args.date, coach.now().date())
        found = coach.suggestions(day, at=args.at)
        held = coach.suggestion_holds()
        if args.json:
            print_json([kept_views.suggestion_json(s) for s in found])
            for reason in held:  # the list stays the documented shape; why calcium is held goes to stderr
                print(reason, file=sys.stderr)
            return 0
        for reason in held:
            print(reason)
        if not found:
            print("Nothing to suggest: the gaps are closed, or nothing fits without a conflict or a crossed limit.")
            return 0
        for s in found:
            print(f"- {s.name} ({s.amount_text()}): {s.why}")
        return 0


def cmd_report(args: argparse.Namespace) -> int:
    """``report``: the summary for the clinician, saved as Markdown, HTML or JSON."""
    from bonecoach.services.reporting import clinician_report, render_report, report_period

    if args.start and args.period:
        raise InputError("Give either --from or --period, not both.")
    with open_coach(args, write=False) as coach:
        today = coach.now().date()
        end = parse_date(args.end, today) if args.end else today
        if args.start:
            start = parse_date(args.start, today)
        else:
            start, end = report_period(coach, args.period or "month", end)
        text = render_report(clinician_report(coach, start, end), args.format)
    write_output(text, args.output, "Report")
    return 0
