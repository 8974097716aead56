"""Backups, restore, damaged files and migrations."""

from __future__ import annotations

import json
import stat
import tempfile
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bonecoach.domain.models import Entry
from bonecoach.domain.nutrients import Nutrients
from bonecoach.services.coach import Coach
from bonecoach.storage import backup
from bonecoach.storage.errors import DatabaseDamaged, StorageError
from bonecoach.storage.repository import SCHEMA_VERSION, Repository
from tests.old_layouts import as_schema_2


def test_first_change_of_the_day_makes_rotating_backups(profiled: Coach, db_dir: Path) -> None:
    names = sorted(p.name for p in (db_dir / "backups").iterdir())
    today = profiled.now().date()  # the services' clock dates the backups too (one clock)
    assert names == [
        "daily-" + today.isoformat() + ".json",
        f"weekly-{today.isocalendar()[0]}-W{today.isocalendar()[1]:02d}.json",
    ]
    for path in (db_dir / "backups").iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE((db_dir / "backups").stat().st_mode) == 0o700


def test_rotation_keeps_seven_daily_and_eight_weekly(repo: Repository, db_dir: Path) -> None:
    start = datetime(2026, 1, 1, 9)
    for day in range(70):
        moment = start + timedelta(days=day)
        backup.ensure_rotating_backups(db_dir, moment.date(), moment)
    found = sorted(p.stem for p in (db_dir / "backups").iterdir())
    daily = [n for n in found if n.startswith("daily-")]
    weekly = [n for n in found if n.startswith("weekly-")]
    assert len(daily) == 7 and daily[-1] == "daily-2026-03-11"
    assert len(weekly) == 8


def test_a_damaged_database_is_never_backed_up(profiled: Coach, db_dir: Path) -> None:
    profiled.log_food("01077", grams=100, at="8am")
    good_before = backup.list_backups(db_dir)
    (db_dir / "entries" / "2026-11.json").write_text('{"entries": {"1": ')
    with pytest.raises(DatabaseDamaged):
        backup.write_backup(db_dir, "manual-x", datetime(2026, 11, 25, 21))
    assert backup.list_backups(db_dir) == good_before


def test_restore_keeps_the_damaged_files_aside(profiled: Coach, db_dir: Path) -> None:
    profiled.log_food("01077", grams=100, at="8am")
    backup.write_backup(db_dir, "manual-good", datetime(2026, 11, 25, 9))
    damaged = b'{"entries": {"1": {"id": "x", "at'
    (db_dir / "entries" / "2026-11.json").write_bytes(damaged)
    profiled.repo.close()
    reopened = Repository(db_dir)
    with pytest.raises(DatabaseDamaged) as caught:
        reopened.entries_on(date(2026, 11, 25))
    reopened.close()
    assert "2026-11.json" in str(caught.value)
    aside = backup.restore_backup(db_dir, "manual-good", datetime(2026, 11, 25, 21, 30))
    assert aside is not None and (aside / "entries" / "2026-11.json").read_bytes() == damaged
    repo = Repository(db_dir)
    assert [e.ref for e in repo.entries_on(date(2026, 11, 25))] == ["01077"]
    repo.close()


def test_a_broken_backup_is_refused_and_listed_as_unusable(repo: Repository, db_dir: Path) -> None:
    (db_dir / "backups").mkdir()
    (db_dir / "backups" / "daily-2026-01-01.json").write_text("not json")
    (db_dir / "backups" / "evil.json").write_text(
        json.dumps({"format": "bonecoach-backup", "files": {"meta.json": {}, "../x.json": {}}})
    )
    infos = {i.name: i for i in backup.list_backups(db_dir)}
    assert not infos["daily-2026-01-01"].valid and not infos["evil"].valid
    with pytest.raises(StorageError):
        backup.restore_backup(db_dir, "evil", datetime(2026, 1, 2))
    with pytest.raises(StorageError, match="No backup named"):
        backup.restore_backup(db_dir, "nothing", datetime(2026, 1, 2))
    assert not (db_dir.parent / "x.json").exists()


