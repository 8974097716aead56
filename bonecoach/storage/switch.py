"""Changes that span several database files, made all at once as seen by the next open.

One file is replaced atomically by a rename. An import, a restore or an entry moved to another
month touches several, so they are written whole into a staging folder beside the database
first; then a journal (one atomic file) commits the change, and the staged files are renamed
into place. Whoever opens the database next finishes a change whose journal exists and removes
a staging folder without one, so the change is either complete or never happened, and says which.

Phases of the journal: ``aside`` moves every current database file into a kept folder (a whole
replace: import and restore), then ``place`` renames the staged files in. Each phase can be
repeated after a crash without harm: ``aside`` runs before any staged file is placed, so what it
finds in the database is always the old version.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from datetime import datetime
from pathlib import Path
from typing import Any

from bonecoach.storage.atomic import DIR_MODE, atomic_write_bytes, fsync_dir
from bonecoach.storage.errors import DatabaseDamaged

STAGING = ".staging"
JOURNAL = ".switch.json"
LABEL_FILE = ".label"

Files = dict[str, dict[str, Any]]


def encode(doc: dict[str, Any]) -> bytes:
    """A database file's bytes, as every writer writes them."""
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def database_files(root: Path) -> list[Path]:
    """The files that make up the database (not backups, locks, staging or moved-aside copies)."""
    files = [root / "meta.json"] if (root / "meta.json").exists() else []
    folder = root / "entries"
    return files + (sorted(folder.glob("????-??.json")) if folder.is_dir() else [])


def commit(root: Path, files: Files, *, label: str, now: datetime, replace_all: bool = False) -> Path | None:
    """Write ``files`` (relative path -> TinyDB document) into the database as one change.

    With ``replace_all`` every current file is first moved into ``PATH/LABEL-TIMESTAMP/`` (kept,
    returned); otherwise only the named files are replaced. The caller holds the lock.
    """
    staging = Staging(root, label)
    for relative, doc in files.items():
        staging.add(relative, doc)
    return staging.commit(now, replace_all=replace_all)


class Staging:
    """A change's files, written one at a time into the staging folder (an import too large to
    hold whole), none of them part of the database until ``commit``; ``abandon`` (or a crash
    before the commit) leaves the database as it was. The caller holds the lock."""

    def __init__(self, root: Path, label: str) -> None:
        if (root / JOURNAL).exists():
            recover(root)  # an earlier change must be finished before another starts
        self.root, self.label = root, label
        self.names: list[str] = []
        self.folder = root / STAGING
        if self.folder.exists():
            shutil.rmtree(self.folder)
        (self.folder / "entries").mkdir(mode=DIR_MODE, parents=True)
        atomic_write_bytes(self.folder / LABEL_FILE, label.encode())

    def add(self, relative: str, doc: dict[str, Any]) -> None:
        """Stage one file (relative path -> TinyDB document)."""
        atomic_write_bytes(self.folder / relative, encode(doc))
        self.names.append(relative)

    def commit(self, now: datetime, *, replace_all: bool = False) -> Path | None:
        """Make the staged files the database's, as one change (see ``commit``)."""
        aside = self.root / f"{self.label}-{now:%Y%m%d-%H%M%S-%f}" if replace_all else None
        journal = {"label": self.label, "started": now.isoformat(timespec="seconds"),
                   "phase": "aside" if aside else "place", "aside": aside.name if aside else None,
                   "files": sorted(set(self.names))}  # fmt: skip
        atomic_write_bytes(self.root / JOURNAL, json.dumps(journal).encode())  # from here on the change is made
        _finish(self.root, journal)
        return aside

    def abandon(self) -> None:
        """Drop everything staged: the database is as it was."""
        shutil.rmtree(self.folder, ignore_errors=True)


def _finish(root: Path, journal: dict[str, Any]) -> None:
    staging = root / STAGING
    if journal["phase"] == "aside":
        aside = root / str(journal["aside"])
        (aside / "entries").mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
        for path in database_files(root):
            os.replace(path, aside / path.relative_to(root))
        fsync_dir(root / "entries")
        fsync_dir(root)
        journal = {**journal, "phase": "place"}
        atomic_write_bytes(root / JOURNAL, json.dumps(journal).encode())
    (root / "entries").mkdir(mode=DIR_MODE, exist_ok=True)
    for relative in journal["files"]:
        staged = staging / relative
        if staged.exists():  # absent: placed before an interruption
            os.replace(staged, root / relative)
    fsync_dir(root / "entries")
    fsync_dir(root)
    (root / JOURNAL).unlink()
    fsync_dir(root)
    shutil.rmtree(staging, ignore_errors=True)


def pending(root: Path) -> bool:
    """Whether an interrupted change is waiting to be finished or rolled back (cheap)."""
    return (root / JOURNAL).exists() or (root / STAGING).exists()


def recover(root: Path) -> str | None:
    """Finish or roll back an interrupted change (the caller holds the lock); a sentence saying
    what was found, or ``None`` when there was nothing."""
    journal_path, staging = root / JOURNAL, root / STAGING
    if journal_path.exists():
        try:
            journal = json.loads(journal_path.read_text(encoding="utf-8"))
            label, started = str(journal["label"]), str(journal["started"])
        except (ValueError, KeyError, TypeError) as exc:
            raise DatabaseDamaged(journal_path, "an unfinished change's journal cannot be read") from exc
        _finish(root, journal)
        return f"The {label} started {started.replace('T', ' ')} was interrupted; it has now been completed."
    if staging.exists():
        label = "change"
        with contextlib.suppress(OSError, UnicodeDecodeError):
            label = (staging / LABEL_FILE).read_text(encoding="utf-8").strip() or label
        shutil.rmtree(staging)
        return f"An interrupted {label} was found and undone: nothing of it was saved, nothing else changed."
    return None
