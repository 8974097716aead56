"""Text that cannot steer the terminal, files that cannot hurt, errors that say what."""

from __future__ import annotations

import json
import os
import re
import stat
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from textual.widgets import DataTable

from bonecoach.cli import context
from bonecoach.cli.main import main
from bonecoach.domain.models import Entry, MealSlot
from bonecoach.domain.nutrients import Nutrients
from bonecoach.domain.text import clean_text
from bonecoach.services.coach import Coach
from bonecoach.storage.cronometer import parse_cronometer
from bonecoach.storage.repository import Repository
from bonecoach.tui.app import make_app
from tests.conftest import NOW, snapshot_files

UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
NASTY = ["\x1b]0;pwned\x07Milk", "\x1b[2JMilk", "Mi\x00lk", "Milk\nrm -rf", "\u202e01077 Milk", "Milk\x9b31m"]
MARKUP = ["[/]", "[bold red]x[/]", "[link=https://example.com]click[/link]", "[@click=quit]q[/]"]


def _printable(text: str) -> bool:
    return not UNSAFE.search(text)


@given(st.text(max_size=60))
def test_cleaned_text_never_holds_a_control_or_direction_character(value: str) -> None:
    cleaned = clean_text(value)
    assert _printable(cleaned) and "\n" not in cleaned and "\t" not in cleaned


@pytest.mark.parametrize("name", NASTY)
def test_a_stored_name_is_cleaned_at_the_model_whatever_wrote_it(db_dir: Path, name: str) -> None:
    repo = Repository(db_dir, auto_backup=False)
    repo.add_entry(Entry(id="e1", at=NOW, kind="food", ref="x", name=name, meal=MealSlot.snack, grams=10,
                         nutrients=Nutrients(calcium_mg=1)))  # fmt: skip
    (stored,) = repo.all_entries()
    assert _printable(stored.name) and "Milk" in stored.name
    raw = json.loads((db_dir / "entries" / f"{NOW:%Y-%m}.json").read_text())
    assert _printable(json.dumps(raw, ensure_ascii=False))  # cleaned before it was written, too
    repo.close()


def _cli(db: Path, *args: str) -> tuple[int, str]:
    import contextlib
    import io

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(["--db", str(db), *args])
        except SystemExit as exc:  # argparse: a name that looks like an option
            code = int(exc.code or 0)
    return code, out.getvalue() + err.getvalue()


@pytest.fixture
def cli_db(db_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(context, "CLOCK", lambda: NOW)
    assert _cli(db_dir, "profile", "set", "--sex", "female", "--birth-date", "1962-04-12")[0] == 0
    return db_dir


def test_a_cronometer_file_with_terminal_commands_in_its_names_prints_none(cli_db: Path, tmp_path: Path) -> None:
    rows = "".join(f'2026-11-24,8:00 AM,Breakfast,"{name.replace(chr(34), "")}",1.00 cup,100\n' for name in NASTY)
    path = tmp_path / "servings.csv"
    path.write_text("Day,Time,Group,Food Name,Amount,Calcium (mg)\n" + rows, encoding="utf-8")
    code, _ = _cli(cli_db, "import", "cronometer", str(path), "--yes")
    assert code == 0
    code, out = _cli(cli_db, "day", "2026-11-24")
    assert code == 0 and _printable(out) and out.count("Milk") == len(NASTY)
    code, out = _cli(cli_db, "export", "--format", "json")
    assert code == 0 and _printable(out.replace("\n", " "))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(min_size=1, max_size=30))
def test_any_name_of_your_own_food_comes_out_of_the_command_line_printable(cli_db: Path, name: str) -> None:
    before = snapshot_files(cli_db)
    code, out = _cli(cli_db, "foods", "add", name, "--serving-grams", "40", "--calcium-mg", "100")
    assert code in (0, 2) and code != 70 and _printable(out.replace("\n", " "))
    if code != 0:
        assert snapshot_files(cli_db) == before
        return
    food_id = next(f.id for f in Repository(cli_db, readonly=True).custom_foods())
    code, out = _cli(cli_db, "foods", "show", food_id)
    assert code == 0 and _printable(out.replace("\n", " "))


async def test_markup_in_a_name_is_shown_literally_and_never_crashes_the_app(profiled: Coach) -> None:
    for n, name in enumerate(MARKUP):
        food = profiled.add_custom_food(f"{name} bar", 40, {"calcium_mg": 100})
        profiled.log_food(food.id, grams=40, at=datetime(2026, 11, 25, 8, n))
    app = make_app(profiled)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        table = app.query_one("#timeline", DataTable)
        shown = [str(table.get_row_at(row)[3]) for row in range(table.row_count)]
        assert any("[/]" in cell for cell in shown) and any("[bold red]x[/]" in cell for cell in shown), shown
        await pilot.press("f3", *"bar")
        await pilot.pause()
        await pilot.press("i", "f2", "i")
        await pilot.pause()
    assert app.return_code in (None, 0)


