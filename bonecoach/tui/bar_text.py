"""A nutrient's bar line and the line of the other nutrients, as styled text.

Apart from the widget (``tui.widgets.nutrient_bar``) because Today's figures are computed by a
process that draws nothing (``tui.figures_ahead``): this imports Rich's text, not Textual.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text

from bonecoach.domain.nutrient_info import NUTRIENT_INFO, mcg_to_iu

if TYPE_CHECKING:
    from bonecoach.domain.day import DaySummary

BAR_WIDTH = 22
_STYLES = {"met": "green", "close": "yellow", "low": "red", "over": "bold red", "none": "cyan", "unknown": "dim"}


def render_bar(key: str, summary: DaySummary) -> Text:
    """The bar line as styled text (pure, so tests can read it)."""
    info = NUTRIENT_INFO[key]
    total = summary.totals[key]
    target = summary.targets.get(key)
    status = summary.status(key)
    goal = target.target if target else None
    limit = target.upper_limit if target else None
    scale = goal if goal else limit
    fraction = min(summary.judged_amount(key) / scale, 1.0) if scale else 0.0
    filled = round(fraction * BAR_WIDTH)
    line = Text()
    line.append(f"{info.label:<11}")
    line.append("█" * filled, style=_STYLES[status])
    line.append("░" * (BAR_WIDTH - filled), style="dim")
    amount = "?" if status == "unknown" else f"{total.amount:,.0f}" if total.amount >= 10 else f"{total.amount:.1f}"
    if goal is not None:
        line.append(f" {amount}/{goal:,.0f} {info.unit}")
    elif limit is not None:
        line.append(f" {amount} {info.unit} (max {limit:,.0f})")
    else:
        line.append(f" {amount} {info.unit}")
    if key == "vitamin_d_mcg":
        line.append(f" = {mcg_to_iu(total.amount):,.0f} IU", style="dim")
    if summary.judged_amount(key) != total.amount:
        line.append(f" (with K2 {summary.judged_amount(key):,.0f}: the AI is for total vitamin K)", style="dim")
    label = {"met": " ✓ met", "close": " close", "low": "", "over": " ⚠ over limit", "none": "",
             "unknown": " unknown: not measured"}[status]  # fmt: skip
    line.append(label, style=_STYLES[status])
    if goal is not None and limit is not None and status != "over":
        applies = " supplements" if target and target.upper_limit_applies_to == "supplements" else ""
        line.append(f"  UL{applies} {limit:,.0f}", style="dim")
    if target is not None and not target.official and goal is not None:
        line.append("  goal*", style="italic dim")
    if total.unknown_entries:
        line.append(f"  +{total.unknown_entries} unmeasured", style="dim italic")
    return line


def render_more(keys: tuple[str, ...], summary: DaySummary) -> Text:
    """Energy, protein and potassium on one line ("Protein 117/46 g ✓"): beside the bone
    nutrients, without a bar each (Today keeps its rows for the timeline)."""
    line = Text()
    for number, key in enumerate(keys):
        info, total, status = NUTRIENT_INFO[key], summary.totals[key], summary.status(key)
        target = summary.targets.get(key)
        goal = target.target if target else None
        amount = "?" if status == "unknown" else f"{total.amount:,.0f}"
        line.append(" · " if number else "", style="dim")
        line.append(f"{info.label} ")
        line.append(f"{amount}" + (f"/{goal:,.0f}" if goal is not None else "") + f" {info.unit}",
                    style=_STYLES[status] if goal is not None else "")  # fmt: skip
        if status == "met":
            line.append(" ✓", style=_STYLES[status])
        if total.unknown_entries:
            line.append(f" +{total.unknown_entries}?", style="dim italic")
    return line
