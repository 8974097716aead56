"""A file checked whole once is not checked again by the next command unless its content
changed; damage is always found (storage/checked.py)."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bonecoach.storage import repository as repository_module
from bonecoach.storage.checked import CheckedRecord
from bonecoach.storage.errors import DatabaseDamaged
from bonecoach.storage.repository import Repository
from tests.test_storage import entry


def _counting_meta_checks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    real = repository_module.meta_problem

    def counted(doc: object) -> str | None:
        calls.append(1)
        return real(doc)  # type: ignore[arg-type]

    monkeypatch.setattr(repository_module, "meta_problem", counted)
    return calls


def _write_once(folder: Path, entry_id: str) -> None:
    repo = Repository(folder, auto_backup=False)
    try:
        repo.add_entry(entry(entry_id, datetime(2026, 11, 25, 8)))
    finally:
        repo.close()


def _rewritten_by_hand(folder: Path, indent: int = 2) -> None:
    """meta.json with the same data laid out anew: content bonecoach did not write."""
    Repository(folder, auto_backup=False).close()
    path = folder / "meta.json"
    path.write_text(json.dumps(json.loads(path.read_text()), indent=indent))


def test_the_next_command_skips_a_check_of_unchanged_content(db_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _rewritten_by_hand(db_dir)
    calls = _counting_meta_checks(monkeypatch)
    _write_once(db_dir, "a")
    assert len(calls) == 1  # content not seen before: checked whole before the change
    _write_once(db_dir, "b")  # a new process: meta.json as the last one left it, known sound
    assert len(calls) == 1
    _rewritten_by_hand(db_dir, indent=3)
    _write_once(db_dir, "c")  # changed: checked again
    assert len(calls) == 2
    _rewritten_by_hand(db_dir, indent=4)
    CheckedRecord(db_dir).path.write_text("{not json")  # a damaged record: nothing is known
    _write_once(db_dir, "d")
    assert len(calls) == 3


def test_an_upgrade_checks_again(db_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _rewritten_by_hand(db_dir)
    calls = _counting_meta_checks(monkeypatch)
    _write_once(db_dir, "a")
    monkeypatch.setattr("bonecoach.storage.checked._code_stamp", lambda: "a newer checker")
    _write_once(db_dir, "b")
    assert len(calls) == 2


def _plainly_sound(path: Path) -> bool:
    from bonecoach.storage.tables import meta_problem

    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except ValueError:
        return False
    if not isinstance(doc, dict) or not all(isinstance(table, dict) for table in doc.values()):
        return False
    return meta_problem(doc) is None


DAMAGE = st.sampled_from(["session-date", "profile-sex", "truncate", "flip"])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(DAMAGE, st.integers(min_value=0, max_value=10_000))
def test_damage_after_a_check_is_still_found(tmp_path: Path, how: str, where: int) -> None:
    folder = tmp_path / f"db-{how}-{where}"
    repo = Repository(folder, auto_backup=False)
    from bonecoach.domain.models import Profile

    repo.save_profile(Profile.model_validate({"sex": "female", "birth_date": "1960-01-01"}))
    repo.add_entry(entry("a", datetime(2026, 11, 25, 8)))  # meta.json and the month now recorded as checked
    repo.close()
    path = folder / "meta.json"
    data = json.loads(path.read_text())
    if how == "profile-sex":
        data["profile"]["1"]["sex"] = "neither"
        path.write_text(json.dumps(data))
    elif how == "session-date":
        data["sessions"] = {"1": {"date": "not a date", "category": "strength"}}
        path.write_text(json.dumps(data))
    else:
        raw = path.read_bytes()
        cut = where % len(raw)
        path.write_bytes(raw[:cut] if how == "truncate" else raw[:cut] + bytes([raw[cut] ^ 0x55]) + raw[cut + 1 :])
    # Found exactly when the plain check, knowing nothing of earlier checks, finds it.
    if _plainly_sound(path):
        again = Repository(folder, auto_backup=False)
        again.add_entry(entry("b", datetime(2026, 11, 25, 9)))
        again.close()
        return
    with pytest.raises(DatabaseDamaged):  # at opening (not JSON) or before the change
        again = Repository(folder, auto_backup=False)
        try:
            again.add_entry(entry("b", datetime(2026, 11, 25, 9)))
        finally:
            again.close()
