"""One module per tab, each imported on first use.

Every pane but Today imports the domain (pydantic models), which is loaded only after the app's
first frame: ``panes.LogPane`` imports ``panes.log`` when it is first asked for.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bonecoach.tui.panes.bone import BonePane
    from bonecoach.tui.panes.exercise import ExercisePane
    from bonecoach.tui.panes.log import LogPane
    from bonecoach.tui.panes.week import WeekPane

__all__ = ["BonePane", "ExercisePane", "LogPane", "WeekPane"]

_MODULES = {"BonePane": "bone", "ExercisePane": "exercise", "LogPane": "log", "WeekPane": "week"}


def __getattr__(name: str) -> Any:
    if name not in _MODULES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_MODULES[name]}"), name)
