"""Names a person types: cleaned, turned into ids, and resolved to one item (or the few it might mean)."""

from __future__ import annotations

import re
from datetime import datetime
from typing import TypeVar

from bonecoach.domain.errors import InputError
from bonecoach.domain.models import (
    MealSlot,
    Medication,
    Supplement,
)
from bonecoach.domain.text import unsafe_characters
from bonecoach.domain.timeparse import default_meal_for

MAX_NAME = 120


class AmbiguousMatch(InputError):
    """A name or query matched more than one thing; ``matches`` lists the best ones."""

    def __init__(self, message: str, matches: list[tuple[str, str]]) -> None:
        super().__init__(message)
        self.matches = matches


Named = TypeVar("Named", Medication, Supplement)


def resolve_named(items: list[Named], id_or_name: str, what: str, *, empty: str, missing: str) -> Named:
    """An item by id or exact name, or the single one whose id and name hold every word given."""
    text = id_or_name.strip().lower()
    if not text:
        raise InputError(empty)
    for item in items:
        if item.id == text or item.name.lower() == text:
            return item
    words = text.split()
    matches = [item for item in items if all(word in f"{item.id} {item.name}".lower() for word in words)]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise InputError(f"No {what} matches {id_or_name!r}; {missing}.")
    raise AmbiguousMatch(f"{id_or_name!r} matches several {what}s; give the id:", [(m.id, m.name) for m in matches[:8]])


def clean_name(text: str, what: str = "Name") -> str:
    """A name a person typed: trimmed, no control characters, not empty, not absurdly long."""
    name = " ".join(str(text).split())
    if not name:
        raise InputError(f"{what} cannot be empty.")
    if any(ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0 for ch in name):
        raise InputError(f"{what} cannot contain control characters.")
    if unsafe_characters(name):
        # U+202E and its kin reorder what a terminal shows after them: "tab\u202eelbat" misleads.
        raise InputError(f"{what} cannot contain direction-override or invisible formatting characters.")
    if len(name) > MAX_NAME:
        raise InputError(f"{what} is {len(name)} characters; keep it under {MAX_NAME}.")
    return name


def slugify(text: str) -> str:
    """A stable id from a name: lower case, words joined by hyphens."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:60] or "item"


def parse_meal(text: str | None, moment: datetime) -> MealSlot:
    """A meal slot by name (or its first letters), or the usual one for the time of day."""
    if not text:
        return MealSlot(default_meal_for(moment))
    wanted = text.strip().lower()
    for slot in MealSlot:
        if slot.value == wanted or (len(wanted) >= 2 and slot.value.startswith(wanted)):
            return slot
    names = ", ".join(slot.value for slot in MealSlot)
    raise InputError(f"Unknown meal {text!r}; use one of {names}.")
