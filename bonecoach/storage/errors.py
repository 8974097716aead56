"""Storage failures, each with a message that says what happened and what to do."""


class StorageError(Exception):
    """Something went wrong reading or writing the database."""


class DatabaseDamaged(StorageError):
    """A database file exists but cannot be read as ours."""

    def __init__(self, path: object, reason: str) -> None:
        super().__init__(
            f"The database file {path} is damaged ({reason}). Nothing was changed in it; "
            "move it aside or restore a backup before logging more."
        )
        self.path = path
        self.reason = reason


class DatabaseLocked(StorageError):
    """Another bonecoach process holds the database."""


class DatabaseTooNew(StorageError):
    """The database was written by a newer bonecoach; we must not rewrite it."""


class ReadOnlyDatabase(StorageError):
    """This process opened the database read-only."""


class WriteFailed(StorageError):
    """A write did not reach the disk; the previous file is intact."""
