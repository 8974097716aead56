"""Onboarding and the profile: what targets, scan intervals, conflicts and exercise need.

Asked once at first launch (skippable with escape) and reachable later with F4.
"""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Select, SelectionList, Static

from bonecoach.domain.bone import CATEGORY_SITES, SITE_LABELS
from bonecoach.domain.diagnosis import FRACTURE_LABELS
from bonecoach.domain.models import Medication, Profile
from bonecoach.services.onboarding import OnboardingAnswers


def _count(value: int | None) -> str:
    return "" if value is None else str(value)


# Where each onboarding answer is typed (InputError.field -> widget id), for errors beside it.
FIELD_WIDGETS = {"sex": "sex", "birth_date": "birth-date", "guideline": "guideline", "scan_date": "scan-date",
                 "vertebral_fractures": "vertebral", "other_fractures": "other", "falls_last_year": "falls",
                 "bone_frequency": "bone-frequency", "weight": "weight", "water_calcium": "water-calcium", "fracture_site": "fracture-site", "fracture_date": "fracture-date",
                 **{f"tscores.{site}": f"t-{site}" for site in CATEGORY_SITES}}  # fmt: skip
COUNT_HINT = "how many? (blank: not asked)"


def _row(label: str, widget: Widget) -> ComposeResult:
    """A label, its field, and the field's error line under both (shown only when needed)."""
    yield Label(label)
    yield widget
    yield Static(id=f"{widget.id}-error", classes="field-error")


