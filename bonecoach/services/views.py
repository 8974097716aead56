"""Plain-data views of domain objects: the JSON shapes of ``--json`` output and exports.

The key names here are an interface scripts rely on; the README documents them.
"""

from __future__ import annotations

from typing import Any

from bonecoach.domain.day import DaySummary
from bonecoach.domain.models import Entry, Food, Supplement
from bonecoach.domain.nutrients import NUTRIENT_KEYS, Nutrients
from bonecoach.domain.targets import Target


def nutrients_json(nutrients: Nutrients) -> dict[str, float | None]:
    """Nutrient key -> amount (``null`` when unknown)."""
    return nutrients.as_dict()


def entry_json(entry: Entry) -> dict[str, Any]:
    """An entry: its own nutrient values sit beside its fields and again under ``nutrients``."""
    data: dict[str, Any] = {
        "id": entry.id,
        "at": entry.at.isoformat(),
        "kind": entry.kind,
        "ref": entry.ref,
        "name": entry.name,
        "meal": entry.meal.value,
    }
    if entry.kind == "food":
        data["grams"] = entry.grams
        data["portion"] = entry.portion
    else:
        data["doses"] = entry.doses
    values = nutrients_json(entry.nutrients)
    data.update(values)
    data["nutrients"] = values
    return data


def target_json(target: Target | None) -> dict[str, Any]:
    """A target with its limit and provenance; nulls where there is none."""
    if target is None:
        return {"target": None, "upper_limit": None, "official": None, "source": None}
    return {
        "target": target.target,
        "upper_limit": target.upper_limit,
        "upper_limit_applies_to": target.upper_limit_applies_to,
        "official": target.official,
        "overridden": target.overridden,
        "source": target.source,
        "note": target.note,
    }


def day_json(summary: DaySummary) -> dict[str, Any]:
    """The ``day --json`` document."""
    return {
        "date": summary.date.isoformat(),
        "totals": {key: summary.totals[key].amount for key in NUTRIENT_KEYS},
        "unknown_entries": {key: summary.totals[key].unknown_entries for key in NUTRIENT_KEYS},
        "supplement_totals": summary.supplement_totals,
        "targets": {key: target_json(summary.targets.get(key)) for key in NUTRIENT_KEYS},
        "status": {key: summary.status(key) for key in NUTRIENT_KEYS},
        "entries": [entry_json(entry) for entry in summary.entries],
    }


def food_json(food: Food) -> dict[str, Any]:
    """A food with its per-100 g nutrients, portions and sources."""
    return {
        "id": food.id,
        "name": food.name,
        "group": food.group,
        "per_100g": nutrients_json(food.per_100g),
        "energy_kcal_per_100g": food.energy_kcal_per_100g,
        "portions": [{"label": p.label, "grams": p.grams} for p in food.portions],
        "source": food.source,
        "notes": food.notes,
        "custom": food.custom,
    }


def supplement_json(product: Supplement) -> dict[str, Any]:
    """A supplement: nutrients per dose beside its fields and again under ``nutrients``."""
    values = nutrients_json(product.nutrients)
    return {
        "id": product.id,
        "name": product.name,
        "form": product.form,
        "dose_label": product.dose_label,
        **values,
        "nutrients": values,
        "advice": product.advice,
        "source": product.source,
        "custom": product.custom,
    }
