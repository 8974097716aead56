"""The catalog and the user's own items: ``foods``, ``supplements``, ``medications``, saved ``meal``s and ``recipe``s."""

from __future__ import annotations

import argparse
from typing import Any

from bonecoach.cli.context import open_coach
from bonecoach.cli.options import Parser, add_nutrient_options, limit, nutrient_values, positive
from bonecoach.cli.output import amount_text, print_json
from bonecoach.domain.amounts import parse_number
from bonecoach.domain.errors import InputError
from bonecoach.domain.names import fit
from bonecoach.domain.nutrient_info import NUTRIENT_INFO, NUTRIENT_KEYS, mcg_to_iu
from bonecoach.services import kept_views, views


def add_parsers(sub: Any) -> None:
    """Add the ``foods``, ``supplements``, ``medications``, ``meal``, ``recipe`` commands."""
    foods = sub.add_parser("foods", help="search the food catalog or add your own food")
    foods_sub = foods.add_subparsers(dest="action", required=True, parser_class=Parser)
    search = foods_sub.add_parser("search", help="find foods, best first")
    search.add_argument("query", nargs="+")
    search.add_argument("--limit", type=limit, default=10)
    search.add_argument("--json", action="store_true")
    show = foods_sub.add_parser("show", help="one food with its portions and sources")
    show.add_argument("id")
    show.add_argument("--json", action="store_true")
    add_food = foods_sub.add_parser("add", help="add your own food from its label (nutrients per serving)")
    add_food.add_argument("name")
    add_food.add_argument("--serving-grams", type=positive("Serving weight"), required=True)
    add_food.add_argument("--serving-label", default="1 serving")
    for kind in ("oxalate", "phytate"):
        add_food.add_argument(f"--{kind}", choices=["very_high", "high", "moderate", "low"],
                              help=f"its {kind} level, if you know it (conflicts are then checked)")  # fmt: skip
    add_nutrient_options(add_food, "per serving")

    supps = sub.add_parser("supplements", help="list supplements, add your own, save sets")
    supps_sub = supps.add_subparsers(dest="action", required=True, parser_class=Parser)
    supps_list = supps_sub.add_parser("list", help="presets and your own products")
    supps_list.add_argument("--json", action="store_true")
    supps_add = supps_sub.add_parser("add", help="add your own product (nutrients per dose)")
    supps_add.add_argument("name")
    supps_add.add_argument("--form", default="")
    supps_add.add_argument("--dose-label", default="1 dose")
    add_nutrient_options(supps_add, "per dose")
    supps_set = supps_sub.add_parser("set", help="save a named set, e.g. morning")
    supps_set.add_argument("name")
    supps_set.add_argument("--item", action="append", required=True, metavar="ID[:DOSES]")

    meds = sub.add_parser("medications", help="the medications whose timing bonecoach checks")
    meds_sub = meds.add_subparsers(dest="action", required=True, parser_class=Parser)
    meds_list = meds_sub.add_parser("list", help="ids, names and timing advice")
    meds_list.add_argument("--json", action="store_true")

    meal = sub.add_parser("meal", help="saved meals: save a meal slot of a day, list, delete")
    meal_sub = meal.add_subparsers(dest="action", required=True, parser_class=Parser)
    meal_save = meal_sub.add_parser("save", help="save what was logged in a meal slot under a name")
    meal_save.add_argument("name")
    meal_save.add_argument("--date", metavar="DATE")
    meal_save.add_argument("--meal", metavar="SLOT")
    meal_save.add_argument(
        "--entry", action="append", metavar="ENTRY_ID", help="save these entries instead of a meal slot"
    )
    meal_list = meal_sub.add_parser("list", help="saved meals with their items and totals")
    meal_list.add_argument("--json", action="store_true")
    meal_delete = meal_sub.add_parser("delete", help="forget a saved meal")
    meal_delete.add_argument("name")

    recipe = sub.add_parser("recipe", help="recipes from catalog foods")
    recipe_sub = recipe.add_subparsers(dest="action", required=True, parser_class=Parser)
    recipe_add = recipe_sub.add_parser("add", help="ingredients (ID:GRAMS for the whole recipe) and servings")
    recipe_add.add_argument("name")
    recipe_add.add_argument("--servings", type=positive("Servings"), required=True)
    recipe_add.add_argument("--item", action="append", required=True, metavar="ID:GRAMS")
    recipe_list = recipe_sub.add_parser("list", help="recipes with nutrients per serving")
    recipe_list.add_argument("--json", action="store_true")


