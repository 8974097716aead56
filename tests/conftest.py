"""Shared fixtures: a temporary database, a frozen clock, the catalog loaded once, no network."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from bonecoach.catalog.foods import FoodCatalog
from bonecoach.services.coach import Coach
from bonecoach.storage.repository import Repository

NOW = datetime(2026, 11, 25, 20, 0)


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """bonecoach is offline by design: any attempt to reach the network fails the test."""

    def refuse(self: socket.socket, address: object, *args: object) -> None:
        if self.family in (socket.AF_INET, socket.AF_INET6):
            raise AssertionError(f"bonecoach tried to open a network connection to {address!r}")
        return original_connect(self, address)  # type: ignore[arg-type]

    def refuse_lookup(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"bonecoach tried a DNS lookup: {args!r}")

    original_connect = socket.socket.connect
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse_lookup)


@pytest.fixture(scope="session")
def user_folders(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The run's own config, cache and state folders (the key that signs derived files lives in
    the config folder): never the real home's."""
    return tmp_path_factory.mktemp("home")


@pytest.fixture(autouse=True)
def private_user_folders(user_folders: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("CONFIG", "CACHE", "STATE"):
        monkeypatch.setenv(f"XDG_{name}_HOME", str(user_folders / name.lower()))
    # A theme chosen or a nutrient hidden by one test is not another's starting point.
    (user_folders / "config" / "bonecoach" / "settings.json").unlink(missing_ok=True)


@pytest.fixture(scope="session")
def catalog() -> FoodCatalog:
    """The shipped catalog, loaded once for the whole run."""
    return FoodCatalog.load()


@pytest.fixture
def db_dir(tmp_path: Path) -> Path:
    return tmp_path / "db"


@pytest.fixture
def repo(db_dir: Path) -> Iterator[Repository]:
    repository = Repository(db_dir)
    yield repository
    repository.close()


@pytest.fixture
def coach(repo: Repository, catalog: FoodCatalog) -> Coach:
    """Services over an empty database at a fixed time: 2026-11-25 20:00."""
    return Coach(repo, clock=lambda: NOW, catalog=catalog)


@pytest.fixture
def profiled(coach: Coach) -> Coach:
    """The same, with a profile: a woman aged 64."""
    from datetime import date

    coach.set_profile("female", date(1962, 4, 12))
    return coach


def lock_is_free(db: Path) -> bool:
    """Whether nobody (this process included) holds the database's lock."""
    from bonecoach.storage.errors import DatabaseLocked
    from bonecoach.storage.lock import DatabaseLock

    probe = DatabaseLock(db)
    try:
        probe.acquire(0.0)
    except DatabaseLocked:
        return False
    probe.release()
    return True


def snapshot_files(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` with its bytes, to prove a refused input changed nothing
    (not the lock, the Next up list kept for the status bar, nor the record of files checked:
    derived, never data)."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name not in (".lock", ".next-up.json", ".checked.json")
    }
