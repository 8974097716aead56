"""Rotating backups of the whole database folder, and recovery from a damaged file.

A backup is one JSON file in ``PATH/backups/`` holding every database file, written atomically
with mode 0600. Only a database whose every file parses is backed up, so a damaged file never
pushes a good backup out of the rotation. Restoring moves the current files aside (kept, with a
timestamp) before writing the backup's files.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from bonecoach.storage.atomic import DIR_MODE, atomic_write_bytes
from bonecoach.storage.errors import DatabaseDamaged, StorageError

BACKUP_DIR = "backups"
KEEP_DAILY = 7
KEEP_WEEKLY = 8
FORMAT = "bonecoach-backup"
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,79}")


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


def database_files(root: Path) -> list[Path]:
    """The files that make up the database (not backups, locks or moved-aside copies)."""
    files = [root / "meta.json"] if (root / "meta.json").exists() else []
    entries = root / "entries"
    if entries.is_dir():
        files += sorted(entries.glob("????-??.json"))
    return files


def _parse(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise DatabaseDamaged(path, "not UTF-8 text") from exc
    if not text.strip():
        raise DatabaseDamaged(path, "the file is empty")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DatabaseDamaged(path, f"not valid JSON: {exc.msg} at line {exc.lineno}") from exc
    if not isinstance(data, dict):
        raise DatabaseDamaged(path, "not a TinyDB document")
    return data


def snapshot(root: Path) -> dict[str, Any]:
    """Every database file, parsed; ``DatabaseDamaged`` names the first file that is not sound."""
    files = {str(path.relative_to(root)): _parse(path) for path in database_files(root)}
    return {"format": FORMAT, "files": files}


def _count_entries(files: dict[str, Any]) -> int:
    return sum(len(doc.get("entries", {})) for name, doc in files.items() if name.startswith("entries"))


def write_backup(root: Path, name: str, now: datetime) -> Path:
    """Write a backup of a sound database as ``backups/NAME.json``."""
    data = snapshot(root)
    data["created"] = now.isoformat(timespec="seconds")
    folder = root / BACKUP_DIR
    folder.mkdir(mode=DIR_MODE, exist_ok=True)
    path = folder / f"{name}.json"
    atomic_write_bytes(path, json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
    return path


def rotate(root: Path, keep_daily: int = KEEP_DAILY, keep_weekly: int = KEEP_WEEKLY) -> None:
    """Keep the newest daily and weekly backups; manual and pre-migration ones are kept."""
    folder = root / BACKUP_DIR
    for prefix, keep in (("daily-", keep_daily), ("weekly-", keep_weekly)):
        found = sorted(folder.glob(f"{prefix}*.json"))
        for old in found[: max(0, len(found) - keep)]:
            old.unlink()


def due_backups(root: Path, today: date) -> list[str]:
    """Names of the rotating backups not yet written for ``today`` (cheap: two file checks)."""
    year, week, _ = today.isocalendar()
    names = (f"daily-{today.isoformat()}", f"weekly-{year}-W{week:02d}")
    return [name for name in names if not (root / BACKUP_DIR / f"{name}.json").exists()]


def ensure_rotating_backups(root: Path, today: date, now: datetime) -> list[Path]:
    """Today's daily and this week's weekly backup, if missing; then rotate. Returns what was written."""
    written = [write_backup(root, name, now) for name in due_backups(root, today)]
    rotate(root)
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
    for path in sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True) if folder.is_dir() else []:
        try:
            data = read_backup(path)
            infos.append(
                BackupInfo(
                    path.stem,
                    path,
                    str(data.get("created", "")),
                    _count_entries(data["files"]),
                    path.stat().st_size,
                    True,
                )
            )
        except StorageError as exc:
            infos.append(BackupInfo(path.stem, path, "", 0, path.stat().st_size, False, str(exc)))
    return infos


def newest_good_backup(root: Path) -> BackupInfo | None:
    """The newest backup that reads back whole."""
    return next((info for info in list_backups(root) if info.valid), None)


def move_aside(root: Path, now: datetime, label: str = "replaced") -> Path | None:
    """Move the current database files into ``PATH/LABEL-TIMESTAMP/``; nothing is deleted."""
    files = database_files(root)
    stray = [p for p in (root / "meta.json",) if p.exists() and p not in files]
    if not files and not stray:
        return None
    target = root / f"{label}-{now:%Y%m%d-%H%M%S}"
    target.mkdir(mode=DIR_MODE)
    (target / "entries").mkdir(mode=DIR_MODE)
    for path in files:
        os.replace(path, target / path.relative_to(root))
    return target


def restore_backup(root: Path, name: str, now: datetime) -> Path | None:
    """Replace the database with backup ``name``; the current files are moved aside first."""
    # A name is a plain file stem: no separators (nothing outside backups/), nothing overlong.
    if not _NAME.fullmatch(name):
        raise StorageError(f"{name[:60]!r} is not a backup name (see 'bonecoach backup list').")
    path = root / BACKUP_DIR / f"{name}.json"
    if not path.exists():
        raise StorageError(f"No backup named {name!r} (see 'bonecoach backup list').")
    data = read_backup(path)
    aside = move_aside(root, now)
    (root / "entries").mkdir(mode=DIR_MODE, exist_ok=True)
    for relative, doc in data["files"].items():
        atomic_write_bytes(root / relative, json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
    return aside
