"""What Today shows on request, as Markdown for the help screen: the day's conflicts with their
fixes and sources (c), the day's timetable (a) and where each target comes from (s)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bonecoach.domain.nutrient_info import NUTRIENT_INFO

if TYPE_CHECKING:
    from bonecoach.domain.day import DaySummary
    from bonecoach.domain.planner import DayPlan
    from bonecoach.domain.targets import Target


def conflicts_text(summary: DaySummary) -> str:
    """Markdown: each conflict with why, the fix and the source."""
    lines = [f"# Conflicts on {summary.date:%A %d %B}", ""]
    for conflict in summary.conflicts:
        lines += [
            f"## {conflict.severity.upper()}: {conflict.rule}",
            _md(conflict.message),
            "",
            f"**Fix:** {_md(conflict.suggestion)}",
            "",
            f"*Source:* {conflict.source}",
            "",
        ]
    lines.append("bonecoach coaches; check medication timing changes with your pharmacist or clinician.")
    return "\n".join(lines)


def _md(text: str) -> str:
    """Data inside Markdown: its punctuation shown, not read as formatting or links."""
    return "".join(f"\\{ch}" if ch in "\\`*_[]()<>#!|~" else ch for ch in text)


def plan_text(plan: DayPlan) -> str:
    """Markdown: the day's timetable and what could not be placed."""
    lines = [f"# Plan for {plan.date:%A %d %B}", ""]
    if not any(item.kind != "meal" for item in plan.items):
        lines += ["Your regimen is empty: press **R** (on Today) to add the medicines and supplements you take, "
                  "and your usual waking, meal and bed times.", ""]  # fmt: skip
    for item in plan.items:
        doses = f" × {item.doses:g}" if item.doses and item.doses != 1 else ""
        lines.append(
            f"- **{item.at:%H:%M}** {_md(item.name)}{doses}" + (f"  \n  {_md(item.note)}" if item.note else "")
        )
    for problem in plan.unplaced:
        lines.append(f"- **not placed:** {problem['name']}: {problem['reason']}")
    for warning in plan.warnings:
        lines.append(f"- **warning:** {warning}")
    lines += ["", *(f"*{assumption}*" for assumption in plan.assumptions), "",
              "**R** on Today changes your regimen and your usual times."]  # fmt: skip
    return "\n".join(lines)


def sources_text(targets: dict[str, Target]) -> str:
    """Markdown listing each target and limit with its source."""
    if not targets:
        return "# Targets\n\nNo profile yet: targets depend on sex and age. Press F4 to give them."
    lines = ["# Targets and their sources", ""]
    for key, target in targets.items():
        info = NUTRIENT_INFO[key]
        goal = "none" if target.target is None else f"{target.target:g} {info.unit}"
        limit = "none" if target.upper_limit is None else f"{target.upper_limit:g} {info.unit}"
        kind = "" if target.official else " (personal goal, not an official target)"
        mine = " (your override)" if target.overridden else ""
        lines += [
            f"**{info.label}**: target {goal}, limit {limit}{kind}{mine}",
            "",
            f"{target.source} {target.note}",
            "",
        ]
    lines.append("Food values: USDA SR28 (public domain); K2 per food with its own citation.")
    return "\n".join(lines)
