"""An unexpected error in the app: the traceback goes to a 0600 log, a short message says that
what was confirmed is on disk and where the details are, and the exit status is not 0."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest


class _Crashed:
    """What ``run_app`` sees of an app that stopped on an unexpected error."""

    def __init__(self, log: Path | None) -> None:
        self.return_code = 1
        self.crash_log = log
        self.open_error = None
        self.coach = None
        self.restore_message = None

    def run(self) -> None:
        return None


def test_the_traceback_goes_to_a_private_log_not_the_terminal(tmp_path: Path, monkeypatch) -> None:
    from bonecoach.tui.crash import print_or_divert

    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))

    class App:
        def __init__(self) -> None:
            self._exception = RuntimeError("boom in a pane")
            self._exit_renderables = ["Traceback (most recent call last): ... RuntimeError: boom in a pane"]

    app = App()
    printed: list[str] = []
    print_or_divert(app, lambda: printed.append("printed"))
    assert printed == [] and app._exit_renderables == []
    log = app.crash_log  # type: ignore[attr-defined]
    assert log.parent == tmp_path / "state" / "bonecoach" and "boom in a pane" in log.read_text()
    assert stat.S_IMODE(log.stat().st_mode) == 0o600


def test_a_plain_exit_message_is_still_printed(monkeypatch) -> None:
    from bonecoach.tui.crash import print_or_divert

    class App:
        def __init__(self) -> None:
            self._exception = None
            self._exit_renderables = ["Bye"]

    printed: list[str] = []
    print_or_divert(App(), lambda: printed.append("printed"))
    assert printed == ["printed"]


def test_a_crash_exits_non_zero_and_says_what_it_means(tmp_path: Path, monkeypatch, capsys) -> None:
    # The app used to exit 0 with a traceback over the terminal.
    import sys

    from bonecoach.tui import app as app_module
    from bonecoach.tui import launch, signals

    log = tmp_path / "crash-20261204-101500.log"
    monkeypatch.setattr(app_module, "make_app", lambda **_: _Crashed(log))
    monkeypatch.setattr(signals, "install", lambda app: None)
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    code = launch.run_app(str(tmp_path / "db"))
    err = capsys.readouterr().err
    assert code == 70
    assert "Every change it had confirmed is on disk" in err and str(log) in err


@pytest.mark.parametrize("problem", ["Permission denied"])
def test_when_the_log_cannot_be_written_the_message_says_so(problem: str) -> None:
    from bonecoach.tui.crash import crash_message

    assert "could not be saved (Permission denied)" in crash_message(None, problem)
