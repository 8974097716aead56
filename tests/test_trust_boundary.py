"""The database folder as a trust boundary (storage.guard): whatever is planted in it (a journal,
a lock, a link, a kept list, a record of checked files) moves, changes or deletes nothing outside
it, is refused with exit 2 or 3 and a message naming the file, and prints no control byte."""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
import tempfile
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bonecoach.cli import context, next_command
from bonecoach.cli.main import main
from bonecoach.domain.next_up import NextItem
from bonecoach.services.coach import Coach
from bonecoach.storage import backup, next_cache
from bonecoach.storage.checked import CheckedRecord, _code_stamp
from bonecoach.storage.repository import Repository
from bonecoach.storage.switch import JOURNAL, STAGING

NOW = datetime(2026, 11, 25, 20, 0)
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _seed(db: Path) -> None:
    repo = Repository(db)
    coach = Coach(repo, clock=lambda: NOW)
    coach.set_profile("female", date(1962, 4, 12))
    coach.log_food("01077", grams=100, at="8am")
    repo.close()


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A home with the person's own files beside the database folder ``home/db``."""
    monkeypatch.setattr(context, "CLOCK", lambda: NOW)
    monkeypatch.setattr(next_command, "CLOCK", lambda: NOW)
    _make_home(tmp_path)
    return tmp_path


def _make_home(root: Path) -> None:
    (root / ".bashrc").write_text("mine\n")
    (root / "thesis.txt").write_text("five years of work\n")
    elsewhere = root / "elsewhere"
    elsewhere.mkdir(mode=0o755)
    (elsewhere / "daily-2020-01-01.json").write_text("not a backup, someone's file")
    (elsewhere / ".notes.tmp").write_text("someone's notes")
    (elsewhere / "meta.json").write_text("their meta")
    _seed(root / "db")


def outside(root: Path) -> dict[str, object]:
    """Everything outside the database folder: paths, kinds, modes, contents, link targets."""
    found: dict[str, object] = {}
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if relative.parts[0] == "db":
            continue
        info = os.lstat(path)
        if stat.S_ISLNK(info.st_mode):
            found[str(relative)] = ("link", os.readlink(path))
        elif stat.S_ISREG(info.st_mode):
            found[str(relative)] = ("file", stat.S_IMODE(info.st_mode), path.read_bytes())
        else:
            found[str(relative)] = ("other", stat.S_IFMT(info.st_mode), stat.S_IMODE(info.st_mode))
    return found


