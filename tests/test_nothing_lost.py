"""Nothing lost, ever: one write per change, whole imports and restores, damaged files never
rewritten, backups that can restore, imports checked as strictly as typing."""

from __future__ import annotations

import contextlib
import json
import multiprocessing
import os
import random
import signal
import stat
import time
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bonecoach.cli import context
from bonecoach.cli.main import main
from bonecoach.domain.errors import InputError
from bonecoach.domain.models import Entry, MealSlot
from bonecoach.domain.nutrients import Nutrients
from bonecoach.services.coach import Coach
from bonecoach.storage import atomic, backup, switch, transfer
from bonecoach.storage.errors import DatabaseDamaged
from bonecoach.storage.repository import Repository
from bonecoach.storage.transfer import export_json, import_json, import_json_file
from tests.conftest import NOW, lock_is_free, snapshot_files
from tests.write_paths import KEYS, WRITES, lost, stored

FORK = multiprocessing.get_context("fork")
TODAY = NOW.date()


def _count_writes(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """Counts whole-file replacements of database files and multi-file changes."""
    counts: Counter[str] = Counter()
    real_write, real_commit = atomic.AtomicJSONStorage.write, switch.commit

    def write(self: atomic.AtomicJSONStorage, data: dict[str, Any]) -> None:
        counts["file"] += 1
        real_write(self, data)

    def commit(*args: Any, **kwargs: Any) -> Path | None:
        counts["change of several files"] += 1
        return real_commit(*args, **kwargs)

    monkeypatch.setattr(atomic.AtomicJSONStorage, "write", write)
    monkeypatch.setattr(switch, "commit", commit)
    return counts


@pytest.mark.parametrize("path", sorted(WRITES))
def test_every_write_replacing_a_record_is_one_atomic_write(
    db_dir: Path, monkeypatch: pytest.MonkeyPatch, path: str
) -> None:
    repo = Repository(db_dir, auto_backup=False)
    written = {WRITES[path](repo, n): n for n in range(KEYS)}  # every record exists: the next writes replace them
    counts = _count_writes(monkeypatch)
    for n in range(KEYS, 4 * KEYS):
        written[WRITES[path](repo, n)] = n
        assert sum(counts.values()) == 1, f"{path} write {n}: {dict(counts)}"
        counts.clear()
    assert stored(repo)[path] == written
    repo.close()


def _writer(root: str, seed: int, acks: Any) -> None:
    repo = Repository(Path(root), lock_wait=10, auto_backup=False)
    rng = random.Random(seed)
    paths = sorted(WRITES)
    n = seed * 10_000
    while True:
        path = rng.choice(paths)
        key = WRITES[path](repo, n)
        acks.send((path, key, n))  # only after the write returned: it is durably on disk
        n += 1


@pytest.mark.slow
def test_sigkill_during_any_kind_of_write_loses_nothing_acknowledged(tmp_path: Path) -> None:
    root = tmp_path / "db"
    Repository(root, auto_backup=False).close()
    rng = random.Random(20261201)
    acknowledged: dict[str, dict[str, int]] = {path: {} for path in WRITES}
    per_path: Counter[str] = Counter()
    kills = 150
    for run in range(kills):
        receive, send = FORK.Pipe(duplex=False)
        child = FORK.Process(target=_writer, args=(str(root), run + 1, send))
        child.start()
        send.close()
        time.sleep(rng.uniform(0.02, 0.12))
        os.kill(child.pid, signal.SIGKILL)  # type: ignore[arg-type]
        child.join(timeout=30)
        while receive.poll(1):
            try:
                path, key, n = receive.recv()
            except EOFError:
                break
            acknowledged[path][key] = max(n, acknowledged[path].get(key, -1))
            per_path[path] += 1
        receive.close()
        repo = Repository(root, auto_backup=False)  # finishes or undoes a change cut in half
        repo.verify()
        missing = lost(acknowledged, stored(repo))
        repo.close()
        assert not missing, f"after kill {run + 1}: {missing[:5]}"
    print(f"\n{kills} kills; acknowledged writes per path: {dict(sorted(per_path.items()))}; 0 lost")
    assert all(per_path[path] > 0 for path in WRITES), per_path


# -- import and restore: whole, or not at all ---------------------------------------------------


def _history(coach: Coach, months: int) -> None:
    coach.set_profile("female", date(1962, 4, 12))
    coach.add_scan(date(2025, 1, 5), "total_hip", -2.2)
    start = TODAY - timedelta(days=30 * months)
    entries = [
        Entry(id=f"h{n}", at=datetime.combine(start, datetime.min.time()) + timedelta(hours=5 * n), kind="food",
              ref="01077", name="Milk", meal=MealSlot.breakfast, grams=100, nutrients=Nutrients(calcium_mg=113))
        for n in range(months * 30 * 24 // 5)
    ]  # fmt: skip
    coach.repo.add_entries(entries)


def _state(root: Path) -> tuple[bool, int]:
    repo = Repository(root, auto_backup=False)
    repo.verify()
    found = (repo.profile() is not None, len(repo.all_entries()))
    repo.close()
    return found


def _import_child(root: str, text: str) -> None:
    if text.endswith(".json"):  # a file: read an entry at a time, each month staged as it completes
        import_json_file(Repository(Path(root), auto_backup=False), Path(text), TODAY)
    else:
        import_json(Repository(Path(root), auto_backup=False), text, "export.json", TODAY)


def _restore_child(root: str, name: str) -> None:
    from bonecoach.storage.lock import DatabaseLock

    DatabaseLock(Path(root)).acquire(10)
    backup.restore_backup(Path(root), name, datetime.now())


@pytest.mark.slow
def test_sigkill_during_import_or_restore_leaves_it_complete_or_untouched(tmp_path: Path, catalog: Any) -> None:
    source = Coach(Repository(tmp_path / "source", auto_backup=False), clock=lambda: NOW, catalog=catalog)
    _history(source, 24)
    text = export_json(source.repo)
    expected = (True, len(source.repo.all_entries()))
    backup.write_backup(source.repo.root, "manual-whole", NOW)
    source.repo.close()
    rng = random.Random(7)
    outcomes: Counter[str] = Counter()
    (tmp_path / "export.json").write_text(text, encoding="utf-8")
    for run in range(32):
        root = tmp_path / f"import-{run}"
        Repository(root, auto_backup=False).close()
        given = text if run < 20 else str(tmp_path / "export.json")
        child = FORK.Process(target=_import_child, args=(str(root), given))
        child.start()
        time.sleep(rng.uniform(0.0, 0.8))
        os.kill(child.pid, signal.SIGKILL)  # type: ignore[arg-type]
        child.join(timeout=30)
        found = _state(root)
        assert found in (expected, (False, 0)), f"import run {run}: {found}"
        outcomes[("file " if run >= 20 else "") + ("import complete" if found == expected else "import untouched")] += 1
    current = Coach(Repository(tmp_path / "current", auto_backup=False), clock=lambda: NOW, catalog=catalog)
    _history(current, 2)
    current.repo.close()
    before = _state(tmp_path / "current")
    for run in range(20):
        root = tmp_path / f"restore-{run}"
        __import__("shutil").copytree(tmp_path / "current", root)
        (root / "backups").mkdir(exist_ok=True)
        __import__("shutil").copy(tmp_path / "source" / "backups" / "manual-whole.json", root / "backups")
        child = FORK.Process(target=_restore_child, args=(str(root), "manual-whole"))
        child.start()
        time.sleep(rng.uniform(0.0, 0.8))
        os.kill(child.pid, signal.SIGKILL)  # type: ignore[arg-type]
        child.join(timeout=30)
        found = _state(root)
        assert found in (expected, before), f"restore run {run}: {found}"
        outcomes["restore complete" if found == expected else "restore untouched"] += 1
    print(f"\n{dict(outcomes)}; none partial")


def test_an_interrupted_change_is_finished_at_the_next_open_and_said(tmp_path: Path, catalog: Any) -> None:
    root = tmp_path / "db"
    coach = Coach(Repository(root, auto_backup=False), clock=lambda: NOW, catalog=catalog)
    _history(coach, 2)
    backup.write_backup(root, "manual-a", NOW)
    coach.log_food("01077", grams=50, at="8am")
    coach.repo.close()
    real = os.replace
    moved: list[str] = []

    def dies_after_two(src: Any, dst: Any) -> None:
        if str(src).endswith(".tmp"):  # an atomic write of one file (staging, the journal)
            return real(src, dst)
        if len(moved) == 2:
            raise KeyboardInterrupt  # stands for the process being killed here
        moved.append(str(dst))
        real(src, dst)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(os, "replace", dies_after_two)
        with pytest.raises(KeyboardInterrupt):
            backup.restore_backup(root, "manual-a", NOW)
    assert (root / switch.JOURNAL).exists()
    files = backup.read_backup(root / "backups" / "manual-a.json")["files"]
    restored = sum(len(doc["entries"]) for name, doc in files.items() if name != "meta.json")
    reader = Repository(root, readonly=True)  # a reader moves nothing: it reads the change as it will be
    assert reader.recovered is not None and "not finished yet" in reader.recovered
    assert len(reader.all_entries()) == restored and switch.pending(root)
    repo = Repository(root)  # the next writable open finishes it, and says so
    assert repo.recovered is not None and "completed" in repo.recovered
    assert len(repo.all_entries()) == restored
    assert not switch.pending(root)


def test_a_staged_change_without_its_journal_is_undone(tmp_path: Path) -> None:
    root = tmp_path / "db"
    repo = Repository(root, auto_backup=False)
    repo.save_setting("a", 1)
    repo.close()
    before = snapshot_files(root)
    (root / switch.STAGING / "entries").mkdir(parents=True)
    (root / switch.STAGING / "meta.json").write_text("{}")
    (root / switch.STAGING / switch.LABEL_FILE).write_text("import")
    repo = Repository(root)
    assert repo.recovered is not None and "undone" in repo.recovered and "import" in repo.recovered
    assert repo.setting("a") == 1 and not switch.pending(root)
    assert {k: v for k, v in snapshot_files(root).items() if not k.startswith("backups")} == before
    repo.close()


@pytest.mark.parametrize("dies", ["staging cleanup fails", "killed while the staging folder goes"])
def test_a_completed_change_is_reported_as_completed_whatever_its_last_steps_left(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, dies: str
) -> None:
    """Issue 37 item 8: a change made whole, whose last steps (removing the staging folder, the
    journal) did not all happen, is completed at the next open and said to be completed."""
    root = tmp_path / "db"
    repo = Repository(root, auto_backup=False)
    repo.add_entry(Entry(id="kept", at=datetime(2026, 11, 2, 8), kind="food", ref="01077", name="Milk",
                         meal=MealSlot.breakfast, grams=100, nutrients=Nutrients(calcium_mg=113)))  # fmt: skip

    def killed(*args: Any, **kwargs: Any) -> None:
        raise KeyboardInterrupt  # stands for the process being killed here

    with pytest.MonkeyPatch.context() as patch:
        if dies == "staging cleanup fails":
            patch.setattr(switch.shutil, "rmtree", lambda *args, **kwargs: None)  # e.g. out of file descriptors
        else:
            patch.setattr(switch.shutil, "rmtree", killed)
        with contextlib.suppress(KeyboardInterrupt):
            repo.delete_entry("kept")  # a change of two files: the month and the undo trash
    repo.close()
    reopened = Repository(root)
    assert reopened.recovered is not None and "completed" in reopened.recovered, reopened.recovered
    assert reopened.get_entry("kept") is None and not switch.pending(root)
    reopened.close()


# -- a damaged file is never rewritten ----------------------------------------------------------


def _damage(path: Path, change: Any) -> None:
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data))


