"""The typed repository over the database folder.

It is the file machinery: opening, the lock, the schema, reading and writing each file whole,
entries by month, many-file changes. It is long (about 700 lines) because those steps share one
state (the lock held, the files open, a change pending) that splitting would have to pass around.
The typed accessors of the tables of ``meta.json`` and ``sessions.json`` (the profile, scans,
meals, the regimen, sessions...) are ``storage.records.RecordTables``, which this class builds on:
they reach the files only through ``_table_read``, ``_table_text`` and ``_edit_tables`` here.

Layout (``PATH`` given by ``--db`` names this folder)::

    PATH/meta.json              schema version, profile, regimen, exercise setup, the user's
                                supplements, custom foods, supplement sets, scans, labs, meals,
                                recipes, recently deleted entries (for undo)
    PATH/sessions.json          exercise session records and the session in progress (schema 4:
                                years of them were most of meta.json, read by every command)
    PATH/entries/YYYY-MM.json   one TinyDB file per month of log entries
    PATH/.lock                  held by the process that may write

Splitting entries by month keeps the file rewritten on each log small (a month of entries)
however many years of history accrue.

Every logical change is one atomic write: a change of one file is read, checked whole, changed
and replaced in one rename; a change of several files (an entry moved to another month, a delete
with its undo copy, an import) goes through ``storage.switch``. A file that does not validate whole
is never rewritten: the write is refused before anything changes.
"""

from __future__ import annotations

import contextlib
import copy
import os
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError
from tinydb import TinyDB

from bonecoach.clock import Clock, wall_clock
from bonecoach.domain.models import Entry
from bonecoach.storage import switch
from bonecoach.storage.atomic import DIR_MODE, AtomicJSONStorage, file_stamp
from bonecoach.storage.checked import CheckedRecord
from bonecoach.storage.errors import DatabaseDamaged, DatabaseLocked, DatabaseTooNew, ReadOnlyDatabase, StorageError
from bonecoach.storage.guard import check_folder, check_root
from bonecoach.storage.layout import META_FILE, SESSIONS_FILE, SESSIONS_OWN_FILE_FROM, TABLE_FILES, file_of_table
from bonecoach.storage.lock import DatabaseLock
from bonecoach.storage.migrations import SCHEMA_VERSION, migrate
from bonecoach.storage.records import Doc, RecordTables, Tables, _next_key, _put
from bonecoach.storage.switch import STAGING
from bonecoach.storage.tables import files_problem, meta_problem, month_problem, schema_version_of, sessions_problem

TRASH_KEEP = 50
PENDING_WAIT = 5.0  # seconds a reader waits for another process to finish a change of many files

M = TypeVar("M", bound=BaseModel)


def _month_key(moment: datetime | date) -> str:
    return f"{moment.year:04d}-{moment.month:02d}"


class _Replacement(switch.Staging):
    """The staged files of a whole replace, and (once committed) where the old ones were kept."""

    aside: Path | None = None