def run(db: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        code = main(["--db", str(db), *args])
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def journal(db: Path, **fields: object) -> None:
    base: dict[str, object] = {"label": "import", "started": "2026-11-25T19:00:00", "phase": "place", "aside": None,
                               "files": ["entries/2026-11.json"]}  # fmt: skip
    (db / JOURNAL).write_text(json.dumps(base | fields))


READS = (["next", "--line"], ["day"], ["export", "--format", "json"])
WRITE = ["log", "food", "01077", "--grams", "50", "--at", "9am"]


# -- 1. the journal names only what bonecoach writes ---------------------------------------------


@pytest.mark.parametrize("command", [*READS, WRITE])
def test_a_journal_naming_a_file_outside_is_refused_and_moves_nothing(home: Path, capsys, command) -> None:
    db = home / "db"
    (db / STAGING / "entries").mkdir(parents=True)
    (db / ".bashrc").write_text("evil\n")  # what "../.bashrc" in the staging folder's parent resolves to
    journal(db, files=["../.bashrc", "../../.bashrc"])
    before = outside(home)
    code, _out, err = run(db, capsys, *command)
    assert code == 3 and str(db / JOURNAL) in err and "not a journal bonecoach wrote" in err, err
    assert outside(home) == before
    assert (home / ".bashrc").read_text() == "mine\n"


def test_a_journal_moving_the_database_out_of_the_folder_is_refused(home: Path, capsys) -> None:
    db = home / "db"
    (db / STAGING / "entries").mkdir(parents=True)
    journal(db, phase="aside", aside=str(home / "elsewhere"), files=["meta.json"])
    code, _out, err = run(db, capsys, *WRITE)
    assert code == 3 and "never makes" in err, err
    assert (db / "meta.json").is_file() and sorted(os.listdir(home / "elsewhere")) == [
        ".notes.tmp", "daily-2020-01-01.json", "meta.json"]  # fmt: skip


def test_an_aside_journal_whose_staged_files_are_missing_empties_nothing(home: Path, capsys) -> None:
    db = home / "db"
    (db / STAGING / "entries").mkdir(parents=True)
    journal(db, phase="aside", aside="import-20261125-190000-000000", files=["meta.json", "entries/2026-11.json"])
    code, _out, err = run(db, capsys, *WRITE)
    assert code == 3 and "missing" in err, err
    assert "completed" not in err
    assert (db / "meta.json").is_file() and (db / "entries" / "2026-11.json").is_file()
    assert not (db / "import-20261125-190000-000000").exists()


def test_read_only_commands_leave_a_pending_change_for_the_next_write(home: Path, capsys) -> None:
    db = home / "db"
    month = json.loads((db / "entries" / "2026-11.json").read_text())
    staged = dict(month, entries={**month["entries"], "2": {**month["entries"]["1"], "id": "staged-one"}})
    (db / STAGING / "entries").mkdir(parents=True)
    (db / STAGING / "entries" / "2026-11.json").write_text(json.dumps(staged))
    journal(db)
    for command in READS:
        code, _out, err = run(db, capsys, *command)
        assert code == 0 and "not finished yet" in err, (command, err)
        assert (db / JOURNAL).exists() and (db / STAGING / "entries" / "2026-11.json").exists()
    code, _out, err = run(db, capsys, *WRITE)
    assert code == 0 and "completed" in err, err
    assert not (db / JOURNAL).exists()
    assert "staged-one" in (db / "entries" / "2026-11.json").read_text()


# -- 2. the lock is never followed, never truncated through a link ----------------------------------


@pytest.mark.parametrize("target", ["meta.json", "../thesis.txt"])
def test_a_lock_that_is_a_link_truncates_nothing(home: Path, capsys, target: str) -> None:
    db = home / "db"
    meta_before = (db / "meta.json").read_bytes()
    (db / ".lock").unlink(missing_ok=True)
    (db / ".lock").symlink_to(target)
    code, _out, err = run(db, capsys, *WRITE)
    assert code == 3 and str(db / ".lock") in err and "a link" in err, err
    assert (home / "thesis.txt").read_text() == "five years of work\n"
    assert (db / "meta.json").read_bytes() == meta_before


@pytest.mark.parametrize("kind", ["fifo", "folder"])
def test_a_lock_that_is_a_pipe_or_a_folder_is_refused(home: Path, capsys, kind: str) -> None:
    db = home / "db"
    (db / ".lock").unlink(missing_ok=True)
    os.mkfifo(db / ".lock") if kind == "fifo" else (db / ".lock").mkdir()
    code, _out, err = run(db, capsys, *WRITE)
    assert code == 3 and str(db / ".lock") in err, err
    code, _out, err = run(db, capsys, "day")  # reads take no lock: they still work
    assert code == 0, err


# -- 3. links to other folders ------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["backups", "entries"])
def test_a_linked_folder_is_refused_and_nothing_there_is_deleted_or_chmodded(home: Path, capsys, name: str) -> None:
    db = home / "db"
    real = db / name
    if real.exists():
        for child in real.iterdir():
            child.unlink()
        real.rmdir()
    real.symlink_to(home / "elsewhere")
    before = outside(home)
    code, _out, err = run(db, capsys, *WRITE)
    assert code == 3 and str(real) in err and "a link" in err, err
    assert outside(home) == before


# -- 4 and 5. derived files cannot speak or vouch -----------------------------------------------------


def _planted_list(db: Path) -> dict[str, object]:
    hostile = NextItem(at="20:30", kind="medication", ref="x", name="\x1b]0;pwned\x07\x1b[2JTake 10 tablets now")
    return {"fingerprint": next_cache.fingerprint(db, NOW.date()), "items": [hostile.to_json()]}


def test_a_planted_next_up_list_is_not_printed(home: Path, capsys) -> None:
    db = home / "db"
    planted = json.dumps(_planted_list(db))
    (db / ".next-up.json").write_text(planted)  # where older versions kept it: ignored
    next_cache.cache_path(db).parent.mkdir(parents=True, exist_ok=True)
    next_cache.cache_path(db).write_text(planted)  # where it is kept: unsigned, not used
    code, out, err = run(db, capsys, "next", "--line")
    assert code == 0, err
    assert "Take 10 tablets" not in out and not CONTROL.search(out), out


def test_a_kept_list_is_cleaned_when_read_back(home: Path, capsys) -> None:
    db = home / "db"
    planted = _planted_list(db)
    items = [NextItem.from_json(item) for item in planted["items"]]  # type: ignore[attr-defined]
    assert not CONTROL.search(items[0].name) and "Take 10 tablets now" in items[0].name
    with pytest.raises((TypeError, ValueError)):
        NextItem.from_json({**planted["items"][0], "at": "x"})  # type: ignore[index]


def test_a_planted_checked_record_does_not_vouch_for_a_planted_meta(home: Path, capsys) -> None:
    db = home / "db"
    meta = json.loads((db / "meta.json").read_text())
    meta["scans"] = {"1": {"id": "s1", "date": "2026-01-01", "site": "lumbar_spine", "t_score": -60}}
    meta["unknown_table"] = {"1": {"x": 1}}
    text = json.dumps(meta)
    (db / "meta.json").write_text(text)
    plain = hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()  # what a plain record held
    record = json.dumps({"code": _code_stamp(), "files": {"meta.json": plain}})
    (db / ".checked.json").write_text(record)  # where older versions kept it
    CheckedRecord(db).path.write_text(record)
    code, _out, err = run(db, capsys, "profile", "set", "--sex", "female")
    assert code == 3 and "damaged" in err, err
    code, out, err = run(db, capsys, "export", "--format", "json")
    assert code == 3 and "-60" not in out, err


# -- 6. hostile states end as exit 2 or 3, and the offered recovery works -----------------------------


def test_a_staging_link_or_a_journal_naming_a_folder_says_what_to_do(home: Path, capsys) -> None:
    db = home / "db"
    (db / STAGING).symlink_to(home / "elsewhere")
    code, _out, err = run(db, capsys, *WRITE)
    assert code == 3 and str(db / STAGING) in err and "move it out" in err, err
    assert run(db, capsys, "day")[0] == 0
    (db / STAGING).unlink()
    journal(db, files=["entries"])
    code, _out, err = run(db, capsys, *WRITE)
    assert code == 3 and "'entries'" in err, err
    (db / JOURNAL).unlink()
    (db / JOURNAL).mkdir()
    code, _out, err = run(db, capsys, *WRITE)
    assert code == 3 and "a folder" in err, err


def test_deeply_nested_json_to_import_is_refused(tmp_path: Path, capsys) -> None:
    crafted = tmp_path / "deep.json"
    crafted.write_text('{"format": "bonecoach-export", "entries": ' + "[" * 100_000 + "]" * 100_000 + "}")
    code, _out, err = run(tmp_path / "new", capsys, "import", "json", str(crafted), "--yes")
    assert code == 2 and "deep.json" in err, err


def test_a_read_only_disk_is_said_plainly(home: Path, capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    from bonecoach.storage import guard

    real_open = os.open

    def read_only_disk(path, flags, *args):  # type: ignore[no-untyped-def]
        if flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))
        return real_open(path, flags, *args)

    monkeypatch.setattr(guard.os, "open", read_only_disk)
    code, _out, err = run(home / "db", capsys, *WRITE)
    monkeypatch.undo()
    assert code == 3 and "Read-only file system" in err, err


