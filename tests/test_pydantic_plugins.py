"""pydantic's plugins are off in bonecoach's processes (bonecoach.pydantic_plugins): no plugin
installed beside it sees a record, and no command pays for their discovery (issue 35)."""

from __future__ import annotations
import __future__

import ast
import importlib
import os
import pkgutil
import subprocess
import sys
from pathlib import Path

import pydantic
import pytest
from pydantic import BaseModel

import bonecoach
from bonecoach.pydantic_plugins import LOADER, switch_off

SPY = """
import os

class Spy:
    def new_schema_validator(self, schema, schema_type, path, kind, config, settings):
        with open(os.environ["SPY_FILE"], "a") as seen:
            seen.write(f"{path.name}\\n")
        return None, None, None

plugin = Spy()
"""


def _plant_plugin(folder: Path) -> None:
    """A pydantic plugin installed as any package would be: its module and its entry point."""
    folder.mkdir()
    (folder / "spy_plugin.py").write_text(SPY)
    info = folder / "spy_plugin-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: spy-plugin\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text("[pydantic]\nspy = spy_plugin:plugin\n")


def test_no_pydantic_plugin_sees_a_record(tmp_path: Path) -> None:
    """A plugin installed beside bonecoach would see every validated record: health data."""
    _plant_plugin(tmp_path / "site")
    spy_file = tmp_path / "seen.txt"
    path = os.pathsep.join(filter(None, [str(tmp_path / "site"), os.environ.get("PYTHONPATH")]))
    env = {**os.environ, "PYTHONPATH": path, "SPY_FILE": str(spy_file)}
    env.pop("PYDANTIC_DISABLE_PLUGINS", None)  # this test process's own switch is not inherited
    # The planted plugin works: a plain pydantic model is shown to it.
    plain = "from pydantic import BaseModel\nclass Plain(BaseModel):\n    x: int\nPlain(x=1)"
    subprocess.run([sys.executable, "-c", plain], env=env, check=True, timeout=60)
    assert spy_file.read_text().split() == ["Plain"]
    spy_file.unlink()
    db = str(tmp_path / "db")
    for words in (["profile", "set", "--sex", "female", "--birth-date", "1958-06-01", "--tscore", "-2.6"],
                  ["log", "food", "01077", "--grams", "250"], ["day"]):  # fmt: skip
        done = subprocess.run([sys.executable, "-m", "bonecoach", "--db", db, *words], env=env, timeout=60,
                              capture_output=True, text=True, cwd=tmp_path)  # fmt: skip
        assert done.returncode == 0, done.stderr
    assert not spy_file.exists(), spy_file.read_text()


def test_a_command_imports_no_package_metadata(tmp_path: Path) -> None:
    """The plugins' discovery imported importlib.metadata at the first validator (~10 ms)."""
    code = (
        "import sys\nfrom bonecoach.cli.main import main\n"
        f"assert main(['--db', {str(tmp_path / 'db')!r}, 'profile', 'set', '--sex', 'male', '--birth-date', '1950-01-01']) == 0\n"
        f"assert main(['--db', {str(tmp_path / 'db')!r}, 'day']) == 0\n"
        "print('importlib.metadata' in sys.modules)"
    )  # fmt: skip
    env = {key: value for key, value in os.environ.items() if key != "PYDANTIC_DISABLE_PLUGINS"}
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=env)
    assert found.returncode == 0, found.stderr
    assert found.stdout.strip().splitlines()[-1] == "False"


def test_the_stand_in_offers_what_pydantic_takes_from_its_loader(monkeypatch: pytest.MonkeyPatch) -> None:
    """A pydantic release that takes more from its loader fails here, not in a user's command.
    The stand-in is made afresh: this process may have loaded pydantic's own loader first."""
    taken: set[str] = set()
    for path in Path(pydantic.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").endswith("_loader"):
                taken.update(alias.name for alias in node.names)
    assert taken, "pydantic no longer imports from its plugin loader: bonecoach.pydantic_plugins is stale"
    monkeypatch.delitem(sys.modules, LOADER, raising=False)
    monkeypatch.setenv("PYDANTIC_DISABLE_PLUGINS", "__all__")  # put back as it was after the test
    switch_off()
    stand_in = sys.modules[LOADER]
    assert getattr(stand_in, "__file__", None) is None  # the stand-in, not pydantic's module
    assert [name for name in sorted(taken) if not hasattr(stand_in, name)] == []
    assert list(stand_in.get_plugins()) == []


def test_modules_with_models_do_not_postpone_their_annotations() -> None:
    """pydantic turns each postponed (string) annotation back into a type when it creates the
    class: a compile and an eval per field, ~12 ms of every command over bonecoach's models.
    A model module therefore keeps its annotations as types (quoting only names not yet defined)."""
    postponed = []
    for info in pkgutil.walk_packages(bonecoach.__path__, "bonecoach."):
        module = importlib.import_module(info.name)
        has_models = any(isinstance(value, type) and issubclass(value, BaseModel) and value.__module__ == info.name
                         for value in vars(module).values())  # fmt: skip
        if has_models and getattr(module, "annotations", None) is __future__.annotations:
            postponed.append(info.name)
    assert postponed == []


def test_no_model_field_makes_its_empty_default_with_a_builtin_factory() -> None:
    """``default_factory=list`` (or dict, set) made pydantic read the builtin's signature from its
    text at each validator built, to learn whether the factory takes the validated data: ~0.3 ms
    a field, 5 ms of ``day``. pydantic copies a mutable default for each instance, so an empty
    default is ``Field(default=[])``; the test also checks that it is not shared."""
    builtin_factories = []
    for info in pkgutil.walk_packages(bonecoach.__path__, "bonecoach."):
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, BaseModel) and value.__module__ == info.name:
                builtin_factories += [f"{value.__qualname__}.{name}" for name, field in value.model_fields.items()
                                      if field.default_factory in (list, dict, set)]  # fmt: skip
    assert builtin_factories == []
    from bonecoach.domain.rules import RuleFile

    first, second = RuleFile(), RuleFile()
    first.disable.append("calcium-iron")
    assert second.disable == [] and RuleFile.model_fields["disable"].default == []