@pytest.mark.parametrize(
    ("file", "change"),
    [("entries/2026-11.json", lambda d: next(iter(d["entries"].values())).update(at=12345)),
     ("entries/2026-11.json", lambda d: next(iter(d["entries"].values())).update(grams="lots")),
     ("entries/2026-11.json", lambda d: next(iter(d["entries"].values())).update(nutrients={"calcium_mg": "NaN"})),
     ("meta.json", lambda d: d["profile"]["1"].update(sex="x")),
     ("meta.json", lambda d: d.setdefault("scans", {}).update({"1": {"id": "s", "date": "soon"}}))],
)  # fmt: skip
def test_a_log_over_a_damaged_file_is_refused_and_changes_nothing(
    db_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], file: str, change: Any
) -> None:
    monkeypatch.setattr(context, "CLOCK", lambda: NOW)
    base = ["--db", str(db_dir)]
    assert main([*base, "profile", "set", "--sex", "female", "--birth-date", "1962-04-12"]) == 0
    assert main([*base, "log", "food", "01077", "--grams", "100", "--at", "2026-11-21 08:00"]) == 0
    _damage(db_dir / file, change)
    before = snapshot_files(db_dir)
    for _ in range(3):  # each retry must also add nothing
        assert main([*base, "log", "food", "01077", "--grams", "100", "--at", "2026-11-22 09:00"]) == 3
    assert "damaged" in capsys.readouterr().err
    assert {k: v for k, v in snapshot_files(db_dir).items() if not k.startswith("backups")} == {
        k: v for k, v in before.items() if not k.startswith("backups")
    }


