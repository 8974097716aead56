"""A TinyDB storage that never leaves a half-written file and re-reads only when the file changed.

TinyDB's stock ``JSONStorage`` rewrites the file in place, so a crash mid-write can leave it
truncated or with trailing garbage. Here every write goes to a temporary file in the same folder,
is fsynced, and is renamed over the old one (rename is atomic on POSIX), then the folder is
fsynced so the rename itself survives a power cut.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

from tinydb.storages import Storage

from bonecoach.domain.errors import InputError
from bonecoach.storage.digests import text_digest
from bonecoach.storage.errors import DatabaseDamaged, ReadOnlyDatabase, WriteFailed
from bonecoach.storage.guard import read_regular_text

FILE_MODE = 0o600
DIR_MODE = 0o700


def fsync_dir(directory: Path) -> None:
    """Make a rename in ``directory`` durable."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write_bytes(path: Path, payload: bytes) -> None:
    """Replace ``path`` with ``payload`` all at once, or leave it as it was and raise.

    The temporary file is made by ``mkstemp`` (exclusive create, unpredictable name, mode 0600),
    so nobody else sharing the folder can pre-create it and own what is written."""
    temporary: Path | None = None
    try:
        path.parent.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        temporary = Path(name)
        try:
            view = memoryview(payload)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temporary, path)
        fsync_dir(path.parent)
    except OSError as exc:
        with contextlib.suppress(OSError):
            if temporary is not None:
                temporary.unlink(missing_ok=True)
        raise WriteFailed(f"Could not save {path} ({exc.strerror or exc}); the previous version is intact.") from exc


def file_stamp(path: Path) -> tuple[int, int, int] | None:
    """Changes whenever a file written by ``atomic_write_bytes`` is replaced (every write is a
    rename), or ``None`` if it does not exist."""
    try:
        st = os.lstat(path)  # a link is not followed: reading it is refused (storage.guard)
    except FileNotFoundError:
        return None
    return (st.st_mtime_ns, st.st_size, st.st_ino)


def write_user_file(path: Path, text: str) -> Path:
    """Save ``text`` where the user asked (an export, a report): atomically, readable only by them.

    Raises ``InputError`` naming the path when it is a folder or cannot be written.
    """
    target = path.expanduser()
    if target.is_dir():
        raise InputError(f"{target} is a folder: give a file name.")
    try:
        found = os.lstat(target)
    except FileNotFoundError:
        found = None
    except OSError as exc:
        raise InputError(f"{target}: cannot be written ({exc.strerror}).") from exc
    if found is not None and not stat.S_ISREG(found.st_mode):
        # A device, a pipe or a symlink (to /dev/null, /proc/self/fd/1...) would be replaced by a file.
        raise InputError(f"{target} is not a regular file (a device, a pipe or a link): give a file name.")
    if not target.parent.is_dir():
        raise InputError(f"{target.parent} does not exist: create the folder first (bonecoach does not make it).")
    try:
        atomic_write_bytes(target, text.encode("utf-8"))
    except WriteFailed as exc:
        cause = exc.__cause__
        reason = getattr(cause, "strerror", None) or cause or exc
        raise InputError(f"{target}: cannot be written ({reason}).") from exc
    return target


@contextlib.contextmanager
def recording() -> Iterator[dict[str, str | None]]:
    """Within: every database file read through the storage, by path, with its text's digest
    (``None``: looked for and absent), for a kept answer's fingerprint (``storage.kept_answers``)."""
    reads: dict[str, str | None] = {}
    AtomicJSONStorage.reads = reads
    try:
        yield reads
    finally:
        AtomicJSONStorage.reads = None