def test_schema_invalid_data_is_reported_as_damage(profiled: Coach, db_dir: Path) -> None:
    profiled.log_food("01077", grams=100, at="8am")
    path = db_dir / "entries" / "2026-11.json"
    data = json.loads(path.read_text())
    next(iter(data["entries"].values()))["grams"] = "plenty"
    path.write_text(json.dumps(data))
    with pytest.raises(DatabaseDamaged, match="grams"):
        profiled.day()


def _v1_database(root: Path) -> None:
    (root / "entries").mkdir(parents=True)
    meta = {"meta": {"1": {"schema_version": 1, "created": "2026-11-25T01:00:00"}},
            "profile": {"1": {"sex": "female", "birth_date": "1962-04-12", "guideline": "iom", "overrides": {}}}}  # fmt: skip
    entry = {"id": "old1", "at": "2026-11-25T08:00:00", "kind": "food", "ref": "01077", "name": "Milk", "meal": "breakfast",
             "grams": 244.0, "doses": None, "portion": "1 cup", "nutrients": {"calcium_mg": 275.72}}  # fmt: skip
    (root / "meta.json").write_text(json.dumps(meta))
    (root / "entries" / "2026-11.json").write_text(json.dumps({"entries": {"1": entry}}))


def test_older_schema_is_migrated_after_a_backup(tmp_path: Path) -> None:
    root = tmp_path / "db"
    _v1_database(root)
    old_month = (root / "entries" / "2026-11.json").read_bytes()
    repo = Repository(root)
    assert repo.schema_version == SCHEMA_VERSION == 4
    (pre,) = [p for p in (root / "backups").iterdir() if p.name.startswith("pre-migration-v1-")]
    saved = json.loads(pre.read_text())["files"]
    assert saved["entries/2026-11.json"] == json.loads(old_month)
    migrated = json.loads((root / "entries" / "2026-11.json").read_text())["entries"]["1"]
    assert migrated["inhibitors"] == {} and migrated["drug_class"] is None
    assert [e.id for e in repo.entries_on(date(2026, 11, 25))] == ["old1"]
    repo.close()


def test_data_without_a_schema_version_is_not_taken_for_a_new_database(tmp_path: Path) -> None:
    root = tmp_path / "db"
    _v1_database(root)
    meta = json.loads((root / "meta.json").read_text())
    del meta["meta"]
    (root / "meta.json").write_text(json.dumps(meta))
    with pytest.raises(DatabaseDamaged, match="no schema version"):
        Repository(root)


@pytest.mark.parametrize("name", ["../../etc/passwd", "9" * 400, "a/b", "", ".hidden", "x\x00y"])
def test_backup_names_cannot_leave_the_backup_folder(repo: Repository, db_dir: Path, name: str) -> None:
    with pytest.raises(StorageError, match="not a backup name"):
        backup.restore_backup(db_dir, name, datetime(2026, 1, 2))


