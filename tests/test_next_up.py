"""Next up: the day's doses, meals and exercise in order, ticked as they are logged; the command
line's list, line and due-now, answered from a kept list only while nothing it came from changed."""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bonecoach.cli.main import main
from bonecoach.domain.exercise import Session, SessionRecord
from bonecoach.domain.models import Entry
from bonecoach.domain.next_up import NextItem, due_now, next_up, open_items, short_product_name, status, status_line
from bonecoach.domain.planner import DayPlan, PlannedItem
from bonecoach.storage import next_cache

DAY = date(2026, 11, 25)


def at(hhmm: str, day: date = DAY) -> datetime:
    return datetime.combine(day, time.fromisoformat(hhmm))


def planned(hhmm: str, kind: str, ref: str, name: str, **extra: object) -> PlannedItem:
    return PlannedItem.model_validate({"at": at(hhmm), "kind": kind, "ref": ref, "name": name, **extra})


def entry(hhmm: str, kind: str, ref: str, meal: str, day: date = DAY) -> Entry:
    return Entry.model_validate({"id": f"{ref}-{hhmm}-{day}", "at": at(hhmm, day), "kind": kind, "ref": ref,
                                 "name": ref, "meal": meal, "doses": None if kind == "food" else 1.0,
                                 "grams": 100.0 if kind == "food" else None, "nutrients": {}})  # fmt: skip


PLAN = DayPlan(
    date=DAY,
    items=[
        planned("06:30", "medication", "alendronate", "Alendronate (immediate release)", fast_minutes=30),
        planned("07:00", "supplement", "calcium-citrate-315", "Calcium citrate 1500 mg (315 mg calcium)", doses=1.0),
        planned("07:30", "meal", "breakfast", "Breakfast"),
        planned("12:30", "meal", "lunch", "Lunch"),
        planned("13:30", "supplement", "calcium-citrate-315", "Calcium citrate 1500 mg (315 mg calcium)", doses=2.0),
        planned("18:30", "meal", "dinner", "Dinner"),
    ],
    unplaced=[],
    assumptions=[],
)
BALANCE = Session(date=DAY, start=time(18, 0), category="balance", minutes=15, exercises=[])


def test_the_day_in_order_with_the_fasting_wait_and_exercise() -> None:
    items = next_up(PLAN, [BALANCE], [], [])
    assert [i.label() for i in items] == [
        "06:30 Alendronate, then nothing but water until 07:00",
        "07:00 Calcium citrate 315 mg",
        "07:30 Breakfast",
        "12:30 Lunch",
        "13:30 Calcium citrate 315 mg × 2",
        "18:00 Balance 15 min",
        "18:30 Dinner",
    ]
    assert not any(i.done for i in items)


def test_logged_items_are_ticked_first_dose_first_and_the_wait_runs_from_the_tablet() -> None:
    logged = [entry("06:50", "medication", "alendronate", "medications"),
              entry("07:25", "supplement", "calcium-citrate-315", "supplements"),
              entry("08:10", "food", "01077", "snack"),  # within an hour of breakfast
              entry("20:00", "food", "01077", "dinner"),  # in dinner's slot, late
              entry("12:30", "food", "01077", "lunch", day=DAY - timedelta(days=1))]  # another day  # fmt: skip
    record = SessionRecord(date=DAY, category="balance", completed=True)
    items = {i.at: i for i in next_up(PLAN, [BALANCE], logged, [record])}
    assert items["06:30"].done and items["06:30"].then == "then nothing but water until 07:20"
    assert items["07:00"].done and not items["13:30"].done
    assert items["07:30"].done and items["18:30"].done and not items["12:30"].done
    assert items["18:00"].done


def test_status_due_and_line() -> None:
    items = next_up(PLAN, [BALANCE], [entry("06:31", "medication", "alendronate", "medications")], [])
    now = time(7, 45)
    assert [status(i, now) for i in items[:4]] == ["done", "due", "due", "later"]
    assert [i.at for i in due_now(items, now)] == ["07:00", "07:30"]
    assert status_line(items, now) == "due 07:00 Calcium citrate 315 mg · 07:30 Breakfast (+4)"
    assert status_line(next_up(PLAN, [], [], []), time(5, 0), width=40) == "next 06:30 Alendronate (+5)"
    assert status_line([], now) == "nothing planned today"
    assert status_line([NextItem("06:00", "meal", "breakfast", "Breakfast", done=True)], now) == "all done today"


