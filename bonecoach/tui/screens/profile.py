"""Onboarding and the profile: what targets, scan intervals, conflicts and exercise need.

Asked once at first launch (skippable with escape) and reachable later with F4.
"""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, SelectionList, Static

from bonecoach.domain.bone import CATEGORY_SITES, SITE_LABELS
from bonecoach.domain.models import Medication, Profile
from bonecoach.services.coach import OnboardingAnswers


def _count(value: int | None) -> str:
    return "" if value is None else str(value)


class ProfileScreen(ModalScreen[Profile | None]):
    """One scrollable form; ``save`` stores it (returning the profile) or returns why it could not."""

    AUTO_FOCUS = "#sex"  # the app's own AUTO_FOCUS names a Today widget, absent here
    BINDINGS = [Binding("escape", "skip", "Skip", tooltip="Skip for now; F4 comes back here")]

    def __init__(
        self,
        current: Profile | None,
        guidelines: dict[str, str],
        medications: list[Medication],
        current_medications: set[str],
        has_scans: bool,
        save: Callable[[OnboardingAnswers], Profile | str],
    ) -> None:
        super().__init__()
        self.current = current
        self.guidelines = guidelines
        self.medications = medications
        self.current_medications = current_medications
        self.has_scans = has_scans
        self.save_answers = save

    def compose(self) -> ComposeResult:
        current = self.current
        with VerticalScroll(id="profile-form", classes="modal-form"):
            yield Static("[b]Your profile[/b]  [dim](escape skips; F4 brings you back)[/dim]\n"
                         "Targets depend on sex and age; scan intervals, conflicts and exercise on the rest.")  # fmt: skip
            with Grid(classes="record-grid"):
                yield Label("Sex")
                yield Select([("female", "female"), ("male", "male")], id="sex", value=current.sex.value if current else Select.NULL,
                             prompt="choose", compact=True)  # fmt: skip
                yield Label("Birth date")
                yield Input(
                    value=current.birth_date.isoformat() if current else "",
                    placeholder="YYYY-MM-DD",
                    id="birth-date",
                    compact=True,
                )
                yield Label("Guideline")
                yield Select([(name, key) for key, name in self.guidelines.items()], id="guideline",
                             value=current.guideline if current else "iom", allow_blank=False, compact=True)  # fmt: skip
            if self.has_scans:
                yield Static("[dim]Scans: see and add them in the Bone tab (F5).[/dim]")
            else:
                yield Static("[b]Latest DEXA[/b] [dim](optional; each site's T-score from the report)[/dim]")
                with Grid(classes="record-grid"):
                    yield Label("Scan date")
                    yield Input(placeholder="YYYY-MM-DD", id="scan-date", compact=True)
                    for site in CATEGORY_SITES:
                        yield Label(f"{SITE_LABELS[site]} T")
                        yield Input(placeholder="e.g. -2.3", id=f"t-{site}", compact=True)
            yield Static("[b]Fractures and falls[/b]")
            with Grid(classes="record-grid"):
                yield Label("Vertebral fractures")
                yield Input(
                    _count(current.vertebral_fractures if current else None),
                    placeholder="0",
                    id="vertebral",
                    compact=True,
                )
                yield Label("Other fractures")
                yield Input(
                    _count(current.other_fractures if current else None), placeholder="0", id="other", compact=True
                )
                yield Label("Falls, last 12 months")
                yield Input(
                    _count(current.falls_last_year if current else None), placeholder="0", id="falls", compact=True
                )
                yield Label("Cleared for impact")
                cleared = (
                    None
                    if current is None or current.impact_cleared is None
                    else ("yes" if current.impact_cleared else "no")
                )
                yield Select([("yes, by a clinician", "yes"), ("no", "no")], id="impact", value=cleared or Select.NULL,
                             prompt="not asked yet", compact=True)  # fmt: skip
                yield Label("Weights after a fracture")
                weights = (
                    None
                    if current is None or current.weights_cleared is None
                    else ("yes" if current.weights_cleared else "no")
                )
                yield Select([("cleared by a physiotherapist", "yes"), ("no", "no")], id="weights",
                             value=weights or Select.NULL, prompt="not asked yet", compact=True)  # fmt: skip
            yield Static("[b]Medicines[/b] [dim](space selects; bone drugs and those timed around calcium)[/dim]")
            yield SelectionList[str](
                *[(m.name, m.id, m.id in self.current_medications) for m in self.medications], id="medications"
            )
            with Grid(classes="record-grid"):
                yield Label("Bone tablet taken")
                yield Select([("daily", "daily"), ("weekly", "weekly"), ("monthly", "monthly")], id="bone-frequency", value="weekly",
                             allow_blank=False, compact=True)  # fmt: skip
            yield Static(id="profile-error", classes="error")
            with Horizontal(classes="buttons"):
                yield Button("Save", id="save-profile", variant="primary", compact=True)
                yield Button("Skip", id="skip-profile", compact=True)

    def _text(self, selector: str) -> str:
        found = self.query(selector)
        return found.first(Input).value if found else ""

    @on(Button.Pressed, "#save-profile")
    @on(Input.Submitted)
    def save_profile(self) -> None:
        sex = self.query_one("#sex", Select).value
        impact = self.query_one("#impact", Select).value
        weights = self.query_one("#weights", Select).value
        answers = OnboardingAnswers(
            sex="" if sex is Select.NULL else str(sex),
            birth_date=self._text("#birth-date"),
            guideline=str(self.query_one("#guideline", Select).value),
            scan_date=self._text("#scan-date"),
            tscores={site: self._text(f"#t-{site}") for site in CATEGORY_SITES},
            vertebral_fractures=self._text("#vertebral"),
            other_fractures=self._text("#other"),
            falls_last_year=self._text("#falls"),
            impact_cleared="" if impact is Select.NULL else str(impact),
            weights_cleared="" if weights is Select.NULL else str(weights),
            medications=list(self.query_one("#medications", SelectionList).selected),
            bone_frequency=str(self.query_one("#bone-frequency", Select).value),
        )
        result = self.save_answers(answers)
        if isinstance(result, str):
            self.query_one("#profile-error", Static).update(result)
            return
        self.dismiss(result)

    @on(Button.Pressed, "#skip-profile")
    def action_skip(self) -> None:
        self.dismiss(None)
