"""The person's own settings: the profile (the first form is onboarding), targets, the regimen,
and the theme kept between runs.

Each opens its screen over the services; saving tells the app that data changed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bonecoach.domain.errors import InputError
from bonecoach.services.data import StorageError
from bonecoach.tui.changes import Place, coach_of, data_changed, form_error

if TYPE_CHECKING:
    from textual.theme import Theme

    from bonecoach.domain.models import Profile
    from bonecoach.services.onboarding import OnboardingAnswers
    from bonecoach.tui.app import BonecoachApp
    from bonecoach.tui.screens.targets import Changes


def edit_profile(node: Place) -> None:
    """Sex, birth date, guideline, bone status and medicines; all checked before anything is saved."""
    from bonecoach.tui.screens.profile import ProfileScreen

    coach = coach_of(node)

    def save(answers: OnboardingAnswers) -> Profile | tuple[str, str | None]:
        try:
            return coach.onboard(answers)
        except InputError as exc:
            return str(exc), exc.field
        except StorageError as exc:
            return str(exc), None

    def saved(profile: Profile | None) -> None:
        if profile is not None:
            node.notify(f"Profile saved: targets for a {profile.sex.value} born {profile.birth_date}.")
        data_changed(node)

    guidelines = {key: g.name for key, g in coach.target_table.guidelines.items()}
    screen = ProfileScreen(
        coach.profile(), guidelines, coach.medications, current_medications={i.ref for i in coach.regimen().items},
        has_scans=bool(coach.scan_history()), save=save,
    )  # fmt: skip
    node.app.push_screen(screen, saved)


def edit_targets(node: Place) -> None:
    """Override a target or limit (or return it to the guideline)."""
    from bonecoach.tui.screens.targets import TargetsScreen

    coach = coach_of(node)
    targets = coach.targets(coach.now().date())
    if not targets:
        node.notify("Give sex and birth date first (F4): targets depend on them.", severity="warning")
        return

    def save(changes: Changes) -> str | None:
        return form_error(lambda: coach.apply_target_edits(changes))

    def saved(changed: bool | None) -> None:
        if changed:
            data_changed(node)
            node.notify("Your targets are saved.", title="Targets")

    node.app.push_screen(TargetsScreen(targets, save), saved)


def edit_regimen(node: Place) -> None:
    """Medicines and supplements taken, how often, and the usual times of the day."""
    from bonecoach.tui.screens.regimen import RegimenScreen

    def closed(changed: bool | None) -> None:
        if changed:
            data_changed(node)

    node.app.push_screen(RegimenScreen(coach_of(node)), closed)


def apply_kept_settings(app: BonecoachApp) -> None:
    """Use the theme chosen and the nutrients hidden in an earlier run, and keep every theme
    chosen from now on."""
    from bonecoach.services.settings import keep_theme, kept_settings

    settings, problem = kept_settings()
    app.hidden_nutrients = frozenset(settings.hidden)
    if settings.theme is not None and settings.theme in app.available_themes:
        app.theme = settings.theme
    elif settings.theme is not None:
        problem = f"The theme {settings.theme!r} kept from an earlier run does not exist here; the default is used."
    if problem:
        app.call_after_refresh(app.notify, problem, title="Settings", severity="warning")

    def chosen(new: Theme) -> None:
        if (failed := keep_theme(new.name)) is not None:
            app.notify(failed, title="Settings", severity="warning")

    app.theme_changed_signal.subscribe(app, chosen)


def choose_nutrients(app: BonecoachApp) -> None:
    """Which nutrients Today and Week show (all are still counted, exported and in --json)."""
    from bonecoach.services.settings import keep_hidden
    from bonecoach.tui.screens.nutrients_shown import NutrientsShownScreen

    def chosen(hidden: list[str] | None) -> None:
        if hidden is None:
            return
        app.hidden_nutrients = frozenset(hidden)
        if (failed := keep_hidden(hidden)) is not None:
            app.notify(failed, title="Settings", severity="warning")
        app.refresh_views()

    app.push_screen(NutrientsShownScreen(app.hidden_nutrients), chosen)


FORMS = {"regimen": edit_regimen, "targets": edit_targets, "nutrients": choose_nutrients}
"""The settings forms the app opens by name (``app.settings('regimen')``)."""