# -- backups --------------------------------------------------------------------------------


def test_a_backup_of_a_damaged_database_is_refused(db_dir: Path, coach: Coach) -> None:
    coach.set_profile("female", date(1962, 4, 12))
    coach.log_food("01077", grams=100, at="8am")
    _damage(db_dir / "entries/2026-11.json", lambda d: next(iter(d["entries"].values())).update(grams=-5))
    with pytest.raises(DatabaseDamaged, match="2026-11"):
        backup.write_backup(db_dir, "manual-now", NOW)
    assert not (db_dir / "backups" / "manual-now.json").exists()


def test_a_backup_holding_damage_is_never_offered_as_good(db_dir: Path, coach: Coach) -> None:
    coach.set_profile("female", date(1962, 4, 12))
    coach.log_food("01077", grams=100, at="8am")
    for rotating in (db_dir / "backups").glob("*.json"):
        rotating.unlink()
    good = backup.write_backup(db_dir, "manual-1-good", NOW)
    os.utime(good, (time.time() - 60, time.time() - 60))
    bad = backup.read_backup(good)
    next(iter(bad["files"]["entries/2026-11.json"]["entries"].values()))["at"] = 12345
    (db_dir / "backups" / "manual-2-bad.json").write_text(json.dumps(bad))
    found = backup.newest_good_backup(db_dir)
    assert found is not None and found.name == "manual-1-good"
    with pytest.raises(Exception, match="cannot be restored"):
        backup.restore_backup(db_dir, "manual-2-bad", NOW)