class ProfileScreen(ModalScreen[Profile | None]):
    """One scrollable form with Save always in view; ``save`` stores it (returning the profile) or
    returns why it could not and the field at fault, shown beside that field."""

    AUTO_FOCUS = "#sex"  # the app's own AUTO_FOCUS names a Today widget, absent here
    BINDINGS = [
        Binding("escape", "skip", "Skip", tooltip="Skip for now; F4 comes back here"),
        Binding("ctrl+s", "save", "Save", tooltip="Save the profile", priority=True),
    ]

    def __init__(
        self,
        current: Profile | None,
        guidelines: dict[str, str],
        medications: list[Medication],
        current_medications: set[str],
        has_scans: bool,
        save: Callable[[OnboardingAnswers], Profile | tuple[str, str | None]],
    ) -> None:
        super().__init__()
        self.current = current
        self.guidelines = guidelines
        self.medications = medications
        self.current_medications = current_medications
        self.has_scans = has_scans
        self.save_answers = save

    def compose(self) -> ComposeResult:
        """Sex, birth date, guideline, the latest scan, fractures and falls, clearances and medicines."""
        current = self.current
        with Vertical(id="profile-box", classes="modal-form"):
            with VerticalScroll(id="profile-form"):
                yield Static("[b]Your profile[/b]  [dim](escape skips; F4 brings you back)[/dim]\n"
                             "Targets depend on sex and age; scan intervals, conflicts and exercise on the rest.")  # fmt: skip
                with Grid(classes="record-grid"):
                    yield from _row("Sex", Select([("female", "female"), ("male", "male")], id="sex", compact=True,
                                                  value=current.sex.value if current else Select.NULL, prompt="choose"))  # fmt: skip
                    yield from _row("Birth date", Input(value=current.birth_date.isoformat() if current else "",
                                                        placeholder="YYYY-MM-DD", id="birth-date", compact=True))  # fmt: skip
                    yield from _row("Guideline", Select([(name, key) for key, name in self.guidelines.items()], id="guideline",
                                                        value=current.guideline if current else "iom", allow_blank=False,
                                                        compact=True))  # fmt: skip
                    post = (
                        None
                        if current is None or current.postmenopausal is None
                        else ("yes" if current.postmenopausal else "no")
                    )
                    weight = "" if current is None or current.weight_kg is None else f"{current.weight_kg:g} kg"
                    yield from _row("Body weight", Input(weight, placeholder="70 kg or 154 lb: a protein target by weight (optional)",
                                                                          id="weight", compact=True))  # fmt: skip
                    water = (
                        ""
                        if current is None or current.water_calcium_mg_per_l is None
                        else f"{current.water_calcium_mg_per_l:g}"
                    )
                    yield from _row("Water calcium, mg/L", Input(water, placeholder="your water's calcium, from its label (optional)",
                                                                         id="water-calcium", compact=True))  # fmt: skip
                    yield from _row("After menopause? (women under 50)",
                                    Select([("yes", "yes"), ("no", "no")], id="postmenopausal", value=post or Select.NULL,
                                           prompt="not asked", compact=True))  # fmt: skip
                if self.has_scans:
                    yield Static("[dim]Scans: see and add them in the Bone tab (F5).[/dim]")
                else:
                    yield Static("[b]Latest DEXA[/b] [dim](optional; each site's T-score from the report)[/dim]")
                    with Grid(classes="record-grid"):
                        yield from _row("Scan date", Input(placeholder="YYYY-MM-DD", id="scan-date", compact=True))
                        for site in CATEGORY_SITES:
                            yield from _row(f"{SITE_LABELS[site]} T",
                                            Input(placeholder="from the report, e.g. -2.3", id=f"t-{site}", compact=True))  # fmt: skip
                yield Static("[b]Fractures and falls[/b]")
                with Grid(classes="record-grid"):
                    for label, key, widget_id in (("Vertebral fractures", "vertebral_fractures", "vertebral"),
                                                  ("Other fractures", "other_fractures", "other"),
                                                  ("Falls, last 12 months", "falls_last_year", "falls")):  # fmt: skip
                        value = _count(getattr(current, key) if current else None)
                        yield from _row(label, Input(value, placeholder=COUNT_HINT, id=widget_id, compact=True))
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
                if self.has_scans or current is not None:
                    yield Static("[dim]Fractures: see and add them in the Bone tab (F5, f).[/dim]")
                else:
                    yield Static(
                        "[b]Your latest fracture[/b] [dim](optional; add more in the Bone tab, F5 then f)[/dim]"
                    )
                    with Grid(classes="record-grid"):
                        yield from _row("Site", Select([(label, key) for key, label in FRACTURE_LABELS.items()],
                                                       id="fracture-site", prompt="none", compact=True))  # fmt: skip
                        yield from _row("When", Input(placeholder="YYYY-MM-DD (the 1st of the month will do)",
                                                      id="fracture-date", compact=True))  # fmt: skip
                        yield from _row("From a fall from standing height or less?",
                                        Select([("yes (low trauma)", "yes"), ("no (a major trauma)", "no"),
                                                ("not sure", "unsure")], id="fracture-trauma", prompt="choose",
                                               compact=True))  # fmt: skip
                yield Static("[b]Medicines[/b] [dim](space selects; bone drugs and those timed around calcium)[/dim]")
                yield SelectionList[str](
                    *[(m.name, m.id, m.id in self.current_medications) for m in self.medications], id="medications"
                )
                with Grid(classes="record-grid"):
                    yield from _row("Bone tablet taken", Select([("daily", "daily"), ("weekly", "weekly"), ("monthly", "monthly")],
                                                                id="bone-frequency", value="weekly", allow_blank=False,
                                                                compact=True))  # fmt: skip
                yield Static(id="profile-error", classes="error")
            # Outside the scrolling form: Save is always on screen, whatever the terminal's height.
            with Horizontal(classes="buttons", id="profile-buttons"):
                yield Button("Save (ctrl+s)", id="save-profile", variant="primary", compact=True)
                yield Button("Skip (escape)", id="skip-profile", compact=True)

    def _text(self, selector: str) -> str:
        found = self.query(selector)
        return found.first(Input).value if found else ""

    @on(Button.Pressed, "#save-profile")
    @on(Input.Submitted)
    def action_save(self) -> None:
        """Save every answer, or show on the form what is wrong (nothing is saved then)."""
        sex = self.query_one("#sex", Select).value
        impact = self.query_one("#impact", Select).value
        weights = self.query_one("#weights", Select).value
        post = self.query_one("#postmenopausal", Select).value

        def chosen(selector: str) -> str:
            found = self.query(selector)
            value = found.first(Select).value if found else Select.NULL
            return "" if value is Select.NULL else str(value)

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
            postmenopausal="" if post is Select.NULL else str(post),
            fracture_site=chosen("#fracture-site"),
            fracture_date=self._text("#fracture-date"),
            fracture_trauma=chosen("#fracture-trauma"),
            weight=self._text("#weight"),
            water_calcium=self._text("#water-calcium"),
        )
        for shown in self.query(".field-error"):
            shown.remove_class("-shown")
        for marked in self.query(".-invalid"):
            marked.remove_class("-invalid")
        result = self.save_answers(answers)
        if isinstance(result, Profile):
            self.dismiss(result)
            return
        message, field = result
        widget_id = FIELD_WIDGETS.get(field or "")
        found = self.query(f"#{widget_id}-error") if widget_id else None
        if not found:
            self.query_one("#profile-error", Static).update(message)
            self.query_one("#profile-error").scroll_visible()
            return
        error = found.first(Static)
        error.update(message)
        error.add_class("-shown")
        field_widget = self.query_one(f"#{widget_id}")
        field_widget.add_class("-invalid")
        field_widget.focus()
        self.call_after_refresh(error.scroll_visible)

    @on(Button.Pressed, "#skip-profile")
    def action_skip(self) -> None:
        """Close without saving."""
        self.dismiss(None)
