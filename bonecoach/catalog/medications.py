"""Loading the shipped medication list (``medications.json``).

Apart from the conflict rules (``catalog.rules``): a command that shows bone status needs the
medicines, not the rule models.
"""

from pathlib import Path

from pydantic import ConfigDict, Field

from bonecoach.catalog.assets import assets_dir, load_json_model
from bonecoach.domain.base import Model
from bonecoach.domain.models import Medication


class MedicationsFile(Model):
    """The layout of ``medications.json``."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    schema_version: int = Field(alias="schema")
    note: str = ""
    medications: list[Medication]


def load_medications(path: Path | None = None) -> list[Medication]:
    """The shipped medication list."""
    return load_json_model(path or assets_dir() / "medications.json", MedicationsFile).medications
