"""The day's Next up list kept beside the database, for a status bar that asks every few seconds
(``bonecoach next --line``) and for Today, which refreshes it after each change.

Imports no pydantic: a kept list is read and shown without loading the domain."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from bonecoach.domain.next_up import NextItem
from bonecoach.storage import next_cache

if TYPE_CHECKING:
    from bonecoach.services.context import Context


def kept(folder: Path, day: date) -> list[NextItem] | None:
    """The kept list for ``day``, if nothing it came from has changed since it was kept."""
    return next_cache.read(folder, day)


def compute_and_keep(
    folder: Path, day: date, compute: Callable[[], list[NextItem]], keep: bool = True
) -> list[NextItem]:
    """``compute()``'s list, kept (unless ``keep`` is false, e.g. a read-only window)."""
    return next_cache.compute_and_keep(folder, day, compute, keep=keep)


def refresh(ctx: Context, day: date) -> list[NextItem]:
    """``day``'s Next up list computed now, and kept (unless this window is read-only)."""
    from bonecoach.services import upcoming

    return next_cache.compute_and_keep(
        ctx.repo.root, day, lambda: upcoming.next_up(ctx, day), keep=not ctx.repo.readonly
    )
