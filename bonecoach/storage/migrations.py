"""Schema migrations: each step turns the files of version N into version N + 1.

A migration runs only after a backup of the old files (``backups/pre-migration-vN-...``), and
writes each file atomically, so a crash mid-way leaves either old or new files, plus the backup.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

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


MIGRATIONS: dict[int, Callable[[Files], Files]] = {1: _v1_to_v2}


def migrate(files: Files, from_version: int, to_version: int) -> Files:
    """Apply every step from ``from_version`` up to ``to_version``."""
    for version in range(from_version, to_version):
        files = MIGRATIONS[version](files)
    return files
