"""Hostile input everywhere: a clear error, no traceback, and the database byte-identical."""

from __future__ import annotations

import contextlib
import json
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bonecoach.catalog.rules import parse_rule_file
from bonecoach.cli import context
from bonecoach.cli.main import main
from bonecoach.domain.errors import InputError
from bonecoach.services.coach import Coach
from bonecoach.storage.repository import Repository
from tests.conftest import snapshot_files

NOW = datetime(2026, 11, 25, 20, 0)
hostile_text = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x1F), min_size=1, max_size=10),
    st.sampled_from(["", " ", "-1", "0", "nan", "inf", "1e999", "∞", "١٢٣", "𝟘", "'; DROP TABLE entries; --", "../../etc/passwd",
                     "\x00", "\u202e01077", "9" * 400, "x" * 10_000, "2026-02-30", "25:61", "--grams"]),
)  # fmt: skip

TEMPLATES = [
    ["log", "food", "{}", "--grams", "100"],
    ["log", "food", "01077", "--grams", "{}"],
    ["log", "food", "01077", "--portion", "{}"],
    ["log", "food", "01077", "--portion", "1 cup", "--count", "{}"],
    ["log", "food", "01077", "--grams", "100", "--at", "{}"],
    ["log", "food", "01077", "--grams", "100", "--meal", "{}"],
    ["log", "supplement", "{}"],
    ["log", "supplement", "vitamin-d3-1000", "--doses", "{}"],
    ["log", "medication", "{}"],
    ["log", "set", "{}"],
    ["profile", "set", "--birth-date", "{}"],
    ["profile", "set", "--guideline", "{}"],
    ["targets", "set", "calcium_mg", "--target", "{}"],
    ["foods", "search", "{}"],
    ["foods", "show", "{}"],
    ["foods", "add", "{}", "--serving-grams", "40", "--calcium-mg", "100"],
    ["foods", "add", "bar", "--serving-grams", "{}", "--calcium-mg", "100"],
    ["supplements", "add", "{}", "--calcium-mg", "100"],
    ["supplements", "add", "mine", "--calcium-mg", "{}"],
    ["supplements", "set", "morning", "--item", "{}"],
    ["day", "{}"],
    ["entry", "edit", "{}", "--grams", "10"],
    ["entry", "delete", "{}"],
    ["regimen", "add", "medication", "{}"],
    ["regimen", "times", "--wake", "{}"],
    ["plan-day", "{}"],
    ["rules", "check", "{}"],
    ["backup", "restore", "{}"],
]


@pytest.fixture
def seeded(db_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(context, "CLOCK", lambda: NOW)
    repo = Repository(db_dir)
    coach = Coach(repo, clock=lambda: NOW)
    coach.set_profile("female", datetime(1962, 4, 12).date())
    coach.log_food("01077", grams=100, at="8am")
    repo.close()
    return db_dir


def _stored_is_sound(db: Path) -> None:
    """What an accepted hostile value left behind: files that validate whole, entries within the
    limits of typed input, names without control characters."""
    from bonecoach.domain.amounts import entry_problem

    repo = Repository(db, readonly=True)
    repo.verify()
    for entry in repo.all_entries():
        assert entry_problem(entry, NOW.date()) is None, entry
        assert not any(ord(ch) < 32 for ch in entry.name), entry.name
    names = [f.name for f in repo.custom_foods()] + [s.name for s in repo.user_supplements()]
    assert not any(ord(ch) < 32 for name in names for ch in name), names
    assert repo.profile() is not None


@pytest.mark.slow
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(TEMPLATES), hostile_text)
def test_hostile_cli_arguments(
    seeded: Path, capsys: pytest.CaptureFixture[str], template: list[str], value: str
) -> None:
    if "\x00" in value:
        value = value.replace("\x00", "")  # the OS cannot pass NUL in argv; the parsers are tested with it directly
    args = ["--db", str(seeded), *[value if part == "{}" else part for part in template]]
    before = snapshot_files(seeded)
    try:
        code = main(args)
    except SystemExit as exc:  # argparse usage errors
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    assert "Traceback" not in err and "Traceback" not in out
    assert code != 70, err  # 70 is "unexpected error": a bug
    if code != 0:
        assert (err + out).strip(), "a refusal must say why"
        assert snapshot_files(seeded) == before
    else:
        _stored_is_sound(seeded)


@settings(max_examples=200, deadline=None)
@given(st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
                    max_leaves=20))  # fmt: skip
def test_any_json_as_a_rule_file_is_valid_or_says_why(data: object) -> None:
    try:
        parse_rule_file("rules.json", json.dumps(data))
    except InputError as exc:
        assert str(exc).startswith("rules.json")


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=200))
def test_any_bytes_as_a_rule_file_is_refused_cleanly(raw: bytes) -> None:
    # Only a clear InputError may come out; anything else fails the test.
    with contextlib.suppress(InputError):
        parse_rule_file("rules.json", raw.decode("utf-8", errors="replace"))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(hostile_text, hostile_text)
def test_hostile_names_for_own_items(profiled: Coach, db_dir: Path, name: str, label: str) -> None:
    before = snapshot_files(db_dir)
    try:
        profiled.add_custom_food(name, 40, {"calcium_mg": 100}, label or "1 bar")
    except InputError as exc:
        assert str(exc)
        assert snapshot_files(db_dir) == before
        return
    stored = profiled.repo.custom_foods()[-1]
    assert not any(ord(ch) < 32 for ch in stored.name) and 0 < len(stored.name) <= 120


def test_hostile_values_in_the_stored_profile_are_reported_as_damage(db_dir: Path) -> None:
    from bonecoach.storage.errors import DatabaseDamaged

    repo = Repository(db_dir)
    repo.close()
    meta = json.loads((db_dir / "meta.json").read_text())
    meta["profile"] = {"1": {"sex": "\x00" * 50, "birth_date": "x" * 10_000}}
    (db_dir / "meta.json").write_text(json.dumps(meta))
    with pytest.raises(DatabaseDamaged, match="profile"):
        Repository(db_dir, readonly=True).profile()