def test_product_names_keep_the_amount_a_person_counts() -> None:
    assert short_product_name("Calcium carbonate 1250 mg (500 mg calcium)") == "Calcium carbonate 500 mg"
    assert short_product_name("Vitamin D3 1000 IU (25 mcg)") == "Vitamin D3 1000 IU"
    assert short_product_name("Alendronate (immediate release)") == "Alendronate"
    assert short_product_name("Magnesium glycinate (120 mg magnesium)") == "Magnesium glycinate"


kinds = st.sampled_from(["alendronate", "calcium-citrate-315", "food"])


@st.composite
def logs(draw: st.DrawFn) -> list[Entry]:
    found = []
    for n in range(draw(st.integers(0, 8))):
        minute = draw(st.integers(0, 1439))
        hhmm = f"{minute // 60:02d}:{minute % 60:02d}"
        ref = draw(kinds)
        if ref == "food":
            slot = draw(st.sampled_from(["breakfast", "lunch", "dinner", "snack"]))
            found.append(entry(hhmm, "food", f"food{n}", slot))
        else:
            kind = "medication" if ref == "alendronate" else "supplement"
            found.append(entry(hhmm, kind, ref, kind + "s").model_copy(update={"id": f"e{n}"}))
    return found


@given(logs(), st.times())
def test_ticks_count_what_was_logged_and_due_is_what_is_left(logged: list[Entry], now: time) -> None:
    items = next_up(PLAN, [BALANCE], logged, [])
    for ref in ("alendronate", "calcium-citrate-315"):
        planned_count = sum(1 for p in PLAN.items if p.ref == ref)
        taken = sum(1 for e in logged if e.ref == ref)
        ticked = [i.done for i in items if i.ref == ref]
        assert ticked == [True] * min(taken, planned_count) + [False] * max(planned_count - taken, 0)
    minute = now.hour * 60 + now.minute
    assert all(not i.done and i.minute <= minute for i in due_now(items, now))
    left = open_items(items, now)
    assert {i.at + i.ref for i in left} == {i.at + i.ref for i in items if not i.done}
    assert len(status_line(items, now)) <= 60


# -- the command line -------------------------------------------------------------------------

NOW = datetime(2026, 11, 25, 7, 45)


@pytest.fixture
def cli(db_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):
    from bonecoach.cli import context, next_command

    monkeypatch.setattr(context, "CLOCK", lambda: NOW)
    monkeypatch.setattr(next_command, "CLOCK", lambda: NOW)

    def invoke(*args: str) -> tuple[int, str, str]:
        code = main(["--db", str(db_dir), *args])
        out, err = capsys.readouterr()
        return code, out, err

    for command in (["profile", "set", "--sex", "female", "--birth-date", "1958-06-01"],
                    ["regimen", "add", "medication", "alendronate"],
                    ["regimen", "add", "supplement", "calcium-citrate-315"]):  # fmt: skip
        assert invoke(*command)[0] == 0
    return invoke


def test_next_list_line_due_and_json(cli) -> None:
    code, out, _ = cli("next")
    assert code == 0
    assert "06:30 Alendronate, then nothing but water until 07:00" in out
    assert "Next: 06:30 Alendronate: bonecoach log medication alendronate" in out
    assert cli("next", "--line")[1].startswith("due 06:30 Alendronate · 07:00 Calcium citrate 315 mg")
    due = cli("next", "--due")[1].splitlines()
    assert due[:2] == ["due 06:30 Alendronate, then nothing but water until 07:00", "due 07:00 Calcium citrate 315 mg"]
    assert cli("log", "medication", "alendronate", "--at", "06:30")[0] == 0
    body = json.loads(cli("next", "--json")[1])
    first = body["items"][0]
    assert body["date"] == "2026-11-25" and body["now"] == "07:45"
    assert (first["ref"], first["done"], first["status"]) == ("alendronate", True, "done")
    assert body["line"].startswith("due 07:00 Calcium citrate 315 mg")
    assert all(i["status"] == "due" for i in json.loads(cli("next", "--due", "--json")[1])["items"])


