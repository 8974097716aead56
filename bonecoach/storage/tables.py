"""What each stored table holds, and the check that a whole file holds it.

Every write, backup, import and restore checks the files it depends on with these models first,
so a file that does not validate whole is never rewritten, copied as good, or let in.
"""

import functools
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from bonecoach.domain.amounts import entry_problem
from bonecoach.domain.base import Model
from bonecoach.domain.models import Entry
from bonecoach.storage.layout import SESSION_TABLES, SESSIONS_FILE, SESSIONS_OWN_FILE_FROM


class SchemaInfo(Model):
    """The first document of ``meta``: which schema wrote the files."""

    schema_version: int
    created: str = ""
    migrated_from: int | None = None


class Setting(Model):
    """A small named value (the last rule file that loaded)."""

    model_config = ConfigDict(extra="forbid")

    name: str
    value: Any = None


class TrashItem(Model):
    """A deleted entry, kept so that it can be undone."""

    entry: Entry
    deleted_at: datetime


@functools.cache
def table_models() -> dict[str, type[BaseModel]]:
    """The tables of meta.json and sessions.json, each a list of documents of one model.

    The single-document ones (profile, regimen, exercise setup, the session in progress) keep
    their document under id 1. The models are imported here, when a whole file is checked, not by
    every command that opens the database.
    """
    from bonecoach.domain.bone import LabResult, Scan
    from bonecoach.domain.diagnosis import Fracture
    from bonecoach.domain.exercise import ExerciseSetup, SessionRecord
    from bonecoach.domain.meals import Recipe, SavedMeal
    from bonecoach.domain.models import Food, Profile, Supplement, SupplementSet
    from bonecoach.domain.regimen import Regimen

    return {
        "meta": SchemaInfo,
        "profile": Profile,
        "supplements": Supplement,
        "custom_foods": Food,
        "supplement_sets": SupplementSet,
        "settings": Setting,
        "scans": Scan,
        "labs": LabResult,
        "fractures": Fracture,
        "saved_meals": SavedMeal,
        "recipes": Recipe,
        "regimen": Regimen,
        "exercise_setup": ExerciseSetup,
        "sessions": SessionRecord,
        "session_in_progress": SessionRecord,
        "trash": TrashItem,
    }


def _problem(exc: ValidationError) -> str:
    first = exc.errors()[0]
    where = ".".join(str(part) for part in first["loc"])
    return f"{where}: {first['msg']}" if where else first["msg"]


def meta_problem(doc: dict[str, Any]) -> str | None:
    """Why meta.json's content is not sound (a table, a document, a field), or ``None``. Before
    schema 4 it also held the session tables (a backup or a database still to migrate)."""
    own_file = not isinstance(version := schema_version_of(doc), int) or version >= SESSIONS_OWN_FILE_FROM
    misplaced = next((table for table in SESSION_TABLES if table in doc), None) if own_file else None
    if misplaced is not None:
        return f"table {misplaced} belongs in {SESSIONS_FILE}"
    return _tables_problem(doc)


def schema_version_of(doc: dict[str, Any]) -> object:
    """The schema version meta.json's content says it has (anything, as stored), or ``None``."""
    table = doc.get("meta")
    info = table.get("1") if isinstance(table, dict) else None
    return info.get("schema_version") if isinstance(info, dict) else None


def sessions_problem(doc: dict[str, Any]) -> str | None:
    """Why sessions.json's content is not sound, or ``None``: only the session tables."""
    other = next((table for table in doc if table not in SESSION_TABLES), None)
    if other is not None:
        return f"it holds a table other than the sessions ({other[:40]!r})"
    return _tables_problem(doc)


def _tables_problem(doc: dict[str, Any]) -> str | None:
    for table, docs in doc.items():
        model = table_models().get(table)
        if model is None:
            return f"an unknown table {table[:40]!r}"
        if not isinstance(docs, dict):
            return f"table {table} is not a table"
        for key, item in docs.items():
            if not key.isdigit() or not isinstance(item, dict):
                return f"{table} holds a document that is not one"
            try:
                model.model_validate(item)
            except ValidationError as exc:
                return f"{table} document {key}, {_problem(exc)}"
    return None


def month_problem(doc: dict[str, Any], key: str, today: date | None = None) -> str | None:
    """Why a month file's content is not sound, or ``None``: every entry validates, lies in the
    month the file is named for, and (given ``today``) keeps the limits of a typed entry."""
    if set(doc) - {"entries"}:
        return "it holds something other than entries"
    for doc_id, item in doc.get("entries", {}).items():
        if not doc_id.isdigit() or not isinstance(item, dict):
            return "it holds a document that is not an entry"
        try:
            entry = Entry.model_validate(item)
        except ValidationError as exc:
            return f"entry {doc_id} is invalid at {_problem(exc)}"
        if f"{entry.at:%Y-%m}" != key:
            return f"entry {doc_id} is dated {entry.at:%Y-%m-%d}, not in {key}"
        problem = entry_problem(entry, today) if today is not None else None
        if problem:
            return f"entry {doc_id}: {problem}"
    return None


def files_problem(files: dict[str, dict[str, Any]], today: date | None = None) -> tuple[str, str] | None:
    """The first file of a whole database (relative path -> document) that is not sound, with why."""
    for relative, doc in files.items():
        if relative == "meta.json":
            problem = meta_problem(doc)
        elif relative == SESSIONS_FILE:
            problem = sessions_problem(doc)
        elif relative.startswith("entries/") and relative.endswith(".json"):
            problem = month_problem(doc, relative[len("entries/") : -len(".json")], today)
        else:
            problem = "it is not a database file"
        if problem:
            return relative, problem
    return None