def cmd_foods(args: argparse.Namespace) -> int:
    """``foods search|show|add``: the catalog and the person's own foods."""
    if args.action == "add":
        with open_coach(args, write=True) as coach:
            levels = {"oxalate": args.oxalate or "", "phytate": args.phytate or ""}
            food = coach.add_custom_food(
                args.name, args.serving_grams, nutrient_values(args), args.serving_label, inhibitors=levels
            )
            print(f"Added {food.name} as {food.id}.")
            return 0
    with open_coach(args, write=False) as coach:
        if args.action == "show":
            found = coach.food(args.id)
            if found is None:
                raise InputError(f"No food with id {args.id!r}; search with 'bonecoach foods search WORDS'.")
            food = found
            if args.json:
                print_json(views.food_json(food))
                return 0
            print(f"{food.id}  {food.name}  ({food.group})\nper 100 g:")
            for key in NUTRIENT_KEYS:
                info = NUTRIENT_INFO[key]
                print(f"  {info.label:<11} {amount_text(food.per_100g.get(key), info.unit)}")
            print("portions: " + (", ".join(f"{p.label} = {p.grams:g} g" for p in food.portions) or "none (use grams)"))
            print(f"source: {food.source}")
            for line in views.inhibitor_lines(food):
                print(line)
            for key, note in food.notes.items():
                print(f"note ({key}): {note}")
            return 0
        query = " ".join(args.query).strip()
        if not query or len(query) > 200:
            raise InputError("Search for one or a few words of a food's name, e.g. 'sardine bones'.")
        foods = coach.search_foods(query, args.limit)
        if args.json:
            print_json([views.food_json(food) for food in foods])
            return 0
        if not foods:
            print(f"No food matches {query!r}.")
            return 1
        for food in foods:
            calcium = food.per_100g.calcium_mg
            print(f"{food.id:<8} {fit(food.name, 70):<70} Ca {calcium if calcium is not None else '?'} mg/100 g")
        return 0


def cmd_supplements(args: argparse.Namespace) -> int:
    """``supplements list|add|set``: presets, the person's own products, and named sets."""
    if args.action == "add":
        with open_coach(args, write=True) as coach:
            product = coach.add_supplement(args.name, nutrient_values(args), args.form, args.dose_label)
            print(f"Added {product.name} as {product.id}.")
            return 0
    if args.action == "set":
        with open_coach(args, write=True) as coach:
            items = []
            for item in args.item:
                supplement_id, _, doses = item.partition(":")
                items.append((supplement_id, parse_number(doses, f"Doses in --item {item!r}") if doses else 1.0))
            coach.save_supplement_set(args.name, items)
            print(
                f"Saved set {args.name.strip().lower()!r}: log it with 'bonecoach log set {args.name.strip().lower()}'."
            )
            return 0
    with open_coach(args, write=False) as coach:
        products = coach.supplements()
        if args.json:
            print_json([views.supplement_json(product) for product in products])
            return 0
        for product in products:
            parts = []
            for key, value in product.nutrients.as_dict().items():
                if value:
                    info = NUTRIENT_INFO[key]
                    extra = f" ({mcg_to_iu(value):g} IU)" if key == "vitamin_d_mcg" else ""
                    parts.append(f"{info.short} {value:g} {info.unit}{extra}")
            print(f"{product.id:<28} {product.name[:50]:<50} {', '.join(parts)}")
        return 0


def cmd_medications(args: argparse.Namespace) -> int:
    """``medications list``: the medications whose timing bonecoach checks."""
    with open_coach(args, write=False) as coach:
        if args.json:
            print_json([views.medication_json(m) for m in coach.medications])
            return 0
        for medication in coach.medications:
            print(f"{medication.id:<16} {medication.name:<40} {medication.advice}")
        return 0


def cmd_meal(args: argparse.Namespace) -> int:
    """``meal save|list|delete``: saved meals."""
    if args.action == "list":
        with open_coach(args, write=False) as coach:
            meals = coach.saved_meals()
            if args.json:
                print_json([kept_views.saved_meal_json(m) for m in meals])
                return 0
            for m in meals:
                calcium = m.totals()["calcium_mg"]
                print(
                    f"{m.name:<30} {m.meal.value:<10} {len(m.items)} items, Ca {calcium:.0f} mg: "
                    + ", ".join(i.name[:25] for i in m.items)
                )
            if not meals:
                print("No saved meals yet: bonecoach meal save NAME --date D --meal SLOT")
            return 0
    with open_coach(args, write=True) as coach:
        if args.action == "delete":
            coach.delete_meal(args.name)
            print(f"Deleted saved meal {args.name!r}.")
            return 0
        saved = coach.save_meal(args.name, args.date, args.meal, entry_ids=args.entry)
        print(f"Saved {saved.name!r}: {len(saved.items)} items. Log it with: bonecoach log meal {saved.name!r}")
        return 0


def cmd_recipe(args: argparse.Namespace) -> int:
    """``recipe add|list``: recipes from catalog foods."""
    if args.action == "list":
        with open_coach(args, write=False) as coach:
            recipes = coach.recipes()
            if args.json:
                print_json([kept_views.recipe_json(r) for r in recipes])
                return 0
            for r in recipes:
                calcium = r.per_serving.calcium_mg
                print(
                    f"{r.name:<30} {r.servings:g} servings of {r.serving_grams:g} g, Ca {calcium if calcium is not None else '?'} mg per serving"
                )
            return 0
    items = []
    for item in args.item:
        food_id, _, grams = item.partition(":")
        if not food_id.strip() or not grams:
            raise InputError(f"--item {item[:40]!r}: write it as ID:GRAMS, e.g. 01077:244.")
        items.append((food_id, parse_number(grams, f"Grams in --item {item[:40]!r}")))
    with open_coach(args, write=True) as coach:
        recipe = coach.add_recipe(args.name, args.servings, items)
        calcium = recipe.per_serving.calcium_mg
        print(
            f"Saved recipe {recipe.name!r}: {recipe.serving_grams:g} g per serving, Ca {calcium if calcium is not None else '?'} mg per serving. {recipe.note}"
        )
        return 0