# -- JSON import checks the whole file first ----------------------------------------------------


def _export(coach: Coach) -> dict[str, Any]:
    coach.set_profile("female", date(1962, 4, 12))
    coach.log_food("01077", grams=100, at="8am")
    coach.log_food("01077", grams=120, at="9am")
    return json.loads(export_json(coach.repo))


HOSTILE_EXPORTS = {
    "settings hold a number": (lambda d: d["tables"].update(settings=[5]), "tables.settings.0"),
    "a numeric time": (lambda d: d["entries"][0].update(at=12345), "entries.0.at"),
    "a time-zoned time": (lambda d: d["entries"][0].update(at="2026-11-25T08:00:00+02:00"), "entries.0.at"),
    "NaN calcium": (lambda d: d["entries"][0]["nutrients"].update(calcium_mg=float("nan")), "NaN"),
    "infinite sodium": (lambda d: d["entries"][0]["nutrients"].update(sodium_mg=float("inf")), "Infinity"),
    "negative grams": (lambda d: d["entries"][0].update(grams=-100), "entries.0.grams"),
    "1e308 grams": (lambda d: d["entries"][0].update(grams=1e308), "entries.0.grams"),
    "a duplicate entry id": (lambda d: d["entries"][1].update(id=d["entries"][0]["id"]), "appears twice"),
    "year 0001": (lambda d: d["entries"][0].update(at="0001-01-01T08:00:00"), "entries.0.at"),
    "year 9999": (lambda d: d["entries"][0].update(at="9999-01-01T08:00:00"), "entries.0.at"),
    "an unknown table": (lambda d: d["tables"].update(passwords=[]), "unknown table"),
    "two profiles": (lambda d: d["tables"]["profile"].append(d["tables"]["profile"][0]), "profile"),
    "a bad scan": (lambda d: d["tables"].update(scans=[{"id": "s"}]), "tables.scans.0"),
}


