"""The user's data as files: ``export``, ``import`` (bonecoach JSON, Cronometer CSV) and ``backup``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from bonecoach.cli import context
from bonecoach.cli.context import open_coach
from bonecoach.cli.options import Parser
from bonecoach.cli.output import print_json, write_output
from bonecoach.services import data


def add_parsers(sub: Any) -> None:
    """Add the ``export``, ``import``, ``backup`` commands."""
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

    backup = sub.add_parser("backup", help="list, make or restore backups of the database")
    backup_sub = backup.add_subparsers(dest="action", required=True, parser_class=Parser)
    backup_list = backup_sub.add_parser("list", help="backups, newest first, each checked")
    backup_list.add_argument("--json", action="store_true")
    backup_sub.add_parser("create", help="make a backup now (kept until you delete it)")
    backup_restore = backup_sub.add_parser(
        "restore", help="replace the database with a backup; current files are kept aside"
    )
    backup_restore.add_argument("name")


def _import_cronometer(args: argparse.Namespace, path: Path) -> int:
    with open_coach(args, write=not args.dry_run) as coach:
        streamed = data.cronometer_file(coach, path)  # read a month at a time: twice, never whole
        preview = streamed.read()
        print("\n".join(preview.lines(str(path))))
        if not preview.new_count or args.dry_run:
            return 0
        if not args.yes:
            if not sys.stdin.isatty():
                print("Nothing added yet: run again with --yes to add these entries.")
                return 0
            if input(f"Add {preview.new_count} entries? [y/N] ").strip().lower() not in ("y", "yes"):
                print("Nothing added.")
                return 0
        count = streamed.add()
    print(f"Added {count} entries from {path}.")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """``export``: everything stored, as JSON (lossless) or CSV (entries)."""
    with open_coach(args, write=False) as coach:
        text = data.export_text(coach, args.format)
    write_output(text, args.output, "Export")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    """``import``: a bonecoach JSON export or a Cronometer CSV, previewed before anything is added."""
    path = Path(args.file).expanduser()
    if args.kind == "cronometer":
        return _import_cronometer(args, path)
    with open_coach(args, write=True) as coach:
        count = data.import_json_file(coach, path)
    print(f"Imported {count} entries and everything else from {path}.")
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    """``backup list|create|restore``: the database's backups."""
    folder = data.database_folder(args.db)
    if args.action == "list":
        infos = data.backups(folder)
        if args.json:
            print_json([{"name": i.name, "created": i.created, "entries": i.entries, "size": i.size, "valid": i.valid,
                         "problem": i.problem} for i in infos])  # fmt: skip
            return 0
        for info in infos:
            state = f"{info.entries} entries" if info.valid else f"UNUSABLE: {info.problem}"
            print(f"{info.name:<36} {info.created:<20} {info.size:>10,} bytes  {state}")
        if not infos:
            print("No backups yet: bonecoach makes a daily and a weekly one when you log.")
        return 0
    now = context.CLOCK()
    if args.action == "create":
        recovered, path = data.make_backup(folder, now, context.WRITE_LOCK_WAIT)
        said = f"Backed up to {path}."
    else:
        recovered, said = data.restore(folder, args.name, now, context.WRITE_LOCK_WAIT)
    if recovered:
        print(f"bonecoach: {recovered}", file=sys.stderr)
    print(said)
    return 0