class AtomicJSONStorage(Storage):
    """TinyDB storage with atomic writes and a read cache keyed on the file's identity."""

    # Counts this process's writes: file times are coarse (a few ms) and a replaced file's inode
    # can be reused, so caches of derived figures add this to the file's stamp.
    writes = 0
    # The same count by file (its real path): a cache of one file's content is not dropped by a
    # write of another (a logged entry re-parsed ~1 MB of meta.json at ten years).
    written: ClassVar[dict[str, int]] = {}
    # While a read command's answer is being kept (storage.kept_answers.recording): each file's
    # path and a digest of the text it was read as.
    reads: ClassVar[dict[str, str | None] | None] = None

    def __init__(self, path: str | os.PathLike[str], readonly: bool = False) -> None:
        self.path = Path(path)
        self.readonly = readonly
        self._real = os.path.realpath(self.path)
        self._cache_key: tuple[int, int, int] | None = None
        self._cache_text: str | None = None
        self._digested: tuple[str, str] | None = None  # (text, its digest) for a kept answer

    def stamp(self) -> tuple[int, int, int] | None:
        """Changes whenever the file is replaced (every write is a rename), or ``None`` if absent."""
        return file_stamp(self.path)

    def note_read(self) -> None:
        """Record the text last read for a kept answer (``reads``); a cache above this storage
        that answers without calling ``read`` calls this instead."""
        if AtomicJSONStorage.reads is not None and self._cache_text is not None:
            # Hashed once per text read: a computation reads meta.json (~1 MB at ten years) many times.
            if self._digested is None or self._digested[0] is not self._cache_text:
                self._digested = (self._cache_text, text_digest(self._cache_text))
            AtomicJSONStorage.reads[str(self.path)] = self._digested[1]

    def text(self) -> str | None:
        """The file's text as last read or written by this storage."""
        return self._cache_text

    def own_writes(self) -> int:
        """How many times this process has written this file (through any storage)."""
        return AtomicJSONStorage.written.get(self._real, 0)

    def current_text(self) -> str | None:
        """The file's text as it is on disk now (read again only if it was replaced), not
        parsed; ``None`` if it does not exist."""
        key = self.stamp()
        if key is None:
            if AtomicJSONStorage.reads is not None:
                AtomicJSONStorage.reads[str(self.path)] = None  # absent: its appearing is a change
            return None
        if key != self._cache_key or self._cache_text is None:
            try:
                text = read_regular_text(self.path)
            except FileNotFoundError:
                return None
            except UnicodeDecodeError as exc:
                raise DatabaseDamaged(self.path, "not UTF-8 text") from exc
            self._cache_text, self._cache_key = text, key
        self.note_read()
        return self._cache_text

    def read(self) -> dict[str, dict[str, Any]] | None:
        text = self.current_text()
        # Parse a fresh copy each time: TinyDB mutates what read() returns before writing it.
        return None if text is None else self._parse(text)

    def _parse(self, text: str) -> dict[str, dict[str, Any]]:
        if not text.strip():
            raise DatabaseDamaged(self.path, "the file is empty")
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise DatabaseDamaged(self.path, f"not valid JSON: {exc.msg} at line {exc.lineno}") from exc
        except RecursionError:
            raise DatabaseDamaged(self.path, "nested too deeply to be ours") from None
        if not isinstance(data, dict) or not all(isinstance(table, dict) for table in data.values()):
            raise DatabaseDamaged(self.path, "not a TinyDB document")
        for name, table in data.items():
            # Every reader takes a document for an object: a number or a list there is damage.
            if not all(isinstance(doc, dict) for doc in table.values()):
                raise DatabaseDamaged(self.path, f"table {name[:40]!r} holds a document that is not an object")
        return data

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        if self.readonly:
            raise ReadOnlyDatabase(f"{self.path} is open read-only; nothing was saved.")
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        atomic_write_bytes(self.path, text.encode("utf-8"))
        AtomicJSONStorage.writes += 1
        AtomicJSONStorage.written[self._real] = self.own_writes() + 1
        self._cache_text, self._cache_key = text, self.stamp()

    def close(self) -> None:
        """Nothing is buffered: every write is already on disk."""
