"""Fractures as records: where, when, how (low trauma or not), and whether loading is cleared."""

from __future__ import annotations

from datetime import date

from bonecoach.domain.diagnosis import FRACTURE_LABELS, Fracture
from bonecoach.domain.errors import InputError
from bonecoach.domain.timeparse import parse_date
from bonecoach.services.context import Context


def add_fracture(ctx: Context, site: str, day: date | str, low_trauma: bool | None = None, cleared: bool = False,
                 fracture_id: str | None = None) -> Fracture:  # fmt: skip
    """Record (or, with ``fracture_id``, correct) a fracture: its site, date, whether it was a low
    trauma (a fall from standing height or less) and whether loading that limb is cleared."""
    when = day if isinstance(day, date) else parse_date(day, ctx.now().date())
    if when > ctx.now().date():
        raise InputError(f"The fracture date {when} is in the future.")
    site_key = site.strip().lower().replace(" ", "_").replace("-", "_")
    if site_key not in FRACTURE_LABELS:
        raise InputError(f"Unknown site {site!r}; use {', '.join(FRACTURE_LABELS)}.")
    if fracture_id is not None and fracture(ctx, fracture_id) is None:
        raise InputError(f"No fracture with id {fracture_id!r}.")
    record = Fracture(id=fracture_id or ctx.new_id(), site=site_key, date=when, low_trauma=low_trauma, cleared=cleared)
    ctx.repo.save_fracture(record)
    return record


def add_fracture_as_typed(ctx: Context, site: str, day: str, low_trauma: str, cleared: str,
                          fracture_id: str | None = None) -> Fracture:  # fmt: skip
    """``add_fracture`` from the form: trauma "yes", "no" or "unsure"; cleared "yes" or "no"."""
    if not site:
        raise InputError("Choose where the fracture was.")
    if not day.strip():
        raise InputError("Give the fracture date (YYYY-MM-DD; the 1st of the month will do).")
    trauma = {"yes": True, "no": False}.get(low_trauma)
    return add_fracture(ctx, site, day, trauma, cleared == "yes", fracture_id=fracture_id)


def delete_fracture(ctx: Context, fracture_id: str) -> Fracture:
    """Remove a fracture record; returns it, so that it can be put back."""
    found = fracture(ctx, fracture_id)
    if found is None or not ctx.repo.delete_fracture(fracture_id):
        raise InputError(f"No fracture with id {fracture_id!r}.")
    return found


def restore_fracture(ctx: Context, fracture: Fracture) -> None:
    """Put back a deleted fracture record."""
    ctx.repo.save_fracture(fracture)


def fracture(ctx: Context, fracture_id: str) -> Fracture | None:
    """One fracture record by id (as ``bone.scan`` and ``bone.lab`` find theirs)."""
    return next((f for f in ctx.repo.fractures() if f.id == fracture_id), None)


def fractures(ctx: Context) -> list[Fracture]:
    """The recorded fractures, oldest first."""
    return ctx.repo.fractures()
