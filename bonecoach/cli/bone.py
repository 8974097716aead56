"""Bone status: DEXA ``scan`` results, ``lab`` results and ``status``."""

from __future__ import annotations

import argparse
from typing import Any

from bonecoach.cli.context import open_coach
from bonecoach.cli.options import Parser, number_in, positive
from bonecoach.cli.output import print_json
from bonecoach.domain.bone import due_phrase
from bonecoach.domain.diagnosis import FRACTURE_LABELS
from bonecoach.services import views

FRACTURE_SITES = list(FRACTURE_LABELS)


def add_parsers(sub: Any) -> None:
    """Add the ``scan``, ``lab``, ``status`` commands."""
    scan = sub.add_parser("scan", help="DEXA results: add, list, edit, delete")
    scan_sub = scan.add_subparsers(dest="action", required=True, parser_class=Parser)
    scan_add = scan_sub.add_parser("add", help="one site's result from a DEXA report")
    scan_edit = scan_sub.add_parser("edit", help="correct a recorded result")
    scan_edit.add_argument("id")
    for scan_parser in (scan_add, scan_edit):
        scan_parser.add_argument("--date", required=True, metavar="YYYY-MM-DD")
        scan_parser.add_argument("--site", required=True, help="lumbar_spine, femoral_neck, total_hip or forearm")
        scan_parser.add_argument("--tscore", required=True, type=number_in(-6, 4, "T-score"))
        scan_parser.add_argument("--zscore", type=number_in(-8, 8, "Z-score"))
        scan_parser.add_argument("--bmd", type=number_in(0.1, 2.5, "BMD (g/cm²)"))
        scan_parser.add_argument("--scanner", help="the machine or clinic (free text): BMD is compared only on one")
        scan_parser.add_argument(
            "--lsc",
            type=number_in(0.1, 20, "Least significant change (%)"),
            help="your facility's least significant change at this site, in %% BMD",
        )
    scan_delete = scan_sub.add_parser("delete", help="remove a result")
    scan_delete.add_argument("id")
    scan_list = scan_sub.add_parser("list", help="every result with category and change")
    scan_list.add_argument("--json", action="store_true")

    lab = sub.add_parser("lab", help="bloodwork: 25(OH)D and serum calcium")
    lab_sub = lab.add_subparsers(dest="action", required=True, parser_class=Parser)
    lab_add = lab_sub.add_parser("add", help="record a result")
    lab_edit = lab_sub.add_parser("edit", help="correct a recorded result")
    lab_edit.add_argument("id")
    for lab_parser in (lab_add, lab_edit):
        lab_parser.add_argument("--date", required=True, metavar="YYYY-MM-DD")
        lab_parser.add_argument("--test", required=True, choices=["25ohd", "serum_calcium"])
        lab_parser.add_argument("--value", required=True, type=positive("Value"))
        lab_parser.add_argument("--unit", required=True, choices=["ng/mL", "nmol/L", "mg/dL", "mmol/L"])
    lab_delete = lab_sub.add_parser("delete", help="remove a result")
    lab_delete.add_argument("id")
    lab_list = lab_sub.add_parser("list", help="results with conversions and bands")
    lab_list.add_argument("--json", action="store_true")

    fracture = sub.add_parser(
        "fracture", help="broken bones: add, list, edit, delete (they change status and exercise)"
    )
    fracture_sub = fracture.add_subparsers(dest="action", required=True, parser_class=Parser)
    fracture_add = fracture_sub.add_parser("add", help="record a fracture")
    fracture_edit = fracture_sub.add_parser("edit", help="correct a fracture, or record that loading is cleared")
    fracture_edit.add_argument("id")
    for fracture_parser in (fracture_add, fracture_edit):
        fracture_parser.add_argument("--site", required=True, help=", ".join(FRACTURE_SITES))
        fracture_parser.add_argument(
            "--date", required=True, metavar="YYYY-MM-DD", help="when (the 1st of the month will do)"
        )
        fracture_parser.add_argument(
            "--low-trauma",
            choices=["yes", "no"],
            help="from a fall from standing height or less (yes), or a major trauma (no)",
        )
        fracture_parser.add_argument(
            "--cleared", choices=["yes", "no"], default="no", help="has your clinician cleared loading that limb again?"
        )
    fracture_delete = fracture_sub.add_parser("delete", help="remove a fracture record")
    fracture_delete.add_argument("id")
    fracture_list = fracture_sub.add_parser("list", help="the recorded fractures")
    fracture_list.add_argument("--json", action="store_true")

    status = sub.add_parser("status", help="bone status: category, latest T-score, next scan, reversal, vitamin D")
    status.add_argument("--json", action="store_true")


