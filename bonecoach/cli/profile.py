"""``bonecoach profile`` and ``bonecoach targets``: who the targets are for, and the user's own targets."""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from bonecoach.cli.context import open_coach
from bonecoach.cli.options import Parser, count, number_in, positive
from bonecoach.cli.output import amount_text, print_json
from bonecoach.domain.errors import InputError
from bonecoach.domain.nutrient_info import NUTRIENT_INFO, NUTRIENT_KEYS
from bonecoach.services import kept_views, views


def add_parsers(sub: Any) -> None:
    """Add the ``profile``, ``targets`` commands."""
    profile = sub.add_parser("profile", help="your sex and birth date (targets depend on them)")
    profile_sub = profile.add_subparsers(dest="action", required=True, parser_class=Parser)
    profile_set = profile_sub.add_parser("set", help="create or change the profile")
    profile_set.add_argument("--sex", choices=["female", "male"])
    profile_set.add_argument("--birth-date", metavar="YYYY-MM-DD")
    profile_set.add_argument("--guideline", metavar="NAME", help="iom (default) or bhof")
    profile_set.add_argument(
        "--tscore", type=number_in(-6, 4, "T-score"), help="your latest T-score if no scan is recorded"
    )
    profile_set.add_argument("--vertebral-fractures", type=count, metavar="N")
    profile_set.add_argument("--other-fractures", type=count, metavar="N")
    profile_set.add_argument("--falls-last-year", type=count, metavar="N")
    profile_set.add_argument(
        "--impact-cleared", choices=["yes", "no"], help="has a clinician cleared you for impact exercise?"
    )
    profile_set.add_argument(
        "--weights-cleared", choices=["yes", "no"],
        help="after a fracture: has a physiotherapist cleared you for exercise with weights?",
    )  # fmt: skip
    profile_set.add_argument(
        "--postmenopausal", choices=["yes", "no"],
        help="asked of a woman under 50: after menopause the WHO categories apply, before it the Z-score is read",
    )  # fmt: skip
    profile_set.add_argument(
        "--weight",
        metavar="WEIGHT",
        help="body weight, e.g. 70kg or 154lb (a protein target by weight; none clears it)",
    )
    profile_set.add_argument(
        "--water-calcium", metavar="MG_PER_L", type=number_in(0, 1000, "Water calcium"),
        help="calcium in your drinking water, mg/L (its label or the utility's report): counted on plain water logged",
    )  # fmt: skip
    profile_show = profile_sub.add_parser("show", help="print the profile")
    profile_show.add_argument("--json", action="store_true")

    targets = sub.add_parser("targets", help="show or override targets")
    targets_sub = targets.add_subparsers(dest="action", required=True, parser_class=Parser)
    targets_show = targets_sub.add_parser("show", help="today's targets and limits with sources")
    targets_show.add_argument("--json", action="store_true")
    targets_set = targets_sub.add_parser("set", help="override one nutrient's target or limit")
    targets_set.add_argument("nutrient", choices=list(NUTRIENT_KEYS))
    targets_set.add_argument("--target", type=positive("Target"))
    targets_set.add_argument("--upper-limit", type=positive("Upper limit"))
    targets_set.add_argument("--clear", action="store_true", help="go back to the guideline's values")


def _parse_birth_date(text: str) -> date:
    from bonecoach.domain.timeparse import iso_date

    return iso_date(text, "Birth date")


def cmd_profile(args: argparse.Namespace) -> int:
    """``profile set|show``: who the targets are for."""
    if args.action == "show":
        with open_coach(args, write=False) as coach:
            profile = coach.profile()
            if profile is None:
                raise InputError("No profile yet: run 'bonecoach profile set --sex ... --birth-date ...'.")
            if args.json:
                print_json(kept_views.profile_json(profile))
            else:
                print(f"sex: {profile.sex.value}\nbirth date: {profile.birth_date}\nguideline: {profile.guideline}")
            return 0
    birth = _parse_birth_date(args.birth_date) if args.birth_date else None
    bone = {
        "reported_tscore": args.tscore, "vertebral_fractures": args.vertebral_fractures, "other_fractures": args.other_fractures,
        "falls_last_year": args.falls_last_year, "impact_cleared": None if args.impact_cleared is None else args.impact_cleared == "yes",
        "weights_cleared": None if args.weights_cleared is None else args.weights_cleared == "yes",
        "postmenopausal": None if args.postmenopausal is None else args.postmenopausal == "yes",
    }  # fmt: skip
    bone = {key: value for key, value in bone.items() if value is not None}
    if args.weight is not None:
        from bonecoach.domain.amounts import parse_body_weight

        bone["weight_kg"] = parse_body_weight(args.weight)  # None: cleared
    if args.water_calcium is not None:
        bone["water_calcium_mg_per_l"] = args.water_calcium
    if args.sex is None and birth is None and args.guideline is None and not bone:
        raise InputError(
            "Nothing to set: give --sex, --birth-date, --guideline, --weight or a bone field (see --help)."
        )
    with open_coach(args, write=True) as coach:
        profile = coach.set_profile(args.sex, birth, args.guideline, **bone)
        print(f"Profile saved: {profile.sex.value}, born {profile.birth_date}, guideline {profile.guideline}.")
        return 0


def cmd_targets(args: argparse.Namespace) -> int:
    """``targets show|set``: today's targets with their sources, and the person's overrides."""
    if args.action == "set":
        if not args.clear and args.target is None and args.upper_limit is None:
            raise InputError("Give --target, --upper-limit or --clear.")
        with open_coach(args, write=True) as coach:
            coach.set_target_override(args.nutrient, args.target, args.upper_limit, clear=args.clear)
            print(f"Saved your {args.nutrient} {'defaults' if args.clear else 'override'}.")
            return 0
    with open_coach(args, write=False) as coach:
        targets = coach.targets(coach.now().date())
        if args.json:
            print_json({key: views.target_json(targets.get(key)) for key in NUTRIENT_KEYS})
            return 0
        if not targets:
            raise InputError("No profile yet: targets depend on sex and age.")
        for key in NUTRIENT_KEYS:
            info, target = NUTRIENT_INFO[key], targets[key]
            flag = "" if target.official else "  (personal goal, not an official target)"
            goal, limit = amount_text(target.target, info.unit), amount_text(target.upper_limit, info.unit)
            print(f"{info.label:<11} target {goal:<12} limit {limit:<12}{flag}")
            print(f"            source: {target.source}")
        return 0
