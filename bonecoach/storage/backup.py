"""Rotating backups of the whole database folder, and recovery from a damaged file.

A backup is one JSON file in ``PATH/backups/`` holding every database file, written atomically
with mode 0600. Only a database whose every file validates whole is backed up, so a damaged file
never pushes a good backup out of the rotation. Restoring is one change (``storage.switch``): the
current files are moved aside (kept, with a timestamp) and the backup's files put in their place,
or, if interrupted, finished at the next open.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from bonecoach.storage import switch
from bonecoach.storage.atomic import DIR_MODE, atomic_write_bytes
from bonecoach.storage.checked import CheckedRecord
from bonecoach.storage.errors import DatabaseDamaged, StorageError
from bonecoach.storage.guard import check_file, check_folder, read_regular_text
from bonecoach.storage.switch import database_files

BACKUP_DIR = "backups"
KEEP_DAILY = 7
KEEP_WEEKLY = 8
FORMAT = "bonecoach-backup"
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,79}")
_DAILY = re.compile(r"daily-(\d{4})-(\d{2})-(\d{2})")
_WEEKLY = re.compile(r"weekly-(\d{4})-W(\d{2})")


@dataclass(frozen=True)
class BackupInfo:
    """One backup file and what it holds."""

    name: str
    path: Path
    created: str
    entries: int
    size: int
    valid: bool
    problem: str = ""


def _parse(path: Path) -> dict[str, Any]:
    return _parse_text(path, _read_text(path))


def _read_text(path: Path) -> str:
    try:
        return read_regular_text(path)
    except UnicodeDecodeError as exc:
        raise DatabaseDamaged(path, "not UTF-8 text") from exc


def _parse_text(path: Path, text: str) -> dict[str, Any]:
    if not text.strip():
        raise DatabaseDamaged(path, "the file is empty")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DatabaseDamaged(path, f"not valid JSON: {exc.msg} at line {exc.lineno}") from exc
    except RecursionError:
        raise DatabaseDamaged(path, "nested too deeply to be ours") from None
    if not isinstance(data, dict):
        raise DatabaseDamaged(path, "not a TinyDB document")
    return data


def snapshot(root: Path) -> dict[str, Any]:
    """Every database file, parsed; ``DatabaseDamaged`` names the first file that is not sound."""
    files = {str(path.relative_to(root)): _parse(path) for path in database_files(root)}
    return {"format": FORMAT, "files": files}


def _count_entries(files: dict[str, Any]) -> int:
    return sum(len(doc.get("entries", {})) for name, doc in files.items() if name.startswith("entries"))


def files_damage(root: Path, files: dict[str, Any]) -> DatabaseDamaged | None:
    """Why a set of database files (a snapshot, a backup) would not open whole, or ``None``."""
    from bonecoach.storage.tables import files_problem  # the models: only when checking

    found = files_problem(files)
    return None if found is None else DatabaseDamaged(root / found[0], found[1])


def write_backup(root: Path, name: str, now: datetime, checked: CheckedRecord | None = None) -> Path:
    """Write a backup of a sound database as ``backups/NAME.json``; a database with a file that
    does not validate whole is refused (``DatabaseDamaged``), so no damaged copy looks good."""
    return write_backups(root, [name], now, checked)[0]


def write_backups(root: Path, names: list[str], now: datetime, checked: CheckedRecord | None = None) -> list[Path]:
    """``write_backup`` of each name, from one reading of the files.

    Why from the files' texts: at ten years a backup parsed 26 MB of JSON, validated every record
    and wrote it out again, ~1.4 s, twice on the first change of a week. A file's text is put in the
    backup as it is, once it is known sound: its exact content was checked whole before (``checked``,
    the record kept by content digest) or it is parsed and checked now."""
    texts = {}
    for path in database_files(root):
        relative = str(path.relative_to(root))
        texts[relative] = text = _read_text(path)
        _check_text(root, relative, text, checked)
    files = ",".join(f"{json.dumps(relative)}:{text.strip()}" for relative, text in texts.items())
    created = json.dumps(now.isoformat(timespec="seconds"))
    content = f'{{"format":{json.dumps(FORMAT)},"files":{{{files}}},"created":{created}}}'.encode()
    folder = root / BACKUP_DIR
    if not check_folder(folder):  # a link to another folder would take the copy outside
        folder.mkdir(mode=DIR_MODE)
    written = []
    for name in names:
        atomic_write_bytes(folder / f"{name}.json", content)
        written.append(folder / f"{name}.json")
    return written


def _check_text(root: Path, relative: str, text: str, checked: CheckedRecord | None) -> None:
    """``DatabaseDamaged`` unless this database file's text is sound (vouched for or checked now)."""
    from bonecoach.storage.tables import files_problem  # the models: only when checking

    def problem() -> str | None:
        found = files_problem({relative: _parse_text(root / relative, text)})
        return None if found is None else found[1]

    found = checked.problem(relative, text, problem) if checked is not None else problem()
    if found is not None:
        raise DatabaseDamaged(root / relative, found)


