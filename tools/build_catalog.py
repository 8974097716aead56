"""Build ``assets/foods.json`` from the USDA SR28 extract and the K2 measurements.

Run from the repository root, with the shared data folder beside it::

    python tools/build_catalog.py [--data ../shared/data] [--out assets/foods.json]

The output is committed and shipped as package data, so users never need ``../shared``.
Every number comes from a file in the data folder; nothing is typed in here except *which*
published K2 row describes which USDA food (``K2_MATCHES`` below), so that mapping stays
reviewable in one place.
"""

from __future__ import annotations

import argparse
import csv
import json
from pathlib import Path

from bonecoach.domain.nutrient_info import IU_PER_MCG_VITAMIN_D
from bonecoach.domain.nutrient_info import NUTRIENT_KEYS as APP_NUTRIENT_KEYS

USDA_CITATION = (
    "USDA ARS Nutrient Data Laboratory. USDA National Nutrient Database for Standard "
    "Reference, Release 28 (September 2015). Public domain."
)

# Column in usda_sr_bone_nutrients.csv -> nutrient key in the app.
USDA_COLUMNS = {
    "calcium_mg": "calcium_mg",
    "vitamin_d_mcg": "vitamin_d_mcg",
    "magnesium_mg": "magnesium_mg",
    "vitamin_k1_mcg": "vitamin_k1_mcg",
    "caffeine_mg": "caffeine_mg",
    "sodium_mg": "sodium_mg",
    "energy_kcal": "energy_kcal",
}
# Column in usda_sr_more_nutrients.csv (joined on the id) -> nutrient key in the app.
MORE_COLUMNS = {"protein_g": "protein_g", "potassium_mg": "potassium_mg"}
# The app's nutrients (energy, protein and potassium among them), in the app's order.
NUTRIENT_KEYS = list(APP_NUTRIENT_KEYS)

# USDA food -> the published K2 row (by its `food` text in k2_menaquinones.csv) and the column
# holding the per-100 g value. SR28 has only MK-4; these foods get their longer menaquinones from
# the literature instead, and the value replaces (never adds to) MK-4, because the samples differ.
K2_MATCHES: dict[str, tuple[str, str, str]] = {
    "16113": ("Natto (fermented soybeans, Japan)", "mk5_9_ug_per_100g", "MK-7"),
    "01022": ("Gouda cheese", "total_k2_ug_per_100g", "total K2"),
    "05282": ("Goose liver pate", "total_k2_ug_per_100g", "total K2"),
    "07054": ("Goose liver pate", "total_k2_ug_per_100g", "total K2"),
    "05027": ("Chicken liver", "total_k2_ug_per_100g", "total K2"),
}
# Foods where the literature gives only a range: shown to the user as a note, never counted.
K2_RANGE_NOTES: dict[str, str] = {
    "01040": "Emmental cheese (Switzerland)",
}


def _number(text: str) -> float | None:
    text = text.strip()
    return float(text) if text else None


def _portion_label(amount: str, unit: str) -> str:
    value = float(amount)
    shown = f"{value:g}"
    return f"{shown} {' '.join(unit.split())}"  # USDA pads some units: "cup  diced"


def load_k2_rows(path: Path) -> dict[str, dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["food"]: row for row in csv.DictReader(handle)}


def k2_annotation(food_id: str, mk4: float | None, k2_rows: dict[str, dict[str, str]]):
    """Pick one K2 value for a food, with where it came from and how confident it is."""
    if food_id in K2_MATCHES:
        name, column, form = K2_MATCHES[food_id]
        row = k2_rows[name]
        value = _number(row[column])
        if value is None:
            raise SystemExit(f"k2_menaquinones.csv row {name!r} has no {column}")
        secondary = row["source"].startswith("SECONDARY")
        return value, {
            "value_mcg_per_100g": value,
            "form": form,
            "source": row["source"],
            "confidence": "low (secondary quotation)" if secondary else "published measurement",
            "note": row["notes"],
        }
    if mk4 is not None:
        note = "MK-4 only: USDA SR28 has no longer menaquinones (MK-5 to MK-13)."
        if food_id in K2_RANGE_NOTES:
            row = k2_rows[K2_RANGE_NOTES[food_id]]
            note += f" Not counted: {row['notes']} ({row['source']})"
        return mk4, {
            "value_mcg_per_100g": mk4,
            "form": "MK-4",
            "source": f"{USDA_CITATION} Nutrient 428 (menaquinone-4).",
            "confidence": "published measurement",
            "note": note,
        }
    return None, None


def build(data: Path) -> dict:
    k2_rows = load_k2_rows(data / "k2_menaquinones.csv")
    portions: dict[str, list[list]] = {}
    with (data / "usda_sr_portions.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            grams = float(row["gram_weight"])
            if grams <= 0:
                continue
            label = _portion_label(row["amount"], row["unit_description"])
            portions.setdefault(row["fdc_or_ndb_id"], []).append([label, grams])

    more: dict[str, dict[str, str]] = {}
    with (data / "usda_sr_more_nutrients.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            more[row["fdc_or_ndb_id"]] = row
    groups: list[str] = []
    foods: list[list] = []
    with (data / "usda_sr_bone_nutrients.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if not row["calcium_mg"].strip():
                continue  # the catalog is for foods with a calcium value
            food_id = row["fdc_or_ndb_id"]
            values = {key: _number(row[column]) for key, column in USDA_COLUMNS.items()}
            extra = more.get(food_id, {})
            values |= {key: _number(extra.get(column, "")) for key, column in MORE_COLUMNS.items()}
            notes: dict[str, object] = {}
            if values["vitamin_d_mcg"] is None:
                iu = _number(row["vitamin_d_iu"])
                if iu is not None:
                    values["vitamin_d_mcg"] = round(iu / IU_PER_MCG_VITAMIN_D, 3)
                    notes["vitamin_d_mcg"] = f"Converted from USDA's {iu:g} IU (1 mcg = 40 IU); no mcg value in SR28."
            k2_value, k2_note = k2_annotation(food_id, _number(row["menaquinone4_mcg"]), k2_rows)
            values["vitamin_k2_mcg"] = k2_value
            if k2_note:
                notes["vitamin_k2"] = k2_note
            group = row["food_group"]
            if group not in groups:
                groups.append(group)
            foods.append(
                [
                    food_id,
                    row["description"],
                    groups.index(group),
                    [values[key] for key in NUTRIENT_KEYS],
                    portions.get(food_id, []),
                    notes,
                ]
            )
    return {
        "schema": 1,
        "source": USDA_CITATION,
        "source_note": (
            "Values per 100 g edible portion. An empty (null) value means SR28 has no value "
            "for that food and nutrient: unknown, not zero. Vitamin K2 values name their own "
            "source per food."
        ),
        "nutrient_keys": NUTRIENT_KEYS,
        "groups": groups,
        "foods": foods,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--out", type=Path, default=Path("assets/foods.json"))
    args = parser.parse_args()
    catalog = build(args.data)
    args.out.write_text(json.dumps(catalog, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {args.out}: {len(catalog['foods'])} foods, {len(catalog['groups'])} groups")


if __name__ == "__main__":
    main()
