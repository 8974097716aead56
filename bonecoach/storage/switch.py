"""Changes that span several database files, made all at once as seen by the next open.

One file is replaced atomically by a rename. An import, a restore or an entry moved to another
month touches several, so they are written whole into a staging folder beside the database
first; then a journal (one atomic file) commits the change, and the staged files are renamed
into place. Whoever opens the database next finishes a change whose journal exists and removes
a staging folder without one, so the change is either complete or never happened, and says which.

Phases of the journal: ``aside`` moves every current database file into a kept folder (a whole
replace: import and restore), then ``place`` renames the staged files in. Each phase can be
repeated after a crash without harm: ``aside`` runs before any staged file is placed, so what it
finds in the database is always the old version. The journal is removed last, after the staging
folder, so a change found with its journal is always reported as completed, and one found without
it was never committed.

The journal is input like any file in the folder (storage.guard): it may name only what bonecoach
writes (``meta.json``, ``sessions.json``, ``entries/YYYY-MM.json``, an aside folder ``LABEL-TIMESTAMP``), its staged
files must be regular files in a real staging folder, and an ``aside`` phase must find every
staged file before it moves anything; otherwise nothing is moved and the journal is named.
Read-only opens never finish a change: they say one is waiting (``pending_note``).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
from datetime import datetime
from pathlib import Path
from typing import Any

from bonecoach.storage.atomic import DIR_MODE, atomic_write_bytes, fsync_dir
from bonecoach.storage.errors import DatabaseDamaged
from bonecoach.storage.guard import UnsafeDatabase, check_file, check_folder, read_regular_text
from bonecoach.storage.layout import TABLE_FILES

STAGING = ".staging"
JOURNAL = ".switch.json"
LABEL_FILE = ".label"

Files = dict[str, dict[str, Any]]

MONTH_FILE = re.compile(r"\d{4}-\d{2}\.json")
_STORED_FILE = re.compile("|".join(map(re.escape, TABLE_FILES)) + r"|entries/\d{4}-\d{2}\.json")
_LABEL = re.compile(r"[a-z]+(?: [a-z]+){0,5}")
_ASIDE = re.compile(r"(?P<label>[a-z]+(?: [a-z]+){0,5})-\d{8}-\d{6}-\d{6}")
_MOST_FILES = 100_000  # months for eight thousand years: more is not a journal of ours


def encode(doc: dict[str, Any]) -> bytes:
    """A database file's bytes, as every writer writes them."""
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def database_files(root: Path) -> list[Path]:
    """The files that make up the database (not backups, locks, staging or moved-aside copies)."""
    files = [root / name for name in TABLE_FILES if os.path.lexists(root / name)]
    folder = root / "entries"
    months = (path for path in folder.glob("*.json") if MONTH_FILE.fullmatch(path.name))
    return files + (sorted(months) if check_folder(folder) else [])


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
        if not _LABEL.fullmatch(label):
            raise ValueError(f"not a change label: {label!r}")
        if os.path.lexists(root / JOURNAL):
            recover(root)  # an earlier change must be finished before another starts
        self.root, self.label = root, label
        self.names: list[str] = []
        self.folder = root / STAGING
        if check_folder(self.folder):
            shutil.rmtree(self.folder)
        (self.folder / "entries").mkdir(mode=DIR_MODE, parents=True)
        atomic_write_bytes(self.folder / LABEL_FILE, label.encode())

    def add(self, relative: str, doc: dict[str, Any]) -> None:
        """Stage one file (relative path -> TinyDB document)."""
        if not _STORED_FILE.fullmatch(relative):
            raise ValueError(f"not a database file: {relative!r}")
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


def journal_problem(journal: object) -> str | None:
    """Why ``journal`` is not one bonecoach wrote, or ``None``: it may name only the files and the
    aside folder bonecoach writes."""
    if not isinstance(journal, dict):
        return "it is not a journal"
    label, phase, aside, files = (journal.get(key) for key in ("label", "phase", "aside", "files"))
    if not isinstance(label, str) or not _LABEL.fullmatch(label):
        return "its label is not one bonecoach writes"
    try:
        datetime.fromisoformat(str(journal.get("started")))
    except ValueError:
        return "its start time is not a time"
    if phase not in ("aside", "place"):
        return "its phase is not one bonecoach writes"
    if phase == "aside" and aside is None:
        return "it moves files aside without saying where"
    if aside is not None and not (
        isinstance(aside, str) and (found := _ASIDE.fullmatch(aside)) and found["label"] == label
    ):
        return f"it names {str(aside)[:80]!r} as the folder for the old files, which bonecoach never makes"
    if not isinstance(files, list) or not files or len(files) > _MOST_FILES:
        return "it names no files, or too many"
    for name in files:
        if not isinstance(name, str) or not _STORED_FILE.fullmatch(name):
            return f"it names {str(name)[:80]!r}, which is not a database file"
    return None


