"""The database folder as a trust boundary: what bonecoach opens inside it must be what it made.

A database folder can be written by others: a group-shared folder, a folder synced from another
computer, a link put there by mistake. Nothing read from it may steer bonecoach outside it. So
every folder and file opened inside it is checked to be a real folder or a regular file (not a
link, a pipe or a device) owned by the person running bonecoach, files are read without following
links, and a folder others can write into is refused before anything in it is trusted.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable
from pathlib import Path

from bonecoach.storage.errors import StorageError

OTHERS_WRITE = stat.S_IWGRP | stat.S_IWOTH


class UnsafeDatabase(StorageError):
    """Something in the database folder is not what bonecoach made: a link, a pipe, a device, a
    file of another user, or a folder others can write into. Nothing was changed."""

    def __init__(self, path: Path, what: str, fix: str) -> None:
        super().__init__(f"{path} {what}; nothing was read from it or changed. {fix}")
        self.path = path


def _kind(mode: int) -> str:
    if stat.S_ISLNK(mode):
        return "a link"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "not a regular file"


def _refuse(path: Path, found: str, expected: str) -> UnsafeDatabase:
    return UnsafeDatabase(
        path,
        f"is {found}, where bonecoach keeps {expected}",
        f"bonecoach never makes one there: move it out of the database folder (e.g. mv {path} ~/) "
        "and run the command again.",
    )


def _owned(path: Path, info: os.stat_result) -> None:
    if info.st_uid != os.getuid():
        raise UnsafeDatabase(
            path,
            f"belongs to another user (uid {info.st_uid})",
            "A database holds one person's health data: use a folder of your own (--db), or ask its owner.",
        )


def check_root(root: Path, *, writable: bool) -> None:
    """The database folder itself (followed if a link: the person named it): a folder of this
    user's that no one else can write into. A writable open makes a loose folder private first,
    as it always has; a read-only open changes nothing, so it refuses one others can write."""
    try:
        info = os.stat(root)
    except FileNotFoundError:
        return  # a new database: made private by the writable open
    except OSError as exc:
        raise StorageError(f"{root}: cannot be read ({exc.strerror}); nothing was changed.") from None
    if not stat.S_ISDIR(info.st_mode):
        raise StorageError(f"{root} is not a folder: --db (or BONECOACH_DB) names the database folder.")
    _owned(root, info)
    if info.st_mode & OTHERS_WRITE and not writable:
        raise UnsafeDatabase(
            root,
            "can be written by other users",
            f"Anyone who can write there could plant files bonecoach reads: run chmod 700 {root} "
            "(any command that saves does it for you).",
        )


def _check(path: Path, right_kind: Callable[[int], bool], expected: str) -> bool:
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return False
    if not right_kind(info.st_mode):
        raise _refuse(path, _kind(info.st_mode), expected)
    _owned(path, info)
    return True


def check_folder(path: Path) -> bool:
    """A folder bonecoach keeps inside the database (entries, backups, staging, a kept-aside
    copy): whether it exists; ``UnsafeDatabase`` if it is anything but a real folder of this user."""
    return _check(path, stat.S_ISDIR, "a folder of its own")


def check_file(path: Path) -> bool:
    """A file bonecoach keeps inside the database: whether it exists; ``UnsafeDatabase`` if it is
    anything but a regular file of this user."""
    return _check(path, stat.S_ISREG, "a file of its own")


def open_regular(path: Path, flags: int = os.O_RDONLY, mode: int = 0o600) -> int:
    """A descriptor on ``path`` opened without following a link and without blocking on a pipe,
    checked to be a regular file of this user (``UnsafeDatabase`` otherwise; ``FileNotFoundError``
    if absent and not created)."""
    try:
        fd = os.open(path, flags | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, mode)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise _refuse(path, "a link", "a file of its own") from None
        if exc.errno == errno.EISDIR:
            raise _refuse(path, "a folder", "a file of its own") from None
        if exc.errno in (errno.ENXIO, errno.ENODEV):
            raise _refuse(path, "a device or a socket", "a file of its own") from None
        raise
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise _refuse(path, _kind(info.st_mode), "a file of its own")
        _owned(path, info)
    except BaseException:
        os.close(fd)
        raise
    return fd


def read_regular_bytes(path: Path) -> bytes:
    """The bytes of a regular file of this user inside the database (see ``open_regular``)."""
    fd = open_regular(path)
    with os.fdopen(fd, "rb") as handle:
        return handle.read()


def read_regular_text(path: Path) -> str:
    """The UTF-8 text of a regular file of this user inside the database (``UnicodeDecodeError``
    when it is not text)."""
    return read_regular_bytes(path).decode("utf-8")
