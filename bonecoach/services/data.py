"""The user's data as a whole: which folder, opening it (the lock, the read-only fallback, what
was recovered), backups and restoring one, import and export.

Both faces open, guard and move the database only through here; the storage errors they catch
are re-exported so that they need not import storage. Heavy modules (pydantic, the domain) are
imported when a function needs them: the app draws its first frame before opening anything.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal, TypeVar

from bonecoach.storage.errors import DatabaseDamaged, DatabaseLocked, StorageError
from bonecoach.storage.paths import resolve_db_dir

if TYPE_CHECKING:
    from bonecoach.services.context import Context
    from bonecoach.storage.backup import BackupInfo
    from bonecoach.storage.cronometer_import import ImportPreview, StreamedImport

__all__ = ["DatabaseDamaged", "DatabaseLocked", "StorageError"]

WRITE_LOCK_WAIT = 3.0  # seconds a change waits for another bonecoach to finish writing

Done = TypeVar("Done")


def database_folder(option: str | None) -> Path:
    """The folder chosen by ``--db``, else ``BONECOACH_DB``, else the user's data folder."""
    return resolve_db_dir(option)


# -- backups ----------------------------------------------------------------------------------


def backups(folder: Path) -> list[BackupInfo]:
    """The backups of ``folder``, newest first, each checked."""
    from bonecoach.storage.backup import list_backups

    return list_backups(folder)


def newest_good_backup(folder: Path) -> BackupInfo | None:
    """The newest backup that is whole, if any."""
    from bonecoach.storage.backup import newest_good_backup as newest

    return newest(folder)


def checks_due(ctx: Context) -> bool:
    """Whether a daily or weekly backup is due (the app then reads every file for damage first)."""
    from bonecoach.storage.backup import due_backups

    return bool(due_backups(ctx.repo.root, ctx.now().date()))


def check_files(ctx: Context) -> None:
    """Read every file of the database whole; ``DatabaseDamaged`` names the first damaged one."""
    ctx.repo.verify()


def _under_lock(
    folder: Path, wait: float, work: Callable[[], Done], *, replacing_at: datetime | None = None
) -> tuple[str | None, Done]:
    """``work`` with the database locked, after finishing a change an interruption left half done;
    (what was recovered, what ``work`` says). Before a whole replace (``replacing_at``), a journal
    that cannot be finished is kept aside instead of stopping the restore that mends it."""
    from bonecoach.storage.guard import check_root
    from bonecoach.storage.lock import DatabaseLock
    from bonecoach.storage.switch import recover, set_aside_journal

    check_root(folder, writable=True)
    lock = DatabaseLock(folder)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    lock.acquire(wait)
    try:
        set_aside = set_aside_journal(folder, replacing_at) if replacing_at else None
        recovered = recover(folder)
        said = " ".join(note for note in (set_aside, recovered) if note) or None
        return said, work()
    finally:
        lock.release()


def write_manual_backup(folder: Path, now: datetime) -> Path:
    """A checked backup named for ``now``, kept until deleted (the caller holds the lock)."""
    from bonecoach.storage.backup import write_backup

    return write_backup(folder, f"manual-{now:%Y%m%d-%H%M%S}", now)


def backup_now(ctx: Context) -> Path:
    """A checked backup of the open database now, beside the daily and weekly ones."""
    from bonecoach.domain.errors import InputError

    if ctx.repo.readonly:
        raise InputError("This window is read-only (another bonecoach holds the database): back up from that one.")
    return write_manual_backup(ctx.repo.root, ctx.now())


def make_backup(folder: Path, now: datetime, wait: float = WRITE_LOCK_WAIT) -> tuple[str | None, Path]:
    """A manual backup under the lock: (what was recovered, its path)."""
    return _under_lock(folder, wait, lambda: write_manual_backup(folder, now))


def restore(folder: Path, name: str, now: datetime, wait: float = WRITE_LOCK_WAIT) -> tuple[str | None, str]:
    """Replace the database with backup ``name`` under the lock: (what was recovered, a sentence
    saying what happened and where the previous files are kept)."""
    from bonecoach.storage.backup import restore_backup

    def work() -> str:
        aside = restore_backup(folder, name, now)
        kept = f" The previous files are kept in {aside}." if aside else ""
        return f"Restored backup {name}.{kept}"

    return _under_lock(folder, wait, work, replacing_at=now)


# -- import and export --------------------------------------------------------------------------


def export_text(ctx: Context, kind: Literal["json", "csv"]) -> str:
    """Everything stored as JSON (lossless), or the entries as CSV."""
    from bonecoach.storage.transfer import export_csv, export_json

    return export_json(ctx.repo) if kind == "json" else export_csv(ctx.repo)


def save_crash_report(text: str, now: datetime) -> Path:
    """Write what an unexpected error left (its traceback) to a log in the user's state folder,
    readable only by them; the path, for the message that points to it."""
    from bonecoach.storage.atomic import write_user_file as write
    from bonecoach.storage.paths import state_dir

    folder = state_dir()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return write(folder / f"crash-{now:%Y%m%d-%H%M%S}.log", text)


def write_user_file(path: Path, text: str) -> Path:
    """Write ``text`` atomically to a file only the user can read; the path written."""
    from bonecoach.storage.atomic import write_user_file as write

    return write(path, text)


def export_to_home(ctx: Context) -> Path:
    """Everything stored, as a JSON export in the home folder (readable only by the user)."""
    path = Path.home() / f"bonecoach-export-{ctx.now():%Y-%m-%d-%H%M%S}.json"
    return write_user_file(path, export_text(ctx, "json"))


def import_json_file(ctx: Context, path: Path) -> int:
    """Load a bonecoach JSON export into this (empty) database; the number of entries."""
    from bonecoach.storage.transfer import import_json_file as load

    return load(ctx.repo, path, ctx.now().date())


def read_import_file(path: Path) -> str:
    """The text of a file to import, or an ``InputError`` saying why it cannot be read."""
    from bonecoach.storage.transfer import read_import_file as read

    return read(path)


def preview_cronometer(ctx: Context, text: str, source: str) -> ImportPreview:
    """What a Cronometer export would add, checked whole, with the catalog's tags for sure matches."""
    from bonecoach.services import foods
    from bonecoach.storage.cronometer_import import preview_import

    return preview_import(ctx.repo, text, source, lambda name: foods.sure_catalog_match(ctx, name), ctx.now().date())


def cronometer_file(ctx: Context, path: Path) -> StreamedImport:
    """A Cronometer file to import a month at a time (``read()`` previews, ``add()`` adds), with
    the catalog's tags for sure matches."""
    from bonecoach.services import foods
    from bonecoach.storage.cronometer_import import StreamedImport

    return StreamedImport(ctx.repo, path, lambda name: foods.sure_catalog_match(ctx, name), ctx.now().date())


def apply_cronometer(ctx: Context, preview: ImportPreview) -> int:
    """Add the previewed entries; how many."""
    from bonecoach.storage.cronometer_import import apply_import

    return apply_import(ctx.repo, preview)
