"""Work-arounds for Textual (8.2) bugs that cost bonecoach memory and pauses; each names its issue.

Each checks that the code it replaces is still the faulty one, and otherwise leaves Textual alone.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any


def apply() -> None:
    """Install every work-around (idempotent)."""
    styles_cache_forgets_removed_widgets()


def styles_cache_forgets_removed_widgets() -> bool:
    """Textual issue #6665: ``StylesCache.get_inner_outer`` is an ``lru_cache`` on a method.

    Its cache key holds the StylesCache of each of the last 1,024 widgets drawn, and with it every
    line that widget cached, long after the widget is removed: each logged entry re-creates the
    footer's keys, the toast and the timeline's rows, so the heap grew by ~1,300 objects per
    entry and full garbage collections (pauses during key presses) grew with it. The colours
    alone decide the result, so the cache is keyed on them. Returns True when installed.
    """
    from textual._styles_cache import StylesCache

    faulty: Any = StylesCache.__dict__.get("get_inner_outer")
    method = getattr(faulty, "__wrapped__", None)
    if method is None or not hasattr(faulty, "cache_clear"):
        return False  # fixed upstream or replaced already

    @lru_cache(1024)
    def inner_outer(base_background: Any, background: Any) -> Any:
        return method(None, base_background, background)

    def get_inner_outer(self: StylesCache, base_background: Any, background: Any) -> Any:
        return inner_outer(base_background, background)

    StylesCache.get_inner_outer = get_inner_outer  # type: ignore[method-assign,assignment]
    faulty.cache_clear()
    return True
