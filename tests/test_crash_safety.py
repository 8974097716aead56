"""Processes killed mid-write, two writers at once, and a closed terminal: nothing acknowledged is lost."""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import random
import select
import shutil
import signal
import subprocess
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from bonecoach.domain.models import Entry, MealSlot
from bonecoach.domain.nutrients import Nutrients
from bonecoach.storage.repository import Repository
from tests.conftest import lock_is_free

FORK = multiprocessing.get_context("fork")


def _entry(entry_id: str, n: int) -> Entry:
    # Spread over three months so month files are created, grown and rewritten.
    at = datetime(2026, 9, 1, 8) + timedelta(hours=(7 * n) % (24 * 120))
    return Entry(id=entry_id, at=at, kind="food", ref="01077", name="Milk", meal=MealSlot.breakfast, grams=100,
                 nutrients=Nutrients(calcium_mg=113))  # fmt: skip


def _writer(root: str, run: int, acks: multiprocessing.connection.Connection) -> None:
    repo = Repository(Path(root), lock_wait=10)
    n = 0
    while True:
        entry_id = f"r{run}-{n}"
        repo.add_entry(_entry(entry_id, run * 1000 + n))
        acks.send(entry_id)  # only after add_entry returned: the entry is durably on disk
        n += 1


def _all_ids(root: Path) -> set[str]:
    repo = Repository(root, readonly=True)
    repo.verify()  # every file parses and every entry validates
    return {e.id for e in repo.entries_between(date(2000, 1, 1), date(2100, 1, 1))}


@pytest.mark.slow
def test_sigkill_at_random_moments_loses_nothing_acknowledged(tmp_path: Path) -> None:
    root = tmp_path / "db"
    Repository(root, auto_backup=False).close()
    rng = random.Random(20261125)
    acknowledged: set[str] = set()
    kills = 200
    for run in range(kills):
        receive, send = FORK.Pipe(duplex=False)
        child = FORK.Process(target=_writer, args=(str(root), run, send))
        child.start()
        send.close()
        time.sleep(rng.uniform(0.0, 0.03))
        os.kill(child.pid, signal.SIGKILL)  # type: ignore[arg-type]
        child.join()
        while receive.poll():
            try:
                acknowledged.add(receive.recv())
            except EOFError:
                break
        receive.close()
        stored = _all_ids(root)
        missing = acknowledged - stored
        assert not missing, f"after kill {run + 1}: lost {sorted(missing)[:5]}"
    print(f"\n{kills} kills survived; {len(acknowledged)} acknowledged entries, 0 lost; {len(_all_ids(root))} stored")
    leftovers = [p.name for p in root.rglob(".*.tmp")]
    assert len(leftovers) <= 1, leftovers  # at most the one write in flight at the last kill


def _burst(root: str, who: str, count: int) -> None:
    for n in range(count):
        repo = Repository(Path(root), lock_wait=20)
        repo.add_entry(_entry(f"{who}-{n}", n))
        repo.close()


@pytest.mark.slow
def test_two_processes_writing_at_once_lose_nothing(tmp_path: Path) -> None:
    root = tmp_path / "db"
    Repository(root).close()
    workers = [FORK.Process(target=_burst, args=(str(root), who, 40)) for who in ("a", "b")]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
        assert worker.exitcode == 0
    assert _all_ids(root) == {f"{who}-{n}" for who in ("a", "b") for n in range(40)}