def test_reads_of_an_older_schema_see_the_current_layout_and_export_carries_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 37 item 7: until the first write, a schema 2 database read as schema 3 lost every
    dose from ``next`` and the regimen, setup and sessions from an export (and its import)."""
    from bonecoach.cli import context, next_command
    from bonecoach.cli.main import main

    now = datetime(2026, 11, 25, 6, 0)
    monkeypatch.setattr(context, "CLOCK", lambda: now)
    monkeypatch.setattr(next_command, "CLOCK", lambda: now)
    db = tmp_path / "db"

    def run(*args: str) -> str:
        assert main(["--db", str(db), *args]) == 0
        return capsys.readouterr().out

    run("profile", "set", "--sex", "female", "--birth-date", "1960-05-01")
    run("regimen", "add", "medication", "alendronate")
    run("session", "done", "2026-11-24", "balance")
    fresh = json.loads(run("next", "--json"))
    as_schema_2(db)
    old_meta = (db / "meta.json").read_bytes()
    assert json.loads(run("next", "--json")) == fresh
    exported = tmp_path / "export.json"
    run("export", "--format", "json", "--output", str(exported))
    assert (db / "meta.json").read_bytes() == old_meta  # a reader changes nothing
    data = json.loads(exported.read_text())
    assert data["tables"]["regimen"] and data["tables"]["sessions"]
    other = tmp_path / "other"
    assert main(["--db", str(other), "import", "json", str(exported), "--yes"]) == 0
    capsys.readouterr()
    assert Repository(other, readonly=True).regimen() is not None


def _month_entries(day: int, count: int) -> list[Entry]:
    at = datetime(2026, 1, 1, 8) + timedelta(days=day)
    return [
        Entry(
            id=f"e{day}-{n}",
            at=at + timedelta(minutes=n),
            kind="food",
            ref="01077",
            name='Milk \u00e9 \\ "x"',
            meal="breakfast",
            grams=100 + n,
            nutrients=Nutrients(calcium_mg=113 + n),
        )
        for n in range(count)
    ]


@settings(max_examples=15, deadline=None)
@given(st.lists(st.integers(0, 330), max_size=6), st.integers(1, 3))
def test_a_backup_made_from_the_files_texts_holds_what_they_parse_to(days: list[int], per_day: int) -> None:
    # Backups are written from the files' texts (issue 35): the backup reads back as the parsed
    # files, the time it was made and the format, exactly as a parsed-and-dumped backup did.
    with tempfile.TemporaryDirectory() as folder:
        _check_backup_of(Path(folder) / "db", days, per_day)


def _check_backup_of(db_dir: Path, days: list[int], per_day: int) -> None:
    repo = Repository(db_dir)
    try:
        repo.save_setting("units", "metric")
        for day in days:
            repo.add_entries(_month_entries(day, per_day))
        now = datetime(2026, 12, 5, 9, 30)
        (path,) = backup.write_backups(db_dir, ["manual-t"], now, repo._checked)
    finally:
        repo.close()
    expected = {**backup.snapshot(db_dir), "created": "2026-12-05T09:30:00"}
    assert json.loads(path.read_text(encoding="utf-8")) == expected
    assert backup.read_backup(path)["files"] == expected["files"]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_the_day_s_backups_check_no_file_whose_content_was_checked(
    profiled: Coach, db_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first change of a day made two backups, each parsing and validating every record of
    every file (2.8 s at ten years) though the checked record vouched for them: now one reading,
    and a file is checked only when its content is not the one checked before."""
    from bonecoach.storage import tables

    profiled.log_food("01077", grams=100, at="8am")
    for old in (db_dir / "backups").iterdir():
        old.unlink()
    checked: list[str] = []
    month_problem = tables.month_problem
    monkeypatch.setattr(
        tables, "month_problem", lambda doc, key, today=None: checked.append(key) or month_problem(doc, key, today)
    )
    profiled.repo._backup_pending = True
    profiled.log_food("01077", grams=50, at="9am")
    assert len(list((db_dir / "backups").iterdir())) == 2
    assert checked == []
    # A month changed outside bonecoach is checked; damaged, no backup is made of it.
    month = db_dir / "entries" / "2026-11.json"
    month.write_text(month.read_text().replace('"grams":50', '"grams":-5'), encoding="utf-8")
    for old in (db_dir / "backups").iterdir():
        old.unlink()
    with pytest.raises(DatabaseDamaged, match="2026-11"):
        backup.ensure_rotating_backups(db_dir, date(2026, 11, 25), datetime(2026, 11, 25, 10), profiled.repo._checked)
    assert checked == ["2026-11"] and not list((db_dir / "backups").iterdir())