def _read_journal(root: Path) -> dict[str, Any]:
    path = root / JOURNAL
    try:
        journal = json.loads(read_regular_text(path))
    except (ValueError, RecursionError) as exc:  # not UTF-8, not JSON, nested too deeply
        raise DatabaseDamaged(path, "an unfinished change's journal cannot be read") from exc
    problem = journal_problem(journal)
    if problem:
        raise UnsafeDatabase(
            path,
            f"is not a journal bonecoach wrote ({problem})",
            f"No file was moved. If you did not put it there, move it and {root / STAGING} out of the "
            "database folder; or restore a backup (bonecoach backup list), which sets it aside.",
        )
    assert isinstance(journal, dict)
    return journal


def _staged_files(root: Path, journal: dict[str, Any]) -> list[str]:
    """The journal's files still in the staging folder, each checked to be a regular file. In the
    aside phase nothing is placed yet, so every one must be there: a missing file means the staging
    folder is not this change's, and moving the database aside would empty it."""
    staging = root / STAGING
    staged = []
    if check_folder(staging):
        check_folder(staging / "entries")
        staged = [name for name in journal["files"] if check_file(staging / name)]
    if journal["phase"] == "aside" and len(staged) != len(journal["files"]):
        raise DatabaseDamaged(root / JOURNAL, "it moves the database aside, but the files to replace it are missing")
    return staged


def _finish(root: Path, journal: dict[str, Any]) -> None:
    staging = root / STAGING
    staged = _staged_files(root, journal)
    check_folder(root / "entries")
    if journal["phase"] == "aside":
        aside = root / str(journal["aside"])
        for folder in (aside, aside / "entries"):
            if not check_folder(folder):
                folder.mkdir(mode=DIR_MODE)
        for path in database_files(root):
            os.replace(path, aside / path.relative_to(root))
        fsync_dir(root / "entries")
        fsync_dir(root)
        journal = {**journal, "phase": "place"}
        atomic_write_bytes(root / JOURNAL, json.dumps(journal).encode())
    if not check_folder(root / "entries"):
        (root / "entries").mkdir(mode=DIR_MODE)
    for relative in staged:  # a file absent was placed before an interruption
        os.replace(staging / relative, root / relative)
    fsync_dir(root / "entries")
    fsync_dir(root)
    shutil.rmtree(staging, ignore_errors=True)
    if os.path.lexists(staging):
        return  # not removed (e.g. out of file descriptors): the next open finishes the cleanup
    (root / JOURNAL).unlink()  # last: a journal found means the change was made
    fsync_dir(root)


def pending(root: Path) -> bool:
    """Whether an interrupted change is waiting to be finished or rolled back (cheap)."""
    return os.path.lexists(root / JOURNAL) or os.path.lexists(root / STAGING)


def _said(journal: dict[str, Any]) -> tuple[str, str]:
    return journal["label"], str(journal["started"]).replace("T", " ")


class PendingView:
    """For a read-only open, which never moves files: the database as the waiting change makes it,
    read in place (each file from the staging folder while it is staged there, else from the
    database), and a sentence saying a change waits. The journal is checked like a writable open
    checks it."""

    def __init__(self, root: Path) -> None:
        journal = _read_journal(root)
        self.staged = {name: root / STAGING / name for name in _staged_files(root, journal)}
        # Before the aside phase ends nothing is placed: the database is the staged files alone.
        self.replaces_all = journal["phase"] == "aside"
        label, started = _said(journal)
        self.note = (
            f"The {label} started {started} was interrupted and is not finished yet: it is shown as "
            "it will be. The next command that saves finishes it."
        )


def pending_view(root: Path) -> PendingView | None:
    """The waiting change's view of the database (see ``PendingView``), or ``None``."""
    return PendingView(root) if os.path.lexists(root / JOURNAL) else None


def set_aside_journal(root: Path, now: datetime) -> str | None:
    """Before a restore, which replaces everything: a journal that cannot be finished is kept
    (renamed, never deleted) and the staging folder dropped, so the restore can go ahead."""
    path = root / JOURNAL
    if not os.path.lexists(path):
        return None
    try:
        _read_journal(root)
        return None  # a sound journal is finished as usual
    except (DatabaseDamaged, UnsafeDatabase):
        kept = root / f".switch-set-aside-{now:%Y%m%d-%H%M%S}.json"
        os.replace(path, kept)
    staging = root / STAGING
    if os.path.islink(staging):
        staging.unlink()  # the link only, never what it points to
    elif check_folder(staging):
        shutil.rmtree(staging)
    fsync_dir(root)
    return f"An unfinished change's journal could not be used; it was kept as {kept.name}."


def recover(root: Path) -> str | None:
    """Finish or roll back an interrupted change (the caller holds the lock); a sentence saying
    what was found, or ``None`` when there was nothing."""
    staging = root / STAGING
    if os.path.lexists(root / JOURNAL):
        journal = _read_journal(root)
        _finish(root, journal)
        label, started = _said(journal)
        return f"The {label} started {started} was interrupted; it has now been completed."
    if check_folder(staging):
        label = "change"
        with contextlib.suppress(OSError, UnicodeDecodeError, UnsafeDatabase):
            found = read_regular_text(staging / LABEL_FILE).strip()
            label = found if _LABEL.fullmatch(found) else label
        shutil.rmtree(staging)
        return f"An interrupted {label} was found and undone: nothing of it was saved, nothing else changed."
    return None
