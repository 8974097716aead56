"""Logging: foods, supplements, medications and one-line logs, and editing, deleting and undoing entries."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from bonecoach.domain.amounts import (
    check_doses,
    check_grams,
    grams_for_portion,
    parse_number,
    usual_portion,
)
from bonecoach.domain.day import food_entry, medication_entry, supplement_entry, with_water_calcium
from bonecoach.domain.errors import InputError
from bonecoach.domain.logline import LineItem
from bonecoach.domain.models import (
    Entry,
    Food,
    Medication,
    Supplement,
)
from bonecoach.domain.timeparse import parse_when
from bonecoach.services import foods
from bonecoach.services.context import Context
from bonecoach.services.names import clean_name, parse_meal


@dataclass(frozen=True)
class LineMatch:
    """One item of a one-line log: the food it matched, how surely ("sure", "ambiguous",
    "unknown"), what to show, and the entry it would log."""

    item: LineItem
    food: Food | None
    strength: str
    message: str
    entry: Entry | None = None
    candidates: tuple[str, ...] = ()
    """The foods it could be, best first (ids): an unsure item is chosen from these."""


@dataclass(frozen=True)
class LinePreview:
    """What a line would log, at one time."""

    items: tuple[LineMatch, ...]
    at: datetime

    @property
    def ready(self) -> bool:
        """Whether every item is surely matched (only then is anything logged)."""
        return all(match.strength == "sure" and match.entry is not None for match in self.items)


CANDIDATES = 8  # foods offered for an unsure item of a line


def _line_amount(food: Food, item: LineItem) -> tuple[float, str | None]:
    """Grams and how to describe them, for an item of a line: grams as typed; a household unit
    (derived from another volume the food is weighed by, if it lists none of that unit); a
    count of the food's own unit ("5 figs"); else its usual portion. ``InputError`` says why not."""
    from bonecoach.domain.portions import counted_portion, derived_volume

    if item.grams is not None:
        return check_grams(item.grams), None
    if item.unit is not None:
        try:
            return grams_for_portion(food, item.unit, item.count)
        except InputError:
            derived = derived_volume(food, item.unit, item.count)
            if derived is None:
                measures = ", ".join(p.label for p in food.portions[:4]) or "none"
                raise InputError(f"{food.name} is not weighed by the {item.unit} in SR28 (its measures: "
                                 f"{measures}); give grams, e.g. '15 g {item.query}'.") from None  # fmt: skip
            return check_grams(derived[0]), derived[1]
    if item.counted and (own := counted_portion(food, item.query)) is not None:
        portion, per = own
        return grams_for_portion(food, portion.label, item.count / per)
    if (usual := usual_portion(food)) is not None:
        return grams_for_portion(food, usual.label, item.count)
    raise InputError(f"{food.name} has no household portions; give grams, e.g. '100 g {item.query}'.")


def preview_line(ctx: Context, text: str, *, day: date | None = None, when: str | None = None,
                 chosen: Mapping[int, str] | None = None) -> LinePreview:  # fmt: skip
    """What a line such as "1 cup milk 2%, coffee at 8am" would log: each item with the food it
    matched, how surely, and the amount; nothing is logged. ``day``: the day to log into (a time
    without a day is on it); ``when``: the time when the line gives none; ``chosen``: foods the
    person picked for unsure items, by the item's place in the line (sure as picked)."""
    from bonecoach.domain.logline import parse_log_line
    from bonecoach.domain.search import match_strength

    line = parse_log_line(text)
    typed = line.when or when
    moment = ctx.moment_on(typed, day) if day is not None else parse_when(typed, ctx.now(), zone=ctx.zone)
    items = []
    for number, item in enumerate(line.items):
        found = foods.search_foods(ctx, item.query, limit=CANDIDATES)
        candidates = tuple(food.id for food in found)
        picked = (chosen or {}).get(number)
        food = ctx.catalog.get(picked) if picked else (found[0] if found else None)
        if food is None:
            items.append(LineMatch(item, None, "unknown", f"{item.text!r}: no food matches {item.query!r}."))
            continue
        reviewed = food.id in ctx.catalog.eaten_as(item.query)  # the reviewed form for exactly this name
        strength = "sure" if picked or reviewed else match_strength(item.query, food.name)
        try:
            grams, portion = _line_amount(food, item)
        except InputError as exc:
            items.append(LineMatch(item, food, "ambiguous", f"{item.text!r}: {exc}", candidates=candidates))
            continue
        note = "" if strength == "sure" else f" (only some words of {item.query!r} match: check it)"
        at = moment
        if item.when is not None:  # its own time, on the line's day unless it names another
            try:
                at = ctx.moment_on(item.when, moment.date())
            except InputError as exc:
                raise InputError(f"{item.text!r}: {exc}") from None
            note += f" at {at:%H:%M}" if at.date() == moment.date() else f" at {at:%Y-%m-%d %H:%M}"
        entry = _own_water(ctx, food_entry(ctx.new_id(), food, grams, at, parse_meal(None, at), portion))
        items.append(LineMatch(item, food, strength, f"{item.text} -> {food.id} {food.name}, "
                               f"{portion or f'{grams:g} g'} ({grams:g} g){note}", entry, candidates))  # fmt: skip
    return LinePreview(tuple(items), moment)


