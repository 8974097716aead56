"""Issue 35: the exercise session records live in ``sessions.json`` (schema 4), so a command that
never reads them (``day``, ``status``, ``log food``) no longer parses years of them in meta.json.
The move keeps every record: migration of older databases (written and read-only), sync conflict
copies, export and import, backups and the kept answers."""

from __future__ import annotations

import contextlib
import io
import json
import shutil
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bonecoach.domain.exercise import ExerciseOutcome, SessionRecord
from bonecoach.services.coach import Coach
from bonecoach.storage import backup
from bonecoach.storage.atomic import AtomicJSONStorage
from bonecoach.storage.checked import CheckedRecord
from bonecoach.storage.errors import DatabaseDamaged
from bonecoach.storage.repository import SCHEMA_VERSION, Repository
from bonecoach.storage.sync_merge import conflict_copies
from tests.old_layouts import as_schema_3

NOW = datetime(2026, 11, 25, 20, 0)
SYNCTHING = ".sync-conflict-20261204-101500-ABCDEF1.json"

records_of_days = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=400),
        st.sampled_from(["resistance", "balance", "posture", "aerobic"]),
        st.booleans(),
        st.sampled_from(["done", "skipped", "hurt"]),
    ),
    max_size=12,
)


def _records(drawn: list[tuple[int, str, bool, str]]) -> list[SessionRecord]:
    by_key = {}
    for back, category, completed, outcome in drawn:
        day = NOW.date() - timedelta(days=back)
        outcomes = [ExerciseOutcome(id="sit-to-stand", outcome=outcome)] if completed else []
        by_key[(day, category)] = SessionRecord(date=day, category=category, completed=completed, outcomes=outcomes)
    return sorted(by_key.values(), key=lambda r: (r.date, r.category))


def _save(root: Path, records: list[SessionRecord]) -> None:
    """Store ``records`` in the database in ``root`` (made if there is none)."""
    repo = Repository(root, auto_backup=False)
    if records:
        repo.save_sessions(records)
    repo.close()


def _keys(records: list[SessionRecord]) -> list[tuple[date, str, bool]]:
    return sorted((r.date, r.category, r.completed) for r in records)


def _stored(root: Path) -> list[tuple[date, str, bool]]:
    repo = Repository(root, readonly=True)
    try:
        return _keys(repo.session_records())
    finally:
        repo.close()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(drawn=records_of_days)
def test_a_schema_3_database_keeps_every_session_read_only_and_after_its_migration(
    tmp_path_factory: pytest.TempPathFactory, drawn: list[tuple[int, str, bool, str]]
) -> None:
    root = tmp_path_factory.mktemp("db")
    records = _records(drawn)
    _save(root, records)
    expected = _keys(records)
    as_schema_3(root)
    before = {path.name: path.read_bytes() for path in root.iterdir() if path.is_file()}

    assert _stored(root) == expected  # read-only: read as the migration will lay it out...
    assert {path.name: path.read_bytes() for path in root.iterdir() if path.is_file()} == before  # ...nothing written

    repo = Repository(root)
    assert repo.schema_version == SCHEMA_VERSION == 4
    repo.close()
    meta = json.loads((root / "meta.json").read_text())
    assert "sessions" not in meta and "session_in_progress" not in meta
    assert _stored(root) == expected
    (pre,) = [p for p in (root / "backups").iterdir() if p.name.startswith("pre-migration-v3-")]
    assert "sessions.json" not in json.loads(pre.read_text())["files"]  # the backup holds schema 3 as it was


def test_sessions_misplaced_in_a_current_meta_json_are_damage_not_ignored(tmp_path: Path) -> None:
    root = tmp_path / "db"
    _save(root, _records([(1, "balance", True, "done")]))
    meta = json.loads((root / "meta.json").read_text())
    meta.update(json.loads((root / "sessions.json").read_text()))
    (root / "meta.json").write_text(json.dumps(meta))
    CheckedRecord(root).path.unlink(missing_ok=True)
    repo = Repository(root, auto_backup=False)
    with pytest.raises(DatabaseDamaged, match=r"table sessions belongs in sessions\.json"):
        repo.save_setting("units", "metric")
    repo.close()


def test_a_sessions_file_holding_another_table_is_refused_and_named(tmp_path: Path) -> None:
    root = tmp_path / "db"
    _save(root, _records([(1, "balance", True, "done")]))
    stored = json.loads((root / "sessions.json").read_text())
    stored["profile"] = {"1": {"sex": "female"}}
    (root / "sessions.json").write_text(json.dumps(stored))
    CheckedRecord(root).path.unlink(missing_ok=True)
    with pytest.raises(DatabaseDamaged, match=r"sessions\.json is damaged \(it holds a table other than"):
        Repository(root, auto_backup=False).verify()


