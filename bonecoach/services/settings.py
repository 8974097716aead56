"""The person's app settings kept between runs (the theme, the nutrients hidden), for the faces
(``storage.user_settings``)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from bonecoach.domain.errors import InputError
from bonecoach.domain.nutrient_info import NUTRIENT_KEYS
from bonecoach.storage import user_settings


def kept_settings(path: Path | None = None) -> tuple[user_settings.UserSettings, str | None]:
    """The settings kept from earlier runs, and why some were not usable, if so."""
    return user_settings.load(path)


def keep_theme(name: str, path: Path | None = None) -> str | None:
    """Keep ``name`` as the theme for the next runs; why it could not be kept, if so."""
    current, _ = user_settings.load(path)
    return _save(replace(current, theme=name), path, "The theme is used now")


def keep_hidden(keys: list[str], path: Path | None = None) -> str | None:
    """Hide ``keys`` on Today and Week from now on (the rest shown); why it could not be kept, if so."""
    unknown = [key for key in keys if key not in NUTRIENT_KEYS]
    if unknown:
        raise InputError(f"Unknown nutrient {unknown[0]!r}; use one of {', '.join(NUTRIENT_KEYS)}.")
    current, _ = user_settings.load(path)
    return _save(replace(current, hidden=tuple(dict.fromkeys(keys))), path, "The nutrients are hidden now")


def _save(settings: user_settings.UserSettings, path: Path | None, now: str) -> str | None:
    try:
        user_settings.save(settings, path)
    except OSError as exc:
        return f"{now} but could not be kept for next time: {exc.strerror or exc}."
    return None
