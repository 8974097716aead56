"""One writer at a time: an advisory lock on a file inside the database folder."""

from __future__ import annotations

import fcntl
import os
import time
from pathlib import Path

from bonecoach.storage.errors import DatabaseLocked, StorageError
from bonecoach.storage.guard import open_regular

LOCK_NAME = ".lock"


class DatabaseLock:
    """An exclusive ``flock`` held for as long as this object is open.

    The kernel drops it when the process dies, however it dies, so a crash never leaves the
    database locked.
    """

    def __init__(self, folder: Path) -> None:
        self.path = folder / LOCK_NAME
        self._fd: int | None = None

    def acquire(self, wait_seconds: float = 0.0) -> None:
        """Take the lock, waiting up to ``wait_seconds``; raise ``DatabaseLocked`` if held."""
        # Never through a link, never a pipe or a folder: the file is truncated below, and a
        # planted ``.lock -> meta.json`` would otherwise empty what it points to.
        try:
            fd = open_regular(self.path, os.O_RDWR | os.O_CREAT)
        except OSError as exc:
            raise StorageError(
                f"Cannot open the lock file {self.path} ({exc.strerror or exc}): this database folder cannot "
                "be written here (a read-only disk, or a folder of another user). Commands that only "
                "read still work; nothing was changed."
            ) from None
        deadline = time.monotonic() + wait_seconds
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = self._holder(fd)
                    os.close(fd)
                    raise DatabaseLocked(
                        f"The database {self.path.parent} is open in another bonecoach "
                        f"({holder}). Close it there, or use that window."
                    ) from None
                time.sleep(0.05)
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        self._fd = fd

    def busy(self) -> bool:
        """Whether another process holds the lock now (a probe that creates and changes nothing)."""
        try:
            fd = open_regular(self.path)
        except (OSError, StorageError):
            return False  # absent (nobody ever wrote) or not a lock file: no writer holds it
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
            return False
        except BlockingIOError:
            return True
        finally:
            os.close(fd)  # closing drops the probe's shared lock

    @staticmethod
    def _holder(fd: int) -> str:
        try:
            pid = os.pread(fd, 32, 0).decode("ascii", errors="replace").strip()
        except OSError:
            pid = ""
        return f"process {pid}" if pid.isascii() and pid.isdigit() else "another process"

    @property
    def held(self) -> bool:
        """Whether this object holds the lock."""
        return self._fd is not None

    def release(self) -> None:
        """Give the lock up."""
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
