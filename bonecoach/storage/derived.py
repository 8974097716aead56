"""Writing a derived file (a kept answer, the Next up list, the record of files checked) in the
user cache folder (``paths.derived_dir``).

Best effort and not synced: such a file only saves time, so a full disk, a read-only cache or a
crash costs one computation, never data. Written whole by a rename, mode 0600 in a 0700 folder
(``mkstemp``: nobody sharing the folder can pre-create the temporary file). No TinyDB and no
pydantic: the fast paths that read these files import this module too.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def write_derived(target: Path, text: str) -> None:
    """Replace ``target`` with ``text``, or leave it as it was (nothing is raised)."""
    try:
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}-", suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temporary, target)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
