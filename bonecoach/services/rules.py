"""The conflict rules: checking a user's rule file against the shipped ones."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bonecoach.domain.conflicts import Rule


def check_rule_file(path: Path) -> list[Rule]:
    """The rules that would be in force with the user's rule file at ``path``, or an
    ``InputError`` naming every problem (file, rule and field)."""
    from bonecoach.catalog.rules import check_rule_file as check

    return check(path)