def test_a_damaged_journal_can_be_mended_by_the_restore_it_is_offered(home: Path, capsys) -> None:
    db = home / "db"
    code, _out, err = run(db, capsys, *WRITE)  # the day's first write makes the rotating backups
    assert code == 0, err
    (db / JOURNAL).write_text("{not json")
    code, _out, err = run(db, capsys, *WRITE)
    assert code == 3 and "backup restore" in err, err
    name = re.search(r"bonecoach backup restore (\S+)", err)[1]  # type: ignore[index]
    code, _out, err = run(db, capsys, "backup", "restore", name)
    assert code == 0, err
    assert not (db / JOURNAL).exists() and any(p.name.startswith(".switch-set-aside-") for p in db.iterdir())
    assert run(db, capsys, *WRITE)[0] == 0


def test_rotation_goes_by_the_date_in_the_name_and_keeps_future_backups(home: Path) -> None:
    db = home / "db"
    folder = db / "backups"
    folder.mkdir(exist_ok=True)
    for day in range(1, 9):
        (folder / f"daily-2027-12-0{day}.json").write_text("{}")  # one run with the clock a year ahead
    written = backup.ensure_rotating_backups(db, NOW.date(), NOW)
    assert all(path.exists() for path in written)
    assert (folder / f"daily-{NOW.date()}.json").exists()  # today's backup is not rotated out
    assert len(list(folder.glob("daily-2027-*.json"))) == 8


# -- the property: nothing outside changes, whatever is planted ---------------------------------------

outside_names = st.sampled_from(["../.bashrc", "../../.bashrc", "/etc/passwd", "../thesis.txt", "../elsewhere",
                                 "entries", "entries/../../thesis.txt", "meta.json", "entries/2026-11.json",
                                 "backups/x.json", ".lock", "", ".", "..", "\x1b[2J"])  # fmt: skip
