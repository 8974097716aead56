"""The command line: JSON shapes scripts rely on, and clear errors with no traceback."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bonecoach.cli.main import main
from bonecoach.domain.nutrient_info import NUTRIENT_KEYS
from tests.conftest import NOW, snapshot_files

TODAY = "2026-11-25"


def run(db: Path, *args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["--db", str(db), *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def cli(db_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):
    # The CLI reads the real clock; fix it so "8am" and "today" mean 2026-11-25.
    from bonecoach.cli import context

    monkeypatch.setattr(context, "CLOCK", lambda: NOW)

    def invoke(*args: str) -> tuple[int, str, str]:
        return run(db_dir, *args, capsys=capsys)

    return invoke


def test_profile_log_and_day_json(cli) -> None:
    assert cli("profile", "set", "--sex", "female", "--birth-date", "1962-04-12")[0] == 0
    code, out, _ = cli("log", "food", "01077", "--portion", "1 cup", "--at", "8am")
    assert code == 0 and "Logged" in out
    assert cli("log", "food", "15088", "--grams", "92", "--at", "12:30", "--meal", "lunch")[0] == 0
    assert cli("log", "supplement", "vitamin-d3-1000", "--doses", "2", "--at", "8:05")[0] == 0
    code, out, _ = cli("day", TODAY, "--json")
    assert code == 0
    day = json.loads(out)
    assert day["date"] == TODAY
    assert set(day["totals"]) == {*NUTRIENT_KEYS, "vitamin_k_total_mcg"}
    assert day["totals"]["calcium_mg"] == pytest.approx(275.72 + 351.44)
    assert day["totals"]["vitamin_d_mcg"] == pytest.approx(3.172 + 50 + 4.416)
    assert day["targets"]["calcium_mg"]["target"] == 1200 and day["targets"]["calcium_mg"]["upper_limit"] == 2000
    assert day["targets"]["caffeine_mg"]["target"] is None and day["targets"]["caffeine_mg"]["upper_limit"] == 400
    assert day["targets"]["vitamin_k2_mcg"]["upper_limit"] is None
    kinds = [(e["kind"], e["name"][:4]) for e in day["entries"]]
    assert kinds == [("food", "Milk"), ("supplement", "Vita"), ("food", "Fish")]
    milk, supplement = day["entries"][0], day["entries"][1]
    assert milk["at"] == "2026-11-25T08:00:00" and milk["grams"] == 244 and milk["calcium_mg"] == pytest.approx(275.72)
    assert supplement["doses"] == 2 and supplement["vitamin_d_mcg"] == 50 and "grams" not in supplement
    assert all(isinstance(e["id"], str) and e["id"] for e in day["entries"])


def test_foods_search_json(cli) -> None:
    code, out, _ = cli("foods", "search", "sardine", "bones", "--limit", "3", "--json")
    foods = json.loads(out)
    assert code == 0 and foods[0]["id"] == "15088" and len(foods) <= 3
    assert foods[0]["per_100g"]["calcium_mg"] == 382 and foods[0]["name"].startswith("Fish, sardine")
    assert set(foods[0]["per_100g"]) == set(NUTRIENT_KEYS)


def test_supplements_list_json_uses_totals_keys(cli) -> None:
    code, out, _ = cli("supplements", "list", "--json")
    products = json.loads(out)
    assert code == 0 and len(products) >= 15
    first = products[0]
    assert {"id", "name"} <= set(first) and set(NUTRIENT_KEYS) <= set(first)
    assert {p["id"] for p in products} >= {
        "calcium-carbonate-500",
        "calcium-citrate-315",
        "vitamin-d3-400",
        "vitamin-d3-1000",
        "vitamin-d3-2000",
        "magnesium-glycinate-120",
        "k2-mk7-90",
        "k2-mk7-180",
    }


def test_add_supplement_with_iu_and_log_set(cli) -> None:
    cli("profile", "set", "--sex", "male", "--birth-date", "1955-01-01")
    code, out, _ = cli("supplements", "add", "My D", "--vitamin-d-iu", "800")
    assert code == 0 and "my-my-d" in out
    assert cli("supplements", "set", "morning", "--item", "my-my-d", "--item", "calcium-citrate-315:2")[0] == 0
    assert cli("log", "set", "morning", "--at", "7am")[0] == 0
    day = json.loads(cli("day", "--json")[1])
    assert day["totals"]["vitamin_d_mcg"] == 20 and day["totals"]["calcium_mg"] == 630


def test_ambiguous_query_lists_matches_and_exits_nonzero(cli, db_dir: Path) -> None:
    cli("profile", "set", "--sex", "female", "--birth-date", "1962-04-12")
    before = snapshot_files(db_dir)
    code, _out, err = cli("log", "food", "milk", "--grams", "200")
    assert code != 0 and "01077" in err and "several" in err
    assert snapshot_files(db_dir) == before


@pytest.mark.parametrize(
    "args",
    [
        ("log", "food", "01077", "--grams", "0"),
        ("log", "food", "01077", "--grams", "6000"),
        ("log", "food", "01077", "--grams", "lots"),
        ("log", "food", "01077", "--portion", "1 bucket"),
        ("log", "food", "01077", "--grams", "10", "--at", "next week"),
        ("log", "supplement", "vitamin-d3-1000", "--doses", "50"),
        ("log", "supplement", "unobtainium"),
        ("profile", "set", "--birth-date", "1962-13-45"),
        ("day", "someday"),
        ("entry", "delete", "no-such-id"),
    ],
)
def test_bad_input_gets_a_message_and_changes_nothing(cli, db_dir: Path, args: tuple[str, ...]) -> None:
    cli("profile", "set", "--sex", "female", "--birth-date", "1962-04-12")
    before = snapshot_files(db_dir)
    with pytest.raises(SystemExit) if "--grams" in args and args[-1] in ("0", "lots") else _nothing():
        code, _out, err = cli(*args)
        assert code != 0 and err.strip() and "Traceback" not in err
    assert snapshot_files(db_dir) == before


class _nothing:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> bool:
        return False


def test_edit_delete_undo_from_the_command_line(cli) -> None:
    cli("profile", "set", "--sex", "female", "--birth-date", "1962-04-12")
    cli("log", "food", "01077", "--grams", "100", "--at", "8am")
    entry_id = json.loads(cli("day", "--json")[1])["entries"][0]["id"]
    assert cli("entry", "edit", entry_id, "--grams", "200")[0] == 0
    assert json.loads(cli("day", "--json")[1])["totals"]["calcium_mg"] == 226
    assert cli("entry", "delete", entry_id)[0] == 0
    assert json.loads(cli("day", "--json")[1])["entries"] == []
    assert cli("undo")[0] == 0
    assert len(json.loads(cli("day", "--json")[1])["entries"]) == 1


def test_day_without_profile_has_null_targets(cli) -> None:
    day = json.loads(cli("day", "--json")[1])
    assert all(t["target"] is None and t["upper_limit"] is None for t in day["targets"].values())


def _subprocess(*args: str, env_db: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bonecoach", *args],
        capture_output=True,
        text=True,
        env={"BONECOACH_DB": str(env_db), "PATH": "/usr/bin:/bin"},
        timeout=60,
    )


def test_errors_have_no_traceback_and_env_var_picks_the_database(tmp_path: Path) -> None:
    db = tmp_path / "envdb"
    result = _subprocess("log", "food", "01077", "--grams", "-1", env_db=db)
    assert result.returncode == 2 and "more than zero" in result.stderr and "Traceback" not in result.stderr
    result = _subprocess("profile", "set", "--sex", "female", "--birth-date", "1962-04-12", env_db=db)
    assert result.returncode == 0 and (db / "meta.json").exists()
    result = _subprocess(env_db=db)  # the app needs a terminal: says so rather than crashing
    assert result.returncode == 2 and "needs a terminal" in result.stderr


def test_version_and_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["--version"])
    assert caught.value.code == 0 and "bonecoach" in capsys.readouterr().out


def test_conflicts_in_day_json_and_log_output(cli) -> None:
    cli("profile", "set", "--sex", "female", "--birth-date", "1962-04-12")
    code, out, _ = cli("log", "medication", "levothyroxine", "--at", "6:00")
    assert code == 0 and "Levothyroxine" in out
    code, out, _ = cli("log", "supplement", "calcium-citrate-315", "--at", "8:00")
    assert code == 0 and "levothyroxine" in out.lower() and "fix: Move" in out
    day = json.loads(cli("day", "--json")[1])
    (conflict,) = day["conflicts"]
    assert set(conflict) >= {"rule", "severity", "entries", "message", "suggestion"}
    assert conflict["rule"] == "levothyroxine-calcium-separation" and conflict["severity"] == "danger"
    assert set(conflict["entries"]) == {e["id"] for e in day["entries"]}
    assert "10:00" in conflict["suggestion"]
    medication = next(e for e in day["entries"] if e["kind"] == "medication")
    assert medication["drug_class"] == "levothyroxine"


def test_rules_check(cli, tmp_path: Path) -> None:
    good = tmp_path / "good.json"
    good.write_text(json.dumps({"schema": 1, "disable": ["sodium-excess"]}))
    code, out, _ = cli("rules", "check", str(good))
    assert code == 0 and "24 rules are in force" in out
    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps(
            {"schema": 1, "rules": [{"id": "Bad Id", "kind": "daily_total", "severity": "info", "nutrient": "iron"}]}
        )
    )
    code, _, err = cli("rules", "check", str(bad))
    assert code == 2 and str(bad) in err and "rule 0 (id 'Bad Id')" in err and "field id" in err and "message" in err
    code, _, err = cli("rules", "check", str(tmp_path / "missing.json"))
    assert code == 2 and "cannot be read" in err


def test_regimen_and_plan_day_json(cli) -> None:
    cli("profile", "set", "--sex", "female", "--birth-date", "1962-04-12")
    assert cli("regimen", "add", "medication", "alendronate")[0] == 0
    assert cli("regimen", "add", "supplement", "calcium-carbonate-500", "--doses", "2")[0] == 0
    assert cli("regimen", "times", "--wake", "06:00", "--breakfast", "07:00")[0] == 0
    code, _, err = cli("regimen", "times", "--lunch", "06:30")
    assert code == 2 and "in order" in err
    code, out, _ = cli("plan-day", "--json")
    plan = json.loads(out)
    assert code == 0 and plan["date"] == TODAY and plan["unplaced"] == []
    timeline = [(i["time"], i["kind"], i["id"]) for i in plan["items"]]
    assert timeline[0] == ("06:00", "medication", "alendronate")
    assert ("07:00", "supplement", "calcium-carbonate-500") in timeline
    assert cli("regimen", "remove", "alendronate")[0] == 0
    assert cli("regimen", "remove", "alendronate")[0] == 2


def test_backup_commands(cli, db_dir: Path) -> None:
    cli("profile", "set", "--sex", "female", "--birth-date", "1962-04-12")
    cli("log", "food", "01077", "--grams", "100", "--at", "8am")
    code, out, _ = cli("backup", "create")
    assert code == 0 and "Backed up" in out
    listed = json.loads(cli("backup", "list", "--json")[1])
    manual = next(b for b in listed if b["name"].startswith("manual-"))
    assert manual["valid"] and manual["entries"] == 1
    (db_dir / "entries" / "2026-11.json").write_text("garbage")
    code, _, err = cli("day", "--json")
    assert code == 3 and "2026-11.json" in err and "damaged" in err and "bonecoach backup restore" in err
    code, out, _ = cli("backup", "restore", manual["name"])
    assert code == 0 and "kept in" in out
    assert len(json.loads(cli("day", "--json")[1])["entries"]) == 1
    assert cli("backup", "restore", "no-such-backup")[0] == 3


def test_each_command_is_added_by_the_group_main_names_for_it() -> None:
    # main builds only the named command's group: GROUPS must say exactly which group adds it.
    import argparse

    from bonecoach.cli.main import GROUPS, build_parser

    def commands(parser: argparse.ArgumentParser) -> set[str]:
        sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        return set(sub.choices)

    for group in set(GROUPS.values()):
        named = {command for command, owner in GROUPS.items() if owner == group}
        assert commands(build_parser(next(iter(named)))) == named, group
    assert commands(build_parser(None)) == set(GROUPS)


async def test_day_and_the_timeline_say_each_amount_alike(cli, db_dir: Path) -> None:
    # One amount phrase for both faces: a portion, grams, doses of a supplement, a medication.
    from textual.widgets import DataTable

    from bonecoach.services.coach import Coach
    from bonecoach.storage.repository import Repository
    from bonecoach.tui.app import make_app
    from tests.conftest import NOW

    cli("profile", "set", "--sex", "female", "--birth-date", "1962-04-12")
    cli("log", "food", "01077", "--portion", "1 cup", "--at", "8:00")
    cli("log", "food", "01009", "--grams", "30", "--at", "12:00")
    cli("log", "supplement", "vitamin-d3-1000", "--doses", "2", "--at", "9:00")
    cli("log", "medication", "levothyroxine", "--at", "6:00")
    lines = [line for line in cli("day")[1].splitlines() if "[" in line and "]" in line]
    coach = Coach(Repository(db_dir), clock=lambda: NOW)
    async with make_app(coach).run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        table = pilot.app.query_one("#timeline", DataTable)
        cells = {str(table.get_row_at(n)[1]): str(table.get_row_at(n)[4]) for n in range(table.row_count)}
    coach.close()
    assert set(cells.values()) == {"1 cup", "30 g", "2 doses", "1 dose"}
    for at, amount in cells.items():
        assert any(at in line and f" {amount} " in line for line in lines), (at, amount, lines)


def _readme_bullet(command: str) -> str:
    """The README's JSON-output bullets that name ``command`` (its own, and e.g. "Conflicts in
    `day --json`")."""
    text = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    section = text[text.index("### JSON output") :]
    section = section[: section.find("\n### ", 10)]
    bullets = ["- " + part for part in section.split("\n- ")[1:]]
    return "\n".join(b for b in bullets if f"`{command} " in b or f"`{command}`" in b)


