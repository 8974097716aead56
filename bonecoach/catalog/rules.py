"""Loading conflict rules (shipped and the user's), the medication list, the food tags and the
absorption data (the exercise files are ``catalog.exercises``'s)."""

import functools
import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, TypeVar

from pydantic import ConfigDict, Field, ValidationError

from bonecoach.catalog.assets import assets_dir, describe_validation_error, load_json_model, recorded_text
from bonecoach.catalog.medications import load_medications
from bonecoach.domain.absorption import AbsorptionData, CalciumSalt, LoadEquation
from bonecoach.domain.base import Model
from bonecoach.domain.conflicts import Rule, RuleFile, merge_rules
from bonecoach.domain.errors import InputError
from bonecoach.domain.models import Binder, InhibitorTag, Medication
from bonecoach.domain.text import SourceText

USER_RULES_NAME = "rules.json"


class TagRow(InhibitorTag):
    """One row of ``food_tags.json``: an inhibitor tag on a catalog food."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    food_id: str
    note: str = ""


class PlainWaterRow(Model):
    """A catalog food that is plain water: the one thing a fasting tablet's rule allows."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    food_id: str
    name: str
    note: str = ""
    source: SourceText = Field(min_length=1)


class TagsFile(Model):
    """The layout of ``food_tags.json``."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    schema_version: int = Field(alias="schema")
    note: str = ""
    thresholds: dict[str, Any] = Field(default={})
    tags: list[TagRow]
    plain_water: list[PlainWaterRow] = Field(default=[])


class FoodTags(Mapping[str, tuple[InhibitorTag, ...]]):
    """Inhibitor tags by catalog food id, each food's rows validated when first asked for.

    Why lazily: validating all of ``food_tags.json`` (376 rows) cost every process that logs or
    reviews a day ~20 ms, for the tags of a few foods. The shipped file is recorded as validated
    whole (``validated.json``); its rows have no check that spans rows, so a row validated alone is
    the row validated with the file. Any other file is validated whole first (its fault named)."""

    def __init__(self, path: Path, rows: dict[str, list[tuple[int, Any]]], water: list[Any]) -> None:
        """Over ``rows`` by food id, each with its index in the file's ``tags`` (a ``TagRow``
        once validated, else the raw row), and the raw or validated ``plain_water`` rows."""
        self._path = path
        self._rows = rows
        self._water = water
        self._done: dict[str, tuple[InhibitorTag, ...]] = {}

    def __getitem__(self, food_id: str) -> tuple[InhibitorTag, ...]:
        found = self._done.get(food_id)
        if found is None:
            found = tuple(_as_tag(self._valid(TagRow, f"tags.{at}", row)) for at, row in self._rows[food_id])
            self._done[food_id] = found
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)

    def plain_water(self) -> frozenset[str]:
        """The catalog ids of plain water."""
        return frozenset(
            self._valid(PlainWaterRow, f"plain_water.{at}", row).food_id for at, row in enumerate(self._water)
        )

    def _valid(self, model: type["RowModel"], where: str, row: Any) -> "RowModel":
        if isinstance(row, model):
            return row
        try:
            return model.model_validate(row)
        except ValidationError as exc:
            raise InputError(describe_validation_error(f"{self._path}: {where}", exc)) from exc


RowModel = TypeVar("RowModel", TagRow, PlainWaterRow)


def _as_tag(row: TagRow) -> InhibitorTag:
    # The row is an InhibitorTag validated as such (TagRow subclasses it): not validated twice.
    return InhibitorTag.model_construct(**{name: getattr(row, name) for name in InhibitorTag.model_fields})


def _tags_file(path: Path | None) -> FoodTags:
    """``food_tags.json`` read once per process and version of the file (the tags and the
    plain-water list are both read from it, often by one command)."""
    path = path or assets_dir() / "food_tags.json"
    try:
        stat = path.stat()
    except OSError:
        load_json_model(path, TagsFile)  # says what is wrong with the path
        raise
    return _read_tags(path, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=4)
def _read_tags(path: Path, _mtime_ns: int, _size: int) -> FoodTags:
    text = recorded_text(path)
    if text is None:
        whole = load_json_model(path, TagsFile)  # not the recorded file: validated whole
        raw: dict[str, Any] = {"tags": whole.tags, "plain_water": whole.plain_water}
    else:
        raw = json.loads(text)
    rows: dict[str, list[tuple[int, Any]]] = {}
    for at, row in enumerate(raw["tags"]):
        rows.setdefault(row.food_id if isinstance(row, TagRow) else row["food_id"], []).append((at, row))
    return FoodTags(path, rows, list(raw.get("plain_water", [])))


def load_tags(path: Path | None = None) -> FoodTags:
    """Inhibitor tags by catalog food id."""
    return _tags_file(path)


def load_plain_water(path: Path | None = None) -> frozenset[str]:
    """The catalog ids of plain water (tagged in ``food_tags.json``)."""
    return _tags_file(path).plain_water()


class FoodBindersFile(Model):
    """The layout of ``food_binders.json`` (made by tools/build_binders.py)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    schema_version: int = Field(alias="schema")
    note: str = ""
    sources: dict[str, SourceText]
    foods: dict[str, tuple[Binder, ...]]