class Repository(RecordTables):
    """Read and write everything bonecoach stores, one atomic change per logical change."""

    def __init__(
        self,
        root: Path,
        *,
        readonly: bool = False,
        lock_wait: float = 0.0,
        auto_backup: bool = True,
        lock_on_open: bool = True,
        clock: Clock = wall_clock,
    ) -> None:
        """Open the database in ``root``; ``clock`` dates its backups, trash and journal (the
        services hand it theirs: one clock for a whole run).

        Writable opens take the lock at once (``lock_on_open``, what the app does: it writes for
        as long as it runs) or at the first write (a command: reading the catalog and the day does
        not keep another bonecoach waiting), waiting up to ``lock_wait`` seconds either way.
        """
        if (root.exists() and not root.is_dir()) or (root.is_symlink() and not root.exists()):
            raise StorageError(f"{root} is not a folder: --db (or BONECOACH_DB) names the database folder.")
        check_root(root, writable=not readonly)  # before anything in it is read or trusted
        self.root = root
        self.readonly = readonly
        self.clock = clock
        self.lock_wait = lock_wait
        # The day's rotating backup is taken just before the first change this process makes,
        # so it holds the state from before today's edits, and a refused command writes nothing.
        self._backup_pending = auto_backup
        self.lock = DatabaseLock(root)
        self.recovered: str | None = None  # what finishing an interrupted change found, to tell the user
        self._pending: switch.PendingView | None = None  # read-only: a change waiting, read in place
        self._upgrade_from: int | None = None  # read-only: the older schema read as the current one
        try:
            if not readonly:
                self._make_private_folder(root)
                if lock_on_open:
                    self._take_lock(lock_wait)
            self._open_files()
            self._settle_pending_change()
            self._check_schema()
            self._merge_conflict_copies()
        except BaseException:
            self.lock.release()  # a refused open holds nothing (the app may go on and open another)
            raise

    def _open_files(self) -> None:
        self._table_files = {
            name: TinyDB(self._file(name), storage=AtomicJSONStorage, readonly=self.readonly) for name in TABLE_FILES
        }
        self._tables_stamp: dict[str, tuple[int, ...]] = {}  # file -> stamp of the version cached
        self._tables_cache: dict[str, Tables] = {}
        self._months: dict[str, TinyDB] = {}
        self._sound_stamps: dict[str, tuple[int, ...]] = {}  # file -> stamp of the version that validated
        self._checked = CheckedRecord(self.root)  # and across processes, by content

    def _file(self, relative: str) -> Path:
        """Where a database file is read from: the database, or the staging folder while a
        waiting change holds it there (read-only opens only)."""
        pending = self._pending
        if pending is not None and (relative in pending.staged or pending.replaces_all):
            return pending.staged.get(relative, self.root / STAGING / relative)
        return self.root / relative

    @staticmethod
    def _make_private_folder(root: Path) -> None:
        try:
            root.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
            if not check_folder(root / "entries"):  # never through a link: chmod would follow it
                (root / "entries").mkdir(mode=DIR_MODE)
            # Health data: the folder is the user's alone, even one that existed with looser modes.
            for folder in (root, root / "entries"):
                if os.stat(folder).st_mode & 0o077:
                    os.chmod(folder, DIR_MODE)
        except (FileExistsError, NotADirectoryError):
            raise StorageError(f"{root} is not a folder: --db (or BONECOACH_DB) names the database folder.") from None
        except PermissionError as exc:
            raise StorageError(f"{root}: permission denied ({exc.filename}); nothing was changed.") from None
        except OSError as exc:  # a read-only disk, a full one
            raise StorageError(f"{root}: cannot be written ({exc.strerror}); nothing was changed.") from None

    def _take_lock(self, wait: float) -> None:
        self.lock.acquire(wait)
        self._remove_stale_temporaries()

    def _remove_stale_temporaries(self) -> None:
        """Temporary files left by a write that was killed; safe to remove under the lock,
        because only the lock holder writes and the files they replace were never touched."""
        for folder in (self.root, self.root / "entries", self.root / "backups"):
            # Only in the folders themselves: a link to another folder would delete files there.
            for stale in folder.glob(".*.tmp") if folder == self.root or check_folder(folder) else []:
                with contextlib.suppress(OSError):
                    stale.unlink()
        # Derived files older versions kept here; they live in the user cache folder now.
        for legacy in (self.root / ".next-up.json", self.root / ".checked.json"):
            with contextlib.suppress(OSError):
                legacy.unlink()

    def _settle_pending_change(self) -> None:
        """Finish or undo a change of several files that a killed process left half done."""
        if not switch.pending(self.root):
            return
        if self.readonly:
            # Never moves a file: waits for a live writer to finish, else reads the database as
            # the waiting change makes it (a staging folder alone was never committed: ignored).
            deadline = time.monotonic() + PENDING_WAIT
            while switch.pending(self.root) and self.lock.busy() and time.monotonic() < deadline:
                time.sleep(0.05)
            self._pending = switch.pending_view(self.root)
            self.recovered = self._pending.note if self._pending else None
            self._open_files()
            return
        if not self.lock.held:
            # Someone else may be in the middle of it: wait for them, then take it over if they died.
            deadline = time.monotonic() + self.lock_wait
            while switch.pending(self.root) and time.monotonic() < deadline:
                time.sleep(0.05)
            if not switch.pending(self.root):
                return
            try:
                self.lock.acquire(0.0)
            except DatabaseLocked:
                return  # the holder is alive and will finish it
            self.recovered = switch.recover(self.root)
        else:
            self.recovered = switch.recover(self.root)
        self._open_files()

    def _merge_conflict_copies(self) -> None:
        """Merge the conflict copies a sync tool left (``storage.sync_merge``) as one change, then
        remove them; a read-only open only says they wait."""
        from bonecoach.storage.sync_merge import conflict_copies, merge_meta, merge_month, with_losers

        copies = conflict_copies(self.root)
        if not copies:
            return
        names = ", ".join(path.name for _, path in copies)
        if self.readonly:
            self._say(f"Conflict copies from a sync tool ({names}) wait to be merged: their changes are not "
                      "shown until the next command that saves merges them.")  # fmt: skip
            return
        self._writable()  # the day's backup first: it holds the state from before the merge
        meta = copy.deepcopy(self._sound_meta())
        merged: dict[str, Tables] = {}
        used, refused = [], []
        for relative, path in copies:  # meta.json's copies first: their undo trash decides deletes
            theirs, problem = self._read_copy(relative, path)
            if theirs is None:
                refused.append(f"{path.name} ({problem})")
                continue
            if relative == META_FILE:
                meta = merge_meta(meta, theirs)
            elif relative == SESSIONS_FILE:  # the same merge, table by table (sessions by day and kind)
                ours = merged.get(relative) or copy.deepcopy(self._sound_tables(SESSIONS_FILE))
                merged[relative] = merge_meta(ours, theirs)
            else:
                key = relative[len("entries/") : -len(".json")]
                ours = merged.get(relative) or (
                    copy.deepcopy(self._sound_month(key)) if key in self.month_keys() else {}
                )
                merged[relative], losers = merge_month(ours, theirs, meta.get("trash", {}))
                meta = with_losers(meta, losers, self.clock().isoformat(timespec="seconds"))
            used.append(path)
        if used:
            self._commit({"meta.json": meta, **merged}, "merge of conflict copies")
            for path in used:  # only now: a crash before this merges them again, to the same result
                path.unlink()
            self._say(f"Merged what another computer saved ({', '.join(p.name for p in used)}) and removed the "
                      "copies: entries by id, a deletion kept where its undo record came along, the earlier "
                      "of two edits of one entry kept in the undo trash.")  # fmt: skip
        if refused:
            self._say(f"Not merged, left in place: {'; '.join(refused)}.")

    def _read_copy(self, relative: str, path: Path) -> tuple[Tables | None, str]:
        from bonecoach.storage.guard import read_regular_text

        storage = AtomicJSONStorage(path, readonly=True)
        try:
            read_regular_text(path)  # a link, a pipe, another user's file: refused, named
            data = storage.read() or {}
        except (StorageError, OSError) as exc:
            return None, str(exc)[:120]
        found = files_problem({relative: data})
        problem = found[1] if found else None
        if problem is None and relative == META_FILE and (version := schema_version_of(data)) != SCHEMA_VERSION:
            problem = f"schema {version}"
        return (None, problem) if problem else (data, "")

    def _say(self, sentence: str) -> None:
        self.recovered = sentence if self.recovered is None else f"{self.recovered}\n{sentence}"

    def close(self) -> None:
        """Release the lock; every change is already on disk."""
        self.lock.release()

    def try_writable(self) -> bool:
        """For a copy opened read-only because another bonecoach held the lock: take the lock if it
        is free now and become writable. Whether this copy can write."""
        if not self.readonly:
            return True
        try:
            self.lock.acquire(0.0)
        except DatabaseLocked:
            return False
        self._remove_stale_temporaries()
        self.readonly = False
        self._pending = None
        self._open_files()
        self._settle_pending_change()
        self._check_schema()
        return True

    # -- schema -----------------------------------------------------------------------------

    def _check_schema(self) -> None:
        self._upgrade_from = None  # the version as stored, not as upgraded
        self._tables_stamp.clear()
        info = self._table_read("meta").get("1")
        if info is None:
            if self._holds_data():
                raise DatabaseDamaged(self.root / "meta.json", "it has data but no schema version")
            if not self.readonly:
                if not self.lock.held:
                    self._take_lock(self.lock_wait)
                schema = {"schema_version": SCHEMA_VERSION, "created": self.clock().isoformat()}
                self._write_meta_raw({"meta": {"1": schema}})
            return
        version = info.get("schema_version")
        if not isinstance(version, int) or version < 1:
            raise DatabaseDamaged(self.root / "meta.json", "no valid schema version")
        if version > SCHEMA_VERSION:
            raise DatabaseTooNew(
                f"{self.root} was written by a newer bonecoach (schema {version}; this one "
                f"reads up to {SCHEMA_VERSION}). Upgrade bonecoach; the file was not changed."
            )
        if version < SCHEMA_VERSION and self.readonly:
            # A reader changes no file: it reads every file as the migration will write it.
            self._upgrade_from = version
            self._tables_stamp.clear()
        elif version < SCHEMA_VERSION:
            if not self.lock.held:
                self._take_lock(self.lock_wait)
            self._migrate(version)

    def _holds_data(self) -> bool:
        """Whether the database holds anything but its schema document."""
        return bool(self.month_keys() or set(self._tables_all(META_FILE)) - {"meta"} or self._tables_all(SESSIONS_FILE))

    def _upgraded(self, relative: str, data: Tables) -> Tables:
        """A file as read, brought up to the current schema in memory (read-only opens of an
        older database: every view, ``next`` and ``export`` see the current layout)."""
        if self._upgrade_from is None:
            return data
        if relative == SESSIONS_FILE and self._upgrade_from < SESSIONS_OWN_FILE_FROM:
            # Still in meta.json as stored: read from there, as the migration will move them.
            raw_meta = self._tables_storage(META_FILE).read() or {}
            files = migrate({META_FILE: raw_meta, relative: data}, self._upgrade_from, SCHEMA_VERSION)
            return files.get(relative, data)
        files = migrate({relative: data}, self._upgrade_from, SCHEMA_VERSION)
        upgraded = files.get(relative, data)
        if relative == "meta.json" and "1" in upgraded.get("meta", {}):
            upgraded["meta"]["1"] = {**upgraded["meta"]["1"], "schema_version": SCHEMA_VERSION}
        return upgraded

    def _migrate(self, version: int) -> None:
        """Back up, then bring every file up to the current schema in one change."""
        from bonecoach.storage.backup import snapshot, write_backup

        now = self.clock()
        write_backup(self.root, f"pre-migration-v{version}-{now:%Y%m%d-%H%M%S}", now)
        files = migrate(snapshot(self.root)["files"], version, SCHEMA_VERSION)
        files["meta.json"]["meta"]["1"].update({"schema_version": SCHEMA_VERSION, "migrated_from": version})
        switch.commit(self.root, files, label="schema migration", now=now)
        self._open_files()

    def _valid(self, model: type[M], doc: Doc, where: str) -> M:
        """A stored document as ``model``; one that does not fit is damage, reported as such."""
        try:
            return model.model_validate(doc)
        except ValidationError as exc:
            problem = exc.errors()[0]
            field = ".".join(str(part) for part in problem["loc"])
            raise DatabaseDamaged(
                self.root / where, f"a stored {model.__name__.lower()} is invalid at {field}: {problem['msg']}"
            ) from exc

    def verify(self) -> int:
        """Parse and validate every file whole; the number of entries, or ``DatabaseDamaged``."""
        self._check_meta()
        self._sound_tables(SESSIONS_FILE)
        return sum(len(self._sound_month(key).get("entries", {})) for key in self.month_keys())

    def backup_if_due(self, now: datetime) -> list[Path]:
        """Today's and this week's rotating backups, from a sound database only (the backup
        module is imported here: a command that only reads never needs it)."""
        from bonecoach.storage.backup import due_backups, ensure_rotating_backups

        if self.readonly or not due_backups(self.root, now.date()):
            return []
        # Each file is checked whole unless its exact content was (the checked record).
        return ensure_rotating_backups(self.root, now.date(), now, self._checked)

    def created_on(self) -> date | None:
        """The day the database was made (from its schema document), or ``None`` if unknown."""
        created = self._table_read("meta").get("1", {}).get("created")
        try:
            return datetime.fromisoformat(created).date() if isinstance(created, str) else None
        except ValueError:
            return None  # "import" and other non-dates: unknown

    def first_entry_day(self, *, skip_prefix: str | None = None) -> date | None:
        """The day of the earliest entry (reads only the first month file); with ``skip_prefix``,
        of the earliest entry whose id does not start with it, if that month holds one."""
        for key in self.month_keys():
            times = [at for doc in self._month_docs(key).values()
                     if isinstance(at := doc.get("at"), str)
                     and not (skip_prefix and str(doc.get("id", "")).startswith(skip_prefix))]  # fmt: skip
            return datetime.fromisoformat(min(times)).date() if times else None
        return None

    @property
    def schema_version(self) -> int:
        """The schema version stored in the database."""
        info = self._table_read("meta").get("1")
        return int(info["schema_version"]) if info else SCHEMA_VERSION

    def _writable(self) -> None:
        self._locked()
        if self._backup_pending:
            self._backup_pending = False
            self.backup_if_due(self.clock())

    def _locked(self) -> None:
        """Hold the lock (waiting for it a moment), or say why nothing can be saved."""
        if self.readonly:
            raise ReadOnlyDatabase(f"{self.root} is open read-only (another bonecoach holds it); nothing was saved.")
        if not self.lock.held:
            try:
                self._take_lock(self.lock_wait)
            except DatabaseLocked as exc:
                raise DatabaseLocked(f"{exc} Waited {self.lock_wait:g} s; nothing was saved.") from None

    # -- reading and writing files whole ---------------------------------------------------------

    def _tables_storage(self, relative: str) -> AtomicJSONStorage:
        storage = self._table_files[relative].storage
        assert isinstance(storage, AtomicJSONStorage)
        return storage

    def _tables_all(self, relative: str) -> Tables:
        """A file of tables (meta.json, sessions.json) parsed, once per version of the file (a
        write replaces the file, so its stamp changes): reviews ask for the profile and settings
        often. Shared: callers must not change it."""
        storage = self._tables_storage(relative)
        if relative == SESSIONS_FILE and self._upgrade_from is not None:
            return self._upgraded(relative, storage.read() or {})  # made from meta.json: not cached
        on_disk = storage.stamp()
        if on_disk is None:
            storage.current_text()  # noted as absent for a kept answer: its appearing is a change
            return {}
        stamp = (*on_disk, storage.own_writes())
        if stamp != self._tables_stamp.get(relative):
            self._tables_cache[relative] = self._upgraded(relative, storage.read() or {})
            self._tables_stamp[relative] = stamp
        else:
            storage.note_read()  # for a kept answer: read from this cache is read all the same
        return self._tables_cache[relative]

    def _table_text(self, table: str) -> str | None:
        """The text of the file that holds ``table`` as stored, or ``None`` when it is absent or
        must be read through the schema upgrade (then ``_table_read``)."""
        return None if self._upgrade_from is not None else self._tables_storage(file_of_table(table)).current_text()

    def _table_read(self, table: str) -> dict[str, Doc]:
        """A table's documents, from the file that holds it (``storage.layout``)."""
        return self._tables_all(file_of_table(table)).get(table, {})

    def _sound(self, relative: str, storage: AtomicJSONStorage, check: Callable[[Tables], str | None]) -> Tables:
        """A file's content, checked whole once per version (a changed file is checked again)."""
        data = self._upgraded(relative, storage.read() or {})
        self._check_sound(relative, storage, check, data)
        return data

    def _check_sound(
        self, relative: str, storage: AtomicJSONStorage, check: Callable[[Tables], str | None], data: Tables | None
    ) -> None:
        """Check a file whole unless this version of it was (``data``: its content, else it is
        parsed only if it has to be checked)."""
        text = storage.current_text()
        stamp = storage.stamp()
        if stamp is not None and self._sound_stamps.get(relative) != stamp:
            problem = self._checked.problem(
                relative,
                text or "",
                lambda: check(data if data is not None else self._upgraded(relative, storage.read() or {})),
            )
            if problem:
                raise DatabaseDamaged(self.root / relative, problem)
            self._sound_stamps[relative] = stamp

    def _sound_meta(self) -> Tables:
        return self._sound_tables(META_FILE)

    def _sound_tables(self, relative: str) -> Tables:
        """meta.json or sessions.json, checked whole (an absent sessions.json is empty)."""
        check = meta_problem if relative == META_FILE else sessions_problem
        return self._sound(relative, self._tables_storage(relative), check)

    def _check_meta(self) -> None:
        """meta.json must be sound (checked as ``_sound_meta``, without parsing it again when
        this version was checked, for a change of a month file)."""
        self._check_sound(META_FILE, self._tables_storage(META_FILE), meta_problem, None)

    def _sound_month(self, key: str) -> Tables:
        return self._sound(f"entries/{key}.json", self._month_storage(key), lambda doc: month_problem(doc, key))

    def _write(self, relative: str, storage: AtomicJSONStorage, data: Tables) -> None:
        storage.write(data)
        stamp = storage.stamp()
        if stamp is not None:
            self._sound_stamps[relative] = stamp  # written from a sound file and validated models
            self._checked.note(relative, self._checked.digest(storage.text() or ""))

    def _write_meta_raw(self, data: Tables) -> None:
        self._write(META_FILE, self._tables_storage(META_FILE), data)

    def _edit_tables(self, change: Callable[[Tables], None], relative: str = META_FILE) -> None:
        """One change of meta.json (or sessions.json): read and checked whole, changed, replaced
        in one rename."""
        self._writable()
        data = self._sound_tables(relative)
        change(data)
        self._write(relative, self._tables_storage(relative), data)

    def _edit_month(self, key: str, change: Callable[[dict[str, Doc]], None]) -> None:
        """One change of a month file; meta.json must be sound too (the profile, targets and
        rules every figure of the entry needs; and a database with a damaged file cannot be backed up)."""
        self._writable()
        self._check_meta()
        data = self._sound_month(key)
        change(data.setdefault("entries", {}))
        self._write(f"entries/{key}.json", self._month_storage(key), data)

    def _commit(self, files: dict[str, Tables], label: str) -> None:
        """Several files changed as one (see ``storage.switch``), each checked before."""
        switch.commit(self.root, files, label=label, now=self.clock())
        self._open_files()

    # -- entries ----------------------------------------------------------------------------

    def _month(self, key: str) -> TinyDB:
        db = self._months.get(key)
        if db is None:
            path = self._file(f"entries/{key}.json")
            db = TinyDB(path, storage=AtomicJSONStorage, readonly=self.readonly)
            self._months[key] = db
        return db

    def _month_storage(self, key: str) -> AtomicJSONStorage:
        storage = self._month(key).storage
        assert isinstance(storage, AtomicJSONStorage)
        return storage

    def _month_docs(self, key: str) -> dict[str, Doc]:
        return self._upgraded(f"entries/{key}.json", self._month_storage(key).read() or {}).get("entries", {})

    def month_keys(self) -> list[str]:
        """Months that have an entries file, oldest first."""
        folder = self.root / "entries"
        found = set()
        if check_folder(folder) and not (self._pending and self._pending.replaces_all):
            found = {p.stem for p in folder.glob("*.json") if switch.MONTH_FILE.fullmatch(p.name)}
        staged = self._pending.staged if self._pending else {}
        months = (name for name in staged if name.startswith("entries/"))
        return sorted(found | {name[len("entries/") : -len(".json")] for name in months})

    def add_entry(self, entry: Entry) -> None:
        """Store a new entry."""
        self.add_entries([entry])

    def add_entries(self, entries: Iterable[Entry]) -> None:
        """Store several entries as one change (one file, or several switched at once)."""
        by_month: dict[str, list[Doc]] = {}
        for entry in entries:
            by_month.setdefault(_month_key(entry.at), []).append(entry.model_dump(mode="json"))
        if len(by_month) == 1:
            ((key, docs),) = by_month.items()
            self._edit_month(key, lambda table: self._append(table, docs))
        elif by_month:
            self._writable()
            self._check_meta()
            files = {}
            for key, docs in by_month.items():
                data = copy.deepcopy(self._sound_month(key)) if key in self.month_keys() else {}
                self._append(data.setdefault("entries", {}), docs)
                files[f"entries/{key}.json"] = data
            self._commit(files, "import of entries")

    @contextlib.contextmanager
    def adding_entries(self, label: str) -> Iterator[Callable[[list[Entry]], None]]:
        """Add entries a month at a time (an import too large to hold whole): each call stages one
        month's new entries with that month's file; when the block ends they are added as one
        change, and nothing changes if it raises."""
        self._writable()
        self._check_meta()
        staging = switch.Staging(self.root, label)
        staged: set[str] = set()

        def add_month(entries: list[Entry]) -> None:
            if not entries:
                return
            key = _month_key(entries[0].at)
            if key in staged or any(_month_key(entry.at) != key for entry in entries):
                raise ValueError("each month is added once, whole")
            data = copy.deepcopy(self._sound_month(key)) if key in self.month_keys() else {}
            self._append(data.setdefault("entries", {}), [entry.model_dump(mode="json") for entry in entries])
            staging.add(f"entries/{key}.json", data)
            staged.add(key)

        try:
            yield add_month
        except BaseException:
            staging.abandon()
            raise
        if staged:
            staging.commit(self.clock())
            self._open_files()
        else:
            staging.abandon()

    @staticmethod
    def _append(table: dict[str, Doc], docs: list[Doc]) -> None:
        start = int(_next_key(table))
        for offset, doc in enumerate(docs):
            table[str(start + offset)] = doc

    def entries_stamp(self, start: date, end: date) -> tuple[object, ...]:
        """Changes whenever an entry from ``start`` to ``end`` may have changed (each month file
        is replaced on every write), for caches of figures computed from those entries."""
        low, high = _month_key(start), _month_key(end)
        stamps: list[object] = [AtomicJSONStorage.writes]
        for key in self.month_keys():
            stamp = file_stamp(self._file(f"entries/{key}.json")) if low <= key <= high else None
            if stamp is not None:
                stamps.append((key, *stamp))
        return tuple(stamps)

    def entries_between(self, start: date, end: date) -> list[Entry]:
        """Entries from ``start`` to ``end`` inclusive, in time order."""
        low, high = start.isoformat(), end.isoformat() + "\uffff"
        found: list[Entry] = []
        for key in self.month_keys():
            if key < _month_key(start) or key > _month_key(end):
                continue
            for doc in self._month_docs(key).values():
                at = doc.get("at")
                if not isinstance(at, str):
                    raise DatabaseDamaged(self.root / "entries" / f"{key}.json", "an entry has no time")
                if low <= at <= high:
                    found.append(self._valid(Entry, dict(doc), f"entries/{key}.json"))
        found.sort(key=lambda entry: (entry.at, entry.id))
        return found

    def entries_on(self, day: date) -> list[Entry]:
        """The day's entries in time order."""
        return self.entries_between(day, day)

    def _locate(self, entry_id: str) -> str | None:
        for key in reversed(self.month_keys()):
            if any(doc.get("id") == entry_id for doc in self._month_docs(key).values()):
                return key
        return None

    def get_entry(self, entry_id: str) -> Entry | None:
        """The entry with this id, or ``None``."""
        key = self._locate(entry_id)
        if key is None:
            return None
        doc = next(doc for doc in self._month_docs(key).values() if doc.get("id") == entry_id)
        return self._valid(Entry, dict(doc), f"entries/{key}.json")

    @staticmethod
    def _without(table: dict[str, Doc], entry_id: str) -> None:
        for doc_id in [k for k, doc in table.items() if doc.get("id") == entry_id]:
            del table[doc_id]

    def replace_entry(self, entry: Entry) -> None:
        """Store a changed entry under its id, moving it to another month file if its time moved."""
        old_key = self._locate(entry.id)
        if old_key is None:
            raise KeyError(entry.id)
        new_key, doc = _month_key(entry.at), entry.model_dump(mode="json")
        if new_key == old_key:
            self._edit_month(old_key, lambda table: _put(table, doc, lambda old: old.get("id") == entry.id))
            return
        self._writable()
        self._check_meta()
        old = copy.deepcopy(self._sound_month(old_key))
        new = copy.deepcopy(self._sound_month(new_key)) if new_key in self.month_keys() else {}
        self._without(old.setdefault("entries", {}), entry.id)
        self._append(new.setdefault("entries", {}), [doc])
        self._commit({f"entries/{old_key}.json": old, f"entries/{new_key}.json": new}, "change of an entry")

    def delete_entry(self, entry_id: str) -> Entry:
        """Remove an entry, keeping it in the trash so it can be undone (one change of two files)."""
        key = self._locate(entry_id)
        if key is None:
            raise KeyError(entry_id)
        self._writable()
        month = copy.deepcopy(self._sound_month(key))
        entry = next(
            self._valid(Entry, dict(doc), f"entries/{key}.json")
            for doc in month["entries"].values()
            if doc.get("id") == entry_id
        )
        meta = copy.deepcopy(self._sound_meta())
        trash = meta.setdefault("trash", {})
        trash[_next_key(trash)] = {"entry": entry.model_dump(mode="json"), "deleted_at": self.clock().isoformat()}
        for oldest in sorted(trash, key=int)[: max(0, len(trash) - TRASH_KEEP)]:
            del trash[oldest]
        self._without(month["entries"], entry_id)
        self._commit({"meta.json": meta, f"entries/{key}.json": month}, "deletion of an entry")
        return entry

    def restore_last_deleted(self) -> Entry | None:
        """Put back the most recently deleted entry; ``None`` if there is nothing to undo."""
        self._writable()
        meta = copy.deepcopy(self._sound_meta())
        trash = meta.get("trash", {})
        if not trash:
            return None
        last = max(trash, key=int)
        entry = self._valid(Entry, trash.pop(last)["entry"], "meta.json")
        files: dict[str, Tables] = {"meta.json": meta}
        if self._locate(entry.id) is None:
            key = _month_key(entry.at)
            month = copy.deepcopy(self._sound_month(key)) if key in self.month_keys() else {}
            self._append(month.setdefault("entries", {}), [entry.model_dump(mode="json")])
            files[f"entries/{key}.json"] = month
        self._commit(files, "undo of a deletion")
        return entry

    # -- export and import ------------------------------------------------------------------

    def meta_tables(self) -> Tables:
        """Every table of meta.json and sessions.json as stored (checked whole), for export."""
        return {**self._sound_meta(), **self._sound_tables(SESSIONS_FILE)}

    def all_entries(self) -> list[Entry]:
        """Every entry, in time order."""
        found = []
        for key in self.month_keys():
            found += [self._valid(Entry, dict(doc), f"entries/{key}.json") for doc in self._month_docs(key).values()]
        return sorted(found, key=lambda e: (e.at, e.id))

    def replace_all(self, files: dict[str, Tables], label: str) -> Path | None:
        """Replace the whole database with ``files`` (already checked) as one change; the old files
        are kept in a folder beside them when they held anything but the schema. Returns that folder."""
        with self.replacing_all(label) as staging:
            for relative, doc in files.items():
                staging.add(relative, doc)
        return staging.aside

    @contextlib.contextmanager
    def replacing_all(self, label: str) -> Iterator[_Replacement]:
        """``replace_all`` with the new files given one at a time (each already checked): they
        become the database as one change when the block ends, and nothing changes if it raises."""
        self._locked()  # the day's backup waits until all of it has passed its checks
        staging = _Replacement(self.root, label)
        try:
            yield staging
            self._writable()
        except BaseException:
            staging.abandon()
            raise
        holds_data = self._holds_data()
        staging.aside = staging.commit(self.clock(), replace_all=holds_data)
        self._open_files()
