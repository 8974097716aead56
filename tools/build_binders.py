"""Build ``assets/food_binders.json``: the SR28 foods that carry something binding a medicine in
the gut (coffee, tea, grapefruit juice, soy flour, walnuts), each with the citation.

    python tools/build_binders.py [--shared ../shared]

The matching is a reviewable table, ``tools/binder_foods.csv``: a binder, a pattern over SR28's
food names, what it leaves out, the source, and for a cation an amount per 100 g (iron and zinc
from ``usda_sr_more_nutrients.csv``) a fortified food must hold to count. Calcium in foods is judged by each food's own
calcium (a meal of 100 mg or more), not here; magnesium, iron, zinc and aluminium binders are
products and medicines (assets/supplements.json, assets/medications.json).
"""

from __future__ import annotations

import argparse
import csv
import json
import re
from pathlib import Path


def build(shared: Path, table: Path) -> dict:
    with (shared / "data" / "usda_sr_bone_nutrients.csv").open(encoding="utf-8") as handle:
        names = {row["fdc_or_ndb_id"]: row["description"] for row in csv.DictReader(handle)}
    with (shared / "data" / "usda_sr_more_nutrients.csv").open(encoding="utf-8") as handle:
        more = {row["fdc_or_ndb_id"]: row for row in csv.DictReader(handle)}
    foods: dict[str, list[str]] = {}
    sources: dict[str, str] = {}
    for rule in csv.DictReader(table.open(encoding="utf-8")):
        pattern = re.compile(rule["pattern"], re.I)
        exclude = re.compile(rule["exclude"], re.I) if rule["exclude"] else None
        matched = [
            fid for fid, name in names.items() if pattern.search(name) and not (exclude and exclude.search(name))
        ]
        if rule.get("nutrient"):
            # A fortified food counts for a cation only when 100 g of it holds at least this much.
            floor = float(rule["min_per_100g"])
            matched = [fid for fid in matched if float(more.get(fid, {}).get(rule["nutrient"]) or 0) >= floor]
        if not matched:
            raise SystemExit(f"binder_foods.csv: {rule['binder']!r} matches no SR28 food")
        for food_id in matched:
            foods.setdefault(food_id, []).append(rule["binder"])
        sources[rule["binder"]] = rule["source"]
    return {
        "schema": 1,
        "note": "Foods that carry a medicine binder, by SR28 id. Made by tools/build_binders.py from tools/binder_foods.csv.",
        "sources": sources,
        "foods": {food_id: sorted(set(found)) for food_id, found in sorted(foods.items())},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    parser.add_argument("--table", type=Path, default=Path("tools/binder_foods.csv"))
    parser.add_argument("--out", type=Path, default=Path("assets/food_binders.json"))
    args = parser.parse_args()
    result = build(args.shared, args.table)
    args.out.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {args.out}: {len(result['foods'])} foods")


if __name__ == "__main__":
    main()
