"""The typed repository over the database folder.

Layout (``PATH`` given by ``--db`` names this folder)::

    PATH/meta.json              schema version, profile, the user's supplements, custom foods,
                                supplement sets, recently deleted entries (for undo)
    PATH/entries/YYYY-MM.json   one TinyDB file per month of log entries
    PATH/.lock                  held by the process that may write

Splitting entries by month keeps the file rewritten on each log small (a month of entries)
however many years of history accrue.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from tinydb import TinyDB
from tinydb.table import Document, Table

from bonecoach.domain.bone import LabResult, Scan
from bonecoach.domain.meals import Recipe, SavedMeal
from bonecoach.domain.models import Entry, Food, Profile, Supplement
from bonecoach.storage.atomic import DIR_MODE, AtomicJSONStorage, atomic_write_bytes, file_stamp
from bonecoach.storage.backup import due_backups, ensure_rotating_backups, snapshot, write_backup
from bonecoach.storage.errors import DatabaseDamaged, DatabaseTooNew, ReadOnlyDatabase
from bonecoach.storage.lock import DatabaseLock
from bonecoach.storage.migrations import migrate

SCHEMA_VERSION = 2
TRASH_KEEP = 50

M = TypeVar("M", bound=BaseModel)


def _month_key(moment: datetime | date) -> str:
    return f"{moment.year:04d}-{moment.month:02d}"


class Repository:
    """Read and write everything bonecoach stores, one small atomic file write per change."""

    def __init__(self, root: Path, *, readonly: bool = False, lock_wait: float = 0.0, auto_backup: bool = True) -> None:
        self.root = root
        self.readonly = readonly
        # The day's rotating backup is taken just before the first change this process makes,
        # so it holds the state from before today's edits, and a refused command writes nothing.
        self._backup_pending = auto_backup
        self.lock = DatabaseLock(root)
        if not readonly:
            self._make_private_folder(root)
            self.lock.acquire(lock_wait)
            self._remove_stale_temporaries()
        self._meta = TinyDB(root / "meta.json", storage=AtomicJSONStorage, readonly=readonly)
        self._meta_stamp: tuple[int, ...] | None = None
        self._meta_cache: dict[str, dict[str, Any]] = {}
        self._months: dict[str, TinyDB] = {}
        self._check_schema()

    @staticmethod
    def _make_private_folder(root: Path) -> None:
        existed = root.exists()
        root.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
        (root / "entries").mkdir(mode=DIR_MODE, exist_ok=True)
        if not existed:
            os.chmod(root, DIR_MODE)

    def _remove_stale_temporaries(self) -> None:
        """Temporary files left by a write that was killed; safe to remove under the lock,
        because only the lock holder writes and the files they replace were never touched."""
        for folder in (self.root, self.root / "entries", self.root / "backups"):
            for stale in folder.glob(".*.tmp") if folder.is_dir() else []:
                with contextlib.suppress(OSError):
                    stale.unlink()

    def close(self) -> None:
        """Release the lock; every change is already on disk."""
        self.lock.release()

    # -- schema -----------------------------------------------------------------------------

    def _check_schema(self) -> None:
        info = self._meta.table("meta").get(doc_id=1)
        if info is None:
            if self.month_keys() or self._meta.tables() - {"meta"}:
                raise DatabaseDamaged(self.root / "meta.json", "it has data but no schema version")
            if not self.readonly:
                self._meta.table("meta").insert(
                    Document({"schema_version": SCHEMA_VERSION, "created": datetime.now().isoformat()}, doc_id=1)
                )
            return
        version = info.get("schema_version")
        if not isinstance(version, int) or version < 1:
            raise DatabaseDamaged(self.root / "meta.json", "no valid schema version")
        if version > SCHEMA_VERSION:
            raise DatabaseTooNew(
                f"{self.root} was written by a newer bonecoach (schema {version}; this one "
                f"reads up to {SCHEMA_VERSION}). Upgrade bonecoach; the file was not changed."
            )
        if version < SCHEMA_VERSION and not self.readonly:
            self._migrate(version)

    def _migrate(self, version: int) -> None:
        """Back up, then bring every file up to the current schema, one atomic file at a time."""
        now = datetime.now()
        write_backup(self.root, f"pre-migration-v{version}-{now:%Y%m%d-%H%M%S}", now)
        files = migrate(snapshot(self.root)["files"], version, SCHEMA_VERSION)
        for relative, doc in files.items():
            if relative != "meta.json":
                atomic_write_bytes(
                    self.root / relative, json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode()
                )
        self._months.clear()
        self._meta.table("meta").update({"schema_version": SCHEMA_VERSION, "migrated_from": version}, doc_ids=[1])

    def _valid(self, model: type[M], doc: dict[str, Any], where: str) -> M:
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
        """Parse every file and validate every entry; the number of entries, or ``DatabaseDamaged``."""
        files = snapshot(self.root)["files"]
        count = 0
        for relative, doc in files.items():
            for entry in doc.get("entries", {}).values() if relative.startswith("entries") else []:
                self._valid(Entry, entry, relative)
                count += 1
        self.profile()
        return count

    def backup_if_due(self, now: datetime) -> list[Path]:
        """Today's and this week's rotating backups, from a sound database only."""
        if self.readonly or not due_backups(self.root, now.date()):
            return []
        self.verify()
        return ensure_rotating_backups(self.root, now.date(), now)

    @property
    def schema_version(self) -> int:
        """The schema version stored in the database."""
        info = self._meta.table("meta").get(doc_id=1)
        return int(info["schema_version"]) if info else SCHEMA_VERSION

    def _writable(self) -> None:
        if self.readonly:
            raise ReadOnlyDatabase(f"{self.root} is open read-only (another bonecoach holds it); nothing was saved.")
        if self._backup_pending:
            self._backup_pending = False
            self.backup_if_due(datetime.now())

    # -- profile ----------------------------------------------------------------------------

    def _meta_read(self, table: str) -> dict[str, Any]:
        """A table of meta.json for reading, parsed once per version of the file (a write
        replaces the file, so its stamp changes). Years of session records make the file big and
        reviews ask for the profile and settings often. Shared: callers must not change it."""
        storage = self._meta.storage
        assert isinstance(storage, AtomicJSONStorage)
        on_disk = storage.stamp()
        if on_disk is None:
            return {}
        stamp = (*on_disk, AtomicJSONStorage.writes)
        if stamp != self._meta_stamp:
            self._meta_cache = storage.read() or {}
            self._meta_stamp = stamp
        return self._meta_cache.get(table, {})

    def profile(self) -> Profile | None:
        """The stored profile, or ``None`` before onboarding."""
        doc = self._meta_read("profile").get("1")
        return None if doc is None else self._valid(Profile, dict(doc), "meta.json")

    def save_profile(self, profile: Profile) -> None:
        """Store the profile (replacing any earlier one)."""
        self._writable()
        self._meta.table("profile").upsert(Document(profile.model_dump(mode="json"), doc_id=1))

    # -- entries ----------------------------------------------------------------------------

    def _month(self, key: str) -> Table:
        db = self._months.get(key)
        if db is None:
            path = self.root / "entries" / f"{key}.json"
            db = TinyDB(path, storage=AtomicJSONStorage, readonly=self.readonly)
            self._months[key] = db
        return db.table("entries")

    def month_keys(self) -> list[str]:
        """Months that have an entries file, oldest first."""
        folder = self.root / "entries"
        if not folder.is_dir():
            return []
        return sorted(p.stem for p in folder.glob("????-??.json"))

    def add_entry(self, entry: Entry) -> None:
        """Store a new entry."""
        self._writable()
        self._month(_month_key(entry.at)).insert(entry.model_dump(mode="json"))

    def add_entries(self, entries: Iterable[Entry]) -> None:
        """Store several entries, one write per month touched."""
        self._writable()
        by_month: dict[str, list[dict[str, Any]]] = {}
        for entry in entries:
            by_month.setdefault(_month_key(entry.at), []).append(entry.model_dump(mode="json"))
        for key, docs in by_month.items():
            self._month(key).insert_multiple(docs)

    def entries_stamp(self, start: date, end: date) -> tuple[object, ...]:
        """Changes whenever an entry from ``start`` to ``end`` may have changed (each month file
        is replaced on every write), for caches of figures computed from those entries."""
        low, high = _month_key(start), _month_key(end)
        stamps: list[object] = [AtomicJSONStorage.writes]
        for key in self.month_keys():
            stamp = file_stamp(self.root / "entries" / f"{key}.json") if low <= key <= high else None
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
            for doc in self._month(key).all():
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

    def _locate(self, entry_id: str) -> tuple[str, Document] | None:
        for key in reversed(self.month_keys()):
            for doc in self._month(key).all():
                if doc.get("id") == entry_id:
                    return key, doc
        return None

    def get_entry(self, entry_id: str) -> Entry | None:
        """The entry with this id, or ``None``."""
        found = self._locate(entry_id)
        return None if found is None else Entry.model_validate(dict(found[1]))

    def replace_entry(self, entry: Entry) -> None:
        """Store a changed entry under its id, moving it to another month file if its time moved."""
        self._writable()
        found = self._locate(entry.id)
        if found is None:
            raise KeyError(entry.id)
        old_key, doc = found
        new_key = _month_key(entry.at)
        if new_key == old_key:
            self._month(old_key).update(entry.model_dump(mode="json"), doc_ids=[doc.doc_id])
        else:
            # Insert first, then remove: a crash in between leaves a duplicate, never a loss.
            self._month(new_key).insert(entry.model_dump(mode="json"))
            self._month(old_key).remove(doc_ids=[doc.doc_id])

    def delete_entry(self, entry_id: str) -> Entry:
        """Remove an entry, keeping it in the trash so it can be undone."""
        self._writable()
        found = self._locate(entry_id)
        if found is None:
            raise KeyError(entry_id)
        key, doc = found
        entry = Entry.model_validate(dict(doc))
        # Trash first, then remove: a crash in between keeps the entry (and a spare copy).
        trash = self._meta.table("trash")
        trash.insert({"entry": entry.model_dump(mode="json"), "deleted_at": datetime.now().isoformat()})
        if len(trash) > TRASH_KEEP:
            oldest = sorted(doc.doc_id for doc in trash.all())[: len(trash) - TRASH_KEEP]
            trash.remove(doc_ids=oldest)
        self._month(key).remove(doc_ids=[doc.doc_id])
        return entry

    def restore_last_deleted(self) -> Entry | None:
        """Put back the most recently deleted entry; ``None`` if there is nothing to undo."""
        self._writable()
        trash = self._meta.table("trash")
        docs = trash.all()
        if not docs:
            return None
        last = max(docs, key=lambda doc: doc.doc_id)
        entry = Entry.model_validate(last["entry"])
        if self._locate(entry.id) is None:
            self.add_entry(entry)
        trash.remove(doc_ids=[last.doc_id])
        return entry

    # -- scans and lab results --------------------------------------------------------------

    def _records(self, table: str, model: type[M]) -> list[M]:
        return [self._valid(model, dict(doc), "meta.json") for doc in self._meta_read(table).values()]

    def _save_record(self, table: str, record: BaseModel) -> None:
        self._writable()
        data = record.model_dump(mode="json")
        records = self._meta.table(table)
        records.remove(lambda doc: doc.get("id") == data["id"])
        records.insert(data)

    def _delete_record(self, table: str, record_id: str) -> bool:
        self._writable()
        return bool(self._meta.table(table).remove(lambda doc: doc.get("id") == record_id))

    def scans(self) -> list[Scan]:
        """Every DEXA result, oldest first."""
        return sorted(self._records("scans", Scan), key=lambda s: (s.date, s.site))

    def save_scan(self, scan: Scan) -> None:
        """Add or replace a scan result (by id)."""
        self._save_record("scans", scan)

    def delete_scan(self, scan_id: str) -> bool:
        """Remove a scan result; whether it existed."""
        return self._delete_record("scans", scan_id)

    def labs(self) -> list[LabResult]:
        """Every blood test result, oldest first."""
        return sorted(self._records("labs", LabResult), key=lambda r: (r.date, r.test))

    def save_lab(self, result: LabResult) -> None:
        """Add or replace a lab result (by id)."""
        self._save_record("labs", result)

    def delete_lab(self, lab_id: str) -> bool:
        """Remove a lab result; whether it existed."""
        return self._delete_record("labs", lab_id)

    # -- saved meals and recipes ------------------------------------------------------------

    def saved_meals(self) -> list[SavedMeal]:
        """The user's saved meals."""
        return self._records("saved_meals", SavedMeal)

    def save_meal(self, meal: SavedMeal) -> None:
        """Add or replace a saved meal (by id)."""
        self._save_record("saved_meals", meal)

    def delete_meal(self, meal_id: str) -> bool:
        """Remove a saved meal."""
        return self._delete_record("saved_meals", meal_id)

    def recipes(self) -> list[Recipe]:
        """The user's recipes."""
        return self._records("recipes", Recipe)

    def save_recipe(self, recipe: Recipe) -> None:
        """Add or replace a recipe (by id)."""
        self._save_record("recipes", recipe)

    # -- export and import ------------------------------------------------------------------

    def meta_table(self, name: str) -> Table:
        """A table of meta.json, for export."""
        return self._meta.table(name)

    def all_entries(self) -> list[Entry]:
        """Every entry, in time order."""
        found = []
        for key in self.month_keys():
            found += [self._valid(Entry, dict(doc), f"entries/{key}.json") for doc in self._month(key).all()]
        return sorted(found, key=lambda e: (e.at, e.id))

    def validate_tables(self, tables: dict[str, list[dict[str, Any]]]) -> None:
        """Check exported tables against their models (raises pydantic's ValidationError)."""
        models: dict[str, type[BaseModel]] = {
            "profile": Profile, "supplements": Supplement, "custom_foods": Food, "scans": Scan, "labs": LabResult,
            "saved_meals": SavedMeal, "recipes": Recipe,
        }  # fmt: skip
        for name, docs in tables.items():
            model = models.get(name)
            for doc in docs:
                if model is not None:
                    model.model_validate(doc)

    def load_tables(self, tables: dict[str, list[dict[str, Any]]]) -> None:
        """Write exported tables into this (empty) database, one atomic write per table."""
        self._writable()
        for name, docs in tables.items():
            if name == "profile":
                for doc in docs[:1]:
                    self._meta.table("profile").insert(Document(doc, doc_id=1))
            elif docs:
                self._meta.table(name).insert_multiple(docs)

    # -- small settings ---------------------------------------------------------------------

    def setting(self, name: str) -> object:
        """A stored setting, or ``None``."""
        for doc in self._meta_read("settings").values():
            if isinstance(doc, dict) and doc.get("name") == name:
                return doc.get("value")
        return None

    def save_setting(self, name: str, value: object) -> None:
        """Store a setting (skipped when unchanged, so reads never cause writes)."""
        if self.setting(name) == value:
            return
        self._writable()
        table = self._meta.table("settings")
        table.remove(lambda d: d.get("name") == name)
        table.insert({"name": name, "value": value})

    # -- the user's own products and foods --------------------------------------------------

    def user_supplements(self) -> list[Supplement]:
        """Supplements the user added."""
        return [Supplement.model_validate(dict(doc)) for doc in self._meta_read("supplements").values()]

    def save_user_supplement(self, supplement: Supplement) -> None:
        """Add or replace one of the user's supplements (by id)."""
        self._writable()
        table = self._meta.table("supplements")
        table.remove(lambda doc: doc.get("id") == supplement.id)
        table.insert(supplement.model_dump(mode="json"))

    def custom_foods(self) -> list[Food]:
        """Foods the user added."""
        return [Food.model_validate(dict(doc)) for doc in self._meta_read("custom_foods").values()]

    def save_custom_food(self, food: Food) -> None:
        """Add or replace one of the user's foods (by id)."""
        self._writable()
        table = self._meta.table("custom_foods")
        table.remove(lambda doc: doc.get("id") == food.id)
        table.insert(food.model_dump(mode="json"))

    def supplement_sets(self) -> dict[str, list[tuple[str, float]]]:
        """Named sets such as "morning": supplement ids with their doses."""
        return {
            doc["name"]: [(item[0], float(item[1])) for item in doc["items"]]
            for doc in self._meta_read("supplement_sets").values()
        }

    def save_supplement_set(self, name: str, items: list[tuple[str, float]]) -> None:
        """Store a named set of supplements, replacing one of the same name."""
        self._writable()
        table = self._meta.table("supplement_sets")
        table.remove(lambda doc: doc.get("name") == name)
        table.insert({"name": name, "items": [[sid, doses] for sid, doses in items]})
