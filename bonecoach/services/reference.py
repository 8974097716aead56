"""Reference data the faces show as it is (names from the shipped catalogues)."""

from __future__ import annotations


def exercise_names() -> dict[str, str]:
    """Each shipped exercise's name, by id."""
    from bonecoach.catalog.exercises import load_exercises

    return {exercise.id: exercise.name for exercise in load_exercises()}
