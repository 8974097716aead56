"""Build ``assets/absorption.json``: the load equation and the absorptive index of each catalog food
the absorption table covers.

    python tools/build_absorption.py [--shared ../shared]

Every number is read from DOMAIN.md ("Absorbable calcium"): the equation for milk and the measured
absorption efficiency of about twenty foods (PMC5442193, Table 1, adapted from Weaver & Heaney).
A food's index is its efficiency over milk's (32.1%). ``tools/absorption_matches.csv`` names the
catalog foods each table row stands for (reviewed); foods outside it are "not estimated".
"""

from __future__ import annotations

import argparse
import csv
import json
import re
from pathlib import Path

SOURCE = "PMC5442193, Table 1 (adapted from Weaver & Heaney), via bonecoach DOMAIN.md"


def read_domain(domain_text: str) -> tuple[float, float, dict[str, float]]:
    """The equation's two numbers and the efficiency (%) per table food."""
    section = domain_text[domain_text.index("Absorbable calcium") :]
    equation = re.search(r"fractional absorption = ([\d.]+) - ([\d.]+) ln\(load in mg\)", section)
    if equation is None:
        raise SystemExit("DOMAIN.md: the load equation was not found")
    table = section[section.index("Table 1") : section.index("So one cup of milk")]
    efficiencies: dict[str, float] = {}
    for part in re.split(r";", table.split(":", 1)[1].replace("\n", " ")):
        match = re.match(r"\s*(.+?)\s+([\d.]+)%", part)
        if match:
            for name in match.group(1).split(","):
                efficiencies[" ".join(name.split())] = float(match.group(2))
    return float(equation.group(1)), float(equation.group(2)), efficiencies


def build(shared: Path, matches: Path) -> dict:
    a, b, efficiencies = read_domain((shared / "DOMAIN.md").read_text(encoding="utf-8"))
    milk = efficiencies["milk"]
    with (shared / "data" / "usda_sr_bone_nutrients.csv").open(encoding="utf-8") as handle:
        foods = {row["fdc_or_ndb_id"]: row["description"] for row in csv.DictReader(handle)}
    rows = []
    for rule in csv.DictReader(matches.open(encoding="utf-8")):
        efficiency = efficiencies[rule["table_name"]]
        pattern = re.compile(rule["pattern"])
        exclude = re.compile(rule["exclude"]) if rule["exclude"] else None
        for food_id, name in foods.items():
            if pattern.search(name) and not (exclude and exclude.search(name)):
                rows.append({"food_id": food_id, "table_name": rule["table_name"], "efficiency_percent": efficiency,
                             "index": round(efficiency / milk, 4), "note": rule["note"]})  # fmt: skip
    return {
        "schema": 1,
        "note": "Absorbable calcium: the load equation for milk and each covered food's index (its efficiency over milk's).",
        "equation": {"intercept": a, "slope": b, "source": "fractional absorption = a - b ln(load in mg), DOMAIN.md"},
        "milk_efficiency_percent": milk,
        "source": SOURCE,
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
    print(f"wrote {args.out}: {len(result['foods'])} foods")


if __name__ == "__main__":
    main()
