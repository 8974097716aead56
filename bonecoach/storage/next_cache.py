"""A computed "next up" list kept for each database (in the user cache folder), for ``bonecoach next`` in a status bar.

A prompt or tmux runs ``next --line`` every few seconds; computing the list means loading the
catalog, the rules, the profile and a plan (hundreds of milliseconds). The list only changes when
a file it was computed from changes, so it is kept with a hash of those files and the stamps of
the shipped assets and of the code that computes it, and used only while all of them still match
and the day is the same. Whether an item is due is worked out from the clock each time. This module
imports no pydantic: the fast path stays fast.

The kept list is input like every file in the folder: it is signed with the user's key
(storage.keyed), so a planted list is not used, and read back checked and cleaned (a list that
does not validate is computed again), so no control byte of it reaches a terminal.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from bonecoach import __version__
from bonecoach.storage.checked import code_listing
from bonecoach.storage.derived import write_derived
from bonecoach.storage.errors import StorageError
from bonecoach.storage.guard import check_root, read_regular_bytes, read_regular_text
from bonecoach.storage.keyed import sign, user_key
from bonecoach.storage.layout import META_FILE, TABLE_FILES
from bonecoach.storage.paths import derived_dir

if TYPE_CHECKING:  # the kept answers' fingerprints import this module: the list's type waits until read
    from bonecoach.domain.next_up import NextItem

CACHE_NAME = "next-up.json"
LEGACY_NAME = ".next-up.json"  # where older versions kept it, in the database folder
JOURNAL_NAME = ".switch.json"  # storage.switch.JOURNAL: a change under way; never trust a cache then
SOURCES = (*TABLE_FILES, "rules.json", "exercise_rules.json")
# Doses months apart (Prolia, Reclast, a monthly tablet) are reminded from their last dose, looked
# for in the months before the day, at most this far back (services.regimen.last_doses): with one
# in the regimen (its frequency in meta.json), those months take part too.
DOSE_LOOK_BACK_MONTHS = 25
MONTHS_APART = (b'"monthly"', b'"every-6-months"', b'"yearly"')


def _assets_dir() -> Path:
    """catalog.assets.assets_dir without its pydantic import: package data, else the checkout's."""
    packaged = Path(__file__).resolve().parents[1] / "assets"
    return packaged if packaged.is_dir() else Path(__file__).resolve().parents[2] / "assets"


def file_digest(path: Path) -> str | None:
    """The file's content, hashed: stamps of inode, size and time can repeat within a clock tick."""
    try:
        return hashlib.blake2b(read_regular_bytes(path), digest_size=16).hexdigest()
    except (OSError, StorageError):
        return None


def fingerprint(root: Path, day: date) -> dict[str, object] | None:
    """What the list for ``day`` depends on, or None when a change is under way."""
    if (root / JOURNAL_NAME).exists():
        return None
    months = sorted(path.name for path in (root / "entries").glob("[0-9][0-9][0-9][0-9]-[0-9][0-9].json"))
    # Today's month, and the first one: the exercise plan depends on the first day with data.
    wanted = {f"{day:%Y-%m}.json", *months[:1]}
    if _has_doses_months_apart(root):
        months_back = (divmod(day.year * 12 + day.month - 1 - n, 12) for n in range(DOSE_LOOK_BACK_MONTHS + 1))
        wanted |= {f"{year:04d}-{month + 1:02d}.json" for year, month in months_back} & set(months)
    files = {name: file_digest(root / name) for name in SOURCES}
    files |= {f"entries/{name}": file_digest(root / "entries" / name) for name in sorted(wanted)}
    return {"day": day.isoformat(), "version": __version__, "files": files, "months": months,
            "code": code_stamps(("domain", "services", "catalog"))}  # fmt: skip


def _has_doses_months_apart(root: Path) -> bool:
    """Whether meta.json names a frequency months apart (a false yes only adds months to hash)."""
    try:
        meta = read_regular_bytes(root / META_FILE)
    except (OSError, StorageError):
        return True  # unreadable: the list will not be used anyway; hash the months to be safe
    return any(word in meta for word in MONTHS_APART)


def code_stamps(packages: tuple[str, ...]) -> list[list[list[object]]]:
    """The shipped assets and the modules of ``packages`` (bonecoach's subpackages) with their
    times: an upgrade (or an edit of a checkout) must not be answered from what older code made."""
    package = Path(__file__).resolve().parents[1]
    return [code_listing(folder) for folder in [_assets_dir(), *(package / name for name in packages)]]


def read(root: Path, day: date) -> list[NextItem] | None:
    """The kept list for ``day`` if nothing it came from has changed since, else None."""
    check_root(root, writable=False)  # the folder is checked on every open, this fast one too
    key = user_key()
    stamp = fingerprint(root, day) if key else None
    if stamp is None or key is None:
        return None
    try:
        kept = json.loads(read_regular_text(cache_path(root)))
        if kept.get("fingerprint") != json.loads(json.dumps(stamp)) or kept.get("signature") != _signature(key, kept):
            return None
        from bonecoach.domain.next_up import NextItem

        return [NextItem.from_json(item) for item in kept["items"]]
    except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError, StorageError):
        return None  # missing, planted, damaged or from another version: compute it again


def cache_path(root: Path) -> Path:
    """Where the list kept for the database in ``root`` lives: the user cache folder, outside the
    database folder (which may be synced or shared)."""
    return derived_dir(root) / CACHE_NAME


def _signature(key: bytes, kept: dict[str, object]) -> str:
    body = json.dumps([kept.get("fingerprint"), kept.get("items")], sort_keys=True, ensure_ascii=False)
    return sign(key, body.encode("utf-8"))


def compute_and_keep(
    root: Path, day: date, compute: Callable[[], list[NextItem]], *, keep: bool = True
) -> list[NextItem]:
    """``compute()`` the list for ``day`` and keep it (unless ``keep`` is false, e.g. read-only)."""
    stamp = fingerprint(root, day) if keep else None  # before computing: a change meanwhile leaves it stale
    items = compute()
    write(root, stamp, items)
    return items


def write(root: Path, stamp: dict[str, object] | None, items: list[NextItem]) -> None:
    """Keep ``items`` with the ``stamp`` taken *before* they were computed (so a change made
    meanwhile leaves a stamp that no longer matches). Best effort: a read-only folder keeps none."""
    key = user_key()
    if stamp is None or key is None or not root.is_dir():
        return
    target = cache_path(root)
    kept: dict[str, object] = json.loads(
        json.dumps({"fingerprint": stamp, "items": [item.to_json() for item in items]})
    )
    kept["signature"] = _signature(key, kept)
    write_derived(target, json.dumps(kept, ensure_ascii=False))
