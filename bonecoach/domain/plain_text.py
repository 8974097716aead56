"""Control characters out of text, without pydantic: the command line's fast paths clean what
they read back too (a kept Next up list printed into a status bar)."""

from __future__ import annotations

import re

_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_SPACING = re.compile("[\t\n\v\f\r\x85\u2028\u2029]")


def clean_text(value: str) -> str:
    """``value`` with control characters and direction overrides removed (line breaks and tabs
    become spaces), whitespace collapsed."""
    return " ".join(_UNSAFE.sub("", _SPACING.sub(" ", value)).split())


def unsafe_characters(value: str) -> bool:
    """Whether ``value`` holds anything ``clean_text`` removes (besides spacing)."""
    return bool(_UNSAFE.search(value.replace(" ", "")))