def backup_day(name: str) -> date | None:
    """The day a rotating backup's name stands for (a week by its Monday), else ``None``."""
    try:
        if found := _DAILY.fullmatch(name):
            return date(*(int(part) for part in found.groups()))
        if found := _WEEKLY.fullmatch(name):
            return date.fromisocalendar(int(found[1]), int(found[2]), 1)
    except ValueError:
        return None
    return None


def rotate(root: Path, today: date, keep_daily: int = KEEP_DAILY, keep_weekly: int = KEEP_WEEKLY) -> list[str]:
    """Keep the newest daily and weekly backups by the day in their names; manual and
    pre-migration ones are kept. A backup dated after ``today`` (written while the clock was
    ahead) is never deleted nor counted: its names are returned, to be said."""
    folder = root / BACKUP_DIR
    if not check_folder(folder):
        return []
    future: list[str] = []
    for prefix, keep in (("daily-", keep_daily), ("weekly-", keep_weekly)):
        dated = [(day, path) for path in folder.glob(f"{prefix}*.json") if (day := backup_day(path.stem))]
        future += sorted(path.stem for day, path in dated if day > today)
        past = sorted((day, path) for day, path in dated if day <= today)
        for _day, old in past[: max(0, len(past) - keep)]:
            old.unlink()
    return future


def rotating_names(today: date) -> tuple[str, str]:
    """The names of ``today``'s daily and this week's weekly backup."""
    year, week, _ = today.isocalendar()
    return f"daily-{today.isoformat()}", f"weekly-{year}-W{week:02d}"


def due_backups(root: Path, today: date) -> list[str]:
    """Names of the rotating backups not yet written for ``today`` (cheap: two file checks)."""
    return [name for name in rotating_names(today) if not (root / BACKUP_DIR / f"{name}.json").exists()]


def ensure_rotating_backups(root: Path, today: date, now: datetime, checked: CheckedRecord | None = None) -> list[Path]:
    """Today's daily and this week's weekly backup, if missing; then rotate. Returns what was written."""
    due = due_backups(root, today)
    written = write_backups(root, due, now, checked) if due else []
    rotate(root, today)
    return written


def read_backup(path: Path) -> dict[str, Any]:
    """A backup's content, checked to be one of ours with every file a TinyDB document."""
    data = _parse(path)
    files = data.get("files")
    if data.get("format") != FORMAT or not isinstance(files, dict) or "meta.json" not in files:
        raise DatabaseDamaged(path, "not a bonecoach backup")
    for name, doc in files.items():
        if not isinstance(doc, dict) or ".." in Path(name).parts or Path(name).is_absolute():
            raise DatabaseDamaged(path, f"holds an unexpected file {name!r}")
    return data


def list_backups(root: Path) -> list[BackupInfo]:
    """Backups, newest first, each checked."""
    folder = root / BACKUP_DIR
    infos = []
    found = folder.glob("*.json") if check_folder(folder) else []
    for path in sorted(found, key=lambda p: p.lstat().st_mtime, reverse=True):
        try:
            data = read_backup(path)
            infos.append(
                BackupInfo(
                    path.stem,
                    path,
                    str(data.get("created", "")),
                    _count_entries(data["files"]),
                    path.lstat().st_size,
                    True,
                )
            )
        except StorageError as exc:
            infos.append(BackupInfo(path.stem, path, "", 0, path.lstat().st_size, False, str(exc)))
    return infos


def newest_good_backup(root: Path) -> BackupInfo | None:
    """The newest backup that reads back whole and whose every file validates (checked now, so an
    old copy of a damaged database is never offered as good)."""
    for info in list_backups(root):
        if info.valid and files_damage(info.path, read_backup(info.path)["files"]) is None:
            return info
    return None


def restore_backup(root: Path, name: str, now: datetime) -> Path | None:
    """Replace the database with backup ``name``; the current files are moved aside first."""
    # A name is a plain file stem: no separators (nothing outside backups/), nothing overlong.
    if not _NAME.fullmatch(name):
        raise StorageError(f"{name[:60]!r} is not a backup name (see 'bonecoach backup list').")
    path = root / BACKUP_DIR / f"{name}.json"
    if not (check_folder(root / BACKUP_DIR) and check_file(path)):
        raise StorageError(f"No backup named {name!r} (see 'bonecoach backup list').")
    data = read_backup(path)
    damage = files_damage(path, data["files"])
    if damage is not None:
        raise StorageError(f"Backup {name} cannot be restored: {damage.reason} in {damage.path}. Nothing was changed.")
    return switch.commit(root, data["files"], label="replaced", now=now, replace_all=True)
