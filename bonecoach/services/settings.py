"""The person's app settings kept between runs (the theme), for the faces (``storage.user_settings``)."""

from __future__ import annotations

from pathlib import Path

from bonecoach.storage import user_settings


def kept_theme(path: Path | None = None) -> tuple[str | None, str | None]:
    """The theme chosen in an earlier run (``None``: none), and why the kept settings were not
    usable, if they were not."""
    settings, problem = user_settings.load(path)
    return settings.theme, problem


def keep_theme(name: str, path: Path | None = None) -> str | None:
    """Keep ``name`` as the theme for the next runs; why it could not be kept, if so."""
    try:
        user_settings.save(user_settings.UserSettings(theme=name), path)
    except OSError as exc:
        return f"The theme is used now but could not be kept for next time: {exc.strerror or exc}."
    return None
