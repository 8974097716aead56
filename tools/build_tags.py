"""Build ``assets/food_tags.json``: which catalog foods carry oxalate or phytate, how much, and why.

    python tools/build_tags.py [--shared ../shared]

Plain water (the one thing an oral bisphosphonate's fast allows) is a second reviewable table,
``tools/plain_water.csv``: still, unflavoured waters only; sparkling mineral waters and flavoured
or fortified waters are left out (their minerals or additives are not plain water).

The matching is a reviewable table, ``tools/tag_matches.csv``: each row names a catalog food, the
measurement that describes it (Harvard oxalate table row, IFCT 2017 code, or a food cited in
DOMAIN.md), and for per-serving values the USDA portion that converts them to mg per 100 g.
Every value is read from the source file here; only the matching is written by hand. We ship
per-food annotations (level, the measured value, the citation), never the source tables.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
from pathlib import Path

HARVARD = "Harvard T.H. Chan SPH Oxalate Table, Nov 2023 (measurements from J. Knight's laboratory, UAB)"
IFCT = "Indian Food Composition Tables 2017 (Longvah et al., NIN/ICMR Hyderabad)"
DOMAIN_OXALATE = "High-oxalate foods list (mg per 1/2 cup) in bonecoach DOMAIN.md"
DOMAIN_PHYTATE = "100% wheat bran held calcium absorption near 23% regardless of dose (PubMed 8558315), via DOMAIN.md"
# DOMAIN.md: "Very high: > 50 mg per serving" (O'Connor 2003).
VERY_HIGH_OXALATE_MG_PER_SERVING = 50.0
# bonecoach's own classification (no source gives a cut-off): at least 400 mg phytate per 100 g
# of the raw or dry food is "high". Stated as ours wherever it is shown.
HIGH_PHYTATE_MG_PER_100G = 400.0


def oxalate_level(mg_per_serving: float) -> str:
    if mg_per_serving > VERY_HIGH_OXALATE_MG_PER_SERVING:
        return "very_high"
    return "high" if mg_per_serving >= 25 else "moderate" if mg_per_serving >= 10 else "low"


def domain_oxalate_values(domain_text: str) -> dict[str, float]:
    """The "High-oxalate foods (mg per 1/2 cup): beet greens 916, ..." list, by food name."""
    match = re.search(r"High-oxalate foods \(mg per 1/2 cup\):(.*?)\.", domain_text, re.S)
    if not match:
        raise SystemExit("DOMAIN.md: high-oxalate list not found")
    values = {}
    for part in match.group(1).replace("\n", " ").split(","):
        name, number = part.strip().rsplit(" ", 1)
        values[" ".join(name.split())] = float(number)
    return values


def portions(shared: Path) -> dict[tuple[str, str], float]:
    table = {}
    with (shared / "data" / "usda_sr_portions.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            label = f"{float(row['amount']):g} {' '.join(row['unit_description'].split())}"
            table[(row["fdc_or_ndb_id"], label)] = float(row["gram_weight"])
    return table


PLAIN_WATER_SOURCE = (
    "DOMAIN.md: alendronate, risedronate, ibandronate on waking with plain water only; the food is a still, "
    "unflavoured water in USDA SR28"
)


def plain_water(shared: Path, table: Path) -> list[dict[str, str]]:
    """The catalog foods that are plain water, each checked against SR28's name."""
    names = {}
    with (shared / "data" / "usda_sr_bone_nutrients.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            names[row["fdc_or_ndb_id"]] = row["description"]
    found = []
    for row in csv.DictReader(table.open(encoding="utf-8")):
        name = names.get(row["catalog_id"])
        if name is None or "water" not in name.lower():
            raise SystemExit(f"plain_water.csv: {row['catalog_id']} is not a water in SR28 ({name!r})")
        found.append({"food_id": row["catalog_id"], "name": name, "note": row["note"], "source": PLAIN_WATER_SOURCE})
    return found


def build(shared: Path, matches: Path, water: Path = Path("tools/plain_water.csv")) -> dict:
    data = shared / "data"
    harvard = {r["food"]: r for r in csv.DictReader((data / "oxalate_foods.csv").open(encoding="utf-8"))}
    ifct = {r["ifct_code"]: r for r in csv.DictReader((data / "ifct2017_oxalate_phytate.csv").open(encoding="utf-8"))}
    domain = domain_oxalate_values((shared / "DOMAIN.md").read_text(encoding="utf-8"))
    grams_of = portions(shared)
    tags = []
    for row in csv.DictReader(matches.open(encoding="utf-8")):
        food_id, kind, table, key = row["catalog_id"], row["kind"], row["table"], row["key"]
        portion_grams = None
        if row["portion"]:
            portion_grams = grams_of[(food_id, row["portion"])] * float(row["portion_factor"] or 1)
        tag: dict[str, object] = {"food_id": food_id, "kind": kind, "note": row["note"]}
        if table == "harvard":
            source = harvard[key]
            per_serving = float(source["oxalate_mg_per_serving"])
            measured = "measured" if source["directly_measured"] == "yes" else "calculated"
            tag.update(
                level=oxalate_level(per_serving),
                mg_per_100g=round(per_serving / portion_grams * 100, 1) if portion_grams else None,
                basis=f"{per_serving:g} mg per {source['serving']} ({measured}: {source['food'].lower()}); "
                f"per 100 g derived with USDA '{row['portion']}' x {row['portion_factor'] or 1}",
                source=HARVARD,
            )
        elif table == "domain" and kind == "oxalate":
            per_half_cup = domain[key]
            derived = round(per_half_cup / portion_grams * 100, 1) if portion_grams else None
            tag.update(
                level=oxalate_level(per_half_cup),
                mg_per_100g=derived,
                basis=f"{key} {per_half_cup:g} mg per 1/2 cup"
                + (f"; per 100 g derived with USDA '{row['portion']}' x {row['portion_factor']}" if derived else ""),
                source=DOMAIN_OXALATE,
            )
        elif table == "domain" and kind == "phytate":
            tag.update(
                level="very_high",
                mg_per_100g=None,
                basis=f"{key}: cited for phytate; content not given",
                source=DOMAIN_PHYTATE,
            )
        elif table == "ifct":
            source = ifct[key]
            if kind == "phytate":
                value = float(source["phytate_mg_per_100g"])
                level = "high" if value >= HIGH_PHYTATE_MG_PER_100G else "moderate"
                basis = f"IFCT {key} {source['food']}: phytate {value:g} mg/100 g (level: bonecoach's cut-off {HIGH_PHYTATE_MG_PER_100G:g} mg/100 g)"
            else:
                value = float(source["total_oxalate_mg_per_100g"])
                per_serving = value * (portion_grams or 0) / 100
                level = oxalate_level(per_serving)
                basis = f"IFCT {key} {source['food']}: total oxalate {value:g} mg/100 g; {per_serving:.0f} mg in USDA '{row['portion']}'"
            tag.update(level=level, mg_per_100g=value, basis=basis, source=f"{IFCT}, {key}")
        else:
            raise SystemExit(f"tag_matches.csv: unknown table {table!r} for {food_id}")
        tags.append(tag)
    return {
        "schema": 1,
        "note": (
            "Per-food annotations of calcium inhibitors for the shipped catalog: level, value and citation. "
            "Made by tools/build_tags.py from tools/tag_matches.csv; the source tables are not shipped."
        ),
        "thresholds": {
            "oxalate_very_high_mg_per_serving": VERY_HIGH_OXALATE_MG_PER_SERVING,
            "oxalate_source": "Very high: > 50 mg per serving (O'Connor 2003), via DOMAIN.md",
            "phytate_high_mg_per_100g": HIGH_PHYTATE_MG_PER_100G,
            "phytate_source": "bonecoach's own cut-off; no source gives one",
        },
        "tags": tags,
        "plain_water": plain_water(shared, water),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    parser.add_argument("--matches", type=Path, default=Path("tools/tag_matches.csv"))
    parser.add_argument("--out", type=Path, default=Path("assets/food_tags.json"))
    args = parser.parse_args()
    result = build(args.shared, args.matches)
    args.out.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {args.out}: {len(result['tags'])} tags")


if __name__ == "__main__":
    main()