def _as_exported(data: dict[str, Any]) -> str:
    """Text laid out as ``export_json`` writes it (what the entry-at-a-time import reads)."""
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


@pytest.mark.parametrize("case", sorted(HOSTILE_EXPORTS))
def test_an_import_that_breaks_any_limit_writes_nothing(coach: Coach, tmp_path: Path, case: str) -> None:
    # From text (read whole) and from a file laid out as bonecoach writes one (read an entry at
    # a time): refused alike, with the same message, and nothing written either way.
    data = _export(coach)
    change, message = HOSTILE_EXPORTS[case]
    change(data)
    said = []
    for way in ("text", "file"):
        target = Repository(tmp_path / way)
        before = snapshot_files(tmp_path / way)
        with pytest.raises(InputError, match=message) as refused:
            if way == "text":
                import_json(target, _as_exported(data), "export.json", TODAY)
            else:
                (tmp_path / "export.json").write_text(_as_exported(data), encoding="utf-8")
                import_json_file(target, tmp_path / "export.json", TODAY)
        assert snapshot_files(tmp_path / way) == before
        said.append(str(refused.value).replace(str(tmp_path / "export.json"), "export.json"))
        target.close()
    assert said[0] == said[1]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(0, 400), st.integers(5, 500)), max_size=40), st.booleans(), st.booleans())
def test_a_file_import_read_an_entry_at_a_time_stores_what_a_whole_read_stores(
    tmp_path_factory: pytest.TempPathFactory, catalog: Any, eaten: list[tuple[int, int]], shuffled: bool, scans: bool
) -> None:
    work = tmp_path_factory.mktemp("import")
    source = Coach(Repository(work / "source", auto_backup=False), clock=lambda: NOW, catalog=catalog)
    source.set_profile("female", date(1962, 4, 12))
    if scans:
        source.add_scan(date(2025, 1, 5), "total_hip", -2.2)
    for days, grams in eaten:
        source.log_food("01077", grams=grams, at=NOW - timedelta(days=days, hours=days % 7))
    data = json.loads(export_json(source.repo))
    source.close()
    if shuffled:  # months out of order: the file is then read whole
        random.Random(len(eaten)).shuffle(data["entries"])
    (work / "export.json").write_text(_as_exported(data), encoding="utf-8")
    whole, streamed = Repository(work / "whole", auto_backup=False), Repository(work / "file", auto_backup=False)
    assert import_json(whole, _as_exported(data), "export.json", TODAY) == len(eaten)
    assert import_json_file(streamed, work / "export.json", TODAY) == len(eaten)
    months = [e["at"][:7] for e in data["entries"]]
    runs = [m for n, m in enumerate(months) if n == 0 or months[n - 1] != m]
    again = Repository(work / "again", auto_backup=False)
    if len(runs) == len(set(runs)):  # each month in one run, as bonecoach writes: read an entry at a time
        assert transfer._import_streamed(again, work / "export.json", TODAY) == len(eaten)
        assert export_json(again) == export_json(whole)
    else:  # a month in pieces: read whole (above), never staged in part
        with pytest.raises(transfer._ReadWhole):
            transfer._import_streamed(again, work / "export.json", TODAY)
        assert not again.all_entries() and not (work / "again" / ".staging").exists()
    again.close()
    assert not (work / "file" / ".staging").exists()
    whole.close()
    streamed.close()


