"""What every use case shares: the repository, the clock and the reference data.

The use-case modules (``profiles``, ``foods``, ``entries``, ``meals``, ``suggestions``, ``review``,
``weeks``, ``upcoming``, ``exercise``, ``bone``, ``fractures``, ``regimen``, ``onboarding``) are
functions over a ``Context``; reference data is loaded on first use, and imported then, so that a
command that needs none of it starts fast.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, tzinfo
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from bonecoach.clock import Clock, wall_clock
from bonecoach.domain.errors import InputError
from bonecoach.domain.models import Entry, Medication, Supplement
from bonecoach.domain.timeparse import parse_when, parse_when_on
from bonecoach.storage.repository import Repository

if TYPE_CHECKING:  # each is imported where it is first loaded: a command imports what it uses
    from bonecoach.catalog.foods import FoodCatalog
    from bonecoach.domain.absorption import AbsorptionData
    from bonecoach.domain.conflicts import ConflictChecker, Rule
    from bonecoach.domain.targets import TargetTable


class Context:
    """A repository, a clock (passed in for tests) and the reference data, loaded once."""

    def __init__(
        self,
        repo: Repository,
        clock: Clock = wall_clock,
        catalog: FoodCatalog | None = None,
        zone: tzinfo | None = None,
    ) -> None:
        self.repo = repo
        self.clock = clock
        repo.clock = clock  # one clock for the run: what the repository dates, the services date alike
        if zone is not None:
            self.__dict__["zone"] = zone
        self.recent_cache: tuple[object, list[tuple[str, int, float | None]]] | None = None
        if catalog is not None:
            self.__dict__["catalog"] = catalog

    def now(self) -> datetime:
        """The current local time, to the minute."""
        return self.clock().replace(second=0, microsecond=0)

    @cached_property
    def zone(self) -> tzinfo:
        """The local time zone (``TZ``, else the system's), for the times people type: real hours
        across a change of the clocks."""
        from dateutil import tz

        return tz.tzlocal()

    def stamped(self, entry: Entry) -> Entry:
        """``entry`` with the UTC offset of its clock time in the local zone, as it is stored."""
        offset = self.zone.utcoffset(entry.at)
        if offset is None:
            return entry
        return entry.model_copy(update={"utc_offset_minutes": int(offset.total_seconds() // 60)})

    def moment(self, at: str | datetime | None) -> datetime:
        """When something happened: a time given as such, or what the person typed ("8am",
        "yesterday 19:00"; nothing = now)."""
        return at if isinstance(at, datetime) else parse_when(at, self.now(), zone=self.zone)

    def moment_on(self, text: str | None, day: date) -> datetime:
        """When something happened, typed for a chosen ``day`` ("7:30" is on that day)."""
        return parse_when_on(text, day, self.now(), zone=self.zone)

    @staticmethod
    def new_id() -> str:
        """A fresh id for an entry, scan or lab result."""
        return uuid.uuid4().hex[:12]

    @property
    def folder(self) -> Path:
        """The database folder."""
        return self.repo.root

    @property
    def readonly(self) -> bool:
        """Whether this window only reads (another bonecoach holds the database)."""
        return self.repo.readonly

    def try_writable(self) -> bool:
        """Take the database's lock if it has been let go; whether changes are saved now."""
        return self.repo.try_writable()

    def close(self) -> None:
        """Let go of the database (its lock, if held)."""
        self.repo.close()

    @cached_property
    def catalog(self) -> FoodCatalog:
        """The shipped USDA food catalog."""
        from bonecoach.catalog.foods import FoodCatalog

        return FoodCatalog.load()

    @cached_property
    def preset_supplements(self) -> list[Supplement]:
        """The shipped supplement presets."""
        from bonecoach.catalog.supplements import load_supplements

        return load_supplements()

    @cached_property
    def target_table(self) -> TargetTable:
        """The shipped DRI table."""
        from bonecoach.catalog.supplements import load_targets

        return load_targets()

    @cached_property
    def medications(self) -> list[Medication]:
        """The shipped medication list."""
        from bonecoach.catalog.medications import load_medications

        return load_medications()

    @cached_property
    def absorption(self) -> AbsorptionData:
        """The absorbable-calcium equation, food indices, calcium salts and citation (loaded once)."""
        from bonecoach.catalog.rules import load_absorption

        return load_absorption()

    @cached_property
    def rules_warning(self) -> str | None:
        """Why the user's rule file was not used, if it was not (set when the rules load)."""
        _ = self.checker
        return self.__dict__.get("_rules_warning")

    @cached_property
    def checker(self) -> ConflictChecker:
        """The conflict rules in force: shipped, plus the user's file in the database folder.

        A broken user file never silences the checks: the last good copy of it is used (or the
        shipped rules alone) and ``rules_warning`` says what is wrong.
        """
        from bonecoach.catalog.rules import (
            USER_RULES_NAME,
            check_rule_file,
            load_food_binders,
            load_plain_water,
            load_shipped_rules,
            parse_rule_file,
        )
        from bonecoach.domain.conflicts import ConflictChecker, carriers_of

        shipped = load_shipped_rules(self.medications)  # the list is read once, for the carriers too
        rules: list[Rule] = list(shipped.rules)
        path = self.repo.root / USER_RULES_NAME
        if path.exists():
            try:
                rules = check_rule_file(path, shipped)
                if not self.repo.readonly:
                    self.repo.save_setting("rules_last_good", path.read_text(encoding="utf-8"))
            except InputError as exc:
                last_good = self.repo.setting("rules_last_good")
                fallback = "the shipped rules"
                if isinstance(last_good, str):
                    from bonecoach.domain.conflicts import merge_rules

                    rules = merge_rules(shipped, parse_rule_file("last good copy", last_good))
                    fallback = "the last good copy of your rules"
                self.__dict__["_rules_warning"] = f"Your rule file has problems, so {fallback} are in use:\n{exc}"
        products = [*self.preset_supplements, *self.repo.user_supplements()]
        return ConflictChecker(
            [rule for rule in rules if rule.enabled], plain_water=load_plain_water(), load=self.absorption.equation,
            carriers=carriers_of(self.medications, products, load_food_binders()),
        )  # fmt: skip