def log_line(ctx: Context, preview: LinePreview) -> list[Entry]:
    """Log every item of a previewed line, as one change; refused unless every item is sure."""
    unsure = [match.message for match in preview.items if match.strength != "sure" or match.entry is None]
    if unsure:
        raise InputError("Nothing was logged: " + " ".join(unsure))
    entries = [match.entry for match in preview.items if match.entry is not None]
    entries = [ctx.stamped(item) for item in entries]
    ctx.repo.add_entries(entries)
    return entries


def _own_water(ctx: Context, entry: Entry) -> Entry:
    """Plain water counted at the calcium of the person's own water, when they gave it."""
    profile = ctx.repo.profile()
    mg_per_litre = profile.water_calcium_mg_per_l if profile is not None else None
    if mg_per_litre is None or entry.ref not in ctx.checker.plain_water:
        return entry
    return with_water_calcium(entry, mg_per_litre)


def log_food(
    ctx: Context,
    food: Food | str,
    *,
    grams: float | None = None,
    portion: str | None = None,
    count: float = 1.0,
    at: str | datetime | None = None,
    meal: str | None = None,
) -> Entry:
    """Log an amount of a food (grams, or a count of one of its portions)."""
    chosen = food if isinstance(food, Food) else foods.resolve_food(ctx, food)
    if (grams is None) == (portion is None):
        raise InputError("Give the amount either in grams or as a portion (e.g. '1 cup').")
    if grams is not None:
        amount, described = check_grams(grams), None
    else:
        amount, described = grams_for_portion(chosen, portion or "", count)
    moment = ctx.moment(at)
    entry = _own_water(ctx, food_entry(ctx.new_id(), chosen, amount, moment, parse_meal(meal, moment), described))
    entry = ctx.stamped(entry)
    ctx.repo.add_entry(entry)
    return entry


def log_supplement(
    ctx: Context, supplement: Supplement | str, *, doses: float = 1.0, at: str | datetime | None = None
) -> Entry:
    """Log doses of a supplement."""
    product = supplement if isinstance(supplement, Supplement) else foods.resolve_supplement(ctx, supplement)
    doses = check_doses(doses)
    moment = ctx.moment(at)
    entry = supplement_entry(ctx.new_id(), product, doses, moment)
    entry = ctx.stamped(entry)
    ctx.repo.add_entry(entry)
    return entry


def log_medication(ctx: Context, medication: Medication | str, *, at: str | datetime | None = None) -> Entry:
    """Log a dose of a medication (its timing is what the conflict rules check)."""
    chosen = medication if isinstance(medication, Medication) else foods.resolve_medication(ctx, medication)
    moment = ctx.moment(at)
    entry = medication_entry(ctx.new_id(), chosen, moment)
    entry = ctx.stamped(entry)
    ctx.repo.add_entry(entry)
    return entry


def save_supplement_set(ctx: Context, name: str, items: list[tuple[str, float]]) -> str:
    """Name a set of supplements (e.g. "morning") to log in one action; the name it is kept under."""
    name = clean_name(name, "Set name").lower()
    if not items:
        raise InputError("A supplement set needs at least one supplement.")
    checked = [(foods.resolve_supplement(ctx, sid).id, check_doses(doses)) for sid, doses in items]
    ctx.repo.save_supplement_set(name, checked)
    return name


def delete_supplement_set(ctx: Context, name: str) -> bool:
    """Remove a saved supplement set; whether there was one of that name."""
    return ctx.repo.delete_supplement_set(name.strip().lower())


def supplement_sets(ctx: Context) -> dict[str, list[tuple[str, float]]]:
    """The saved supplement sets: name -> (supplement id, doses)."""
    return ctx.repo.supplement_sets()


def log_supplement_set(ctx: Context, name: str, at: str | datetime | None = None) -> list[Entry]:
    """Log every supplement of a saved set at one time, as one action."""
    sets = ctx.repo.supplement_sets()
    key = name.strip().lower()
    if key not in sets:
        known = ", ".join(sorted(sets)) or "none saved yet"
        raise InputError(f"No supplement set {name!r} (saved sets: {known}).")
    moment = ctx.moment(at)
    entries = []
    for supplement_id, doses in sets[key]:
        product = foods.resolve_supplement(ctx, supplement_id)
        entries.append(supplement_entry(ctx.new_id(), product, doses, moment))
    entries = [ctx.stamped(item) for item in entries]
    ctx.repo.add_entries(entries)
    return entries


