"""How commands print: JSON for scripts, one line per entry, and files written for the user only."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from bonecoach.domain.models import Entry
from bonecoach.domain.names import display_name, fit


def print_json(data: Any) -> None:
    """Print JSON for scripts: stable key order, UTF-8."""
    print(json.dumps(data, indent=2, ensure_ascii=False, default=_json_default))


def _json_default(value: object) -> object:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    return str(value)


def amount_text(value: float | None, unit: str) -> str:
    """``1,234.5 mg``, or ``unknown`` for a value not known."""
    return "unknown" if value is None else f"{value:,.1f} {unit}"


def entry_line(entry: Entry) -> str:
    """One logged entry as a line: time, meal, name, amount, calcium and its id."""
    amount = entry.amount_text()
    calcium = entry.nutrients.calcium_mg
    calcium_text = "" if entry.kind == "medication" else "Ca ?" if calcium is None else f"Ca {calcium:.0f} mg"
    name = fit(display_name(entry.name), 48)
    return f"{entry.at:%H:%M}  {entry.meal.value:<11} {name:<48} {amount:<16} {calcium_text}  [{entry.id}]"


def write_output(text: str, output: str | None, what: str) -> None:
    """To a file readable only by the user (written atomically), or to standard output."""
    from bonecoach.services.data import write_user_file

    if output:
        target = write_user_file(Path(output), text)
        print(f"{what} written to {target} (readable only by you).")
    else:
        sys.stdout.write(text)
