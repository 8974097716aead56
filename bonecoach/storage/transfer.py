"""Export everything, and import our own export into an empty database (a lossless round trip).

The export holds the profile, your products, foods, sets, meals, recipes, scans, labs, settings
and every entry, in a stable order, with no timestamps of its own: export, import into an empty
database, export again gives the same bytes.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from pydantic import ValidationError

from bonecoach.domain.errors import InputError
from bonecoach.domain.models import Entry
from bonecoach.domain.nutrient_info import NUTRIENT_KEYS
from bonecoach.storage.repository import SCHEMA_VERSION, Repository

FORMAT = "bonecoach-export"
TABLES = (
    "profile",
    "supplements",
    "custom_foods",
    "supplement_sets",
    "settings",
    "scans",
    "labs",
    "saved_meals",
    "recipes",
)


def export_data(repo: Repository) -> dict[str, Any]:
    """Everything stored, as plain data in a stable order."""
    tables = {
        name: [dict(doc) for doc in sorted(repo.meta_table(name).all(), key=lambda d: d.doc_id)] for name in TABLES
    }
    entries = [e.model_dump(mode="json") for e in repo.all_entries()]
    return {"format": FORMAT, "schema_version": SCHEMA_VERSION, "tables": tables, "entries": entries}


def export_json(repo: Repository) -> str:
    """The export as JSON text."""
    return json.dumps(export_data(repo), ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def export_csv(repo: Repository) -> str:
    """Every entry, one row each, with its own nutrient values (unknown left empty)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["date", "time", "meal", "kind", "id", "ref", "name", "grams", "doses", "portion", *NUTRIENT_KEYS])
    for e in repo.all_entries():
        values = ["" if v is None else f"{v:g}" for v in e.nutrients.as_dict().values()]
        writer.writerow([f"{e.at:%Y-%m-%d}", f"{e.at:%H:%M}", e.meal.value, e.kind, e.id, e.ref, e.name,
                         "" if e.grams is None else f"{e.grams:g}", "" if e.doses is None else f"{e.doses:g}", e.portion or "", *values])  # fmt: skip
    return out.getvalue()


def import_json(repo: Repository, text: str, source: str) -> int:
    """Load an export into an empty database; everything is checked before anything is written."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{source}: not valid JSON: {exc.msg} at line {exc.lineno}.") from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise InputError(f"{source}: not a bonecoach export.")
    if data.get("schema_version") != SCHEMA_VERSION:
        raise InputError(
            f"{source}: written by schema {data.get('schema_version')!r}; this bonecoach reads {SCHEMA_VERSION}."
        )
    if repo.all_entries() or repo.profile() is not None:
        raise InputError("Import goes into an empty database only (use --db with a new folder); nothing was changed.")
    tables = data.get("tables")
    if (
        not isinstance(tables, dict)
        or set(tables) - set(TABLES)
        or not all(isinstance(v, list) for v in tables.values())
    ):
        raise InputError(f"{source}: 'tables' must map {', '.join(TABLES)} to lists.")
    entries = []
    for number, raw in enumerate(data.get("entries") or []):
        try:
            entries.append(Entry.model_validate(raw))
        except ValidationError as exc:
            problem = exc.errors()[0]
            raise InputError(
                f"{source}: entries.{number}.{'.'.join(map(str, problem['loc']))}: {problem['msg']}"
            ) from None
    try:
        repo.validate_tables(tables)
    except ValidationError as exc:
        problem = exc.errors()[0]
        raise InputError(f"{source}: tables: {'.'.join(map(str, problem['loc']))}: {problem['msg']}") from None
    repo.load_tables(tables)
    if entries:
        repo.add_entries(entries)
    return len(entries)
