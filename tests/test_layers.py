"""The domain layer stays pure: no Textual, no TinyDB, no clock or file access."""

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
        "print(','.join(sorted(n for n in sys.modules if n.startswith(heavy))))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert result.stdout.strip() == ""
