"""Importing Cronometer's CSV exports: by header name, units converted, duplicates and bad rows."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bonecoach.domain.errors import InputError
from bonecoach.domain.models import MealSlot
from bonecoach.services.coach import Coach
from bonecoach.storage.cronometer import parse_cronometer
from bonecoach.storage.cronometer_import import apply_import, preview_import
from bonecoach.storage.repository import Repository
from tests.conftest import NOW, snapshot_files

# Fictional values in Cronometer's layout: extra columns it has and we ignore, a quoted name with a
# comma, a blank time (free tier), a supplement, and an empty cell (unknown, not zero).
SERVINGS = """\ufeffDay,Time,Group,Food Name,Amount,Energy (kcal),Protein (g),Calcium (mg),Magnesium (mg),Sodium (mg),Caffeine (mg),Vitamin D (IU),Vitamin K (\u00b5g),Iron (mg),Category
2026-11-23,7:45 AM,Breakfast,"Yogurt, Greek, Plain",170.00 g,100,17,187,19,61,0,0,0.0,0.1,Dairy and Egg Products
2026-11-23,7:45 AM,Breakfast,Coffee,1.00 cup,2,0.3,5,7,5,95,0,0.2,0.0,Beverages
2026-11-23,,Lunch,"Spinach, Cooked",180.00 g,41,5.3,245,157,126,0,0,888.5,6.4,Vegetables
2026-11-23,09:00 PM,Supplements,Calcium Citrate + D3,2.00 tablet,0,0,630,,0,0,800,,0,Supplements
2026-11-24,12:30,Lunch,Sardines,92.00 g,191,22.7,351,36,282,,247,2.4,2.7,Finfish and Shellfish Products
"""


def test_servings_are_read_by_header_name_with_units_converted() -> None:
    parsed = parse_cronometer(SERVINGS, "servings.csv")
    assert parsed.kind == "servings" and parsed.problems == [] and len(parsed.entries) == 5
    yogurt, coffee, spinach, tablet, sardines = parsed.entries
    assert yogurt.name == "Yogurt, Greek, Plain" and yogurt.grams == 170 and yogurt.meal == MealSlot.breakfast
    assert yogurt.at == datetime(2026, 11, 23, 7, 45) and yogurt.nutrients.calcium_mg == 187
    assert coffee.grams is None and coffee.portion == "1.00 cup" and coffee.nutrients.caffeine_mg == 95
    assert spinach.at == datetime(2026, 11, 23, 12, 30)  # no time: lunch's usual time
    assert spinach.nutrients.vitamin_k1_mcg == 888.5 and spinach.nutrients.vitamin_k2_mcg is None
    assert tablet.kind == "supplement" and tablet.meal == MealSlot.supplements and tablet.doses == 2
    assert tablet.nutrients.vitamin_d_mcg == 20  # 800 IU
    assert tablet.nutrients.magnesium_mg is None  # an empty cell is unknown, not zero
    assert sardines.at == datetime(2026, 11, 24, 12, 30) and sardines.nutrients.caffeine_mg is None


def test_reordered_columns_and_a_missing_column_are_fine() -> None:
    text = "Category,Amount,Food Name,Group,Time,Day,Calcium (mg)\nDairy,1.00 cup,Milk,Snacks,9:30 PM,2026-11-20,300\n"
    parsed = parse_cronometer(text, "s.csv")
    assert parsed.entries[0].at == datetime(2026, 11, 20, 21, 30) and parsed.entries[0].nutrients.calcium_mg == 300
    assert "vitamin_d_mcg" in parsed.missing_columns and parsed.entries[0].meal == MealSlot.snack


def test_import_previews_then_adds_and_a_second_import_finds_only_duplicates(profiled: Coach) -> None:
    preview = preview_import(profiled.repo, SERVINGS, "servings.csv")
    assert len(preview.new) == 5 and preview.duplicates == 0
    text = "\n".join(preview.lines("servings.csv"))
    assert "Would add 5 entries on 2 days, 2026-11-23 to 2026-11-24" in text
    assert "one vitamin K column" in text and "IU to micrograms" in text
    assert apply_import(profiled.repo, preview) == 5
    day = profiled.day(date(2026, 11, 23))
    assert day.totals["calcium_mg"].amount == pytest.approx(187 + 5 + 245 + 630)
    assert day.totals["vitamin_k2_mcg"].unknown_entries == 4
    assert any(c.rule == "calcium-dose-over-500" for c in day.conflicts)  # imported supplements are checked

    again = preview_import(profiled.repo, SERVINGS, "servings.csv")
    assert again.new == [] and again.duplicates == 5
    assert "Nothing new to add." in again.lines("servings.csv") and "5 rows were imported before" in "\n".join(
        again.lines("servings.csv")
    )


def test_identical_rows_in_one_file_are_two_entries_not_one_duplicate(profiled: Coach) -> None:
    row = "2026-11-22,8:00 AM,Breakfast,Coffee,1.00 cup,95\n"
    text = "Day,Time,Group,Food Name,Amount,Caffeine (mg)\n" + row + row
    preview = preview_import(profiled.repo, text, "s.csv")
    assert len(preview.new) == 2 and len({e.id for e in preview.new}) == 2


def test_bad_rows_are_reported_by_line_and_nothing_is_imported(profiled: Coach, db_dir: Path) -> None:
    lines = SERVINGS.splitlines()
    lines[2] = lines[2].replace(",5,7,5,95,", ",five,7,5,95,")  # line 3: calcium not a number
    lines[4] = lines[4].replace("2026-11-23", "23/11/2026")  # line 5: date
    lines.append('2026-11-24,1:00 PM,Lunch,"Yogurt, multi-line\nname",100.00 g,1,1,-5,1,1,1,1,1,1,Dairy')  # line 7
    lines.append("2026-11-24,25:99,Lunch,Cheese,30.00 g,1,1,200,1,1,1,1,1,1,Dairy")  # line 9: time
    before = snapshot_files(db_dir)
    with pytest.raises(InputError) as caught:
        preview_import(profiled.repo, "\n".join(lines) + "\n", "servings.csv")
    message = str(caught.value)
    assert "4 row(s) cannot be read, so nothing was imported" in message
    assert "line 3: Calcium (mg) is 'five', not a number" in message
    assert "line 5: date '23/11/2026' is not YYYY-MM-DD" in message
    assert "line 7: Calcium (mg) is '-5': amounts cannot be negative" in message
    assert "line 9: time '25:99'" in message
    assert snapshot_files(db_dir) == before


def test_daily_summary_adds_one_total_per_day_and_never_counts_a_day_twice(profiled: Coach) -> None:
    profiled.log_food("01009", grams=30, at=datetime(2026, 11, 21, 12))
    summary = (
        "Date,Energy (kcal),Calcium (mg),Vitamin D (IU),Magnesium (mg),Completed\n"
        "2026-11-20,1800,1100,600,300,true\n"
        "2026-11-21,1900,900,400,280,false\n"
    )
    preview = preview_import(profiled.repo, summary, "dailysummary.csv")
    assert [e.at.date() for e in preview.new] == [date(2026, 11, 20)]
    assert preview.new[0].nutrients.vitamin_d_mcg == 15 and preview.new[0].name == "Daily total from Cronometer"
    assert "1 day(s) skipped because they already hold entries" in "\n".join(preview.lines("d.csv"))
    apply_import(profiled.repo, preview)
    foods = preview_import(
        profiled.repo, "Day,Time,Group,Food Name,Amount,Calcium (mg)\n2026-11-20,,Lunch,Milk,1 cup,300\n", "s.csv"
    )
    assert foods.new == []  # that day is a Cronometer total already


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the file is empty"),
        ("Date;Calories\n2026-11-20;1800\n", "not a Cronometer servings.csv"),
        ("Day,Food Name,Amount,Fat (g)\n2026-11-20,Egg,50 g,6\n", "no column this app reads"),
        ("name,value\nx,1\n", "not a Cronometer"),
    ],
)
def test_files_that_are_not_cronometer_exports_get_a_clear_message(text: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_cronometer(text, "file.csv")


def test_import_cronometer_from_the_command_line(db_dir: Path, tmp_path: Path, capsys, monkeypatch) -> None:
    from bonecoach.cli import context
    from bonecoach.cli.main import main
    from tests.conftest import NOW

    monkeypatch.setattr(context, "CLOCK", lambda: NOW)
    assert main(["--db", str(db_dir), "profile", "set", "--sex", "female", "--birth-date", "1960-01-01"]) == 0
    source = tmp_path / "servings.csv"
    source.write_text(SERVINGS, encoding="utf-8")
    capsys.readouterr()
    before = snapshot_files(db_dir)
    assert main(["--db", str(db_dir), "import", "cronometer", str(source), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "Would add 5 entries" in out and "one vitamin K column" in out
    assert main(["--db", str(db_dir), "import", "cronometer", str(source)]) == 0  # not a terminal: asks for --yes
    assert "run again with --yes" in capsys.readouterr().out
    assert snapshot_files(db_dir) == before
    assert main(["--db", str(db_dir), "import", "cronometer", str(source), "--yes"]) == 0
    assert "Added 5 entries" in capsys.readouterr().out
    assert main(["--db", str(db_dir), "import", "cronometer", str(source), "--yes"]) == 0
    assert "5 rows were imported before" in capsys.readouterr().out
    bad = tmp_path / "bad.csv"
    bad.write_text(SERVINGS.replace("2026-11-24,12:30", "2026-13-24,12:30"), encoding="utf-8")
    assert main(["--db", str(db_dir), "import", "cronometer", str(bad), "--yes"]) == 2
    assert "line 6: date '2026-13-24'" in capsys.readouterr().err


def test_a_food_eaten_every_day_is_one_line_of_the_preview_with_its_count(profiled: Coach) -> None:
    rows = "".join(f'2026-11-{day:02d},12:30 PM,Lunch,"Spinach, Cooked",180.00 g,245\n' for day in range(1, 21))
    text = "Day,Time,Group,Food Name,Amount,Calcium (mg)\n" + rows
    preview = preview_import(profiled.repo, text, "servings.csv", match=profiled.sure_catalog_match)
    lines = preview.lines("servings.csv")
    spinach = [line for line in lines if line.startswith("  Spinach, Cooked ->")]
    assert len(preview.matches) == 20 and len(spinach) == 1 and spinach[0].endswith("(20 entries)"), lines


@given(st.integers(0, 23), st.integers(0, 59), st.sampled_from(["12h", "24h", "12h tight", "seconds"]))
def test_a_row_time_reads_the_same_each_time_in_every_format_cronometer_writes(
    hour: int, minute: int, style: str
) -> None:
    # Times are remembered once parsed (they repeat over years of rows): the second read must agree.
    from datetime import time

    from bonecoach.domain.models import MealSlot
    from bonecoach.storage.cronometer import MEAL_TIMES, _time

    twelve = f"{(hour % 12) or 12}:{minute:02d}"
    text = {"12h": f"{twelve} {'PM' if hour >= 12 else 'AM'}", "24h": f"{hour:02d}:{minute:02d}",
            "12h tight": f"{twelve}{'pm' if hour >= 12 else 'am'}", "seconds": f"{hour:02d}:{minute:02d}:00"}[style]  # fmt: skip
    read = _time(text, MealSlot.lunch, MEAL_TIMES)
    assert read == _time(f" {text} ", MealSlot.lunch, MEAL_TIMES) == (time(hour, minute), False)


def test_recent_portion_only_rows_do_not_break_search_or_suggestions(profiled: Coach) -> None:
    # Cronometer writes a portion and no grams for many rows ("1.00 can"); rows from the last
    # weeks are "recent", and every food search and suggestion reads the recent foods' usual amount.
    recent = (
        "Day,Time,Group,Food Name,Amount,Calcium (mg)\n"
        '2026-11-20,12:30,Lunch,"Sardines, Canned In Oil",1.00 can,351\n'
        '2026-11-21,12:30,Lunch,"Sardines, Canned In Oil",1.00 can,351\n'
        "2026-11-22,8:00,Breakfast,Calcium Citrate,1.00 tablet,315\n"
    )
    apply_import(profiled.repo, preview_import(profiled.repo, recent, "servings.csv"))
    refs = {ref: (uses, amount) for ref, uses, amount in profiled.recent_refs()}
    sardines = next(value for ref, value in refs.items() if "sardines" in ref)
    assert sardines == (2, None)  # two uses, no usual grams known
    assert profiled.search_foods("milk")
    assert isinstance(profiled.suggestions(at=datetime(2026, 11, 25, 19, 0)), list)
    assert profiled.log_food("01077", grams=244, at=datetime(2026, 11, 25, 18, 0)).grams == 244


# -- the import as a migration (issue 37 item 9) ------------------------------------------------------


def test_rows_without_a_time_sit_at_the_usual_day_and_raise_no_timing_conflict_among_themselves(
    profiled: Coach,
) -> None:
    profiled.set_day_times(breakfast="07:00")
    text = ("Day,Time,Group,Food Name,Amount,Calcium (mg),Category\n"
            "2026-11-20,,Supplements,Calcium Citrate,2.00 tablet,630,Supplements\n"
            "2026-11-20,,Supplements,Calcium Carbonate,1.00 tablet,600,Supplements\n"
            '2026-11-20,,Breakfast,"Spinach, Cooked",180.00 g,245,Vegetables\n'
            "2026-11-20,,Breakfast,Milk,244.00 g,300,Dairy\n")  # fmt: skip
    preview = preview_import(profiled.repo, text, "servings.csv", match=profiled.sure_catalog_match)
    assert {e.at.time() for e in preview.new} == {datetime(2026, 11, 20, 7, 0).time()}
    assert all(e.time_guessed for e in preview.new)
    apply_import(profiled.repo, preview)
    timed = [c for c in profiled.day(date(2026, 11, 20)).conflicts if len(c.entries) > 1]
    assert timed == [], [c.rule for c in timed]


def test_a_k2_product_and_a_k2_food_count_their_vitamin_k_as_k2(profiled: Coach) -> None:
    text = ("Day,Time,Group,Food Name,Amount,Vitamin K (\u00b5g),Category\n"
            "2026-11-20,8:00 AM,Supplements,Vitamin K2 MK-7,1.00 capsule,100,Supplements\n"
            "2026-11-20,8:00 AM,Supplements,Vitamin K,1.00 tablet,90,Supplements\n")  # fmt: skip
    k2, k1 = parse_cronometer(text, "servings.csv").entries
    assert (k2.nutrients.vitamin_k2_mcg, k2.nutrients.vitamin_k1_mcg) == (100, None)
    assert (k1.nutrients.vitamin_k1_mcg, k1.nutrients.vitamin_k2_mcg) == (90, None)


def test_the_preview_names_the_rows_that_match_no_catalog_food(profiled: Coach) -> None:
    rows = "".join(f"2026-11-{day:02d},12:30 PM,Lunch,My Aunt's Stew,300.00 g,80\n" for day in range(1, 4))
    text = "Day,Time,Group,Food Name,Amount,Calcium (mg)\n" + rows + "2026-11-05,12:30 PM,Lunch,Zorblax,10.00 g,1\n"
    preview = preview_import(profiled.repo, text, "servings.csv", match=profiled.sure_catalog_match)
    lines = preview.lines("servings.csv")
    assert "  My Aunt's Stew (3 entries)" in lines and "  Zorblax" in lines, lines


def test_imported_history_is_not_the_persons_start(profiled: Coach) -> None:
    rows = "".join(f"2026-{month:02d}-10,12:30 PM,Lunch,Milk,244.00 g,300\n" for month in range(1, 11))
    apply_import(profiled.repo, preview_import(profiled.repo, "Day,Time,Group,Food Name,Amount,Calcium (mg)\n" + rows,
                                               "servings.csv"))  # fmt: skip
    from datetime import timedelta

    # The database was made by the wall clock (today): a clock a day later sees it as made.
    later = Coach(profiled.repo, clock=lambda: datetime.now() + timedelta(days=1), catalog=profiled.catalog)
    assert later.repo.first_entry_day() == date(2026, 1, 10)
    assert later.started_on() == later.repo.created_on()


# -- a file of any size, a month at a time (issue 37 item 6) -------------------------------------------


def _servings(first: date, days: int, per_day: int) -> str:
    from datetime import timedelta

    rows = ["Day,Time,Group,Food Name,Amount,Calcium (mg),Vitamin D (IU)"]
    for n in range(days):
        day = first + timedelta(days=n)
        rows += [f"{day},{1 + k % 12}:{k:02d} {'AM' if k % 2 else 'PM'},Lunch,Food {k % 7},{10 + k}.00 g,{k * 3},{k}"
                 for k in range(per_day)]  # fmt: skip
    return "\n".join(rows) + "\n"


def _streamed(coach: Coach, path: Path) -> tuple[int, int]:
    from bonecoach.services import data

    streamed = data.cronometer_file(coach, path)
    preview = streamed.read()
    return preview.new_count, streamed.add()


@pytest.mark.slow
def test_a_cronometer_import_holds_a_month_not_the_file(
    profiled: Coach, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The command as a person runs it: its peak memory does not grow with the file (before: about
    46 MB per MB of CSV, so a ten-year export was killed for want of memory)."""
    import tracemalloc

    from bonecoach.cli import context
    from bonecoach.cli.main import main

    monkeypatch.setattr(context, "CLOCK", lambda: NOW)
    peaks = []
    for years in (1, 4):
        path = tmp_path / f"{years}y.csv"
        path.write_text(_servings(date(2020, 1, 1), 365 * years, 6), encoding="utf-8")
        db = tmp_path / f"db{years}"
        setup = Coach(Repository(db), clock=lambda: NOW)
        setup.set_profile("female", date(1960, 1, 1))
        setup.repo.close()
        tracemalloc.start()
        assert main(["--db", str(db), "import", "cronometer", str(path), "--yes"]) == 0
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
        assert f"Added {365 * years * 6} entries" in capsys.readouterr().out
    # Measured: 32.3 and 32.1 MB (the catalog and a month of rows); before, 38 and 59 MB.
    assert peaks[1] - peaks[0] < 5e6, f"peak {peaks[0] / 1e6:.1f} MB for one year, {peaks[1] / 1e6:.1f} MB for four"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(days=st.integers(1, 80), per_day=st.integers(1, 4), shuffle=st.booleans(), seed=st.integers(0, 1000))
