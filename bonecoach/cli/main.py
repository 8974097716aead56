"""The ``bonecoach`` command: the full-screen app, or scripting subcommands over the same services.

Every error goes to stderr as one clear message with a non-zero exit status; no traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import importlib
import os
import sys
from collections.abc import Sequence
from types import ModuleType

from bonecoach import __version__
from bonecoach.cli.options import EXIT_BUG, EXIT_INPUT, EXIT_STORAGE, Parser
from bonecoach.domain.errors import InputError

# Each command word and the module that adds its parser and handles it. A command builds only
# its own group's parser (argparse for all of them costs ~20 ms, a third of a quick command).
GROUPS = {
    "next": "next_command",
    "profile": "profile", "targets": "profile",
    "foods": "foods", "supplements": "foods", "medications": "foods", "meal": "foods", "recipe": "foods",
    "log": "log", "entry": "log", "undo": "log",
    "day": "review", "week": "review", "suggest": "review", "report": "review",
    "scan": "bone", "lab": "bone", "fracture": "bone", "status": "bone",
    "plan": "exercise", "session": "exercise", "exercise-setup": "exercise",
    "regimen": "regimen", "plan-day": "regimen",
    "rules": "rules",
    "export": "data", "import": "data", "backup": "data",
    "completion": "completion",
}  # fmt: skip


def _group(name: str) -> ModuleType:
    return importlib.import_module(f"bonecoach.cli.{name}")


def build_parser(command: str | None = None, *, groups: bool = True) -> argparse.ArgumentParser:
    """The argument parser: for ``command``'s group alone, or for every command (help, a typo);
    ``groups=False``: none (``bonecoach`` alone starts the app: no command module is imported)."""
    parser = Parser(prog="bonecoach", description="A terminal coach for rebuilding bone density.")
    parser.add_argument("--version", action="version", version=f"bonecoach {__version__}")
    parser.add_argument(
        "--db", metavar="PATH", help="database folder (default: your user data folder; or BONECOACH_DB)"
    )
    parser.add_argument("--demo", action="store_true", help="open the app on a temporary database with four demo weeks")
    sub = parser.add_subparsers(dest="command", parser_class=Parser)
    if not groups:
        return parser
    names = [GROUPS[command]] if command in GROUPS else list(dict.fromkeys(GROUPS.values()))
    for name in names:
        _group(name).add_parsers(sub)
    return parser


KEPT_COMMANDS = frozenset({"day", "week", "status", "plan-day"})
"""Read commands answered again from a kept answer while nothing they read has changed (cli.kept)."""

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
    command = _command_word(words)
    # The app alone needs no command's parser (building them all imports every group: ~0.1 s
    # before the first frame); help still lists every command.
    wants_help = any(word in ("-h", "--help") for word in words)
    if command in KEPT_COMMANDS and not wants_help:
        from bonecoach.cli import kept

        answer = kept.kept_answer(words)  # before any parser: these exact words were run before
        if answer is not None:
            return _print_kept(answer)
    args = build_parser(command, groups=command is not None or wants_help).parse_args(_one_line_log(words))
    from bonecoach.services.data import StorageError

    try:
        if args.command is None:
            return _run_app(args)
        handler = getattr(_group(GROUPS[args.command]), f"cmd_{args.command.replace('-', '_')}")
        if args.command in KEPT_COMMANDS:
            from bonecoach.cli import kept

            return kept.run_and_keep(args, words, handler)
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


def run() -> None:
    """The ``bonecoach`` command (and ``python -m bonecoach``): ``main``, then for a subcommand
    the process ends at once.

    Why: when a subcommand's ``main`` returns it has nothing left to do (every file it wrote is
    closed, the database is closed and its lock released), and the interpreter's teardown of the
    modules and objects it loaded took ~20 ms more per command at ten years (``day`` computed 253
    -> 233 ms, ``log food`` 257 -> 235 ms). The app (no subcommand) ends as usual: Textual's
    threads and the terminal are its own to put away.

    A subcommand also runs without the cyclic garbage collector: its objects live until it ends,
    and the collector's passes over them (set off by the imports' and the models' allocations)
    found nothing to free. Measured at ten years: 10-30 ms less per command, and the same peak
    memory for the heaviest ones (Cronometer import of 100,000 rows, 93 MB; the JSON import and
    the export of ten years)."""
    if _command_word(sys.argv[1:]) is None:
        raise SystemExit(main())
    gc.disable()
    try:
        status = main()
    except SystemExit as exc:  # argparse: a usage error, --help
        status = _exit_status(exc.code)
    if sys.gettrace() is not None or sys.getprofile() is not None:
        raise SystemExit(status)  # under a profiler or coverage: their reports are written at exit
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe: nothing more can be said
            stream.flush()
    os._exit(status)


def _exit_status(code: object) -> int:
    """The status ``SystemExit(code)`` ends Python with: None is 0; a message is printed, 1."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1


def _print_kept(answer: str) -> int:
    try:
        sys.stdout.write(answer)
        sys.stdout.flush()
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


def _recovery_hint(exc: Exception, args: argparse.Namespace) -> str:
    """For a damaged database: the newest good backup and the command that restores it."""
    from bonecoach.services import data

    if not isinstance(exc, data.DatabaseDamaged):
        return ""
    good = data.newest_good_backup(data.database_folder(getattr(args, "db", None)))
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
