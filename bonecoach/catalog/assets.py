"""Where the shipped assets live and how a broken one is reported."""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from bonecoach.domain.errors import InputError

Model = TypeVar("Model", bound=BaseModel)


def assets_dir() -> Path:
    """The folder of shipped assets.

    In an installed wheel the assets are package data (``bonecoach/assets``). In a source
    checkout (an editable install) they are the repository's top-level ``assets/``.
    """
    packaged = Path(__file__).resolve().parents[1] / "assets"  # bonecoach/assets (importlib.resources: ~2 ms)
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "assets"


def describe_validation_error(path: Path | str, error: ValidationError, limit: int = 8) -> str:
    """One line per problem, each naming the file and the field, e.g. ``rules.json: rules.3.id``."""
    lines = []
    for problem in error.errors()[:limit]:
        where = ".".join(str(part) for part in problem["loc"]) or "(top level)"
        lines.append(f"{path}: {where}: {problem['msg']}")
    extra = error.error_count() - limit
    if extra > 0:
        lines.append(f"{path}: ... and {extra} more problems")
    return "\n".join(lines)


def load_json_model(path: Path, model: type[Model]) -> Model:
    """Read ``path`` and validate it as ``model``; any problem becomes an ``InputError``."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror or exc}).") from exc
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: is not UTF-8 text ({exc.reason} at byte {exc.start}).") from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}: not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}.") from exc
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise InputError(describe_validation_error(path, exc)) from exc


VALIDATED_NAME = "validated.json"
"""The shipped assets' content digests as recorded once they validated (``tools/record_validated.py``)."""


def content_digest(text: str) -> str:
    """The SHA-256 of a file's text, as recorded in ``validated.json``."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@cache
def recorded_digests() -> dict[str, str]:
    """The recorded digests of the shipped assets (none if the record is missing or unreadable)."""
    try:
        found = json.loads((assets_dir() / VALIDATED_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in found.items()} if isinstance(found, dict) else {}


def load_recorded(path: Path, model: type[Model]) -> Model:
    """``load_json_model``, faster for a shipped asset recorded as validated.

    For a model of plain fields (``model_construct`` builds no nested models) whose validation
    leaves the data as it is. A shipped asset whose text is exactly the one recorded in
    ``validated.json`` (the tests check the record against the files, validate each file whole
    and compare the result) is built without validating it again; any other file, or a shipped
    one that changed since, is validated whole as always.
    """
    text = recorded_text(path)
    if text is None:
        return load_json_model(path, model)  # validated whole; says what is wrong with it
    return model.model_construct(**json.loads(text))


def recorded_text(path: Path) -> str | None:
    """The text of ``path`` if it is a shipped asset with exactly the text recorded as validated
    (``validated.json``), else None (the caller then validates it whole)."""
    shipped = path.parent == assets_dir() and recorded_digests().get(path.name)
    if not shipped:
        return None
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    return text if content_digest(text) == shipped else None
