"""pydantic's plugins are off in every bonecoach process.

Why: pydantic hands every validation to the plugins installed in the same environment (found
through package metadata; observability tools register one). Each record bonecoach validates is
health data, and the app is private by design: no code it did not choose sees it. Their discovery
is also a cost no command needs: it imports ``importlib.metadata`` (email, zipfile, csv) and reads
every installed package's entry points when the first validator is built, ~12-20 ms of a command.

``PYDANTIC_DISABLE_PLUGINS`` is pydantic's documented switch; it stops the discovery but not the
import, so the loader module is also stood in for when pydantic has not loaded it yet. A test checks
the stand-in still offers everything pydantic imports from the loader.
"""

from __future__ import annotations

import os
import sys
import types

LOADER = "pydantic.plugin._loader"


class _NoPluginsLoader(types.ModuleType):
    """Stands in for pydantic's plugin loader: it finds no plugins."""

    @staticmethod
    def get_plugins() -> tuple[()]:
        """pydantic's name for the plugins to call: none."""
        return ()


def switch_off() -> None:
    """No pydantic plugin is found or called in this process (nor in the processes it starts)."""
    os.environ["PYDANTIC_DISABLE_PLUGINS"] = "__all__"
    if LOADER not in sys.modules:
        sys.modules[LOADER] = _NoPluginsLoader(
            LOADER, "bonecoach: pydantic plugins are off (bonecoach.pydantic_plugins)"
        )
