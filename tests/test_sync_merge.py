"""Two computers, one synced folder (issue 37 item 3): conflict copies are merged by entry and
record id, in either order to the same database, and nothing present in either is lost."""

from __future__ import annotations

import copy
import json
import shutil
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bonecoach.services.coach import Coach
from bonecoach.storage.repository import Repository
from bonecoach.storage.sync_merge import conflict_copies, merge_meta, merge_month

SYNCTHING = ".sync-conflict-20261204-101500-ABCDEF1.json"


def _coach(root: Path, now: datetime) -> Coach:
    return Coach(Repository(root, auto_backup=False), clock=lambda: now)


def _two_computers(tmp_path: Path, *grams: float) -> tuple[Path, Path, list[str]]:
    """One database with a profile and entries of ``grams`` at 8am, 8:30am...; copied to the
    folders of two computers ``a`` and ``b``. Returns both folders and the entries' ids."""
    base = tmp_path / "base"
    coach = _coach(base, datetime(2026, 11, 20, 9))
    coach.set_profile("female", date(1962, 4, 12))
    ids = [coach.log_food("01077", grams=g, at=f"8:{30 * n:02d}am").id for n, g in enumerate(grams)]
    coach.repo.close()
    a, b = tmp_path / "a", tmp_path / "b"
    shutil.copytree(base, a)
    shutil.copytree(base, b)
    return a, b, ids


def test_a_conflict_copy_is_merged_by_id_and_then_removed(tmp_path: Path) -> None:
    a, b, (gone_id, edited_id) = _two_computers(tmp_path, 100, 200)

    one = _coach(a, datetime(2026, 11, 21, 9))
    mine = one.log_food("01077", grams=50, at="7am")
    one.delete_entry(gone_id)
    one.edit_entry(edited_id, grams=250)  # the later edit
    one.repo.close()
    other = _coach(b, datetime(2026, 11, 21, 8))
    theirs = other.log_food("01077", grams=60, at="7:15am")
    other.edit_entry(edited_id, grams=220)
    other.repo.close()

    # What Syncthing leaves: one computer's files, the other's renamed beside them.
    shutil.copy(b / "entries" / "2026-11.json", a / "entries" / f"2026-11{SYNCTHING}")
    shutil.copy(b / "meta.json", a / f"meta{SYNCTHING}")
    assert [name for name, _ in conflict_copies(a)] == ["meta.json", "entries/2026-11.json"]

    repo = Repository(a, auto_backup=False)
    assert repo.recovered is not None and "Merged" in repo.recovered
    entries = {e.id: e for e in repo.all_entries()}
    assert mine.id in entries and theirs.id in entries  # both computers' new entries
    assert gone_id not in entries  # deleted on one side, with its undo record
    assert entries[edited_id].grams == 250  # the later edit wins...
    trashed = [item["entry"] for item in repo.meta_tables()["trash"].values()]
    assert any(e["id"] == edited_id and e["grams"] == 220 for e in trashed)  # ...the other kept to undo
    assert conflict_copies(a) == []
    repo.close()


def test_an_entry_deleted_on_the_other_computer_stays_deleted_when_both_changed_its_month(tmp_path: Path) -> None:
    """The month's copy was merged before meta.json's, so the other side's undo trash was not yet
    known: its deletion read as an entry missing there, and the entry came back."""
    a, b, (gone_id,) = _two_computers(tmp_path, 100)
    one = _coach(a, datetime(2026, 11, 21, 9))
    kept = one.log_food("01077", grams=50, at="7am")  # this computer changes the month too
    one.repo.close()
    other = _coach(b, datetime(2026, 11, 21, 8))
    other.delete_entry(gone_id)  # the other deletes, its undo record in its meta.json
    other.repo.close()
    shutil.copy(b / "entries" / "2026-11.json", a / "entries" / f"2026-11{SYNCTHING}")
    shutil.copy(b / "meta.json", a / f"meta{SYNCTHING}")

    repo = Repository(a, auto_backup=False)
    ids = {e.id for e in repo.all_entries()}
    assert kept.id in ids and gone_id not in ids
    trashed = [item["entry"]["id"] for item in repo.meta_tables()["trash"].values()]
    assert gone_id in trashed  # and the deletion can be undone
    repo.close()