def test_an_export_keeps_the_undo_trash_through_a_round_trip(coach: Coach, tmp_path: Path) -> None:
    data = _export(coach)
    deleted = coach.repo.all_entries()[0]
    coach.delete_entry(deleted.id)
    text = export_json(coach.repo)
    fresh = Repository(tmp_path / "fresh")
    import_json(fresh, text, "export.json", TODAY)
    assert export_json(fresh) == text and data["entries"]
    restored = fresh.restore_last_deleted()
    assert restored is not None and restored.id == deleted.id
    fresh.close()


def test_an_export_of_the_previous_schema_is_brought_up_to_date(coach: Coach, tmp_path: Path) -> None:
    data = _export(coach)
    coach.add_to_regimen("supplement", "calcium-citrate-315")
    data = json.loads(export_json(coach.repo))
    regimen = data["tables"].pop("regimen")[0]
    data["tables"]["settings"] = [{"name": "regimen", "value": regimen}]
    data["schema_version"] = 2
    fresh = Repository(tmp_path / "fresh")
    import_json(fresh, json.dumps(data), "old.json", TODAY)
    stored_regimen = fresh.regimen()
    assert stored_regimen is not None and stored_regimen.items[0].ref == "calcium-citrate-315"
    fresh.close()


# -- the guards themselves ------------------------------------------------------------------


def test_every_atomic_write_syncs_the_file_and_then_its_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    synced: list[str] = []
    real = os.fsync

    def spy(fd: int) -> None:
        mode = os.fstat(fd).st_mode
        synced.append("folder" if stat.S_ISDIR(mode) else "file" if stat.S_ISREG(mode) else "other")
        real(fd)

    monkeypatch.setattr(os, "fsync", spy)
    atomic.atomic_write_bytes(tmp_path / "x.json", b"{}")
    assert synced == ["file", "folder"]
    synced.clear()
    repo = Repository(tmp_path / "db", auto_backup=False)
    synced.clear()
    repo.save_setting("a", 1)
    assert synced == ["file", "folder"]
    repo.close()


# -- the lock: held only around the write, and a command that gives up says so ------------------


def test_a_command_waits_for_the_lock_only_to_write_and_says_when_nothing_was_saved(
    db_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from bonecoach.catalog.foods import FoodCatalog
    from bonecoach.storage.lock import DatabaseLock

    monkeypatch.setattr(context, "CLOCK", lambda: NOW)
    monkeypatch.setattr(context, "WRITE_LOCK_WAIT", 0.2)
    assert main(["--db", str(db_dir), "profile", "set", "--sex", "female", "--birth-date", "1962-04-12"]) == 0
    held_while_loading: list[bool] = []
    real_load = FoodCatalog.load.__func__  # type: ignore[attr-defined]

    def load(cls: type[FoodCatalog], *args: Any, **kwargs: Any) -> FoodCatalog:
        held_while_loading.append(not lock_is_free(db_dir))
        return real_load(cls, *args, **kwargs)

    monkeypatch.setattr(FoodCatalog, "load", classmethod(load))
    other = DatabaseLock(db_dir)
    other.acquire(0)
    before = snapshot_files(db_dir)
    assert main(["--db", str(db_dir), "log", "food", "01077", "--grams", "100", "--at", "8am"]) == 3
    assert "nothing was saved" in capsys.readouterr().err
    assert snapshot_files(db_dir) == before
    other.release()
    held_while_loading.clear()
    assert main(["--db", str(db_dir), "log", "food", "01077", "--grams", "100", "--at", "8am"]) == 0
    assert held_while_loading == [False]  # this command did not hold the lock while it loaded the catalog
