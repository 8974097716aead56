"""Two computers, one synced folder: the conflict copies a sync tool makes, merged back.

When two computers change the same file before they sync, Syncthing keeps one and renames the
other ``2026-12.sync-conflict-20261204-101500-ABCDEF1.json``; Dropbox and Nextcloud write
``2026-12 (… conflicted copy 2026-12-04).json``. Read by name, the copy's entries would vanish
from every view. Here each copy is merged into the file it copies, by entry and record id:

- entries: the union; an entry missing on one side was deleted there only if that side's undo
  trash holds it (a delete wins only with its undo record, and stays undoable); the same entry
  edited on both sides: the later edit (``Entry.edited``) wins and the other goes to the trash;
- meta.json and sessions.json: records by id (sessions by day and kind, settings and sets by
  name), the trash as a union; a record or a single document (profile, regimen) that differs keeps one version, chosen
  the same way whichever file is read first.

Every choice depends on the contents only, never on which file is the copy, so two copies merge to
the same database in either order, and nothing present in either is lost (a losing edit is in the
trash). The merge is pure: the repository checks the copy, commits the merged files as one change,
and only then removes the copy.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from bonecoach.storage.layout import TABLE_FILES

Doc = dict[str, Any]
Tables = dict[str, dict[str, Doc]]

_TABLE_STEMS = tuple(name.removesuffix(".json") for name in TABLE_FILES)  # meta, sessions
_STEM = rf"(?P<stem>{'|'.join(map(re.escape, _TABLE_STEMS))}|\d{{4}}-\d{{2}})"
CONFLICT_COPY = re.compile(
    _STEM + r"(?:\.sync-conflict-\d{8}-\d{6}-[A-Z0-9]{7}"  # Syncthing
    r"| \([^()/]{0,80}conflicted copy[^()/]{0,80}\)(?: \(\d+\))?)"  # Dropbox, Nextcloud
    r"\.json"
)
TRASH_KEEP = 50
_BY_KEY = {"supplement_sets": "name", "settings": "name"}
_SINGLE = ("meta", "profile", "regimen", "exercise_setup", "session_in_progress")


def conflict_copies(root: Path) -> list[tuple[str, Path]]:
    """Each conflict copy in the database, with the database file it copies (``meta.json``,
    ``sessions.json`` or ``entries/YYYY-MM.json``), in a stable order: the files of tables
    first, then the months."""
    found = []
    for folder, prefix in ((root, ""), (root / "entries", "entries/")):
        if not folder.is_dir():
            continue
        for path in folder.iterdir():
            match = CONFLICT_COPY.fullmatch(path.name)
            if match and (match["stem"] in _TABLE_STEMS) == (prefix == ""):
                found.append((f"{prefix}{match['stem']}.json", path))
    # meta.json's first: the undo trash it brings decides which entries the other side deleted.
    return sorted(found, key=lambda item: (item[0].startswith("entries/"), item[0], item[1].name))


def _canonical(doc: object) -> str:
    return json.dumps(doc, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _preferred(a: Doc, b: Doc) -> Doc:
    """One of two versions, the same whichever comes first: the later edit, else by content."""
    return max(a, b, key=lambda doc: (str(doc.get("edited") or ""), _canonical(doc)))


def _numbered(docs: list[Doc]) -> dict[str, Doc]:
    return {str(n): doc for n, doc in enumerate(docs, start=1)}


def merge_trash(*trashes: dict[str, Doc]) -> dict[str, Doc]:
    """The union of undo trashes, oldest first, the newest ``TRASH_KEEP`` kept."""
    unique = {_canonical(item): item for trash in trashes for item in trash.values()}
    ordered = sorted(unique.values(), key=lambda item: (str(item.get("deleted_at")), _canonical(item)))
    return _numbered(ordered[-TRASH_KEEP:])


def merge_month(ours: Tables, theirs: Tables, trash: dict[str, Doc]) -> tuple[Tables, list[Doc]]:
    """Two versions of a month file, merged by entry id; also the losing edits, for the trash.
    ``trash`` is the merged undo trash: an entry it holds, missing on one side, was deleted."""
    deleted: dict[str, str] = {}
    trashed: set[str] = set()
    for item in trash.values():
        entry = item.get("entry")
        if isinstance(entry, dict):
            deleted[str(entry.get("id"))] = max(deleted.get(str(entry.get("id")), ""), str(item.get("deleted_at")))
            trashed.add(_canonical(entry))
    a = {str(doc.get("id")): doc for doc in ours.get("entries", {}).values()}
    b = {str(doc.get("id")): doc for doc in theirs.get("entries", {}).values()}
    kept: list[Doc] = []
    losers: list[Doc] = []
    for entry_id in sorted(a.keys() | b.keys()):
        if entry_id in a and entry_id in b:
            winner = _preferred(a[entry_id], b[entry_id])
            if a[entry_id] != b[entry_id]:
                losers.append(b[entry_id] if winner is a[entry_id] else a[entry_id])
            kept.append(winner)
            continue
        only = a.get(entry_id) or b[entry_id]
        # Missing on the other side: deleted there if its trash says so, after this version's edit.
        if entry_id in deleted and deleted[entry_id] >= str(only.get("edited") or ""):
            if _canonical(only) not in trashed:
                losers.append(only)  # edited here before the other side deleted it: kept to undo
            continue
        kept.append(only)
    kept.sort(key=lambda doc: (str(doc.get("at")), str(doc.get("id"))))
    return {**ours, **theirs, "entries": _numbered(kept)}, losers


def _merge_records(table: str, ours: dict[str, Doc], theirs: dict[str, Doc]) -> dict[str, Doc]:
    def key(doc: Doc) -> str:
        if table == "sessions":
            return f"{doc.get('date')}|{doc.get('category')}"
        return str(doc.get(_BY_KEY.get(table, "id")))

    merged: dict[str, Doc] = {}
    for doc in [*ours.values(), *theirs.values()]:
        found = merged.get(key(doc))
        merged[key(doc)] = doc if found is None else _preferred(found, doc)
    return _numbered([merged[name] for name in sorted(merged)])


def merge_meta(ours: Tables, theirs: Tables) -> Tables:
    """Two versions of meta.json (or of sessions.json), merged table by table (see the module's
    docstring)."""
    merged: Tables = {}
    for table in sorted(ours.keys() | theirs.keys()):
        a, b = ours.get(table, {}), theirs.get(table, {})
        if table == "trash":
            merged[table] = merge_trash(a, b)
        elif table in _SINGLE:
            if a and b:
                merged[table] = {"1": _preferred(a.get("1", {}), b.get("1", {}))}
            else:
                merged[table] = a or b
        else:
            merged[table] = _merge_records(table, a, b)
    return merged


def with_losers(meta: Tables, losers: list[Doc], moment: str) -> Tables:
    """meta.json with the losing edits of a merge in its undo trash (deleted at ``moment``)."""
    if not losers:
        return meta
    added = {str(n): {"entry": entry, "deleted_at": moment} for n, entry in enumerate(losers)}
    return {**meta, "trash": merge_trash(meta.get("trash", {}), added)}
