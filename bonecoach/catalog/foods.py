"""The food catalog: USDA SR28 foods with calcium values, per 100 g, with household portions."""

import json
from collections.abc import Mapping
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from pydantic import ConfigDict, Field, model_validator

from bonecoach.catalog.assets import assets_dir, load_json_model, recorded_text
from bonecoach.domain.base import Model
from bonecoach.domain.models import Food, InhibitorTag, Portion
from bonecoach.domain.nutrient_info import NUTRIENT_KEYS
from bonecoach.domain.nutrients import Nutrients
from bonecoach.domain.text import SourceText

if TYPE_CHECKING:  # the search module is loaded by a search, not by a look-up by id (``log food``)
    from bonecoach.domain.search import SearchIndex, SearchTerms

FoodRow = tuple[str, str, int, list[float | None], list[tuple[str, float]], dict[str, Any]]
FOODS_KEY = '"foods":['  # where the rows begin in the shipped (compact) file


class FoodsFile(Model):
    """The layout of ``foods.json``: compact rows, so the 1.5 MB file loads in milliseconds."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    schema_version: int = Field(alias="schema")
    source: SourceText
    source_note: str
    nutrient_keys: list[str]
    groups: list[str]
    foods: list[FoodRow]

    @model_validator(mode="after")
    def _columns_known(self) -> "FoodsFile":
        missing = [key for key in NUTRIENT_KEYS if key not in self.nutrient_keys]
        if missing:
            raise ValueError(f"nutrient_keys lacks {', '.join(missing)}")
        for number, row in enumerate(self.foods):
            if not 0 <= row[2] < len(self.groups):
                raise ValueError(f"foods.{number}: group index {row[2]} out of range")
            if len(row[3]) != len(self.nutrient_keys):
                raise ValueError(f"foods.{number}: {len(row[3])} values for {len(self.nutrient_keys)} keys")
        return self


class EatenAs(Model):
    """A food named alone, and the forms people eat and log, in order, with why."""

    model_config = ConfigDict(extra="forbid")

    query: str = Field(min_length=1)
    foods: list[str] = Field(min_length=1)
    why: str = Field(min_length=1)


class SearchTermsFile(Model):
    """The layout of ``search_terms.json`` (see ``domain.search.SearchTerms``)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    schema_version: int = Field(alias="schema")
    note: str = ""
    synonyms: dict[str, str]
    product_words: dict[str, float]
    plain_words: dict[str, float]
    cooked_groups: list[str]
    cooked_bonus: float = Field(ge=0, le=5)
    eaten_as: tuple[EatenAs, ...] = ()


def load_search_terms(path: Path | None = None) -> "SearchTerms":
    """The reviewed search vocabulary, validated."""
    from bonecoach.domain.search import SearchTerms, tokens

    data = load_json_model(path or assets_dir() / "search_terms.json", SearchTermsFile)
    synonyms = {" ".join(tokens(key.replace("-", " "))): value for key, value in data.synonyms.items()}
    terms = SearchTerms(synonyms=synonyms, product_words=data.product_words, plain_words=data.plain_words,
                        cooked_groups=frozenset(data.cooked_groups), cooked_bonus=data.cooked_bonus)  # fmt: skip
    # Keyed as a query reads once its synonyms are rewritten ("swiss chard" is "chard swiss").
    terms.eaten_as.update({terms.named_alone(row.query): tuple(row.foods) for row in data.eaten_as})
    return terms