deep = st.integers(1, 200_000).map(lambda n: "[" * n + "]" * n)
huge = st.integers(1, 300_000).map(lambda n: json.dumps({"label": "import", "started": "2026-11-25T19:00:00",
                                                         "phase": "place", "aside": None,
                                                         "files": ["entries/2026-11.json"] * n}))  # fmt: skip
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=12) | outside_names,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8) | outside_names, inner, max_size=4),
    max_leaves=12,
)
journals = st.one_of(
    st.fixed_dictionaries(
        {
            "label": st.sampled_from(["import", "replaced", "x/../y", "\x1b[2J"]),
            "started": st.sampled_from(["2026-11-25T19:00:00", "never"]),
            "phase": st.sampled_from(["aside", "place", "other"]),
            "aside": st.none() | outside_names | st.just("import-20261125-190000-000000"),
            "files": st.lists(outside_names, max_size=4),
        }
    ).map(json.dumps),
    json_values.map(json.dumps),
    deep,
    huge,
    st.binary(max_size=40).map(lambda raw: raw.decode("latin-1")),
)
kinds = st.sampled_from(["absent", "file", "link-out", "link-in", "fifo", "folder"])
link_targets = st.sampled_from(["../thesis.txt", "../.bashrc", "../elsewhere", "meta.json", "/dev/null"])


def _plant(path: Path, kind: str, text: str, target: str) -> None:
    if os.path.lexists(path):
        if path.is_dir() and not path.is_symlink():
            return
        path.unlink()
    if kind == "file":
        path.write_text(text)
    elif kind in ("link-out", "link-in"):
        path.symlink_to(target if kind == "link-out" else "meta.json")
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "folder":
        path.mkdir()


@pytest.mark.slow
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    planted=st.lists(
        st.tuples(st.sampled_from([JOURNAL, ".lock", STAGING, ".next-up.json", ".checked.json", "backups"]),
                  kinds, journals, link_targets),
        min_size=1, max_size=4),
    command=st.sampled_from([*READS, WRITE, ["week"], ["backup", "list"], ["verify"]]),
)  # fmt: skip
def test_nothing_planted_reaches_outside_the_folder_or_the_terminal(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, planted, command
) -> None:
    monkeypatch.setattr(context, "CLOCK", lambda: NOW)
    monkeypatch.setattr(next_command, "CLOCK", lambda: NOW)
    with tempfile.TemporaryDirectory() as scratch:
        home = Path(scratch)
        _make_home(home)
        db = home / "db"
        for name, kind, text, target in planted:
            _plant(db / name, kind, text, target)
        before = outside(home)
        code, out, err = run(db, capsys, *command)
        assert code in (0, 2, 3), err
        assert outside(home) == before
        assert not CONTROL.search(out), out
        assert "Traceback" not in err


def test_a_folder_others_can_write_into_is_refused_by_reads_and_made_private_by_writes(home: Path, capsys) -> None:
    db = home / "db"
    os.chmod(db, 0o770)
    for command in READS:
        code, _out, err = run(db, capsys, *command)
        assert code == 3 and "chmod 700" in err, (command, err)
    code, _out, err = run(db, capsys, *WRITE)
    assert code == 0, err
    assert stat.S_IMODE(os.stat(db).st_mode) == 0o700
    assert run(db, capsys, "day")[0] == 0


@pytest.mark.parametrize("relative", ["meta.json", "sessions.json", "entries/2026-11.json"])
@pytest.mark.parametrize("document", [5, [1, 2], "text", None])
def test_a_stored_document_that_is_not_an_object_is_named_damage_not_a_crash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], relative: str, document: object
) -> None:
    """Every reader took a table's documents for objects: ``{"sessions": {"1": 5}}`` ended
    ``week`` with "unexpected error (TypeError ...)" and a month's ``{"entries": {"1": 5}}`` the
    day's figures."""
    monkeypatch.setattr(context, "CLOCK", lambda: NOW)
    db = tmp_path / "db"
    assert main(["--db", str(db), "profile", "set", "--sex", "female", "--birth-date", "1960-05-01"]) == 0
    assert main(["--db", str(db), "log", "food", "01077", "--grams", "100", "--at", "08:00"]) == 0
    assert main(["--db", str(db), "session", "done", "2026-11-24", "balance"]) == 0
    path = db / relative
    stored = json.loads(path.read_text())
    table = next(iter(sorted(stored)))
    stored[table]["99"] = document
    path.write_text(json.dumps(stored))
    CheckedRecord(db).path.unlink(missing_ok=True)
    capsys.readouterr()
    for words in (["week"], ["day", "2026-11-25"], ["status"]):
        main(["--db", str(db), *words])
        err = capsys.readouterr().err
        assert "unexpected error" not in err, (words, err)
    assert main(["--db", str(db), "week"]) != 0
    assert f"{path.name} is damaged" in capsys.readouterr().err
