"""Write ``man/bonecoach.1`` from the argument parser (argparse-manpage), or check it is current.

    python tools/build_man.py          # write it
    python tools/build_man.py --check  # exit 1 if the committed page differs from the parser

The wheel installs the page as ``share/man/man1/bonecoach.1`` (pyproject.toml, shared-data), so
``man bonecoach`` works after ``pip install``, ``pipx install`` or ``uv tool install``.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PAGE = ROOT / "man" / "bonecoach.1"


def render(on: date) -> str:
    """The man page as troff, dated ``on``."""
    from argparse_manpage.manpage import Manpage

    from bonecoach import __version__
    from bonecoach.cli.main import build_parser

    data = {"prog": "bonecoach", "version": __version__, "date": on.isoformat(), "manual_title": "bonecoach manual",
            "description": "a keyboard-first terminal coach for rebuilding bone density", "url": "",
            "manual_section": "1"}  # fmt: skip
    return str(Manpage(build_parser(), _data=data))


def without_date(page: str) -> str:
    """The page less its title line (which carries the date it was written)."""
    return "\n".join(line for line in page.splitlines() if not line.startswith(".TH "))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check that the committed page is current")
    args = parser.parse_args()
    fresh = render(date.today())
    if args.check:
        current = PAGE.read_text(encoding="utf-8") if PAGE.exists() else ""
        if without_date(current) != without_date(fresh):
            print(f"{PAGE} is out of date: run python tools/build_man.py", file=sys.stderr)
            return 1
        return 0
    PAGE.write_text(fresh, encoding="utf-8")
    print(f"wrote {PAGE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
