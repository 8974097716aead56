"""Loading the exercise catalogue, the exercise rule set and a user's tightening of it.

Apart from the conflict rules (``catalog.rules``): a command that does not plan exercise does not
import the exercise models."""

from pathlib import Path

from bonecoach.catalog.assets import assets_dir, load_json_model
from bonecoach.domain.errors import InputError
from bonecoach.domain.exercise import Exercise, ExerciseCatalogue, ExerciseRules, Tightening


def load_exercises(path: Path | None = None) -> list[Exercise]:
    """The exercise catalogue, validated; every "easier"/"harder" must name a catalogue id."""
    catalogue = load_json_model(path or assets_dir() / "exercises.json", ExerciseCatalogue).exercises
    ids = {e.id for e in catalogue}
    for exercise in catalogue:
        for rung in (exercise.easier, exercise.harder):
            if rung is not None and rung not in ids:
                raise InputError(f"{path or 'exercises.json'}: exercise {exercise.id!r} names unknown variant {rung!r}")
    return catalogue


def load_exercise_rules(path: Path | None = None) -> ExerciseRules:
    """The exercise rule set, validated."""
    return load_json_model(path or assets_dir() / "exercise_rules.json", ExerciseRules)


def load_tightening(path: Path) -> Tightening:
    """A user's exercise rule file (it can only tighten)."""
    return load_json_model(path, Tightening)
