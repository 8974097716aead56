"""Looking back at days: a day's totals and conflicts, many days at once, the absorbable calcium
of a day and of many, and the conflicts that entries just logged brought.

The week's adherence, trends and streaks are in ``services.weeks``; Next up is in
``services.upcoming``: a command that shows one day imports neither."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from bonecoach.domain.absorption import AbsorbedMean, AbsorptionEstimate, mean_absorbed
from bonecoach.domain.conflict_news import new_conflicts
from bonecoach.domain.conflicts import Conflict
from bonecoach.domain.day import DaySummary, summarize_day
from bonecoach.domain.models import Entry
from bonecoach.domain.targets import Target, age_on, targets_for
from bonecoach.services import foods, profiles
from bonecoach.services.context import Context


def day(ctx: Context, day: date | None = None) -> DaySummary:
    """The day's entries, totals, targets and conflicts."""
    chosen = day or ctx.now().date()
    # Windows can cross midnight, so the neighbouring days take part in the checks.
    around = ctx.repo.entries_between(chosen - timedelta(days=1), chosen + timedelta(days=1))
    targets = profiles.targets(ctx, chosen)
    conflicts = ctx.checker.check_day(chosen, around, targets, day_complete=chosen < ctx.now().date(), zone=ctx.zone)
    entries = [entry for entry in around if entry.at.date() == chosen]
    return summarize_day(chosen, entries, targets, conflicts)


def days(
    ctx: Context, start: date, end: date, *, conflicts: bool = True, fixes: bool = False
) -> dict[date, DaySummary]:
    """Every day from ``start`` to ``end`` as ``day()`` gives it, from one read of the period.

    For reviews of many days: ``fixes=False`` (the default here) leaves out the suggested
    times, the costly part, and ``conflicts=False`` the conflict pass altogether."""
    by_day: dict[date, list[Entry]] = {}
    for entry in ctx.repo.entries_between(start - timedelta(days=1), end + timedelta(days=1)):
        by_day.setdefault(entry.at.date(), []).append(entry)
    profile = ctx.repo.profile()
    today = ctx.now().date()
    found: dict[date, DaySummary] = {}
    by_age: dict[int, dict[str, Target]] = {}  # targets depend on the day only through age
    current = start
    while current <= end:
        targets: dict[str, Target] = {}
        if profile is not None:
            age = age_on(profile.birth_date, current)
            if age not in by_age:
                by_age[age] = targets_for(profile, current, ctx.target_table)
            targets = by_age[age]
        entries = by_day.get(current, [])
        clashes = []
        if conflicts and entries:
            before = by_day.get(current - timedelta(days=1), [])
            after = by_day.get(current + timedelta(days=1), [])
            clashes = ctx.checker.check_day(
                current, before + entries + after, targets, fixes=fixes, day_complete=current < today, zone=ctx.zone
            )
        found[current] = summarize_day(current, entries, targets, clashes)
        current += timedelta(days=1)
    return found


def absorbable(ctx: Context, summary: DaySummary, salts: dict[str, str] | None = None) -> AbsorptionEstimate:
    """The day's absorbable calcium (estimate) from its entries (``salts``: ``supplement_salts``,
    when the caller has them for many days)."""
    from bonecoach.domain.absorption import absorbable_calcium

    return absorbable_calcium(summary.entries, ctx.absorption, supplement_salts(ctx) if salts is None else salts)


def absorbed_mean(ctx: Context, summaries: Iterable[DaySummary]) -> AbsorbedMean | None:
    """The daily absorbable-calcium estimate over the logged days (the week and the report); the
    products' salts are read once, not once per day."""
    salts = supplement_salts(ctx)
    return mean_absorbed([absorbable(ctx, s, salts) for s in summaries if s.entries])


def supplement_salts(ctx: Context) -> dict[str, str]:
    """Each supplement's calcium salt by id (shipped and the person's own), read from its form."""
    from bonecoach.domain.absorption import salt_of

    found = {}
    for product in foods.supplements(ctx):
        salt = salt_of(product.form)
        if salt is not None:
            found[product.id] = salt
    return found


def conflicts_from(ctx: Context, entries: list[Entry], known: DaySummary | None = None) -> list[Conflict]:
    """The conflicts that involve any of ``entries`` (e.g. just logged), on their days
    (``known``: a summary computed since they were stored, reused for its day)."""
    ids = {entry.id for entry in entries}
    found: list[Conflict] = []
    for on in sorted({entry.at.date() for entry in entries}):
        fresh = (
            known is not None
            and known.date == on
            and {e.id for e in entries if e.at.date() == on} <= {e.id for e in known.entries}
        )
        summary = known if fresh and known is not None else day(ctx, on)
        found += [c for c in summary.conflicts if ids & set(c.entries)]
    return found


def new_conflicts_from(ctx: Context, entries: list[Entry], known: DaySummary | None = None) -> list[Conflict]:
    """The conflicts that ``entries`` (just logged) brought to their days: those their days did
    not have without them (a meal's old conflict that only gained the new item is not new).
    ``known``: a summary computed since they were stored, reused for its day."""
    added = {entry.id for entry in entries}
    found: list[Conflict] = []
    for on in sorted({entry.at.date() for entry in entries}):
        around = ctx.repo.entries_between(on - timedelta(days=1), on + timedelta(days=1))
        targets = profiles.targets(ctx, on)
        complete = on < ctx.now().date()
        # Only which rule and which entries count for "before": its fixes are not computed.
        before = ctx.checker.check_day(on, [e for e in around if e.id not in added], targets, fixes=False,
                                       day_complete=complete, zone=ctx.zone)  # fmt: skip
        after = (known.conflicts if known is not None and known.date == on
                 and {e.id for e in entries if e.at.date() == on} <= {e.id for e in known.entries}
                 else ctx.checker.check_day(on, around, targets, day_complete=complete, zone=ctx.zone))  # fmt: skip
        found += new_conflicts(before, after, added)
    return found
