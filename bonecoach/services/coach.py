"""``Coach``: every use case as a method, over one ``Context``, for the two faces.

The facade holds no logic: each name below is a function of a use-case module (see each
module's docstring for what it owns), bound to the context as a method. A new use case is a
function in its module, and a line here when a face calls it.

A use-case module is imported when one of its methods is first looked up, not with the facade:
a command imports the use cases it runs and the domain models they build (``day`` needs none of
the exercise, bone or meal modules), which is most of a short command's own import time.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from bonecoach.services.context import Context
from bonecoach.services.names import AmbiguousMatch, clean_name, parse_meal, slugify

__all__ = ["AmbiguousMatch", "Coach", "Context", "clean_name", "parse_meal", "slugify"]


class UseCase:
    """A facade method named by its module and function, imported when first looked up.

    Looked up on an instance it is that function bound as a method (and from then on the class
    holds the function itself); wrapped in ``staticmethod`` it is called as the function.
    """

    def __init__(self, module: str, name: str) -> None:
        self.module, self.name = module, name

    def __set_name__(self, owner: type, attribute: str) -> None:
        self.owner, self.attribute = owner, attribute

    def function(self) -> Any:
        """The use case's function (importing its module the first time)."""
        return getattr(importlib.import_module(self.module), self.name)

    def __get__(self, instance: object, owner: type | None = None) -> Any:
        function = self.function()
        setattr(self.owner, self.attribute, function)
        return function.__get__(instance, owner)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.function()(*args, **kwargs)


class UseCaseModule:
    """Stands in for a use-case module in the class body below: ``module.name`` is a ``UseCase``."""

    def __init__(self, module: str) -> None:
        self.module = module

    def __getattr__(self, name: str) -> UseCase:
        return UseCase(self.module, name)


if TYPE_CHECKING:  # the type checker reads the modules themselves
    from bonecoach.services import (
        bone,
        data,
        entries,
        exercise,
        foods,
        fractures,
        meals,
        onboarding,
        profiles,
        regimen,
        review,
        suggestions,
        upcoming,
        weeks,
    )
else:  # each name once: a stand-in bound to its own module's name
    globals().update(
        (name, UseCaseModule(f"bonecoach.services.{name}"))
        for name in ("bone", "data", "entries", "exercise", "foods", "fractures", "meals", "onboarding",
                     "profiles", "regimen", "review", "suggestions", "upcoming", "weeks")
    )  # fmt: skip


class Coach(Context):
    """The repository, the clock and the reference data, with every use case as a method."""

    # profiles
    profile = profiles.profile
    set_profile = profiles.set_profile
    set_target_override = profiles.set_target_override
    apply_target_edits = profiles.apply_target_edits
    require_profile = profiles.require_profile
    targets = profiles.targets

    # onboarding
    onboard = onboarding.onboard

    # foods
    food = foods.food
    sure_catalog_match = foods.sure_catalog_match
    search_foods = foods.search_foods
    resolve_food = foods.resolve_food
    resolve_medication = foods.resolve_medication
    supplements = foods.supplements
    resolve_supplement = foods.resolve_supplement
    add_supplement = foods.add_supplement
    add_custom_food = foods.add_custom_food
    add_item_from_label = foods.add_item_from_label
    recent_refs = foods.recent_refs

    # entries
    preview_line = entries.preview_line
    log_line = entries.log_line
    log_food = entries.log_food
    log_food_as_typed = entries.log_food_as_typed
    count_as_typed = staticmethod(entries.count_as_typed)
    log_supplement = entries.log_supplement
    log_medication = entries.log_medication
    save_supplement_set = entries.save_supplement_set
    delete_supplement_set = entries.delete_supplement_set
    supplement_sets = entries.supplement_sets
    log_supplement_set = entries.log_supplement_set
    entry = entries.entry
    edit_entry = entries.edit_entry
    edit_entry_as_typed = entries.edit_entry_as_typed
    delete_entry = entries.delete_entry
    undo_delete = entries.undo_delete
    when_text = entries.when_text

    # meals
    saved_meals = meals.saved_meals
    recipes = meals.recipes
    save_meal = meals.save_meal
    saved_meal = meals.saved_meal
    delete_meal = meals.delete_meal
    log_meal = meals.log_meal
    add_recipe = meals.add_recipe
    add_recipe_as_typed = meals.add_recipe_as_typed
    recipe = meals.recipe
    log_recipe = meals.log_recipe
    repeat_plan = meals.repeat_plan
    repeat_entry = meals.repeat_entry
    repeat_meal = meals.repeat_meal

    # suggestions
    accept_suggestion = suggestions.accept_suggestion
    day_notes = suggestions.day_notes
    suggestion_holds = suggestions.holds
    suggestions = suggestions.suggestions  # last: it takes its module's name

    # review
    day = review.day
    days = review.days
    absorbable = review.absorbable
    absorbed_mean = review.absorbed_mean
    conflicts_from = review.conflicts_from
    new_conflicts_from = review.new_conflicts_from

    # weeks
    week = weeks.week
    sessions_between = weeks.sessions_between
    week_review = weeks.week_review
    trend = weeks.trend
    streak = weeks.streak

    # next up
    next_up = upcoming.next_up

    # exercise
    exercise_setup = exercise.exercise_setup
    set_exercise_setup = exercise.set_exercise_setup
    set_exercise_times = exercise.set_exercise_times
    exercise_plan = exercise.exercise_plan
    week_sessions = exercise.week_sessions
    exercise_plans = exercise.exercise_plans
    started_on = exercise.started_on
    session_records = exercise.session_records
    save_session_record = exercise.save_session_record
    session_in_progress = exercise.session_in_progress
    mark_session_done = exercise.mark_session_done

    # bone
    scan_history = bone.scan_history
    scan = bone.scan
    lab_rows = bone.lab_rows
    lab_row = staticmethod(bone.lab_row)
    add_scan = bone.add_scan
    add_scan_as_typed = bone.add_scan_as_typed
    delete_scan = bone.delete_scan
    restore_scan = bone.restore_scan
    add_lab = bone.add_lab
    add_lab_as_typed = bone.add_lab_as_typed
    lab = bone.lab
    delete_lab = bone.delete_lab
    restore_lab = bone.restore_lab
    add_fracture = fractures.add_fracture
    add_fracture_as_typed = fractures.add_fracture_as_typed
    delete_fracture = fractures.delete_fracture
    restore_fracture = fractures.restore_fracture
    fracture = fractures.fracture
    fractures = fractures.fractures  # last: it takes its module's name
    on_bone_treatment = bone.on_bone_treatment
    bone_status = bone.bone_status
    reminders = bone.reminders

    # regimen
    add_to_regimen = regimen.add_to_regimen
    schedule = regimen.schedule
    remove_from_regimen = regimen.remove_from_regimen
    set_day_times = regimen.set_day_times
    dose_choices = regimen.dose_choices
    dose_typed_ahead = regimen.dose_typed_ahead
    dose_moment = regimen.dose_moment
    supplement_typed_ahead = regimen.supplement_typed_ahead
    plan = regimen.plan
    dose_counter = regimen.dose_counter
    regimen = regimen.regimen  # last: it takes its module's name

    # data
    export_to_home = data.export_to_home
    backup_now = data.backup_now
