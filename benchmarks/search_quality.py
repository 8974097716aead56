"""How often the food a person means comes first (and in the top three) for everyday queries.

    python benchmarks/search_quality.py [--show-misses]

The queries and the foods they mean are in ``benchmarks/search_queries.json`` (reviewed data,
written from the queries). The search is the one the app and ``foods search`` use, over the
shipped catalog with no history.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

QUERIES = Path(__file__).with_name("search_queries.json")


def hit_rates(show_misses: bool = False) -> tuple[float, float, int]:
    """Top-1 and top-3 hit rates over the reviewed queries, and their number."""
    from bonecoach.catalog.foods import FoodCatalog

    catalog = FoodCatalog.load()
    queries: dict[str, list[str]] = json.loads(QUERIES.read_text(encoding="utf-8"))["queries"]
    top1 = top3 = 0
    for query, meant in queries.items():
        found = [food.id for food in catalog.search(query, limit=3)]
        top1 += bool(found) and found[0] in meant
        top3 += any(food_id in meant for food_id in found)
        if show_misses and (not found or found[0] not in meant):
            names = [f"{f.id} {f.name[:50]}" for f in catalog.search(query, limit=3)]
            print(f"  {query!r}: {names}")
    return top1 / len(queries), top3 / len(queries), len(queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show-misses", action="store_true")
    args = parser.parse_args()
    top1, top3, count = hit_rates(args.show_misses)
    print(f"search quality over {count} everyday queries: top-1 {top1:.1%}, top-3 {top3:.1%}")


if __name__ == "__main__":
    main()
