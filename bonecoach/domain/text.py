"""Text from people and files, made safe to store and to show.

Names come from typing, Cronometer, JSON imports and a user's own products; the terminal shows
them. A control character (ESC starts a terminal command, NUL, a newline), a C1 control or a
bidirectional override (U+202E reverses what follows) must never reach it: each is removed at
the boundary, the models, whatever the source. Markup is another matter: the app renders data as
text, so "[bold]" stays literal there.
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator

from bonecoach.domain.plain_text import clean_text, unsafe_characters

__all__ = ["CleanText", "SourceText", "clean_text", "reader_source", "unsafe_characters"]

CleanText = Annotated[str, AfterValidator(clean_text)]


_NOTES = r"(?:bonecoach(?:'s)? )?DOMAIN\.md"
_NOTE_PATTERNS = [
    (re.compile(rf"\s*\(via {_NOTES}\)"), ""),
    (re.compile(rf",?;?\s*via {_NOTES}"), ""),  # "..., via DOMAIN.md": the source before it stands
    (re.compile(rf"\s*\({_NOTES}\)"), ""),
    (re.compile(rf"\s*,\s*{_NOTES}$"), ""),
    (re.compile(rf"^{_NOTES}:\s*"), "bonecoach's reference notes: "),
    (re.compile(rf"(?:from )?{_NOTES}"), "from bonecoach's reference notes"),
]


def reader_source(value: str) -> str:
    """A source as a reader sees it: the primary citation, without the name of the team's notes
    file it was copied through ("..., via DOMAIN.md"). The asset keeps the full trail."""
    for pattern, replacement in _NOTE_PATTERNS:
        value = pattern.sub(replacement, value)
    return value.strip()


SourceText = Annotated[str, AfterValidator(reader_source)]
"""A source or citation field: shown to people, so without internal file names."""