def edit_entry(
    ctx: Context,
    entry_id: str,
    *,
    grams: float | None = None,
    doses: float | None = None,
    at: str | None = None,
    meal: str | None = None,
) -> Entry:
    """Change an entry's amount, time or meal; its nutrients are recomputed from the amount."""
    entry = ctx.repo.get_entry(entry_id)
    if entry is None:
        raise InputError(f"No entry with id {entry_id!r}.")
    updates: dict[str, object] = {}
    if grams is not None:
        if entry.kind != "food" or not entry.grams:
            raise InputError("Only a food's amount is in grams; give doses for a supplement.")
        grams = check_grams(grams)
        updates.update(grams=grams, portion=None, nutrients=entry.nutrients.scaled(grams / entry.grams))
    if doses is not None:
        if entry.kind != "supplement" or not entry.doses:
            raise InputError("Only a supplement is counted in doses; give grams for a food.")
        doses = check_doses(doses)
        updates.update(doses=doses, nutrients=entry.nutrients.scaled(doses / entry.doses))
    if at is not None:
        updates["at"] = parse_when(at, ctx.now(), zone=ctx.zone)
    if meal is not None:
        updates["meal"] = parse_meal(meal, entry.at)
    if not updates:
        raise InputError("Nothing to change: give a new amount, time or meal.")
    updates["edited"] = ctx.clock().replace(microsecond=0)
    changed = ctx.stamped(entry.model_copy(update=updates))
    ctx.repo.replace_entry(changed)
    return changed


def entry(ctx: Context, entry_id: str) -> Entry | None:
    """One logged entry by id."""
    return ctx.repo.get_entry(entry_id)


AMOUNT_SHOWN_PRECISION = 0.05  # the edit form shows an amount to one decimal: within it, unchanged


def count_as_typed(text: str, what: str) -> float:
    """How many (servings, doses) as typed on a form: nothing typed is one."""
    return parse_number(text, what) if text.strip() else 1.0


def log_food_as_typed(
    ctx: Context,
    food: Food | str,
    amount: str,
    portion: str | None,
    *,
    at: str | datetime | None = None,
    meal: str | None = None,
) -> Entry:
    """A food logged as typed in the Log tab: ``amount`` is grams when ``portion`` is ``None``
    (then it is needed), else how many of that portion (nothing typed: one)."""
    text = amount.strip()
    if portion is None:
        if not text:
            raise InputError("Give the amount in grams.")
        return log_food(ctx, food, grams=parse_number(text, "Grams"), at=at, meal=meal)
    return log_food(ctx, food, portion=portion, count=count_as_typed(text, "Count"), at=at, meal=meal)


def edit_entry_as_typed(
    ctx: Context, entry_id: str, amount: str, *, at: str | None = None, meal: str | None = None
) -> Entry:
    """An edit as typed on a form: the amount in the entry's own unit (grams for a food, doses
    for a supplement), the time and the meal."""
    found = ctx.repo.get_entry(entry_id)
    if found is None:
        raise InputError(f"No entry with id {entry_id!r}.")
    value = parse_number(amount, "Amount")
    # Only what the person changed: the amount shown unchanged keeps the entry's portion ("1 cup").
    current = found.grams if found.kind == "food" else found.doses
    changed = None if current is not None and abs(value - current) < AMOUNT_SHOWN_PRECISION else value
    if changed is None and at is None and meal is None:
        raise InputError("Nothing to change: give a new amount, time or meal.")
    if found.kind == "food":
        return edit_entry(ctx, entry_id, grams=changed, at=at, meal=meal)
    return edit_entry(ctx, entry_id, doses=changed, at=at, meal=meal)


def delete_entry(ctx: Context, entry_id: str) -> Entry:
    """Delete an entry (undo puts it back)."""
    try:
        return ctx.repo.delete_entry(entry_id)
    except KeyError:
        raise InputError(f"No entry with id {entry_id!r}.") from None


def undo_delete(ctx: Context) -> Entry | None:
    """Restore the most recently deleted entry."""
    return ctx.repo.restore_last_deleted()


def when_text(ctx: Context, at: datetime) -> str:
    """When an entry sits, as a notice says it: "07:30" today, "07:30 yesterday", else
    "07:30 on Thu 03 Dec" (a back-logged entry must not read as today's)."""
    days = (ctx.now().date() - at.date()).days
    if days == 0:
        return f"{at:%H:%M}"
    return f"{at:%H:%M} yesterday" if days == 1 else f"{at:%H:%M} on {at:%a %d %b}"
