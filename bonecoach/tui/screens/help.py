"""The help screen: keys, what the numbers mean, and where they come from."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

from bonecoach.tui.keys import help_sections

EXPLANATIONS = """\
## What Today shows

Bars: green = target met, yellow = close (80%+), red = low; **⚠ over limit** when an upper limit
is passed (for magnesium, only supplement magnesium counts, as in the IOM limit).
"+N unmeasured" means N entries have no value for that nutrient in the source data: shown as
unknown, never counted as 0. **Next up** lists the day's doses, meals and exercise from your
regimen (`R`) and exercise plan: ✓ done, ▸ due now.

## Logging

Type to search the USDA catalog. Choose grams or a household portion (the amount is then a count,
default 1). Time: `now`, `8am`, `19:30`, `yesterday 19:30`, `2h ago` or ISO. In the supplement
list `enter` logs one dose (or the number typed in *doses*).

## Sources

Food values: USDA SR28 (public domain). Vitamin K2: USDA MK-4, or published MK-7/total K2 for
natto, Gouda and a few others, each with its citation (`bonecoach foods show ID`). Targets: IOM 2011
/ NIH ODS; the K2 goal is personal (Knapen 2013), not an official target.

bonecoach coaches; it does not diagnose. Check changes to medication or supplements with your
clinician.
"""

HELP = "# bonecoach help\n\n" + help_sections() + "\n" + EXPLANATIONS
"""The keys of every tab in the README's words (bonecoach.tui.keys), then what the numbers mean."""


class HelpScreen(ModalScreen[None]):
    """A page of Markdown: the help by default, or any text such as the target sources."""

    AUTO_FOCUS = "#help-body"  # the app's own AUTO_FOCUS names a Today widget, absent here
    BINDINGS = [Binding("escape,q,question_mark,f1", "close", "Close")]

    def __init__(self, text: str = HELP) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        """The help text as Markdown."""
        with VerticalScroll(id="help-body", classes="modal-form"):
            yield Markdown(self.text)

    def action_close(self) -> None:
        """Close the help."""
        self.dismiss(None)