def test_a_conflict_copy_of_the_sessions_is_merged_by_day_and_kind(tmp_path: Path) -> None:
    base = tmp_path / "base"
    _save(base, _records([(3, "balance", True, "done")]))
    a, b = tmp_path / "a", tmp_path / "b"
    shutil.copytree(base, a)
    shutil.copytree(base, b)
    _save(a, _records([(2, "resistance", True, "done")]))
    _save(b, _records([(1, "posture", True, "done")]))
    shutil.copy(b / "sessions.json", a / f"sessions{SYNCTHING}")
    assert [name for name, _ in conflict_copies(a)] == ["sessions.json"]

    repo = Repository(a, auto_backup=False)
    assert repo.recovered is not None and "Merged" in repo.recovered
    assert sorted(r.category for r in repo.session_records()) == ["balance", "posture", "resistance"]
    assert conflict_copies(a) == []
    repo.close()


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(drawn=records_of_days)
def test_export_import_and_restore_carry_every_session(
    tmp_path_factory: pytest.TempPathFactory, drawn: list[tuple[int, str, bool, str]]
) -> None:
    from bonecoach.storage.transfer import export_data, import_json

    root = tmp_path_factory.mktemp("db")
    records = _records(drawn)
    coach = Coach(Repository(root, auto_backup=False), clock=lambda: NOW)
    coach.set_profile("female", date(1962, 4, 12))
    if records:
        coach.repo.save_sessions(records)
    exported = export_data(coach.repo)
    backup.write_backup(root, "manual-x", NOW)
    coach.repo.close()
    expected = _keys(records)

    other = tmp_path_factory.mktemp("other")
    repo = Repository(other, auto_backup=False)
    import_json(repo, json.dumps(exported), "export.json", NOW.date())
    repo.close()
    assert _stored(other) == expected
    assert (other / "sessions.json").exists() == bool(records)
    assert "sessions" not in json.loads((other / "meta.json").read_text())

    # A restore replaces every file: a sessions.json made since the backup goes aside with the rest.
    _save(root, _records([(0, "aerobic", True, "done")]))
    backup.restore_backup(root, "manual-x", NOW)
    assert _stored(root) == expected


@contextlib.contextmanager
def _parsed_texts() -> Iterator[list[str]]:
    """Every database text parsed while inside."""
    texts: list[str] = []
    real = AtomicJSONStorage._parse

    def parse(self: AtomicJSONStorage, text: str) -> dict[str, dict[str, object]]:
        texts.append(text)
        return real(self, text)

    AtomicJSONStorage._parse = parse
    try:
        yield texts
    finally:
        AtomicJSONStorage._parse = real


@pytest.mark.parametrize("words", [["day"], ["status"], ["log", "food", "01077", "--grams", "100"]])
def test_the_commands_that_never_read_sessions_do_not_parse_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, words: list[str]
) -> None:
    """Before, meta.json held every session record (99% of it at ten years) and each of these
    commands parsed them all with the profile."""
    from bonecoach.cli import context
    from bonecoach.cli.main import main

    monkeypatch.setattr(context, "CLOCK", lambda: NOW)
    db = tmp_path / "db"
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(["--db", str(db), "profile", "set", "--sex", "female", "--birth-date", "1960-05-01"]) == 0
        assert main(["--db", str(db), "session", "done", "2026-11-24", "balance"]) == 0
        with _parsed_texts() as texts:
            assert main(["--db", str(db), *words]) == 0
    assert texts, "the command parsed no database file"
    assert not [text[:80] for text in texts if '"sessions"' in text]


def test_a_kept_week_is_not_answered_once_the_first_session_is_saved(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The week read sessions.json while it did not exist: its appearing is a change."""
    from bonecoach.cli import context
    from bonecoach.cli.main import main

    monkeypatch.setattr(context, "CLOCK", lambda: NOW)
    db = tmp_path / "db"

    def week() -> dict[str, object]:
        assert main(["--db", str(db), "week", "--json"]) == 0
        return json.loads(capsys.readouterr().out)

    assert main(["--db", str(db), "profile", "set", "--sex", "female", "--birth-date", "1960-05-01"]) == 0
    capsys.readouterr()
    before = week()
    assert week() == before  # answered from what was kept
    assert not (db / "sessions.json").exists()
    assert main(["--db", str(db), "session", "done", NOW.date().isoformat(), "balance"]) == 0
    capsys.readouterr()
    assert week() != before


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    drawn=records_of_days,
    edit=st.sampled_from([None, ("completed", "true"), ("completed", 1), ("sets_in_progress", 3.0),
                          ("sets_in_progress", "4"), ("sets_in_progress", 2.5), ("category", "juggling"),
                          ("date", "2026-02-30"), ("date", 20261101), ("outcomes", None)]),
)  # fmt: skip
def test_sessions_read_in_one_pass_are_the_records_read_as_a_table(
    tmp_path_factory: pytest.TempPathFactory, drawn: list[tuple[int, str, bool, str]], edit: tuple[str, object] | None
) -> None:
    """``session_records`` validates sessions.json's text in one pass (pydantic's JSON mode); what
    it returns, or the damage it names, is what reading the table as parsed JSON gives."""
    root = tmp_path_factory.mktemp("db")
    _save(root, _records(drawn) or _records([(1, "balance", True, "done")]))
    if edit is not None:
        stored = json.loads((root / "sessions.json").read_text())
        first = next(iter(stored["sessions"].values()))
        first[edit[0]] = edit[1]
        (root / "sessions.json").write_text(json.dumps(stored))

    def as_table(repo: Repository) -> list[SessionRecord]:
        return sorted(repo._records("sessions", SessionRecord), key=lambda r: r.date)

    outcomes = []
    for read in (Repository.session_records, as_table):
        repo = Repository(root, readonly=True)
        try:
            outcomes.append(read(repo))
        except DatabaseDamaged as exc:
            outcomes.append(str(exc))
        repo.close()
    assert outcomes[0] == outcomes[1]
