"""What every command's parser shares: our argparse, argument types that refuse bad values with a
clear message, and the nutrient options of the "add your own" commands."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from bonecoach.domain.amounts import parse_number
from bonecoach.domain.errors import InputError
from bonecoach.domain.nutrient_info import NUTRIENT_KEYS, iu_to_mcg

EXIT_INPUT = 2
EXIT_STORAGE = 3
EXIT_BUG = 70

NUTRIENT_OPTIONS = {
    "calcium_mg": "--calcium-mg",
    "vitamin_d_mcg": "--vitamin-d-mcg",
    "magnesium_mg": "--magnesium-mg",
    "vitamin_k1_mcg": "--vitamin-k1-mcg",
    "vitamin_k2_mcg": "--vitamin-k2-mcg",
    "caffeine_mg": "--caffeine-mg",
    "sodium_mg": "--sodium-mg",
    "energy_kcal": "--energy-kcal",
    "protein_g": "--protein-g",
    "potassium_mg": "--potassium-mg",
}


class Parser(argparse.ArgumentParser):
    """argparse, but usage errors exit 2 with our own wording and never a traceback."""

    def error(self, message: str) -> None:  # type: ignore[override]
        """A usage error: the usage line and the message, exit status 2, no traceback."""
        self.print_usage(sys.stderr)
        self.exit(EXIT_INPUT, f"bonecoach: error: {message}\n")


def positive(what: str) -> Callable[[str], float]:
    """An argument type: a number above zero, named ``what`` in its error."""

    def convert(text: str) -> float:
        try:
            return parse_number(text, what)
        except InputError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    convert.__name__ = what
    return convert


def non_negative(text: str) -> float:
    """An argument type: a number from 0 to below 100,000 (a nutrient amount)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not (0 <= value < 100_000):
        raise argparse.ArgumentTypeError(f"{text!r} must be between 0 and 100000")
    return value


def number_in(low: float, high: float, what: str) -> Callable[[str], float]:
    """An argument type: a number from ``low`` to ``high`` (e.g. a T-score off a report)."""

    def convert(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{what} must be a number, not {text[:40]!r}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{what} {value:g} is outside {low:g} to {high:g}; check the report")
        return value

    convert.__name__ = what
    return convert


def count(text: str) -> int:
    """An argument type: a whole count from 0 to 365 (fractures, falls)."""
    if not text.isdigit() or int(text) > 365:
        raise argparse.ArgumentTypeError(f"{text[:40]!r} is not a count from 0 to 365")
    return int(text)


def limit(text: str) -> int:
    """An argument type: how many results to show, 1 to 200."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not 1 <= value <= 200:
        raise argparse.ArgumentTypeError("--limit must be between 1 and 200")
    return value


def add_nutrient_options(parser: argparse.ArgumentParser, per: str) -> None:
    """``--calcium-mg N`` and the rest, plus ``--vitamin-d-iu``, each described as ``per``."""
    for key, flag in NUTRIENT_OPTIONS.items():
        parser.add_argument(flag, dest=key, type=non_negative, metavar="N", help=f"{key} {per}")
    parser.add_argument("--vitamin-d-iu", type=non_negative, metavar="IU", help=f"vitamin D in IU {per} (converted)")


def nutrient_values(args: argparse.Namespace) -> dict[str, float]:
    """The nutrient options given on the command line (vitamin D IU converted to mcg)."""
    values = {key: getattr(args, key) for key in NUTRIENT_KEYS if getattr(args, key) is not None}
    if args.vitamin_d_iu is not None:
        if "vitamin_d_mcg" in values:
            raise InputError("Give vitamin D in mcg or in IU, not both.")
        values["vitamin_d_mcg"] = round(iu_to_mcg(args.vitamin_d_iu), 3)
    return values