def test_a_second_process_is_refused_while_one_holds_the_database(tmp_path: Path) -> None:
    root = tmp_path / "db"
    holder = Repository(root)
    before = (root / "meta.json").read_bytes()
    result = subprocess.run(
        [sys.executable, "-m", "bonecoach", "--db", str(root), "profile", "set", "--sex", "female", "--birth-date", "1960-01-01"],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    holder.close()
    assert result.returncode == 3 and "open in another bonecoach" in result.stderr and "Traceback" not in result.stderr
    assert (root / "meta.json").read_bytes() == before


def _app_in_pty(db: Path) -> tuple[int, int]:
    import pty

    pid, master = pty.fork()
    if pid == 0:  # the child: the app, in a terminal of its own
        os.environ["TERM"] = "xterm-256color"
        os.execv(sys.executable, [sys.executable, "-m", "bonecoach", "--db", str(db)])
    return pid, master


def _seed(db: Path) -> None:
    repo = Repository(db)
    from bonecoach.services.coach import Coach

    Coach(repo).set_profile("female", date(1962, 4, 12))
    repo.close()


def _wait_until_locked(db: Path, seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            Repository(db).close()
        except Exception:
            return  # the app holds the lock: it is up
        time.sleep(0.1)
    raise AssertionError("the app did not start")


def _gone_within(pid: int, seconds: float) -> int | None:
    """The process's wait status if it ended within ``seconds``; else kill it and return ``None``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return status
        time.sleep(0.01)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)  # just killed: returns at once
    return None


@pytest.fixture(scope="module")
def ten_years(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A ten-year history (about 49,000 entries), made once for the start-up tests."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    from generate import generate  # type: ignore[import-not-found]

    db = tmp_path_factory.mktemp("ten-years") / "db"
    generate(db, 10, datetime.now().replace(second=0, microsecond=0))
    return db


MOMENTS = [0.05, 0.15, 0.3, 0.45, 0.6, 0.8, 1.0, 1.25, 1.5, 2.5]  # seconds after launch


@pytest.mark.slow
@pytest.mark.parametrize("how", ["close the terminal", "SIGTERM"])
def test_the_app_ends_within_a_second_whenever_its_terminal_closes(ten_years: Path, how: str) -> None:
    ended = []
    for moment in MOMENTS:
        pid, master = _app_in_pty(ten_years)
        deadline = time.monotonic() + moment
        while time.monotonic() < deadline:  # keep reading, as a terminal does, until the moment
            ready, _, _ = select.select([master], [], [], max(0.0, deadline - time.monotonic()))
            if ready:
                with contextlib.suppress(OSError):
                    os.read(master, 65536)
        if how == "SIGTERM":
            os.kill(pid, signal.SIGTERM)
            status = _gone_within(pid, 1.5)
            os.close(master)
        else:
            os.close(master)  # what closing a terminal window does: the app gets SIGHUP
            status = _gone_within(pid, 2.0)
        assert status is not None, f"{how} at {moment} s: still running"
        assert lock_is_free(ten_years), f"{how} at {moment} s: the lock is still held"
        ended.append(moment)
    assert ended == MOMENTS
    Repository(ten_years).close()  # the files open cleanly afterwards


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_killing_the_tmux_terminal_keeps_every_logged_entry(tmp_path: Path) -> None:
    db = tmp_path / "db"
    _seed(db)
    session = f"bc{os.getpid()}"
    env = {**os.environ, "TERM": "xterm-256color"}
    command = f"{sys.executable} -m bonecoach --db {db}"
    subprocess.run(["tmux", "new-session", "-d", "-s", session, "-x", "100", "-y", "30", command], check=True, env=env)
    try:
        _wait_until_locked(db)
        time.sleep(1.5)
        keys = ["F3", "cheddar", "Enter", "BSpace", "BSpace", "BSpace", "BSpace", "BSpace", "3", "0", "Enter"]
        for key in keys:
            subprocess.run(["tmux", "send-keys", "-t", session, key], check=True)
            time.sleep(0.3)
        time.sleep(1.0)
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], check=False)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        try:
            Repository(db).close()
            break
        except Exception:
            time.sleep(0.2)
    repo = Repository(db, readonly=True)
    entries = repo.entries_between(date(2000, 1, 1), date(2100, 1, 1))
    assert [e.ref for e in entries] == ["01009"], entries


# A long computation that holds the interpreter in one C call (as a big validation or a garbage
# collection does), run where the app computes the week (a worker thread): no Python code, a signal
# handler or a watchdog thread included, runs until it ends.
HOLDS_THE_INTERPRETER = """
import re, sys
from bonecoach.services.coach import Coach
real = Coach.week_review
def slow(self, monday):
    re.match(r"(a+)+$", "a" * 26 + "b")  # about 3 s in one C call on the machine this was written on
    return real(self, monday)
Coach.week_review = slow
from bonecoach.cli.main import main
sys.exit(main(["--db", sys.argv[1]]))
"""


def _read_for(master: int, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], max(0.0, deadline - time.monotonic()))
        if ready:
            with contextlib.suppress(OSError):
                os.read(master, 65536)


@pytest.mark.slow
@pytest.mark.parametrize("busy", [False, True])
def test_sigterm_ends_the_app_within_half_a_second_whatever_it_is_doing(ten_years: Path, busy: bool) -> None:
    """Issue 37 item 2: after a ten-year history has loaded, and while a long computation holds the
    interpreter, SIGTERM ends the app within half a second and the lock goes with it."""
    import pty

    pid, master = pty.fork()
    if pid == 0:
        os.environ["TERM"] = "xterm-256color"
        os.execv(sys.executable, [sys.executable, "-c", HOLDS_THE_INTERPRETER, str(ten_years)])
    try:
        _read_for(master, 4.0)  # loaded: Today's figures drawn, the background checks done
        if busy:
            os.write(master, b"\x1b[18~")  # F7: the week, computed in a worker
            _read_for(master, 0.4)
        os.kill(pid, signal.SIGTERM)
        started = time.monotonic()
        status = _gone_within(pid, 0.5)
        took = time.monotonic() - started
    finally:
        os.close(master)
    assert status is not None, f"still running {took:.2f} s after SIGTERM"
    assert lock_is_free(ten_years)
