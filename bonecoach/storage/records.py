"""The typed accessors of the tables of ``meta.json`` (the profile, scans, fractures, labs, saved
meals, recipes, the user's products and foods, supplement sets, the regimen, exercise setup, small
settings) and ``sessions.json`` (the exercise sessions). They read and write only through the
repository's ``_table_read``, ``_edit_tables`` and ``_valid`` (``storage.repository``), so no
write can take another path."""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel, TypeAdapter, ValidationError

from bonecoach.domain.models import Food, Profile, Supplement, SupplementSet
from bonecoach.storage.layout import META_FILE, SESSIONS_FILE, file_of_table

if TYPE_CHECKING:  # each reader below imports its model: a command builds only the models it reads
    from bonecoach.domain.bone import LabResult, Scan
    from bonecoach.domain.diagnosis import Fracture
    from bonecoach.domain.exercise import ExerciseSetup, SessionRecord
    from bonecoach.domain.meals import Recipe, SavedMeal
    from bonecoach.domain.regimen import Regimen

Doc = dict[str, Any]
Tables = dict[str, dict[str, Doc]]
M = TypeVar("M", bound=BaseModel)


def _next_key(table: dict[str, Doc]) -> str:
    return str(max((int(key) for key in table), default=0) + 1)


def _put(table: dict[str, Doc], doc: Doc, same: Callable[[Doc], bool]) -> None:
    """Replace the documents ``same`` matches with ``doc`` (keeping the first one's place), or add it."""
    keys = [key for key, old in table.items() if same(old)]
    for extra in keys[1:]:
        del table[extra]
    table[keys[0] if keys else _next_key(table)] = doc


def _same_session(doc: Doc) -> Callable[[Doc], bool]:
    """Matches the stored record of the same day and category (a session is one per day and kind)."""
    return lambda old: (old.get("date"), old.get("category")) == (doc["date"], doc["category"])


def _day(record: SessionRecord) -> date:
    return record.date


@functools.cache
def _list_of(model: type[M]) -> TypeAdapter[list[M]]:
    """A validator of a list of ``model`` (built once per model)."""
    return TypeAdapter(list[model])  # type: ignore[valid-type]


@functools.cache
def _file_of(model: type[M]) -> TypeAdapter[dict[str, dict[str, M]]]:
    """A validator of a whole file whose tables all hold ``model`` (sessions.json)."""
    return TypeAdapter(dict[str, dict[str, model]])  # type: ignore[valid-type]


