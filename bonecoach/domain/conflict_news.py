"""What a log changed: the conflicts a day has after some entries were added that it did not
have before them. One notice per log says these, not the meal's old conflicts again."""

from __future__ import annotations

from collections.abc import Collection, Iterable

from bonecoach.domain.conflicts import Conflict


def new_conflicts(before: Iterable[Conflict], after: Iterable[Conflict], added: Collection[str]) -> list[Conflict]:
    """The conflicts of ``after`` that are not ``before``'s, once the ``added`` entry ids are set
    aside: a meal's calcium-load conflict that only gained the new item is the same conflict; a
    new pair, or a rule newly crossed, is new."""
    added_ids = set(added)
    known = {(c.rule, frozenset(c.entries)) for c in before}
    found: list[Conflict] = []
    for conflict in after:
        if not added_ids & set(conflict.entries):
            continue  # not about what was just logged
        old_part = frozenset(conflict.entries) - added_ids
        if old_part and (conflict.rule, old_part) in known:
            continue
        found.append(conflict)
    return found
