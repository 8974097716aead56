"""The help screen: keys, what the numbers mean, and where they come from."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

HELP = """\
# bonecoach help

**Anywhere**: `F2` Today · `F3` Log · `F5` Bone · `F6` Exercise · `F7` Week · `F4` profile · `F1` this help · `ctrl+p` palette ·
`ctrl+q` quit. When no text field has focus, `1`, `2`, `p` and `?` do the same.

## Today
`[` / `]` previous / next day · `t` back to today · arrows move in the timeline ·
`e` or `enter` edit the entry · `d` delete it · `u` undo the last delete · `s` where each target
comes from · `o` override a target or limit

Bars: green = target met, yellow = close (80%+), red = low; **⚠ over limit** when an upper limit
is passed (for magnesium, only supplement magnesium counts, as in the IOM limit).
"+N unmeasured" means N entries have no value for that nutrient in the source data: shown as
unknown, never counted as 0.

## Log
Type to search the USDA catalog; arrows pick a food, `enter` moves to the amount (`escape`
goes back to Today). Choose grams or a
household portion (the amount is then a count, default 1). Time: `now`, `8am`, `19:30`,
`yesterday 19:30`, `2h ago` or ISO. `ctrl+s` jumps to supplements: `enter` logs one dose (or the
number typed in *doses*). `ctrl+n` adds your own supplement (per dose) or food (per serving) from
its label.

## Exercise
`enter` starts or resumes a session: `enter`/`space` done set, `t` timer, `s` skip, `h` this hurt,
`escape` pause. `u` your times and equipment, `w` why an exercise is left out.

## Sources
Food values: USDA SR28 (public domain). Vitamin K2: USDA MK-4, or published MK-7/total K2 for
natto, Gouda and a few others, each with its citation (`bonecoach foods show ID`). Targets: IOM 2011
/ NIH ODS; the K2 goal is personal (Knapen 2013), not an official target.

bonecoach coaches; it does not diagnose. Check changes to medication or supplements with your
clinician.
"""


class HelpScreen(ModalScreen[None]):
    """A page of Markdown: the help by default, or any text such as the target sources."""

    AUTO_FOCUS = "#help-body"  # the app's own AUTO_FOCUS names a Today widget, absent here
    BINDINGS = [Binding("escape,q,question_mark,f1", "close", "Close")]

    def __init__(self, text: str = HELP) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body", classes="modal-form"):
            yield Markdown(self.text)

    def action_close(self) -> None:
        self.dismiss(None)