def test_a_streamed_import_adds_what_a_whole_read_adds(
    profiled: Coach, tmp_path_factory: pytest.TempPathFactory, days: int, per_day: int, shuffle: bool, seed: int
) -> None:
    import random

    text = _servings(date(2026, 7, 20), days, per_day)
    if shuffle:  # rows out of month order: read whole instead
        head, *rows = text.splitlines()
        random.Random(seed).shuffle(rows)
        text = "\n".join([head, *rows]) + "\n"
    folder = tmp_path_factory.mktemp("streamed")
    path = folder / "servings.csv"
    path.write_text(text, encoding="utf-8")
    streamed = Coach(Repository(folder / "a", auto_backup=False), clock=lambda: NOW, catalog=profiled.catalog)
    whole = Coach(Repository(folder / "b", auto_backup=False), clock=lambda: NOW, catalog=profiled.catalog)
    _streamed(streamed, path)
    apply_import(whole.repo, preview_import(whole.repo, text, "servings.csv", whole.sure_catalog_match, NOW.date()))
    dump = lambda coach: sorted(e.model_dump_json() for e in coach.repo.all_entries())  # noqa: E731
    assert dump(streamed) == dump(whole) and len(dump(whole)) == days * per_day
    streamed.repo.close()
    whole.repo.close()


