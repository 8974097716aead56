"""Databases laid out as older schemas wrote them, made from a current one (for migrations)."""

from __future__ import annotations

import json
from pathlib import Path

from bonecoach.storage.checked import CheckedRecord


def as_schema_3(root: Path) -> None:
    """The database as schema 3 wrote it: the session tables inside meta.json."""
    path, sessions_file = root / "meta.json", root / "sessions.json"
    meta = json.loads(path.read_text())
    if sessions_file.exists():
        meta.update(json.loads(sessions_file.read_text()))
        sessions_file.unlink()
    meta["meta"]["1"]["schema_version"] = 3
    path.write_text(json.dumps(meta))
    CheckedRecord(root).path.unlink(missing_ok=True)


def as_schema_2(root: Path) -> None:
    """The database as schema 2 wrote it: regimen, exercise setup and sessions as settings."""
    as_schema_3(root)
    path = root / "meta.json"
    meta = json.loads(path.read_text())
    settings = meta.setdefault("settings", {})
    for name in ("regimen", "exercise_setup", "session_in_progress"):
        if name in meta:
            settings[str(len(settings) + 1)] = {"name": name, "value": meta.pop(name)["1"]}
    sessions = (
        [meta.pop("sessions")[key] for key in sorted(meta.get("sessions", {}), key=int)] if "sessions" in meta else []
    )
    settings[str(len(settings) + 1)] = {"name": "sessions", "value": sessions}
    meta["meta"]["1"]["schema_version"] = 2
    path.write_text(json.dumps(meta))