def test_nothing_due_prints_nothing(cli) -> None:
    for ref in ("alendronate", "calcium-citrate-315"):
        kind = "medication" if ref == "alendronate" else "supplement"
        assert cli("log", kind, ref, "--at", "07:00")[0] == 0
    assert cli("log", "food", "01077", "--grams", "244", "--at", "07:40", "--meal", "breakfast")[0] == 0
    assert cli("next", "--due") == (0, "", "")


operations = st.lists(st.sampled_from(["next", "medication", "supplement", "food", "regimen", "times", "cache",
                                      "injection", "past dose"]), max_size=8)  # fmt: skip


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations)
def test_the_kept_list_always_answers_what_a_fresh_computation_does(cli, db_dir: Path, steps: list[str]) -> None:
    for n, step in enumerate(steps):
        if step == "medication":
            cli("log", "medication", "levothyroxine", "--at", f"0{n % 7}:1{n}")
        elif step == "supplement":
            cli("log", "supplement", "calcium-citrate-315", "--at", f"1{n % 9}:00")
        elif step == "food":
            cli("log", "food", "01077", "--grams", "100", "--at", f"12:{10 + n}")
        elif step == "regimen":
            cli("regimen", "add", "medication", "levothyroxine")
        elif step == "times":
            cli("regimen", "times", "--wake", f"06:{10 + n}")
        elif step == "cache":
            next_cache.cache_path(db_dir).write_text("{not json", encoding="utf-8")
        elif step == "injection":  # Prolia every 6 months: its reminder reads the months before
            cli("regimen", "add", "medication", "Prolia", "--start", "2025-11-01")
        elif step == "past dose":  # a dose logged months ago moves the next injection
            cli("log", "medication", "denosumab", "--at", f"2026-0{5 + n % 4}-1{n % 10} 10:00")
        kept = cli("next", "--json")[1]
        next_cache.cache_path(db_dir).unlink()
        assert cli("next", "--json")[1] == kept


def test_the_kept_list_is_used_and_names_its_stamp(cli, db_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = cli("next", "--line")[1]
    assert next_cache.cache_path(db_dir).stat().st_mode & 0o777 == 0o600
    from bonecoach.cli import context

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the database was opened although nothing changed")

    monkeypatch.setattr(context, "open_coach", refuse)
    assert cli("next", "--line")[1] == first
    (db_dir / ".switch.json").write_text("{}", encoding="utf-8")  # a change under way: no kept answer
    assert next_cache.read(db_dir, NOW.date()) is None


def test_an_earlier_months_file_changed_from_outside_is_not_answered_from_the_kept_list(cli, db_dir: Path) -> None:
    """Prolia's reminder reads the months before today (its last dose moves the next). A sync tool
    bringing back June's file without the dose logged there left the kept list saying "due"."""
    assert cli("regimen", "add", "medication", "Prolia", "--start", "2025-11-01")[0] == 0
    for day in ("2026-01-05", "2026-06-01", "2026-11-20"):  # the first month and today's are not June
        assert cli("log", "food", "01077", "--grams", "100", "--at", f"{day} 08:00")[0] == 0
    june = db_dir / "entries" / "2026-06.json"
    before = june.read_bytes()
    assert cli("log", "medication", "denosumab", "--at", "2026-06-10 10:00")[0] == 0
    assert "overdue" not in cli("next")[1]  # computed and kept with the dose
    june.write_bytes(before)  # the other computer's June, without it
    kept = cli("next", "--json")[1]
    next_cache.cache_path(db_dir).unlink()
    assert cli("next", "--json")[1] == kept
    assert "overdue since 01 May 2026" in kept


def test_the_kept_list_hashes_every_month_a_dose_reminder_reads() -> None:
    from bonecoach.domain.regimen import MONTHS_BETWEEN
    from bonecoach.services.regimen import LOOK_BACK_MONTHS

    assert max(LOOK_BACK_MONTHS, 2 * max(MONTHS_BETWEEN.values()) + 1) <= next_cache.DOSE_LOOK_BACK_MONTHS
    assert {word.strip(b'"').decode() for word in next_cache.MONTHS_APART} == set(MONTHS_BETWEEN)
