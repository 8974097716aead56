"""Ask once for what targets need: sex and birth date (and which guideline to follow)."""

from __future__ import annotations

from datetime import date

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from bonecoach.domain.errors import InputError
from bonecoach.domain.models import Profile


class ProfileScreen(ModalScreen[Profile | None]):
    """A small form; dismisses with the saved profile, or ``None`` when skipped."""

    AUTO_FOCUS = "#sex"  # the app's own AUTO_FOCUS names a Today widget, absent here
    BINDINGS = [Binding("escape", "skip", "Skip", tooltip="Skip for now (targets stay hidden)")]

    def __init__(self, current: Profile | None, guidelines: dict[str, str]) -> None:
        super().__init__()
        self.current = current
        self.guidelines = guidelines

    def compose(self) -> ComposeResult:
        current = self.current
        with Vertical(id="profile-form", classes="modal-form"):
            yield Static("[b]Your profile[/b]\nDaily targets depend on sex and age (IOM 2011 by default).")
            yield Label("Sex")
            yield Select(
                [("female", "female"), ("male", "male")],
                id="sex",
                compact=True,
                value=current.sex.value if current else Select.NULL,
                prompt="choose",
            )
            yield Label("Birth date (YYYY-MM-DD)")
            yield Input(
                value=current.birth_date.isoformat() if current else "",
                placeholder="1960-04-12",
                id="birth-date",
                compact=True,
            )
            yield Label("Guideline")
            yield Select(
                [(name, key) for key, name in self.guidelines.items()],
                id="guideline",
                compact=True,
                value=current.guideline if current else "iom",
                allow_blank=False,
            )
            yield Static(id="profile-error", classes="error")
            with Horizontal(classes="buttons"):
                yield Button("Save", id="save-profile", variant="primary", compact=True)
                yield Button("Skip", id="skip-profile", compact=True)

    @on(Button.Pressed, "#save-profile")
    @on(Input.Submitted, "#birth-date")
    def save_profile(self) -> None:
        sex = self.query_one("#sex", Select).value
        birth_text = self.query_one("#birth-date", Input).value.strip()
        guideline = self.query_one("#guideline", Select).value
        error = self.query_one("#profile-error", Static)
        try:
            if sex is Select.NULL:
                raise InputError("Choose female or male.")
            try:
                birth = date.fromisoformat(birth_text)
            except ValueError:
                raise InputError(
                    f"{birth_text or 'An empty birth date'!r} is not a date; write it as YYYY-MM-DD."
                ) from None
            from bonecoach.tui.app import BonecoachApp

            app = self.app
            assert isinstance(app, BonecoachApp)
            profile = app.coach.set_profile(str(sex), birth, str(guideline))
        except InputError as exc:
            error.update(str(exc))
            return
        self.dismiss(profile)

    @on(Button.Pressed, "#skip-profile")
    def action_skip(self) -> None:
        self.dismiss(None)
