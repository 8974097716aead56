"""Schema migrations: each step turns the files of version N into version N + 1.

A migration runs only after a backup of the old files (``backups/pre-migration-vN-...``), and
writes each file atomically, so a crash mid-way leaves either old or new files, plus the backup.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bonecoach.storage.layout import META_FILE, SESSION_TABLES, SESSIONS_FILE

SCHEMA_VERSION = 4
Files = dict[str, dict[str, Any]]


def _v1_to_v2(files: Files) -> Files:
    """Version 2 entries carry their calcium inhibitors and a medicine's drug class."""
    for name, doc in files.items():
        if not name.startswith("entries"):
            continue
        for entry in doc.get("entries", {}).values():
            entry.setdefault("inhibitors", {})
            entry.setdefault("drug_class", None)
    return files


# Version 3 gives the regimen, the exercise setup and the sessions tables of their own (they
# were values in ``settings``), so that each change of one is one write of its own document.
_OWN_TABLES = ("regimen", "exercise_setup", "session_in_progress")


def _v2_to_v3(files: Files) -> Files:
    meta = files.setdefault("meta.json", {})
    settings = meta.get("settings", {})
    kept = {}
    for doc_id, doc in settings.items():
        name, value = doc.get("name"), doc.get("value")
        if name in _OWN_TABLES:
            if isinstance(value, dict):
                meta[name] = {"1": value}
        elif name == "sessions":
            if isinstance(value, list):
                meta["sessions"] = {str(n): record for n, record in enumerate(value, start=1)}
        else:
            kept[doc_id] = doc
    if "settings" in meta:
        meta["settings"] = kept
    return files


def place_session_tables(files: Files) -> Files:
    """Version 4 keeps the session tables in ``sessions.json`` (see ``storage.layout``): moved
    out of meta.json, added to what sessions.json holds. Idempotent: an import of an export of
    any version places its tables with it."""
    meta = files.get(META_FILE, {})
    moved = {table: meta.pop(table) for table in SESSION_TABLES if table in meta}
    if moved:
        files[SESSIONS_FILE] = {**files.get(SESSIONS_FILE, {}), **moved}
    return files


MIGRATIONS: dict[int, Callable[[Files], Files]] = {1: _v1_to_v2, 2: _v2_to_v3, 3: place_session_tables}


def migrate(files: Files, from_version: int, to_version: int) -> Files:
    """Apply every step from ``from_version`` up to ``to_version``."""
    for version in range(from_version, to_version):
        files = MIGRATIONS[version](files)
    return files