def load_food_binders(path: Path | None = None) -> dict[str, tuple[Binder, ...]]:
    """The catalog foods that carry a medicine binder (coffee, tea, grapefruit juice...), by id."""
    return dict(load_json_model(path or assets_dir() / "food_binders.json", FoodBindersFile).foods)


def load_carriers() -> dict[str, tuple[Binder, ...]]:
    """What each shipped medicine, supplement preset and food carries that binds a medicine."""
    from bonecoach.catalog.supplements import load_supplements
    from bonecoach.domain.conflicts import carriers_of

    return carriers_of(load_medications(), load_supplements(), load_food_binders())


def _name_rules(path: Path | str, raw: Any, error: ValidationError) -> str:
    """Problems, each naming the file, the rule (by index and id) and the field."""
    lines = []
    for problem in error.errors()[:12]:
        loc = list(problem["loc"])
        where = ".".join(str(part) for part in loc) or "(top level)"
        if len(loc) >= 2 and loc[0] == "rules" and isinstance(loc[1], int):
            rule_id = "?"
            if isinstance(raw, dict) and isinstance(raw.get("rules"), list) and loc[1] < len(raw["rules"]):
                item = raw["rules"][loc[1]]
                rule_id = str(item.get("id", "?")) if isinstance(item, dict) else "?"
            # Drop the discriminator tag pydantic puts in the path (e.g. "pair_window").
            rest = [
                str(p)
                for p in loc[2:]
                if p not in ("pair_window", "fasting_window", "daily_total", "single_dose", "daily_change")
            ]
            where = f"rule {loc[1]} (id {rule_id!r})" + (f", field {'.'.join(rest)}" if rest else "")
        lines.append(f"{path}: {where}: {problem['msg']}")
    return "\n".join(lines)


def parse_rule_file(path: Path | str, text: str) -> RuleFile:
    """Validate rule-file text; every problem names the file, the rule and the field."""
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}: not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}.") from exc
    try:
        return RuleFile.model_validate(raw)
    except ValidationError as exc:
        raise InputError(_name_rules(path, raw, exc)) from exc


def read_rule_file(path: Path) -> RuleFile:
    """Read and validate a rule file."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot be read ({exc}).") from exc
    return parse_rule_file(path, text)


def load_shipped_rules(medications: list[Medication] | None = None) -> RuleFile:
    """The rules that ship with bonecoach: ``conflict_rules.json``, and one rule for each thing
    that binds a medicine, from ``medications.json`` (a new medicine needs a row, not code;
    ``medications``: that list, when the caller has loaded it already)."""
    from bonecoach.domain.conflicts import binding_rules

    shipped = read_rule_file(assets_dir() / "conflict_rules.json")
    generated = binding_rules(load_medications() if medications is None else medications)
    taken = {rule.id for rule in shipped.rules}
    clash = sorted({rule.id for rule in generated} & taken) or sorted(
        {rule.id for rule in generated if [g.id for g in generated].count(rule.id) > 1}
    )
    if clash:
        raise InputError(f"medications.json: binding rule ids {clash} are used twice (or by conflict_rules.json).")
    return shipped.model_copy(update={"rules": [*shipped.rules, *generated]})


def check_rule_file(path: Path, shipped: RuleFile | None = None) -> list[Rule]:
    """Validate a user rule file against the shipped rules; the merged rules, or ``InputError``."""
    user = read_rule_file(path)
    try:
        return merge_rules(shipped or load_shipped_rules(), user)
    except ValueError as exc:
        raise InputError(f"{path}: {exc}") from exc


class AbsorptionRow(Model):
    """A catalog food a measured row stands for, with that row's index over milk."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    food_id: str
    table_name: str
    index: float = Field(gt=0, le=5)
    note: str = ""


class MeasuredAbsorption(Model):
    """One food of the published tables: its serving, the serving's calcium, efficiency and index."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    table_name: str
    serving_g: float = Field(gt=0)
    serving_calcium_mg: float = Field(gt=0)
    efficiency_percent: float = Field(gt=0, le=100)
    index: float = Field(gt=0, le=5)
    source: SourceText = Field(min_length=1)


class UnmappedAbsorption(Model):
    """A measured food no catalog food stands for, and why."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    table_name: str
    why: str = Field(min_length=1)


class AbsorptionFile(Model):
    """The layout of ``absorption.json`` (made by tools/build_absorption.py)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    schema_version: int = Field(alias="schema")
    note: str = ""
    equation: dict[str, Any]
    source: SourceText = Field(min_length=1)
    table: list[MeasuredAbsorption]
    unmapped: list[UnmappedAbsorption] = Field(default=[])
    salts: list[CalciumSalt]
    foods: list[AbsorptionRow]


def load_absorption_file(path: Path | None = None) -> AbsorptionFile:
    """The whole absorption asset: the measured rows as well as what the estimate uses."""
    return load_json_model(path or assets_dir() / "absorption.json", AbsorptionFile)


def load_absorption(path: Path | None = None) -> AbsorptionData:
    """The load equation, each covered catalog food's index, the calcium salts and the citation."""
    data = load_absorption_file(path)
    equation = LoadEquation(intercept=float(data.equation["intercept"]), slope=float(data.equation["slope"]))
    return AbsorptionData(
        equation=equation,
        indices={row.food_id: row.index for row in data.foods},
        salts={salt.salt: salt for salt in data.salts},
        source=data.source,
    )
