"""The repository: private files, atomic writes, schema version, lock, month files, undo."""

import json
import os
import stat
from datetime import datetime
from pathlib import Path

import pytest

from bonecoach.domain.models import Entry, MealSlot
from bonecoach.domain.nutrients import Nutrients
from bonecoach.storage.atomic import atomic_write_bytes
from bonecoach.storage.errors import DatabaseDamaged, DatabaseLocked, DatabaseTooNew, ReadOnlyDatabase, WriteFailed
from bonecoach.storage.repository import SCHEMA_VERSION, Repository


def entry(entry_id: str, at: datetime, calcium: float = 100) -> Entry:
    return Entry(
        id=entry_id,
        at=at,
        kind="food",
        ref="01077",
        name="Milk",
        meal=MealSlot.breakfast,
        grams=100,
        nutrients=Nutrients(calcium_mg=calcium),
    )


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_files_only_the_user_can_read(repo: Repository, db_dir: Path) -> None:
    repo.add_entry(entry("a", datetime(2026, 11, 25, 8)))
    assert mode(db_dir) == 0o700 and mode(db_dir / "entries") == 0o700
    for path in db_dir.rglob("*"):
        if path.is_file():
            assert mode(path) == 0o600, path


def test_schema_version_is_stored(repo: Repository, db_dir: Path) -> None:
    meta = json.loads((db_dir / "meta.json").read_text())
    assert meta["meta"]["1"]["schema_version"] == SCHEMA_VERSION == repo.schema_version


def test_newer_schema_is_refused_and_not_rewritten(db_dir: Path) -> None:
    Repository(db_dir).close()
    path = db_dir / "meta.json"
    data = json.loads(path.read_text())
    data["meta"]["1"]["schema_version"] = SCHEMA_VERSION + 1
    path.write_text(json.dumps(data))
    before = path.read_bytes()
    with pytest.raises(DatabaseTooNew, match="newer bonecoach"):
        Repository(db_dir)
    assert path.read_bytes() == before


@pytest.mark.parametrize("content", [b"", b'{"meta": {"1": ', b"\x00\xff garbage", b"[1, 2]"])
def test_damaged_file_is_reported_not_overwritten(db_dir: Path, content: bytes) -> None:
    Repository(db_dir).close()
    path = db_dir / "meta.json"
    path.write_bytes(content)
    with pytest.raises(DatabaseDamaged) as caught:
        Repository(db_dir)
    assert str(path) in str(caught.value)
    assert path.read_bytes() == content


def test_entries_are_split_by_month(repo: Repository, db_dir: Path) -> None:
    repo.add_entry(entry("a", datetime(2026, 10, 31, 23, 59)))
    repo.add_entry(entry("b", datetime(2026, 11, 1, 0, 0)))
    assert repo.month_keys() == ["2026-10", "2026-11"]
    assert [e.id for e in repo.entries_on(datetime(2026, 11, 1).date())] == ["b"]
    assert [e.id for e in repo.entries_between(datetime(2026, 10, 1).date(), datetime(2026, 11, 30).date())] == [
        "a",
        "b",
    ]


def test_moving_an_entry_to_another_month(repo: Repository) -> None:
    repo.add_entry(entry("a", datetime(2026, 11, 1, 8)))
    repo.replace_entry(entry("a", datetime(2026, 10, 31, 8), calcium=5))
    assert repo.entries_on(datetime(2026, 11, 1).date()) == []
    moved = repo.get_entry("a")
    assert moved is not None and moved.nutrients.calcium_mg == 5


def test_delete_and_undo(repo: Repository) -> None:
    repo.add_entry(entry("a", datetime(2026, 11, 25, 8)))
    repo.add_entry(entry("b", datetime(2026, 11, 25, 9)))
    repo.delete_entry("a")
    repo.delete_entry("b")
    assert repo.entries_on(datetime(2026, 11, 25).date()) == []
    restored = repo.restore_last_deleted()
    assert restored is not None and restored.id == "b"
    assert [e.id for e in repo.entries_on(datetime(2026, 11, 25).date())] == ["b"]


def test_second_writer_is_refused_and_reader_cannot_write(repo: Repository, db_dir: Path) -> None:
    with pytest.raises(DatabaseLocked, match="open in another bonecoach"):
        Repository(db_dir)
    reader = Repository(db_dir, readonly=True)
    with pytest.raises(ReadOnlyDatabase):
        reader.add_entry(entry("x", datetime(2026, 11, 25, 8)))
    repo.add_entry(entry("a", datetime(2026, 11, 25, 8)))
    assert [e.id for e in reader.entries_on(datetime(2026, 11, 25).date())] == ["a"]  # sees the writer's change


def test_lock_is_released_on_close(db_dir: Path) -> None:
    first = Repository(db_dir)
    first.close()
    Repository(db_dir).close()


def test_failed_write_leaves_previous_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "f.json"
    atomic_write_bytes(path, b'{"ok": 1}')

    def full_disk(fd: int, data: object) -> int:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "write", full_disk)
    with pytest.raises(WriteFailed, match="previous version is intact"):
        atomic_write_bytes(path, b'{"ok": 2}')
    monkeypatch.undo()
    assert path.read_bytes() == b'{"ok": 1}'
    assert [p.name for p in tmp_path.iterdir()] == ["f.json"]  # no temporary file left behind


def test_a_table_read_at_once_names_its_damaged_record_as_one_read_alone_would(db_dir: Path) -> None:
    # Records are validated as one list (fast); a damaged one is still reported by its field.
    from datetime import date

    from bonecoach.domain.exercise import SessionRecord

    repo = Repository(db_dir, auto_backup=False)
    for day in range(1, 6):
        repo.save_session(SessionRecord(date=date(2026, 11, day), category="balance", completed=True))
    assert [r.date.day for r in repo.session_records()] == [1, 2, 3, 4, 5]
    repo.close()
    stored = json.loads((db_dir / "sessions.json").read_text())
    third = sorted(stored["sessions"], key=int)[2]
    stored["sessions"][third]["category"] = "juggling"
    (db_dir / "sessions.json").write_text(json.dumps(stored))
    with pytest.raises(
        DatabaseDamaged, match=r"sessions\.json is damaged \(a stored sessionrecord is invalid at category"
    ):
        Repository(db_dir, auto_backup=False).session_records()


def test_logging_an_entry_does_not_parse_meta_json_again(repo: Repository, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 35: at ten years meta.json is ~1 MB (session records); logging an entry parsed it
    three times (the profile, the soundness check before the month's change, the profile again
    after it: a write of any file dropped meta.json's cache). Once, unless meta.json changes."""
    from bonecoach.storage.atomic import AtomicJSONStorage

    repo.save_setting("units", "metric")
    parse = AtomicJSONStorage._parse
    parsed: list[str] = []

    def counting(self: AtomicJSONStorage, text: str) -> object:
        parsed.append(self.path.name)
        return parse(self, text)

    monkeypatch.setattr(AtomicJSONStorage, "_parse", counting)
    assert repo.setting("units") == "metric"
    repo.add_entry(entry("a", datetime(2025, 3, 1, 8)))
    repo.add_entry(entry("b", datetime(2025, 3, 1, 9)))
    assert repo.setting("units") == "metric"
    assert parsed.count("meta.json") == 1
    # A change of meta.json itself is seen.
    repo.save_setting("units", "us")
    assert repo.setting("units") == "us"
