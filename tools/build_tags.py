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

``tools/harvard_unmatched.csv`` lists each Harvard row at or above 25 mg a serving that no SR28 food
stands for, with why (a test checks every such row is matched or listed there).

Coverage by food, not by row (two more reviewable tables):
- ``tools/inhibitor_forms.csv``: every SR28 food whose name matches a pattern (raw, boiled, frozen,
  canned, salted, drained, roasted... forms of a measured food) carries the measurement of its
  anchor (the raw or the cooked one, by the form's state), **derived**: mg per 100 g scaled by the
  form's magnesium per 100 g over the anchor's (USDA SR28). Magnesium marks how much of the plant
  100 g holds: cooking water, syrup, sugar or oil lower it in proportion; the value is labelled
  "derived from <anchor>" with the numbers used.
- ``tools/inhibitor_dishes.csv``: mixed dishes and products named for an inhibitor ingredient
  (spinach souffle, bran cereals, granola with almonds) get a level only, marked **estimate**.

``--report`` prints the coverage per inhibitor (measured, derived, estimated) and checks
``tools/inhibitor_reviewed.csv``, the reviewed list of well-known foods: each must be tagged
(``tagged``), or stays untagged because our sources give no value (``no_source``), or must never be
tagged (``never``: low-oxalate greens whose calcium is well absorbed). The test suite runs the
same check, so CI fails when a reviewed food loses its tag.
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


COOKED = re.compile(r"\b(cooked|boiled|canned|stewed|baked|microwaved|steamed|fried|roasted|toasted|prepared)\b", re.I)
ESTIMATE_SOURCE = "bonecoach estimate from the food's name (no measurement of this food in our sources)"


def sr28(shared: Path) -> dict[str, dict[str, str]]:
    with (shared / "data" / "usda_sr_bone_nutrients.csv").open(encoding="utf-8") as handle:
        return {row["fdc_or_ndb_id"]: row for row in csv.DictReader(handle)}


def _magnesium(row: dict[str, str]) -> float | None:
    value = row.get("magnesium_mg") or ""
    return float(value) if value and float(value) > 0 else None


def matching(rule: dict[str, str], foods: dict[str, dict[str, str]]) -> list[tuple[str, dict[str, str]]]:
    """The SR28 foods a reviewed row names: its ``pattern`` matches, its ``exclude`` does not."""
    pattern = re.compile(rule["pattern"], re.I)
    exclude = re.compile(rule["exclude"], re.I) if rule["exclude"] else None
    return [
        (food_id, row)
        for food_id, row in foods.items()
        if pattern.search(row["description"]) and not (exclude and exclude.search(row["description"]))
    ]


def derive_forms(foods: dict[str, dict[str, str]], direct: list[dict], forms: Path) -> list[dict]:
    """Tags for every form of a measured food (see the module docstring)."""
    by_key = {(tag["food_id"], tag["kind"]): tag for tag in direct}
    derived: list[dict] = []
    for rule in csv.DictReader(forms.open(encoding="utf-8")):
        kind = rule["kind"]
        for food_id, row in matching(rule, foods):
            name = row["description"]
            if (food_id, kind) in by_key:
                continue
            cooked = bool(COOKED.search(name)) and "unprepared" not in name.lower()
            anchor_id = rule["cooked_anchor"] if cooked else rule["raw_anchor"]
            anchor = by_key.get((anchor_id, kind))
            if anchor is None:
                raise SystemExit(f"inhibitor_forms.csv: {anchor_id} has no measured {kind} tag in tag_matches.csv")
            anchor_name = foods[anchor_id]["description"]
            tag = {"food_id": food_id, "kind": kind, "level": anchor["level"], "mg_per_100g": None,
                   "origin": "derived", "derived_from": anchor_id, "source": anchor["source"], "note": rule["note"]}  # fmt: skip
            form_mg, anchor_mg = _magnesium(row), _magnesium(foods[anchor_id])
            if anchor["mg_per_100g"] is not None and form_mg and anchor_mg:
                ratio = form_mg / anchor_mg
                value = round(anchor["mg_per_100g"] * ratio, 1)
                tag["mg_per_100g"] = value
                if kind == "phytate":
                    tag["level"] = "high" if value >= HIGH_PHYTATE_MG_PER_100G else "moderate"
                tag["basis"] = (
                    f"derived from {anchor_id} {anchor_name}: {anchor['mg_per_100g']:g} mg/100 g x {ratio:.2f} "
                    f"(magnesium {form_mg:g} vs {anchor_mg:g} mg/100 g in USDA SR28, a marker of how much of the "
                    f"food 100 g holds). Measured food: {anchor['basis']}"
                )
            else:
                tag["basis"] = f"derived from {anchor_id} {anchor_name}: level only. Measured food: {anchor['basis']}"
            derived.append(tag)
            by_key[(food_id, kind)] = tag
    return derived


def estimate_dishes(foods: dict[str, dict[str, str]], tagged: set[tuple[str, str]], dishes: Path) -> list[dict]:
    """A level, marked estimate, for dishes and products named for an inhibitor ingredient."""
    found: list[dict] = []
    for rule in csv.DictReader(dishes.open(encoding="utf-8")):
        kind = rule["kind"]
        for food_id, _row in matching(rule, foods):
            if (food_id, kind) in tagged:
                continue
            found.append({"food_id": food_id, "kind": kind, "level": rule["level"], "mg_per_100g": None,
                          "origin": "estimate", "derived_from": None, "note": rule["note"], "source": ESTIMATE_SOURCE,
                          "basis": f"estimate: contains {rule['ingredient']} (named in the food); {rule['note']}"})  # fmt: skip
            tagged.add((food_id, kind))
    return found


def build(
    shared: Path,
    matches: Path,
    water: Path = Path("tools/plain_water.csv"),
    forms: Path = Path("tools/inhibitor_forms.csv"),
    dishes: Path = Path("tools/inhibitor_dishes.csv"),
) -> dict:
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
        tag.update(origin="measured", derived_from=None)
        tags.append(tag)
    foods = sr28(shared)
    tags += derive_forms(foods, tags, forms)
    tags += estimate_dishes(foods, {(t["food_id"], t["kind"]) for t in tags}, dishes)
    return {
        "schema": 1,
        "note": (
            "Per-food annotations of calcium inhibitors for the shipped catalog: level, value and citation. "
            "Made by tools/build_tags.py from tools/tag_matches.csv (measured), tools/inhibitor_forms.csv "
            "(derived forms) and tools/inhibitor_dishes.csv (estimates); the source tables are not shipped."
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


def coverage(tags: list[dict], reviewed: Path) -> tuple[list[str], list[str]]:
    """The coverage report's lines, and the reviewed foods whose tag is not as reviewed."""
    lines = []
    for kind in ("oxalate", "phytate"):
        counts = {origin: sum(1 for t in tags if t["kind"] == kind and t["origin"] == origin)
                  for origin in ("measured", "derived", "estimate")}  # fmt: skip
        foods = len({t["food_id"] for t in tags if t["kind"] == kind})
        lines.append(f"{kind}: {foods} foods tagged ({counts['measured']} measured, {counts['derived']} derived, "
                     f"{counts['estimate']} estimated)")  # fmt: skip
    have = {(t["food_id"], t["kind"]) for t in tags}
    wrong, untagged = [], []
    for row in csv.DictReader(reviewed.open(encoding="utf-8")):
        key, expect = (row["food_id"], row["kind"]), row["expect"]
        if expect == "tagged" and key not in have:
            wrong.append(f"{row['food_id']} {row['name']}: reviewed as tagged for {row['kind']}, has no tag")
        elif expect == "never" and key in have:
            wrong.append(f"{row['food_id']} {row['name']}: must never carry {row['kind']} ({row['note']})")
        elif expect == "no_source":
            untagged.append(f"  {row['food_id']} {row['name']} ({row['kind']}): {row['note']}")
    lines.append(f"well-known inhibitor foods still untagged (no value in our sources): {len(untagged)}")
    return lines + untagged, wrong


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    parser.add_argument("--matches", type=Path, default=Path("tools/tag_matches.csv"))
    parser.add_argument("--out", type=Path, default=Path("assets/food_tags.json"))
    parser.add_argument("--reviewed", type=Path, default=Path("tools/inhibitor_reviewed.csv"))
    parser.add_argument("--report", action="store_true", help="print the coverage report; do not write")
    args = parser.parse_args()
    result = build(args.shared, args.matches)
    lines, wrong = coverage(result["tags"], args.reviewed)
    print("\n".join(lines))
    for problem in wrong:
        print(f"REVIEWED FOOD WRONG: {problem}")
    if args.report:
        raise SystemExit(1 if wrong else 0)
    args.out.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {args.out}: {len(result['tags'])} tags")


if __name__ == "__main__":
    main()