def _keys(value: object, depth: int = 2) -> set[str]:
    """The keys of a JSON value, to ``depth`` levels (lists: their items')."""
    if depth == 0:
        return set()
    if isinstance(value, list):
        return set().union(*(_keys(item, depth) for item in value)) if value else set()
    if isinstance(value, dict):
        found = {key for key in value if not key[:1].isdigit()}
        for key, inner in value.items():
            if key not in NUTRIENT_KEYS and not key[:1].isdigit():
                found |= _keys(inner, depth - 1)
        return found
    return set()


@pytest.mark.parametrize(
    "command",
    [["day", "--json"], ["suggest", "--json"], ["status", "--json"], ["plan-day", "--json"], ["week", "--json"],
     ["foods", "search", "milk", "--json"], ["supplements", "list", "--json"], ["profile", "show", "--json"],
     ["regimen", "show", "--json"], ["meal", "list", "--json"], ["recipe", "list", "--json"]],
)  # fmt: skip
def test_every_key_a_json_command_prints_is_documented_in_the_readme(cli, command: list[str]) -> None:
    cli("profile", "set", "--sex", "female", "--birth-date", "1962-04-12", "--weight", "60kg")
    cli("log", "food", "01077", "--portion", "1 cup", "--at", "8am")
    cli("log", "food", "11458", "--grams", "90", "--at", "8:10am")
    cli("meal", "save", "usual", "--date", "today", "--meal", "breakfast")
    cli("regimen", "add", "medication", "alendronate", "--frequency", "weekly", "--at", "6:30")
    cli("recipe", "add", "Porridge", "--servings", "2", "--item", "08120:80", "--item", "01077:300")
    code, out, _ = cli(*command)
    assert code == 0
    name = (
        " ".join(command[:2])
        if command[0] in ("foods", "supplements", "profile", "regimen", "meal", "recipe")
        else command[0]
    )
    documented = set(re.findall(r"`([a-z_0-9]+)`", _readme_bullet(name)))
    produced = _keys(json.loads(out)) - set(NUTRIENT_KEYS) - {"vitamin_k_total_mcg"}
    assert produced - documented == set(), (
        f"{' '.join(command)} prints keys the README does not name: {sorted(produced - documented)}"
    )