@pytest.mark.parametrize(
    "name",
    ["2026-11 (Nora's conflicted copy 2026-12-04).json", "2026-11 (conflicted copy 2026-12-04 101500).json",
     f"2026-11{SYNCTHING}"],
)  # fmt: skip
def test_the_conflict_names_of_syncthing_dropbox_and_nextcloud_are_found(tmp_path: Path, name: str) -> None:
    (tmp_path / "entries").mkdir()
    (tmp_path / "entries" / name).write_text("{}")
    (tmp_path / "entries" / "2026-11.json").write_text("{}")
    (tmp_path / "entries" / "notes (conflicted copy).json").write_text("{}")
    assert [(rel, path.name) for rel, path in conflict_copies(tmp_path)] == [("entries/2026-11.json", name)]


# -- the property: either order, nothing lost ------------------------------------------------------

ids = st.sampled_from([f"e{n}" for n in range(8)])


def _entry(entry_id: str, grams: int, edited: int | None) -> dict[str, Any]:
    return {"id": entry_id, "at": f"2026-11-0{1 + sum(map(ord, entry_id)) % 9}T08:00:00", "grams": grams,
            "edited": None if edited is None else f"2026-11-2{edited}T09:00:00"}  # fmt: skip


operations = st.lists(
    st.one_of(
        st.tuples(st.just("add"), st.sampled_from([f"n{n}" for n in range(4)]), st.integers(1, 500)),
        st.tuples(st.just("edit"), ids, st.integers(1, 500), st.integers(0, 9)),
        st.tuples(st.just("delete"), ids, st.integers(0, 9)),
    ),
    max_size=8,
)


def _side(
    base: dict[str, dict[str, Any]], ops: list[tuple[Any, ...]], tag: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    entries = copy.deepcopy(base)
    trash: list[dict[str, Any]] = []
    for op in ops:
        if op[0] == "add":
            entries[f"{op[1]}{tag}"] = _entry(f"{op[1]}{tag}", op[2], None)
        elif op[0] == "edit" and op[1] in entries:
            entries[op[1]] = entries[op[1]] | {"grams": op[2], "edited": f"2026-11-2{op[3]}T09:00:00"}
        elif op[0] == "delete" and op[1] in entries:
            trash.append({"entry": entries.pop(op[1]), "deleted_at": f"2026-11-2{op[2]}T10:00:00"})
    month = {"entries": {str(n): doc for n, doc in enumerate(entries.values(), start=1)}}
    meta = {"meta": {"1": {"schema_version": 3}}, "trash": {str(n): t for n, t in enumerate(trash, start=1)}}
    return month, meta


def _merged(one: tuple[dict[str, Any], dict[str, Any]], two: tuple[dict[str, Any], dict[str, Any]]) -> Any:
    meta = merge_meta(one[1], two[1])
    month, losers = merge_month(one[0], two[0], meta["trash"])
    return month, meta, sorted(json.dumps(loser, sort_keys=True) for loser in losers)


@settings(max_examples=300, deadline=None)
@given(base_ids=st.sets(ids, max_size=6), grams=st.integers(1, 500), left=operations, right=operations)
def test_two_divergent_copies_merge_alike_in_either_order_and_lose_nothing(base_ids, grams, left, right) -> None:  # type: ignore[no-untyped-def]
    base = {entry_id: _entry(entry_id, grams, None) for entry_id in sorted(base_ids)}
    a, b = _side(base, left, "a"), _side(base, right, "b")
    assert _merged(a, b) == _merged(b, a)
    month, meta, losers = _merged(a, b)
    kept = {json.dumps(doc, sort_keys=True) for doc in month["entries"].values()}
    trashed = {json.dumps(item["entry"], sort_keys=True) for item in meta["trash"].values()} | set(losers)
    reachable = {json.loads(doc)["id"] for doc in kept | trashed}
    for side in (a, b):
        for doc in side[0]["entries"].values():
            assert doc["id"] in reachable, doc  # every entry of either side is kept or can be undone
            if doc != base.get(doc["id"]):  # and every change made on one side, as it was made
                assert json.dumps(doc, sort_keys=True) in kept | trashed, doc
    assert len({doc["id"] for doc in month["entries"].values()}) == len(month["entries"])  # one version per id
