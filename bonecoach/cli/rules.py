"""``bonecoach rules``: the conflict rules in force, and checking a rule file."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from bonecoach.cli.context import open_coach
from bonecoach.cli.options import Parser
from bonecoach.cli.output import print_json


def add_parsers(sub: Any) -> None:
    """Add the ``rules`` command."""
    rules = sub.add_parser("rules", help="conflict rules: list them or check a rule file")
    rules_sub = rules.add_subparsers(dest="action", required=True, parser_class=Parser)
    rules_check = rules_sub.add_parser("check", help="validate a rule file and print every problem")
    rules_check.add_argument("file", metavar="FILE")
    rules_list = rules_sub.add_parser("list", help="the rules in force (shipped plus yours)")
    rules_list.add_argument("--json", action="store_true")


def cmd_rules(args: argparse.Namespace) -> int:
    """``rules list|check``: the conflict rules in force, or every problem of a rule file."""
    from pathlib import Path

    from bonecoach.services.rules import check_rule_file

    if args.action == "check":
        rules = check_rule_file(Path(args.file))
        print(f"{args.file}: valid; with the shipped rules, {len(rules)} rules are in force.")
        return 0
    with open_coach(args, write=False) as coach:
        rules_in_force = coach.checker.rules
        if coach.rules_warning:
            print(coach.rules_warning, file=sys.stderr)
        if args.json:
            print_json([rule.model_dump(mode="json") for rule in rules_in_force])
            return 0
        for rule in rules_in_force:
            print(f"{rule.id:<40} {rule.severity:<8} {rule.message}")
            print(f"{'':<40} source: {rule.source}")
            if rule.own_choices:
                print(f"{'':<40} bonecoach's own choice (no source gives it): {'; '.join(rule.own_choices)}")
        return 0
