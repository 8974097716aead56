"""The person's app settings, kept between runs: a small JSON file in the user config folder
(``~/.config/bonecoach/settings.json``, XDG via platformdirs), never in the database folder
(which may be synced or shared): the chosen Textual theme, and the nutrients the person hid.

What is read back is input: a missing, damaged, oversized or odd file gives the defaults (said to
the caller), never an error that stops the app; a write is atomic and readable only by the user.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from bonecoach.domain.nutrient_info import NUTRIENT_KEYS

SETTINGS_NAME = "settings.json"
MAX_BYTES = 4096  # a settings file larger than this is not ours
MAX_THEME_NAME = 64


@dataclass(frozen=True)
class UserSettings:
    """What is kept; ``theme`` is ``None`` until one is chosen."""

    theme: str | None = None
    hidden: tuple[str, ...] = ()
    """Nutrient keys not shown on Today and Week (still counted, exported and in ``--json``)."""


def settings_path() -> Path:
    """Where the settings live: the user config folder, beside the key for derived files."""
    from platformdirs import user_config_path

    return user_config_path("bonecoach", appauthor=False) / SETTINGS_NAME


def load(path: Path | None = None) -> tuple[UserSettings, str | None]:
    """The settings kept, and why they were not usable (``None`` when they were, or when none
    were kept yet)."""
    path = path or settings_path()
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        return UserSettings(), None
    except OSError as exc:
        return UserSettings(), f"{path}: could not be read ({exc.strerror}); the defaults are used."
    if len(raw) > MAX_BYTES:
        return UserSettings(), f"{path}: larger than {MAX_BYTES} bytes, not a bonecoach settings file; ignored."
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        return UserSettings(), f"{path}: not valid JSON; the defaults are used (it is rewritten on the next change)."
    if not isinstance(data, dict):
        return UserSettings(), f"{path}: not a settings object; the defaults are used."
    problem = None
    theme = data.get("theme")
    if theme is not None and not (isinstance(theme, str) and 0 < len(theme) <= MAX_THEME_NAME
                                  and theme.replace("-", "").replace("_", "").isalnum()):  # fmt: skip
        theme, problem = None, f"{path}: 'theme' is not a theme name; the default theme is used."
    hidden = data.get("hidden", [])
    known = [key for key in hidden if key in NUTRIENT_KEYS] if isinstance(hidden, list) else []
    if not isinstance(hidden, list) or len(known) != len(hidden):
        problem = f"{path}: 'hidden' holds something that is not a nutrient; only the nutrients named are hidden."
    return UserSettings(theme=theme, hidden=tuple(dict.fromkeys(known))), problem


def save(settings: UserSettings, path: Path | None = None) -> None:
    """Keep ``settings`` (atomically: the old file stays whole if the write fails)."""
    path = path or settings_path()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    handle, temporary = tempfile.mkstemp(prefix=".settings-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump({"schema": 1, "theme": settings.theme, "hidden": list(settings.hidden)}, out)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, 0o600)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
