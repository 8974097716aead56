"""The domain layer stays pure: no Textual, no TinyDB, no clock or file access."""

import ast
import subprocess
import sys
from pathlib import Path

DOMAIN = Path(__file__).parents[1] / "bonecoach" / "domain"


def test_domain_imports_neither_textual_nor_tinydb() -> None:
    code = (
        "import sys, pkgutil, importlib, bonecoach.domain as d\n"
        "for m in pkgutil.iter_modules(d.__path__): importlib.import_module('bonecoach.domain.' + m.name)\n"
        "bad = sorted(n for n in sys.modules if n.split('.')[0] in ('textual', 'tinydb', 'platformdirs'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert result.stdout.strip() == ""


def test_domain_never_reads_the_clock_or_files() -> None:
    for path in DOMAIN.glob("*.py"):
        text = path.read_text()
        for forbidden in ("datetime.now(", "date.today(", "open(", "read_text(", "time.time("):
            assert forbidden not in text, f"{path.name} uses {forbidden}"


def test_the_app_draws_before_importing_the_domain() -> None:
    # The first frame is drawn before pydantic, the domain and the database are loaded (about
    # 150 ms at start-up); a top-level import of any of them in these modules would undo that.
    code = (
        "import sys, bonecoach.cli.main, bonecoach.tui.launch, bonecoach.tui.app\n"
        # services.data (opening the database) is imported, light: what it opens with is not.
        "heavy = ('pydantic', 'bonecoach.domain.models', 'bonecoach.services.coach', 'bonecoach.storage.repository')\n"
        # (pydantic's plugin loader stood in for by bonecoach.pydantic_plugins is no module loaded)
        "print(','.join(sorted(n for n, m in sys.modules.items() if n.startswith(heavy) and getattr(m, '__file__', None))))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert result.stdout.strip() == ""


def _public_definitions(path: Path) -> list[tuple[str, ast.AST]]:
    found: list[tuple[str, ast.AST]] = []

    def walk(nodes: list[ast.stmt], prefix: str) -> None:
        for node in nodes:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and not node.name.startswith(
                "_"
            ):
                found.append((f"{path.name}:{prefix}{node.name}", node))
                if isinstance(node, ast.ClassDef):
                    walk(node.body, f"{node.name}.")

    walk(ast.parse(path.read_text(encoding="utf-8")).body, "")
    return found


def test_every_public_class_and_function_of_the_faces_says_what_it_is_for() -> None:
    package = Path(__file__).parent.parent / "bonecoach"
    faces = [*(package / "tui").rglob("*.py"), *(package / "cli").rglob("*.py")]
    missing = [name for path in faces for name, node in _public_definitions(path) if not ast.get_docstring(node)]  # type: ignore[arg-type]
    assert missing == []


def test_the_app_keeps_compose_bindings_navigation_and_start_up_only() -> None:
    # The panes own their forms; the App stays under 250 lines (issue 23).
    source = (Path(__file__).parent.parent / "bonecoach" / "tui" / "app.py").read_text(encoding="utf-8")
    app = next(n for n in ast.parse(source).body if isinstance(n, ast.ClassDef) and n.name == "BonecoachApp")
    assert app.end_lineno is not None and app.end_lineno - app.lineno + 1 < 250


def test_a_module_over_400_lines_says_why_it_is_long() -> None:
    long = []
    for path in (Path(__file__).parent.parent / "bonecoach").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if text.count("\n") > 400 and "because" not in (ast.get_docstring(ast.parse(text)) or ""):
            long.append(path.name)
    assert long == []


def test_nothing_below_the_faces_reads_the_wall_clock() -> None:
    """One clock (issue 33): the domain, the catalog, the storage and the services take the time
    from the clock passed in; only ``bonecoach/clock.py`` reads it."""
    import ast

    root = Path(__file__).resolve().parents[1]
    readers = {("datetime", "now"), ("datetime", "today"), ("datetime", "utcnow"), ("date", "today"),
               ("time", "time"), ("time", "localtime")}  # fmt: skip
    found = []
    for folder in ("domain", "catalog", "storage", "services"):
        for path in sorted((root / "bonecoach" / folder).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                        and (node.value.id, node.attr) in readers):  # fmt: skip
                    found.append(f"{path.relative_to(root)}:{node.lineno} {node.value.id}.{node.attr}")
    assert found == []


def test_the_services_clock_dates_what_the_repository_writes(tmp_path: Path) -> None:
    from datetime import datetime

    from bonecoach.catalog.foods import FoodCatalog
    from bonecoach.services.coach import Coach
    from bonecoach.storage.repository import Repository

    moment = datetime(2031, 3, 4, 5, 6)
    coach = Coach(Repository(tmp_path / "db"), clock=lambda: moment, catalog=FoodCatalog.load())
    coach.set_profile("female", datetime(1962, 4, 12).date())
    entry = coach.log_food("01077", grams=100, at="5:00")
    coach.delete_entry(entry.id)
    trash = coach.repo._table_read("trash")
    assert [doc["deleted_at"] for doc in trash.values()] == ["2031-03-04T05:06:00"]
    assert sorted(p.name for p in (tmp_path / "db" / "backups").iterdir()) == [
        "daily-2031-03-04.json",
        "weekly-2031-W10.json",
    ]


def test_one_level_rank_and_one_close_fraction() -> None:
    """The order of inhibitor levels and what counts as "close" to a target are defined once."""
    import re

    root = Path(__file__).resolve().parents[1] / "bonecoach"
    ranks = [p for p in root.rglob("*.py") if re.search(r"^LEVEL_RANK\b.*=", p.read_text(), re.M)]
    fractions = [p for p in root.rglob("*.py") if re.search(r"^CLOSE_FRACTION\b.*=", p.read_text(), re.M)]
    assert [p.name for p in ranks] == ["models.py"] and [p.name for p in fractions] == ["day.py"]


def test_no_function_in_the_domain_is_over_80_lines() -> None:
    """Issue 33: the planners in named steps; a rule a reader can hold in view."""
    import ast

    long = []
    for path in sorted(DOMAIN.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            size = (node.end_lineno or node.lineno) - node.lineno + 1 if isinstance(node, ast.FunctionDef) else 0
            if size > 80:
                long.append(f"{path.name}:{node.name} ({size} lines)")
    assert long == []
