"""Preset supplement products and the DRI table, as shipped."""

from pathlib import Path

from pydantic import ConfigDict, Field

from bonecoach.catalog.assets import assets_dir, load_json_model
from bonecoach.domain.base import Model
from bonecoach.domain.models import Supplement
from bonecoach.domain.targets import TargetTable


class SupplementsFile(Model):
    """The layout of ``supplements.json``."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    schema_version: int = Field(alias="schema")
    note: str
    supplements: list[Supplement]


def load_supplements(path: Path | None = None) -> list[Supplement]:
    """The preset products, validated."""
    data = load_json_model(path or assets_dir() / "supplements.json", SupplementsFile)
    ids = [item.id for item in data.supplements]
    duplicates = sorted({item for item in ids if ids.count(item) > 1})
    if duplicates:
        from bonecoach.domain.errors import InputError

        raise InputError(f"{path or 'supplements.json'}: duplicate supplement ids: {', '.join(duplicates)}")
    return data.supplements


def load_targets(path: Path | None = None) -> TargetTable:
    """The DRI table, validated."""
    return load_json_model(path or assets_dir() / "targets.json", TargetTable)
