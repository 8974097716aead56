"""Apply a reviewed list of mutants one at a time and run the tests that should catch each.

    python tools/mutants.py            # every mutant
    python tools/mutants.py --only NAME

Each mutant is a small, plausible mistake (a word changed in one place), written down with the
tests that ought to fail because of it. The tool copies the package and its tests to a scratch
folder, applies one mutant there, runs those tests, and reports it caught (the tests failed) or
survived. The repository itself is never changed. Not part of CI: it takes minutes; its figure is
in the session note.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Mutant:
    """A mistake: in ``path``, ``old`` (found exactly once) becomes ``new``; ``tests`` should fail."""

    name: str
    path: str
    old: str
    new: str
    tests: tuple[str, ...]


MUTANTS = (
    Mutant("aside phase not journalled", "bonecoach/storage/switch.py",
           '"phase": "aside" if aside else "place"', '"phase": "place"', ("tests/test_crash_safety.py", "tests/test_mutants_killed.py")),
    Mutant("heavy lifting not filtered", "bonecoach/domain/exercise.py",
           'SAFETY_PROPERTIES = ("spinal_flexion", "twisting", "heavy_lifting")',
           'SAFETY_PROPERTIES = ("spinal_flexion", "twisting")', ("tests/test_exercise.py", "tests/test_mutants_killed.py")),
    Mutant("no penalty for a product not asked for", "bonecoach/domain/search.py",
           "score -= weight  # a product", "score -= 0  # a product", ("tests/test_search.py", "tests/test_mutants_killed.py")),
    Mutant("'2 hours ago' read as minutes", "bonecoach/domain/timeparse.py",
           'timedelta(hours=count) if unit.startswith("h")', 'timedelta(minutes=count) if unit.startswith("h")',
           ("tests/test_timeparse.py",)),
    Mutant("supplements left out of a meal's calcium load", "bonecoach/domain/absorption.py",
           "sources = sorted((e for e in entries if _calcium(e) > 0)",
           'sources = sorted((e for e in entries if _calcium(e) > 0 and e.kind == "food")', ("tests/test_absorption.py",)),
    Mutant("the 80% edge is not close", "bonecoach/domain/day.py",
           "if amount >= CLOSE_FRACTION * target.target:", "if amount > CLOSE_FRACTION * target.target:",
           ("tests/test_nutrients.py", "tests/test_week.py", "tests/test_mutants_killed.py")),
    Mutant("the dose cap doubled", "bonecoach/domain/conflicts.py",
           "if amount <= rule.limit:", "if amount <= rule.limit * 2:", ("tests/test_conflicts.py",)),
    Mutant("doses a few minutes apart not grouped", "bonecoach/domain/conflicts.py",
           "(entry.at - groups[-1][0].at) <= timedelta(minutes=rule.group_minutes)",
           "(entry.at - groups[-1][0].at) <= timedelta(minutes=0)", ("tests/test_conflicts.py",)),
    Mutant("the trash keeps one too few", "bonecoach/storage/repository.py",
           "[: max(0, len(trash) - TRASH_KEEP)]", "[: max(0, len(trash) - TRASH_KEEP + 1)]",
           ("tests/test_storage.py", "tests/test_mutants_killed.py")),
)  # fmt: skip


def _scratch() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="bonecoach-mutants-"))
    for name in ("bonecoach", "tests", "assets", "benchmarks", "tools", "man"):
        shutil.copytree(ROOT / name, folder / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, folder / name)
    return folder


def run(mutant: Mutant, folder: Path, timeout: float) -> str:
    """Apply ``mutant`` in ``folder``, run its tests, restore the file; "caught" or "survived"."""
    target = folder / mutant.path
    original = target.read_text(encoding="utf-8")
    if original.count(mutant.old) != 1:
        return f"not applied: the text is found {original.count(mutant.old)} times (review the mutant)"
    target.write_text(original.replace(mutant.old, mutant.new), encoding="utf-8")
    try:
        env = {**os.environ, "PYTHONPATH": str(folder), "PYTHONDONTWRITEBYTECODE": "1"}
        result = subprocess.run([sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *mutant.tests],
                                cwd=folder, env=env, capture_output=True, text=True, timeout=timeout)  # fmt: skip
    except subprocess.TimeoutExpired:
        return "caught (the tests timed out)"
    finally:
        target.write_text(original, encoding="utf-8")
    return "caught" if result.returncode != 0 else "survived"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="run only the mutant with this name")
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds for one mutant's tests")
    args = parser.parse_args()
    chosen = [m for m in MUTANTS if args.only in (None, m.name)]
    folder = _scratch()
    try:
        results = [(mutant, run(mutant, folder, args.timeout)) for mutant in chosen]
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    for mutant, verdict in results:
        print(f"{verdict:<9} {mutant.name}  ({mutant.path}; {' '.join(mutant.tests)})")
    caught = sum(verdict.startswith("caught") for _, verdict in results)
    print(f"{caught} of {len(results)} mutants caught")
    return 0 if caught == len(results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
