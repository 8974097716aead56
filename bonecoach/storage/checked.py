"""Which database files have been checked whole, by content, kept across processes.

Before a change, the repository checks the file it changes (and meta.json) whole: every record
against its model. At ten years meta.json holds thousands of session records and the check costs
~50 ms, paid again by every command. A file whose exact content (its hash) was checked before by
this same code needs no second check; any change to it, a bit flipped or a line cut, changes the
hash and it is checked again. The record lives in the user's cache folder, one per database
(``storage.paths.derived_dir``: ``checked.json``, 0600), not in the database folder, which a sync
tool copies to other computers.

The hashes are keyed with the user's secret (storage.keyed): anyone who can write into the folder
could plant a record, and a plain hash of a planted meta.json would vouch for it. Without the key
no hash can be made and every file is checked.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

from bonecoach import __version__
from bonecoach.storage.derived import write_derived
from bonecoach.storage.errors import StorageError
from bonecoach.storage.guard import read_regular_text
from bonecoach.storage.keyed import sign, user_key
from bonecoach.storage.paths import derived_dir

RECORD_NAME = "checked.json"
LEGACY_NAME = ".checked.json"  # where older versions kept it, in the database folder


def code_listing(folder: Path) -> list[list[object]]:
    """Each module of ``folder`` with its modification time: changes with an upgrade or an edit
    of a checkout, so what older code derived is not trusted by newer code."""
    try:
        return sorted([entry.name, entry.stat().st_mtime_ns] for entry in os.scandir(folder) if entry.is_file())
    except OSError:
        return []


def _code_stamp() -> str:
    """The checking code's version: the package version and the storage and domain modules (the
    checks and the models they validate against)."""
    package = Path(__file__).resolve().parents[1]
    return json.dumps([__version__, code_listing(package / "storage"), code_listing(package / "domain")])


class CheckedRecord:
    """The hashes of files checked whole, per file of one database folder."""

    def __init__(self, root: Path) -> None:
        self.path = derived_dir(root) / RECORD_NAME
        self._code = _code_stamp()
        self._known: dict[str, str] | None = None
        self._key = user_key()

    def digest(self, text: str) -> str | None:
        """The keyed hash a file's content is known by (``None``: no key, nothing is vouched for)."""
        return None if self._key is None else sign(self._key, text.encode("utf-8"))

    def _load(self) -> dict[str, str]:
        if self._known is None:
            try:
                data = json.loads(read_regular_text(self.path))
                files = data.get("files") if isinstance(data, dict) and data.get("code") == self._code else None
                self._known = {k: v for k, v in files.items() if isinstance(v, str)} if isinstance(files, dict) else {}
            except (OSError, ValueError, AttributeError, RecursionError, StorageError):
                self._known = {}  # absent, damaged or not a file: nothing is known, everything is checked
        return self._known

    def holds(self, relative: str, content: str | None) -> bool:
        """Whether the content of ``relative`` whose ``digest`` this is was checked whole before."""
        return content is not None and self._load().get(relative) == content

    def problem(self, relative: str, text: str, check: Callable[[], str | None]) -> str | None:
        """What is wrong with this text of ``relative``: nothing if this exact content was checked
        whole before, else ``check()`` (the file's whole check); sound, it is noted."""
        content = self.digest(text)
        if self.holds(relative, content):  # the same content checked by an earlier command
            return None
        found = check()
        if found is None:
            self.note(relative, content)
        return found

    def note(self, relative: str, content: str | None) -> None:
        """Record that the content of ``relative`` whose ``digest`` this is is sound (checked, or
        written from checked data)."""
        if content is None:
            return
        known = self._load()
        if known.get(relative) == content:
            return
        known[relative] = content
        # Replaced in one rename but not synced: losing it to a crash costs one check, not data;
        # a failed write leaves the next command to check the file again.
        write_derived(self.path, json.dumps({"code": self._code, "files": known}, sort_keys=True))
