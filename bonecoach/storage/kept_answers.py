"""The answers of read commands (``day``, ``week``, ``status``, ``plan-day``) kept for the next identical call.

A read command costs ~150 ms over the interpreter and its libraries (the models, the catalog,
the checks), though its answer only changes when what it read changes. So the answer is kept
with a fingerprint of everything it came from, and given again only while all of it matches:

- the exact text of every database file the command read (recorded as it was read, so a change
  made while the command ran leaves a fingerprint that no longer matches), and the names in the
  folder and its entries folder (a month that appears, a sync tool's conflict copy, is a change);
- the user's rule files beside the database, the shipped assets and the code (an upgrade, or an
  edit of a checkout, is not answered from what older code said), the package version;
- the command's words, the local date and time zone it ran on.

Nothing read commands say depends on the time of day, only the date. As with the kept Next up
list (``storage.next_cache``), the file is in the user's cache folder, signed with the user's key
(a planted answer is not used), written atomically, and never trusted while a change is under way.
This module imports no pydantic: the fast path stays fast.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from datetime import date
from pathlib import Path

from bonecoach import __version__
from bonecoach.storage.derived import write_derived
from bonecoach.storage.digests import text_digest
from bonecoach.storage.errors import StorageError
from bonecoach.storage.guard import check_root, read_regular_text
from bonecoach.storage.keyed import sign, user_key
from bonecoach.storage.next_cache import JOURNAL_NAME, code_stamps, file_digest
from bonecoach.storage.paths import derived_dir

ANSWERS_NAME = "answers.json"
MAX_KEPT = 16  # answers kept per database: the few commands a person or a script repeats
USER_FILES = ("rules.json", "exercise_rules.json")  # read by the services, not through the storage


def _zone() -> list[object]:
    return [os.environ.get("TZ"), list(time.tzname), time.timezone, time.altzone]


def _listing(root: Path) -> list[str]:
    """The names in the folder and its entries folder: a new month, a sync tool's conflict copy
    (which a read command reports), a journal or a staging folder is a change."""
    names: list[str] = []
    for folder, prefix in ((root, ""), (root / "entries", "entries/")):
        with contextlib.suppress(OSError):
            names += [prefix + entry.name for entry in os.scandir(folder)]
    return sorted(names)


def _digest_of(path: Path) -> str | None:
    try:
        return text_digest(read_regular_text(path))
    except (OSError, StorageError, UnicodeDecodeError):
        return None


def _stamp(root: Path, words: list[str], day: date, files: dict[str, str | None]) -> dict[str, object]:
    return {
        "words": words,
        "day": day.isoformat(),
        "zone": _zone(),
        "version": __version__,
        "code": code_stamps(("domain", "services", "catalog", "storage", "cli")),
        "listing": _listing(root),
        "user_files": {name: file_digest(root / name) for name in USER_FILES},
        "files": files,
    }


def _signature(key: bytes, entry: dict[str, object]) -> str:
    body = json.dumps([entry.get("fingerprint"), entry.get("output")], sort_keys=True, ensure_ascii=False)
    return sign(key, body.encode("utf-8"))


def _load(root: Path) -> dict[str, object]:
    try:
        kept = json.loads(read_regular_text(derived_dir(root) / ANSWERS_NAME))
        return kept if isinstance(kept, dict) else {}
    except (OSError, ValueError, RecursionError, StorageError):
        return {}


def _words_key(words: list[str]) -> str:
    return json.dumps(words)


def read(root: Path, words: list[str], day: date) -> str | None:
    """The answer kept for ``words`` on ``day`` if nothing it came from has changed, else None."""
    check_root(root, writable=False)  # the folder is checked on every open, this fast one too
    key = user_key()
    if key is None or (root / JOURNAL_NAME).exists():
        return None
    entry = _load(root).get(_words_key(words))
    try:
        if not isinstance(entry, dict) or entry.get("signature") != _signature(key, entry):
            return None
        kept_stamp = entry["fingerprint"]
        files = {name: _digest_of(root / name) for name in kept_stamp["files"]}
        if kept_stamp != json.loads(json.dumps(_stamp(root, words, day, files))):
            return None
        output = entry["output"]
        return output if isinstance(output, str) else None
    except (KeyError, TypeError, AttributeError, ValueError):
        return None  # planted, damaged or from another version: compute it again


def keep(root: Path, words: list[str], day: date, reads: dict[str, str | None], output: str) -> None:
    """Keep ``output``, the answer to ``words`` on ``day`` computed from ``reads`` (the files read,
    as ``recording`` saw them). Best effort: without a key or a writable cache, nothing is kept."""
    key = user_key()
    if key is None or not root.is_dir():
        return
    resolved = root.resolve()
    files: dict[str, str | None] = {}
    for path, digest in reads.items():
        try:
            files[Path(path).resolve().relative_to(resolved).as_posix()] = digest
        except ValueError:
            return  # a file outside the folder took part: nothing to fingerprint it by
    entry: dict[str, object] = {"fingerprint": _stamp(root, words, day, files), "output": output}
    entry = json.loads(json.dumps(entry))
    entry["signature"] = _signature(key, entry)
    answers = {k: v for k, v in _load(root).items() if isinstance(v, dict)}
    answers.pop(_words_key(words), None)
    answers[_words_key(words)] = entry  # newest last: the oldest go first
    kept = dict(list(answers.items())[-MAX_KEPT:])
    write_derived(derived_dir(root) / ANSWERS_NAME, json.dumps(kept, ensure_ascii=False))


def forget(root: Path) -> None:
    """Drop every kept answer for the database in ``root``."""
    with contextlib.suppress(OSError):
        (derived_dir(root) / ANSWERS_NAME).unlink()
