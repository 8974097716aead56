"""What people who live in a terminal expect (issue 32): tab completion, a man page, install lines."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from bonecoach.cli.main import GROUPS, build_parser, main

ROOT = Path(__file__).resolve().parents[1]


def every_command() -> dict[str, list[str]]:
    """Each command word and the words of its subcommands, from the parser."""
    found: dict[str, list[str]] = {}
    parser = build_parser()
    (commands,) = [a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction"]
    for name, sub in commands.choices.items():  # type: ignore[attr-defined]
        nested = [a for a in sub._actions if a.__class__.__name__ == "_SubParsersAction"]
        found[name] = [word for action in nested for word in action.choices]  # type: ignore[attr-defined]
    return found


@pytest.mark.parametrize("shell", ["bash", "zsh"])
def test_a_completion_script_names_every_command_and_subcommand(shell: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["completion", shell]) == 0
    script = capsys.readouterr().out
    commands = every_command()
    assert set(commands) == set(GROUPS)
    for command, subcommands in commands.items():
        assert re.search(rf"(?<![\w-]){re.escape(command)}(?![\w-])", script), command
        for word in subcommands:
            assert re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", script), (command, word)


def test_the_bash_script_is_valid_bash(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["completion", "bash"]) == 0
    script = tmp_path / "bonecoach.bash"
    script.write_text(capsys.readouterr().out)
    checked = subprocess.run(["bash", "-n", str(script)], capture_output=True, text=True, timeout=30)
    assert checked.returncode == 0, checked.stderr


def test_an_unknown_shell_is_refused_with_the_choices(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["completion", "fish"])
    assert exited.value.code == 2 and "bash" in capsys.readouterr().err


def test_the_man_page_is_generated_from_the_parser_and_current() -> None:
    checked = subprocess.run([sys.executable, str(ROOT / "tools" / "build_man.py"), "--check"],
                             capture_output=True, text=True, timeout=60)  # fmt: skip
    assert checked.returncode == 0, checked.stderr
    page = (ROOT / "man" / "bonecoach.1").read_text()
    for command in GROUPS:
        assert command.replace("-", "\\-") in page, command


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_the_wheel_installs_the_man_page(tmp_path: Path) -> None:
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp_path), str(ROOT)],
                           capture_output=True, text=True, timeout=540)  # fmt: skip
    assert built.returncode == 0, built.stderr
    (wheel,) = tmp_path.glob("bonecoach-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert any(name.endswith(".data/data/share/man/man1/bonecoach.1") for name in names), names[-10:]


def test_the_readme_shows_the_install_lines() -> None:
    readme = (ROOT / "README.md").read_text()
    for line in ("pipx install .", "uv tool install .", "bonecoach completion bash", "man bonecoach"):
        assert line in readme, line


# -- the theme kept between runs ----------------------------------------------------------------


@pytest.fixture
def own_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A config folder of the test's own: a theme chosen here reaches no other test."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    return tmp_path / "config"


@pytest.mark.usefixtures("own_config")
async def test_the_chosen_theme_is_kept_for_the_next_run(profiled: object) -> None:
    from bonecoach.storage.user_settings import settings_path
    from bonecoach.tui.app import make_app

    app = make_app(profiled)  # type: ignore[arg-type]
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.theme != "nord"
        app.theme = "nord"  # as the palette's "Change theme" does
        await pilot.pause()
    assert settings_path().stat().st_mode & 0o077 == 0  # only the user can read it
    again = make_app(profiled)  # type: ignore[arg-type]
    async with again.run_test(size=(80, 24)):
        assert again.theme == "nord"


@pytest.mark.parametrize("content", [b"{not json", b'{"theme": "no-such-theme"}', b'{"theme": "\\u001b[2J"}',
                                     b"[" * 100_000, b'{"theme": 7}', b"x" * 10_000])  # fmt: skip
@pytest.mark.usefixtures("own_config")
async def test_a_bad_settings_file_gives_the_default_theme_and_says_why(profiled: object, content: bytes) -> None:
    from bonecoach.storage.user_settings import settings_path
    from bonecoach.tui.app import make_app

    path = settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    app = make_app(profiled)  # type: ignore[arg-type]
    said: list[str] = []
    original = app.notify
    app.notify = lambda message, **kw: (said.append(message), original(message, **kw))  # type: ignore[method-assign,assignment,func-returns-value]
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.theme == "textual-dark"
    assert any(str(path) in m or "theme" in m for m in said), said
