"""Read commands answered from a kept answer (``storage.kept_answers``, ``cli.kept``): a kept
answer always equals a fresh computation, is used when nothing changed, and is not trusted when
planted, damaged or from another day."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bonecoach.cli.main import main
from bonecoach.storage import kept_answers
from bonecoach.storage.paths import derived_dir

START = datetime(2026, 11, 25, 7, 45)
READS = [
    ["day"], ["day", "--json"], ["day", "yesterday"], ["day", "2026-11-24", "--json"], ["week"], ["week", "--json"],
    ["week", "2026-11-18"], ["status"], ["status", "--json"], ["plan-day"], ["plan-day", "tomorrow", "--json"],
]  # fmt: skip


class Cli:
    """The command line over the test database, at a clock the test moves (``now``)."""

    def __init__(self, db_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.db_dir, self.capsys, self.now = db_dir, capsys, [START]

    def __call__(self, *args: str) -> tuple[int, str, str]:
        code = main(["--db", str(self.db_dir), *args])
        out, err = self.capsys.readouterr()
        return code, out, err


@pytest.fixture
def cli(db_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Cli:
    from bonecoach.cli import context, next_command

    invoke = Cli(db_dir, capsys)
    monkeypatch.setattr(context, "CLOCK", lambda: invoke.now[0])
    monkeypatch.setattr(next_command, "CLOCK", lambda: invoke.now[0])
    assert invoke("profile", "set", "--sex", "female", "--birth-date", "1958-06-01")[0] == 0
    return invoke


def _change(cli, db_dir: Path, step: str, n: int) -> None:
    """One change a person (or something else) makes between two reads."""
    at = f"{7 + n % 12:02d}:{(7 * n) % 60:02d}"
    if step == "food":
        cli("log", "food", ["01077", "11458", "20077"][n % 3], "--grams", str(50 + 10 * n), "--at", at)
    elif step == "supplement":
        cli("log", "supplement", "calcium-citrate-315", "--at", at)
    elif step == "medication":
        cli("log", "medication", "alendronate", "--at", at)
    elif step == "yesterday":
        cli("log", "food", "01077", "--grams", "100", "--at", f"yesterday {at}")
    elif step == "undo":
        cli("undo")
    elif step == "profile":
        cli("profile", "set", "--sex", "female", "--birth-date", f"19{50 + n % 20}-06-01")
    elif step == "scan":
        cli(
            "scan",
            "add",
            "--date",
            "2026-10-0" + str(1 + n % 9),
            "--site",
            "total_hip",
            "--tscore",
            f"-{1 + n % 3}.{n % 10}",
        )
    elif step == "lab":
        cli("lab", "add", "--date", "2026-11-01", "--test", "25ohd", "--value", str(15 + n), "--unit", "ng/mL")
    elif step == "fracture":
        cli("fracture", "add", "--site", "wrist", "--date", "2024-03-01", "--low-trauma", "yes")
    elif step == "regimen":
        cli("regimen", "add", *[("supplement", "calcium-carbonate-500"), ("medication", "levothyroxine"),
                                ("medication", "alendronate")][n % 3])  # fmt: skip
    elif step == "times":
        cli("regimen", "times", "--wake", f"0{5 + n % 4}:{(10 * n) % 60:02d}")
    elif step == "next day":
        cli.now[0] += timedelta(days=1)
    elif step == "rewrite":  # the same data, written differently (a sync tool, an editor)
        meta = db_dir / "meta.json"
        meta.write_text(json.dumps(json.loads(meta.read_text(encoding="utf-8")), indent=1), encoding="utf-8")
    elif step == "sync copy":  # a sync tool's conflict copy: read commands say that it waits
        meta = db_dir / "meta.json"
        (db_dir / f"meta (conflicted copy 2026-11-2{n % 10} 101500).json").write_bytes(meta.read_bytes())
    elif step == "tamper":  # the kept answers edited by someone without the key
        path = derived_dir(db_dir) / kept_answers.ANSWERS_NAME
        if path.exists():
            path.write_text(path.read_text(encoding="utf-8").replace("Calcium", "Calcium 9999"), encoding="utf-8")


steps = st.lists(
    st.tuples(
        st.sampled_from(["food", "supplement", "medication", "yesterday", "undo", "profile", "scan", "lab",
                         "fracture", "regimen", "times", "next day", "next day", "rewrite", "sync copy", "tamper", "nothing",
                         "nothing"]),
        st.sampled_from(READS),
    ),
    min_size=1,
    max_size=8,
)  # fmt: skip


@pytest.mark.slow
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps)
def test_a_kept_answer_always_equals_a_fresh_computation(
    cli, db_dir: Path, history: list[tuple[str, list[str]]]
) -> None:
    """Answers kept at earlier steps stay for later ones: each read is answered as the command
    would (kept or computed) and compared with a computation that sees no kept answer."""
    cli.now[0] = START
    kept = derived_dir(db_dir) / kept_answers.ANSWERS_NAME
    kept.unlink(missing_ok=True)
    before: list[str] = []
    for n, (step, words) in enumerate(history):
        _change(cli, db_dir, step, n)
        # This step's read, the last step's (kept before the change) and a third of the others.
        for read in (words, before, *READS[n % 3 :: 3]):
            if not read:
                continue
            answered = cli(*read)
            saved = kept.read_bytes() if kept.exists() else None
            kept.unlink(missing_ok=True)
            fresh = cli(*read)
            if saved is not None:
                kept.write_bytes(saved)
            assert answered == fresh, (step, read)
        before = words


def test_an_unchanged_read_is_answered_without_opening_the_database(cli, db_dir: Path, monkeypatch) -> None:
    cli("log", "food", "01077", "--grams", "244", "--at", "07:30")
    first = cli("day")
    kept = derived_dir(db_dir) / kept_answers.ANSWERS_NAME
    assert kept.stat().st_mode & 0o777 == 0o600
    from bonecoach.cli import context

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the database was opened although nothing changed")

    monkeypatch.setattr(context, "open_coach", refuse)
    assert cli("day") == first
    monkeypatch.undo()  # restores the clock too: set it again
    from bonecoach.cli import next_command

    monkeypatch.setattr(context, "CLOCK", lambda: START)
    monkeypatch.setattr(next_command, "CLOCK", lambda: START)
    cli("log", "food", "01077", "--grams", "100", "--at", "08:00")
    changed = cli("day")
    assert changed != first


def test_an_answer_is_not_kept_while_a_change_is_under_way_or_from_another_day(cli, db_dir: Path) -> None:
    cli("day")
    assert kept_answers.read(db_dir, ["day"], START.date()) is not None
    assert kept_answers.read(db_dir, ["day"], START.date() + timedelta(days=1)) is None
    assert kept_answers.read(db_dir, ["day", "--json"], START.date()) is None
    (db_dir / ".switch.json").write_text("{}", encoding="utf-8")
    assert kept_answers.read(db_dir, ["day"], START.date()) is None


def test_a_planted_answer_is_not_used(cli, db_dir: Path) -> None:
    honest = cli("day")
    path = derived_dir(db_dir) / kept_answers.ANSWERS_NAME
    kept = json.loads(path.read_text(encoding="utf-8"))
    (entry,) = kept.values()
    entry["output"] = "\x1b]0;owned\x07Calcium 5000 mg\n"
    path.write_text(json.dumps(kept), encoding="utf-8")
    assert cli("day") == honest


def test_a_kept_answer_is_printed_without_loading_the_models(db_dir: Path) -> None:
    """The point of keeping it: no pydantic, no services beyond the kept file's own."""
    import subprocess
    import sys

    code = (
        "import sys, io, contextlib; from bonecoach.cli.main import main\n"
        f"out = io.StringIO()\nwith contextlib.redirect_stdout(out): status = main(['--db', {str(db_dir)!r}, 'day'])\n"
        "print(status, 'pydantic' in sys.modules, out.getvalue().count('Calcium'))"
    )
    run = [sys.executable, "-c", code]
    assert main(["--db", str(db_dir), "profile", "set", "--sex", "female", "--birth-date", "1958-06-01"]) == 0
    first = subprocess.run(run, capture_output=True, text=True, timeout=60, check=True).stdout.split()
    second = subprocess.run(run, capture_output=True, text=True, timeout=60, check=True).stdout.split()
    assert first == ["0", "True", "1"]  # computed: the models were needed
    assert second == ["0", "False", "1"]  # kept