def cmd_scan(args: argparse.Namespace) -> int:
    """``scan list|add|edit|delete``: DEXA results, each with its category and change."""
    from bonecoach.domain.bone import SITE_LABELS, classify

    if args.action == "list":
        with open_coach(args, write=False) as coach:
            rows = coach.scan_history()
            if args.json:
                print_json([views.scan_json(row) for row in rows])
                return 0
            for row in rows:
                scan = row.scan
                extra = f"  {row.change_text}" if row.change else ""
                bmd = f" BMD {scan.bmd:g}" if scan.bmd else ""
                print(
                    f"{scan.date}  {row.site_label:<13} T {scan.tscore:+.1f}{bmd}  {row.category}  [{scan.id}]{extra}"
                )
            if not rows:
                print("No scans yet: bonecoach scan add --date D --site total_hip --tscore T")
            return 0
    with open_coach(args, write=True) as coach:
        if args.action == "delete":
            coach.delete_scan(args.id)
            print(f"Deleted scan {args.id}.")
            return 0
        scan_id = args.id if args.action == "edit" else None
        scan = coach.add_scan(
            args.date,
            args.site,
            args.tscore,
            args.zscore,
            args.bmd,
            scan_id=scan_id,
            scanner=args.scanner,
            lsc_percent=args.lsc,
        )
        print(f"Saved {scan.date} {SITE_LABELS[scan.site]} T {scan.tscore:+.1f} ({classify(scan.tscore)}) [{scan.id}]")
        return 0


def cmd_fracture(args: argparse.Namespace) -> int:
    """``fracture add|edit|list|delete``: fractures as records (site, date, low trauma, cleared)."""
    if args.action == "list":
        with open_coach(args, write=False) as coach:
            found = coach.fractures()
            if args.json:
                print_json([views.fracture_json(f) for f in found])
                return 0
            for fracture in found:
                print(f"{fracture.label()}  [{fracture.id}]")
            if not found:
                print("No fractures recorded: bonecoach fracture add --site wrist --date YYYY-MM-DD --low-trauma yes")
            return 0
    with open_coach(args, write=True) as coach:
        if args.action == "delete":
            coach.delete_fracture(args.id)
            print(f"Deleted fracture {args.id}.")
            return 0
        low_trauma = None if args.low_trauma is None else args.low_trauma == "yes"
        fracture = coach.add_fracture(args.site, args.date, low_trauma, args.cleared == "yes",
                                      fracture_id=args.id if args.action == "edit" else None)  # fmt: skip
        print(f"Saved {fracture.label()} [{fracture.id}]")
        return 0


def cmd_lab(args: argparse.Namespace) -> int:
    """``lab add|edit|delete|list``: blood tests, 25(OH)D converted into both units and banded."""
    if args.action == "delete":
        with open_coach(args, write=True) as coach:
            coach.delete_lab(args.id)
            print(f"Deleted blood test {args.id}.")
            return 0
    if args.action in ("add", "edit"):
        with open_coach(args, write=True) as coach:
            lab_id = args.id if args.action == "edit" else None
            row = coach.lab_row(coach.add_lab(args.date, args.test, args.value, args.unit, lab_id=lab_id))
            result = row.result
            extra = f" = {row.converted}: {row.band} (IOM)" if row.reading else ""
            print(f"Saved {result.date} {result.test} {result.value:g} {result.unit}{extra}")
            return 0
    with open_coach(args, write=False) as coach:
        rows = coach.lab_rows()
        if args.json:
            print_json([views.lab_json(row) for row in rows])
            return 0
        for row in rows:
            result = row.result
            extra = f" = {row.converted} ({row.band})" if row.reading else ""
            print(f"{result.date}  {result.test:<14} {result.value:g} {result.unit}{extra}")
        return 0


def cmd_status(args: argparse.Namespace) -> int:
    """``status``: the bone category, latest T-score, next scan, reversal and vitamin D."""
    with open_coach(args, write=False) as coach:
        status = coach.bone_status()
        if args.json:
            print_json(views.status_json(status))
            return 0
        print(views.status_headline(status))
        for line in views.status_lines(status):
            print(f"  {line}")
        due = status.next_scan
        print(f"Next scan: {due.due or 'no date'}: {due.why}")
        for crossing in status.crossings:
            verdict = "a real change" if crossing.real else "not confirmed beyond scan noise"
            print(f"Crossed {crossing.threshold:g}: {crossing.from_tscore:+.1f} ({crossing.from_date}) -> "
                  f"{crossing.to_tscore:+.1f} ({crossing.to_date}), {verdict}. {crossing.note}")  # fmt: skip
        if status.vitamin_d:
            d = status.vitamin_d
            print(f"Vitamin D {d.date}: {d.ng_per_ml:g} ng/mL ({d.nmol_per_l:g} nmol/L), {d.band} (IOM)")
        if status.vitamin_d_recheck is not None:
            print(due_phrase("Vitamin D recheck", status.vitamin_d_recheck, status.today) + ".")
        return 0
