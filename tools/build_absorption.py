"""Build ``assets/absorption.json``: the load equation, the absorptive index of each measured food
(derived by the table's own method), the catalog foods each stands for, and the calcium salts.

    python tools/build_absorption.py [--shared ../shared]

Every number is read from DOMAIN.md ("Absorbable calcium"). The tables give each food's absorption
efficiency at its own serving, which ALREADY includes the load effect (PMC5442193 Table 1, footnote
c), so a food's index is its efficiency over the milk equation at that serving's calcium:
index = efficiency / (a - b ln(serving calcium)). Dairy is index 1.0 by definition (the equation is
milk's). ``tools/absorption_matches.csv`` names the SR28 foods each measured row stands for
(reviewed: a raw, cooked, frozen or canned form of a measured food takes its index); a row no SR28
food matches is listed as unmapped with the reason, and foods outside every row are "not estimated".
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import re
from pathlib import Path

TABLE_SOURCE = "PMC5442193, Table 1 (adapted from Weaver & Heaney), via bonecoach DOMAIN.md"
MORE_SOURCE = "Weaver, Proulx, Heaney, Am J Clin Nutr 1999;70(3 suppl):543S, via bonecoach DOMAIN.md"
SALT_SOURCE = (
    "Heaney et al., Calcif Tissue Int 1990;46:300; Gueguen & Pointillart, J Am Coll Nutr 2000;19(2 suppl):119S; "
    "carbonate needs a meal's stomach acid (NIH ODS calcium fact sheet); via bonecoach DOMAIN.md"
)
DAIRY = ("milk", "yogurt", "cheddar")
NUMBER = r"(\d+(?:\.\d+)?)"


def _section(text: str, start: str, end: str) -> str:
    part = text[text.index(start) + len(start) :]
    return " ".join(part[: part.index(end)].split())


def read_domain(domain_text: str) -> dict:
    """The equation and every measured row: name, serving grams, serving calcium, efficiency."""
    text = domain_text[domain_text.index("Absorbable calcium") :]
    equation = re.search(r"fractional absorption = ([\d.]+) - ([\d.]+) ln\(load in mg\)", text)
    if equation is None:
        raise SystemExit("DOMAIN.md: the load equation was not found")
    efficiencies: dict[str, float] = {}
    for part in _section(text, "Table 1", "So one cup of milk").split(":", 1)[1].split(";"):
        match = re.match(rf"\s*(.+?)\s+{NUMBER}%", part)
        if match:
            for name in match.group(1).split(","):
                efficiencies[" ".join(name.split())] = float(match.group(2))
    rows: list[dict] = []
    for part in _section(text, "with the table's serving loads:", "Dairy is index").split(","):
        match = re.match(rf"\s*(.+?)\s+{NUMBER}(?: mg)?/{NUMBER}(?: g)?\.?$", part)
        if match is None:
            raise SystemExit(f"DOMAIN.md: a serving load was not understood: {part!r}")
        name = match.group(1)
        rows.append({"table_name": name, "serving_g": float(match.group(3)), "serving_calcium_mg": float(match.group(2)),
                     "efficiency_percent": efficiencies[name], "source": TABLE_SOURCE})  # fmt: skip
    for part in _section(text, "serving g / calcium mg / efficiency %):", "Supplements:").split(";"):
        match = re.match(rf"\s*(.+?)\s+{NUMBER}/{NUMBER}/{NUMBER}\.?$", part)
        if match is None:
            raise SystemExit(f"DOMAIN.md: a row of the further foods was not understood: {part!r}")
        rows.append({"table_name": match.group(1), "serving_g": float(match.group(2)),
                     "serving_calcium_mg": float(match.group(3)), "efficiency_percent": float(match.group(4)),
                     "source": MORE_SOURCE})  # fmt: skip
    return {"intercept": float(equation.group(1)), "slope": float(equation.group(2)), "rows": rows}


def derived_index(row: dict, intercept: float, slope: float) -> float:
    """The food's index over milk: its efficiency over the milk equation at its serving's load."""
    if row["table_name"] in DAIRY:
        return 1.0
    milk_at_load = intercept - slope * math.log(row["serving_calcium_mg"])
    return round(row["efficiency_percent"] / 100 / milk_at_load, 4)


def build(shared: Path, matches: Path) -> dict:
    domain = read_domain((shared / "DOMAIN.md").read_text(encoding="utf-8"))
    a, b = domain["intercept"], domain["slope"]
    table = [{**row, "index": derived_index(row, a, b)} for row in domain["rows"]]
    by_name = {row["table_name"]: row for row in table}
    with (shared / "data" / "usda_sr_bone_nutrients.csv").open(encoding="utf-8") as handle:
        foods = {row["fdc_or_ndb_id"]: row["description"] for row in csv.DictReader(handle)}
    rows, unmapped, seen = [], [], set()
    for rule in csv.DictReader(matches.open(encoding="utf-8")):
        measured = by_name[rule["table_name"]]
        if not rule["pattern"]:
            unmapped.append({"table_name": rule["table_name"], "why": rule["note"]})
            continue
        pattern = re.compile(rule["pattern"])
        exclude = re.compile(rule["exclude"]) if rule["exclude"] else None
        matched = [
            fid for fid, name in foods.items() if pattern.search(name) and not (exclude and exclude.search(name))
        ]
        if not matched:
            raise SystemExit(f"absorption_matches.csv: {rule['table_name']!r} matches no SR28 food")
        for food_id in matched:
            if food_id in seen:
                raise SystemExit(f"absorption_matches.csv: {food_id} ({foods[food_id]}) is matched twice")
            seen.add(food_id)
            rows.append({"food_id": food_id, "table_name": rule["table_name"], "index": measured["index"],
                         "note": rule["note"]})  # fmt: skip
    missing = set(by_name) - {r["table_name"] for r in rows} - {u["table_name"] for u in unmapped}
    if missing:
        raise SystemExit(f"absorption_matches.csv: no line for {sorted(missing)}")
    return {
        "schema": 2,
        "note": (
            "Absorbable calcium: the load equation for milk, each measured food's index (its efficiency at its "
            "serving over the milk equation at that serving's calcium), the SR28 foods each stands for, and the "
            "calcium salts of supplements. Made by tools/build_absorption.py from DOMAIN.md."
        ),
        "equation": {"intercept": a, "slope": b, "source": "fractional absorption = a - b ln(load in mg), DOMAIN.md"},
        "source": f"{TABLE_SOURCE}; {MORE_SOURCE}",
        "table": table,
        "unmapped": unmapped,
        "salts": [
            {"salt": "citrate", "index": 1.0, "needs_food": False, "source": SALT_SOURCE},
            {"salt": "carbonate", "index": 1.0, "needs_food": True, "source": SALT_SOURCE},
        ],
        "foods": rows,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    parser.add_argument("--matches", type=Path, default=Path("tools/absorption_matches.csv"))
    parser.add_argument("--out", type=Path, default=Path("assets/absorption.json"))
    args = parser.parse_args()
    result = build(args.shared, args.matches)
    args.out.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {args.out}: {len(result['table'])} measured foods, {len(result['foods'])} catalog foods")


if __name__ == "__main__":
    main()