# -- files that lie ------------------------------------------------------------------------------


def test_an_unclosed_quote_is_refused_naming_its_line() -> None:
    text = 'Day,Time,Group,Food Name,Amount,Calcium (mg)\n2026-11-24,8:00 AM,Breakfast,"Milk,1 cup,300\n2026-11-24,9:00 AM,Breakfast,Tea,1 cup,5\n'
    parsed = parse_cronometer(text, "servings.csv")
    assert parsed.problems and parsed.problems[0].startswith("line 2") and "never closed" in parsed.problems[0]


@pytest.mark.parametrize(
    ("day", "amount"), [("0001-01-01", "100 g"), ("2030-01-01", "100 g"), ("2026-11-24", "99999999999 g")]
)
def test_cronometer_rows_keep_the_limits_of_typed_entries(day: str, amount: str) -> None:
    text = f"Day,Time,Group,Food Name,Amount,Calcium (mg)\n{day},8:00 AM,Breakfast,Milk,{amount},100\n"
    parsed = parse_cronometer(text, "servings.csv", date(2026, 11, 25))
    assert parsed.problems and parsed.problems[0].startswith("line 2")


# -- exports that attack -------------------------------------------------------------------------


def test_a_csv_export_never_starts_a_cell_like_a_formula(cli_db: Path) -> None:
    for name in ['=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0", "@SUM(1+1)"]:
        assert _cli(cli_db, "foods", "add", name, "--serving-grams", "40", "--calcium-mg", "100")[0] == 0
    repo = Repository(cli_db, lock_on_open=False)
    for n, food in enumerate(repo.custom_foods()):
        Coach(repo, clock=lambda: NOW).log_food(food.id, grams=40, at=datetime(2026, 11, 25, 8, n))
    repo.close()
    code, out = _cli(cli_db, "export", "--format", "csv")
    import csv
    import io

    cells = [cell for row in csv.reader(io.StringIO(out)) for cell in row]
    assert code == 0 and not [c for c in cells if c[:1] in ("=", "+", "@") or (c.startswith("-") and not _number(c))]


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def test_the_markdown_report_escapes_html(cli_db: Path) -> None:
    assert (
        _cli(cli_db, "foods", "add", "<img src=x onerror=alert(1)>", "--serving-grams", "40", "--calcium-mg", "100")[0]
        == 0
    )
    repo = Repository(cli_db, lock_on_open=False)
    coach = Coach(repo, clock=lambda: NOW)
    coach.log_food(repo.custom_foods()[0].id, grams=400, at=datetime(2026, 11, 25, 8))
    coach.log_food("11458", portion="1 cup", at=datetime(2026, 11, 25, 8, 5))  # a conflict that names the food
    repo.close()
    code, out = _cli(cli_db, "report", "--format", "md", "--period", "week")
    assert code == 0 and "<img" not in out


# -- where files go ------------------------------------------------------------------------------


@pytest.mark.parametrize("target", ["fifo", "link", "missing/parent/x.json"])
def test_output_is_refused_onto_a_device_a_link_or_a_missing_folder(cli_db: Path, tmp_path: Path, target: str) -> None:
    # A FIFO stands for a device: a test must never aim at /dev/null (as root, a regression would
    # replace the system's).
    if target == "link":
        (tmp_path / "link").symlink_to("/proc/self/fd/1")
    if target == "fifo":
        os.mkfifo(tmp_path / "fifo")
    path = str(tmp_path / target)
    code, out = _cli(cli_db, "export", "--output", path)
    assert code == 2 and "Traceback" not in out
    assert not (tmp_path / "missing").exists()
    if target == "link":
        assert (tmp_path / "link").is_symlink()
    if target == "fifo":
        assert stat.S_ISFIFO(os.lstat(tmp_path / "fifo").st_mode)


def test_temporary_files_are_exclusive_and_unpredictable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tempfile

    from bonecoach.storage.atomic import atomic_write_bytes

    made: list[str] = []
    real = tempfile.mkstemp

    def spy(*args: object, **kwargs: object) -> tuple[int, str]:
        fd, name = real(*args, **kwargs)  # type: ignore[call-overload]
        made.append(name)
        return fd, name

    monkeypatch.setattr(tempfile, "mkstemp", spy)
    (tmp_path / f".x.json.{os.getpid()}.tmp").write_text("planted by someone else")
    atomic_write_bytes(tmp_path / "x.json", b"{}")
    assert made and (tmp_path / "x.json").read_bytes() == b"{}"
    assert (tmp_path / f".x.json.{os.getpid()}.tmp").read_text() == "planted by someone else"


def test_an_existing_database_folder_is_made_private(tmp_path: Path) -> None:
    folder = tmp_path / "db"
    folder.mkdir(mode=0o755)
    os.chmod(folder, 0o755)
    Repository(folder).close()
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


# -- errors that say what ------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["file", "devnull", "dangling"])
def test_a_db_that_is_not_a_folder_is_exit_3_naming_it(tmp_path: Path, kind: str) -> None:
    path = {"file": tmp_path / "file", "devnull": Path("/dev/null"), "dangling": tmp_path / "dangling"}[kind]
    if kind == "file":
        path.write_text("x")
    if kind == "dangling":
        path.symlink_to(tmp_path / "nowhere")
    code, out = _cli(path, "day")
    assert code == 3 and "is not a folder" in out and "unexpected" not in out


@pytest.mark.parametrize("damage", ["abc", "number", "food"])
def test_damaged_documents_are_exit_3_naming_the_file(cli_db: Path, damage: str) -> None:
    meta = json.loads((cli_db / "meta.json").read_text())
    if damage == "abc":
        meta["scans"] = {"abc": {"id": "s"}}
    elif damage == "number":
        meta["labs"] = {"1": 5}
    else:
        meta["custom_foods"] = {"1": {"id": "custom:x", "name": 7}}
    (cli_db / "meta.json").write_text(json.dumps(meta))
    code, out = _cli(cli_db, "day")
    code_write, out_write = _cli(cli_db, "log", "food", "01077", "--grams", "100")
    assert 3 in (code, code_write) and 70 not in (code, code_write)
    assert "meta.json" in out + out_write


@pytest.mark.parametrize(
    "args",
    [["foods", "add", "bar", "--serving-grams", "0.0000001", "--calcium-mg", "1"],
     ["log", "supplement", "calcium-citrate-315", "--doses", "0.0000001"],
     ["log", "food", "01077", "--grams", "0.0000001"], ["day", "0001-01-01"], ["day", "9999-12-31"]],
)  # fmt: skip
def test_edge_values_are_refused_with_a_message(cli_db: Path, args: list[str]) -> None:
    before = snapshot_files(cli_db)
    code, out = _cli(cli_db, *args)
    assert code == 2 and out.strip() and "unexpected" not in out
    assert snapshot_files(cli_db) == before


def test_two_restores_in_one_second_both_work(cli_db: Path) -> None:
    assert _cli(cli_db, "backup", "create")[0] == 0
    name = next(p.stem for p in (cli_db / "backups").glob("manual-*.json"))
    assert _cli(cli_db, "backup", "restore", name)[0] == 0
    assert _cli(cli_db, "backup", "restore", name)[0] == 0


async def test_hostile_names_in_a_json_import_are_drawn_printable_and_literal(tmp_path: Path, catalog: object) -> None:
    from bonecoach.storage.transfer import export_json, import_json

    source = Coach(Repository(tmp_path / "source", auto_backup=False), clock=lambda: NOW, catalog=catalog)  # type: ignore[arg-type]
    source.set_profile("female", date(1962, 4, 12))
    data = json.loads(export_json(source.repo))
    names = [*NASTY, *MARKUP]
    data["entries"] = [
        {"id": f"h{n}", "at": f"2026-11-25T08:{n:02d}:00", "kind": "food", "ref": "x", "name": name, "meal": "breakfast",
         "grams": 50, "nutrients": {"calcium_mg": 10}, "portion": name}
        for n, name in enumerate(names)
    ]  # fmt: skip
    target = Repository(tmp_path / "target", auto_backup=False)
    assert import_json(target, json.dumps(data), "hostile.json", NOW.date()) == len(names)
    coach = Coach(target, clock=lambda: NOW, catalog=catalog)  # type: ignore[arg-type]
    app = make_app(coach)
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        table = app.query_one("#timeline", DataTable)
        cells = [str(cell) for row in range(table.row_count) for cell in table.get_row_at(row)]
        await pilot.press("i")
        await pilot.pause()
        said = [n.message for n in app._notifications]
    assert table.row_count == len(names)
    assert all(_printable(text) for text in cells + said), [c for c in cells + said if not _printable(c)]
    assert any("[/]" in cell for cell in cells) and any("[link=" in cell for cell in cells)
