"""Export everything, and import our own export into an empty database (a lossless round trip).

The export holds the profile, your products, foods, sets, meals, recipes, scans, labs, settings
and every entry, in a stable order, with no timestamps of its own: export, import into an empty
database, export again gives the same bytes.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from bonecoach.domain.amounts import entry_problem
from bonecoach.domain.errors import InputError
from bonecoach.domain.models import Entry
from bonecoach.domain.nutrient_info import NUTRIENT_KEYS
from bonecoach.storage.layout import META_FILE
from bonecoach.storage.migrations import SCHEMA_VERSION, migrate, place_session_tables
from bonecoach.storage.repository import Repository
from bonecoach.storage.switch import Staging
from bonecoach.storage.tables import files_problem, month_problem, table_models

FORMAT = "bonecoach-export"
# Every table but the schema document: the undo trash too, so that a round trip loses nothing.
TABLES = tuple(name for name in table_models() if name != "meta")
# Tables of one document (kept under id 1); the others are lists of records.
SINGLE = ("profile", "regimen", "exercise_setup", "session_in_progress")


def export_data(repo: Repository) -> dict[str, Any]:
    """Everything stored, as plain data in a stable order."""
    meta = repo.meta_tables()
    tables = {name: [meta[name][key] for key in sorted(meta.get(name, {}), key=int)] for name in TABLES}
    entries = [e.model_dump(mode="json") for e in repo.all_entries()]
    return {"format": FORMAT, "schema_version": SCHEMA_VERSION, "tables": tables, "entries": entries}


def export_json(repo: Repository) -> str:
    """The export as JSON text."""
    return json.dumps(export_data(repo), ensure_ascii=False, indent=1, sort_keys=True) + "\n"


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: str) -> str:
    """A text cell a spreadsheet will not run: one starting like a formula is prefixed with an
    apostrophe (OWASP's CSV-injection advice). Numbers are left as they are."""
    if value.startswith(_FORMULA_START):
        try:
            float(value)
        except ValueError:
            return "'" + value
    return value


def export_csv(repo: Repository) -> str:
    """Every entry, one row each, with its own nutrient values (unknown left empty); no cell
    starts like a spreadsheet formula."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["date", "time", "meal", "kind", "id", "ref", "name", "grams", "doses", "portion", *NUTRIENT_KEYS])
    for e in repo.all_entries():
        values = ["" if v is None else f"{v:g}" for v in e.nutrients.as_dict().values()]
        writer.writerow([f"{e.at:%Y-%m-%d}", f"{e.at:%H:%M}", e.meal.value, e.kind, _cell(e.id), _cell(e.ref), _cell(e.name),
                         "" if e.grams is None else f"{e.grams:g}", "" if e.doses is None else f"{e.doses:g}",
                         _cell(e.portion or ""), *values])  # fmt: skip
    return out.getvalue()


def _reject_constant(name: str) -> float:
    raise InputError(f"{name} is not a number a measurement can have.")


def _check(model: type[BaseModel], doc: object, where: str) -> Any:
    """``doc`` as ``model``, or an ``InputError`` naming the field the way the file does."""
    if not isinstance(doc, dict):
        raise InputError(f"{where}: is not a record. Nothing was imported.")
    try:
        return model.model_validate(doc)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = "".join(f".{part}" for part in first["loc"])
        raise InputError(f"{where}{field}: {first['msg']}. Nothing was imported.") from None


def _meta_of(tables: object, version: int, source: str) -> dict[str, dict[str, Any]]:
    """The export's tables as meta.json's documents, each checked by its model (the session
    tables go on to sessions.json: ``place_session_tables``)."""
    if not isinstance(tables, dict) or not all(isinstance(v, list) for v in tables.values()):
        raise InputError(f"{source}: 'tables' must map table names ({', '.join(TABLES)}) to lists.")
    unknown = sorted(set(tables) - set(TABLES) - {"settings"})
    if unknown:
        raise InputError(f"{source}: tables: unknown table {unknown[0][:40]!r}.")
    meta: dict[str, dict[str, Any]] = {"meta": {"1": {"schema_version": version, "created": "import"}}}
    for name, docs in tables.items():
        if name in SINGLE and len(docs) > 1:
            raise InputError(f"{source}: tables.{name}: holds {len(docs)} documents; it has one.")
        for number, doc in enumerate(docs):
            _check(table_models()[name], doc, f"{source}: tables.{name}.{number}")
        if docs:
            meta[name] = {str(n): doc for n, doc in enumerate(docs, start=1)}
    return meta


def _checked_entry(raw: object, number: int, seen: set[object], source: str, today: date) -> tuple[str, object]:
    """An exported entry checked as a typed one would be: its time text and its id."""
    at, entry_id = (raw.get("at"), raw.get("id")) if isinstance(raw, dict) else (None, None)
    if not isinstance(at, str) or len(at) < 7:
        raise InputError(f"{source}: entries.{number}.at: must be a local date and time such as 2026-11-24T08:00:00.")
    entry = _check(Entry, raw, f"{source}: entries.{number}")
    problem = entry_problem(entry, today)
    if problem:
        raise InputError(f"{source}: entries.{number}.{problem}. Nothing was imported.")
    if entry_id in seen:
        raise InputError(f"{source}: entries.{number}.id: {str(entry_id)[:40]!r} appears twice.")
    return at, entry_id


def _files_of(data: dict[str, Any], version: int, source: str, today: date) -> dict[str, dict[str, Any]]:
    """The export as database files (as a backup holds them), brought up to this schema."""
    meta = _meta_of(data.get("tables"), version, source)
    raw_entries = data.get("entries") or []
    if not isinstance(raw_entries, list):
        raise InputError(f"{source}: 'entries' must be a list.")
    files: dict[str, dict[str, Any]] = {"meta.json": meta}
    seen: set[object] = set()
    for number, raw in enumerate(raw_entries):
        at, entry_id = _checked_entry(raw, number, seen, source, today)
        seen.add(entry_id)
        month = files.setdefault(f"entries/{at[:7]}.json", {"entries": {}})["entries"]
        month[str(len(month) + 1)] = raw
    try:
        return place_session_tables(migrate(files, version, SCHEMA_VERSION))
    except (AttributeError, TypeError, KeyError) as exc:
        raise InputError(f"{source}: not a bonecoach export of schema {version} ({exc}).") from None


def _duplicate_ids(meta: dict[str, dict[str, Any]]) -> str | None:
    for name in ("supplements", "custom_foods", "scans", "labs", "fractures", "saved_meals", "recipes"):
        ids = [doc.get("id") for doc in meta.get(name, {}).values()]
        twice = next((i for i in ids if ids.count(i) > 1), None)
        if twice is not None:
            return f"tables.{name}: id {str(twice)[:40]!r} appears twice"
    return None


def import_json(repo: Repository, text: str, source: str, today: date) -> int:
    """Load an export into an empty database as one change; the whole file is checked first, by
    the same models and limits as typed input, and nothing is written unless all of it passes."""
    return _import_data(repo, _parsed(text, source), source, today)


def import_json_file(repo: Repository, path: Path, today: date) -> int:
    """``import_json`` of a file. An export as bonecoach writes it (its entries in time order) is
    read and checked an entry at a time, each month staged as it completes, so that memory stays
    that of a month, not of the file; anything else is read whole, with the same checks and
    messages. Either way nothing is written unless all of it passes."""
    # Tried only on a database with no month file and no profile (a glob, not a read of every
    # entry); the whole read decides any other case, as it always has.
    if not repo.month_keys() and repo.profile() is None:
        try:
            return _import_streamed(repo, path, today)
        except _ReadWhole:
            pass
    text = read_import_file(path)
    data = _parsed(text, str(path))
    del text  # as large again as everything parsed from it, and not needed after
    return _import_data(repo, data, str(path), today)


class _ReadWhole(Exception):
    """The file is not laid out as bonecoach writes an export: read it whole instead."""


class _Reader:
    """JSON values read one at a time from a file, holding about a megabyte of its text."""

    CHUNK = 1 << 20
    LOOKAHEAD = 1 << 16  # a value is decoded with this much text after it (or the file's end)

    def __init__(self, handle: io.TextIOBase) -> None:
        self.handle, self.buffer, self.pos, self.eof = handle, "", 0, False
        self.decoder = json.JSONDecoder(parse_constant=_reject_constant)

    def _more(self) -> bool:
        chunk = "" if self.eof else self.handle.read(self.CHUNK)
        self.eof = not chunk
        if chunk:
            self.buffer, self.pos = self.buffer[self.pos :] + chunk, 0
        return bool(chunk)

    def take(self, mark: str) -> bool:
        """Skip white space; consume ``mark`` if it comes next."""
        while True:
            while self.pos < len(self.buffer) and self.buffer[self.pos] in " \t\r\n":
                self.pos += 1
            if self.pos < len(self.buffer) or not self._more():
                break
        if self.buffer.startswith(mark, self.pos):
            self.pos += len(mark)
            return True
        return False

    def value(self) -> Any:
        """The next JSON value (``_ReadWhole`` if there is none here)."""
        self.take("")
        while len(self.buffer) - self.pos < self.LOOKAHEAD and self._more():
            pass
        try:
            found, self.pos = self.decoder.raw_decode(self.buffer, self.pos)
        except (json.JSONDecodeError, InputError, RecursionError):
            raise _ReadWhole from None  # bad JSON or a NaN: read whole, whose message names the line
        return found

    def rest(self) -> str:
        """Everything not read yet."""
        return self.buffer[self.pos :] + self.handle.read()


def _import_streamed(repo: Repository, path: Path, today: date) -> int:
    source = str(path)
    try:
        handle = path.open(encoding="utf-8-sig")
    except OSError:
        raise _ReadWhole from None
    with handle, repo.replacing_all("import") as staging:
        try:
            return _stage_entries(_Reader(handle), staging, source, today, repo.clock())
        except UnicodeDecodeError:
            raise _ReadWhole from None  # not UTF-8: said as a whole read says it


def _stage_entries(reader: _Reader, staging: Staging, source: str, today: date, created: datetime) -> int:
    """Check and stage every entry, month by month, then the tables (dated ``created``); the
    number of entries."""
    if not (reader.take("{") and reader.value() == "entries" and reader.take(":") and reader.take("[")):
        raise _ReadWhole
    seen: set[object] = set()
    staged: set[str] = set()
    month: dict[str, Any] = {}
    month_key, number = "", 0

    def stage_month() -> None:
        doc = {"entries": month}
        problem = month_problem(doc, month_key, today)
        if problem:
            raise InputError(f"{source}: entries/{month_key}.json: {problem}. Nothing was imported.")
        staging.add(f"entries/{month_key}.json", doc)
        staged.add(month_key)

    while number or not reader.take("]"):  # an empty list ends at once
        raw = reader.value()
        at, entry_id = _checked_entry(raw, number, seen, source, today)
        if at[:7] != month_key:
            if at[:7] in staged:
                raise _ReadWhole  # not in time order: grouped by month only when read whole
            if month:
                stage_month()
            month_key, month = at[:7], {}
        month[str(len(month) + 1)] = raw
        seen.add(entry_id)
        number += 1
        if reader.take("]"):
            break
        if not reader.take(","):
            raise _ReadWhole
    if month:
        stage_month()
    rest = reader.rest().lstrip()
    try:
        others = json.loads("{" + rest[1:] if rest.startswith(",") else rest, parse_constant=_reject_constant)
    except (json.JSONDecodeError, InputError, RecursionError):
        raise _ReadWhole from None
    if not isinstance(others, dict) or others.get("format") != FORMAT or others.get("schema_version") != SCHEMA_VERSION:
        raise _ReadWhole  # another program's file, or an older schema to migrate: read whole
    tables = place_session_tables({META_FILE: _meta_of(others.get("tables"), SCHEMA_VERSION, source)})
    found = files_problem(tables)
    problem = found[1] if found else _duplicate_ids(tables[META_FILE])
    if problem:
        raise InputError(f"{source}: {problem}. Nothing was imported.")
    tables[META_FILE]["meta"]["1"] = {"schema_version": SCHEMA_VERSION, "created": created.isoformat()}
    for relative, doc in tables.items():
        staging.add(relative, doc)
    return number


def read_import_file(path: Path) -> str:
    """The text of a file to import (UTF-8, a byte-order mark dropped), or why it cannot be read."""
    try:
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot be read ({exc}).") from exc


def _parsed(text: str, source: str) -> Any:
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise InputError(f"{source}: not valid JSON: {exc.msg} at line {exc.lineno}.") from exc
    except RecursionError:
        raise InputError(f"{source}: nested too deeply to be a bonecoach export; nothing was imported.") from None
    except InputError as exc:
        raise InputError(f"{source}: {exc} Nothing was imported.") from None


def _import_data(repo: Repository, data: Any, source: str, today: date) -> int:
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise InputError(f"{source}: not a bonecoach export.")
    version = data.get("schema_version")
    if not isinstance(version, int) or not 1 <= version <= SCHEMA_VERSION:
        raise InputError(f"{source}: written by schema {version!r}; this bonecoach reads 1 to {SCHEMA_VERSION}.")
    if repo.all_entries() or repo.profile() is not None:
        raise InputError("Import goes into an empty database only (use --db with a new folder); nothing was changed.")
    files = _files_of(data, version, source, today)
    problem = files_problem(files, today) or (
        None if (dup := _duplicate_ids(files["meta.json"])) is None else ("", dup)
    )
    if problem is not None:
        where, why = problem
        shown = "" if where in ("", "meta.json") else f"{where}: "
        raise InputError(f"{source}: {shown}{why}. Nothing was imported.")
    files["meta.json"]["meta"]["1"] = {"schema_version": SCHEMA_VERSION, "created": repo.clock().isoformat()}
    repo.replace_all(files, "import")
    return sum(len(doc["entries"]) for name, doc in files.items() if name.startswith("entries/"))