_RUN_WITH_A_TEARDOWN_MARK = (
    "import atexit, sys; atexit.register(lambda: print('torn down', file=sys.stderr)); "
    "sys.argv = ['bonecoach', *sys.argv[1:]]; from bonecoach.cli.main import run; run()"
)


def test_a_subcommand_ends_at_once_with_everything_said_and_stored(tmp_path: Path) -> None:
    """``run`` (the installed command) ends a subcommand's process without the interpreter's
    teardown (~20 ms a command, issue 35): its output is whole, its entry is on disk, a usage
    error keeps its status and message; the app's path (no subcommand) ends as usual."""
    db = tmp_path / "db"

    def bonecoach(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-c", _RUN_WITH_A_TEARDOWN_MARK, "--db", str(db), *args],
                              capture_output=True, text=True, timeout=60)  # fmt: skip

    assert bonecoach("profile", "set", "--sex", "female", "--birth-date", "1958-06-01").returncode == 0
    logged = bonecoach("log", "food", "01077", "--grams", "100")
    assert logged.returncode == 0 and "Milk" in logged.stdout and "torn down" not in logged.stderr
    found = bonecoach("foods", "search", "cheese", "--limit", "200", "--json")
    assert found.returncode == 0 and len(json.loads(found.stdout)) > 100  # every line of a long answer
    day = json.loads(bonecoach("day", "--json").stdout)
    assert [entry["ref"] for entry in day["entries"]] == ["01077"]
    wrong = bonecoach("day", "--bogus")
    assert wrong.returncode == 2 and "unrecognized arguments: --bogus" in wrong.stderr
    assert "torn down" not in wrong.stderr
    app = bonecoach()  # no terminal: the app says so and ends as Python does
    assert app.returncode == 2 and "torn down" in app.stderr
    # Under a profiler (cProfile, coverage) a subcommand ends as Python does: their reports are
    # written at exit.
    profiled = subprocess.run(
        [sys.executable, "-c", "import sys; sys.setprofile(lambda *a: None); " + _RUN_WITH_A_TEARDOWN_MARK,
         "--db", str(db), "day", "--json"], capture_output=True, text=True, timeout=60)  # fmt: skip
    assert profiled.returncode == 0 and "torn down" in profiled.stderr and json.loads(profiled.stdout)["entries"]