def test_a_vegans_staples_are_matched_by_the_search_people_use(profiled: Coach) -> None:
    """Issue 37 item 9: matched as a typed line is (the reviewed words, every word in the name, one
    of them the food), so these rows carry their tags and absorption; before, only the almonds did."""
    staples = {"Tahini (Sesame Butter)": "tahini", "Chickpeas, Canned": "chickpeas", "White Beans, Canned": "beans, white",
               "Oatmeal, Cooked": "oats", "Almonds": "almonds", "Soy Milk, Unsweetened": "soymilk"}  # fmt: skip
    for name, words in staples.items():
        found = profiled.sure_catalog_match(name)
        assert found is not None and words in found.name.lower(), (name, found)
    for name in ("Kind Bar, Almond", "Spinach Dip", "Kale Chips"):
        assert profiled.sure_catalog_match(name) is None, name


def test_a_portion_row_takes_its_grams_from_the_matched_foods_portion(profiled: Coach) -> None:
    """Issue 37 item 9, "and their portions": a row with a count and no grams gets them from the
    matched food's portion of that unit, so its tags count by weight; else it stays a portion."""
    text = ("Day,Time,Group,Food Name,Amount,Calcium (mg)\n"
            '2026-11-20,12:30,Lunch,"Sardines, Canned In Oil",1.00 can,351\n'
            "2026-11-20,12:30,Lunch,Tahini (Sesame Butter),2.00 tbsp,130\n"
            '2026-11-20,12:30,Lunch,"Chickpeas, Canned",4.00 oz,40\n'
            "2026-11-20,12:30,Lunch,Tahini (Sesame Butter),1.00 jar,900\n")  # fmt: skip
    preview = preview_import(profiled.repo, text, "servings.csv", match=profiled.sure_catalog_match)
    sardines, tahini, chickpeas, jar = preview.new
    assert sardines.grams == 92 and sardines.portion == "1.00 can"  # "1 can (3.75 oz)": 92 g
    assert tahini.grams == 30 and chickpeas.grams == pytest.approx(113.4)
    assert jar.grams is None and jar.portion == "1.00 jar"  # no such portion: left as written
    assert sardines.nutrients.calcium_mg == 351  # the nutrients stay Cronometer's