class RecordTables:
    """The tables of ``meta.json`` and ``sessions.json``, typed (the repository supplies the
    file machinery)."""

    if TYPE_CHECKING:

        def _table_read(self, table: str) -> dict[str, Doc]: ...

        def _table_text(self, table: str) -> str | None: ...

        def _edit_tables(self, change: Callable[[Tables], None], relative: str = META_FILE) -> None: ...

        def _valid(self, model: type[M], doc: Doc, where: str) -> M: ...

    # -- profile ----------------------------------------------------------------------------

    def profile(self) -> Profile | None:
        """The stored profile, or ``None`` before onboarding."""
        doc = self._table_read("profile").get("1")
        return None if doc is None else self._valid(Profile, dict(doc), META_FILE)

    def save_profile(self, profile: Profile) -> None:
        """Store the profile (replacing any earlier one)."""
        self._save_single("profile", profile)

    def _save_single(self, table: str, record: BaseModel | None) -> None:
        def change(data: Tables) -> None:
            if record is None:
                data.pop(table, None)
            else:
                data[table] = {"1": record.model_dump(mode="json")}

        self._edit_tables(change, file_of_table(table))

    def _single(self, table: str, model: type[M]) -> M | None:
        doc = self._table_read(table).get("1")
        return None if doc is None else self._valid(model, dict(doc), file_of_table(table))

    # -- records of meta.json (scans, labs, meals, recipes, products, foods) ----------------------

    def _records(self, table: str, model: type[M]) -> list[M]:
        docs = [dict(doc) for doc in self._table_read(table).values()]
        try:
            # One call for the whole table: ten years of sessions validate in a third of the time.
            return _list_of(model).validate_python(docs)
        except ValidationError:
            return [self._valid(model, doc, file_of_table(table)) for doc in docs]  # names the damaged record

    def _save_record(self, table: str, record: BaseModel, key: str = "id") -> None:
        """Add or replace the record with the same ``key`` field, in one write."""
        doc = record.model_dump(mode="json")

        def change(data: Tables) -> None:
            _put(data.setdefault(table, {}), doc, lambda old: old.get(key) == doc[key])

        self._edit_tables(change, file_of_table(table))

    def _delete_record(self, table: str, record_id: str, key: str = "id") -> bool:
        if not any(doc.get(key) == record_id for doc in self._table_read(table).values()):
            return False

        def change(data: Tables) -> None:
            docs = data.get(table, {})
            for doc_id in [k for k, doc in docs.items() if doc.get(key) == record_id]:
                del docs[doc_id]

        self._edit_tables(change, file_of_table(table))
        return True

    def scans(self) -> list[Scan]:
        """Every DEXA result, oldest first."""
        from bonecoach.domain.bone import Scan

        return sorted(self._records("scans", Scan), key=lambda s: (s.date, s.site))

    def save_scan(self, scan: Scan) -> None:
        """Add or replace a scan result (by id)."""
        self._save_record("scans", scan)

    def delete_scan(self, scan_id: str) -> bool:
        """Remove a scan result; whether it existed."""
        return self._delete_record("scans", scan_id)

    def fractures(self) -> list[Fracture]:
        """Every recorded fracture, oldest first."""
        from bonecoach.domain.diagnosis import Fracture

        return sorted(self._records("fractures", Fracture), key=lambda f: (f.date, f.site))

    def save_fracture(self, fracture: Fracture) -> None:
        """Add or replace a fracture record (by id)."""
        self._save_record("fractures", fracture)

    def delete_fracture(self, fracture_id: str) -> bool:
        """Remove a fracture record; whether it existed."""
        return self._delete_record("fractures", fracture_id)

    def labs(self) -> list[LabResult]:
        """Every blood test result, oldest first."""
        from bonecoach.domain.bone import LabResult

        return sorted(self._records("labs", LabResult), key=lambda r: (r.date, r.test))

    def save_lab(self, result: LabResult) -> None:
        """Add or replace a lab result (by id)."""
        self._save_record("labs", result)

    def delete_lab(self, lab_id: str) -> bool:
        """Remove a lab result; whether it existed."""
        return self._delete_record("labs", lab_id)

    def saved_meals(self) -> list[SavedMeal]:
        """The user's saved meals."""
        from bonecoach.domain.meals import SavedMeal

        return self._records("saved_meals", SavedMeal)

    def save_meal(self, meal: SavedMeal) -> None:
        """Add or replace a saved meal (by id)."""
        self._save_record("saved_meals", meal)

    def delete_meal(self, meal_id: str) -> bool:
        """Remove a saved meal."""
        return self._delete_record("saved_meals", meal_id)

    def recipes(self) -> list[Recipe]:
        """The user's recipes."""
        from bonecoach.domain.meals import Recipe

        return self._records("recipes", Recipe)

    def save_recipe(self, recipe: Recipe) -> None:
        """Add or replace a recipe (by id)."""
        self._save_record("recipes", recipe)

    def user_supplements(self) -> list[Supplement]:
        """Supplements the user added."""
        return self._records("supplements", Supplement)

    def save_user_supplement(self, supplement: Supplement) -> None:
        """Add or replace one of the user's supplements (by id)."""
        self._save_record("supplements", supplement)

    def custom_foods(self) -> list[Food]:
        """Foods the user added."""
        return self._records("custom_foods", Food)

    def save_custom_food(self, food: Food) -> None:
        """Add or replace one of the user's foods (by id)."""
        self._save_record("custom_foods", food)

    def supplement_sets(self) -> dict[str, list[tuple[str, float]]]:
        """Named sets such as "morning": supplement ids with their doses."""
        return {found.name: list(found.items) for found in self._records("supplement_sets", SupplementSet)}

    def save_supplement_set(self, name: str, items: list[tuple[str, float]]) -> None:
        """Store a named set of supplements, replacing one of the same name."""
        self._save_record("supplement_sets", SupplementSet(name=name, items=items), key="name")

    def delete_supplement_set(self, name: str) -> bool:
        """Remove a saved supplement set; whether it existed."""
        return self._delete_record("supplement_sets", name, key="name")

    # -- regimen, exercise setup and sessions ------------------------------------------------------

    def regimen(self) -> Regimen | None:
        """What the user takes and their usual times, or ``None`` if never set."""
        from bonecoach.domain.regimen import Regimen

        return self._single("regimen", Regimen)

    def save_regimen(self, regimen: Regimen) -> None:
        """Store the regimen (replacing the earlier one)."""
        self._save_single("regimen", regimen)

    def exercise_setup(self) -> ExerciseSetup | None:
        """When the person can exercise and their equipment, or ``None`` if never set."""
        from bonecoach.domain.exercise import ExerciseSetup

        return self._single("exercise_setup", ExerciseSetup)

    def save_exercise_setup(self, setup: ExerciseSetup) -> None:
        """Store availability and equipment."""
        self._save_single("exercise_setup", setup)

    def session_records(self) -> list[SessionRecord]:
        """Every session record, oldest first."""
        from bonecoach.domain.exercise import SessionRecord

        text = self._table_text("sessions")
        if text is not None:
            # Parsed and validated in one pass by pydantic (at ten years 13 ms, against 22 ms
            # for json.loads and then the records); anything it refuses is read as any table is,
            # which names the damage.
            with contextlib.suppress(ValidationError):
                return sorted(_file_of(SessionRecord).validate_json(text).get("sessions", {}).values(), key=_day)
        return sorted(self._records("sessions", SessionRecord), key=_day)

    def session_in_progress(self) -> SessionRecord | None:
        """A guided session left unfinished, to resume."""
        from bonecoach.domain.exercise import SessionRecord

        return self._single("session_in_progress", SessionRecord)

    def save_session(self, record: SessionRecord) -> None:
        """Store a session, replacing the record of the same date and category, and set or clear
        the session in progress: one write."""
        doc = record.model_dump(mode="json")

        def change(data: Tables) -> None:
            _put(data.setdefault("sessions", {}), doc, _same_session(doc))
            if record.completed:
                data.pop("session_in_progress", None)
            else:
                data["session_in_progress"] = {"1": doc}

        self._edit_tables(change, SESSIONS_FILE)

    def save_sessions(self, records: list[SessionRecord]) -> None:
        """Store many session records at once (a demo, a benchmark history)."""

        def change(data: Tables) -> None:
            table = data.setdefault("sessions", {})
            for record in records:
                doc = record.model_dump(mode="json")
                _put(table, doc, _same_session(doc))

        self._edit_tables(change, SESSIONS_FILE)

    # -- small settings ---------------------------------------------------------------------

    def setting(self, name: str) -> object:
        """A stored setting, or ``None``."""
        for doc in self._table_read("settings").values():
            if isinstance(doc, dict) and doc.get("name") == name:
                return doc.get("value")
        return None

    def save_setting(self, name: str, value: object) -> None:
        """Store a setting (skipped when unchanged, so reads never cause writes)."""
        if self.setting(name) == value:
            return
        doc = {"name": name, "value": value}
        self._edit_tables(lambda data: _put(data.setdefault("settings", {}), doc, lambda old: old.get("name") == name))