class FoodCatalog:
    """Look-up by id and forgiving search over the shipped foods."""

    def __init__(
        self, data: FoodsFile | None, tags: Mapping[str, tuple[InhibitorTag, ...]] | None = None, *, text: str = ""
    ) -> None:
        """Over ``data``, or (``None``) over ``text``, the shipped file recorded as validated,
        parsed when first needed whole: a lookup by id alone reads one row (``get``)."""
        self._given = data
        self._text = text
        self._tags = tags or {}

    @classmethod
    def load(cls, path: Path | None = None) -> "FoodCatalog":
        """Load and validate ``foods.json`` (the shipped one unless ``path`` is given) and its tags."""
        from bonecoach.catalog.rules import load_tags

        path = path or assets_dir() / "foods.json"
        text = recorded_text(path)
        if text is None:
            return cls(load_json_model(path, FoodsFile), load_tags())
        return cls(None, load_tags(), text=text)

    @cached_property
    def _data(self) -> FoodsFile:
        if self._given is not None:
            return self._given
        return FoodsFile.model_construct(**json.loads(self._text))

    @cached_property
    def _rows(self) -> dict[str, FoodRow]:
        return {row[0]: row for row in self._data.foods}

    @cached_property
    def _head(self) -> FoodsFile:
        """The file without its foods: source, nutrient columns and groups."""
        if self._given is not None or "_data" in self.__dict__:
            return self._data
        end = self._text.find(FOODS_KEY)
        head = json.loads(self._text[:end] + '"foods":[]}') if end > 0 else None
        return FoodsFile.model_construct(**head) if isinstance(head, dict) else self._data

    @cached_property
    def _columns(self) -> dict[str, int]:
        keys = self._head.nutrient_keys
        return {key: keys.index(key) for key in keys}

    @property
    def source(self) -> str:
        """The citation for the catalog as a whole."""
        return self._head.source

    def __len__(self) -> int:
        return len(self._rows)

    def __contains__(self, food_id: object) -> bool:
        return food_id in self._rows

    def get(self, food_id: str) -> Food | None:
        """The food with this USDA id, or ``None``."""
        if "_rows" not in self.__dict__ and self._text:
            row = self._row_in_text(food_id)
            if row is not None:
                return self._food(row)
        row = self._rows.get(food_id)
        return None if row is None else self._food(row)

    def _row_in_text(self, food_id: str) -> FoodRow | None:
        """The food's row read alone from the text (~1 ms, against ~30 ms to parse all 8,441), or
        None when that is not certain (absent, found twice, not a row): then the whole is parsed."""
        needle = "[" + json.dumps(food_id) + ","
        start = self._text.find(FOODS_KEY)
        at = self._text.find(needle, start) if start > 0 else -1
        if at < 0 or self._text.find(needle, at + 1) >= 0:
            return None
        try:
            row, _ = json.JSONDecoder().raw_decode(self._text, at)
        except ValueError:
            return None
        shaped = isinstance(row, list) and len(row) == 6 and row[0] == food_id
        return cast("FoodRow", row) if shaped and isinstance(row[3], list) and isinstance(row[2], int) else None

    def _food(self, row: FoodRow) -> Food:
        food_id, name, group, values, portions, notes = row
        per_100g = Nutrients(**{key: values[self._columns[key]] for key in NUTRIENT_KEYS})
        flat_notes: dict[str, str] = {}
        for key, note in notes.items():
            if isinstance(note, dict):
                flat_notes[key] = (
                    f"{note.get('form', '')} {note.get('value_mcg_per_100g')} mcg/100 g; "
                    f"{note.get('confidence', '')}. Source: {note.get('source', '')}. {note.get('note', '')}"
                ).strip()
            else:
                flat_notes[key] = str(note)
        return Food(
            id=food_id,
            name=name,
            group=self._head.groups[group],
            per_100g=per_100g,
            portions=tuple(Portion(label=label, grams=grams) for label, grams in portions),
            energy_kcal_per_100g=values[self._columns["energy_kcal"]] if "energy_kcal" in self._columns else None,
            source=self._head.source,
            notes=flat_notes,
            inhibitors=self._tags.get(food_id, ()),
        )

    @cached_property
    def index(self) -> "SearchIndex":
        """The search index, built on first use (about 0.1 s), with the reviewed search vocabulary."""
        from bonecoach.domain.search import SearchIndex, SearchItem

        groups = self._data.groups
        return SearchIndex.build(
            (SearchItem(row[0], row[1], groups[row[2]], portions=len(row[4])) for row in self._data.foods),
            load_search_terms(),
        )

    def tagged(self) -> dict[str, tuple[InhibitorTag, ...]]:
        """Foods carrying an inhibitor tag, by id (the reviewable table)."""
        return dict(self._tags)

    def eaten_as(self, query: str) -> tuple[str, ...]:
        """The forms (ids) reviewed as what people mean by ``query`` named alone, if any."""
        return self.index.terms.eaten_form(query)

    def search(self, query: str, limit: int = 20) -> list[Food]:
        """Foods matching ``query``, best first."""
        return [self._food(self._rows[item.id]) for item in self.index.search(query, limit)]
