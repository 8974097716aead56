"""Tests for the mistakes ``tools/mutants.py`` plants that the suite let through (issue 33): each
fails with its mutant applied and passes on the code as it is."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from bonecoach.catalog.foods import FoodCatalog
from bonecoach.domain.day import CLOSE_FRACTION, nutrient_status
from bonecoach.domain.search import SearchIndex, SearchItem, SearchTerms
from bonecoach.domain.targets import Target
from bonecoach.services import data
from bonecoach.services.coach import Coach
from bonecoach.storage.repository import TRASH_KEEP, Repository


def test_restoring_a_backup_leaves_nothing_of_the_months_it_does_not_hold(tmp_path: Path, catalog: FoodCatalog) -> None:
    """A restore replaces the whole database: a month the backup has no file for must not stay
    behind (the old files go aside as one step of the journalled change)."""
    folder = tmp_path / "db"
    coach = Coach(Repository(folder), clock=lambda: datetime(2026, 11, 25, 20), catalog=catalog)
    coach.set_profile("female", date(1962, 4, 12))
    kept = [coach.log_food("01077", grams=100 + n, at=f"2026-11-{10 + n:02d} 8:00").id for n in range(5)]
    backup = coach.backup_now()
    later = [coach.log_food("01077", grams=50, at=f"2026-10-{10 + n:02d} 8:00").id for n in range(5)]  # another month
    coach.repo.close()
    data.restore(folder, backup.stem, datetime(2026, 11, 25, 21))
    reopened = Repository(folder, readonly=True)
    ids = {e.id for e in reopened.entries_between(date(2026, 1, 1), date(2026, 12, 31))}
    assert ids == set(kept) and not ids & set(later)


def test_heavy_lifting_alone_is_excluded_where_the_rules_forbid_it() -> None:
    from bonecoach.catalog.exercises import load_exercise_rules, load_exercises
    from bonecoach.domain.exercise import BoneProfile, exclusion, risk_for

    catalogue, rules = load_exercises(), load_exercise_rules()
    plain = next(e for e in catalogue if not (e.avoid or e.spinal_flexion or e.twisting or e.heavy_lifting)
                 and e.impact == "none" and not e.equipment)  # fmt: skip
    lifting = plain.model_copy(update={"heavy_lifting": True})  # heavy lifting and nothing else
    profiles = [BoneProfile(tscore=t, vertebral_fractures=v) for t in (-3.0, -2.0, None) for v in (0, 1)]
    forbidding = [risk for risk in (risk_for(p, rules) for p in profiles) if "heavy_lifting" in risk.forbid]
    assert forbidding
    for risk in forbidding:
        assert exclusion(plain, risk, set()) is None
        assert "heavy lifting" in (exclusion(lifting, risk, set()) or "")


def test_a_product_the_person_did_not_ask_for_ranks_after_the_food() -> None:
    # A longer plain name scores a little lower on its own: only the product penalty puts it first.
    items = [SearchItem("2", "Milk, evaporated"), SearchItem("1", "Milk, whole, fresh, pasteurized")]
    assert [item.id for item in SearchIndex.build(items, SearchTerms()).search("milk")] == ["2", "1"]
    index = SearchIndex.build(items, SearchTerms(product_words={"evaporated": 4.0}))
    assert [item.id for item in index.search("milk")] == ["1", "2"]
    assert index.search("evaporated milk")[0].id == "2"


def test_exactly_80_percent_of_a_target_is_close_and_just_under_is_low() -> None:
    target = Target(target=1000, upper_limit=None, official=True, source="s", note="")
    assert nutrient_status(CLOSE_FRACTION * 1000, target) == "close"
    assert nutrient_status(CLOSE_FRACTION * 1000 - 0.01, target) == "low"
    assert nutrient_status(1000, target) == "met"


def test_the_trash_keeps_exactly_the_newest_deletes(profiled: Coach) -> None:
    deleted = []
    for n in range(TRASH_KEEP + 2):
        entry = profiled.log_food("01077", grams=10 + n, at=f"{8 + n // 60}:{n % 60:02d}")
        profiled.delete_entry(entry.id)
        deleted.append(entry.id)
    trash = profiled.repo._table_read("trash")
    kept = [doc["entry"]["id"] for doc in trash.values()]
    assert len(kept) == TRASH_KEEP and set(kept) == set(deleted[2:])
